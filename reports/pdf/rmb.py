"""干部任免审批表 as PDF in the official two-page A4 layout (the 中组部 form clerks know).

Page 1: the personal data grid with the photo, education, current/proposed posts and the 简历
(dates in their own aligned column). Page 2: 奖惩情况, 年度考核结果, 任免理由, the family table,
呈报单位, the two approval blocks and 填表人.
"""

from __future__ import annotations

import io
import logging

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Spacer, Table, TableStyle

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import FAMILY, shown_form_party
from cadre_desk.exchange.lrmx_format import profile_assessments_text, rewards_text
from reports.pdf import pdf_common as pc
from reports.pdf.dossier_data import DossierData, age_basis, birth_with_age, family_age, record_value

log = logging.getLogger(__name__)

CONTENT_WIDTH = 172 * mm
FRAME_HEIGHT = 297 * mm - 20 * mm - 18 * mm
# page 1 grid: label, value, label, value, label, value, photo
P1_COLS = [20 * mm, 26 * mm, 21 * mm, 27 * mm, 24 * mm, 22 * mm, 32 * mm]
# page 2 grid: label, 称谓, 姓名, 年龄, 政治面貌, 工作单位及职务
P2_COLS = [20 * mm, 16 * mm, 22 * mm, 12 * mm, 24 * mm, 78 * mm]
LINE = 0.8
REPORTING_WIDTH = sum(P2_COLS[1:]) - 6  # the 呈报单位 box (its row spanned) inside the cell padding
GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("BOX", (0, 0), (-1, -1), LINE, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]


def _label(text: str):
    return pc.markup(pc.escape(text).replace("\n", "<br/>"), "label")


def _value(text: object, center: bool = True):
    return pc.para(text, "cell_c" if center else "cell")


def photo_flowable(photo: bytes | None, width: float, height: float, owner: str = ""):
    if not photo:
        return ""
    from reportlab.lib.utils import ImageReader

    try:
        reader = ImageReader(io.BytesIO(photo))
        iw, ih = reader.getSize()
    except Exception as exc:  # noqa: BLE001 - Pillow's many error types for a damaged image: said, not hidden
        log.warning("photo cannot be read: %s", exc)
        raise CadreDeskError(f"{owner}的照片已损坏或格式不受支持，无法打印任免审批表；"
                             "请在干部信息中重新选择照片后再打印。") from exc
    scale = min(width / iw, height / ih)
    return Image(io.BytesIO(photo), iw * scale, ih * scale)


def education(data: DossierData, prefix: str) -> tuple[str, str]:
    level = data.value(f"{prefix}_education")
    degree = data.value(f"{prefix}_degree")
    school = data.value(f"{prefix}_school")
    degree_school = data.value(f"{prefix}_degree_school")
    schools = school if not degree_school or degree_school == school else f"{school}\n{degree_school}"
    return "\n".join(x for x in (level, degree) if x), schools


def resume_lines(data: DossierData) -> list[tuple[str, str]]:
    out = []
    for item in data.profile.resume:
        start = format_date(item.start)
        end = format_date(item.end)
        dates = f"{start}--{end}" if end else (f"{start}--" if start else "")
        out.append((dates, item.text or ""))
    return out


