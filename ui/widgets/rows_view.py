"""A table view over a RowsModel that paints its plain text cells itself, a screen at a time.

QTableView paints cell by cell: for each cell it calls into Python three times (the model's row and
column counts to check the index, then the cell's data) and lays the text out twice (to elide it,
then to draw it). At 100,000 cadres the roster's 13 × 26 visible cells took ~10 ms a repaint, most of
a keystroke in its filter. RowsView paints the same pixels in one Python call: each row's alternate
background, each cell's text from the model's rows (laid out once per distinct text in a QStaticText,
so a unit name or a date is laid out once), then the grid: ~6 ms, most of it drawing the glyphs. A
cell that needs more than plain text — selected, the current cell with focus, a text too wide for its
column (elided "…"), with tabs or right-to-left script — is painted the way QTableView paints it
(style and item delegate). A model or view this painter does not know (colours, fonts, alignment or
other roles from the model, another delegate, spans, hidden or moved rows, right-to-left, word wrap)
is left to QTableView, so a view looks the same either way (tests/test_rows_view.py compares)."""

from __future__ import annotations

import math
import unicodedata

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from ui.widgets.rows_model import RowsModel, shown

_STATE = QStyle.StateFlag
_NORMAL, _INACTIVE, _DISABLED = QPalette.ColorGroup.Normal, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_RIGHT_TO_LEFT = frozenset(("R", "AL", "RLE", "RLO", "RLI"))
_TEXT_CACHE = 4000  # laid-out texts kept (a screen shows ~400): past it the cache starts again


