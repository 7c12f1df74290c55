"""干部画像 as one A4 page: the basics beside the photo, then the portrait's sections (一线经历, 导师帮带,
考核情况, 实绩与正负面清单, 专长与短板, 专业干部库, 日常管理与关爱) as label / text rows. One page as a
rule: a little too long and the whole is shrunk to the frame (pc.one_page), down to pc.MIN_SCALE; longer than
that (a long 现任职务, pool notes, 谈话 and 监督 texts at their full length) and it runs on to the next
page at its own size, a table breaking between rows and inside a row taller than a page — shrunk to one
page it was too small to read, and its tables stood narrower than its headings.

``portrait_story`` serves the batch (打印干部画像… on the list's selection, ``portrait`` on the command
line) from the gathered DossierData; ``batch.build_portrait`` one cadre from the 画像 window, where an
operator with the 干部监督 grant may ask for the supervision records too (off by default)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from cadre_desk.domain.dates import format_date
from cadre_desk.portrait.portrait import Portrait, build
from reports.pdf import pdf_common as pc
from reports.pdf.dossier_data import DossierData
from reports.pdf.rmb import CONTENT_WIDTH, FRAME_HEIGHT, photo_flowable

TITLE = "干部画像"
BASIC_COLS = [31 * mm, 44 * mm, 26 * mm, 39 * mm, 32 * mm]  # label, value, label, value, photo: 172 mm;
# 毕业院校系及专业 and 全日制学历学位 on one line in the first label column, 参加工作时间 in the second
SECTION_COLS = [38 * mm, CONTENT_WIDTH - 38 * mm]
GRID = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#555555")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
LABEL_FILL = colors.HexColor("#F0F3F7")


def _basics_table(shown: Portrait) -> Table:
    pairs = shown.basics
    rows = []
    for i in range(0, len(pairs), 2):
        (l1, v1), (l2, v2) = pairs[i], pairs[i + 1] if i + 1 < len(pairs) else ("", "")
        rows.append([pc.para(l1, "label"), pc.para(v1, "cell"), pc.para(l2, "label"), pc.para(v2, "cell"), ""])
    rows[0][4] = photo_flowable(shown.photo, BASIC_COLS[4] - 4 * mm, 42 * mm, shown.name) or pc.para("（无照片）",
                                                                                                   "cell_c")
    style = GRID + [("SPAN", (4, 0), (4, len(rows) - 1)), ("ALIGN", (4, 0), (4, -1), "CENTER"),
                    ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL), ("BACKGROUND", (2, 0), (2, -1), LABEL_FILL)]
    return Table(rows, colWidths=BASIC_COLS, style=TableStyle(style), hAlign="LEFT")


def _section_table(section) -> Table:
    rows, style = [], list(GRID)
    for label, text in section.lines:
        if label:
            rows.append([pc.para(label, "small"), pc.para(text, "small")])
        else:
            style.append(("SPAN", (0, len(rows)), (1, len(rows))))
            rows.append([pc.para(text, "small"), ""])
    style.append(("BACKGROUND", (0, 0), (0, -1), LABEL_FILL))
    # a row may be taller than a page (four 函询 with their 2,000-character matters): it splits too
    return Table(rows, colWidths=SECTION_COLS, style=TableStyle(style), hAlign="LEFT", splitInRow=1)


def render(shown: Portrait) -> list:
    """The flowables of one portrait (a page-numbering section of its own): one page, shrunk to it down
    to MIN_SCALE; beyond that, at its own size over as many pages as it takes."""
    return [pc.SectionStart(), *pc.one_page(lambda: _content(shown), CONTENT_WIDTH, FRAME_HEIGHT - 2 * mm)]


def _content(shown: Portrait) -> list:
    content = [pc.para(TITLE, "title"),
               pc.markup(f"<b>{pc.escape(shown.name)}</b>　{pc.escape(shown.subtitle)}", "center"),
               Spacer(1, 3 * mm), _basics_table(shown)]
    for section in shown.sections:
        heading = pc.para(section.title, "h2")
        heading.keepWithNext = True  # not alone at the foot of a page when the portrait runs on
        content += [heading, _section_table(section)]
    content += [Spacer(1, 2 * mm), pc.para(f"画像日期：{format_date(shown.made_on)}　本页据干部档案及日常管理记录生成，"
                                          "供分析研判参考，不作评分排名。", "small")]
    return content


def portrait_of(data: DossierData) -> Portrait:
    return build(data.profile, data.unit_name, postings=data.postings, pairs=data.pairs, records=data.records,
                 behaviour=data.behaviour, appraisals=data.appraisals, facts=data.practices, reviews=data.reviews)


def portrait_story(data: DossierData) -> list:
    """A batch's page of one cadre (reports.pdf.batch, kind "portrait")."""
    return render(portrait_of(data))


def missing_glyphs(shown: Portrait) -> list[pc.MissingGlyph]:
    return pc.missing_glyphs(shown.texts())
