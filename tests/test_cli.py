"""The command line and the data folder: demo, check, --db, CADRE_DESK_HOME, --smoke."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run([sys.executable, "-m", "cadre_desk", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env=full_env)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    from tests.conftest import TEST_TODAY

    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    # module-scoped: made before the tests' clock is set, so it says the day itself (the checks read dates)
    out = run_cli("--db", str(path), "demo", "--cadres", "50", env={"CADRE_DESK_CLOCK": TEST_TODAY})
    assert out.returncode == 0, out.stderr
    assert "50 名干部" in out.stdout
    return path


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> Path:
    target = tmp_path / "copy.sqlite3"
    src = sqlite3.connect(demo_file)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def test_demo_then_check_is_clean(demo_file):
    out = run_cli("--db", str(demo_file), "check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "检查通过" in out.stdout


def test_demo_refuses_a_database_with_cadres(demo_copy):
    out = run_cli("--db", str(demo_copy), "demo", "--cadres", "5")
    assert out.returncode == 1
    assert "已有干部数据" in out.stderr


def test_check_finds_gender_that_contradicts_the_id(demo_copy):
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE cadre SET gender = CASE gender WHEN '1' THEN '2' ELSE '1' END WHERE id = 3")
    conn.commit()
    conn.close()
    out = run_cli("--db", str(demo_copy), "check")
    assert out.returncode == 1
    assert "性别与身份证号不一致" in out.stdout


def test_check_applies_the_profile_rules_to_stored_rows(demo_copy):
    """Rows changed behind the app's back: a code not in its table, an impossible month, an empty
    required field — each named — and a dangling unit does not hide the other findings."""
    conn = sqlite3.connect(demo_copy)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE cadre SET ethnicity = '77' WHERE id = 3")
    conn.execute("UPDATE cadre SET work_start = '199913' WHERE id = 4")
    conn.execute("UPDATE cadre SET name = '' WHERE id = 5")
    conn.execute("UPDATE cadre SET unit_id = 9999 WHERE id = 6")
    conn.commit()
    conn.close()
    out = run_cli("--db", str(demo_copy), "check")
    assert out.returncode == 1
    assert "（3）：民族“77”不在民族代码表中" in out.stdout
    assert "（4）：参加工作时间：月份 13 无效" in out.stdout
    assert "（5）：请填写姓名" in out.stdout
    assert "外键不一致" in out.stdout


def test_check_finds_a_broken_unit_path(demo_copy):
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE unit SET path = '/999/' || id || '/' WHERE id = (SELECT MAX(id) FROM unit)")
    conn.commit()
    conn.close()
    out = run_cli("--db", str(demo_copy), "check")
    assert out.returncode == 1
    assert "层级路径不一致" in out.stdout


def test_check_finds_a_tampered_audit_log(demo_copy):
    conn = sqlite3.connect(demo_copy)
    conn.execute("UPDATE audit_log SET summary = '改过' WHERE id = (SELECT MIN(id) FROM audit_log)")
    conn.commit()
    conn.close()
    out = run_cli("--db", str(demo_copy), "check")
    assert out.returncode == 1
    assert "哈希链" in out.stdout


def test_newer_database_is_refused_with_a_message(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    out = run_cli("--db", str(path), "check")
    assert out.returncode == 2
    assert "更新版本" in out.stderr


def test_smoke_opens_the_window_and_exits_0(demo_copy):
    out = run_cli("--db", str(demo_copy), "--smoke")
    assert out.returncode == 0, out.stderr
    assert "冒烟测试通过" in out.stdout
    assert "50 名干部" in out.stdout


def test_smoke_on_a_new_database_counts_no_cadres(tmp_path):
    """A clerk's first start on a database of their own: the line said “<…CadreIndex object at 0x…> 名干部”."""
    out = run_cli("--db", str(tmp_path / "new.sqlite3"), "--smoke")
    assert out.returncode == 0, out.stderr
    assert "，0 名干部" in out.stdout and "object at" not in out.stdout


