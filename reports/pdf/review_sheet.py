"""一线锻炼鉴定表: the 期满鉴定 of one posting on one A4 page, alone (the 鉴定报告 prints it inside the
cadre's whole 成长档案) — the cadre (姓名, 原单位, 现任职务), the posting (战线, 锻炼岗位, 承接单位, 选派渠道,
锻炼时间, 日常管理负责人, “一对一”指导人), the 鉴定等次 ticked, the 锻炼结果, and the 派出单位 / 锻炼单位 /
组织部 opinions in their signed blocks as the 鉴定报告 draws them (dossier.review_blocks). Many postings into
one PDF or one file each; one audit PRINT row per cadre. Data from posting_review.printable_reviews (期满
postings only, PRINT on each cadre) and the cadres' 职务 through access.reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from cadre_desk.access import reads
from cadre_desk.domain.dates import format_period
from cadre_desk.domain.fields import POSTING, POSTING_REVIEW
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.postings import posting_review
from cadre_desk.postings.posting_data import REVIEW_GRADES, PostingInfo, ReviewInfo, outcome_text
from cadre_desk.units import units
from reports.pdf import batch
from reports.pdf import pdf_common as pc
from reports.pdf.dossier import grid_table, kv_table, review_blocks
from reports.pdf.rmb import CONTENT_WIDTH, FRAME_HEIGHT

TITLE = batch.KIND_TITLES[batch.REVIEW]  # 一线锻炼鉴定表
label = POSTING.label_of
LABEL_W = 32 * mm  # “一对一”指导人 on one line; the opinions' labels as wide (their column lines up)
VALUE_W = (CONTENT_WIDTH - 2 * LABEL_W) / 2


@dataclass
class ReviewSheet:
    posting: PostingInfo
    review: ReviewInfo
    unit_name: str = ""  # the cadre's unit by its 全称
    position: str = ""  # 现任职务

    @property
    def label(self) -> str:
        return f"{self.posting.cadre_name}·{self.posting.post_name}"


def gather(posting_ids: Sequence[int]) -> list[ReviewSheet]:
    """The 期满 postings among ``posting_ids`` with their 鉴定 (PermissionDenied unless each may be printed)."""
    found = posting_review.printable_reviews(posting_ids)
    briefs = reads.cadre_briefs([p.cadre_id for p, _r in found])
    names = units.full_names()
    out = []
    for p, review in found:
        brief = briefs.get(p.cadre_id)
        out.append(ReviewSheet(p, review, names.get(p.unit_id, p.unit_name), brief.position if brief else ""))
    return out


def missing_glyphs(sheets: Sequence[ReviewSheet]) -> list[pc.MissingGlyph]:
    fields: list[tuple[str, object]] = []
    for s in sheets:
        p, r = s.posting, s.review
        fields += [(f"{s.label} · 选派", f"{p.cadre_name}{s.unit_name}{s.position}{p.line_name}{p.post_name}{p.host}"
                                         f"{p.daily_manager}{p.guide_name}"),
                   (f"{s.label} · {POSTING_REVIEW.title}", "".join(f"{o.text}{o.signer}" for o in r.opinions())
                    + r.result_position + r.result_note)]
    return pc.missing_glyphs(fields)


def grade_boxes(grade: str) -> str:
    """■称职　□优秀 … : every 等次 with the one given ticked (□ all when none is)."""
    return "　".join(f"{pc.tick_box(g == grade)}{g}" for g in REVIEW_GRADES)


def _facts(sheet: ReviewSheet):
    p = sheet.posting

    def row(a: str, x: object, b: str, y: object) -> list:
        return [pc.para(a, "label"), pc.para(x or "—", "cell"), pc.para(b, "label"), pc.para(y or "—", "cell")]

    rows = [row(label("cadre_name"), p.cadre_name, label("unit_name"), sheet.unit_name),
            row("现任职务", sheet.position, label("channel"), p.channel),
            row(label("line_name"), p.line_name, label("post_name"), p.post_name),
            row(label("host"), p.host, "锻炼时间", format_period(p.start, p.actual_end or p.planned_end)),
            row(label("daily_manager"), p.daily_manager, label("guide_name"), p.guide_name)]
    return grid_table(rows, [LABEL_W, VALUE_W, LABEL_W, VALUE_W], header=False)


def _content(sheet: ReviewSheet, department: str) -> list:
    p, review = sheet.posting, sheet.review
    result = [(POSTING_REVIEW.label_of("grade"), grade_boxes(review.grade)),
              (label("outcome"), outcome_text(p.outcome, review) or "（尚未确定）")]
    return [pc.para(TITLE, "title"), pc.para(department, "center"), Spacer(1, 4 * mm), _facts(sheet),
            kv_table(result, label_w=LABEL_W), pc.para(POSTING_REVIEW.title, "h2"), review_blocks(review, LABEL_W)]


def sheet_story(sheet: ReviewSheet, department: str) -> list:
    """One posting's 鉴定表, a page-numbering section of its own: one page, running on when the opinions are long."""
    return [pc.SectionStart(), *pc.one_page(lambda: _content(sheet, department), CONTENT_WIDTH, FRAME_HEIGHT - 2 * mm)]


def build_sheets(posting_ids: Sequence[int], *, out_path: str | Path | None = None,
                 split_dir: str | Path | None = None, progress: Progress = NO_PROGRESS, reason: str = "",
                 sheets: Sequence[ReviewSheet] | None = None) -> batch.BatchResult:
    """The 鉴定表 of the 期满 postings among ``posting_ids`` (or ``sheets`` gathered) into one PDF or one file each."""
    sheets = list(sheets) if sheets is not None else gather(posting_ids)
    return batch.print_records(batch.REVIEW, sheets, sheet_story, lambda s: s.label, lambda s: s.posting.cadre_id,
                               noun="份", missing=missing_glyphs(sheets), out_path=out_path, split_dir=split_dir,
                               progress=progress, reason=reason)