class RowsView(QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._texts: dict[str, tuple[QStaticText, float, int]] = {}
        self._texts_font = None
        self._has_spans = False
        # A widget of this view's lying over the left edge of its viewport (a FrozenColumn): a cell
        # entirely under it is not painted.
        self.cover = None

    def setSpan(self, row: int, column: int, rows: int, columns: int) -> None:  # noqa: N802 - Qt override
        self._has_spans = True
        super().setSpan(row, column, rows, columns)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        model = self.model()
        if not self._paints_plain(model):
            super().paintEvent(event)
            return
        rows_header, columns_header = self.verticalHeader(), self.horizontalHeader()
        if rows_header.count() == 0 or columns_header.count() == 0:
            return
        grid = 1 if self.showGrid() else 0
        area = event.region().boundingRect()
        right_px = min(area.right(), columns_header.length() - columns_header.offset() - 1)
        bottom_px = min(area.bottom(), rows_header.length() - rows_header.offset() - 1)
        left_px, top_px = area.left(), area.top()
        if right_px < left_px or bottom_px < top_px:
            return
        top = rows_header.visualIndexAt(top_px)
        if top == -1:
            return
        bottom = rows_header.visualIndexAt(bottom_px)
        bottom = rows_header.count() - 1 if bottom == -1 else bottom
        left = columns_header.visualIndexAt(left_px)
        left = 0 if left == -1 else left
        right = columns_header.visualIndexAt(right_px)
        right = columns_header.count() - 1 if right == -1 else right
        covered = self._covered_width()
        columns = []  # (column, x, width, value of a row)
        for visual in range(left, right + 1):
            column = columns_header.logicalIndex(visual)
            if not columns_header.isSectionHidden(column):
                x = self.columnViewportPosition(column)
                if x + self.columnWidth(column) > covered:
                    columns.append((column, x, self.columnWidth(column) - grid, model.columns[column].value))

        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        state = option.state
        group = _NORMAL if state & _STATE.State_Enabled else _DISABLED
        if group == _NORMAL and not state & _STATE.State_Active:
            group = _INACTIVE
        row_group = _NORMAL if self.isEnabled() else _DISABLED  # the alternate background (PE_PanelItemViewRow)
        if row_group == _NORMAL and not state & _STATE.State_Active:
            row_group = _INACTIVE
        alternate_brush = option.palette.brush(row_group, QPalette.ColorRole.AlternateBase)
        text_pen = QPen(option.palette.color(group, QPalette.ColorRole.Text))
        texts = self._laid_out_texts(option)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        alternating = self.alternatingRowColors()
        selection = self.selectionModel()
        root = self.rootIndex()
        current = self.currentIndex()
        focus_row = current.row() if current.isValid() and (self.hasFocus() or self.viewport().hasFocus()) else -1
        data = model.rows

        painter = QPainter(self.viewport())
        painter.setFont(option.font)
        painter.setPen(text_pen)
        for visual in range(top, bottom + 1):
            row = rows_header.logicalIndex(visual)
            y = rows_header.sectionViewportPosition(row)
            height = rows_header.sectionSize(row) - grid
            alternate = alternating and bool(visual & 1)
            if row == focus_row or (selection is not None and selection.rowIntersectsSelection(row, root)):
                for column, x, width, _value in columns:
                    self._paint_as_qt(painter, option, model.index(row, column, root), QRect(x, y, width, height),
                                      alternate, row == focus_row and column == current.column())
                painter.setPen(text_pen)
                continue
            if alternate:
                for _column, x, width, _value in columns:
                    painter.fillRect(QRect(x, y, width, height), alternate_brush)
            record = data[row]
            for column, x, width, value in columns:
                text = shown(value(record))
                if not text:
                    continue
                laid = texts.get(text)
                if laid is None:
                    laid = self._lay_out(text, option)
                room = width - 2 * margin
                if laid[1] >= room:  # too wide: elided ("…") as Qt elides it, or painted by Qt
                    shortened = self._elided(text, room, option) if laid[1] > room + 1 else None
                    if shortened is None:
                        self._paint_as_qt(painter, option, model.index(row, column, root),
                                          QRect(x, y, width, height), alternate, False)
                        painter.setPen(text_pen)
                        continue
                    painter.drawStaticText(x + margin, y + (height - laid[2]) // 2, shortened[0])
                    continue
                painter.drawStaticText(x + margin, y + (height - laid[2]) // 2, laid[0])
        if grid:
            hint = self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
            painter.setPen(QPen(QColor.fromRgba(hint & 0xFFFFFFFF), 1, self.gridStyle()))
            for visual in range(top, bottom + 1):
                row = rows_header.logicalIndex(visual)
                y = rows_header.sectionViewportPosition(row) + rows_header.sectionSize(row) - grid
                painter.drawLine(left_px, y, right_px, y)
            for _column, x, width, _value in columns:
                painter.drawLine(x + width, top_px, x + width, bottom_px)
        painter.end()

    def _covered_width(self) -> int:
        cover, viewport = self.cover, self.viewport().geometry()
        if cover is None or not cover.isVisible():
            return 0
        area = cover.geometry()
        if area.left() > viewport.left() or area.top() > viewport.top() or area.bottom() < viewport.bottom():
            return 0
        return area.right() + 1 - viewport.left()

    def _paints_plain(self, model) -> bool:
        """Whether every cell of ``model`` in this view is plain text this painter draws as Qt would."""
        if not isinstance(model, RowsModel) or not model.plain_text():
            return False
        if self._has_spans or self.wordWrap() or self.isRightToLeft() or self.showDropIndicator() and \
                self.dragDropMode() != QTableView.DragDropMode.NoDragDrop:
            return False
        if type(self.itemDelegate()) is not QStyledItemDelegate:
            return False
        if any(self.itemDelegateForColumn(c) is not None for c in range(len(model.columns))):
            return False
        rows = self.verticalHeader()
        return not (rows.sectionsHidden() or rows.sectionsMoved())

    def _laid_out_texts(self, option: QStyleOptionViewItem) -> dict:
        key = option.font.key()
        if key != self._texts_font or len(self._texts) > _TEXT_CACHE:
            self._texts = {}
            self._texts_font = key
        return self._texts

    def _lay_out(self, text: str, option: QStyleOptionViewItem) -> tuple[QStaticText, float, int]:
        """``text`` laid out once: the glyphs, the width, the height of its line (a fallback font for
        some characters may make it taller than the font's own)."""
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(font=option.font)
        size = static.size()
        width = size.width()
        if not text.isprintable() or any(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in text):
            width = math.inf  # tabs, control characters, Uyghur or Arabic script: as Qt lays them out
        laid = self._texts[text] = (static, width, round(size.height()))
        return laid

    def _elided(self, text: str, room: int, option: QStyleOptionViewItem) -> tuple | None:
        """``text`` shortened with "…" to ``room`` pixels, laid out (as Qt's style elides a cell's
        text: the same text engine), or None when this painter leaves it to Qt."""
        key = (text, room)
        laid = self._texts.get(key)
        if laid is None:
            if self.textElideMode() != Qt.TextElideMode.ElideRight:
                return None
            laid = self._lay_out(QFontMetricsF(option.font).elidedText(text, Qt.TextElideMode.ElideRight, room),
                                 option)
            self._texts[key] = laid
        return laid if laid[1] != math.inf else None

    def _paint_as_qt(self, painter: QPainter, base: QStyleOptionViewItem, index, rect: QRect, alternate: bool,
                     focus: bool) -> None:
        """One cell as QTableView paints it: the row's background, then the item delegate."""
        option = QStyleOptionViewItem(base)
        option.rect = rect
        if alternate:
            option.features |= _ALTERNATE
        else:
            option.features &= ~_ALTERNATE
        selection = self.selectionModel()
        if selection is not None and selection.isSelected(index):
            option.state |= _STATE.State_Selected
        if option.state & _STATE.State_Enabled:
            option.palette.setCurrentColorGroup(_NORMAL)
        if focus:
            option.state |= _STATE.State_HasFocus
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewRow, option, painter, self)
        self.itemDelegate().paint(painter, option, index)
