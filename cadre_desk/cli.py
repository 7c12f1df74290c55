"""The command line's parts: the parser, opening the database, the core's own subcommands.

A capability adds a subcommand by appending a module to COMMANDS with ``add_parser(subparsers)``
(which sets ``func``). ``cadre_desk.__main__`` (the composition root) runs it all."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from cadre_desk import APP_TITLE, __version__

DEMO_CADRES_FIRST_RUN = 500

# argparse's own words (help headings, usage errors) in Chinese; it looks them up through gettext.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多一个值",
    "one of the arguments %s is required": "必须给出 %s 之一",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
}
argparse._ = lambda text: ARGPARSE_ZH.get(text, text)


_progress_line = False  # a progress line is on the terminal, not ended yet


def progress_printer(done: int, total: int, text: str) -> None:
    """A long job's progress on one line of the terminal (each text over the last); nothing when the
    output is not a terminal (a log, a pipe)."""
    global _progress_line
    if sys.stderr.isatty():
        print(f"\r{text}", end="", file=sys.stderr, flush=True)
        _progress_line = True


def end_progress() -> None:
    """End the progress line before what is printed next (已导出…, 错误：…). Only when one was printed: a
    log or a pipe got a blank line before every 已导出 while a terminal needs the line ended."""
    global _progress_line
    if _progress_line:
        print(file=sys.stderr, flush=True)
        _progress_line = False


def cmd_demo(args: argparse.Namespace) -> int:
    from cadre_desk.domain.progress import Progress
    from cadre_desk.profiles import demo
    from cadre_desk.store.models import Cadre

    if not is_server(args):
        Path(args.db_path).parent.mkdir(parents=True, exist_ok=True)  # a new demo may go to a new folder
    open_db(args)
    if Cadre.select().exists() and not args.force:
        print("数据库中已有干部数据；演示数据只能生成到空数据库（或加 --force 追加）。", file=sys.stderr)
        return 1
    count = demo.generate(args.cadres, seed=args.seed, progress=Progress(progress_printer))
    end_progress()
    print(f"已生成演示数据：{count} 名干部 → {args.db_path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from cadre_desk.security.check import run_checks

    open_db(args)  # with accounts: someone who may read every unit's cadres (the findings name them)
    problems = run_checks()
    for line in problems:
        print(line)
    if problems:
        print(f"发现 {len(problems)} 个问题。", file=sys.stderr)
        return 1
    print("检查通过：数据库完整，数据一致。")
    return 0


def _add_builtin(sub) -> None:
    p = sub.add_parser("demo", help="生成演示数据库")
    p.add_argument("--cadres", type=int, default=1000, help="干部人数（默认 1000）")
    p.add_argument("--seed", type=int, default=1, help="随机种子")
    p.add_argument("--force", action="store_true", help="数据库非空时也追加演示数据")
    p.set_defaults(func=cmd_demo, needs=EDIT_ALL)
    p = sub.add_parser("check", help="检查数据库完整性与数据一致性")
    p.set_defaults(func=cmd_check, needs=READ_ALL)


# The core modules the window needs to open the database and show the 工作台, imported once the frame
# shows (the roster's own modules load with the roster, behind the first page).
WINDOW_CORE_MODULES = (
    "cadre_desk.security.backups", "cadre_desk.store.migrations", "cadre_desk.security.accounts",
    "cadre_desk.store.instance_lock", "cadre_desk.home.reminders",
)

# Feature modules with add_parser(subparsers); imported lazily so --help stays fast.
COMMANDS: list[str] = []


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: options and positionals in any order (``users add --display 张三 NAME ROLE``
    as well as ``users add NAME ROLE --display 张三``). Plain argparse stops filling optional positionals
    (nargs="?") at the first option and then calls the rest unrecognized; the intermixed parse does not."""

    _intermixing = False

    def parse_known_args(self, args=None, namespace=None):
        nested = any(isinstance(a, argparse._SubParsersAction) for a in self._actions)
        if nested or self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        if self.usage is None:
            # argparse's intermixed parse keeps format_usage()[7:] — len("usage: ") — which cut the
            # program's name to 「用法：e_desk mentoring …」 after the Chinese 用法：
            self.usage = self.format_usage()[len(ARGPARSE_ZH["usage: "]):]
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cadre_desk", description=f"{APP_TITLE} {__version__}",
                                     add_help=commands)
    parser.add_argument("--db", metavar="PATH|URL",
                        help="数据库文件（默认在用户数据目录；也可用 CADRE_DESK_HOME 指定目录），"
                             "或服务器数据库 postgresql://用户@主机:5432/数据库")
    parser.add_argument("--smoke", action="store_true", help="打开数据库、显示主窗口后立即退出（冒烟测试）")
    parser.add_argument("--self-check", action="store_true",
                        help="检查本软件是否完整（字体、Qt 中文翻译、PDF 加速、Excel 读取、打印预览、数据库），"
                             "逐项报告，有缺失时退出码为 1")
    parser.add_argument("--screenshot", metavar="DIR",
                        help="把每个页面和主要对话框按 1366×768 屏幕截图到 DIR（PNG），并检查是否放得下")
    parser.add_argument("--demo-if-new", action="store_true",
                        help=f"数据库不存在时先生成 {DEMO_CADRES_FIRST_RUN} 名干部的演示数据")
    parser.add_argument("--version", action="version", version=__version__, help="显示版本号并退出")
    parser.add_argument("--user", metavar="NAME", help=USER_HELP)
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=CommandParser)
    _add_builtin(sub)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    _add_user_option(sub)
    return parser


