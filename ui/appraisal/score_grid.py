"""The 考核表 scoring grid: a keyboard-driven table of members × dimensions with totals and grades."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableView,
)

from cadre_desk.appraisal import appraisals, sheet_scores
from cadre_desk.appraisal.scoring import EXCELLENT, score_text
from cadre_desk.domain.errors import CadreDeskError, ConflictError, ValidationError
from ui.appraisal.common import GREEN, READONLY_BG, RED
from ui.widgets import messages
from ui.widgets.frozen_column import FrozenColumn
from ui.widgets.rows_model import (
    ALIGN,
    BACKGROUND,
    CENTER,
    DISPLAY,
    EDIT,
    FONT,
    FOREGROUND,
    TOOLTIP,
    OneCallPerCell,
    format_number,
)

# ---- 考核表: the scoring grid ---------------------------------------------------------------------

INFO_COLUMNS = ("姓名", "单位", "总分", "等次", "正面", "负面", "导师评分", "一线鉴定")
NAME, UNIT, TOTAL, GRADE, POSITIVE, NEGATIVE, MENTOR, POSTING = range(len(INFO_COLUMNS))
# The flags as plain values, made once: ``Qt.ItemIsEnabled | …`` costs microseconds a call in PySide6, and
# flags() is asked for every painted cell.
READ_FLAGS = Qt.ItemIsEnabled | Qt.ItemIsSelectable
EDIT_FLAGS = READ_FLAGS | Qt.ItemIsEditable
VERTICAL = Qt.Orientation.Vertical


_STYLES: dict = {}


def _styles() -> dict:
    """The score grid's brushes and bold font, made once (after the application exists)."""
    if not _STYLES:
        bold = QFont()
        bold.setBold(True)
        _STYLES.update(green=QBrush(GREEN), red=QBrush(RED), total=QBrush(QColor("#fdf6e3")),
                       readonly=QBrush(READONLY_BG), white=QBrush(QColor("#ffffff")),
                       blue=QBrush(QColor("#eef4fb")), bold=bold)
    return _STYLES


