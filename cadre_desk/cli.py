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


def _progress_printer(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{text}", end="", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from cadre_desk.domain.progress import Progress
    from cadre_desk.profiles import demo
    from cadre_desk.store.models import Cadre

    Path(args.db_path).parent.mkdir(parents=True, exist_ok=True)  # a new demo may go to a new folder
    open_db(args)
    if Cadre.select().exists() and not args.force:
        print("数据库中已有干部数据；演示数据只能生成到空数据库（或加 --force 追加）。", file=sys.stderr)
        return 1
    count = demo.generate(args.cadres, seed=args.seed, progress=Progress(_progress_printer))
    print(f"\n已生成演示数据：{count} 名干部 → {args.db_path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from cadre_desk.security.check import run_checks

    open_db(args)
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
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("check", help="检查数据库完整性与数据一致性")
    p.set_defaults(func=cmd_check)


# The core modules the window uses from its first second on, imported before PySide: PySide's import
# hook (its __feature__ check) makes every module imported after it about twice as slow to load.
WINDOW_CORE_MODULES = (
    "cadre_desk.security.backups", "cadre_desk.store.migrations", "cadre_desk.security.accounts",
    "cadre_desk.store.instance_lock", "cadre_desk.profiles.cadre_list", "cadre_desk.units.units",
    "cadre_desk.home.reminders",
)

# Feature modules with add_parser(subparsers); imported lazily so --help stays fast.
COMMANDS: list[str] = []


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cadre_desk", description=f"{APP_TITLE} {__version__}",
                                     add_help=commands)
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认在用户数据目录；也可用 CADRE_DESK_HOME 指定目录）")
    parser.add_argument("--smoke", action="store_true", help="打开数据库、显示主窗口后立即退出（冒烟测试）")
    parser.add_argument("--demo-if-new", action="store_true",
                        help=f"数据库不存在时先生成 {DEMO_CADRES_FIRST_RUN} 名干部的演示数据")
    parser.add_argument("--version", action="version", version=__version__, help="显示版本号并退出")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="命令")
    _add_builtin(sub)
    for name in COMMANDS:
        importlib.import_module(name).add_parser(sub)
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Without a subcommand (opening the window) the command modules are not imported at all."""
    if "-h" not in argv and "--help" not in argv:
        args, rest = build_parser(commands=False).parse_known_args(argv)
        if not rest:
            return args
    return build_parser().parse_args(argv)


def db_path(args: argparse.Namespace) -> Path:
    from cadre_desk.paths import default_db_path

    return Path(args.db).expanduser() if args.db else default_db_path()


def passphrase_for(path: Path) -> str | None:
    """The passphrase of an encrypted database: CADRE_DESK_PASSPHRASE or a prompt; None when plain."""
    from cadre_desk.store.db import looks_encrypted

    if not looks_encrypted(path):
        return None
    passphrase = os.environ.get("CADRE_DESK_PASSPHRASE")
    if passphrase is None:
        import getpass

        passphrase = getpass.getpass("数据库已加密，请输入口令：")
    return passphrase


def open_db(args: argparse.Namespace, readonly: bool = False):
    """Open the database of ``--db``: quick_check first (a damaged file is never opened for writing),
    the passphrase of an encrypted one, read-only when the file cannot be written."""
    from cadre_desk.store.db import cipher_available, open_database

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

        check_at_start(path, passphrase)
        if not readonly and not os.access(path, os.W_OK):
            readonly = True
            print("数据库文件只读，以只读方式打开。", file=sys.stderr)
    if passphrase:
        from cadre_desk.security.encryption import open_encrypted

        return open_encrypted(path, passphrase, readonly=readonly)
    return open_database(path, readonly=readonly)


def make_first_demo(args: argparse.Namespace) -> None:
    """First start (``--demo-if-new``) on a database that does not exist yet: fill it with demo data."""
    from cadre_desk.domain.progress import Progress
    from cadre_desk.profiles import demo
    from cadre_desk.store.db import close_database

    print(f"首次启动：正在生成演示数据库 {args.db_path} …", file=sys.stderr)
    open_db(args)
    demo.generate(DEMO_CADRES_FIRST_RUN, seed=1, progress=Progress(_progress_printer))
    close_database()