def basic_grid(data: DossierData) -> Table:
    """The personal data grid of the form's first page (also the dossier's 基本信息)."""
    v = data.value
    ft_edu, ft_school = education(data, "ft")
    pt_edu, pt_school = education(data, "pt")
    party = shown_form_party(data.profile.values)  # 民建 from 政治面貌 when empty
    rows = [
        [_label("姓  名"), _value(v("name")), _label("性  别"), _value(v("gender")),
         _label("出生年月\n（  岁）"), _value(birth_with_age(data.profile)), ""],
        [_label("民  族"), _value(v("ethnicity")), _label("籍  贯"), _value(v("native_place")),
         _label("出 生 地"), _value(v("birthplace")), ""],
        [_label("入  党\n时  间"), _value(party), _label("参加工\n作时间"), _value(v("work_start")),
         _label("健康状况"), _value(v("health")), ""],
        [_label("专业技\n术职务"), _value(v("tech_title")), "", _label("熟悉专业\n有何专长"),
         _value(v("expertise")), "", ""],
        [_label("学  历\n学  位"), _label("全日制\n教  育"), _value(ft_edu), "", _label("毕业院校\n系及专业"),
         _value(ft_school, center=False), ""],
        ["", _label("在  职\n教  育"), _value(pt_edu), "", _label("毕业院校\n系及专业"),
         _value(pt_school, center=False), ""],
        [_label("现任职务"), _value(v("position"), center=False)] + [""] * 5,
        [_label("拟任职务"), _value(v("proposed_position"), center=False)] + [""] * 5,
        [_label("拟免职务"), _value(v("proposed_removal"), center=False)] + [""] * 5,
    ]
    rows[0][6] = photo_flowable(data.profile.photo, P1_COLS[6] - 4 * mm, 4 * 13 * mm - 4 * mm, data.name)
    heights = [13 * mm, 13 * mm, 13 * mm, 13 * mm, 13 * mm, 13 * mm, 12 * mm, 12 * mm, 12 * mm]
    style = GRID + [
        ("SPAN", (6, 0), (6, 3)),
        ("SPAN", (1, 3), (2, 3)), ("SPAN", (4, 3), (5, 3)),
        ("SPAN", (0, 4), (0, 5)), ("SPAN", (2, 4), (3, 4)), ("SPAN", (2, 5), (3, 5)),
        ("SPAN", (5, 4), (6, 4)), ("SPAN", (5, 5), (6, 5)),
        ("SPAN", (1, 6), (6, 6)), ("SPAN", (1, 7), (6, 7)), ("SPAN", (1, 8), (6, 8)),
        ("ALIGN", (6, 0), (6, 3), "CENTER"),
    ]
    return _grid(rows, P1_COLS, style, heights)


def page_one(data: DossierData) -> list:
    top = basic_grid(data)
    title = pc.markup("干部任免审批表", "title")
    story = [title, Spacer(1, 4 * mm), top]
    used = _height(title) + 4 * mm + _height(top)
    story += resume_block(data, FRAME_HEIGHT - used - 1)
    return story


def _height(flowable) -> float:
    return flowable.wrap(CONTENT_WIDTH, FRAME_HEIGHT)[1]


def _grid(rows: list, cols: list, style: list, minimums: list[float], **kwargs) -> Table:
    """Rows get at least their form height but grow with their text."""
    return Table(rows, colWidths=cols, minRowHeights=minimums, style=TableStyle(style), **kwargs)


# text a little too long for its box is first set smaller, as the official 任免表 editor does
SHRINK_SIZES = (10, 9.5, 9, 8.5, 8)


def cell_style(size: float, base: str = "cell") -> ParagraphStyle | str:
    """The cell text at ``size`` points, leading scaled with it (the normal style at 10pt)."""
    if size >= SHRINK_SIZES[0]:
        return base
    return ParagraphStyle(f"{base}{size}", parent=pc.styles()[base], fontSize=size, leading=size * 1.3)


