"""导出任免表 (.lrmx): one file per cadre, in the element order and format of the official editor."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.services import audit, cadres, permissions
from cadre_desk.services.lrmx_format import to_xml

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(profile: cadres.CadreProfile) -> str:
    name = _UNSAFE.sub("_", profile.name or "未命名") or "未命名"
    number = (profile.values.get("id_number") or "")[-4:]
    return f"{name}_{number or profile.id}.lrmx"


def write_lrmx(profile: cadres.CadreProfile, path: str | Path) -> Path:
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        tmp.write_bytes(to_xml(profile))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def export_lrmx(outdir: str | Path, ids: Sequence[int], progress: Progress = NO_PROGRESS,
                reason: str = "") -> list[Path]:
    """Write one .lrmx per cadre into ``outdir`` (created when missing). Returns the files."""
    from cadre_desk.store.db import write_transaction

    permissions.require(permissions.EXPORT)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    for n, cadre_id in enumerate(ids, 1):
        profile = cadres.get_profile(cadre_id)
        name = file_name(profile)
        if name in used:
            name = f"{Path(name).stem}_{cadre_id}.lrmx"
        used.add(name)
        written.append(write_lrmx(profile, outdir / name))
        progress.report(n, len(ids), f"正在导出 {profile.name}（{n}/{len(ids)}）…")
    with write_transaction():
        audit.record(audit.EXPORT, "干部", ids[0] if len(ids) == 1 else None,
                     f"导出任免表（LRMX）{len(written)} 份 → {outdir}", reason=reason or "导出任免表")
    return written
