"""导出任免表 (.lrmx): one file per cadre, in the element order and format of the official editor."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange.lrmx_format import to_xml
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.store.files import atomic_path, write_atomic

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(profile: cadres.CadreProfile) -> str:
    name = _UNSAFE.sub("_", profile.name or "未命名") or "未命名"
    number = (profile.values.get("id_number") or "")[-4:]
    return f"{name}_{number or profile.id}.lrmx"


def write_lrmx(profile: cadres.CadreProfile, path: str | Path) -> Path:
    return write_atomic(path, to_xml(profile))


def export_lrmx(outdir: str | Path, ids: Sequence[int], progress: Progress = NO_PROGRESS,
                reason: str = "") -> list[Path]:
    """Write one .lrmx per cadre into ``outdir`` (created when missing). Returns the files."""
    from cadre_desk.store.db import write_transaction

    access_scope.current().require_each(permissions.EXPORT, ids)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    names: list[str] = []
    written: list[Path] = []
    # every file goes to a temporary name and all are renamed only when every one is written: a
    # cancelled or failed export leaves no files (and no file of an earlier export replaced), and
    # every exported file has its audit row
    with contextlib.ExitStack() as pending:
        for n, cadre_id in enumerate(ids, 1):
            profile = cadres.get_profile(cadre_id)
            name = file_name(profile)
            if name in used:
                name = f"{Path(name).stem}_{cadre_id}.lrmx"
            used.add(name)
            written.append(outdir / name)
            pending.enter_context(atomic_path(written[-1])).write_bytes(to_xml(profile))
            names.append(profile.name)
            progress.report(n, len(ids), f"正在导出 {profile.name}（{n}/{len(ids)}）…")
    who = "、".join(names[:20]) + (f" 等 {len(names)} 人" if len(names) > 20 else "")
    with write_transaction():
        audit.record(audit.EXPORT, "干部", ids[0] if len(ids) == 1 else None,
                     f"导出任免表（LRMX）{len(written)} 份（{who}）→ {outdir}",
                     changes={"干部编号": [None, list(ids)]}, reason=reason or "导出任免表")
    return written
