"""导师帮带 printed: a 「导师帮带情况表」 per pair — the 导师 and the 帮带对象 (姓名, 单位, 职务), 结对时间 and
帮带期限, 帮带方向 and 帮带目标, the 谈话记录 with their dates and content, and the 考评/结业 where recorded —
on one A4 page (shrunk to it down to pc.MIN_SCALE, else running on); and the 「导师帮带结对名单」 of a set
of pairs as one table. The working documents' frame; one audit PRINT row per pair's mentee (the sheets) or
one for the list. Data from the scoped services: mentoring.printable_pairs, meeting_logs.logs_of_pairs,
the cadres' 职务 through access.reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cadre_desk.access import reads
from cadre_desk.domain.dates import PERIOD_DASH, format_date, format_period
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import MEETING_LOG, MENTOR_PAIR
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.mentoring import meeting_logs, mentoring
from cadre_desk.mentoring.mentoring import ACTIVE, COMPLETED, TERMINATED, MeetingLogInfo, PairInfo
from cadre_desk.security import audit
from cadre_desk.settings import settings
from cadre_desk.units import units
from reports.pdf import batch
from reports.pdf import pdf_common as pc
from reports.pdf.dossier import grid_table, kv_table, long_cells
from reports.pdf.rmb import CONTENT_WIDTH, FRAME_HEIGHT

TITLE = batch.KIND_TITLES[batch.MENTORING]  # 导师帮带情况表
LIST_TITLE = batch.KIND_TITLES[batch.PAIR_LIST]  # 导师帮带结对名单
label = MENTOR_PAIR.label_of
TERM = "帮带期限"
SIDES_COLS = [24 * mm, (CONTENT_WIDTH - 24 * mm) / 2, (CONTENT_WIDTH - 24 * mm) / 2]
LOG_COLS = [10 * mm, 22 * mm, 18 * mm, CONTENT_WIDTH - 75 * mm, 25 * mm]  # 记录人: 组织部干部科 on one line
# the list: 序号, 导师, 导师单位, 帮带对象, 帮带对象单位, 帮带方向, 帮带期限, 状态, 谈话次数 (adds up to 172)
LIST_COLS_MM = (10, 15, 23, 18, 23, 22, 33, 14, 14)
FACT_LABEL_W = 36 * mm  # 帮带对象评分及评语 on one line; the facts' and the evaluation's tables alike


@dataclass
class PairSheet:
    """One pair as its sheet prints it: the pair, each side's 全称 of unit and 职务 ("" for a side of another
    unit, which the operator may not read), the linked posting's "line·post", the 谈话记录 oldest first."""

    pair: PairInfo
    mentor_unit: str = ""
    mentor_post: str = ""
    mentee_unit: str = ""
    mentee_post: str = ""
    posting: str = ""
    logs: list[MeetingLogInfo] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.pair.mentor_name}→{self.pair.mentee_name}"


def gather(pair_ids: Sequence[int]) -> list[PairSheet]:
    """The sheets of ``pair_ids`` in that order; PermissionDenied unless each mentee's record may be printed."""
    pairs = mentoring.printable_pairs(pair_ids)
    briefs = reads.cadre_briefs([i for p in pairs for i in (p.mentor_id, p.mentee_id)])  # the other unit's: none
    names = units.full_names()  # a page has no tree beside it: 县委办 of which county?
    logs = meeting_logs.logs_of_pairs([p.id for p in pairs])
    places = mentoring.posting_labels() if any(p.posting_id for p in pairs) else {}

    def side(cadre_id: int, unit_id: int | None, unit_name: str) -> tuple[str, str]:
        brief = briefs.get(cadre_id)
        if brief is None or unit_id is None:
            return "", ""
        return names.get(unit_id, unit_name), brief.position

    return [PairSheet(p, *side(p.mentor_id, p.mentor_unit_id, p.mentor_unit_name),
                      *side(p.mentee_id, p.mentee_unit_id, p.mentee_unit_name),
                      places.get(p.posting_id, "") if p.posting_id else "", logs.get(p.id, [])) for p in pairs]


def _texts(sheets: Sequence[PairSheet]) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for s in sheets:
        p = s.pair
        out += [(f"{s.label} · 结对", f"{p.mentor_name}{p.mentee_name}{s.mentor_unit}{s.mentee_unit}{s.mentor_post}"
                 f"{s.mentee_post}{p.focus}{s.posting}"),
                (f"{s.label} · {label('goals')}", p.goals),
                (f"{s.label} · 考评", f"{p.mentor_comment}{p.mentee_comment}{p.end_reason}")]
        out += [(f"{s.label} · {MEETING_LOG.title} {format_date(log.date)}",
                 f"{log.form}{log.content}{log.next_steps}{log.recorder}") for log in s.logs]
    return out


