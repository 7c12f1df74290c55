"""Column titles that are read whole: no table column narrower than its title.

A column set to a fixed width cut its title on a PC whose font is wider (the 考核表 showed 主管部匚 for
主管部门: 门 without its right stroke). ``title_width`` is what a title needs — in the bold face the
header uses for the current column, with the sort arrow when the column shows one — and
``widen_to_titles`` widens the columns that are narrower, once their titles are known. Without a sort
arrow, Qt's own measure (``sectionSizeHint``) counts the style sheet's padding and border, which the
style's header margin does not: 「组织部 / 政治表现」 was cut at the left in the 考核表 (60 px for 69)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle

SPARE = 4  # pixels beyond the bare need, so that a font a little wider still fits


def title_width(header: QHeaderView, logical: int, spare: int = SPARE) -> int:
    """Pixels the title of section ``logical`` needs, and ``spare`` (0 when it has no title)."""
    model = header.model()
    text = model.headerData(logical, header.orientation(), Qt.ItemDataRole.DisplayRole) if model else None
    if not text:
        return 0
    font = header.font()
    if header.highlightSections():
        font.setBold(True)
    metrics = QFontMetrics(font)
    style = header.style()
    need = max(metrics.horizontalAdvance(line) for line in str(text).split("\n"))
    need += 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + spare
    if header.isSortIndicatorShown():  # Qt's measure then keeps an arrow's room in every column: too wide
        return need + style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return max(need, header.sectionSizeHint(logical) + spare)


def widen_to_titles(view: QAbstractItemView) -> None:
    """Widen every column of ``view`` that is narrower than its title (a stretched column sizes itself)."""
    header = view.horizontalHeader()
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        need = title_width(header, logical)
        if header.sectionSize(logical) < need and header.sectionResizeMode(logical) != QHeaderView.ResizeMode.Stretch:
            header.resizeSection(logical, need)
