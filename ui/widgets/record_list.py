"""A list of records on a page: its filters above (each change lists again), a row of buttons, the
table, and a count; 新增 / 修改 / 删除 through the record's dialog and its service — a refusal said in
Chinese at the dialog's field or in a box, a deletion confirmed first — and every page watching the
capability listed again after a change (``context.data_changed``). What 谈心关爱, 干部监督, 专业干部库 and
政治体检 (and any list of records of cadres) share:

    panel = RecordList(context, "supervision", model, lambda: supervision.list_records(flt()),
                       filters=("单位", unit_box, kind_box, (search_box("查找：姓名"), 1)))
    panel.add_actions(("new", "新增监督记录…", lambda: panel.run(Dialog(context, parent=panel)), EDITABLE),
                      ("edit", "修改…", lambda: panel.edit(lambda r: Dialog(context, r, parent=panel)), ONE),
                      ("delete", "删除", lambda: panel.delete("删除监督记录", question, service), ONE))
    panel.reload()

A button is enabled by its rule: EDITABLE (the operator may change records), ONE (and a row is
current), SOME (and rows are selected), EXPORT, or any ``rule(panel) -> bool``. A catalogue the
administrator keeps (对照检查项目, 专业干部库) is a ``CatalogueDialog``, each entry a
``CatalogueEntryDialog``.

A list of thousands is read off the GUI thread (``background=True``): ``load()`` then runs on the GUI
thread only to read the filters and returns the work — a function without arguments, the service's call —
which the program's task runner (``context.tasks``) runs; the list says 「正在载入…」 meanwhile, keeps
the rows it shows (and every button acting on them) until the new ones are there, and shows the rows of
the newest request only.

A change made elsewhere (``context.data_changed`` of the capability, ``cadres_changed``) lists again at once
while the list is shown; a list not shown — its page behind another, its tab not chosen — lists again once,
when it is shown (``when_shown``); the list that made the change lists again at once (``changed``)."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain.fields import RecordSpec
from ui.widgets import messages
from ui.widgets.field_widgets import changed_signal
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.rows_model import RowsModel, current_row, make_table, selected_rows
from ui.widgets.tasks import Newest
from ui.widgets.when_shown import ReloadWhenShown

Rule = Callable[["RecordList"], bool]


def EDITABLE(panel: RecordList) -> bool:  # noqa: N802 - a rule, named as a constant
    return not panel.context.readonly


def ONE(panel: RecordList) -> bool:  # noqa: N802
    return EDITABLE(panel) and panel.current() is not None


def SOME(panel: RecordList) -> bool:  # noqa: N802
    return EDITABLE(panel) and bool(panel.selected())


def EXPORT(panel: RecordList) -> bool:  # noqa: N802
    return panel.context.allows(permissions.EXPORT)


def button_row(buttons: dict[str, QPushButton], specs: Iterable[Sequence], row: QBoxLayout | None = None,
               stretch: bool = True) -> QBoxLayout:
    """Buttons from (key, text, slot, …) in a row (or ``row``: a column of them), kept in ``buttons`` by
    key, the row's rest left empty (``stretch``)."""
    row = QHBoxLayout() if row is None else row
    for key, text, slot, *_rule in specs:
        button = QPushButton(text)
        button.clicked.connect(slot)
        buttons[key] = button
        row.addWidget(button)
    if stretch:
        row.addStretch(1)
    return row


def search_box(hint: str) -> QLineEdit:
    """The search field of a list: what it searches in its placeholder, a clear button."""
    box = QLineEdit()
    box.setPlaceholderText(hint)
    box.setClearButtonEnabled(True)
    return box


def choice_filter(all_text: str, items: Iterable[str]) -> QComboBox:
    """A filter of a list by one of ``items`` (its data the item; ``all_text`` first, data "")."""
    box = QComboBox()
    box.addItem(all_text, "")
    for item in items:
        box.addItem(item, item)
    return box


