"""At login: the account's 草稿 (edits it had not saved when the program quit from the idle lock) offered
back once — 恢复 opens each profile with its edits filled in and unsaved, 放弃 deletes them. A draft of a
cadre the account may no longer edit (its units or roles changed, the cadre deleted) is deleted with a
note and never shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.profiles import profile_drafts
from cadre_desk.security import drafts
from ui.widgets import messages

TITLE = "恢复未保存的修改"


def offer(window) -> list:
    """Ask about the logged-in account's drafts; the profile windows opened (恢复), else []."""
    context = window.context
    if context.db_readonly:  # they stay for a session that can save them
        return []
    kept = drafts.mine()
    if not kept:
        return []
    usable, dropped = [], []
    for draft in kept:
        why = profile_drafts.refusal(draft) if draft.kind == profile_drafts.KIND else "本程序无法恢复这种草稿"
        (dropped if why else usable).append(draft)
    note = (f"另有 {len(dropped)} 项草稿所涉及的干部已不在您可以修改的范围内（或档案已删除），已删除，不再显示。"
            if dropped else "")
    try:
        if not usable:
            drafts.discard([d.id for d in dropped])
            messages.info(window, TITLE, note)
            return []
        lines = "\n".join(f"· {draft.label}" for draft in usable)
        answer = messages.choose(window, TITLE, f"上次未保存的修改：\n{lines}\n\n是否恢复？"
                                 + (f"\n\n{note}" if note else ""), ["恢复"], cancel="放弃")
        opened = _restore(context, window, usable) if answer == 0 else []
        drafts.discard([d.id for d in kept])  # offered once: restored ones live on in their windows
    except CadreDeskError as exc:
        messages.error(window, TITLE, exc)
        return []
    return opened


def _restore(context, window, usable) -> list:
    from ui.profiles.profile_dialog import ProfileDialog

    opened = []
    for draft in usable:
        edits = profile_drafts.ProfileDraft.from_json(draft.payload)
        dialog = ProfileDialog(context, draft.target_id, window, unit_id=edits.values.get("unit"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restore_draft(edits)
        dialog.show()
        opened.append(dialog)
    return opened


__all__ = ["TITLE", "offer"]
