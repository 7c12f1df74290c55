"""Where things live: the per-user data folder, the database, the bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HOME_ENV = "CADRE_DESK_HOME"
DB_FILE_NAME = "cadre_desk.sqlite3"


def resource_dir() -> Path:
    """The resources/ folder: beside the packages in a checkout, under _MEIPASS when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def data_dir() -> Path:
    """Per-user data folder, or CADRE_DESK_HOME when set."""
    override = os.environ.get(HOME_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("cadre_desk", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def backup_dir_for(db_path) -> Path:
    """Backups sit in a folder beside the database they protect; a server database's snapshots in this
    user's data folder (``db_path`` a store.server.ServerLocation)."""
    if not isinstance(db_path, (str, os.PathLike)):
        return data_dir() / "servers" / db_path.stem / "backups"
    return Path(db_path).resolve().parent / "backups"
