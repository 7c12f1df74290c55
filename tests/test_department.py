"""Who we are: the department's 全称, 简称 and 地名 set once (service, command line) and named by every
document and workbook; the operating system's account never on a paper, a workbook or the audit."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from cadre_desk.access import context
from cadre_desk.settings import settings

FULL, SHORT, PLACE = "中共兴平市委组织部", "市委组织部", "兴平市"


def test_department_set_read_and_audited(db):
    from cadre_desk.security import audit

    assert not settings.department().is_set and settings.department().name == ""
    dept = settings.set_department(f" {FULL} ", SHORT, PLACE)
    assert (dept.full_name, dept.short_name, dept.place) == (FULL, SHORT, PLACE) and dept.is_set
    rows = [e for e in audit.entries() if e.entity == "设置"]
    assert {e.summary for e in rows} == {"修改设置 组织部全称", "修改设置 组织部简称", "修改设置 地名"}
    with pytest.raises(Exception) as err:
        settings.set_department("", SHORT, PLACE)
    assert "请填写组织部全称" in str(err.value)
    with pytest.raises(Exception) as err:
        settings.set_user_settings({"audit.head": "x"})  # only the settings a user sets
    assert "没有名为" in str(err.value)


def test_only_an_administrator_sets_it_once_accounts_exist(db):
    from cadre_desk.domain.errors import PermissionDenied
    from cadre_desk.security import accounts

    admin, _ = accounts.create_first_admin("admin", "Admin@2024x")
    context.set_operator(accounts.operator_for(admin))
    clerk = accounts.create_user(accounts.UserInfo(None, "clerk", "张干事", (accounts.ROLE_CLERK,)), "Clerk#2024")
    context.set_operator(accounts.operator_for(clerk))
    with pytest.raises(PermissionDenied):
        settings.set_department(FULL, SHORT, PLACE)
    context.set_operator(accounts.operator_for(admin))
    assert settings.set_department(FULL, SHORT, PLACE).is_set


def _cli(argv) -> int:
    from cadre_desk.__main__ import main

    return main(argv)


def test_settings_on_the_command_line(db_path, capsys):
    assert _cli(["--db", str(db_path), "settings", "set", "组织部全称", FULL]) == 0
    assert _cli(["--db", str(db_path), "settings", "set", "department.short_name", SHORT]) == 0
    assert _cli(["--db", str(db_path), "settings", "set", "地名", PLACE]) == 0
    capsys.readouterr()
    assert _cli(["--db", str(db_path), "settings", "get", "组织部全称"]) == 0
    assert capsys.readouterr().out.strip() == FULL
    assert _cli(["--db", str(db_path), "settings", "get"]) == 0
    out = capsys.readouterr().out
    assert f"组织部简称\t{SHORT}" in out and f"地名\t{PLACE}" in out
    assert _cli(["--db", str(db_path), "settings", "set", "单位名称", "x"]) == 1
    assert "没有名为“单位名称”的设置项" in capsys.readouterr().err
    assert _cli(["--db", str(db_path), "settings", "set", "组织部全称", " "]) == 1


# ---- no operating-system account -------------------------------------------------------------------

FAKE_OS_USER = "osuserqz"


@pytest.fixture
def os_account(tmp_path, monkeypatch):
    """The operating system's login name and home folder, as getpass and Path.home() see them."""
    home = tmp_path / FAKE_OS_USER
    (home / "桌面").mkdir(parents=True)
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, FAKE_OS_USER)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    import getpass

    assert getpass.getuser() == FAKE_OS_USER
    return home / "桌面"


def _pdf_text(path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                             check=True).stdout)


