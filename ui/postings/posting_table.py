"""The postings table: plain PostingInfo rows on the kit's RowsModel, columns as the registry describes
them (the 一线锻炼名册 workbook has the same words), state colours, days left."""

from __future__ import annotations

from cadre_desk.domain.dates import format_date, format_period
from cadre_desk.domain.fields import POSTING, POSTING_LIST, POSTING_REVIEW
from cadre_desk.postings import posting_data
from ui.widgets.rows_model import CENTER, RowsModel, list_columns, sortable

STATE_COLORS = {posting_data.PROPOSED: "#7a5c00", posting_data.ON_POST: "#0b6b2f", posting_data.COMPLETED: "#555555",
                posting_data.RECALLED: "#a01818"}
OVERDUE, ENDING = "#a01818", "#b36b00"


def _days_left_colour(row: posting_data.PostingInfo) -> str | None:
    left = posting_data.days_left(row)
    if left is not None and left < 0:
        return OVERDUE
    if left is not None and left <= 30:
        return ENDING
    return None


COLUMNS = tuple(list_columns(POSTING, POSTING_LIST, {  # the 一线锻炼名册 writes the same list
    "unit_name": {"tooltip": True},  # cut to fit the page: whole on hover
    "post_name": {"tooltip": True},
    "channel": {"align": CENTER},
    "days_left": {"value": posting_data.days_left_text, "align": CENTER, "foreground": _days_left_colour,
                  "sort_key": lambda r: sortable(posting_data.days_left(r))},
    "state": {"align": CENTER, "foreground": lambda r: STATE_COLORS.get(r.state),
              "tooltip": lambda r: f"召回原因：{r.recall_reason}" if r.recall_reason else r.state},
    "grade": {"align": CENTER}}))

# Not shown on the 一线锻炼 page at first (the header's context menu shows them): 战线 and 渠道 are the
# tree's and the filters', the rest the selected posting's detail. The others fit a 1366-pixel screen.
HIDDEN_AT_FIRST = ("line_name", "channel", "actual_end", "daily_manager", "guide_name", "grade", "outcome")


def posting_detail(p: posting_data.PostingInfo, with_cadre: bool = True,
                   review: posting_data.ReviewInfo | None = None, *, compact: bool = False) -> str:
    """A posting in a few lines: who (on the page), where, how long, its state, and what was recorded:
    its 期满鉴定 (等次, each opinion with signer and date) and the outcome with what it led to.

    ``compact``: under the postings table, whose selected row says who, where, when and the state: the
    rest on one line (战线, 承接单位, 渠道, an end other than planned, who looks after the cadre), the
    等次 with the 锻炼结果 on one line, then the opinions — a 期满鉴定 read whole at 1366×768."""
    if compact:
        facts = [f"{POSTING.label_of('line_name')}：{p.line_name}", f"{POSTING.label_of('host')}：{p.host or '未填'}",
                 p.channel]
        if p.actual_end and p.actual_end != p.planned_end:
            facts.append(f"{POSTING.label_of('actual_end')}：{format_date(p.actual_end)}")
        lines = ["；".join(facts)]
    else:
        who = f"{p.cadre_name}（{p.unit_name}）→ " if with_cadre else ""
        lines = [f"{who}{p.line_name} / {p.post_name}，承接单位：{p.host or '未填'}；"
                 f"{p.channel}，{format_period(p.start, p.actual_end or p.planned_end)}，{p.state}"]
    if p.daily_manager or p.guide_name:
        looked_after = f"日常管理：{p.daily_manager or '未填'}；“一对一”指导：{p.guide_name or '未安排'}"
        if compact:
            lines[0] += f"；{looked_after}"
        else:
            lines.append(looked_after)
    if p.recall_reason:
        lines.append(f"召回原因：{p.recall_reason}")
    outcome = f"{POSTING.label_of('outcome')}：{posting_data.outcome_text(p.outcome, review)}" if p.outcome else ""
    if review is not None and not review.empty:
        grade = f"{POSTING_REVIEW.label_of('grade')}：{review.grade or '未评定'}"
        if compact and outcome:
            grade, outcome = f"{grade}；{outcome}", ""
        lines.append(grade)
        for opinion in review.opinions():
            label = POSTING_REVIEW.label_of(f"{opinion.side}_opinion")
            if opinion.text:
                signed = "，".join(x for x in (opinion.signer, format_date(opinion.date)) if x)
                lines.append(f"{label}：{opinion.text}" + (f"（{signed}）" if signed else ""))
            else:
                lines.append(f"{label}：（尚未填写）")
    if outcome:
        lines.append(outcome)
    if p.remarks:
        lines.append(f"备注：{p.remarks}")
    return "\n".join(lines)


def posting_model(parent=None) -> RowsModel:
    return RowsModel(COLUMNS, parent)
