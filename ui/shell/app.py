"""The composition root of the window: Qt application, fonts, style, database, main window."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from cadre_desk import APP_TITLE
from cadre_desk.paths import resource
from ui.widgets.window import report_timing

# System Chinese UI fonts first (Windows, 统信UOS/麒麟, Debian); the bundled Song face only when
# the PC has none of them — it is there for the PDFs and costs ~100 ms to load.
UI_FONT_FAMILIES = ("Microsoft YaHei", "Microsoft YaHei UI", "Noto Sans CJK SC", "Source Han Sans SC",
                    "WenQuanYi Micro Hei", "SimSun", "Noto Serif CJK SC")


def _regular_family(families: set[str]) -> str | None:
    """The first wanted family that has a non-bold face (the bundled Sans is Bold only)."""
    for family in UI_FONT_FAMILIES:
        if family in families and any("bold" not in style.lower() for style in QFontDatabase.styles(family)):
            return family
    return None


def load_fonts(app: QApplication) -> str | None:
    """Pick a Chinese family by name (a .ttc's first family may be the Japanese one); load the
    bundled fonts only when the system has no Chinese UI font. Returns the family used."""
    family = _regular_family(set(QFontDatabase.families()))
    if family is None:
        fonts_dir = resource("fonts")
        if fonts_dir.is_dir():
            for path in sorted(fonts_dir.glob("*.ttf")):
                QFontDatabase.addApplicationFont(str(path))
        family = _regular_family(set(QFontDatabase.families()))
    font = QFont(family, 10) if family is not None else app.font()
    # Chinese needs no text shaping (no ligatures, no kerning): skipping it makes every table cell and
    # label cheaper to draw (a page of the roster: 20 % less painting). Scripts that need shaping
    # still get it (Qt decides per script).
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    app.setFont(font)
    return family


def bundled_fonts_only(folder: Path) -> bool:
    """Before the QApplication exists: Qt sees only the fonts of resources/fonts, as on a PC with no
    Chinese UI font of its own (and in a bundle that does not find the system's): its Song face, and
    bold drawn by thickening it, the widest text of all. The fit check (--screenshot) measures with them:
    the staffing table's 核定职数 needed 73 px there and had 70, while the developer's Noto Sans CJK
    needed 70. Linux only (Qt finds its fonts through fontconfig there); True when set."""
    if not sys.platform.startswith("linux") or not resource("fonts").is_dir():
        return False
    from xml.sax.saxutils import escape

    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(resource('fonts')))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'font-cache'))}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)
    return True


# Qt's own words in Chinese (standard buttons, file and print dialogs, context menus): the wheel's
# qtbase translation and our supplement of what it leaves in English, both shipped in
# resources/translations (tools/translations.sh refreshes them), so a frozen build finds them too.
QT_TRANSLATIONS = ("qtbase_zh_CN.qm", "cadre_desk_qt_zh_CN.qm")


def load_qt_translation(app: QApplication) -> bool:
    """Qt's own strings and its calendar, dates and month names in Chinese. True when every
    translation file loaded."""
    from PySide6.QtCore import QLocale, QTranslator

    if getattr(app, "_qt_translators", None) is not None:  # made again (tests): installed already
        return len(app._qt_translators) == len(QT_TRANSLATIONS)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = []
    for name in QT_TRANSLATIONS:  # installed last = asked first: the supplement before qtbase
        translator = QTranslator(app)
        if translator.load(str(resource("translations", name))):
            app.installTranslator(translator)
            loaded.append(translator)
    app._qt_translators = loaded  # keep them alive
    return len(loaded) == len(QT_TRANSLATIONS)


def chinese_regional_format() -> None:
    """Before the QApplication exists. Qt's own file dialog writes sizes and dates in the system's
    regional format (QLocale.system(): LC_ALL / LC_NUMERIC / LC_TIME / LANG on Linux), so a Linux
    desktop not set to Chinese showed "0 bytes" and "4 12 2026": Chinese, as everything else. Windows
    and macOS use their own (native) file dialogs."""
    if not sys.platform.startswith("linux"):
        return
    env = os.environ
    if env.get("LC_ALL", "").startswith("zh"):
        return
    if env.get("LC_ALL"):  # it would override the categories below: it keeps the text encoding only
        env["LANG"] = env["LC_CTYPE"] = env.pop("LC_ALL")
    for name in ("LC_NUMERIC", "LC_TIME", "LC_MESSAGES"):
        if not (env.get(name) or env.get("LANG", "")).startswith("zh"):
            env[name] = "zh_CN.UTF-8"


def paint_on_the_gui_thread() -> None:
    """Before anything paints. Qt's raster engine hands every fill of 96 lines or more (a table's
    background, a scroll bar, the strip of page beside a table) to a pool of threads and waits for
    them: each keystroke in the roster made a dozen such hand-offs, ~3 ms of a 16 ms frame on two
    cores (bench_foundation), more than the fills themselves."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def find_pyside_users_quickly() -> None:
    """PySide (its ``__feature__`` support, for ``from __feature__ import snake_case``) asks of every
    module imported after it whether the module's source names "PySide6", through
    ``inspect.getsource``, which also walks every loaded module to find the file: ~15 ms CPU over the
    ~140 modules before the first page, more as later pages load theirs. The same answers from the
    file's bytes: ~6 ms."""
    feature = sys.modules.get("shibokensupport.feature")
    slow = getattr(feature, "_mod_uses_pyside", None)
    if slow is None or getattr(slow, "quick", False):
        return

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return slow(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:  # not a plain file (a zip, say): PySide's own way
            return slow(module)

    uses_pyside.quick = True
    feature._mod_uses_pyside = uses_pyside


def before_qt_starts() -> None:
    """What the program sets before its QApplication exists (the tests' too: conftest)."""
    find_pyside_users_quickly()
    chinese_regional_format()
    paint_on_the_gui_thread()


def make_app(argv: list[str] | None = None) -> QApplication:
    if QApplication.instance() is None:
        before_qt_starts()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("cadre_desk")
    app.setApplicationDisplayName(APP_TITLE)
    app.setOrganizationName("cadre_desk")
    load_fonts(app)
    load_qt_translation(app)
    style = resource("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def open_main_window(db_path: Path, readonly: bool = False, passphrase: str | None = None):
    """Open the database and build the main window (shown by the caller)."""
    open_main_database(db_path, readonly=readonly, passphrase=passphrase)
    return build_main_window(db_path, readonly=readonly)


def open_main_database(db_path: Path, readonly: bool = False, passphrase: str | None = None):
    from cadre_desk.store.opening import open_database

    if passphrase:
        from cadre_desk.security.encryption import open_encrypted

        return open_encrypted(db_path, passphrase, readonly=readonly)
    return open_database(db_path, readonly=readonly)


def build_main_window(db_path: Path, readonly: bool = False):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    return MainWindow(AppContext(db_path, readonly=readonly))


def prepare_database(db_path: Path, background_check: bool = False, check_later: bool = False):
    """Before anything opens the database for writing: passphrase, quick_check (offering the newest
    good backup), the one-instance lock, read-only detection. Returns (passphrase, lock, readonly), or
    None when the user gives up. With ``background_check`` a plain database whose schema is current is
    checked in a thread instead (see backups.BackgroundCheck; ``run`` reports its verdict); with
    ``check_later`` that thread waits for ``startup_check.start()`` (or the first write)."""
    from cadre_desk.domain.errors import CadreDeskError, DatabaseDamagedError, DiskFullError
    from cadre_desk.security import backups
    from cadre_desk.store import migrations
    from cadre_desk.store.db import (
        SQLITE_HEADER,
        looks_encrypted,
        low_space,
        peek_user_version,
        write_problem,
    )
    from ui.security import security

    global startup_check
    startup_check = None
    passphrase = None
    if looks_encrypted(db_path):
        passphrase = security.ask_passphrase(db_path)
        if passphrase is None:
            return None
    problem = None
    if background_check and passphrase is None and db_path.is_file() and not low_space(db_path.resolve().parent) \
            and _header(db_path) == SQLITE_HEADER and peek_user_version(db_path) == migrations.LATEST:
        startup_check = backups.BackgroundCheck(db_path, start=not check_later)
    else:
        try:
            backups.check_at_start(db_path, passphrase)
        except DatabaseDamagedError as exc:
            if not security.handle_damaged(db_path, exc, passphrase):
                return None
        except DiskFullError as exc:  # never damage: read-only, or nothing
            if not security.offer_readonly(exc):
                return None
            problem = "磁盘空间不足"
        except CadreDeskError as exc:  # cannot be read (not damage): said, and the file left alone
            from ui.widgets import messages

            messages.error(None, APP_TITLE, exc)
            return None
    problem = problem or write_problem(db_path)
    readonly = problem is not None
    lock = None
    if not readonly:
        lock, readonly_choice = security.take_instance_lock(db_path)
        if readonly_choice is None:
            return None
        readonly = readonly_choice
        if lock is not None:
            lock.start_heartbeat()
    if readonly:
        from ui.widgets import messages

        why = f"（{problem}）" if problem else ""
        messages.info(None, APP_TITLE, f"数据库以只读方式打开{why}：可以查阅，不能修改。")
    return passphrase, lock, readonly


# The quick_check running beside the window of this start (None when it ran before, or not at all).
startup_check = None


def _header(path: Path) -> bytes:
    from cadre_desk.store.db import read_head

    return read_head(path)


def after_startup_check(window, db_path: Path, on_passed) -> None:
    """When the background quick_check is over: ``on_passed()``, or — the file is damaged — stop
    everything and offer the newest good backup, exactly as a check before the window would."""
    from cadre_desk.domain.errors import DatabaseDamagedError
    from cadre_desk.store.db import close_database
    from ui.security import security

    check = startup_check
    if check is None:
        on_passed()
        return
    if not check.done():
        QTimer.singleShot(50, lambda: after_startup_check(window, db_path, on_passed))
        return
    if check.error is None:
        on_passed()
        return
    window.context.tasks.wait_all(10000)
    window.hide()
    close_database()
    from ui.widgets import messages

    if not isinstance(check.error, DatabaseDamagedError):  # a full disk, unreadable: not damage
        messages.error(None, APP_TITLE, check.error)
    elif security.handle_damaged(db_path, check.error, None):
        messages.info(None, APP_TITLE, "请重新打开程序。")
    # Through the event loop: when the check was over before app.exec() began, a direct exit() was
    # lost and the process went on without a window, for ever.
    QTimer.singleShot(0, lambda: QApplication.instance().exit(2))


def _answer_questions_unattended(app: QApplication) -> None:
    """The smoke test has nobody to answer a question: a dialog that opens is printed to stderr and
    answered with its cancel choice (退出 / 取消), so an unexpected question fails the test instead of
    hanging it. (A timer looking for a modal dialog: an application-wide event filter in Python would
    slow every event of the start.)"""
    from PySide6.QtWidgets import QDialog, QMessageBox

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and not getattr(dialog, "_unattended", False):
            dialog._unattended = True
            text = dialog.text() if isinstance(dialog, QMessageBox) else ""
            print(f"冒烟测试遇到对话框「{dialog.windowTitle()}」：{text}", file=sys.stderr, flush=True)
            cancel_dialog(dialog)

    timer = QTimer(app)
    timer.setInterval(50)
    timer.timeout.connect(look)
    timer.start()


def cancel_dialog(dialog) -> None:
    """Answer a dialog (a QDialog) the way its cancel choice (取消 / 退出 / 否) would."""
    from PySide6.QtWidgets import QMessageBox

    if isinstance(dialog, QMessageBox):
        for button in dialog.buttons():
            if dialog.buttonRole(button) in (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole):
                button.click()
                return
    dialog.reject()


def choose_database(args):
    """The database of this start: a server (``--db postgresql://…``, or the one this user chose last
    time: the 连接服务器 dialog asks for the password), else the file. None when the user gave up."""
    from cadre_desk.store.server import ServerLocation
    from ui.shell.server_choice import LOCAL, remembered_server

    location = args.db_path if isinstance(args.db_path, ServerLocation) else None
    if location is None and not args.db:
        location = remembered_server()
    if location is None:
        return Path(args.db_path)
    from ui.shell.server_link import connect_at_start  # the 连接服务器 dialog: only for a server

    chosen = connect_at_start(location)
    if chosen == LOCAL:
        from cadre_desk.paths import default_db_path

        return default_db_path() if isinstance(args.db_path, ServerLocation) else Path(args.db_path)
    return chosen


def _collect_from_now_on() -> None:
    from ui.widgets.gui_gc import GuiThreadCollector, freeze_loaded

    freeze_loaded()
    GuiThreadCollector(QApplication.instance())  # on this thread only, never in a worker's


# The window's own modules after a login: its parts, the 工作台 and the roster behind it.
WINDOW_UI_MODULES = ("ui.shell.features", "ui.shell.session", "ui.shell.context", "ui.home.home_page",
                     "ui.profiles.cadre_list")


def import_while_waiting(names) -> QTimer:
    """Import ``names``, one per turn of the event loop, while a dialog waits for somebody (the login):
    the window is then built without loading them. Nothing happens without an event loop turning (no
    login to wait for); ``stop()`` the timer when the wait is over."""
    pending = [name for name in names if name not in sys.modules]
    timer = QTimer()
    timer.setInterval(0)

    def next_one() -> None:
        if not pending:
            timer.stop()
            return
        importlib.import_module(pending.pop(0))

    timer.timeout.connect(next_one)
    timer.start()
    return timer


def check_while_waiting(check) -> QTimer:
    """Start ``check`` (a backups.BackgroundCheck, or None) in the first turn of the event loop while a
    dialog waits for somebody (the login); without such a wait nothing happens. ``stop()`` the timer when
    the wait is over."""
    timer = QTimer()
    timer.setSingleShot(True)
    if check is not None:
        timer.timeout.connect(check.start)
        timer.start(0)
    return timer


def check_after_first_paint(window, check) -> None:
    """Start ``check`` (a backups.BackgroundCheck, or None) once the window's first page has painted (at
    the latest after 3 s, whatever happens to that page): its thread would slow the window's building."""
    if check is not None:
        window.first_page_painted.connect(check.start)
        QTimer.singleShot(3000, check.start)


def run(args) -> int:
    """The window's start: the frame shows at once (Qt alone), then in the event loop the database is
    checked and opened, somebody logs in and the frame gets its pages — a clerk sees the window in the
    time a bare Qt window takes, not after the core, the database and the pages are loaded."""
    if args.smoke and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report_timing("run_entered")
    app = make_app()
    if args.smoke:
        _answer_questions_unattended(app)
        if len(app._qt_translators) != len(QT_TRANSLATIONS):  # a build that lost resources/translations
            print(f"冒烟测试失败：找不到 Qt 的中文翻译（{resource('translations')}）", file=sys.stderr)
            return 3
    report_timing("app_made")
    from ui.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    held: dict = {}  # what the start took and must give back at the end (instance lock, change listener)

    def start() -> None:
        code = _open_window(args, app, window, held)
        # The garbage collector (off during the start: cadre_desk.__main__) collects again once the first page
        # is built (queued before this), on the GUI thread (ui.widgets.gui_gc). What the start made (modules, classes, the window) is frozen first:
        # it lives as long as the program, and a first collection would walk all of it at once.
        QTimer.singleShot(0, _collect_from_now_on)
        if code is not None:  # the start stopped (a question answered with 退出, a refusal): no window
            window.hide()
            app.exit(code)

    QTimer.singleShot(0, start)
    try:
        return app.exec()
    finally:
        from cadre_desk.security import accounts

        if held.get("changes") is not None:
            held["changes"].stop()
        if held.get("opened"):
            accounts.logout()
        if held.get("lock") is not None:
            held["lock"].release()


def _open_window(args, app: QApplication, window, held: dict) -> int | None:
    """Check and open the database, log in, build the shown frame into the main window. An exit code
    when the start stops, None once the window works."""
    from cadre_desk import cli
    from cadre_desk.features import register_all as register_core
    from cadre_desk.store.files import clean_leftovers

    register_core()  # every capability's hooks and checks, before the database is opened
    for name in cli.WINDOW_CORE_MODULES:  # the core the window needs, now that the frame shows
        importlib.import_module(name)
    clean_leftovers()  # half-written files of a run that was killed (exports, dossiers, backups)
    from cadre_desk.domain.errors import DatabaseDamagedError
    from cadre_desk.store.db import close_database
    from ui.shell.context import AppContext
    from ui.widgets import messages

    messages.install_error_hook()

    db_path = choose_database(args)
    if db_path is None:
        return 2
    on_server = not isinstance(db_path, Path)
    if on_server:  # connected already; a server has no file to check, lock or find read-only
        prepared = None, None, False
    else:
        prepared = prepare_database(db_path, background_check=True, check_later=True)
    report_timing("prepared")
    if prepared is None:
        return 2
    passphrase, lock, readonly = prepared
    held["lock"] = lock
    from ui.security import security

    try:
        if not on_server:
            open_main_database(db_path, readonly=readonly, passphrase=passphrase)
        held["opened"] = True
        preparing = import_while_waiting(WINDOW_UI_MODULES)  # while somebody types a password
        checking = check_while_waiting(startup_check)  # … and the file is checked meanwhile
        try:
            if not security.login_before_window(db_path.name, readonly, smoke=args.smoke):
                return 0
        finally:
            preparing.stop()
            checking.stop()
        report_timing("logged_in")
        check_after_first_paint(window, startup_check)  # not started during the login: now
        window.build(AppContext(db_path, readonly=readonly))
        report_timing("window_built")
    except DatabaseDamagedError as exc:  # found by the background check while logging in
        close_database()
        if security.handle_damaged(db_path, exc, None):
            messages.info(None, APP_TITLE, "请重新打开程序。")
        return 2
    except Exception as exc:  # noqa: BLE001 - disk full, locked …: said in Chinese and logged, then stop
        messages.error(None, APP_TITLE, exc)
        return 2
    security.after_login(window)
    if not args.smoke:  # first start: who we are, asked of whoever may set it
        from ui.settings.settings_view import ask_department_if_unset

        QTimer.singleShot(0, lambda: ask_department_if_unset(window))
    if on_server:
        from ui.shell.server_link import ChangeBridge

        held["changes"] = ChangeBridge(window.context, db_path).start()

    def daily_backup():
        if readonly:
            return
        from cadre_desk.security import backups

        window.context.tasks.start(lambda _p: backups.daily_backup(db_path),
                                   on_error=lambda message: message and window.context.status_message.emit(
                                       f"自动备份失败：{message}"))

    after_startup_check(window, db_path, daily_backup)
    if args.smoke:
        def finish():
            if startup_check is not None and (not startup_check.done() or startup_check.error):
                if not startup_check.done():
                    QTimer.singleShot(50, finish)
                return  # a damaged file is reported by after_startup_check
            window.context.tasks.wait_all(60000)
            app.processEvents()
            from reports.pdf.pages import self_test

            self_test()  # the print preview's PDF renderer is bundled and loads
            print(f"冒烟测试通过：{window.windowTitle()}，{len(window.context.index) if window.context.index is not None else 0} 名干部")
            window.close()
            app.quit()

        QTimer.singleShot(200, finish)
    return None