def missing_glyphs(sheets: Sequence[PairSheet]) -> list[pc.MissingGlyph]:
    return pc.missing_glyphs(_texts(sheets))


def term_text(pair: PairInfo, between: str = "") -> str:
    """帮带期限: 2025.03.01—2026.02.28, and how it ended when it did (提前结业 / 终止 on its day); ``between``
    "\n" puts the end and how it ended on lines of their own (a narrow column: never 2026.05.01—2 / 027.04.11)."""
    text = format_period(pair.start, pair.planned_end).replace(PERIOD_DASH, between + PERIOD_DASH)
    if pair.state == COMPLETED and pair.actual_end:
        text += f"{between}（{format_date(pair.actual_end)}结业）"
    elif pair.state == TERMINATED and pair.actual_end:
        text += f"{between}（{format_date(pair.actual_end)}终止）"
    return text


def _rated(rating: float | None, comment: str) -> str:
    score = "" if rating is None else f"{rating:g} 分"
    return "；".join(x for x in (score, comment or "") if x)


def evaluation_rows(pair: PairInfo) -> list[tuple[str, object]]:
    """考评及结业 as recorded: the state, both ratings with their comments, the 终止原因; a pair in progress
    with none recorded yet says so."""
    rows: list[tuple[str, object]] = [(label("state"), pair.state)]
    if pair.state == ACTIVE and not pair.evaluated:
        return [*rows, ("考评结果", "帮带进行中，尚未结业考评")]
    if pair.actual_end:
        rows.append((label("actual_end"), format_date(pair.actual_end)))
    if pair.state == TERMINATED:
        rows.append((label("end_reason"), pair.end_reason))
    if pair.evaluated or pair.state == COMPLETED:
        rows += [(f"{label('mentor_rating')}及评语", _rated(pair.mentor_rating, pair.mentor_comment) or "（未评）"),
                 (f"{label('mentee_rating')}及评语", _rated(pair.mentee_rating, pair.mentee_comment) or "（未评）")]
    return rows


def _sides(sheet: PairSheet):
    p = sheet.pair
    rows = [["", pc.para(label("mentor_name"), "label"), pc.para(label("mentee_name"), "label")],
            [pc.para("姓名", "label"), pc.para(p.mentor_name, "cell_c"), pc.para(p.mentee_name, "cell_c")],
            [pc.para("单位", "label"), pc.para(sheet.mentor_unit or "—", "cell"), pc.para(sheet.mentee_unit or "—", "cell")],
            [pc.para("职务", "label"), pc.para(sheet.mentor_post or "—", "cell"), pc.para(sheet.mentee_post or "—", "cell")]]
    return grid_table(rows, SIDES_COLS)


def _logs(logs: Sequence[MeetingLogInfo]):
    """The 谈话记录: 序号, 日期, 形式, 内容 (and 下一步安排), 记录人; a long content in pieces that flow."""
    head = [pc.para(t, "label") for t in ("序号", MEETING_LOG.label_of("date"), MEETING_LOG.label_of("form"),
                                          MEETING_LOG.label_of("content"), MEETING_LOG.label_of("recorder"))]
    rows, seams, style = [head], set(), []
    for n, log in enumerate(logs, 1):
        text = log.content + (f"\n{MEETING_LOG.label_of('next_steps')}：{log.next_steps}" if log.next_steps else "")
        first = len(rows)
        for i, piece in enumerate(long_cells(text, LOG_COLS[3])):
            rows.append([pc.para(n, "cell_c"), pc.para(format_date(log.date), "cell_c"), pc.para(log.form, "cell_c"),
                         piece, pc.para(log.recorder, "cell_c")] if i == 0 else ["", "", "", piece, ""])
        if len(rows) - first > 1:
            seams.update(range(first, len(rows) - 1))
            style += pc.seamless_pieces(first, len(rows) - 1, (0, -1))
    return grid_table(rows, LOG_COLS, extra=style, seams=seams)


def _content(sheet: PairSheet, department: str) -> list:
    p = sheet.pair
    facts = [("结对时间", format_date(p.start)), (TERM, term_text(p)), (label("focus"), p.focus),
             (f"{label('goals')}及计划", p.goals)]
    if sheet.posting:
        facts.insert(2, (label("posting_id"), sheet.posting))
    return [
        pc.para(TITLE, "title"), pc.para(department, "center"), Spacer(1, 4 * mm),
        _sides(sheet), Spacer(1, 3 * mm), kv_table(facts, label_w=FACT_LABEL_W),
        pc.para(f"{MEETING_LOG.title}（共 {len(sheet.logs)} 次）", "h2"),
        _logs(sheet.logs) if sheet.logs else pc.para("暂无谈话记录。"),
        pc.para("考评及结业", "h2"), kv_table(evaluation_rows(p), label_w=FACT_LABEL_W), Spacer(1, 8 * mm),
        pc.para("导师（签字）：＿＿＿＿＿＿　　帮带对象（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", "body"),
    ]


