"""The postings table: plain PostingInfo rows on the kit's RowsModel, state colours, days left."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from cadre_desk.domain.dates import format_date
from cadre_desk.postings import posting_data
from ui.widgets.rows_model import CENTER, Column, RowsModel, sortable

STATE_COLORS = {posting_data.PROPOSED: "#7a5c00", posting_data.ON_POST: "#0b6b2f", posting_data.COMPLETED: "#555555",
                posting_data.RECALLED: "#a01818"}
OVERDUE, ENDING = "#a01818", "#b36b00"


def _days_left_text(row: posting_data.PostingInfo) -> str:
    left = posting_data.days_left(row)
    if left is None:
        return ""
    return f"超期 {-left} 天" if left < 0 else str(left)


def _days_left_colour(row: posting_data.PostingInfo) -> str | None:
    left = posting_data.days_left(row)
    if left is not None and left < 0:
        return OVERDUE
    if left is not None and left <= 30:
        return ENDING
    return None


def _date_column(key: str, title: str, width: int) -> Column:
    return Column(title, lambda r: format_date(getattr(r, key)), width, key=key,
                  sort_key=lambda r: sortable(getattr(r, key)))


def _plain(key: str, title: str, width: int, **extra) -> Column:
    return Column(title, lambda r: getattr(r, key), width, key=key, **extra)


COLUMNS = (
    _plain("cadre_name", "姓名", 70), _plain("unit_name", "原单位", 150), _plain("line_name", "战线", 90),
    _plain("post_name", "锻炼岗位", 190), _plain("channel", "选派渠道", 70, align=CENTER),
    _date_column("start", "开始时间", 85), _date_column("planned_end", "计划结束", 85),
    Column("剩余天数", _days_left_text, 70, key="days_left", align=CENTER, foreground=_days_left_colour,
           sort_key=lambda r: sortable(posting_data.days_left(r))),
    _date_column("actual_end", "实际结束", 85),
    _plain("state", "状态", 65, align=CENTER, foreground=lambda r: STATE_COLORS.get(r.state),
           tooltip=lambda r: f"召回原因：{r.recall_reason}" if r.recall_reason else r.state),
    _plain("daily_manager", "日常管理", 75), _plain("guide_name", "一对一指导", 80), _plain("outcome", "锻炼结果", 75),
)


def posting_model(parent=None) -> RowsModel:
    return RowsModel(COLUMNS, parent)


def filter_combo(items, all_text: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(all_text, None)
    for value in items:
        combo.addItem(value, value)
    return combo
