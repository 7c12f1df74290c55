"""鉴定报告 / 成长档案 for one cadre: cover, 基本信息 (the 任免审批表 grid with photo), 简历,
一线经历 with each posting's 期满鉴定 (等次, outcome and its result, and the 派出单位 / 锻炼单位 / 组织部
opinions in three signed blocks), 导师帮带, 实绩档案, 正面/负面清单, 考核结果 (table and chart),
培养管理 (专业干部库, 政治体检, 谈心谈话, 关爱, 包抓), 鉴定意见 and the signature and seal blocks of the 组织部
and the host unit.

Sections of a capability that is not installed are left out; an installed one with no rows prints 无.
Long texts are Paragraphs (or split table rows) and flow across pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepInFrame, KeepTogether, PageBreak, Spacer, Table, TableStyle

from cadre_desk.appraisal.scoring import score_text
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, format_period
from cadre_desk.domain.fields import (
    ASSESSMENTS,
    BY_KEY,
    MENTOR_PAIR,
    POSTING,
    POSTING_REVIEW,
    RESUME,
    REWARDS,
)
from cadre_desk.domain.periods import period_beside
from cadre_desk.exchange.lrmx_format import profile_assessments_text, rewards_text
from cadre_desk.postings.posting_data import COMPLETED, OPINION_SIDES, Opinion, outcome_text
from reports.pdf import pdf_common as pc
from reports.pdf.dossier_data import DossierData
from reports.pdf.rmb import CONTENT_WIDTH, basic_grid

NUMERALS = "一二三四五六七八九十"
FRAME_HEIGHT = 297 * mm - 20 * mm - 18 * mm
RECORD_DETAIL_KINDS = ("季检查", "年考核")  # printed in full; weekly/monthly ones are counted
CELL_STYLE = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
              ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
              ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
HEAD_ROW = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]


def _department() -> str:
    from cadre_desk.settings import settings

    return settings.department().name


def _lines_except(count: int, seams: set[int]) -> list:
    """CELL_STYLE's grid without the lines below the rows ``seams`` (pieces of one text, read as one): those
    lines are not drawn at all — painted over in white they showed through as grey or black rules on
    screen (anti-aliasing) between the pieces of a long 奖惩情况 or opinion."""
    line = (0.5, colors.black)
    style = [("BOX", (0, 0), (-1, -1), *line), ("LINEAFTER", (0, 0), (-2, -1), *line)]
    drawn = [r for r in range(count - 1) if r not in seams]
    runs: list[list[int]] = []
    for r in drawn:
        if runs and runs[-1][1] == r - 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    return style + [("LINEBELOW", (0, a), (-1, b), *line) for a, b in runs]


def grid_table(rows: list, widths: list[float], header: bool = True, extra: list | None = None,
           seams: set[int] | None = None) -> Table:
    lines = _lines_except(len(rows), seams) if seams else CELL_STYLE[:1]
    style = lines + CELL_STYLE[1:] + (HEAD_ROW if header else []) + (extra or [])
    return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=1 if header else 0,
                 splitByRow=1)


def long_cells(text: object, width: float) -> list:
    """A long text as pieces that each fit on a page (for table cells)."""
    return pc.lines_to_height(text, "cell", width - 8, 15 * mm)


LABEL_MAX_W = 48 * mm  # a label column never wider: a longer label wraps


def _label_width(labels: list[str], at_least: float) -> float:
    """``at_least``, or wider where a label would break (“一对一”指导 / 人, 季检查 2026年第4 / 季度)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    label = pc.styles()["label"]
    padding = 8 + 1  # the cell's 4 pt each side, and a point for rounding
    needed = max((stringWidth(text, label.fontName, label.fontSize) + padding for text in labels), default=0)
    return min(LABEL_MAX_W, max(at_least, needed))


