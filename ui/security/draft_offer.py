"""At login: the account's 草稿 (edits it had not saved when the program quit from the idle lock) offered
back once — 恢复 opens each profile (or 考核方案) with its edits filled in and unsaved, 放弃 deletes them. A
draft the account may no longer have (a cadre out of its units or deleted, its role changed) is deleted
with a note and never shown."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cadre_desk.appraisal import scheme_drafts
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.profiles import profile_drafts
from cadre_desk.security import drafts
from ui.widgets import messages, unsaved

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
        kind = _KINDS.get(draft.kind)
        why = kind[0](draft) if kind else "本程序无法恢复这种草稿"
        (dropped if why else usable).append(draft)
    note = (f"另有 {len(dropped)} 项草稿所涉及的内容已不在您可以修改的范围内（或已删除），已删除，不再显示。"
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
        # 放弃: all go. 恢复: the restored ones stay until their window saves or drops the edits (a crash, or a
        # save refused because another saved the record since, loses nothing); the rest go
        drafts.discard([d.id for d in kept if not opened or d not in usable])
    except CadreDeskError as exc:
        messages.error(window, TITLE, exc)
        return []
    return opened


def _restore(context, window, usable) -> list:
    opened = []
    for draft in usable:
        opened.append(_KINDS[draft.kind][1](context, window, draft))
        unsaved.restored_from(getattr(opened[-1], "tab", opened[-1]), draft.id)  # the holder of the edits
        opened[-1].setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        opened[-1].show()
    return opened


def _profile(context, window, draft):
    from ui.profiles.profile_dialog import ProfileDialog

    edits = profile_drafts.ProfileDraft.from_json(draft.payload)
    dialog = ProfileDialog(context, draft.target_id, window, unit_id=edits.values.get("unit"))
    dialog.restore_draft(edits)
    return dialog


def _scheme(context, window, draft):
    from ui.appraisal.schemes_tab import SchemesDialog

    dialog = SchemesDialog(context, window)
    dialog.tab.restore_draft(scheme_drafts.typed_scheme(draft))
    return dialog


# kind → (why it may not come back, the window that shows it restored)
_KINDS = {profile_drafts.KIND: (profile_drafts.refusal, _profile),
          scheme_drafts.KIND: (scheme_drafts.refusal, _scheme)}


__all__ = ["TITLE", "offer"]