def _add_user_option(sub) -> None:
    """--user after a command's name too (``export roster OUT --user NAME``), down nested commands."""
    for command in sub.choices.values():
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        for inner in nested:
            _add_user_option(inner)
        if not nested:
            command.add_argument("--user", metavar="NAME", dest="command_user", default=argparse.SUPPRESS,
                                 help=USER_HELP)


def parse_args(argv: list[str], before_commands=None) -> argparse.Namespace:
    """Without a subcommand (opening the window) the command modules are not imported at all;
    ``before_commands()`` runs first when there is one (registering them)."""
    if "-h" not in argv and "--help" not in argv:
        args, rest = build_parser(commands=False).parse_known_args(argv)
        if not rest:
            return args
    if before_commands is not None:
        before_commands()
    args = build_parser().parse_args(argv)
    args.user = getattr(args, "command_user", None) or args.user
    return args


def db_path(args: argparse.Namespace):
    """The database of ``--db``: a file (Path), or a server database (ServerLocation) for a
    postgresql:// URL (its password from CADRE_DESK_DB_PASSWORD, or asked when the server wants one)."""
    if args.db and "://" in args.db:  # a URL: the server module (not loaded for a file) tells what it is
        from cadre_desk.store import server

        if server.is_server_url(args.db):
            location = server.ServerLocation.parse(args.db)
            if location.password is None and os.environ.get(server.PASSWORD_ENV):
                location = location.with_password(os.environ[server.PASSWORD_ENV])
            return location
    if args.db:
        return Path(args.db).expanduser()
    from cadre_desk.paths import default_db_path

    return default_db_path()


def is_server(args: argparse.Namespace) -> bool:
    from cadre_desk.store.server import ServerLocation

    return isinstance(args.db_path, ServerLocation)


def open_server(args: argparse.Namespace, readonly: bool = False):
    """Connect to the server database of ``--db``; asks for the password (once) when the server wants one."""
    from cadre_desk.domain.errors import DatabaseOpenError
    from cadre_desk.store.opening import open_database

    try:
        return open_database(args.db_path, readonly=readonly)
    except DatabaseOpenError as exc:
        if not getattr(exc, "needs_password", False) or args.db_path.password is not None:
            raise
    args.db_path = args.db_path.with_password(ask_secret(f"连接 {args.db_path.name}，请输入数据库密码："))
    return open_database(args.db_path, readonly=readonly)


def passphrase_for(path: Path) -> str | None:
    """The passphrase of an encrypted database: CADRE_DESK_PASSPHRASE or a prompt; None when plain."""
    from cadre_desk.store.db import looks_encrypted

    if not looks_encrypted(path):
        return None
    passphrase = os.environ.get("CADRE_DESK_PASSPHRASE")
    if passphrase is None:
        passphrase = ask_secret("数据库已加密，请输入口令：")
    return passphrase


def open_db(args: argparse.Namespace, readonly: bool = False, require_write: str = ""):
    """Open the database of ``--db``: quick_check first (a damaged file is never opened for writing),
    the passphrase of an encrypted one, read-only when the file cannot be written (a read-only file or
    folder, a full disk) — unless the command must write (``require_write`` names what it does, e.g.
    "导入"): then DatabaseReadOnlyError at once, before any work."""
    from cadre_desk.domain.errors import DatabaseReadOnlyError, DiskFullError
    from cadre_desk.store.db import cipher_available, write_problem
    from cadre_desk.store.opening import open_database

    if is_server(args):
        db = open_server(args, readonly)
        sign_in(args)  # the same accounts, roles, units and 回避 as on a file
        return db
    path = Path(args.db_path)
    passphrase = passphrase_for(path)
    if path.exists():
        from cadre_desk.security.backups import check_at_start

        if passphrase:
            if not cipher_available():
                from cadre_desk.domain.errors import CadreDeskError

                raise CadreDeskError("数据库已加密（或已损坏），本机未安装加密组件 sqlcipher3，无法打开。")
            from cadre_desk.security.encryption import check_key

            check_key(path, passphrase)

        try:
            check_at_start(path, passphrase)
            problem = write_problem(path)
        except DiskFullError as exc:
            if require_write or not exc.readonly_possible:
                raise
            problem = "磁盘空间不足"
        if problem and require_write:
            raise DatabaseReadOnlyError(f"{problem}，数据库只能以只读方式打开，不能{require_write}。")
        if problem:
            if not readonly:
                print(f"{problem}，以只读方式打开。", file=sys.stderr)
            readonly = True
        elif readonly and _has_accounts(path, passphrase):
            readonly = False  # a login is counted toward the lockout and audited: it must be written
    if passphrase:
        from cadre_desk.security.encryption import open_encrypted

        db = open_encrypted(path, passphrase, readonly=readonly)
    else:
        db = open_database(path, readonly=readonly)
    sign_in(args)
    return db