class RecordList(QWidget):
    """Filters, buttons and the table of ``model``; ``load()`` returns the rows the filters ask for.

    ``filters``: widgets, texts (a label) or (widget, stretch) in a row — a combo, check box or search
    field among them lists again when changed; ``count(rows)`` the text at the row's end (None: no
    count). ``capability``: changes to it (and to ``watch``, and to the cadres) list again. ``activate``:
    what a double click does (修改 by default, when there is an ``edit`` button). ``background``: ``load()``
    returns the work that reads the rows, run off the GUI thread (see the module's note)."""

    LOADING = "正在载入…"

    def __init__(self, context, capability: str, model: RowsModel, load: Callable[[], list], *,
                 filters: Sequence = (), count: Callable[[list], str] | None = lambda rows: f"共 {len(rows)} 条",
                 buttons: dict[str, QPushButton] | None = None, multi: bool = False, sorting: bool = True,
                 stretch: int | None = 5,
                 activate: Callable[[], None] | None = None, watch: Sequence[str] = (), background: bool = False,
                 parent=None):
        super().__init__(parent)
        # painted as the style sheet says, as a plain QWidget would be (a tab's page: the page colour)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.context, self.capability, self.model, self.load = context, capability, model, load
        self.background = background
        self.loading = False  # a background read not yet shown
        self._reads = Newest(self, context.tasks)  # only the newest background read's rows are shown
        self.count_text = count
        self.buttons: dict[str, QPushButton] = {} if buttons is None else buttons
        self.rules: dict[str, Rule] = {}
        self.filters = QHBoxLayout()
        # typing in a search field of a background list reads once the typing pauses, not per keystroke
        self._typing = QTimer(self, singleShot=True, interval=250, timeout=self.reload)
        for item in filters:
            widget, factor = item if isinstance(item, tuple) else (item, 0)
            widget = QLabel(widget) if isinstance(widget, str) else widget
            self.filters.addWidget(widget, factor)
            if isinstance(widget, QLineEdit) and background:
                widget.textChanged.connect(lambda *_: self._typing.start())
            elif isinstance(widget, (QComboBox, QCheckBox, QLineEdit)):
                changed_signal(widget).connect(lambda *_: self.reload())
        self.count = QLabel()
        if count is not None:
            if not any(self.filters.stretch(i) for i in range(self.filters.count())):
                self.filters.addStretch(1)
            self.filters.addWidget(self.count)
        self.actions = QHBoxLayout()
        self.table = make_table(model, multi=multi, sorting=sorting, stretch=stretch)
        self.table.doubleClicked.connect(lambda _i: (activate or self._activate)())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.enable())
        self.column = QVBoxLayout(self)
        self.column.addLayout(self.filters)
        self.column.addLayout(self.actions)
        self.column.addWidget(self.table, 1)
        # 「正在载入…」 over the table's top left while a background read runs (the rows shown stay usable)
        self.loading_note = QLabel(self.LOADING, self.table.viewport())
        self.loading_note.setObjectName("loadingNote")
        self.loading_note.hide()
        self.when_shown = ReloadWhenShown(self, self.reload)  # hidden: listed again when shown
        names = (capability, *watch, "")
        context.data_changed.connect(lambda name: name in names and self.when_shown.changed())
        context.cadres_changed.connect(lambda _ids: self.when_shown.changed())

    # ---- building ----------------------------------------------------------------------------------
    def add_actions(self, *specs: tuple) -> None:
        """(key, text, slot, rule) buttons in the row above the table."""
        button_row(self.buttons, specs, self.actions)
        self.rules.update((key, rule) for key, _text, _slot, rule in specs)
        self.enable()

    # ---- rows --------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._typing.stop()
        if not self.background:
            self.show_rows(self.load())
            return
        work = self.load()  # the filters read here, on the GUI thread
        self.loading = True
        self._note(self.LOADING)

        def done(rows) -> None:
            self.loading = False
            self.loading_note.hide()
            self.show_rows(rows)

        def failed(message: str) -> None:
            self.loading = False
            self._note(f"载入失败：{message}" if message else "")

        self._reads.start(lambda _progress: work(), done, failed, soon=True)  # once the page has been painted

    def _note(self, text: str) -> None:
        """``text`` in the count and over the table: at its top left when it is empty, else at its bottom
        right, off the first rows' names."""
        if self.count_text is not None:
            self.count.setText(text)
        note, viewport = self.loading_note, self.table.viewport()
        note.setText(text)
        note.adjustSize()
        if self.model.rows:
            note.move(max(0, viewport.width() - note.width() - 12), max(0, viewport.height() - note.height() - 8))
        else:
            note.move(12, 8)
        note.setVisible(bool(text))

    def show_rows(self, rows: list) -> None:
        """``rows`` in the table (formatted as they are painted), the count, the buttons."""
        self.model.set_rows(rows)
        if self.count_text is not None:
            self.count.setText(self.count_text(rows))
        self.enable()

    def current(self):
        return current_row(self.table)

    def selected(self) -> list:
        return selected_rows(self.table)

    def enable(self) -> None:
        for key, rule in self.rules.items():
            self.buttons[key].setEnabled(bool(rule(self)))

    # ---- changing ----------------------------------------------------------------------------------
    def changed(self) -> None:
        """Every page watching the capability lists again (when shown); this one at once."""
        self.context.data_changed.emit(self.capability)
        self.when_shown.flush()  # the change was made here: listed again even if not shown

    def run(self, dialog: QDialog) -> bool:
        """A record's dialog: True (and everything listed again) when it saved."""
        if dialog.exec() == QDialog.Accepted:
            self.changed()
            return True
        return False

    def edit(self, dialog: Callable[[object], QDialog]) -> None:
        """修改: the current row in its dialog, when the operator may change records."""
        row = self.current()
        if row is not None and not self.context.readonly:
            self.run(dialog(row))

    def delete(self, title: str, question: Callable[[object], str], service: Callable[..., object]) -> None:
        """删除 the current row (``service(row.id, row.version, overwrite=…)``: as listed) once the user says
        yes to ``question(row)``; another having changed it since, the user is told who and when and chooses
        (messages.attempt_delete)."""
        row = self.current()
        if row is None or not messages.confirm(self, title, question(row), "删除", danger=True):
            return
        if messages.attempt_delete(self, title, lambda overwrite: service(row.id, row.version, overwrite=overwrite)):
            self.changed()

    def _activate(self) -> None:
        if "edit" in self.rules and self.buttons["edit"].isEnabled():
            self.buttons["edit"].click()


