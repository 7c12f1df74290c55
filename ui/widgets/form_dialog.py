"""The one dialog base: a form of fields, each with its own error line, a banner for what concerns the
whole record, and 确定 / 取消 (or the subclass's words) — the geometry the user gave it remembered.

A subclass adds its fields with ``add_field(key, label, editor)`` (the key is the service's
ValidationError key), puts anything else into ``self.body``, and implements ``save()``: it calls the
service and returns what the caller needs (kept in ``result_value``). When the service refuses, the
dialog stays open with every message at its field, nothing typed lost:

    class LineDialog(FormDialog):
        title = "新增战线"

        def __init__(self, parent=None):
            super().__init__(parent)
            self.name = self.add_field("name", "名称", QLineEdit())

        def save(self):
            return postings.save_line(postings.LineInfo(None, self.name.text()))

Geometry is kept per dialog class in QSettings (``dialogs/<key>/geometry``), restored on first show
(after the subclass's own default ``resize``) and kept inside the screen; saved when the dialog closes,
whether by 确定, 取消 or Esc (as calibre's dialog base does).

取消, Esc and the title bar's ✕ close a form left as it opened at once; one whose fields differ from what they
held when it was shown (``has_changes``: every editor of the dialog — a line, a date, a choice, a picked
cadre — compared by value) asks first (``messages.ask_discard``), 继续填写 keeping everything as typed. A
dialog of choices rather than typing says ``asks_before_closing = False``. What the form opened with is taken
when it first shows; hidden and shown again it keeps the typing as changes. A form that fills its fields
after it shows (data read later, a worker's result) calls ``remember_fields()`` once they are filled.

A form filled in is also named in the one question asked before leaving the program (退出, 注销, 切换用户,
从备份恢复; listed as lost at the idle lock's 退出程序): ``has_unsaved`` / ``save_before_leaving`` for
``ui.widgets.unsaved``; one that ``hands_back`` its choice is named there as lost (its caller would act on it
only after the window had closed)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain.dates import DateError
from cadre_desk.domain.errors import CadreDeskError, Cancelled, ConflictError, ValidationError
from cadre_desk.domain.progress import NO_PROGRESS
from ui.widgets import messages
from ui.widgets.window import resize_to_screen, settings

ERROR_STYLE = "color: #b3261e;"
BANNER_STYLE = "QLabel { background: #fdecea; color: #a12622; border: 1px solid #f3b7b3; padding: 6px 10px; }"
# Set on a dialog only once it shows an error: a style sheet on every dialog would slow each one's build.
FIELD_ERROR_STYLE = 'QWidget[error="true"] { border: 1px solid #d9363e; background: #fff6f6; }'


# A save refused because another saved the record since the dialog read it, in a dialog that does not offer
# the choice (save_checked): the typing stays, and the user is told how to go on.
NOT_SAVED_OVER = "您的修改尚未保存，仍在本窗口中：可先复制需要的内容，关闭后重新打开再修改。"


class FormDialog(QDialog):
    title = ""
    progress_title = ""  # a dialog whose save may take long: what its progress dialog says (see save_work)
    heading = ""  # a larger first line (login, first start); none by default
    ok_text = messages.OK
    cancel_text = messages.CANCEL
    geometry_key = ""  # default: the class name
    # 取消 / Esc / ✕ on a form whose fields differ from what it opened with asks before closing (nothing
    # typed is lost by a stray key); False for a dialog that only offers choices for one action (导出,
    # 打印 options, a picker, a result) or asks in its own way.
    asks_before_closing = True
    # True for a form whose 确定 only hands a choice back to the code that opened it (that code does the work
    # once ``exec`` returns): on leaving the program it is named as lost, not saved (ui.widgets.unsaved).
    hands_back = False

    def __init__(self, parent: QWidget | None = None, title: str | None = None, *, ok_text: str | None = None,
                 cancel_text: str | None = None, heading: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title if title is not None else self.title)
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}  # key → (editor, its error line)
        self.result_value = None
        self.saving = None  # the task of a save running through the task runner (save_work)
        self._geometry_restored = False
        self._opened: dict[QWidget, object] = {}  # each field → its value when the form was shown

        self.layout_ = QVBoxLayout(self)
        heading = self.heading if heading is None else heading
        if heading:
            self.heading_label = QLabel(heading)
            font = self.heading_label.font()
            font.setPointSizeF(font.pointSizeF() * 1.25)
            font.setBold(True)
            self.heading_label.setFont(font)
            self.heading_label.setWordWrap(True)
            self.layout_.addWidget(self.heading_label)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.addLayout(self.form)
        # What the subclass shows besides its fields (tables, lists, notes) goes into body.
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        self.layout_.addLayout(self.body)
        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.layout_.addWidget(self.banner)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text or self.ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(cancel_text or self.cancel_text,
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        # Ctrl+S is 确定 (保存) as in the profile dialog; Esc is 取消 (QDialog's own).
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self._save_key)

    # ---- building --------------------------------------------------------------------------------
    def add_field(self, key: str, label: str, editor, hint: str = "", form: QFormLayout | None = None):
        """A labelled row for the field ``key`` with an error line under it; returns ``editor``.
        ``editor`` may be a layout (an editor with a button beside it). ``form``: another form layout of
        the dialog (a group box's) than the main one."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(editor, QWidget):
            column.addWidget(editor)
        else:
            column.addLayout(editor)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            column.addWidget(note)
        error = QLabel()
        error.setObjectName("fieldError")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        if isinstance(editor, QWidget) and not _grows(editor):
            # A box of fixed height (text_box: 下一步安排, 理由…) keeps its row to its height: the form gave
            # the row the dialog's spare height, the box sank to its middle and its name stood ~12 px above it.
            box.setSizePolicy(box.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Maximum)
        (self.form if form is None else form).addRow(label, box)
        target = editor if isinstance(editor, QWidget) else box
        self.fields[key] = (target, error)
        if hasattr(target, "bind_field"):
            target.bind_field(key, label)  # a DateEdit says its errors under its field's name
        return editor

    def add_button(self, text: str, slot, role=QDialogButtonBox.ButtonRole.ActionRole) -> QPushButton:
        """One more button beside 确定 / 取消 (其他操作); ``slot`` runs when clicked."""
        button = self.buttons.addButton(text, role)
        button.clicked.connect(slot)
        return button

    def _save_key(self) -> None:
        if self.ok_button.isVisible() and self.ok_button.isEnabled():
            self.ok_button.click()

    # ---- saving ----------------------------------------------------------------------------------
    def save(self):
        """Call the service; return what the caller needs. Raise ValidationError / CadreDeskError to
        refuse (the dialog stays open with the messages), Cancelled to stay open without a word. By
        default: the ``save_work`` at once, without progress (None when there is none)."""
        work = self.save_work()
        if work is None:
            return None
        self.result_value = work(NO_PROGRESS)
        return self.result_value

    def save_checked(self, write, overwrite):
        """For ``save()``: ``write()`` (the service call with what the dialog read, checked against the
        store); another having saved the record since (a ConflictError, naming who and when), the user
        chooses: 重新载入对方的修改 (nothing written, the dialog closes and its caller shows the record as
        stored), 仍然保存我的修改 (``overwrite()``: the call unchecked), 取消 (stays open on the typing)."""
        try:
            return write()
        except ConflictError as exc:
            answer = messages.ask_conflict(self, self.windowTitle(), exc)
            if answer is None:
                raise Cancelled() from exc
            return overwrite() if answer == messages.OVERWRITE else None

    def save_work(self):
        """A dialog whose save may take long (a group of thousands) returns ``work(progress)`` here: the
        service call with what the fields say, read now, on the GUI thread. accept() then runs it through
        the task runner of ``self.context`` with its progress dialog and 取消 (see save_in_background);
        ``save()`` runs it at once, without progress. None (the default): accept() calls save()."""
        return None

    def accept(self) -> None:
        self.clear_errors()
        if self.saving is not None:
            return  # the save is running: one at a time
        try:
            work = self.save_work()
            if work is not None:
                self.save_in_background(self.context.tasks, work)
                return
            self.result_value = self.save()
        except Cancelled:  # the user said no to a question save() asked: stay, nothing to say
            return
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except DateError as exc:  # a date the subclass parsed itself
            self.show_errors({"": str(exc)})
            return
        except ConflictError as exc:  # a dialog that does not ask (save_checked): what to do, and nothing lost
            messages.log_problem(self.windowTitle(), exc)
            self.show_errors({"": f"{exc}\n{NOT_SAVED_OVER}"})
            return
        except CadreDeskError as exc:
            messages.log_problem(self.windowTitle(), exc)
            self.show_errors({"": messages.describe(exc)})
            return
        super().accept()

    def save_in_background(self, tasks, work) -> None:
        """Run ``work(progress)`` through ``tasks`` (the one task runner: its progress dialog, 取消). The
        dialog waits, its buttons off, Esc ignored; then it is accepted with the result in
        ``result_value``, or shows the refusal at its fields as save()'s, or — after 取消 — says that
        nothing was saved (the service writes all or nothing) and stays open."""
        self.buttons.setEnabled(False)

        def finished(result) -> None:
            self.saving = None
            self.buttons.setEnabled(True)
            self.result_value = result
            QDialog.accept(self)

        def failed(message: str) -> None:
            problem, self.saving = self.saving.exception, None
            self.buttons.setEnabled(True)
            if isinstance(problem, Cancelled):
                self.show_banner("已取消，未作任何更改。")
            elif isinstance(problem, ValidationError):
                self.show_errors(problem.errors)
            elif message:
                if isinstance(problem, CadreDeskError):  # the runner logs the unexpected, with their traceback
                    messages.log_problem(self.windowTitle(), problem)
                self.show_errors({"": message})

        self.saving = tasks.run_with_progress(self, self.progress_title or self.windowTitle(), work,
                                              on_done=finished, on_error=failed)

    def reject(self) -> None:
        if self.saving is not None:
            return  # 取消 in the progress dialog stops the save; this one closes once it has
        if self.asks_before_closing and self.has_changes() and not messages.ask_discard(self, self.windowTitle()):
            return  # Esc, 取消 or ✕ on a form filled in: 继续填写 keeps every field as it is
        super().reject()

    # ---- what the user changed -------------------------------------------------------------------
    def remember_fields(self) -> None:
        """The fields' values now are what the form opened with (done when it first shows; a dialog that fills
        its fields later, off the GUI thread, calls it again once they are filled)."""
        self._opened = {widget: state for widget in self.findChildren(QWidget)
                        if (state := field_state(widget)) is not NOT_A_FIELD}

    def has_changes(self) -> bool:
        """Does a field the user can edit differ from what the form opened with (a date, a choice in a list,
        a picked cadre, a line or paragraph typed)? Also: text typed into a box of several lines that the
        dialog made after it opened."""
        opened = self._opened
        for widget in self.findChildren(QWidget):
            if widget not in opened or not _editable(widget, self):
                continue
            if field_state(widget) != opened[widget]:
                return True
        return any(box.document().isModified() and box.toPlainText().strip()
                   for box in self.findChildren(QPlainTextEdit)
                   if box not in opened and _editable(box, self))

    # ---- leaving the program (ui.widgets.unsaved) ---------------------------------------------------
    def has_unsaved(self) -> bool:
        """A form open and filled in counts where the program gathers unsaved edits before leaving (退出,
        注销, 切换用户, the idle lock, 从备份恢复), named by its title; not one that does not ask before
        closing, nor one whose save is running."""
        return (self.asks_before_closing and self._geometry_restored  # shown (what it opened with is known)
                and self.saving is None and self.has_changes())

    def unsaved_label(self) -> str:
        return self.windowTitle()

    def save_before_leaving(self) -> bool:
        """保存 in the question asked before leaving: the form's own 确定. Saved, it closes as after 确定 (its
        caller goes on as then) — True; refused, it stays in front with the messages at its fields and
        the leaving stops — False. A save that runs with progress (save_work) starts, and the leaving
        stops: it is left once the form has closed."""
        self.accept()
        if self.isVisible():
            self.raise_()
            self.activateWindow()
            return False
        return self.result() == QDialog.DialogCode.Accepted

    # ---- errors ----------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for editor, error in self.fields.values():
            if error is not self.banner:
                error.hide()
                error.clear()
            if editor.property("error"):
                editor.setProperty("error", False)
                editor.style().unpolish(editor)
                editor.style().polish(editor)
        self.banner.hide()
        self.banner.clear()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field; those of no field (or of the record: key "") in the banner.
        The first field in error gets the focus."""
        loose = []
        first = None
        for key, text in errors.items():
            field = self.fields.get(key)
            if field is None:
                loose.append(text)
                continue
            editor, error = field
            if error is self.banner:  # a field without its own line (a picker in a group box)
                loose.append(text)
            else:
                error.setText(text)
                error.show()
            if FIELD_ERROR_STYLE not in self.styleSheet():
                self.setStyleSheet(self.styleSheet() + FIELD_ERROR_STYLE)
            editor.setProperty("error", True)
            editor.style().unpolish(editor)
            editor.style().polish(editor)
            first = first or editor
        if loose:
            self.show_banner("\n".join(loose))
        if first is not None:
            first.setFocus()

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def error_text(self, key: str) -> str:
        """The message shown at field ``key`` (or in the banner for ""), for tests and callers."""
        if key in self.fields:
            error = self.fields[key][1]
            return error.text() if not error.isHidden() else ""
        return self.banner.text() if not self.banner.isHidden() else ""

    # ---- geometry --------------------------------------------------------------------------------
    def _settings_key(self) -> str:
        return f"dialogs/{self.geometry_key or type(self).__name__}/geometry"

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self._geometry_restored:  # the first show
            self._geometry_restored = True
            self._fields_first()
            stored = settings().value(self._settings_key())
            if stored is not None and self.restoreGeometry(stored):
                resize_to_screen(self, self.width(), self.height())
            layout = self.layout()  # a wrapped label is taller than the first size Qt gives it
            if layout is not None and layout.hasHeightForWidth():
                need = layout.totalHeightForWidth(self.width())
                if need > self.height():
                    self.resize(self.width(), need)
            # what it opened with: taken once. Hidden and shown again (the idle lock, a caller's show()) it
            # keeps the user's typing as changes; only an explicit remember_fields() re-baselines
            self.remember_fields()
        super().showEvent(event)

    def _fields_first(self) -> None:
        """确定 / 取消 last in the Tab order and the first field focused: the buttons were made before the
        subclass's fields, so they came first (the dialog opened on 确定, and Tab went 确定 → 取消 → the
        fields). Put back into the dialog, the button box joins the end of its Tab order. A focus the
        subclass gave (the login's 用户名) stays."""
        defaults = [b for b in self.buttons.buttons() if isinstance(b, QPushButton) and b.isDefault()]
        at = self.layout_.indexOf(self.buttons)
        self.layout_.removeWidget(self.buttons)
        self.buttons.setParent(None)
        self.buttons.setParent(self)
        self.layout_.insertWidget(at, self.buttons)
        self.buttons.show()
        for button in defaults:  # out of the dialog for a moment, it was no longer its Enter
            button.setDefault(False)
            button.setDefault(True)
        focused = self.focusWidget()
        if focused is not None and not self.buttons.isAncestorOf(focused):
            return
        widget = self.nextInFocusChain()
        while widget is not self.buttons and widget is not self:
            if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
                    and widget.isVisibleTo(self) and widget.focusProxy() is None):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def done(self, result: int) -> None:
        if self._geometry_restored:  # shown at least once: what the user sees is worth keeping
            settings().setValue(self._settings_key(), self.saveGeometry())
        super().done(result)