def one_line_size(text: str, width: float, base: str = "cell") -> float:
    """The largest of SHRINK_SIZES at which ``text`` fits on one line ``width`` points wide; the
    smallest (the floor: the text then wraps) when none does."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = pc.styles()[base].fontName
    return next((size for size in SHRINK_SIZES if stringWidth(text, font, size) <= width), SHRINK_SIZES[-1])


def _resume_body(data: DossierData, style, text_w: float) -> list:
    body = []
    for dates, text in resume_lines(data) or [("", "")]:
        for i, piece in enumerate(pc.split_to_height(pc.para(text, style), text_w - 6, FRAME_HEIGHT / 3, text)):
            body.append(["", pc.para(dates if i == 0 else "", style), piece])
    return body


def resume_block(data: DossierData, available: float) -> list:
    """The 简历 cell: a date column and a text column, filling page 1 to its bottom line. A text a
    little too long is set smaller (down to 8pt); a longer one continues under 「简历（续）」."""
    date_w, label_w = 38 * mm, P1_COLS[0]
    text_w = CONTENT_WIDTH - label_w - date_w
    table_style = [("BOX", (0, 0), (-1, -1), LINE, colors.black),
                   ("LINEAFTER", (0, 0), (0, -1), 0.5, colors.black),
                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                   ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                   ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                   ("TOPPADDING", (0, 0), (-1, 0), 6),
                   ("FONTSIZE", (0, 0), (-1, -1), 1), ("LEADING", (0, 0), (-1, -1), 1)]  # empty cells: no height
    cols = [label_w, date_w, text_w]
    for size in SHRINK_SIZES:
        body = _resume_body(data, cell_style(size), text_w)
        probe = Table(body, colWidths=cols, style=TableStyle(table_style))
        natural = probe.wrap(CONTENT_WIDTH, FRAME_HEIGHT * 100)[1]
        if natural <= available:
            break
    if natural <= available:
        body.append(["", "", ""])  # filler down to the page's bottom line
        body[0][0] = pc.vertical_label("简历", "label")
        heights = [None] * (len(body) - 1) + [available - natural]
        table = Table(body, colWidths=cols, rowHeights=heights,
                      style=TableStyle(table_style + [("SPAN", (0, 0), (0, -1)),
                                                      ("VALIGN", (0, 0), (0, -1), "MIDDLE")]))
        return [table]
    # longer than the page even at the smallest size: the normal size again, the rows that fit
    # fill page 1, the rest continue under a 「简历（续）」 heading repeated on every later page
    body = _resume_body(data, "cell", text_w)
    probe = Table(body, colWidths=cols, style=TableStyle(table_style))
    probe.wrap(CONTENT_WIDTH, FRAME_HEIGHT * 100)
    used, fit = 0.0, 0
    for h in probe._rowHeights:
        if used + h > available:
            break
        used, fit = used + h, fit + 1
    fit = max(fit, 1)
    first = [list(r) for r in body[:fit]] + [["", "", ""]]
    first[0][0] = pc.vertical_label("简历", "label")
    head = Table(first, colWidths=cols, rowHeights=[None] * fit + [max(0, available - used)],
                 style=TableStyle(table_style + [("SPAN", (0, 0), (0, -1)),
                                                 ("VALIGN", (0, 0), (0, -1), "MIDDLE")]))
    rest = [[_label("简历（续）"), "", ""]] + [list(r) for r in body[fit:]]
    tail = Table(rest, colWidths=cols, repeatRows=1, splitByRow=1,
                 style=TableStyle(table_style + [("SPAN", (0, 0), (-1, 0)), ("LINEBELOW", (0, 0), (-1, 0), 0.5,
                                                                           colors.black)]))
    return [head, PageBreak(), tail]


def page_two(data: DossierData) -> list:
    """Page 2; long 奖惩/考核/理由 text is first set smaller (to 8pt) so the form keeps its page."""
    for size in SHRINK_SIZES:
        story, spare = _page_two(data, size)
        if spare >= 0:
            return story
    # longer than its page even at 8pt: the normal size, the boxes cut into rows of an item each so page 2
    # is filled before a box continues on the next page under its 「（续）」 label
    return _page_two(data, SHRINK_SIZES[0], by_line=True)[0]


class _PageTwoRows(Flowable):
    """Page 2's grid that can break between any two rows: between pieces of a long 奖惩/考核/理由
    box and between family members too (a whole table cannot split inside the family label's span,
    so each part is a table of its own). A continued box is labelled 「…（续）」; a continued family
    part repeats the 称谓/姓名/… header. 呈报单位, the approval boxes and 填表人 (``closing``, drawn
    under the part holding the last row) stay together on one page, and no page begins with a
    「（续）」 label over nothing but blank rows."""

    def __init__(self, form: _FormRows, indices: list[int], continued: frozenset = frozenset(),
                 closing: Flowable | None = None):
        super().__init__()
        self.form, self.indices, self.continued, self.closing = form, indices, continued, closing
        self._table = form.table(indices, continued)
        self._gap = 3 * mm

    def _closing(self):
        return self.closing if self.indices and self.indices[-1] == len(self.form.rows) - 1 else None

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self._table.wrap(avail_width, avail_height)
        closing = self._closing()
        if closing is not None:
            self._closing_height = closing.wrap(avail_width, avail_height)[1]
            self.height += self._gap + self._closing_height
        return self.width, self.height

    def drawOn(self, canvas, x, y, _sW=0):
        closing = self._closing()
        below = 0.0
        if closing is not None:
            closing.drawOn(canvas, x, y)
            below = self._gap + self._closing_height
        self._table.drawOn(canvas, x, y + below, _sW)

    def _break_allowed(self, k: int, strict: int) -> bool:
        form, idx = self.form, self.indices
        if idx[k - 1] == form.family_header:
            return False  # the header never stays behind alone
        if strict >= 1 and idx[k] in form.keep_with_previous:
            return False  # 呈报单位 and the approval boxes on one page
        if strict >= 2 and form.group_of(idx[k]) is not None and form.blank(idx[k]):
            return False  # a continued label over an empty row: nothing carried over
        return True

    def split(self, avail_width, avail_height):
        form, idx = self.form, self.indices
        for strict in (2, 1, 0):
            for k in range(len(idx) - 1, 0, -1):
                if not self._break_allowed(k, strict):
                    continue
                if form.table(idx[:k], self.continued).wrap(avail_width, avail_height)[1] <= avail_height:
                    break
            else:
                if self.wrap(avail_width, FRAME_HEIGHT)[1] <= FRAME_HEIGHT:
                    return []  # no good break here: the whole part goes to the next page
                continue  # taller than a page: a less good break it has to be
            break
        else:
            return []
        group = form.group_of(idx[k])
        rest, continued = idx[k:], set(self.continued)
        if group is not None and idx[k] != group.start:
            continued.add(group.start)
            if group.kind == "family":
                rest = [group.start, *rest]
        return [_PageTwoRows(form, idx[:k], self.continued, self.closing),
                _PageTwoRows(form, rest, frozenset(continued), self.closing)]


class _Group:
    def __init__(self, kind: str, start: int, end: int, label: str):
        self.kind, self.start, self.end, self.label = kind, start, end, label


class _FormRows:
    """Page 2's rows, each with its own style commands (row 0 meaning that row) and the labelled
    groups they belong to; ``table`` assembles any run of them."""

    def __init__(self):
        self.rows: list[list] = []
        self.mins: list[float] = []
        self.row_style: list[list[tuple]] = []
        self.groups: list[_Group] = []
        self.family_header = -1
        self.keep_with_previous: set[int] = set()

    def add(self, cells: list, minimum: float, style: list[tuple] = ()) -> int:
        self.rows.append(cells)
        self.mins.append(minimum)
        self.row_style.append(list(style))
        return len(self.rows) - 1

    def blank(self, row: int) -> bool:
        """No text in the row's cells (a padding family row, an empty line of a box)."""
        cells = self.rows[row][1:]
        return all(not (c.getPlainText() if hasattr(c, "getPlainText") else str(c)).strip() for c in cells)

    def group_of(self, row: int) -> _Group | None:
        return next((g for g in self.groups if g.start <= row < g.end), None)

    @staticmethod
    def _family_label(text: str, height: float):
        """Written top to bottom as on the form; a part too short for that (a few members on
        either side of a page break) gets it across in four lines instead of growing its rows."""
        tall = pc.vertical_label(text)
        if tall.wrap(P2_COLS[0] - 6, FRAME_HEIGHT)[1] + 4 <= height:
            return tall
        return _label("\n".join(text[i:i + 4] for i in range(0, 12, 4)) + "\n" + text[12:])

    def table(self, indices: list[int], continued: frozenset = frozenset(), **kwargs) -> Table:
        rows = [list(self.rows[i]) for i in indices]
        style = list(GRID)
        for n, i in enumerate(indices):
            style += [(cmd, (a[0], a[1] + n), (b[0], b[1] + n), *rest) for cmd, a, b, *rest in self.row_style[i]]
        for group in self.groups:
            at = [n for n, i in enumerate(indices) if group.start <= i < group.end]
            if not at:
                continue
            more = group.start in continued or indices[at[0]] != group.start
            if group.kind == "family":
                rows[at[0]][0] = self._family_label(group.label + ("（续）" if more else ""),
                                                    sum(self.mins[indices[n]] for n in at))
                style.append(("SPAN", (0, at[0]), (0, at[-1])))
            else:
                rows[at[0]][0] = _label(group.label + ("\n（续）" if more else ""))
                # pieces of one box read as one text: no line and no padding between them, one label
                if len(at) > 1:
                    style.append(("SPAN", (0, at[0]), (0, at[-1])))
                style += [("LINEBELOW", (1, n), (-1, n), 0.5, colors.white) for n in at[:-1]]
                style += [("BOTTOMPADDING", (1, n), (-1, n), 0) for n in at[:-1]]
                style += [("TOPPADDING", (1, n), (-1, n), 0) for n in at[1:]]
        return _grid(rows, P2_COLS, style, [self.mins[i] for i in indices], **kwargs)


