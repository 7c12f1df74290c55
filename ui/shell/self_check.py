"""``cadre_desk --self-check``: does this installation (above all the one-folder bundle on an office PC
without a network) have everything it brings along? Each check prints one line in Chinese; the exit
code is 1 when any check fails. Nothing is written outside a temporary folder, no window is shown.

What a PyInstaller build can lose without an error at build time: a module imported by name (reportlab's
C accelerator, calamine's extension), a file of resources/ (fonts, Qt's translations, code tables). A
frozen build must also find them inside the bundle, never beside a checkout or in the system."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from cadre_desk.paths import resource, resource_dir

# Qt's own strings that must come out in Chinese (the standard buttons, from qtbase_zh_CN.qm).
QT_WORDS = (("QPlatformTheme", "Cancel", "取消"), ("QPlatformTheme", "Save", "保存"))


class CheckFailed(Exception):
    """A check found something missing (its message says what, in Chinese)."""


def _inside_bundle() -> str:
    folder = resource_dir()
    if not folder.is_dir():
        raise CheckFailed(f"找不到资源目录 {folder}")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None and not folder.resolve().is_relative_to(Path(bundle).resolve()):
        raise CheckFailed(f"资源目录 {folder} 不在程序目录 {bundle} 内")
    return f"{folder}（{'程序目录内' if bundle else '源代码目录'}）"


def _code_tables() -> str:
    from cadre_desk.domain import codes, pinyin

    names = codes.all_tables()
    for name in names:
        if not codes.table(name).items:
            raise CheckFailed(f"代码表 {name} 为空")
    if not pinyin.initials("干部"):  # resources/pinyin_initials.txt
        raise CheckFailed("拼音首字母表为空")
    return f"{len(names)} 张代码表、拼音首字母表"


def _pdf_fonts() -> str:
    from reports.pdf import pdf_common

    for file_name in pdf_common.FONT_FILES.values():  # before the registration, which is made once a process
        if not resource("fonts", file_name).is_file():
            raise CheckFailed(f"缺少字体文件 {resource('fonts', file_name)}")
    pdf_common.register_fonts()
    return "、".join(pdf_common.FONT_FILES.values())


def _qt_fonts() -> str:
    from PySide6.QtGui import QFontDatabase

    families = []
    for path in sorted(resource("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise CheckFailed(f"Qt 无法加载字体 {path.name}")
        families += QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise CheckFailed(f"{resource('fonts')} 中没有字体文件")
    return "、".join(sorted(set(families)))


def _qt_translations() -> str:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui.shell.app import QT_TRANSLATIONS, load_qt_translation

    if not load_qt_translation(QApplication.instance()):
        raise CheckFailed(f"找不到 Qt 的中文翻译（{resource('translations')}）")
    for context, english, chinese in QT_WORDS:
        if QCoreApplication.translate(context, english) != chinese:
            raise CheckFailed(f"Qt 的“{english}”没有译成“{chinese}”")
    return "、".join(QT_TRANSLATIONS)


def _rl_accel() -> str:
    from reportlab.lib import rl_accel

    missing = [name for name in rl_accel.__all__ if name not in rl_accel._c_funcs]
    if missing:
        raise CheckFailed(f"reportlab 的 C 加速模块（rl_accel）未生效，缺 {', '.join(missing)}：生成 PDF 会变慢")
    return f"{len(rl_accel._c_funcs)} 个函数由 C 模块提供"


def _calamine(folder: Path) -> str:
    import python_calamine
    from openpyxl import Workbook

    path = folder / "自检.xlsx"
    book = Workbook()
    book.active.append(["姓名", "出生年月"])
    book.active.append(["张三", "1986.05"])
    book.save(path)
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    if [list(row) for row in rows] != [["姓名", "出生年月"], ["张三", "1986.05"]]:
        raise CheckFailed(f"python-calamine 读出的内容不对：{rows}")
    return "python-calamine 读取 .xlsx 正常"


def _pdf_preview(folder: Path) -> str:
    import pypdfium2
    from reportlab.pdfgen import canvas

    path = folder / "自检.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(72, 72, "self-check")
    page.save()
    document = pypdfium2.PdfDocument(str(path))
    try:
        if len(document) != 1:
            raise CheckFailed("打印预览组件（PDFium）读不出测试 PDF")
        document[0].render(scale=0.2).to_pil()
    finally:
        document.close()
    return "PDFium 渲染正常"


def _database(folder: Path) -> str:
    from cadre_desk.profiles import demo
    from cadre_desk.security.check import run_checks
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    open_database(folder / "自检.sqlite3")
    try:
        count = demo.generate(5, seed=1)
        problems = run_checks()
    finally:
        close_database()
    if problems:
        raise CheckFailed(f"新建的演示数据库检查不通过：{problems[0]}")
    return f"新建数据库、生成 {count} 名演示干部并检查通过"


def _encryption() -> str:
    from cadre_desk.store.db import cipher_available

    return "可用（sqlcipher3）" if cipher_available() else "本机未安装加密组件 sqlcipher3（不影响其他功能）"


def checks(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    """(what, check) in the order they are printed; a check returns what it found or raises."""
    return [
        ("资源目录", _inside_bundle),
        ("代码表", _code_tables),
        ("PDF 字体", _pdf_fonts),
        ("界面字体", _qt_fonts),
        ("Qt 中文翻译", _qt_translations),
        ("PDF 加速", _rl_accel),
        ("Excel 读取", lambda: _calamine(folder)),
        ("打印预览", lambda: _pdf_preview(folder)),
        ("数据库", lambda: _database(folder)),
        ("数据库加密", _encryption),
    ]


def _reason(exc: Exception) -> str:
    if isinstance(exc, CheckFailed):
        return str(exc)
    if isinstance(exc, ImportError):  # a module PyInstaller did not take (named inside exec, a C extension's own)
        return f"缺少组件 {exc.name or exc}（安装不完整）"
    return f"{type(exc).__name__}: {exc}"


def run() -> int:
    """Run every check, print one line each; 0 when all passed, 1 otherwise."""
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.shell.app import before_qt_starts

    if QApplication.instance() is None:
        before_qt_starts()
        QApplication(sys.argv[:1])
    failed = 0
    with tempfile.TemporaryDirectory(prefix="cadre_desk_selfcheck_") as tmp:
        for what, check in checks(Path(tmp)):
            try:
                found = check()
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then the next check runs
                failed += 1
                reason = _reason(exc)
                print(f"[失败] {what}：{reason}")
            else:
                print(f"[正常] {what}：{found}")
    if failed:
        print(f"自检未通过：{failed} 项有问题，请重新安装本软件。", file=sys.stderr)
        return 1
    print("自检通过。")
    return 0
