"""The composition root: ``python -m cadre_desk`` starts the window or runs one command.

The only module that names all three layers (core, reports, ui); everything else points down."""

from __future__ import annotations

import gc
import importlib
import logging
import os
import sys

from cadre_desk.store import drivers

drivers.defer_server_driver()  # before anything imports peewee: a start on a SQLite file skips psycopg

from cadre_desk import cli  # noqa: E402 - after the driver is deferred
from cadre_desk.domain.errors import CadreDeskError  # noqa: E402

# Subcommands of the documents layer (the core's own are registered by cadre_desk.features).
REPORT_COMMANDS = (
    "reports.pdf.pdf_cli",  # dossier / rmb / portrait / home-pdf / mentoring-pdf / review-pdf
    "reports.excel.exchange_cli",  # import / export
)

_REGISTERED = False


def register_all() -> None:
    """Every capability's parts, core and documents; the window registers its own on start."""
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk.features import register_all as register_core

    register_core()
    cli.COMMANDS.extend(REPORT_COMMANDS)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=os.environ.get("CADRE_DESK_LOG", "WARNING"))
    # The capabilities are registered for a command; the window registers them once its frame shows.
    args = cli.parse_args(sys.argv[1:] if argv is None else list(argv), before_commands=register_all)
    args.db_path = cli.db_path(args)
    try:
        if args.command:
            from cadre_desk.store.files import clean_leftovers

            clean_leftovers()  # half-written files of a run that was killed (exports, dossiers, backups)
            code = args.func(args)
            sys.stdout.flush()  # a reader that went away (| head) is found here, not at the exit
            return code
        if args.self_check:  # what a build brings along (fonts, translations, accelerator …), no database of its own
            register_all()
            from ui.shell import self_check

            return self_check.run()
        if args.demo_if_new and not args.db_path.exists():
            register_all()
            cli.make_first_demo(args)
        if args.screenshot:
            register_all()
            for name in cli.WINDOW_CORE_MODULES:
                importlib.import_module(name)
            from ui.shell import screenshots

            return screenshots.run(args)
        # The window's start allocates a great deal and frees almost nothing: the cyclic garbage collector
        # would walk every object made so far, again and again (~10 % of the start). Off until the window
        # has its first page (ui.shell.app.run turns it back on).
        gc.disable()
        from ui.shell.app import run

        return run(args)
    except BrokenPipeError:
        return _reader_gone()
    except CadreDeskError as exc:
        from cadre_desk.domain.errors import DatabaseDamagedError

        print(f"错误：{exc}", file=sys.stderr)
        if isinstance(exc, DatabaseDamagedError) and exc.backup is not None:
            print(f"可以用以下命令从最新的完好备份恢复（损坏的文件会被改名保留）：\n"
                  f"  python -m cadre_desk --db {args.db_path} restore {exc.backup}", file=sys.stderr)
        return 2
    except EOFError:  # a password or passphrase prompt with nothing to read (no terminal)
        print("\n错误：没有读到输入。请在终端中运行，或用环境变量 CADRE_DESK_PASSWORD（账号密码）"
              "/ CADRE_DESK_NEW_PASSWORD（新密码）/ CADRE_DESK_PASSPHRASE（数据库口令）提供。", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - disk full, locked … as a sentence, not a traceback
        from cadre_desk.domain.errors import friendly_error

        print(f"错误：{friendly_error(exc)}", file=sys.stderr)
        return 2
    finally:
        from cadre_desk.security.anchors import anchor_at_exit

        anchor_at_exit()  # the audit chain's head as this run leaves it, outside the database


def _reader_gone() -> int:
    """The output was piped into a program that stopped reading (``| head``): the command ends quietly,
    as other Unix tools do, with the status of a process ended by SIGPIPE (128 + 13). What is still
    buffered goes nowhere (flushed at the exit it would raise once more)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout is no file (captured in a test): nothing to silence
        pass
    return 128 + 13


if __name__ == "__main__":
    raise SystemExit(main())
