"""Edits not yet saved, asked about once before the program closes, 注销 or 切换用户.

A page, tab or window that can hold edits says so with two methods (``HoldsEdits``): ``has_unsaved()`` and
``save()`` (True when saved; False when refused, the holder showing why), and may name itself with
``unsaved_label()`` (else its window title). An open form (``FormDialog``) filled in is one too, named by its
title, its 保存 being its own 确定 (``save_before_leaving``); not one that ``asks_before_closing = False``.
``settle`` finds every such holder in the open windows — a
holder's own inside parts are its business — and asks one 保存 / 不保存 / 取消 listing them all.

A holder that can be kept as a 草稿 also has ``draft()`` (a ``cadre_desk.security.drafts.DraftInput``, or None):
quitting from the idle lock keeps those under the account (``keep_drafts``) instead of dropping them. A holder
filled from a 草稿 at login keeps that 草稿 until its edits are resolved — saved, or dropped at the user's
word (``restored_from`` / ``resolved``): a crash, or a save refused because another saved the record since,
loses nothing; kept again, it replaces that 草稿 (one per window)."""

from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ui.widgets import messages


@runtime_checkable
class HoldsEdits(Protocol):
    def has_unsaved(self) -> bool: ...

    def save(self) -> bool: ...


def _holds(widget: QWidget) -> bool:
    if getattr(widget, "asks_before_closing", True) is False:
        return False  # a form of choices (FormDialog): holds nothing typed; what it contains may
    return callable(getattr(widget, "has_unsaved", None)) and callable(getattr(widget, "save", None))


def _save(holder: QWidget) -> bool:
    """``holder``'s edits saved (True) or refused, the holder showing why (False). A form (FormDialog) saves
    the way its 确定 does (``save_before_leaving``): its ``save()`` returns what its caller needs."""
    leaving = getattr(holder, "save_before_leaving", None)
    return bool(leaving()) if callable(leaving) else holder.save()


def saves_itself(holder: QWidget) -> bool:
    """Does ``holder``'s 保存 store its edits by itself? Not a form whose 确定 only hands a choice back to the
    code that opened it (``hands_back``: 移动单位, 指定单位, 连接服务器 from the menu): that code goes on once
    the form's ``exec`` returns, which is after the window has closed when the form's 保存 ran on leaving —
    the move done behind a closed window, a message of it keeping the program running with no window.
    Such a form is named as lost instead, and closed as by 取消."""
    return not getattr(holder, "hands_back", False)


def holders(roots: list[QWidget] | None = None) -> list[QWidget]:
    """The holders with unsaved edits in ``roots`` (default: the visible windows), outermost first."""
    if roots is None:
        roots = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    found: list[QWidget] = []
    for root in roots:
        if _holds(root):
            candidates = [root]
        else:
            candidates = []
            # parents before their children; a dialog parented to the window is a root of its own
            for child in root.findChildren(QWidget):
                if (_holds(child) and child.window() is root
                        and not any(c.isAncestorOf(child) for c in candidates)):
                    candidates.append(child)
        found.extend(c for c in candidates if c.has_unsaved())
    return found


def windows_of(window: QWidget) -> list[QWidget]:
    """``window`` and the visible windows it owns (its dialogs, theirs): where the program's edits are.
    Asked of the main window rather than of every top-level widget: Qt's list of those can hold a widget
    being destroyed, whose wrapper crashed Python when the window closed (seen in the test suite)."""
    return [window, *(w for w in window.findChildren(QWidget) if w.isWindow() and w.isVisible())]


def label(holder: QWidget) -> str:
    name = getattr(holder, "unsaved_label", None)
    return (name() if callable(name) else "") or holder.window().windowTitle() or "编辑窗口"


def keeps_drafts(holder: QWidget) -> bool:
    return callable(getattr(holder, "draft", None))


def keep_drafts(pending: list[QWidget]) -> list[int]:
    """The edits of ``pending`` that can be drafts, kept under the logged-in account (nothing saved, nothing
    audited): the new drafts' ids (a holder restored from a 草稿 rewrites that one instead). Raises what the
    database raises (a full disk …)."""
    from cadre_desk.security import drafts

    new = []
    for holder in pending:
        item = holder.draft() if keeps_drafts(holder) else None
        kept = getattr(holder, _KEPT, None)
        if item is not None and not (kept is not None and drafts.replace(kept, item)):
            new.append(item)
    return drafts.keep(new)


_KEPT = "kept_draft_id"
log = logging.getLogger("cadre_desk.ui")


def restored_from(holder: QWidget, draft_id: int) -> None:
    """``holder`` shows the edits of 草稿 ``draft_id``: the 草稿 stays until ``resolved``."""
    setattr(holder, _KEPT, draft_id)


def resolved(holder: QWidget) -> None:
    """The edits ``holder`` was restored with are saved, or dropped at the user's word: their 草稿 goes."""
    kept = getattr(holder, _KEPT, None)
    if kept is None:
        return
    from cadre_desk.security import drafts

    try:
        drafts.discard([kept])
    except drafts.DraftError as exc:  # offered again at the next login: nothing lost
        log.warning("draft %s not discarded: %s", kept, exc)
        return
    setattr(holder, _KEPT, None)


def settle(parent: QWidget | None, title: str, roots: list[QWidget] | None = None, note: str = "") -> bool:
    """One question for every unsaved edit: 保存 (each holder saves; a refusal stops here), 不保存 (the
    edits are left to be dropped), 取消. False to stay as it is (取消, or a save refused). The separate
    windows that held edits are closed once settled (no second question from their own 关闭). ``note``:
    what 保存 means here, said under the question. A form that only hands its choice back (``saves_itself``
    False) is named as lost and closed as by 取消; with no other, the question is 确定 / 取消."""
    if roots is None and parent is not None:
        roots = windows_of(parent.window())
    pending = holders(roots)
    if not pending:
        return True
    saved = [h for h in pending if saves_itself(h)]
    lost = "\n".join(f"· {label(h)}" for h in pending if not saves_itself(h))
    lost = f"以下窗口中的选择尚未生效，{title}后将丢失：\n{lost}" if lost else ""
    if not saved:
        if not messages.confirm(parent, title, f"{lost}\n\n确定{title}吗？", title, messages.CANCEL, danger=True):
            return False
    else:
        lines = "\n".join(f"· {label(h)}" for h in saved)
        answer = messages.ask_save(parent, title, f"以下内容有未保存的修改：\n{lines}\n\n{title}前要保存吗？"
                                   + (f"\n{note}" if note else "") + (f"\n\n{lost}" if lost else ""))
        if answer is None:
            return False
        if answer == messages.SAVE:
            for holder in saved:
                if not _save(holder):
                    return False
    for holder in pending:
        resolved(holder)  # saved, or 不保存
        window = holder.window()
        if isinstance(window, QDialog):
            if window.isVisible():  # a form saved by its 确定 has closed already, accepted
                window.done(QDialog.DialogCode.Rejected)  # done(): no second question from reject()
        elif window is holder:
            window.close()
    return True


__all__ = ["HoldsEdits", "holders", "keep_drafts", "keeps_drafts", "label", "resolved", "restored_from", "saves_itself",
           "settle"]