def test_smoke_never_waits_on_a_question(demo_copy):
    """A database in use by another running program: the smoke test prints the question and fails."""
    holder = subprocess.Popen([sys.executable, "-c", (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r})\n"
        "from cadre_desk.store.instance_lock import InstanceLock\n"
        f"InstanceLock({str(demo_copy)!r}).acquire(); print('ok', flush=True); time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        out = run_cli("--db", str(demo_copy), "--smoke", timeout=60)
    finally:
        holder.kill()
        holder.wait(10)
    assert out.returncode == 2, out.stdout
    assert "冒烟测试遇到对话框" in out.stderr and "正在被使用" in out.stderr
    assert "冒烟测试通过" not in out.stdout


def test_damaged_database_at_start_ends_the_program(demo_copy):
    """The damage is found beside the window (a check in the background): the question is answered,
    and the program must then end, not linger without a window."""
    with open(demo_copy, "r+b") as fh:
        fh.seek(4096 * 4)
        fh.write(b"\xde\xad" * 4096)
    out = run_cli("--db", str(demo_copy), "--smoke", timeout=60)
    assert out.returncode == 2, out.stdout
    assert "损坏" in out.stderr and "冒烟测试通过" not in out.stdout


def test_password_prompt_without_input_says_what_to_do(demo_copy):
    env = {k: v for k, v in os.environ.items() if k != "CADRE_DESK_NEW_PASSWORD"}
    out = subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(demo_copy), "users", "add", "li", "查阅人"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                         env=dict(env, QT_QPA_PLATFORM="offscreen"))
    assert out.returncode == 2
    assert "没有读到输入" in out.stderr and "CADRE_DESK_NEW_PASSWORD" in out.stderr


def test_smoke_on_a_new_database(tmp_path):
    out = run_cli("--db", str(tmp_path / "empty.sqlite3"), "--smoke")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "empty.sqlite3").exists()


