"""The command line acts as an account once the database has accounts: ``--user NAME`` with the
password from CADRE_DESK_PASSWORD (or a prompt), the account's role, units and 回避, the audit naming
it; administration commands only as a 系统管理员; ``users passwd`` for a password that must change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.test_cli import run_cli

ADMIN_PW, CLERK_PW, NEW_PW = "Admin#2024x", "Clerk#2024", "Better#2025"


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory) -> Path:
    """A 40-cadre demo database with an administrator and a 经办人 limited to one small unit."""
    path = tmp_path_factory.mktemp("cli_accounts") / "demo.sqlite3"
    assert run_cli("--db", str(path), "demo", "--cadres", "40").returncode == 0
    code = (
        "import sys\n"
        "from cadre_desk.features import register_all; register_all()\n"
        "from cadre_desk.store.db import close_database\n"
        "from cadre_desk.store.opening import open_database\n"
        "from cadre_desk.access import context\n"
        "from cadre_desk.security import accounts\n"
        "from cadre_desk.store.models import Cadre\n"
        "from peewee import fn\n"
        "open_database(sys.argv[1])\n"
        "unit = (Cadre.select(Cadre.unit, fn.COUNT(Cadre.id).alias('n')).group_by(Cadre.unit)"
        ".order_by(fn.COUNT(Cadre.id), Cadre.unit).first().unit_id)\n"
        "admin, _ = accounts.create_first_admin('admin', sys.argv[2])\n"
        "context.set_operator(accounts.operator_for(admin))\n"
        "accounts.create_user(accounts.UserInfo(None, 'clerk', '经办员', ('经办人',), (unit,)), sys.argv[3])\n"
        "accounts.create_user(accounts.UserInfo(None, 'fresh', '新人', ('经办人',), (unit,)), sys.argv[3],"
        " must_change=True)\n"
        "print(unit)\n"
        "close_database()\n"
    )
    import subprocess
    import sys

    from tests.test_cli import ROOT

    out = subprocess.run([sys.executable, "-c", code, str(path), ADMIN_PW, CLERK_PW], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    path.with_suffix(".unit").write_text(out.stdout.strip())
    return path


@pytest.fixture
def db_file(accounts_file, tmp_path) -> Path:
    target = tmp_path / "copy.sqlite3"
    src, dst = sqlite3.connect(accounts_file), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    target.with_suffix(".unit").write_text(accounts_file.with_suffix(".unit").read_text())
    return target


def _unit_cadres(path: Path) -> tuple[set[str], set[str]]:
    unit = int(path.with_suffix(".unit").read_text())
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT name, unit_id FROM cadre").fetchall()
    conn.close()
    inside = {name for name, u in rows if u == unit}
    return inside, {name for name, u in rows if u != unit} - inside


def test_a_data_command_needs_an_account(db_file, tmp_path):
    out = run_cli("--db", str(db_file), "export", "roster", str(tmp_path / "r.xlsx"))
    assert out.returncode == 2 and "--user" in out.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_a_clerk_exports_only_their_unit_and_the_audit_names_them(db_file, tmp_path):
    inside, outside = _unit_cadres(db_file)
    out = run_cli("--db", str(db_file), "--user", "clerk", "export", "roster", str(tmp_path / "r.xlsx"),
                  env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 0, out.stderr
    names = {row[1] for row in openpyxl.load_workbook(tmp_path / "r.xlsx").active.iter_rows(min_row=3, values_only=True)}
    assert names == inside and not names & outside
    conn = sqlite3.connect(db_file)
    last = conn.execute("SELECT user, action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert last == ("clerk", "导出")
    # --user after the command's name too
    out = run_cli("--db", str(db_file), "export", "roster", str(tmp_path / "s.xlsx"), "--user", "clerk",
                  env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 0, out.stderr


def home_pdf_figures(path: Path) -> tuple[int, str, int]:
    """The 工作台 PDF's pages, its 统计范围 and its 在职干部 count (the number above the label)."""
    import re
    import subprocess

    from pypdf import PdfReader

    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line for line in text.splitlines() if line.strip()]
    at = next(n for n, line in enumerate(lines) if "在职干部" in line)
    scope = re.search(r"统计范围：(\S+)", text).group(1)
    return len(PdfReader(path).pages), scope, int(lines[at - 1].split()[0])