def kv_table(pairs: list[tuple[str, object]], label_w: float = 30 * mm) -> Table:
    """Label / value rows; a long value is cut into several rows so it flows across pages."""
    rows, style, seams = [], [], set()
    label_w = _label_width([label for label, _value in pairs], label_w)
    value_w = CONTENT_WIDTH - label_w
    for label, value in pairs:
        pieces = long_cells(value if value not in (None, "") else "无", value_w)
        first = len(rows)
        for i, piece in enumerate(pieces):
            rows.append([pc.para(label, "label") if i == 0 else "", piece])
        if len(pieces) > 1:
            seams.update(range(first, len(rows) - 1))
            style += pc.seamless_pieces(first, len(rows) - 1, (1, 1))
    return grid_table(rows, [label_w, value_w], header=False, extra=style, seams=seams)


class _Sections:
    def __init__(self) -> None:
        self.count = 0

    def heading(self, title: str) -> list:
        self.count += 1
        number = NUMERALS[self.count - 1] if self.count <= len(NUMERALS) else str(self.count)
        return [CondPageBreak(30 * mm), pc.markup(f"{number}、{pc.escape(title)}", "h1")]


def cover(data: DossierData) -> list:
    today = clock.today()
    rows = [
        [pc.para("姓　　名", "cover_line"), pc.para(data.name, "cover_line")],
        [pc.para("单　　位", "cover_line"), pc.para(data.unit_name, "cover_line")],
        [pc.para("现任职务", "cover_line"), pc.para(data.value("position"), "cover_line")],
        [pc.para("起止时间", "cover_line"), pc.para(data.period(), "cover_line")],
    ]
    lines = Table(rows, colWidths=[32 * mm, 92 * mm], style=TableStyle([
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    content = [
        Spacer(1, 40 * mm),
        pc.markup("干部成长档案", "cover_title"),
        pc.markup("（鉴 定 报 告）", "title"),
        Spacer(1, 40 * mm),
        lines,
        Spacer(1, 50 * mm),
        pc.para(_department(), pc.styles()["cover_line"].clone("dept", alignment=1)),
        pc.para(format_date(today), pc.styles()["cover_line"].clone("date", alignment=1)),
    ]
    # a long 现任职务 or unit name shrinks the cover instead of pushing the department and date onto page 2
    return [KeepInFrame(0, 0, content, mode="shrink", hAlign="CENTER"), PageBreak()]


def resume_table(data: DossierData) -> list:
    lines = [(format_period(item.start, item.end), item.text) for item in data.profile.resume]
    if not lines:
        return [pc.para("无")]
    date_w = 40 * mm
    rows = []
    for dates, text in lines:
        for i, piece in enumerate(long_cells(text, CONTENT_WIDTH - date_w)):
            rows.append([pc.para(dates if i == 0 else "", "cell"), piece])
    return [Table(rows, colWidths=[date_w, CONTENT_WIDTH - date_w], splitByRow=1, style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))]


def postings_section(data: DossierData, lead: Sequence = ()) -> list:
    """Each posting's title and table kept on one page; ``lead`` (the section's title) with the first."""
    if not data.postings:
        return [*lead, pc.para("无")]
    out: list = []
    for i, p in enumerate(data.postings):
        end = p.actual_end or p.planned_end
        title = "　".join(x for x in (p.line_name, p.post_name, p.host) if x)
        label = POSTING.label_of
        review = data.reviews.get(p.id)
        # The posting's title and rows on one page: split by row, its one-line 「“一对一”指导人」 went onto
        # the next page alone when the table ended near a page's bottom. (One taller than a page still flows.)
        out.append(KeepTogether([*(lead if i == 0 else ()), pc.para(title or "一线岗位", "h2"), kv_table([
            (label("state"), p.state),
            ("起止时间", format_period(p.start, end)),
            (label("channel"), p.channel),
            (label("daily_manager"), p.daily_manager),
            (label("guide_name"), p.guide_name),
            *([(label("recall_reason"), p.recall_reason)] if p.recall_reason else []),
            *([(POSTING_REVIEW.label_of("grade"), (review.grade if review else "") or "（尚未评定）")]
              if p.state == COMPLETED else []),
            *([(label("outcome"), outcome_text(p.outcome, review))] if p.outcome else []),
        ])]))
        if p.state == COMPLETED:
            out.append(Spacer(1, 2 * mm))
            out.append(review_blocks(review))
        out.append(Spacer(1, 3 * mm))
    return out


def review_blocks(review, label_w: float = 30 * mm) -> Table:
    """期满鉴定: the 派出单位, 锻炼单位 and 组织部 opinions, each in its own block with its signature line
    (signer and date as recorded, blank to sign by hand where none is) and room for the seal."""
    value_w = CONTENT_WIDTH - label_w
    right = pc.styles()["body"].clone("sign", alignment=2, leading=18)
    rows, seams = [], set()
    opinions = review.opinions() if review is not None else [
        Opinion(side, who, "", "", "") for side, who in OPINION_SIDES]
    blank = "　" * 6
    for opinion in opinions:
        first = len(rows)
        pieces = long_cells(opinion.text, value_w) if opinion.text else [Spacer(1, 16 * mm)]
        for i, piece in enumerate(pieces):
            rows.append([pc.para(POSTING_REVIEW.label_of(f"{opinion.side}_opinion"), "label") if i == 0 else "",
                         piece])
        signer = POSTING_REVIEW.label_of(f"{opinion.side}_signer")
        day = POSTING_REVIEW.label_of(f"{opinion.side}_date")
        rows.append(["", [pc.markup("（盖章）", right),
                          pc.para(f"{signer}：{opinion.signer or blank}　　{day}：{format_date(opinion.date) or blank}",
                                  right)]])
        seams.update(range(first, len(rows) - 1))
    return grid_table(rows, [label_w, value_w], header=False, seams=seams)


def _rating(value) -> str:
    return "" if value is None else f"{value:g}"


def mentoring_section(data: DossierData) -> list:
    if not data.pairs:
        return [pc.para("无")]
    out: list = []
    for pair in data.pairs:
        end = pair.actual_end or pair.planned_end
        logs = data.pair_logs.get(pair.id, [])
        out.append(pc.para(f"导师：{pair.mentor_name}（{pair.state}）", "h2"))
        label = MENTOR_PAIR.label_of

        def rated(rating: str, comment: str, pair=pair) -> str:
            score = _rating(getattr(pair, rating))
            return " ".join(x for x in (score and f"{score}分", getattr(pair, comment) or "") if x)

        out.append(kv_table([
            ("起止时间", format_period(pair.start, end)),
            (label("focus"), pair.focus),
            (label("goals"), pair.goals),
            (label("mentor_comment"), rated("mentor_rating", "mentor_comment")),
            (label("mentee_comment"), rated("mentee_rating", "mentee_comment")),
            *([(label("end_reason"), pair.end_reason)] if pair.end_reason else []),
            ("谈心谈话", f"共 {len(logs)} 次" + (f"，最近一次 {format_date(logs[-1].date)}" if logs else "")),
        ]))
        out.append(Spacer(1, 3 * mm))
    return out


def records_section(data: DossierData) -> list:
    records = data.records or []
    if not records:
        return [pc.para("无")]
    counts: dict[str, int] = {}
    for r in records:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    kinds = ["周小结", "月上报", "季检查", "年考核"] + [k for k in counts if k not in ("周小结", "月上报", "季检查", "年考核")]
    head = [pc.para(k, "label") for k in kinds] + [pc.para("合计", "label")]
    values = [pc.para(str(counts.get(k, 0)), "cell_c") for k in kinds] + [pc.para(str(len(records)), "cell_c")]
    width = CONTENT_WIDTH / len(head)
    out: list = [grid_table([head, values], [width] * len(head))]
    detail = [r for r in records if r.kind in RECORD_DETAIL_KINDS]
    if detail:
        out.append(Spacer(1, 3 * mm))
        out.append(kv_table([(f"{r.kind} {r.period_label}", r.content + (f"\n审核意见：{r.reviewer_comment}"
                                                                   if r.reviewer_comment else ""))
                              for r in detail], label_w=34 * mm))
    return out


def behaviour_section(data: DossierData) -> list:
    entries = data.behaviour or []
    if not entries:
        return [pc.para("无")]
    out: list = []
    for polarity in ("正面", "负面"):
        items = [e for e in entries if e.polarity == polarity]
        out.append(pc.para(f"{polarity}清单（{len(items)} 项）", "h2"))
        if not items:
            out.append(pc.para("无"))
            continue
        widths = [22 * mm, 38 * mm, 28 * mm, CONTENT_WIDTH - 106 * mm, 18 * mm]
        rows = [[pc.para(h, "label") for h in ("日期", "事项", "来源", "具体表现", "记录人")]]
        for e in items:
            pieces = long_cells(e.description, widths[3])
            for i, piece in enumerate(pieces):
                if i == 0:
                    rows.append([pc.para(format_date(e.date), "cell_c"), pc.para(e.item, "cell"),
                                 pc.para(e.source, "cell"), piece, pc.para(e.recorder, "cell_c")])
                else:
                    rows.append(["", "", "", piece, ""])
        out.append(grid_table(rows, widths))
    return out


def score_chart(result) -> Drawing:
    names = list(result.dimension_scores)
    values = [float(result.dimension_scores[n] or 0) for n in names]
    drawing = Drawing(CONTENT_WIDTH, 62 * mm)
    drawing.initialFontName = pc.BODY_FONT  # else the drawing starts in Helvetica, which is never embedded
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 14 * mm
    chart.width, chart.height = CONTENT_WIDTH - 24 * mm, 42 * mm
    chart.data = [values]
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(100.0, max(values, default=0))
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 5
    chart.valueAxis.labels.fontName = pc.BODY_FONT
    chart.valueAxis.labels.fontSize = 8
    chart.categoryAxis.categoryNames = [n if len(n) <= 8 else n[:7] + "…" for n in names]
    chart.categoryAxis.labels.fontName = pc.BODY_FONT
    chart.categoryAxis.labels.fontSize = 8 if len(names) <= 8 else 6.5
    chart.bars[0].fillColor = colors.HexColor("#8B1A1A")
    chart.barLabelFormat = score_text
    chart.barLabels.fontName = pc.BODY_FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.nudge = 5
    drawing.add(chart)
    drawing.add(String(CONTENT_WIDTH / 2, 58 * mm, f"{result.sheet_title} 各维度得分", fontName=pc.HEAD_FONT,
                       fontSize=9.5, textAnchor="middle"))
    return drawing


def appraisal_section(data: DossierData, lead: Sequence = ()) -> list:
    """Each sheet's heading, scores and chart. ``lead`` (the section's heading) is kept on the page of the
    first sheet's heading and scores: those going over to the next page together left it alone at the foot
    (one KeepTogether: reportlab's KeepTogether inside another always breaks the page)."""
    results = data.appraisals or []
    if not results:
        return [*lead, pc.para("无")]
    out: list = []
    for i, r in enumerate(results):
        state = "" if r.finalized else "（未定稿）"
        period = period_beside(r.sheet_title, r.period)  # not twice
        heading = pc.para("　".join(t for t in (r.sheet_title, period, f"{r.scheme_name}{state}") if t), "h2")
        dims = list((r.dimension_scores or {}).items())
        rows = [[pc.para("考核维度", "label"), pc.para("得分", "label")]]
        rows += [[pc.para(name, "cell"), pc.para(score_text(score), "cell_c")] for name, score in dims]
        rows.append([pc.para("总分", "label"), pc.para(score_text(r.total), "cell_c")])
        rows.append([pc.para("等次", "label"), pc.para(r.grade or "", "cell_c")])
        table = grid_table(rows, [CONTENT_WIDTH - 40 * mm, 40 * mm])
        # a sheet's heading and its few scores on one page: at a page's foot they left the heading and one
        # dimension there, the others, 总分 and 等次 on the next
        out.append(KeepTogether([*(lead if i == 0 else ()), heading, table]))
        if dims:
            out.append(Spacer(1, 2 * mm))
            out.append(KeepTogether([score_chart(r)]))
        if r.comment:
            out.append(kv_table([("考核评语", r.comment)]))
        out.append(Spacer(1, 3 * mm))
    return out


def practices_section(data: DossierData) -> list:
    """专业干部库, 政治体检, 谈心谈话, 关爱 and 包抓, as the 画像 says them (never the 干部监督 records)."""
    from cadre_desk.portrait.portrait import daily_section, pools_section

    pools = pools_section(data.practices.pools)
    lines = [(pools.title, "；".join(f"{label}：{text}" if label else text for label, text in pools.lines))]
    lines += daily_section(data.practices).lines
    return [kv_table(lines, label_w=26 * mm)]


def opinion_text(data: DossierData) -> str:
    """The dossier's closing opinion: the latest finalized appraisal's comment, else the 组织部意见 of the
    latest 期满鉴定 (postings come newest first)."""
    finals = [r for r in data.appraisals or [] if r.finalized and r.comment]
    if finals:
        return finals[-1].comment
    for p in data.postings or []:
        review = data.reviews.get(p.id)
        if review is not None and review.org_opinion:
            return review.org_opinion
    return ""


def signature_blocks() -> Table:
    def block(title: str) -> list:
        return [pc.para(title, "h2"), Spacer(1, 10 * mm), pc.para("负责人（签字）：", "body"), Spacer(1, 6 * mm),
                pc.markup("（盖章）", pc.styles()["body"].clone("r", alignment=2)),
                pc.markup("年　　月　　日", pc.styles()["body"].clone("r2", alignment=2))]

    table = Table([[block("组织部门意见"), block("派驻（接收）单位意见")]],
                  colWidths=[CONTENT_WIDTH / 2] * 2,
                  style=TableStyle(CELL_STYLE + [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                 ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                                 ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
    return table


def dossier_story(data: DossierData) -> list:
    """The whole dossier of one cadre; starts a page-numbering section of its own."""
    sec = _Sections()
    story: list = [pc.SectionStart(), *cover(data)]
    story += sec.heading("基本信息")
    story.append(basic_grid(data))
    story.append(Spacer(1, 2 * mm))
    story.append(kv_table([(REWARDS.title, rewards_text(data.profile.rewards)),
                            (ASSESSMENTS.title, profile_assessments_text(data.profile))]
                           + [(BY_KEY[key].label, data.value(key)) for key in ("specialty", "personality", "weaknesses")],
                           label_w=26 * mm))
    story += sec.heading(RESUME.title)
    story += resume_table(data)
    *room, title = sec.heading("一线经历")
    story += [*room, *postings_section(data, lead=[title])]
    story += sec.heading("导师帮带")
    story += mentoring_section(data)
    story += sec.heading("实绩档案")
    story += records_section(data)
    story += sec.heading("正面/负面清单")
    story += behaviour_section(data)
    *room, title = sec.heading("考核结果")
    story += [*room, *appraisal_section(data, lead=[title])]
    story += sec.heading("培养管理")
    story += practices_section(data)
    *room, title = sec.heading("鉴定意见")
    story += [*room, *closing_section(data, title)]
    return story


def closing_section(data: DossierData, title) -> list:
    """鉴定意见 (the opinion, or a box to write it in) and the signature blocks, kept on one page with
    their heading: a heading with room for itself alone stood at a page's foot, its box and the
    signatures on the next page. A longer opinion runs on as a paragraph does."""
    opinion = opinion_text(data)
    if opinion:
        body = pc.para(opinion, "indent")
    else:
        body = Table([[""]], colWidths=[CONTENT_WIDTH], rowHeights=[30 * mm],
                     style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
    return [KeepTogether([title, body, Spacer(1, 4 * mm), signature_blocks()])]