def _pdf_info(path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def _workbook_text(path) -> str:
    with zipfile.ZipFile(path) as zf:  # every part: cells, shared strings, headers, properties
        return "".join(zf.read(name).decode("utf-8", "replace") for name in zf.namelist())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_no_os_account_on_papers_workbooks_or_audit(db, os_account):
    from cadre_desk.appraisal import appraisals
    from cadre_desk.profiles import demo
    from cadre_desk.security import audit
    from cadre_desk.store.models import AuditLog, Cadre
    from reports.excel import excel_roster, excel_stats, excel_workbooks
    from reports.pdf import batch, home_sheet

    context.set_operator(None)  # nobody logs in: a database without accounts
    settings.set_department(FULL, SHORT, PLACE)
    demo.generate(30, seed=3)
    ids = [c.id for c in Cadre.select(Cadre.id).limit(2)]
    rmb, dossier = os_account / "审批表.pdf", os_account / "档案.pdf"
    home_pdf = home_sheet.export_home_pdf(os_account / "工作台.pdf", reason="开会").path
    batch.build_dossiers(ids, out_path=rmb, kind="rmb", reason="任免")
    batch.build_dossiers(ids, out_path=dossier, kind="dossier", reason="存档")
    books = {name: os_account / f"{name}.xlsx" for name in ("花名册", "统计表", "一线", "帮带", "考核")}
    excel_roster.export_roster(books["花名册"])
    excel_stats.export_stats(books["统计表"])
    excel_workbooks.export_postings(books["一线"])
    excel_workbooks.export_mentoring(books["帮带"])
    excel_workbooks.export_appraisal(books["考核"])

    rmb_text, dossier_text = _pdf_text(rmb), _pdf_text(dossier)
    for ours in ("内部资料", "注意保密", "打印人", "打印时间", "第1页"):
        assert ours not in rmb_text, ours  # the official form and nothing else
    assert FULL in dossier_text and "打印时间" in dossier_text
    assert "打印人" not in dossier_text  # nobody logs in: no 打印人 line (the department is not a person)
    assert "打印人" not in _pdf_text(home_pdf) and "打印时间" in _pdf_text(home_pdf)
    for pdf in (rmb, dossier):
        info = _pdf_info(pdf)
        assert re.search(rf"Author:\s+{FULL}", info), info  # the metadata names the department
        assert FAKE_OS_USER not in info and FAKE_OS_USER not in _pdf_text(pdf)
    for path in books.values():
        assert FAKE_OS_USER not in _workbook_text(path), path.name
        assert openpyxl.load_workbook(path, read_only=True).properties.creator == FULL, path.name
    stats = openpyxl.load_workbook(books["统计表"])["总览"]["A1"].value
    assert stats.startswith(f"{FULL}干部统计表")
    for name in ("一线", "帮带", "考核"):  # every sheet's heading names the department, as the others do
        sheets = openpyxl.load_workbook(books[name]).worksheets
        assert sheets and all(str(ws["A1"].value).startswith(FULL) for ws in sheets), (name, sheets[0]["A1"].value)
    finalized = [s for s in appraisals.list_sheets() if s.finalized]
    assert finalized and all(s.finalized_by == FULL for s in finalized)
    rows = list(AuditLog.select().tuples())
    assert rows and not [r for r in rows if FAKE_OS_USER in "".join(str(v) for v in r)]
    assert {e.user for e in audit.entries(limit=10000)} == {context.LOCAL_USERNAME}
    printed = [e for e in audit.entries() if e.action == audit.PRINT][0]
    assert printed.changes["文件"][0].startswith("~")  # where it went stays, the home folder as ~


def test_logged_in_person_prints_under_their_display_name(unit, tmp_path):
    from cadre_desk.profiles import cadres
    from reports.pdf import pdf_common as pc
    from tests.conftest import make_profile

    cadres.save_profile(make_profile(unit.id))
    settings.set_department(FULL, SHORT, PLACE)
    context.set_operator(context.Operator(username="zhang", display_name="张干事", user_id=7))
    frame = pc.frame_info()
    assert frame.operator == "张干事" and frame.author == FULL
    assert pc.official_form().operator == "" and pc.official_form().header == ""