def test_a_clerk_prints_the_home_sheet_of_their_units_only(db_file, tmp_path):
    """``home-pdf``: the 工作台 on one page, counted over the account's units as its window shows them,
    the print in the audit log under its name and reason."""
    unit = int(db_file.with_suffix(".unit").read_text())
    conn = sqlite3.connect(db_file)
    serving_all = conn.execute("SELECT COUNT(*) FROM cadre WHERE status = '1'").fetchone()[0]
    serving = conn.execute(  # the unit and the units under it
        "SELECT COUNT(*) FROM cadre JOIN unit ON unit.id = cadre.unit_id WHERE status = '1' AND "
        "unit.path LIKE (SELECT path FROM unit WHERE id = ?) || '%'", (unit,)).fetchone()[0]
    unit_name = conn.execute("SELECT full_name FROM unit WHERE id = ?", (unit,)).fetchone()[0]
    conn.close()
    out = run_cli("--db", str(db_file), "home-pdf", str(tmp_path / "all.pdf"))
    assert out.returncode == 2 and "--user" in out.stderr and not (tmp_path / "all.pdf").exists()
    out = run_cli("--db", str(db_file), "--user", "admin", "home-pdf", str(tmp_path / "all.pdf"),
                  env={"CADRE_DESK_PASSWORD": ADMIN_PW})
    assert out.returncode == 2 and "三员分立" in out.stderr  # as in the window: no cadre data for the administrator
    out = run_cli("--db", str(db_file), "home-pdf", str(tmp_path / "mine.pdf"), "--reason", "部务会", "--user", "clerk",
                  env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 0, out.stderr
    assert "已生成工作台 PDF" in out.stdout
    pages, scope, count = home_pdf_figures(tmp_path / "mine.pdf")
    assert (pages, count) == (1, serving) and unit_name in scope and serving < serving_all
    conn = sqlite3.connect(db_file)
    last = conn.execute("SELECT user, action, entity, reason FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert last == ("clerk", "打印", "工作台", "部务会")


def test_a_cadre_of_another_unit_is_refused(db_file, tmp_path):
    conn = sqlite3.connect(db_file)
    unit = int(db_file.with_suffix(".unit").read_text())
    other = conn.execute("SELECT id FROM cadre WHERE unit_id != ? LIMIT 1", (unit,)).fetchone()[0]
    conn.close()
    out = run_cli("--db", str(db_file), "--user", "clerk", "export", "roster", str(tmp_path / "r.xlsx"),
                  "--ids", str(other), env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 2 and "不在您负责的单位范围内" in out.stderr


def test_a_wrong_password_and_an_unknown_name_read_the_same(db_file, tmp_path):
    messages = []
    for name in ("clerk", "nobody"):
        out = run_cli("--db", str(db_file), "--user", name, "export", "roster", str(tmp_path / "r.xlsx"),
                      env={"CADRE_DESK_PASSWORD": "Wrong#2024"})
        assert out.returncode == 2
        messages.append(out.stderr)
    assert messages[0] == messages[1] and "用户名或密码错误" in messages[0]


def test_administration_needs_the_administrator(db_file, tmp_path):
    out = run_cli("--db", str(db_file), "--user", "clerk", "users", "list", env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 2 and "系统管理员" in out.stderr
    out = run_cli("--db", str(db_file), "--user", "clerk", "backup", str(tmp_path / "b.sqlite3"),
                  env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 2 and not (tmp_path / "b.sqlite3").exists()
    out = run_cli("--db", str(db_file), "users", "list")
    assert out.returncode == 2 and "--user" in out.stderr
    out = run_cli("--db", str(db_file), "--user", "admin", "users", "list", env={"CADRE_DESK_PASSWORD": ADMIN_PW})
    assert out.returncode == 0 and "clerk" in out.stdout
    # the administrator sees no cadre data (三员分立)
    out = run_cli("--db", str(db_file), "--user", "admin", "export", "roster", str(tmp_path / "r.xlsx"),
                  env={"CADRE_DESK_PASSWORD": ADMIN_PW})
    assert out.returncode == 2 and "三员分立" in out.stderr
    # a check names cadres of every unit: not for a clerk limited to one
    out = run_cli("--db", str(db_file), "--user", "clerk", "check", env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 2 and "全部单位" in out.stderr


def test_a_password_that_must_change_is_changed_with_users_passwd(db_file, tmp_path):
    out = run_cli("--db", str(db_file), "--user", "fresh", "postings", env={"CADRE_DESK_PASSWORD": CLERK_PW})
    assert out.returncode == 2 and "users passwd fresh" in out.stderr
    out = run_cli("--db", str(db_file), "users", "passwd", "fresh",
                  env={"CADRE_DESK_PASSWORD": CLERK_PW, "CADRE_DESK_NEW_PASSWORD": "weak"})
    assert out.returncode == 2 and "密码" in out.stderr
    out = run_cli("--db", str(db_file), "users", "passwd", "fresh",
                  env={"CADRE_DESK_PASSWORD": CLERK_PW, "CADRE_DESK_NEW_PASSWORD": NEW_PW})
    assert out.returncode == 0, out.stderr
    out = run_cli("--db", str(db_file), "--user", "fresh", "postings", env={"CADRE_DESK_PASSWORD": NEW_PW})
    assert out.returncode == 0, out.stderr


def test_without_accounts_nothing_changes(tmp_path):
    path = tmp_path / "plain.sqlite3"
    assert run_cli("--db", str(path), "demo", "--cadres", "5").returncode == 0
    out = run_cli("--db", str(path), "export", "roster", str(tmp_path / "r.xlsx"))
    assert out.returncode == 0, out.stderr