class ScoreGridModel(OneCallPerCell, QAbstractTableModel):
    """Rows = cadres; columns = name, unit, the live total and grade, what is known beside the scores
    (正负面清单 counts, the mentor's closing rating, the posting 鉴定), rater × dimension scores, 评语.

    ``write_scores(changes)`` and ``write_comment(cadre_id, text, before)`` are service calls handed in; an
    error from them comes back through ``on_error`` and leaves the cell as it was. A cell another saved
    since the sheet was loaded is not written over without a word: ``on_conflict(exc)`` asks (the
    ``messages.ask_conflict`` answer) — OVERWRITE writes it anyway, anything else leaves it unwritten (the
    asker reloads the sheet to show the other's value)."""

    totals_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data_: appraisals.SheetData | None = None
        self.cells: list[tuple[int, int, str]] = []  # (rater_id, dimension_id, header)
        self.write_scores: Callable[[list[sheet_scores.ScoreChange]], None] | None = None
        self.write_comment: Callable[[int, str, str | None], None] | None = None
        self.on_error: Callable[[Exception], None] | None = None
        self.on_conflict: Callable[[ConflictError], int | None] | None = None
        self.locked: set[int] = set()  # cadres whose rows may not be changed (a 查阅人; 回避)
        self._served: dict[int, list[tuple[int, int]]] = {}  # multiData: request length → (place, role)

    def set_sheet(self, data: appraisals.SheetData | None, locked: set[int] | None = None) -> None:
        self.beginResetModel()
        self.data_ = data
        self.locked = locked or set()
        self.cells = []
        if data is not None:
            for rater in data.scheme.raters:
                for dim in data.scheme.dimensions:
                    self.cells.append((rater.id, dim.id, f"{rater.name}\n{dim.name}"))
        self.endResetModel()

    @property
    def first_score_column(self) -> int:
        return len(INFO_COLUMNS)

    @property
    def comment_column(self) -> int:
        return len(INFO_COLUMNS) + len(self.cells)


    def is_score_column(self, column: int) -> bool:
        return self.first_score_column <= column < self.comment_column

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.data_ is None else len(self.data_.members)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or self.data_ is None else self.comment_column + 1

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if role != DISPLAY or self.data_ is None:
            return None
        if orientation == VERTICAL:
            return str(section + 1)
        if section < len(INFO_COLUMNS):
            return INFO_COLUMNS[section]
        if self.is_score_column(section):
            return self.cells[section - self.first_score_column][2]
        return "评语"

    def flags(self, index):
        if self.data_ is not None and not self.data_.sheet.finalized and (
                self.is_score_column(index.column()) or index.column() == self.comment_column):
            member = self.member(index.row())
            if member is not None and member.cadre_id not in self.locked:
                return EDIT_FLAGS
        return READ_FLAGS

    def _text(self, member: appraisals.MemberRow, column: int, role) -> str:
        data = self.data_
        if column == NAME:
            return member.name
        if column == UNIT:
            return f"{member.unit_name}{member.position}" if role == TOOLTIP else member.unit_name
        if column == TOTAL:
            return score_text(data.total(member))  # 75.90, as the documents print it
        if column == GRADE:
            grade = data.grade(member)
            if role == TOOLTIP and member.grade_override:
                return (f"按分数为“{data.computed_grade(member) or '未定'}”，调整为“{grade}”\n"
                        f"理由：{member.override_reason}")
            return grade + ("（调整）" if member.grade_override and role == DISPLAY else "")
        if column == POSITIVE:
            return str(member.positive or "")
        if column == NEGATIVE:
            return str(member.negative or "")
        if column == MENTOR:
            return format_number(member.mentor_rating)
        if column == POSTING:
            text = member.posting_appraisal
            if role == DISPLAY:
                text = text.replace("\n", " ")
                return text[:16] + ("…" if len(text) > 16 else "")
            return text
        if self.is_score_column(column):
            rater_id, dim_id, _ = self.cells[column - self.first_score_column]
            return format_number(member.scores.get((rater_id, dim_id)))
        return member.comment

    _ROLES = frozenset((DISPLAY, EDIT, TOOLTIP, ALIGN, FOREGROUND, BACKGROUND, FONT))

    def data(self, index, role=DISPLAY):
        # Asked for thousands of times per paint of a big sheet: the roles it has nothing for return at once,
        # brushes and the bold font are made once (see _styles), the roles are compared as plain ints (a
        # ``Qt.DisplayRole`` read costs microseconds in PySide6).
        if role not in self._ROLES or not index.isValid() or self.data_ is None:
            return None
        member = self.data_.members[index.row()]
        column = index.column()
        if role == DISPLAY or role == EDIT or role == TOOLTIP:
            return self._text(member, column, role)
        if role == ALIGN and TOTAL <= column < self.comment_column and column != POSTING:
            return CENTER
        styles = _styles()
        if role == FOREGROUND:
            if column == POSITIVE and member.positive:
                return styles["green"]
            if column == NEGATIVE and member.negative:
                return styles["red"]
            if column == GRADE:
                grade = self.data_.grade(member)
                if grade == EXCELLENT:
                    return styles["green"]
                if grade in ("不称职", "不合格", "基本称职", "基本合格"):
                    return styles["red"]
        if role == BACKGROUND:
            if column in (TOTAL, GRADE):
                return styles["total"]
            if self.is_score_column(column):
                if self.data_.sheet.finalized:
                    return styles["readonly"]
                rater_index = (column - self.first_score_column) // max(1, len(self.data_.scheme.dimensions))
                return styles["white"] if rater_index % 2 == 0 else styles["blue"]
        if role == FONT and column in (TOTAL, GRADE):
            return styles["bold"]
        return None

    _PAINTED = frozenset((DISPLAY, ALIGN, FOREGROUND, BACKGROUND, FONT))

    def painted_roles(self) -> frozenset[int]:
        """What the item delegate asks of a cell to paint it (text, alignment, colours, font), answered in
        one Python call instead of one per role (OneCallPerCell): a paint of a big sheet asked ≈ 3,400
        times, and while a job runs in the pool (定稿) each call from Qt into Python may wait for the
        interpreter."""
        return self._PAINTED

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802
        if role != Qt.EditRole or self.data_ is None or not (self.flags(index) & Qt.ItemIsEditable):
            return False
        member = self.data_.members[index.row()]
        try:
            if index.column() == self.comment_column:
                text = str(value or "").strip()
                if text == member.comment:
                    return False
                if not self._checked(lambda before: self.write_comment(member.cadre_id, text, before),
                                     member.comment):
                    return False
                member.comment = text
                self.dataChanged.emit(index, index)
                return True
            rater_id, dim_id, _ = self.cells[index.column() - self.first_score_column]
            text = str(value if value is not None else "").strip().replace("，", ".").replace("。", ".")
            number = None if text == "" else float(text)
            if number is not None and not 0 <= number <= 100:
                raise ValidationError({"score": f"分数应在 0–100 之间（输入了 {text}）"})
            number = None if number is None else round(number, 2)
            if member.scores.get((rater_id, dim_id)) == number:
                return False
            if not self._checked(lambda before: self.write_scores(
                    [sheet_scores.ScoreChange(member.cadre_id, rater_id, dim_id, number, before)]),
                    member.scores.get((rater_id, dim_id)), unchecked=sheet_scores.UNREAD):
                return False
        except ValueError:
            if self.on_error:
                self.on_error(ValidationError({"score": f"“{value}”不是有效的分数"}))
            return False
        except CadreDeskError as exc:
            if self.on_error:
                self.on_error(exc)
            return False
        if number is None:
            member.scores.pop((rater_id, dim_id), None)
        else:
            member.scores[(rater_id, dim_id)] = number
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1))
        self.totals_changed.emit()
        return True

    def _checked(self, write: Callable[[object], None], shown, unchecked=None) -> bool:
        """``write(shown)``: the cell written if it still holds what the grid shows; when another saved
        it since, ``on_conflict`` asks — True when written (or written over at the user's word)."""
        try:
            write(shown)
        except ConflictError as exc:
            if self.on_conflict is None or self.on_conflict(exc) != messages.OVERWRITE:
                return False
            write(unchecked)
        return True

    def member(self, row: int) -> appraisals.MemberRow | None:
        if self.data_ is None or not 0 <= row < len(self.data_.members):
            return None
        return self.data_.members[row]