def _page_two(data: DossierData, size: float, by_line: bool = False) -> tuple[list, float]:
    basis = age_basis(data.profile)
    form = _FormRows()

    def long_row(label: str, text: str, min_height: float) -> int:
        width = sum(P2_COLS[1:]) - 6
        fits = pc.para(text, "cell").wrap(width, FRAME_HEIGHT * 100)[1] + 4 <= min_height
        style = "cell" if fits else cell_style(size)
        if by_line:  # a row per item (a long one cut to a tenth of the page): page 2 filled to its end
            pieces = [piece for line in text.split("\n")
                      for piece in pc.split_to_height(pc.para(line, style), width, FRAME_HEIGHT * 0.1, line)]
        else:
            pieces = pc.split_to_height(pc.para(text, style), width, FRAME_HEIGHT * 0.6, text)
        first = len(form.rows)
        for piece in pieces:
            form.add(["", piece, "", "", "", ""], 0, [("SPAN", (1, 0), (-1, 0)), ("VALIGN", (1, 0), (-1, 0), "TOP")])
        form.mins[first] = min_height if len(pieces) == 1 else 0
        form.groups.append(_Group("long", first, len(form.rows), label))
        return first

    long_row("奖惩\n情况", rewards_text(data.profile.rewards), 36 * mm)
    long_row("年度考\n核结果", profile_assessments_text(data.profile) or "无", 18 * mm)
    reason_row = long_row("任免\n理由", data.value("appointment_reason") or "", 28 * mm)

    form.family_header = form.add(["", _label("称 谓"), _label("姓  名"), _label("年龄"), _label("政治\n面貌"),
                                   _label("工 作 单 位 及 职 务")], 10 * mm)
    def member_row(member, member_size: float) -> list:
        texts = (record_value(FAMILY, member, "relation"), member.name, family_age(member, basis),
                 record_value(FAMILY, member, "political"), member.work)
        return [""] + [pc.para(text, cell_style(member_size, "cell" if n == 4 else "cell_c"))
                       for n, text in enumerate(texts)]

    def row_fits(cells: list, height: float) -> bool:
        return all(cell.wrap(w - 6, FRAME_HEIGHT)[1] + 4 <= height for cell, w in zip(cells[1:], P2_COLS[1:], strict=True))

    members = list(data.profile.family)
    for member in members + [None] * max(0, 7 - len(members)):
        if member is None:
            form.add(["", "", "", "", "", ""], 8 * mm)
        else:  # a 工作单位及职务 too long for its line is set smaller like the boxes above
            cells = member_row(member, SHRINK_SIZES[0])
            form.add(cells if row_fits(cells, 8 * mm) else member_row(member, size), 8 * mm)
    form.groups.append(_Group("family", form.family_header, len(form.rows), "家庭主要成员及重要社会关系"))

    # a long 呈报单位 (「…组织部（区公务员局、区机构编制委员会办公室）」) set smaller to keep one line, at the
    # floor wrapped; the 盖章 lines keep the form's size
    unit = data.value("reporting_unit")
    unit_size = one_line_size(unit, REPORTING_WIDTH, "cell_c")
    reporting = [pc.para(unit, cell_style(unit_size, "cell_c")),
                 pc.markup("<br/><br/>（盖章）<br/>年　　月　　日", "cell_c")]
    form.add([_label("呈报\n单位"), reporting, "", "", "", ""], 28 * mm,
             [("SPAN", (1, 0), (-1, 0)), ("ALIGN", (1, 0), (-1, 0), "CENTER")])
    stamp = pc.markup("<br/><br/><br/>（盖章）<br/>年　　月　　日", "cell_c")
    approve_row = form.add([_label("审批机\n关意见"), stamp, "", "", _label("行政机\n关任免\n意见"),
                            pc.markup("<br/><br/><br/>（盖章）<br/>年　　月　　日", "cell_c")], 36 * mm,
                           [("SPAN", (1, 0), (3, 0)), ("ALIGN", (1, 0), (-1, 0), "CENTER")])
    form.keep_with_previous.add(approve_row)

    filler = pc.markup(f"填表人：{pc.escape(data.value('filler'))}", "body")
    everything = list(range(len(form.rows)))
    probe = form.table(everything)
    spare = FRAME_HEIGHT - _height(probe) - 3 * mm - _height(filler) - 2
    if spare > 0:  # stretch the writing spaces so the form fills the page like the printed one
        for row, share in ((0, 0.35), (reason_row, 0.25), (approve_row, 0.4)):
            if form.mins[row]:
                form.mins[row] = probe._rowHeights[row] + spare * share
    return [_PageTwoRows(form, everything, closing=filler)], spare


def rmb_story(data: DossierData) -> list:
    """The form for one cadre; starts a numbering section of its own."""
    return [pc.SectionStart(), *page_one(data), PageBreak(), *page_two(data)]


def rmb_fields(data: DossierData) -> list[tuple[str, object]]:
    from reports.pdf.dossier_data import text_fields

    return text_fields(data)