def list_entries(widget: QListWidget, entries: Iterable, text: Callable[[object], str],
                 select: int | None = None) -> None:
    """``widget`` lists ``entries`` (catalogue entries: each its item's data, its description the tip), the
    one with id ``select`` current."""
    widget.clear()
    for entry in entries:
        item = QListWidgetItem(text(entry))
        item.setData(Qt.UserRole, entry)
        if entry.description:  # whole on hover, wrapped (rich text): a long one on one line ran off the screen
            item.setToolTip(f"<p>{html.escape(entry.description)}</p>")
        widget.addItem(item)
        if entry.id == select:
            widget.setCurrentItem(item)


def current_entry(widget: QListWidget):
    """The entry of ``widget``'s current item (``list_entries``), or None."""
    item = widget.currentItem()
    return item.data(Qt.UserRole) if item is not None else None


class CatalogueDialog(FormDialog):
    """A catalogue the administrator keeps (对照检查项目, 专业干部库): its entries in a list (停用 ones
    marked), 新增… / 修改… / 删除 beside it (and ``extra`` buttons before 删除), each entry in its own
    ``entry_dialog(entry_or_None, parent)``; ``remove(entry, overwrite)`` deletes one as listed after
    ``question(entry)`` — another administrator having changed it since, the user is told who and when and
    chooses (messages.attempt_delete)."""

    ok_text = "关闭"

    def __init__(self, entries: Callable[[], list], entry_dialog: Callable[..., QDialog],
                 remove: Callable[[object, bool], object], question: Callable[[object], str], *, delete_title: str,
                 choose_first: str, extra: Sequence[tuple[str, Callable[[], None]]] = (), parent=None):
        super().__init__(parent)
        self.entries, self.entry_dialog, self.remove = entries, entry_dialog, remove
        self.question, self.delete_title, self.choose_first = question, delete_title, choose_first
        self.cancel_button.hide()
        self.list = QListWidget()
        # A long description (对照内容 of two sentences) wraps within the list, each entry a row as high as
        # it needs: on one line it ran off behind a horizontal scroll bar at 1366×768.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit())
        self.side_buttons: dict[str, QPushButton] = {}
        specs = (("add", "新增…", self.add), ("edit", "修改…", self.edit),
                 *((text, text, slot) for text, slot in extra), ("delete", "删除", self.delete))
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(button_row(self.side_buttons, specs, QVBoxLayout()))
        self.body.addLayout(row)

    def reload(self, select: int | None = None) -> None:
        list_entries(self.list, self.entries(),
                     lambda entry: f"{entry.name}{'（停用）' if entry.retired else ''}　{entry.description}", select)

    def current(self):
        return current_entry(self.list)

    def add(self) -> None:
        dialog = self.entry_dialog(None, self)
        if dialog.exec() == QDialog.Accepted:
            self.reload(dialog.result_value.id)

    def edit(self) -> None:
        entry = self.current()
        if entry is None:
            messages.info(self, self.windowTitle(), self.choose_first)
            return
        if self.entry_dialog(entry, self).exec() == QDialog.Accepted:
            self.reload(entry.id)

    def delete(self) -> None:
        entry = self.current()
        if entry is None or not messages.confirm(self, self.delete_title, self.question(entry), "删除", danger=True):
            return
        if messages.attempt_delete(self, self.delete_title, lambda overwrite: self.remove(entry, overwrite)):
            self.reload()