class ScoreGrid(QTableView):
    """Keyboard entry: type a number to start, Enter or Tab commits and moves to the next score cell
    (row by row), Shift+Tab goes back."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.AnyKeyPressed | QAbstractItemView.DoubleClicked
                             | QAbstractItemView.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setTabKeyNavigation(True)
        self.verticalHeader().setDefaultSectionSize(26)
        self.horizontalHeader().setMinimumHeight(46)
        # 姓名 stays while the score columns scroll sideways (the 民主测评 scores are off a 1366 screen);
        # by the pixel, so a cell scrolled to is never left under it
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.frozen: FrozenColumn | None = None

    def setModel(self, model) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        if self.frozen is None:
            self.frozen = FrozenColumn(self)
        else:
            self.frozen.attach()

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802 - Qt override
        super().scrollTo(index, hint)
        if self.frozen is not None and index.isValid() and index.column() != NAME:
            hidden = self.columnWidth(NAME) - self.visualRect(index).left()
            if hidden > 0:  # brought in at the left edge: under the 姓名 column
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - hidden)

    def _editable_cells(self) -> list[tuple[int, int]]:
        model = self.model()
        columns = [c for c in range(model.columnCount()) if model.is_score_column(c)]
        return [(r, c) for r in range(model.rowCount()) for c in columns]

    def next_index(self, index: QModelIndex, forward: bool = True) -> QModelIndex:
        model = self.model()
        cells = [c for c in range(model.columnCount()) if model.is_score_column(c)]
        if not cells or model.rowCount() == 0:
            return QModelIndex()
        row, col = (index.row(), index.column()) if index.isValid() else (0, cells[0] - 1)
        if col not in cells:
            if forward:
                later = [c for c in cells if c > col]
                return model.index(row, later[0]) if later else (
                    model.index(row + 1, cells[0]) if row + 1 < model.rowCount() else QModelIndex())
            earlier = [c for c in cells if c < col]
            return model.index(row, earlier[-1]) if earlier else QModelIndex()
        pos = cells.index(col) + (1 if forward else -1)
        if pos >= len(cells):
            row, pos = row + 1, 0
        elif pos < 0:
            row, pos = row - 1, len(cells) - 1
        if not 0 <= row < model.rowCount():
            return QModelIndex()
        return model.index(row, cells[pos])

    def move_to_next(self, forward: bool = True, edit: bool = True) -> None:
        target = self.next_index(self.currentIndex(), forward)
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)
            if edit and self.model().flags(target) & Qt.ItemIsEditable:
                self.edit(target)

    def closeEditor(self, editor, hint):  # noqa: N802 - Qt override
        if hint in (QAbstractItemDelegate.EditNextItem, QAbstractItemDelegate.EditPreviousItem) and \
                self.model().is_score_column(self.currentIndex().column()):
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self.move_to_next(hint == QAbstractItemDelegate.EditNextItem)
            return
        if hint == QAbstractItemDelegate.SubmitModelCache and self.model().is_score_column(
                self.currentIndex().column()):
            # Enter in a score cell: commit and go on to the next cell
            super().closeEditor(editor, QAbstractItemDelegate.NoHint)
            self.move_to_next(True)
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event):  # noqa: N802 - Qt override
        key = event.key()
        if self.state() != QAbstractItemView.EditingState:
            if key in (Qt.Key_Return, Qt.Key_Enter):
                index = self.currentIndex()
                if index.isValid() and self.model().flags(index) & Qt.ItemIsEditable:
                    self.edit(index)
                else:
                    self.move_to_next(True)
                return
            if key == Qt.Key_Tab:
                self.move_to_next(True, edit=False)
                return
            if key == Qt.Key_Backtab:
                self.move_to_next(False, edit=False)
                return
            if key == Qt.Key_Delete:
                index = self.currentIndex()
                if index.isValid() and self.model().flags(index) & Qt.ItemIsEditable:
                    self.model().setData(index, "", Qt.EditRole)
                return
        super().keyPressEvent(event)
