"""The one cadre picker: type a name, pinyin initials (zs = 张三), an ID number, a unit or a position;
the matches follow when the typing pauses. Only cadres the operator may read are ever offered: the
picker reads them through ``readable_cadres`` and nothing else.

Two shapes, the same search: a list under the box (pages and large dialogs), each cadre in two rows
(name and month of birth, the post under them: readable in a narrow pane, never a side scroll bar), or
``compact`` — the box and a drop-down of the matches on one line (a field of a form).

    picker = CadrePicker(context, compact=True, allow_empty=True)   # 带教干部（可不填）
    picker.cadre_selected.connect(...)                               # the user chose someone
    picker.cadre_id() / picker.set_cadre(cadre_id)"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QStylePainter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import format_month
from cadre_desk.profiles.cadre_list import COL, ID, CadreFilter, CadreIndex

PAUSE_MS = 150  # one search when the typing pauses, not one per keystroke
LIMIT = 200  # matches shown; more asks to type more
USER = Qt.ItemDataRole.UserRole
NAME_ROLE = USER + 1  # 姓名 and its note: the first row of a list line
BIRTH_ROLE = USER + 2  # 「1986.05生」: the first row's right end
POST_ROLE = USER + 3  # 职务 (or 单位): the second row, its middle elided when the list is narrow
# The list picker's hint, the longest that fits its box: at 200 px (正负面清单) the whole one read
# 「输入姓名、拼音首字母、单位…」. The box's tip names everything the search takes.
SEARCH_HINTS = ("输入姓名、拼音首字母、单位或职务查找干部", "姓名、拼音首字母、单位或职务", "姓名、拼音、单位或职务")
BOX_CHROME = 40  # a line edit's frame, margins and clear button: the text has its width less this


def readable_cadres(context) -> CadreIndex:
    """The cadres this operator may read, as the in-memory list index (loaded through the scoped
    ``cadres.list_rows``: unit scope applied). Every picker reads cadres here and only here."""
    if context.index is None:
        context.index = CadreIndex.load()
    return context.index


def birth_note(birth: str | None) -> str:
    """The end of a picker's line: the month of birth, 「1986.05生」 (a birth stored with its day, from the
    身份证号, shows its month as 出生年月 does everywhere); "" when none is known."""
    month = format_month(birth)
    return f"{month}生" if month else ""


class MiddleElidedCombo(QComboBox):
    """A combo whose chosen line, when too long for it, loses the middle (the post), not the end: two
    namesakes stay told apart by their month of birth (王飞龙 云江市住房和…主任科员　1990.08生). The whole
    line is its tip."""

    def shown_text(self) -> str:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, self).width()
        return self.fontMetrics().elidedText(self.currentText(), Qt.TextElideMode.ElideMiddle, max(room - 4, 0))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.currentText():
            QToolTip.showText(event.globalPos(), self.currentText(), self)
            return True
        return super().event(event)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class TwoRowDelegate(QStyledItemDelegate):
    """A list picker's line in two rows: the name (and its note) with the month of birth at the right
    end, the post under them, losing its middle when the list is narrower (the whole line is the tip).
    As wide as the list, never wider, so that a narrow pane shows the month of birth whole and no side
    scroll bar. Lines without the rows (「……共 N 人」) are drawn as usual, elided at the end."""

    PAD = 3
    GAP = 12  # between the name and the month of birth

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        if index.data(NAME_ROLE) is None:
            return QSize(0, super().sizeHint(option, index).height())
        return QSize(0, 2 * option.fontMetrics.height() + 3 * self.PAD)

    def paint(self, painter, option, index) -> None:
        if index.data(NAME_ROLE) is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        rows = self.rows(item.fontMetrics, item.rect.width(), index)
        group = QPalette.ColorGroup.Normal if item.state & QStyle.StateFlag.State_Enabled \
            else QPalette.ColorGroup.Disabled
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        text = item.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        quiet = text if selected else item.palette.color(group, QPalette.ColorRole.PlaceholderText)
        height = item.fontMetrics.height()
        left, top, width = item.rect.left() + self.PAD, item.rect.top() + self.PAD, item.rect.width() - 2 * self.PAD
        first, second = QRect(left, top, width, height), QRect(left, top + height + self.PAD, width, height)
        align = Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(item.font)
        painter.setPen(text)
        painter.drawText(first, align | Qt.AlignmentFlag.AlignLeft, rows[0])
        painter.drawText(first, align | Qt.AlignmentFlag.AlignRight, rows[1])
        painter.setPen(quiet)
        painter.drawText(second, align | Qt.AlignmentFlag.AlignLeft, rows[2])
        painter.restore()

    @classmethod
    def rows(cls, metrics, width: int, index) -> tuple[str, str, str]:
        """What is drawn in ``width`` pixels: the name (its note elided first), the month of birth (whole)
        and the post (its middle elided)."""
        room = width - 2 * cls.PAD
        birth = index.data(BIRTH_ROLE) or ""
        name_room = room - (metrics.horizontalAdvance(birth) + cls.GAP if birth else 0)
        name = metrics.elidedText(index.data(NAME_ROLE), Qt.TextElideMode.ElideRight, max(name_room, 0))
        post = metrics.elidedText(index.data(POST_ROLE) or "", Qt.TextElideMode.ElideMiddle, max(room, 0))
        return name, birth, post


class CadrePicker(QWidget):
    """``status``: a STATUS code to keep ("1" = 在职, the default) or "" for everyone; ``order``: "name"
    (pinyin), "birth" (oldest first) or "-birth" (youngest first); ``notes``: cadre id → text right after
    the name (a mentor's current load: at the end of a long line it was cut off); ``multi``: several at once (``cadre_ids``)."""

    cadre_selected = Signal(object)  # the id chosen (None: 无 / nothing)

    def __init__(self, context, cadre_id: int | None = None, *, compact: bool = False, allow_empty: bool = False,
                 placeholder: str = "", status: str = "1", order: str = "name",
                 notes: dict[int, str] | None = None, multi: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.compact = compact
        self.allow_empty = allow_empty
        self.status = status
        self.order = order
        self.notes = notes or {}
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.hints = (placeholder,) if placeholder else ("姓名/拼音首字母/身份证号",) if compact else SEARCH_HINTS
        self.search.setPlaceholderText(self.hints[0])
        self.search.setToolTip("姓名、拼音首字母（如 zs = 张三）、身份证号、单位或职务")
        self.results: QListWidget | QComboBox
        if compact:
            # as wide as its hint: at 120 px 选派干部 showed "姓名/拼音首字…" (the clear button and frame: 40 px)
            hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
            self.search.setMinimumWidth(max(120, hint + BOX_CHROME))
            self.results = MiddleElidedCombo()
            # A line is name, post and month of birth ("王飞龙 云江市住房和城乡建设局二级主任科员
            # 1985.02生" needs 376 px); narrower, the combo cut the birth off.
            self.results.setMinimumWidth(420)
            self.results.setMaxVisibleItems(20)
            layout = QHBoxLayout(self)
            layout.addWidget(self.search, 1)
            layout.addWidget(self.results, 2)
            self.results.currentIndexChanged.connect(lambda _i: self._emit())
        else:
            self.results = QListWidget()
            self.results.setMinimumHeight(120)
            self.results.setItemDelegate(TwoRowDelegate(self.results))
            self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
            if multi:
                self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            layout = QVBoxLayout(self)
            layout.addWidget(self.search)
            layout.addWidget(self.results, 1)
            self.results.currentItemChanged.connect(lambda *_a: self._emit())
        layout.setContentsMargins(0, 0, 0, 0)
        self.setFocusProxy(self.search)
        if len(self.hints) > 1:
            self.search.installEventFilter(self)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._pause.start())
        self._quiet = False
        self._said: int | None = None  # the cadre last said by cadre_selected: it is said again only on a change
        self.refresh()
        if cadre_id is not None:
            self.set_cadre(cadre_id)

    # ---- what is chosen --------------------------------------------------------------------------
    def cadre_id(self) -> int | None:
        if self.compact:
            return self.results.currentData()
        item = self.results.currentItem()
        return item.data(USER) if item is not None and self._selectable(item) else None

    def cadre_ids(self) -> list[int]:
        """Every selected cadre (``multi``), in list order."""
        if self.compact:
            return [i] if (i := self.cadre_id()) is not None else []
        return [item.data(USER) for item in sorted(self.results.selectedItems(), key=self.results.row)
                if self._selectable(item)]

    def form_state(self) -> tuple[int, ...]:
        """What a form compares to tell a change (``FormDialog.has_changes``): the cadres chosen, not the
        text searched for."""
        return tuple(self.cadre_ids())

    def cadre_name(self) -> str:
        row = readable_cadres(self.context).row(self.cadre_id()) if self.cadre_id() is not None else None
        return row[COL["name"]] if row is not None else ""

    def set_cadre(self, cadre_id: int | None) -> None:
        """Choose ``cadre_id`` (searching for the name when the current matches lack it); cadre_selected
        is emitted when the chosen cadre changes — also when the match lands where the previous one was."""
        if cadre_id is None:
            if self.compact:
                self.results.setCurrentIndex(0 if self.allow_empty else -1)
            else:
                self.results.setCurrentRow(-1)
            self._emit()
            return
        if self._position(cadre_id) < 0:
            row = readable_cadres(self.context).row(cadre_id)
            if row is None:
                return  # outside the operator's scope, or gone
            self._quiet = True
            self.search.setText(row[COL["name"]])
            self._pause.stop()
            self.refresh()
            self._quiet = False
            if self._position(cadre_id) < 0:  # many of that name: add it
                self._add(readable_cadres(self.context), row)
        position = self._position(cadre_id)
        if self.compact:
            self.results.setCurrentIndex(position)
        else:
            self.results.setCurrentRow(position)
        self._emit()  # the index may be the previous one's: no change of the combo's or list's own

    # ---- searching -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Search now with the box's text (the typing pause calls it)."""
        index = readable_cadres(self.context)
        current = self.cadre_id()
        text = self.search.text().strip()
        self.results.blockSignals(True)
        self.results.clear()
        if self.compact and self.allow_empty:
            self.results.addItem("（无）", None)
        rows = index.filter(CadreFilter(text=text, status=self.status)) if text or not self.compact else []
        if self.order in ("birth", "-birth"):
            rows = index.sort(rows, "birth", descending=self.order == "-birth")
        else:
            rows = index.sort(rows, "name")
        for row in rows[:LIMIT]:
            self._add(index, row)
        if len(rows) > LIMIT:
            more = f"……共 {len(rows)} 人，只列出前 {LIMIT} 人，请输入更多文字缩小范围"
            if self.compact:
                self.results.addItem(more, None)
                self.results.model().item(self.results.count() - 1).setEnabled(False)
            else:
                item = QListWidgetItem(more)
                item.setToolTip(more)  # elided in a narrow list
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                self.results.addItem(item)
        if current is not None and self._position(current) < 0 and self.compact and not text:
            row = index.row(current)
            if row is not None:
                self._add(index, row)
        position = self._position(current) if current is not None else -1
        if self.compact:
            self.results.setCurrentIndex(position if position >= 0 else (0 if self.results.count() else -1))
        else:
            self.results.setCurrentRow(position)
        self.results.blockSignals(False)
        if not self._quiet:
            self._emit()

    def _label(self, index: CadreIndex, row: tuple) -> str:
        where = row[COL["position"]] or index.unit_names.get(row[COL["unit"]], "")
        birth = birth_note(row[COL["birth"]])
        return f"{row[COL['name']]}{self.notes.get(row[ID], '')}　{where}" + (f"　{birth}" if birth else "")

    def _add(self, index: CadreIndex, row: tuple) -> None:
        text = self._label(index, row)
        unit = index.unit_names.get(row[COL["unit"]], "")
        if self.compact:
            self.results.addItem(text, row[ID])
            self.results.setItemData(self.results.count() - 1, unit, Qt.ItemDataRole.ToolTipRole)
        else:
            item = QListWidgetItem(text)
            item.setData(USER, row[ID])
            birth = birth_note(row[COL["birth"]])
            item.setData(NAME_ROLE, f"{row[COL['name']]}{self.notes.get(row[ID], '')}")
            item.setData(BIRTH_ROLE, birth)
            item.setData(POST_ROLE, row[COL["position"]] or unit)
            item.setToolTip("\n".join(part for part in (item.data(NAME_ROLE), unit, row[COL["position"]], birth)
                                       if part))
            self.results.addItem(item)

    def _position(self, cadre_id: int) -> int:
        if self.compact:
            return self.results.findData(cadre_id)
        for i in range(self.results.count()):
            if self.results.item(i).data(USER) == cadre_id:
                return i
        return -1

    @staticmethod
    def _selectable(item: QListWidgetItem) -> bool:
        return bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)

    def _emit(self) -> None:
        """Say the chosen cadre when it is not the one last said (not on a mere move of the index)."""
        chosen = self.cadre_id()
        if chosen != self._said:
            self._said = chosen
            self.cadre_selected.emit(chosen)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.Type.Resize:
            room = self.search.width() - BOX_CHROME
            metrics = self.search.fontMetrics()
            self.search.setPlaceholderText(next((hint for hint in self.hints if metrics.horizontalAdvance(hint) <= room),
                                                self.hints[-1]))
        return False

    def setReadOnly(self, readonly: bool) -> None:  # noqa: N802 - as the other editors
        self.search.setEnabled(not readonly)
        self.results.setEnabled(not readonly)