class CatalogueEntryDialog(FormDialog):
    """新增 / 修改 one entry of a catalogue: its name, description and 停用 (``retired_text`` says what
    that means for it); a subclass names the ``record`` (labels), the ``noun``, the ``entry_type`` and
    ``save_entry(entry, overwrite)`` (the service, with ``self.entry`` as read). An entry changed keeps what
    the dialog does not show (order, version); another administrator having saved it since, the user is told
    who and when and chooses (FormDialog.save_checked)."""

    ok_text = "保存"
    record: RecordSpec
    noun = ""
    entry_type: type
    retired_text = ""
    description_height = 70
    min_width = 480

    def __init__(self, entry=None, parent=None):
        super().__init__(parent, f"新增{self.noun}" if entry is None else f"修改{self.noun} — {entry.name}")
        self.entry = entry
        label = lambda key: self.record.label_of(key) + "："  # noqa: E731
        self.name = self.add_field("name", label("name"), QLineEdit(entry.name if entry else ""))
        self.description = self.add_field("description", label("description"),
                                          text_box(entry.description if entry else "", self.description_height))
        self.retired = QCheckBox(self.retired_text)
        self.retired.setChecked(bool(entry and entry.retired))
        self.form.addRow("", self.retired)
        self.setMinimumWidth(self.min_width)

    def save(self):
        values = {"name": self.name.text(), "description": self.description.toPlainText(),
                  "retired": self.retired.isChecked()}
        entry = self.entry_type(None, **values) if self.entry is None else dataclasses.replace(self.entry, **values)
        return self.save_checked(lambda: self.save_entry(entry, False), lambda: self.save_entry(entry, True))

    def save_entry(self, entry, overwrite: bool):
        raise NotImplementedError