def test_cadre_desk_home_holds_the_default_database(tmp_path):
    home = tmp_path / "工作目录"
    out = run_cli("demo", "--cadres", "5", env={"CADRE_DESK_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    assert (home / "cadre_desk.sqlite3").exists()


def test_db_flag_overrides_cadre_desk_home(tmp_path):
    home = tmp_path / "home2"
    target = tmp_path / "elsewhere" / "x.sqlite3"
    target.parent.mkdir()
    out = run_cli("--db", str(target), "demo", "--cadres", "5", env={"CADRE_DESK_HOME": str(home)})
    assert out.returncode == 0, out.stderr
    assert target.exists()
    assert not (home / "cadre_desk.sqlite3").exists()


def test_data_folder_resolution(tmp_path, monkeypatch):
    from cadre_desk import cli, paths

    monkeypatch.setenv("CADRE_DESK_HOME", str(tmp_path / "h"))
    assert paths.default_db_path() == tmp_path / "h" / "cadre_desk.sqlite3"
    assert (tmp_path / "h").is_dir()

    monkeypatch.delenv("CADRE_DESK_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    from platformdirs import user_data_dir

    expected = Path(user_data_dir("cadre_desk", appauthor=False))
    assert paths.data_dir() == expected
    if sys.platform.startswith("linux"):
        assert expected == tmp_path / "xdg" / "cadre_desk"

    args = cli.build_parser().parse_args(["--db", str(tmp_path / "given.sqlite3"), "check"])
    assert cli.db_path(args) == tmp_path / "given.sqlite3"
    args = cli.build_parser().parse_args(["check"])
    assert cli.db_path(args) == expected / "cadre_desk.sqlite3"


def test_backups_sit_beside_the_database(tmp_path):
    from cadre_desk.paths import backup_dir_for

    assert backup_dir_for(tmp_path / "a.sqlite3") == tmp_path.resolve() / "backups"


def test_help_lists_the_commands():
    out = run_cli("--help")
    assert out.returncode == 0
    for word in ("demo", "check", "--db", "--smoke"):
        assert word in out.stdout


def test_a_file_that_is_not_a_database_is_reported(tmp_path):
    path = tmp_path / "名单.sqlite3"
    path.write_text("这不是数据库", encoding="utf-8")
    out = run_cli("--db", str(path), "check")
    assert out.returncode == 2
    assert "不是本程序的数据库文件" in out.stderr and "Traceback" not in out.stderr
    assert path.read_text(encoding="utf-8") == "这不是数据库"


def test_a_missing_folder_is_reported(tmp_path):
    out = run_cli("--db", str(tmp_path / "没有" / "x.sqlite3"), "check")
    assert out.returncode == 2
    assert "无法打开数据库" in out.stderr and "Traceback" not in out.stderr


def test_help_and_usage_errors_are_in_chinese(tmp_path):
    out = run_cli("export", "roster", "--help")
    assert out.returncode == 0 and "用法：" in out.stdout and "选项" in out.stdout and "显示本帮助并退出" in out.stdout
    assert "usage" not in out.stdout and "options" not in out.stdout
    out = run_cli("--db", str(tmp_path / "x.sqlite3"), "--bogus")
    assert out.returncode == 2 and "无法识别的参数" in out.stderr and "error" not in out.stderr


def test_demo_creates_its_folder(tmp_path):
    path = tmp_path / "新文件夹" / "演示.sqlite3"
    out = run_cli("--db", str(path), "demo", "--cadres", "5")
    assert out.returncode == 0, out.stderr
    assert path.exists()


def test_opening_the_window_loads_no_capability_before_it_is_used():
    """Start-up stays light: parsing a window start imports no command or capability module."""
    import subprocess
    import sys

    code = ("import sys; from cadre_desk import cli; from cadre_desk.features import register_all; "
            "register_all(); args = cli.parse_args(['--db', 'x.sqlite3']); assert args.command is None; "
            "print(sorted(m for m in sys.modules if m.startswith(('cadre_desk.postings.postings', 'cadre_desk.postings.posting_reminders', "
            "'cadre_desk.mentoring.mentoring', 'cadre_desk.appraisal.appraisals', 'cadre_desk.exchange.imports', "
            "'cadre_desk.appraisal.records', 'reports', 'cadre_desk.security.cli_security', 'PySide6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_home_sheet_is_printed_from_the_command_line(demo_file, tmp_path):
    """``home-pdf OUT.pdf``: the 工作台 on one page (the counts the window shows, over every unit
    without accounts), the print in the audit log with its reason."""
    import sqlite3

    from tests.test_cli_accounts import home_pdf_figures

    out = run_cli("--db", str(demo_file), "home-pdf", str(tmp_path / "工作台.pdf"), "--reason", "部务会")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"已生成工作台 PDF → {tmp_path / '工作台.pdf'}"
    conn = sqlite3.connect(demo_file)
    serving = conn.execute("SELECT COUNT(*) FROM cadre WHERE status = '1'").fetchone()[0]
    last = conn.execute("SELECT action, entity, reason FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert home_pdf_figures(tmp_path / "工作台.pdf") == (1, "全部单位", serving)
    assert last == ("打印", "工作台", "部务会")


@pytest.mark.parametrize("argv, expected", [
    (["users", "add", "--display", "张三", "--units", "22", "zhangsan", "经办人"],
     {"action": "add", "name": "zhangsan", "role": "经办人", "display": "张三", "units": "22"}),
    (["users", "add", "zhangsan", "经办人", "--display", "张三", "--units", "22"],
     {"action": "add", "name": "zhangsan", "role": "经办人", "display": "张三", "units": "22"}),
    (["users", "--units", "22", "add", "zhangsan", "--display", "张三", "经办人"],
     {"action": "add", "name": "zhangsan", "role": "经办人", "display": "张三", "units": "22"}),
    (["users", "reset-password", "--user", "admin", "zhangsan"],
     {"action": "reset-password", "name": "zhangsan", "role": None, "command_user": "admin"}),
    (["dossier", "--all", "--reason", "会议", "档案.pdf"], {"out": "档案.pdf", "all": True, "reason": "会议"}),
    (["dossier", "档案.pdf", "--ids", "1,2"], {"out": "档案.pdf", "ids": [1, 2]}),
    (["dossier", "--split", "分册", "--all"], {"out": None, "split": "分册"}),
    (["home-pdf", "--reason", "部务会", "工作台.pdf"], {"out": "工作台.pdf", "reason": "部务会"}),
    (["postings", "--state", "在岗", "lines"], {"what": "lines", "state": "在岗"}),
    (["postings", "--state", "在岗"], {"what": "list", "state": "在岗"}),
    (["settings", "get", "--user", "admin", "组织部全称"], {"key": "组织部全称", "command_user": "admin"}),
    (["export", "roster", "--reason", "核对", "名册.xlsx"], {"out": "名册.xlsx", "reason": "核对"}),
    (["import", "--dry-run", "a.xlsx", "b.xlsx"], {"files": ["a.xlsx", "b.xlsx"], "dry_run": True}),
])
def test_options_and_positionals_go_in_any_order(monkeypatch, argv, expected):
    """``users add --display 张三 NAME ROLE`` reads as ``users add NAME ROLE --display 张三`` does."""
    from cadre_desk import cli

    monkeypatch.setattr(cli, "COMMANDS", ["cadre_desk.postings.postings_cli", "cadre_desk.security.cli_security",
                                          "cadre_desk.settings.settings_cli", "reports.pdf.pdf_cli",
                                          "reports.excel.exchange_cli"])
    args = vars(cli.build_parser().parse_args(argv))
    assert {key: args.get(key) for key in expected} == expected


def test_a_stray_positional_is_still_refused(monkeypatch, capsys):
    from cadre_desk import cli

    monkeypatch.setattr(cli, "COMMANDS", ["cadre_desk.security.cli_security", "reports.pdf.pdf_cli"])
    for argv in (["users", "add", "zhangsan", "经办人", "多余"], ["dossier", "档案.pdf"]):
        with pytest.raises(SystemExit) as stop:
            cli.build_parser().parse_args(argv)
        assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "无法识别的参数：多余" in err and "必须给出 --ids --all 之一" in err


def test_a_commands_usage_names_the_program_whole(capsys):
    """「用法：e_desk mentoring …」: argparse's intermixed parse cut len("usage: ") characters off the usage,
    three more than the Chinese 用法： is long — the program's name lost its first four letters."""
    import pytest

    from cadre_desk import cli

    for argv in (["mentoring", "--help"], ["mentoring", "--state", "坏"], ["users", "--help"]):
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args(argv)
        out = capsys.readouterr()
        text = out.out + out.err
        assert text.startswith(f"用法：cadre_desk {' '.join(argv[:-1 if argv[-1] == '--help' else -2])} "), text


def test_output_into_a_closed_pipe_ends_quietly(demo_file):
    """`cadre_desk mentoring | head`: once head had read its lines the command ended with
    「错误：文件操作失败（系统错误 32）」. A reader gone ends it quietly, as SIGPIPE ends other tools."""
    for command in (["mentoring"], ["postings", "posts"]):
        reader_gone = subprocess.Popen([sys.executable, "-m", "cadre_desk", "--db", str(demo_file), *command],
                                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        reader_gone.stdout.close()  # the reader stops before the first line is written
        _out, err = reader_gone.communicate(timeout=120)
        assert reader_gone.returncode == 141, err.decode()
        assert "错误" not in err.decode() and "Exception" not in err.decode() and "Broken" not in err.decode()


def test_a_password_piped_in_is_read_without_an_english_warning(demo_copy):
    """Without a terminal getpass said "Warning: Password input may be echoed." in English: the Chinese
    prompt goes to stderr and the password is one line of stdin; CADRE_DESK_PASSWORD still works."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CADRE_DESK_")}

    def run(*args: str, typed: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(demo_copy), *args], cwd=ROOT,
                              input=typed, capture_output=True, text=True, timeout=120,
                              env=dict(env, QT_QPA_PLATFORM="offscreen", **extra))

    added = run("users", "add", "boss", "系统管理员", typed="Admin#2025x\nAdmin#2025x\n")
    assert added.returncode == 0, added.stderr
    assert "已新增用户 boss" in added.stdout
    assert "Warning" not in added.stderr and added.stderr.startswith("新密码：\n再输入一次：")
    # the password is right (this account must change it first) — typed, or from the environment
    for typed, extra in (("Admin#2025x\n", {}), ("", {"CADRE_DESK_PASSWORD": "Admin#2025x"})):
        signed_in = run("--user", "boss", "users", "list", typed=typed, **extra)
        assert "须先修改密码" in signed_in.stderr and "Warning" not in signed_in.stderr, signed_in.stderr
    wrong = run("--user", "boss", "users", "list", typed="wrong\n")
    assert "用户名或密码错误" in wrong.stderr and "Warning" not in wrong.stderr


def test_no_blank_line_before_exported_when_the_output_is_not_a_terminal(db, db_target, tmp_path, capsys,
                                                                          monkeypatch):
    """「已导出…」 came after a blank line in a log or a pipe: the newline that ends a terminal's progress line
    was printed whether or not one had been. On a terminal the progress line is still ended (on stderr)."""
    import io

    from cadre_desk import cli
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database

    out = tmp_path / "统计.xlsx"
    close_database()
    capsys.readouterr()
    assert main(["--db", db_target, "export", "stats", str(out)]) == 0
    said = capsys.readouterr()
    assert said.out == f"已导出统计表 → {out}\n" and said.err == ""

    terminal = io.StringIO()
    terminal.isatty = lambda: True
    monkeypatch.setattr("sys.stderr", terminal)
    cli.progress_printer(1, 2, "正在导出…")
    cli.end_progress()
    cli.end_progress()  # once only
    assert terminal.getvalue() == "\r正在导出…\n"