def sheet_story(sheet: PairSheet, department: str) -> list:
    """One pair's 情况表, a page-numbering section of its own: one page, running on when its talks are many."""
    return [pc.SectionStart(), *pc.one_page(lambda: _content(sheet, department), CONTENT_WIDTH, FRAME_HEIGHT - 2 * mm)]


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写打印事由（记入审计日志）。"})


def build_sheets(pair_ids: Sequence[int], *, out_path: str | Path | None = None, split_dir: str | Path | None = None,
                 progress: Progress = NO_PROGRESS, reason: str = "",
                 sheets: Sequence[PairSheet] | None = None) -> batch.BatchResult:
    """The 情况表 of ``pair_ids`` (or of ``sheets`` already gathered) into one PDF or one file per pair; the audit
    rows on the mentees' records (a pair belongs to its mentee)."""
    sheets = list(sheets) if sheets is not None else gather(pair_ids)
    return batch.print_records(batch.MENTORING, sheets, sheet_story, lambda s: s.label, lambda s: s.pair.mentee_id,
                               noun="对", missing=missing_glyphs(sheets), out_path=out_path, split_dir=split_dir,
                               progress=progress, reason=reason)


# ---- the list ------------------------------------------------------------------------------------

def two_lines(title: str) -> str:
    """A column's title on two lines at its words, as the 导师帮带 page's table has them (帮带 / 对象, 帮带对象 /
    单位): over the narrow columns of a list, never 帮带对象单 / 位."""
    if len(title) < 4:
        return title
    cut = 2 if len(title) == 4 else 4
    return f"{title[:cut]}\n{title[cut:]}"


def list_table(sheets: Sequence[PairSheet]):
    titles = ["序号", label("mentor_name"), label("mentor_unit_name"), label("mentee_name"),
              label("mentee_unit_name"), label("focus"), TERM, label("state"), label("log_count")]
    rows = [[pc.para(two_lines(t), "label") for t in titles]]
    for n, s in enumerate(sheets, 1):
        p = s.pair
        rows.append([pc.para(n, "small_c"), pc.para(p.mentor_name, "small_c"), pc.para(s.mentor_unit or "—", "small"),
                     pc.para(p.mentee_name, "small_c"), pc.para(s.mentee_unit or "—", "small"),
                     pc.para(p.focus, "small"), pc.para(term_text(p, "\n"), "small_c"), pc.para(p.state, "small_c"),
                     pc.para(len(s.logs), "small_c")])
    return grid_table(rows, [w * mm for w in LIST_COLS_MM])


def list_story(sheets: Sequence[PairSheet], department: str, what: str = "") -> list:
    said = "　".join(x for x in (department, what, f"共 {len(sheets)} 对") if x)
    return [pc.SectionStart(), pc.para(LIST_TITLE, "title"), pc.para(said, "center"), Spacer(1, 4 * mm),
            list_table(sheets)]


def build_list(pair_ids: Sequence[int], *, out_path: str | Path, progress: Progress = NO_PROGRESS, reason: str = "",
               what: str = "", sheets: Sequence[PairSheet] | None = None,
               split_dir: str | Path | None = None) -> batch.BatchResult:
    """The 结对名单 of ``pair_ids`` as one table (``what``: the filter it was chosen by, said under the title);
    one audit row. ``split_dir`` is not for a list (one table, one file)."""
    _require_reason(reason)
    if split_dir is not None or not out_path:
        raise ValidationError({"out": "结对名单是一张表，请指定一个输出文件。"})
    sheets = list(sheets) if sheets is not None else gather(pair_ids)
    if not sheets:
        raise ValidationError({"ids": "没有要列入名单的帮带结对。"})
    progress.report(0, 1, "正在生成结对名单…")
    path = Path(out_path)
    batch.write_pdf(path, list_story(sheets, settings.department().name, what), LIST_TITLE)
    audit.record_output(audit.PRINT, mentoring.ENTITY, None, f"打印{LIST_TITLE}（{len(sheets)} 对）→ {path.name}",
                        reason, {"结对": [s.pair.id for s in sheets][:200], "对数": len(sheets)})
    progress.report(1, 1, "已生成")
    return batch.BatchResult(kind=batch.PAIR_LIST, files=[path],
                             cadre_ids=list(dict.fromkeys(s.pair.mentee_id for s in sheets)),
                             missing=pc.missing_glyphs([(s.label, f"{s.pair.mentor_name}{s.pair.mentee_name}"
                                                                  f"{s.mentor_unit}{s.mentee_unit}{s.pair.focus}")
                                                        for s in sheets]),
                             count=f"{len(sheets)} 对")
