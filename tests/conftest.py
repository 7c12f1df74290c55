"""Fixtures: a fresh database per test, offscreen Qt, a fixed operator."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Settings, data and backups of each test go to its own folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("CADRE_DESK_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    from cadre_desk.access import context
    from cadre_desk.features import register_all

    register_all()  # as the CLI and the window do: every capability's hooks, checks and reminders
    context.set_operator(context.Operator(username="tester", display_name="测试员"))
    yield
    context.set_operator(None)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path):
    """A fresh, migrated database bound to the proxy."""
    from cadre_desk.store.db import close_database, open_database

    database = open_database(db_path)
    yield database
    close_database()


@pytest.fixture
def unit(db):
    from cadre_desk.units import units

    root = units.create_unit("市直机关")
    return units.create_unit("市财政局", root.id)


@pytest.fixture
def demo_db(db):
    """A small demo database (60 cadres)."""
    from cadre_desk.profiles import demo

    demo.generate(60, seed=7)
    return db


def make_profile(unit_id: int, **values):
    from cadre_desk.profiles import cadres

    profile = cadres.new_profile(unit_id)
    profile.values.update({"name": "张三", "gender": "1", "birth": "198510", "ethnicity": "汉族"})
    profile.values.update(values)
    return profile


@contextlib.contextmanager
def acting_as(*roles: str, units: tuple[int, ...] = (), cadre_id: int | None = None, id_number: str = ""):
    """Work as an operator with these roles (经办人, 查阅人 …) and unit scope, then as before."""
    from cadre_desk.access import context

    before = context.current_operator()
    context.set_operator(context.Operator(username="acting", display_name="测试角色", roles=frozenset(roles),
                                          unit_scopes=tuple(units), cadre_id=cadre_id, id_number=id_number))
    try:
        yield
    finally:
        context.set_operator(before)
