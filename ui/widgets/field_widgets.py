"""Editors for one registry field each (FieldSpec.kind → widget), used by the profile dialog.

Each editor keeps exactly what the user typed: a value that is not in the code table stays in the
box and goes to validation as it is, so the error message can name it."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.domain.dates import DateError, parse_date
from cadre_desk.domain.fields import FieldSpec, display_value
from ui.widgets.date_edit import DateEdit

# Code tables short enough to pick from a plain list; longer ones are editable with a completer.
SMALL_TABLE = 12

# Item models shared by every combo showing the same list (filling a combo item by item is most of
# the cost of building a form). Code tables do not change while the program runs; the unit list is
# rebuilt when it differs from the last one. A combo that must add an item copies the model first.
_CODE_MODELS: dict[tuple[str, bool], QStandardItemModel] = {}
_UNIT_MODEL: list = [None, None]  # [key, model]


def _model_of(rows) -> QStandardItemModel:
    """(text, data) rows → an item model as QComboBox.addItem would build it."""
    model = QStandardItemModel()
    for text, data in rows:
        item = QStandardItem(text)
        item.setData(data, Qt.UserRole)
        model.appendRow(item)
    return model


def code_model(table: str, allow_empty: bool = True) -> QStandardItemModel:
    """The shared combo model of a code table: names shown, codes as item data ("" first if empty allowed)."""
    model = _CODE_MODELS.get((table, allow_empty))
    if model is None:
        rows = [(name, code) for code, name in codes.table(table).items]
        model = _model_of(([("", "")] if allow_empty else []) + rows)
        _CODE_MODELS[(table, allow_empty)] = model
    return model


def unit_model(units) -> QStandardItemModel:
    """The shared combo model of the unit tree (indented names, unit id as item data)."""
    units = list(units)
    # A new database has no unit yet: say where one is made, rather than an empty list to choose from.
    first = "（请选择单位）" if units else "（还没有单位：请先在“单位管理”中新建单位）"
    rows = [(first, None)] + [("　" * max(0, u.depth) + u.name, u.id) for u in units]
    key = tuple(rows)
    if _UNIT_MODEL[0] != key:
        _UNIT_MODEL[:] = [key, _model_of(rows)]
    return _UNIT_MODEL[1]


def _share_model(combo: QComboBox, model: QStandardItemModel) -> None:
    combo.setModel(model)
    combo._shared_model = model  # alive as long as the combo, even once the cache holds a newer one


def _own_model(combo: QComboBox) -> None:
    """Give ``combo`` a private copy of its shared model before it changes the items."""
    shared = combo.model()
    if shared.parent() is combo:
        return
    current = combo.currentIndex()
    rows = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    with QSignalBlocker(combo):
        model = _model_of(rows)
        model.setParent(combo)
        combo.setModel(model)
        if combo.completer() is not None:
            combo.completer().setModel(model)
        combo.setCurrentIndex(current)


def _contains_completer(combo: QComboBox) -> None:
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchContains)
    completer.setCompletionMode(QCompleter.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseInsensitive)
    combo.setCompleter(completer)


class CodeCombo(QComboBox):
    """Shows names, stores codes. Large tables are editable (type 汉族 or pick it)."""

    def __init__(self, table: str, allow_empty: bool = True, parent=None):
        super().__init__(parent)
        self.table = codes.table(table)
        self.setMaxVisibleItems(20)
        _share_model(self, code_model(table, allow_empty))
        if len(self.table.items) > SMALL_TABLE:
            self.setEditable(True)
            self.setInsertPolicy(QComboBox.NoInsert)
            _contains_completer(self)

    def value(self) -> str:
        text = self.currentText().strip()
        if self.isEditable():
            if not text:
                return ""
            if self.currentIndex() >= 0 and self.itemText(self.currentIndex()) == text:
                return self.currentData() or ""
            return self.table.code(text) or text  # unknown text goes to validation unchanged
        return self.currentData() or ""

    def set_value(self, code) -> None:
        code = "" if code is None else str(code)
        pos = self.findData(code)
        if pos < 0 and code:
            pos = self.findText(code)  # a name given instead of a code
        if pos >= 0:
            self.setCurrentIndex(pos)
        elif not code:
            self.setCurrentIndex(-1)  # nothing chosen yet (a required field has no empty item)
        elif self.isEditable():
            self.setCurrentIndex(-1)
            self.setEditText(code)
        else:
            _own_model(self)
            self.addItem(code, code)  # an old code the table no longer has: keep it visible
            self.setCurrentIndex(self.count() - 1)


class SuggestCombo(QComboBox):
    """Free text with suggestions from a code table (专业技术职务 ← GB8561)."""

    def __init__(self, table: str, parent=None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        _share_model(self, code_model(table, allow_empty=True))
        self.setMaxVisibleItems(20)
        _contains_completer(self)

    def value(self) -> str:
        return self.currentText().strip()

    def set_value(self, text) -> None:
        self.setCurrentIndex(-1)
        self.setEditText("" if text is None else str(text))


class UnitCombo(QComboBox):
    """The unit tree as an indented list; stores the unit id."""

    def __init__(self, units, parent=None):
        super().__init__(parent)
        self.setMaxVisibleItems(25)
        _share_model(self, unit_model(units))

    def value(self):
        return self.currentData()

    def set_value(self, unit_id) -> None:
        pos = self.findData(unit_id) if unit_id is not None else 0
        self.setCurrentIndex(max(0, pos))


class CodesChecks(QWidget):
    """Several codes at once (干部类别) as check boxes; stored "01,03"."""

    changed = Signal()

    def __init__(self, table: str, parent=None):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(16)
        for i, (code, name) in enumerate(codes.table(table).items):
            box = QCheckBox(name)
            box.toggled.connect(lambda _c: self.changed.emit())
            self.boxes[code] = box
            layout.addWidget(box, i // 4, i % 4)

    def value(self) -> str:
        return ",".join(code for code, box in self.boxes.items() if box.isChecked())

    def set_value(self, value) -> None:
        wanted = {c for c in str(value or "").split(",") if c}
        for code, box in self.boxes.items():
            with QSignalBlocker(box):
                box.setChecked(code in wanted)

    def setReadOnly(self, readonly: bool) -> None:  # noqa: N802 - mirrors QLineEdit
        for box in self.boxes.values():
            box.setEnabled(not readonly)


class LineEditor(QLineEdit):
    def value(self) -> str:
        return self.text()

    def set_value(self, value) -> None:
        self.setText("" if value is None else str(value))


class PartyEditor(LineEditor):
    """入党时间: shown as the form writes it (2001.08；民建); what was typed goes to validation as it is."""

    def __init__(self, spec: FieldSpec, parent=None):
        super().__init__(parent)
        self.spec = spec

    def set_value(self, value) -> None:
        self.setText(display_value(self.spec, value))


class FieldDateEdit(DateEdit):
    """A registry date field: shown 1986.05 / 2024.03.15, typed as clerks type; what cannot be read goes
    to validation as typed, which names the problem at the field."""

    def value(self) -> str:
        try:
            return parse_date(self.line.text(), self.precision)
        except DateError:
            return self.line.text()


class TextEditor(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(64)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value) -> None:
        self.setPlainText("" if value is None else str(value))


def make_editor(spec: FieldSpec, units, parent: QWidget | None = None) -> QWidget:
    """The editor of one field; created inside ``parent`` when given (cheaper than adding it later)."""
    if spec.kind == "code":
        return CodeCombo(spec.code_table, allow_empty=not spec.required, parent=parent)
    if spec.kind == "codes":
        return CodesChecks(spec.code_table, parent)
    if spec.kind == "unit":
        return UnitCombo(units, parent)
    if spec.kind == "longtext":
        editor = TextEditor(parent)
        editor.setPlaceholderText(spec.placeholder)
        return editor
    if spec.suggestions:
        return SuggestCombo(spec.suggestions, parent)
    if spec.kind == "date":
        return FieldDateEdit(precision=spec.precision, parent=parent, label=spec.label, key=spec.key)
    editor = PartyEditor(spec, parent) if spec.kind == "party" else LineEditor(parent)
    placeholder = spec.placeholder
    if spec.kind == "party":
        editor.setToolTip(placeholder)  # the full example; the box shows the short one
        placeholder = "例：2001.08 或 民建"
    if not placeholder and spec.kind == "id_number":
        placeholder = "18 位公民身份号码"
    editor.setPlaceholderText(placeholder)
    return editor


def changed_signal(editor: QWidget):
    """The signal that fires when the user changes the editor's value (a form's field, a list's filter)."""
    if isinstance(editor, QCheckBox):
        return editor.toggled
    if isinstance(editor, DateEdit):
        return editor.line.textChanged
    if isinstance(editor, QComboBox):
        return editor.currentTextChanged
    if isinstance(editor, QLineEdit):
        return editor.textChanged
    if isinstance(editor, QPlainTextEdit):
        return editor.textChanged
    return editor.changed


def set_readonly(editor: QWidget, readonly: bool) -> None:
    if isinstance(editor, (QLineEdit, QPlainTextEdit, CodesChecks, DateEdit)):
        editor.setReadOnly(readonly)
    else:
        editor.setEnabled(not readonly)