NOT_A_FIELD = object()


def field_state(widget: QWidget):
    """What ``widget`` holds as a form's field, to compare with what it held before; NOT_A_FIELD for a widget
    that holds nothing the user fills in (labels, buttons, lists of results) or is a part of a field
    that says its own (``form_state()``: a cadre picker's choice, not the text searched for)."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if callable(getattr(parent, "form_state", None)) or isinstance(parent, QAbstractItemView):
            return NOT_A_FIELD  # inside a picker, or a table's cell editor
        parent = parent.parentWidget()
    if callable(getattr(widget, "form_state", None)):
        return widget.form_state()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentText(), widget.currentData()
    if isinstance(widget, (QAbstractButton, QGroupBox)) and widget.isCheckable():
        return widget.isChecked()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QTableWidget):
        return tuple((item.text(), item.checkState().value) if item is not None else None
                     for row in range(widget.rowCount()) for item in
                     (widget.item(row, column) for column in range(widget.columnCount())))
    return NOT_A_FIELD


def _editable(widget: QWidget, dialog: QWidget) -> bool:
    """May the user change ``widget`` in ``dialog`` now (shown, enabled, not read-only)?"""
    read_only = getattr(widget, "isReadOnly", None)
    return widget.isVisibleTo(dialog) and widget.isEnabled() and not (callable(read_only) and read_only())


def _grows(editor: QWidget) -> bool:
    """May ``editor`` take more height than it asks for (a list, a table; not a text_box of fixed height)?"""
    return bool(editor.sizePolicy().verticalPolicy().value & QSizePolicy.PolicyFlag.GrowFlag.value
                and editor.maximumHeight() > editor.minimumHeight())


def text_box(text: str = "", height: int = 70, placeholder: str = "") -> QPlainTextEdit:
    """A few lines of free text in a form (duties, reasons, opinions); Tab moves on to the next field."""
    box = QPlainTextEdit(text or "")
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box
