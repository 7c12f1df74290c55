"""The scope walk (issue 14, item 2): a 经办人 of one small unit, on a demo database with several
units, goes through every page of the window and each of its tabs, the 工作提醒 dock, every row's
context menu and every enabled button, every dialog and picker they open (typing the name of a cadre of
another unit into its search boxes), every cadre and menu action, the profile dialog with every tab,
every export and print, and every command of the command line run as that account.

No name or 身份证号 of a cadre of another unit may appear anywhere (screens, dialogs, files, output),
and no enabled action may be refused for scope. Pages, tabs and actions come from the registries
(ui/shell/registry.py), commands from the command line's parser: a new one is walked without a change
here (a new command must be put in COMMAND_ARGS or ADMIN_COMMANDS, or the last test fails)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication, QTabWidget  # noqa: E402

from tests.scope_walk import (  # noqa: E402
    CLERK,
    CLERK_PW,
    Walker,
    build_database,
    copy_database,
    widget_texts,
)

ROOT = Path(__file__).resolve().parent.parent


def _registries():
    from ui.shell import registry
    from ui.shell.features import register_all

    register_all()
    return registry


REGISTRY = _registries()


@pytest.fixture(scope="module")
def walk_data(tmp_path_factory):
    """Made on the tests' clock: a module fixture is made before each test's clock is set (on the computer's
    date, its postings, pairs and sheets could lie ahead of the tests' today, or long past it)."""
    import datetime as _dt

    from cadre_desk.domain import clock
    from tests.conftest import TEST_TODAY

    clock.set_now(_dt.datetime.fromisoformat(TEST_TODAY))
    try:
        data = build_database(tmp_path_factory.mktemp("walk") / "walk.sqlite3")
    finally:
        clock.reset()
    return data


@pytest.fixture
def clerk_window(qtbot, walk_data, tmp_path, monkeypatch):
    """The window as the 经办人 would have it after logging in."""
    from cadre_desk.access import context as access_context
    from cadre_desk.security import accounts
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database
    from ui.security.security import apply_operator
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    path = copy_database(walk_data.path, tmp_path / "walk.sqlite3")
    open_database(path)
    accounts.login(CLERK, CLERK_PW)
    accounts.enforce_login(True)
    context = AppContext(path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    apply_operator(window)
    window.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=20000)
    out = tmp_path / "out"
    out.mkdir()
    walker = Walker(qtbot, context, walk_data.forbidden, out)
    with walker.answering(monkeypatch):
        walker.probe = _probe_name(walk_data)
        yield window, walker
        context.tasks.wait_all(20000)
    accounts.enforce_login(False)
    access_context.set_operator(None)
    close_database()


def _probe_name(walk_data) -> str:
    """A forbidden name that is a name (not a 身份证号), typed into search boxes."""
    return next(t for t in sorted(walk_data.forbidden) if not t[:1].isdigit())


def _report(walker: Walker) -> None:
    print(f"\n{walker.where}: {len(walker.dialogs)} dialogs, {walker.files} files, {walker.checks} texts read")
    assert not walker.leaks, "其他单位的干部出现在：\n" + "\n".join(f"{w}: {t}" for w, t in walker.leaks[:20])
    assert not walker.refusals, "可用的操作被拒绝：\n" + "\n".join(f"{w}: {t}" for w, t in walker.refusals[:20])


def _modules(needs_read_only: bool = True) -> list[str]:
    return [spec.key for spec in sorted(REGISTRY.MODULES, key=lambda m: m.order)]


@pytest.mark.parametrize("key", _modules())
def test_every_page_shows_only_the_unit(clerk_window, key):
    window, walker = clerk_window
    spec = next(s for s in REGISTRY.MODULES if s.key == key)
    if not window.context.allows(spec.needs):
        assert window.nav.item([s.key for s in window._modules].index(key)).isHidden()
        return
    page = window.show_module(key)
    assert page is not None
    walker.settle()
    walker.walk(spec.title, page)
    for tabs in page.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            walker.walk(f"{spec.title} / {tabs.tabText(i)}", tabs.widget(i))
    _report(walker)


def test_lines_and_posts_are_closed_to_the_one_unit_clerk(clerk_window):
    """战线 and 岗位 are county-wide configuration: the clerk of one unit sees them, their buttons and
    menu items are disabled with the reason as tooltip, and posting a cadre stays open."""
    from cadre_desk.postings.frontline_posts import SHARED_CONFIG

    window, walker = clerk_window
    page = window.show_module("postings")
    walker.settle()
    assert page.tree.topLevelItemCount() > 0
    line = page.tree.topLevelItem(0)
    for item in (line, line.child(0)):
        if item is None:
            continue
        page.tree.setCurrentItem(item)
        tree = page.lines_tree
        for button in (tree.add_line_button, tree.add_post_button, tree.edit_button, tree.retire_button):
            assert not button.isEnabled() and button.toolTip() == SHARED_CONFIG, button.text()
        shared = [a for a in tree.tree_menu().actions() if "战线" in a.text() or "岗位" in a.text()
                  and "选派" not in a.text()]
        assert shared and all(not a.isEnabled() and a.toolTip() == SHARED_CONFIG for a in shared)
    assert page.actions["new"].isEnabled()


def test_the_home_reminders_show_only_the_unit(clerk_window, qtbot):
    """The 工作台's reminders (every capability's, counted in the background) once they are in."""
    window, walker = clerk_window
    page = window.page("home")
    page.refresh()
    qtbot.waitUntil(lambda: not page.counting(), timeout=60000)
    walker.walk("工作台 / 工作提醒", page)
    _report(walker)


def test_the_mentoring_page_places_no_one_of_another_unit(clerk_window):
    """导师帮带 (walk 34): a mentor of another unit was 「（其他单位干部）」 but their unit (高桥镇, 市公安局…)
    stood in the table, the detail pane and the tree's tool tip; a mentor of the unit whose mentee is of
    another unit read 「（1/3）」 over no mentee. No unit outside the clerk's reach shows on any pair, and
    each mentor's 进行中 count adds up to what the tree lists under them."""
    import re

    from cadre_desk.postings import frontline_posts
    from cadre_desk.units import units

    window, _walker = clerk_window
    listed = units.list_units()
    reachable = units.reachable_ids(listed)
    allowed = {u.name for u in listed if u.id in reachable}
    hidden = {u.name for u in listed if u.id not in reachable and not any(u.name in a for a in allowed)}
    page = window.show_module("mentoring")
    page.state_box.setCurrentIndex(0)  # every pair, ended ones too
    assert page.model.rowCount() >= 1  # the walk's pair of a mentor of another unit (a pair is its mentee's:
    # the unit's mentor's pair of a mentee of another unit is no row, it is counted in the tree below)
    shown: list[str] = []
    for row in range(page.model.rowCount()):
        page.select_pair(page.model.pair(row).id)
        shown += widget_texts(page)
    # 战线 and 岗位 are county-wide (社区服务·城关街道社区网格 names a place, not the mentor's unit)
    for post in frontline_posts.list_posts():
        shown = [t.replace(post.name, "岗位") for t in shown]
    leaks = sorted({(u, t) for t in shown for u in hidden if u in t})
    assert not leaks, "其他单位出现在导师帮带页：\n" + "\n".join(f"{u}: {t}" for u, t in leaks[:10])
    tops = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    assert tops
    assert any(top.child(i).text(0).startswith("其他单位帮带对象") for top in tops for i in range(top.childCount()))
    for top in tops:
        active = int(re.search(r"（(\d+)/\d+）$", top.text(0)).group(1))
        children = [top.child(i).text(0) for i in range(top.childCount())]
        others = sum(int(re.search(r"(\d+) 人", c).group(1)) for c in children if c.startswith("其他单位帮带对象"))
        assert active == others + sum(not c.startswith("其他单位帮带对象") for c in children), (top.text(0), children)


def test_every_cadre_and_menu_action_and_its_dialogs(clerk_window):
    """Every action of the 干部 menu (on all the unit's cadres) and of the other menus, with every
    dialog and picker it opens, cancelled (the exports and prints are run in the next test)."""
    window, walker = clerk_window
    ids = [row[0] for row in window.context.index.filter(_empty_filter())]
    for spec in sorted(REGISTRY.CADRE_ACTIONS, key=lambda a: a.order):
        if window.context.allows(spec.needs):
            walker.trigger(f"干部操作「{spec.title}」", lambda s=spec: s.callback(window.context, ids))
    for spec in sorted(REGISTRY.MENU_ACTIONS, key=lambda a: a.order):
        if spec.title in ("锁定", "注销", "切换用户") or not window.context.allows(spec.needs):  # end the walk's session
            continue
        walker.trigger(f"菜单「{spec.menu}/{spec.title}」", lambda s=spec: s.callback(window.context))
    assert walker.dialogs, "no dialog was opened"
    _report(walker)


def test_the_profile_dialog_and_every_tab(clerk_window, walk_data):
    window, walker = clerk_window
    for cadre_id in walk_data.inside_ids[:2]:
        walker.trigger(f"档案 {cadre_id}", lambda c=cadre_id: window.context.open_profile(c, window))
    assert any("档案" in d for d in walker.dialogs)
    _report(walker)


def test_every_export_and_print(clerk_window, walk_data):
    """Every action that writes a file (导出…, 打印…), run: the files hold no one of another unit."""
    from cadre_desk.access import permissions

    window, walker = clerk_window
    walker.exporting = True
    ids = [row[0] for row in window.context.index.filter(_empty_filter())]
    outputs = (permissions.EXPORT, permissions.PRINT)
    specs = [(f"干部操作「{s.title}」", lambda s=s: s.callback(window.context, ids))
             for s in REGISTRY.CADRE_ACTIONS if s.needs in outputs]
    specs += [(f"菜单「{s.title}」", lambda s=s: s.callback(window.context))
              for s in REGISTRY.MENU_ACTIONS if s.needs in outputs]
    assert len(specs) >= 8
    for name, fn in specs:
        before = set(walker.out_dir.rglob("*"))
        walker.trigger(name, fn)
        made = [p for p in set(walker.out_dir.rglob("*")) - before if p.is_file()]
        assert made, f"{name} wrote no file"
        for path in made:
            walker.check(f"{name} → {path.name}", [file_text(path)])
    _report(walker)


def _empty_filter():
    from cadre_desk.profiles.cadre_list import CadreFilter

    return CadreFilter()


def file_text(path: Path) -> str:
    """The text of an exported or printed file: a workbook's cells, a PDF's text, an XML file."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
    if path.suffix == ".pdf":
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout
    raw = path.read_bytes()
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


# ---- the command line ----------------------------------------------------------------------------

# Every data command with the arguments that make it read or write cadres ("{out}": a new file or folder).
COMMAND_ARGS = {
    "export": [["roster", "{out}.xlsx"], ["stats", "{out}.xlsx"], ["postings", "{out}.xlsx"],
               ["mentoring", "{out}.xlsx"], ["appraisal", "{out}.xlsx"], ["lrmx", "{out}"],
               ["checkups", "{out}.xlsx"], ["pools", "{out}.xlsx"], ["care", "{out}.xlsx"], ["liaison", "{out}.xlsx"]],
    "dossier": [["{out}.pdf", "--all"]],
    "portrait": [["{out}.pdf", "--all"]],
    "home-pdf": [["{out}.pdf"]],  # counts, charts and reminders (names) of the clerk's units only
    "rmb": [["{out}.pdf", "--all"]],
    "mentoring-pdf": [["{out}.pdf", "--all"], ["{out}.pdf", "--all", "--list"]],  # the unit's pairs, each side
    "review-pdf": [["{out}.pdf", "--all"]],  # the unit's 期满 postings (the walk's data has one of each side)
    "postings": [["list"], ["lines"], ["posts"], ["reminders"]],
    "mentoring": [[], ["--idle"]],
    "import": [],  # writes only: the import tests check it keeps to the operator's units
    "settings": [["get"]],  # the department's names: no cadre (setting them needs a 系统管理员)
}
# Commands a 经办人 may not run at all (administration; every unit's data).
ADMIN_COMMANDS = {"users": ["list"], "backup": ["{out}.sqlite3"], "restore": ["{out}.sqlite3"],
                  "encrypt": [], "audit-verify": [], "check": [], "demo": [],
                  "migrate-to": ["postgresql://walk@localhost/walk"]}


def _commands() -> list[str]:
    from cadre_desk.__main__ import register_all
    from cadre_desk.cli import build_parser

    register_all()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


def _run(path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CADRE_DESK_PASSWORD=CLERK_PW)
    return subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(path), "--user", CLERK, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)


def test_every_command_as_the_clerk(walk_data, tmp_path):
    path = copy_database(walk_data.path, tmp_path / "walk.sqlite3")
    unknown = [c for c in _commands() if c not in COMMAND_ARGS and c not in ADMIN_COMMANDS]
    assert not unknown, f"new commands to add to the scope walk: {unknown}"
    leaks = []
    n = 0
    for command, variants in COMMAND_ARGS.items():
        for args in variants:
            n += 1
            out = tmp_path / f"cli{n}"
            done = _run(path, command, *(a.format(out=out) for a in args))
            assert done.returncode == 0, (command, args, done.stderr)
            texts = [done.stdout, done.stderr]
            for made in sorted(tmp_path.glob(f"cli{n}*")):
                files = [made] if made.is_file() else [p for p in made.rglob("*") if p.is_file()]
                texts.extend(file_text(f) for f in files)
            blob = "\n".join(texts)
            leaks += [(command, args, t) for t in walk_data.forbidden if t in blob]
    assert not leaks, leaks[:10]
    for command, args in ADMIN_COMMANDS.items():
        done = _run(path, command, *(a.format(out=tmp_path / "admin") for a in args))
        assert done.returncode != 0 and ("系统管理员" in done.stderr or "安全审计员" in done.stderr
                                         or "全部单位" in done.stderr), (command, done.stderr)


def test_the_walk_covers_what_the_registries_list():
    """Sanity: the registries the walk reads are not empty (a refactor must not hide pages from it)."""
    assert len(REGISTRY.MODULES) >= 5 and len(REGISTRY.CADRE_ACTIONS) >= 5 and len(REGISTRY.MENU_ACTIONS) >= 10
    assert QApplication is not None