# ---- acting as an account ------------------------------------------------------------------------

USER_HELP = "以该账号运行（数据库已设置账号时必填；密码从提示输入，或取自环境变量 CADRE_DESK_PASSWORD）"
# What a command needs once the database has accounts (``needs`` in its parser defaults):
DATA = "data"  # any account; the services apply its role, units and 回避 (the default)
ADMIN = "admin"  # a 系统管理员 (users, backup, restore, encrypt)
AUDIT = "audit"  # a 安全审计员 (audit-verify)
READ_ALL, EDIT_ALL = "read-all", "edit-all"  # may read / edit the cadres of every unit (check, demo)
NO_LOGIN = "none"  # users init-admin (no accounts yet), users passwd (checks the old password itself)


def _has_accounts(path: Path, passphrase: str | None) -> bool:
    from cadre_desk.store.db import connect_raw

    conn = connect_raw(path, passphrase, readonly=True)
    try:
        return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user'").fetchone()
                    and conn.execute('SELECT 1 FROM "user" LIMIT 1').fetchone())
    finally:
        conn.close()


def read_password(name: str) -> str:
    password = os.environ.get("CADRE_DESK_PASSWORD")
    if password is None:
        password = ask_secret(f"用户 {name} 的密码：")
    return password


def ask_secret(prompt: str) -> str:
    """A password or passphrase: typed at a terminal unseen (getpass); without one (piped in, a script)
    one line of stdin after the prompt on stderr — not getpass's English "Warning: Password input may
    be echoed." EOFError when there is nothing to read (the composition root says what to do)."""
    stdin = sys.stdin
    if stdin is not None and stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    line = stdin.readline() if stdin is not None else ""
    print(file=sys.stderr)  # what was read is not echoed: the next message on a line of its own
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def sign_in(args: argparse.Namespace) -> None:
    """Once the database has accounts, a command runs as the account ``--user`` names, with its role,
    units and 回避 as in the window, and the audit names it. Without accounts nothing changes (the OS
    user may do everything, as before accounts existed). Raises LoginError / PermissionDenied."""
    from cadre_desk.access import permissions
    from cadre_desk.access.scope import current
    from cadre_desk.domain.errors import CadreDeskError, PermissionDenied
    from cadre_desk.security import accounts

    needs = getattr(args, "needs", DATA)
    if needs == NO_LOGIN or not accounts.has_users():
        return
    name = (getattr(args, "user", None) or "").strip()
    if not name:
        raise CadreDeskError("数据库已设置账号，请用 --user 用户名 指定以哪个账号运行"
                             "（密码从提示输入，或取自环境变量 CADRE_DESK_PASSWORD）。")
    user = accounts.login(name, read_password(name))
    accounts.enforce_login(True)
    if user.must_change_password:
        accounts.logout("须先修改密码")
        raise CadreDeskError(f"账号 {name} 须先修改密码：python -m cadre_desk --db {args.db_path} users passwd {name}")
    scope = current()
    refusal = None
    if needs == ADMIN:
        refusal = scope.role_refusal(permissions.ADMIN) and "该命令须由系统管理员账号运行。"
    elif needs == AUDIT:
        refusal = scope.role_refusal(permissions.AUDIT) and "该命令须由安全审计员账号运行。"
    elif needs in (READ_ALL, EDIT_ALL):
        action = permissions.READ if needs == READ_ALL else permissions.EDIT
        refusal = scope.role_refusal(action) or (None if scope.every_unit else "该命令涉及全部单位的干部，"
                                                 "须由负责全部单位的账号运行。")
    if refusal:
        accounts.logout("无权运行该命令")
        raise PermissionDenied(refusal)


def make_first_demo(args: argparse.Namespace) -> None:
    """First start (``--demo-if-new``) on a database that does not exist yet: fill it with demo data."""
    from cadre_desk.domain.progress import Progress
    from cadre_desk.profiles import demo
    from cadre_desk.store.db import close_database

    print(f"首次启动：正在生成演示数据库 {args.db_path} …", file=sys.stderr)
    open_db(args)
    demo.generate(DEMO_CADRES_FIRST_RUN, seed=1, progress=Progress(progress_printer))
    close_database()
