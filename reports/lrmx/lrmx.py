"""导出任免表 (.lrmx): one file per cadre, in the element order and format of the official editor."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from pathlib import Path

from cadre_desk.access import permissions
from cadre_desk.access import scope as access_scope
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange.lrmx_format import over_limits, to_xml
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.store.files import atomic_path, write_atomic

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(profile: cadres.CadreProfile) -> str:
    name = _UNSAFE.sub("_", profile.name or "未命名") or "未命名"
    number = (profile.values.get("id_number") or "")[-4:]
    return f"{name}_{number or profile.id}.lrmx"


class LrmxExport(list):
    """The files an export wrote (a list of them, as before), and ``over``: whose texts are longer than the
    official 任免表 editor takes — (the cadre's name, what is over its limit)."""

    def __init__(self) -> None:
        super().__init__()
        self.over: list[tuple[str, list[str]]] = []

    @property
    def files(self) -> list[Path]:
        return list(self)

    def warning(self, shown: int = 20) -> str:
        """What is said when some texts are over their limits ("" when none): who, which, how long."""
        if not self.over:
            return ""
        lines = [f"{len(self.over)} 人的任免表有内容超过官方任免表软件该栏的字数上限，已按原文完整写入、未作截断；"
                 "该软件读取时可能截断或拒绝，请核对精简后重新导出："]
        lines += [f"· {name}：{'；'.join(items)}" for name, items in self.over[:shown]]
        if len(self.over) > shown:
            lines.append(f"……另有 {len(self.over) - shown} 人")
        return "\n".join(lines)


def write_lrmx(profile: cadres.CadreProfile, path: str | Path) -> Path:
    return write_atomic(path, to_xml(profile))


def export_lrmx(outdir: str | Path, ids: Sequence[int], progress: Progress = NO_PROGRESS,
                reason: str = "") -> LrmxExport:
    """Write one .lrmx per cadre into ``outdir`` (created when missing). Returns the files and whose texts
    are over the official editor's limits (written whole: never cut)."""
    from cadre_desk.store.db import write_transaction

    access_scope.current().require_each(permissions.EXPORT, ids)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    names: list[str] = []
    result = LrmxExport()
    written = result
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
            if over := over_limits(profile):
                result.over.append((profile.name, over))
            progress.report(n, len(ids), f"正在导出 {profile.name}（{n}/{len(ids)}）…")
    who = "、".join(names[:20]) + (f" 等 {len(names)} 人" if len(names) > 20 else "")
    with write_transaction():
        audit.record(audit.EXPORT, "干部", ids[0] if len(ids) == 1 else None,
                     f"导出任免表（LRMX）{len(written)} 份（{who}）→ {outdir}",
                     changes={"干部编号": [None, list(ids)]}, reason=reason or "导出任免表")
    return result
