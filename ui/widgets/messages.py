"""The one way a screen tells the user something or asks a question: error, warning, info, confirm,
choose, ask_text — with Chinese buttons whatever translation Qt has loaded.

An error is said in Chinese (``friendly_error``: disk full, locked, read-only… in plain words) and goes
to the log too: a refusal of the rules (CadreDeskError) as a warning line, anything unexpected with its
traceback. Every box is shown through ``present``; tests replace it to answer without a modal loop."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QAbstractButton, QInputDialog, QLineEdit, QMessageBox, QWidget

from cadre_desk.domain.errors import CadreDeskError, ConflictError, friendly_error

log = logging.getLogger("cadre_desk.ui")

OK = "确定"
CANCEL = "取消"
QUESTION, WARNING, INFORMATION = (QMessageBox.Icon.Question, QMessageBox.Icon.Warning,
                                  QMessageBox.Icon.Information)

_ACCEPT, _REJECT, _DESTRUCTIVE = (QMessageBox.ButtonRole.AcceptRole, QMessageBox.ButtonRole.RejectRole,
                                  QMessageBox.ButtonRole.DestructiveRole)


def present(box: QMessageBox) -> QAbstractButton | None:
    """Show ``box`` modally and return the button clicked (None when closed with Esc / the title bar)."""
    box.exec()
    return box.clickedButton()


def _box(parent: QWidget | None, icon, title: str, text: str, detail: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if detail:
        box.setDetailedText(detail)
    return box


def describe(problem: BaseException | str) -> str:
    """The Chinese sentence for an exception (or the text itself), as ``error`` shows it."""
    return problem if isinstance(problem, str) else friendly_error(problem)


def log_problem(title: str, problem: BaseException | str) -> None:
    """Write what the user is told to the log: a refusal as one line, anything else with its traceback."""
    if isinstance(problem, str):
        log.warning("%s：%s", title, problem)
    elif isinstance(problem, CadreDeskError):
        log.warning("%s：%s", title, describe(problem))
    else:
        log.error("%s：%s", title, describe(problem), exc_info=(type(problem), problem, problem.__traceback__))


def error(parent: QWidget | None, title: str, problem: BaseException | str) -> None:
    """An operation failed or was refused: the reason in Chinese, and a line in the log."""
    log_problem(title, problem)
    box = _box(parent, QMessageBox.Icon.Warning, title, describe(problem))
    box.addButton(OK, _ACCEPT)
    present(box)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    """Something the user should know that is not a failure (a result with exceptions)."""
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton(OK, _ACCEPT)
    present(box)


def info(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text, detail)
    box.addButton(OK, _ACCEPT)
    present(box)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = OK, no: str = CANCEL,
            danger: bool = False) -> bool:
    """A yes/no question; ``danger`` (delete, overwrite) makes 取消 the default button."""
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    ok = box.addButton(yes, _DESTRUCTIVE if danger else _ACCEPT)
    cancel = box.addButton(no, _REJECT)
    box.setDefaultButton(cancel if danger else ok)
    box.setEscapeButton(cancel)
    return present(box) is ok


def choose(parent: QWidget | None, title: str, text: str, choices: list[str], cancel: str | None = CANCEL,
           icon=QUESTION) -> int | None:
    """One of several answers: the index of the one clicked in ``choices``, None for ``cancel``/Esc."""
    box = _box(parent, icon, title, text)
    buttons = [box.addButton(choice, _ACCEPT) for choice in choices]
    if cancel:
        box.setEscapeButton(box.addButton(cancel, _REJECT))
    if buttons:
        box.setDefaultButton(buttons[0])
    clicked = present(box)
    return buttons.index(clicked) if clicked in buttons else None


# A form closed (取消, Esc, the title bar's ✕) with what was filled in not saved: the one question for it.
DISCARD_QUESTION = "填写的内容还没有保存，关闭后将丢失。\n\n不保存就关闭吗？"
DISCARD_YES, DISCARD_NO = "不保存，关闭", "继续填写"


def ask_discard(parent: QWidget | None, title: str) -> bool:
    """Close a form and lose what was filled in? True for 不保存，关闭; False for 继续填写 (the default, also
    Esc): the form stays open with everything as typed."""
    return confirm(parent, title, DISCARD_QUESTION, yes=DISCARD_YES, no=DISCARD_NO, danger=True)


SAVE, DISCARD = 0, 1


def ask_save(parent: QWidget | None, title: str, text: str) -> int | None:
    """Edits not yet saved: 保存 / 不保存 / 取消 — ``SAVE``, ``DISCARD``, or None (取消, Esc: stay)."""
    return choose(parent, title, text, ["保存", "不保存"], cancel=CANCEL, icon=QUESTION)


RELOAD, OVERWRITE = 0, 1
RELOAD_THEIRS, KEEP_MINE = "重新载入对方的修改", "仍然保存我的修改"


def ask_conflict(parent: QWidget | None, title: str, conflict: CadreDeskError, editing: bool = True,
                 deleting: str = "") -> int | None:
    """A save refused because another saved the record since this edit began (a ``ConflictError``, which
    says who and when): 重新载入对方的修改 (``RELOAD``: the edits dropped) / 仍然保存我的修改 (``OVERWRITE``:
    the other's change replaced) / 取消 (None: back to the edits, still unsaved — also Enter and Esc).
    ``editing`` False (a grid's cell, its editor closed): no 取消 — Esc and Enter reload. ``deleting`` (its
    verb: 删除, 移出): a delete of the record as last seen — 重新载入对方的修改 (not deleted) / 仍然删除
    (``OVERWRITE``) / 取消."""
    if deleting:
        lines = [f"{conflict}", "",
                 f"· {RELOAD_THEIRS}：不{deleting}，显示对方保存后的内容。",
                 f"· 仍然{deleting}：照样{deleting}，对方的修改一并删除（审计日志会记下）。",
                 f"· {CANCEL}：不{deleting}。"]
    else:
        lines = [f"{conflict}", "",
                 f"· {RELOAD_THEIRS}：显示对方保存后的内容，您这次的修改不保存。",
                 f"· {KEEP_MINE}：用您的修改覆盖对方的修改（审计日志会记下）。"]
        if editing:
            lines.append(f"· {CANCEL}：回到编辑，您的修改仍在，尚未保存。")
    editing = editing or deleting
    box = _box(parent, WARNING, title, "\n".join(lines))
    buttons = [box.addButton(RELOAD_THEIRS, _ACCEPT), box.addButton(f"仍然{deleting}" if deleting else KEEP_MINE,
                                                                    _DESTRUCTIVE)]
    safe = box.addButton(CANCEL, _REJECT) if editing else buttons[0]
    box.setEscapeButton(safe)
    box.setDefaultButton(safe)
    clicked = present(box)
    if clicked in buttons:
        return buttons.index(clicked)
    return None if editing else RELOAD


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "",
             password: bool = False) -> str | None:
    """One line of text (a name, a reason); None when cancelled. The buttons say 确定 / 取消."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setOkButtonText(OK)
    dialog.setCancelButtonText(CANCEL)
    if password:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    return dialog.textValue() if ask(dialog) else None


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str], current: int = 0) -> str | None:
    """One of a list of names (a combo); None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    if 0 <= current < len(items):
        dialog.setTextValue(items[current])
    dialog.setOkButtonText(OK)
    dialog.setCancelButtonText(CANCEL)
    return dialog.textValue() if ask(dialog) else None


def install_error_hook() -> None:
    """An exception no screen caught (a slot that failed) is said in Chinese over the active window
    and written to the log with its traceback, instead of vanishing into the console."""
    from PySide6.QtWidgets import QApplication

    def hook(kind, value, trace) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        try:
            error(QApplication.activeWindow(), "操作未完成", value)
        except Exception:  # noqa: BLE001 - the box itself failed: the console is all that is left
            sys.__excepthook__(kind, value, trace)

    sys.excepthook = hook


def ask(dialog) -> bool:
    """Run a small input dialog modally; True when accepted. (Tests replace it as they do ``present``.)"""
    return bool(dialog.exec())


def attempt_delete(parent: QWidget | None, title: str, delete, verb: str = "删除") -> bool:
    """A delete (confirmed) of a record as the user last saw it: ``delete(overwrite)``, ``overwrite`` False
    first. Another having changed the record since (a ``ConflictError`` naming who and when), the user
    chooses (ask_conflict, ``deleting``): 重新载入对方的修改 (not deleted), 仍然删除 (``delete(True)``) or 取消;
    any other refusal is said under 不能删除 (``verb``: 移出 …). True when the caller should list again
    (deleted, or the other's change to be shown)."""
    try:
        delete(False)
    except ConflictError as exc:
        answer = ask_conflict(parent, title, exc, deleting=verb)
        if answer is None:
            return False
        return answer == RELOAD or attempt(parent, f"不能{verb}", delete, True)
    except CadreDeskError as exc:
        error(parent, f"不能{verb}", exc)
        return False
    return True


def attempt(parent: QWidget | None, title: str, action, *args, **kwargs) -> bool:
    """Run one service call for the user (delete, mark done …): a refusal or a failure is said in Chinese
    under ``title`` and logged, and False returned; True when it went through."""
    try:
        action(*args, **kwargs)
    except CadreDeskError as exc:
        error(parent, title, exc)
        return False
    return True
