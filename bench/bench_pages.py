"""Pages benchmark on 100,000 cadres: how long the GUI thread is blocked outside the cadre list.

    python bench/bench_pages.py [--db PATH] [--workdir DIR] [--repeat R] [--audit-rows N]

Works on a copy of the demo database (bench/bench_foundation.py builds it; default
/tmp/cadre_desk_bench/demo-100000.sqlite3), to which it adds a large audit log. Every step runs in
the real pages and dialogs (offscreen); the number is the longest single stretch during which the
GUI thread did not return to its event loop (from the click until background jobs delivered their
results), beside a 200 ms budget. Runs offscreen.

Python's garbage collector runs as in the window (ui.widgets.gui_gc): automatic collection off, what the
start made frozen, the cadre index frozen when loaded, the GUI thread's collector collecting when idle.
Every step is a click (the collector is told, as by a mouse or key event), and after it the clerk reads the
result for ``USER_PAUSE_S`` (not measured; the collections that fall there are listed apart, with the
RSS over the run)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_foundation import peak_rss_mb, verdict  # noqa: E402

BUDGET_MS = 200
SETTLE_S = 0.05
USER_PAUSE_S = 0.5  # a clerk reading what a click showed before the next one (the collector's idle time)


def ms(seconds: float) -> float:
    return seconds * 1000


def gui_block(app, tasks, action) -> float:
    """Longest stretch (ms) the GUI thread spent away from its event loop: ``action`` itself, then
    every event until the task runner is idle (the results of background jobs delivered)."""
    from PySide6.QtCore import QEventLoop

    longest = 0.0
    collector = app_collector[0]
    if collector is not None:
        user_pause(app, collector)
        if hasattr(collector, "note_input"):
            collector.note_input()
    gc_where[0] = "步骤"
    t0 = time.perf_counter()
    result = action()
    longest = ms(time.perf_counter() - t0)
    quiet_since = None
    while True:
        t0 = time.perf_counter()
        app.processEvents(QEventLoop.AllEvents)
        now = time.perf_counter()
        longest = max(longest, ms(now - t0))
        busy = bool(tasks._running or tasks._pending)
        if busy:
            quiet_since = None
            time.sleep(0.002)
            continue
        quiet_since = quiet_since or now
        if now - quiet_since > SETTLE_S:
            break
        time.sleep(0.002)
    gc_where[0] = "停顿"
    bench_result[0] = result
    return longest



bench_result: list = [None]
app_collector: list = [None]  # the window's garbage collector (ui.widgets.gui_gc.GuiThreadCollector)
gc_log: list[tuple[str, int, float]] = []  # (where, generation, ms) of each collection over 30 ms
rss_trace: list[float] = []  # the RSS before each step
gc_where = ["停顿"]  # where a collection falls now: 步骤 (a click waits) or 停顿 (the clerk reads)


def user_pause(app, collector) -> None:
    """The clerk reads the last result: the event loop turns, nothing measured."""
    from PySide6.QtCore import QEventLoop

    rss_trace.append(current_rss_mb())
    end = time.perf_counter() + USER_PAUSE_S
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.AllEvents)
        time.sleep(0.005)


def follow_collections() -> None:
    """Log every collection over 30 ms: in a step (a click waits for it) or in a pause (a clerk reads)."""
    import gc
    import threading

    started: dict[int, float] = {}

    def callback(phase, info):
        if phase == "start":
            started[threading.get_ident()] = time.perf_counter()
            return
        took = ms(time.perf_counter() - started.pop(threading.get_ident(), time.perf_counter()))
        if took > 30:
            gc_log.append((gc_where[0], info["generation"], took))
    gc.callbacks.append(callback)
durations: dict[str, float] = {}  # whole-job wall times (background work included), for reference
args_audit_rows = [0]


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def median_block(app, tasks, action, repeat: int, setup=None, teardown=None) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        times.append(gui_block(app, tasks, action))
        if teardown:
            teardown(bench_result[0])
    return statistics.median(times), max(times)


def grow_audit_log(db_path: Path, rows: int) -> None:
    """Append ``rows`` chained audit entries (as a long-used database has)."""
    import datetime as dt
    import json
    import sqlite3

    from cadre_desk.security.audit import HEAD_KEY, row_hash

    con = sqlite3.connect(db_path)
    last = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() or (0, "")
    last_id, prev = last
    start = dt.datetime(2024, 1, 1)
    batch = []
    actions = ("查看", "修改", "打印", "导出", "新增")
    for i in range(rows):
        row_id = last_id + 1 + i
        values = {"at": (start + dt.timedelta(minutes=3 * i)).isoformat(timespec="microseconds"),
                  "user": f"user{i % 17}", "action": actions[i % 5], "entity": ("cadre", "posting", "sheet")[i % 3],
                  "entity_id": i % 100000 + 1, "summary": f"第 {i} 条操作 干部{i % 100000}",
                  "changes": json.dumps({"phone": ["1", str(i)]}, ensure_ascii=False) if i % 5 == 1 else "",
                  "reason": ""}
        h = row_hash(prev, values)
        batch.append((row_id, *(values[k] for k in ("at", "user", "action", "entity", "entity_id", "summary",
                                                   "changes", "reason")), prev, h))
        prev = h
    con.executemany("INSERT INTO audit_log (id, at, user, action, entity, entity_id, summary, changes, reason,"
                    " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
    con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                (HEAD_KEY, json.dumps({"id": last_id + rows, "hash": prev})))
    con.commit()
    con.close()


def bench(db_path: Path, repeat: int) -> dict:
    import gc

    from PySide6.QtWidgets import QApplication

    import ui.shell.app as shell_app
    from cadre_desk.access import context as service_context
    from cadre_desk.features import register_all
    from cadre_desk.store.opening import open_database
    from ui.shell.app import make_app
    from ui.shell.context import AppContext
    from ui.shell.features import register_all as register_ui
    from ui.widgets import gui_gc

    register_all()
    register_ui()
    service_context.set_operator(service_context.Operator(username="bench", display_name="基准"))
    gc.disable()  # as cadre_desk.__main__ before the window's start
    app = QApplication.instance() or make_app()
    open_database(db_path)
    context = AppContext(db_path)
    tasks = context.tasks
    shell_app._collect_from_now_on()  # as the window once started: frozen, the GUI thread's collector
    from ui.widgets.gui_gc import GuiThreadCollector

    app_collector[0] = app.findChildren(GuiThreadCollector)[0]
    res: dict[str, tuple[float, float]] = {}
    durations.clear()

    def load_index() -> None:
        from cadre_desk.profiles.cadre_list import CadreIndex

        context.index = CadreIndex.load()

    t0 = time.perf_counter()
    load_index()
    if hasattr(gui_gc, "freeze_loaded"):  # as the cadre list does when its index arrives
        gui_gc.freeze_loaded()
    print(f"  (名册索引载入 {ms(time.perf_counter() - t0):.0f} ms，不计入；峰值 RSS {peak_rss_mb():.0f} MB)", flush=True)

    def scratch() -> AppContext:
        """A context of its own for a page that is built and thrown away: the pages listen to their
        context with lambdas, which a deleted page would leave behind (the window never deletes a
        page). Same index, same task runner."""
        own = AppContext(db_path)
        own.index = context.index
        own.tasks = tasks
        return own

    def page(cls_path: str, shared: bool = False):
        module, name = cls_path.split(":")
        cls = getattr(__import__(module, fromlist=[name]), name)

        def build():
            widget = cls(context if shared else scratch())
            widget.resize(1400, 800)
            widget.show()
            return widget
        return build

    def close(widget) -> None:
        """Really gone (processEvents alone leaves deleteLater undone): no copy keeps listening."""
        from PySide6.QtCore import QEvent

        widget.close()
        widget.deleteLater()
        app.sendPostedEvents(None, QEvent.DeferredDelete)
        app.processEvents()

    pages = {"单位管理": "ui.units.units_view:UnitsPage", "一线锻炼": "ui.postings.postings_view:PostingsPage",
             "导师帮带": "ui.mentoring.mentoring_view:MentoringPage", "实绩考核": "ui.appraisal.appraisal_view:AppraisalPage",
             "审计日志": "ui.security.audit_view:AuditPage", "用户管理": "ui.security.users_view:UsersPage"}
    for label, path in pages.items():
        res[f"打开页面：{label}"] = median_block(app, tasks, page(path), repeat, teardown=close)
        print(f"  {label} {res[f'打开页面：{label}'][0]:.0f} ms（峰值 RSS {peak_rss_mb():.0f} MB）", flush=True)

    res.update(bench_care_page(app, tasks, scratch, close, repeat))

    # filters
    from ui.mentoring.mentoring_view import MentoringPage
    from ui.postings.postings_view import PostingsPage
    from ui.security.audit_view import AuditPage

    postings_page = page("ui.postings.postings_view:PostingsPage")()
    gui_block(app, tasks, lambda: None)
    assert isinstance(postings_page, PostingsPage)
    res["一线锻炼：选状态"] = median_block(
        app, tasks, lambda: postings_page.state_filter.setCurrentIndex(1), repeat,
        setup=lambda: postings_page.state_filter.setCurrentIndex(0))
    res["一线锻炼：选原单位"] = median_block(
        app, tasks, lambda: postings_page.unit_filter.setCurrentIndex(1), repeat,
        setup=lambda: postings_page.unit_filter.setCurrentIndex(0))

    # 人岗匹配 for a post
    from cadre_desk.postings import frontline_posts
    from ui.postings.match_dialog import MatchDialog
    from ui.postings.posting_dialogs import BatchPostDialog

    post_id = frontline_posts.list_posts()[0].id

    def match():
        dialog = MatchDialog(context, post_id)
        dialog.show()
        return dialog
    res["人岗匹配（10 万人中找候选）"] = median_block(app, tasks, match, repeat, teardown=close)

    ids = [row[0] for row in context.index.filter(_all_filter())[:101]]

    def batch():
        dialog = BatchPostDialog(context, ids, post_id)
        dialog.show()
        return dialog
    res["批量选派对话框（101 人）"] = median_block(app, tasks, batch, repeat, teardown=close)
    close(postings_page)

    mentoring_page = page("ui.mentoring.mentoring_view:MentoringPage")()
    gui_block(app, tasks, lambda: None)
    assert isinstance(mentoring_page, MentoringPage)
    res["导师帮带：选状态"] = median_block(
        app, tasks, lambda: mentoring_page.state_box.setCurrentIndex(0), repeat,
        setup=lambda: mentoring_page.state_box.setCurrentIndex(1))
    close(mentoring_page)

    from ui.mentoring.pair_dialogs import PairDialog

    def pair_dialog():
        dialog = PairDialog(context)
        dialog.show()
        return dialog
    res["导师结对对话框（两个 10 万人选择器）"] = median_block(app, tasks, pair_dialog, repeat, teardown=close)
    dialog = pair_dialog()
    gui_block(app, tasks, lambda: None)
    texts = iter(["张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴"] * repeat)
    res["结对选择器：输入一个字"] = median_block(app, tasks, lambda: dialog.mentee.search.setText(next(texts)),
                                       repeat, setup=lambda: dialog.mentee.search.setText(""))
    close(dialog)

    audit_page = page("ui.security.audit_view:AuditPage")()
    gui_block(app, tasks, lambda: None)
    assert isinstance(audit_page, AuditPage)

    day = audit_page.date_from.value()  # a DateEdit now (stored text, 20241106)
    audit_page.date_from.set_value(f"{int(day[:4]) - 5}{day[4:]}")  # the whole log
    res["审计日志：查询全部日期"] = median_block(app, tasks, audit_page.refresh, repeat)

    def audit_search(text):
        audit_page.text_edit.setText(text)
        audit_page.refresh()
    res["审计日志：按内容查询"] = median_block(app, tasks, lambda: audit_search("干部99999"), repeat,
                                      setup=lambda: audit_page.text_edit.setText(""))
    res["审计日志：选操作"] = median_block(app, tasks, lambda: audit_page.action_combo.setCurrentIndex(3)
                                   or audit_page.refresh(), repeat,
                                   setup=lambda: audit_page.action_combo.setCurrentIndex(0))
    from PySide6.QtWidgets import QMessageBox

    from ui.widgets import messages

    boxes = []
    QMessageBox.information = staticmethod(lambda *a, **k: boxes.append(a[2]))
    QMessageBox.critical = staticmethod(lambda *a, **k: boxes.append(a[2]))
    # the program's own boxes (ui.widgets.messages): answered with their default button, not shown
    messages.present = lambda box: boxes.append(box.text()) or box.defaultButton()
    t0 = time.perf_counter()
    res[f"审计日志：校验完整性（{args_audit_rows[0]} 条）"] = (gui_block(app, tasks, audit_page.verify),) * 2
    durations["审计日志校验完整性"] = ms(time.perf_counter() - t0)
    close(audit_page)

    # 实绩考核: switching to the tabs that hold the big sheet
    from ui.appraisal.appraisal_view import AppraisalPage

    appraisal_page = AppraisalPage(scratch())
    appraisal_page.resize(1400, 800)
    appraisal_page.show()
    gui_block(app, tasks, lambda: None)
    res["实绩考核：切到考核表（3532 人）"] = (gui_block(app, tasks, appraisal_page.show_sheet_tab),) * 2
    res["实绩考核：切到正负面清单"] = (gui_block(
        app, tasks, lambda: appraisal_page.tabs.setCurrentWidget(appraisal_page.behaviour_tab)),) * 2
    res["实绩考核：切到赛马比选"] = (gui_block(
        app, tasks, lambda: appraisal_page.tabs.setCurrentWidget(appraisal_page.ranking_tab)),) * 2
    close(appraisal_page)

    # appraisal: a new sheet for a big unit subtree, typing scores, finalizing
    from cadre_desk.appraisal import appraisals, sheet_scores
    from cadre_desk.units import units
    from ui.appraisal.sheet_dialogs import NewSheetDialog
    from ui.appraisal.sheet_tab import SheetTab

    subtree = _big_unit(units, context.index)

    def new_sheet_dialog():
        dialog = NewSheetDialog(context, None, [])
        dialog.show()
        return dialog
    res["新建考核表对话框"] = median_block(app, tasks, new_sheet_dialog, repeat, teardown=close)
    dialog = new_sheet_dialog()
    gui_block(app, tasks, lambda: None)
    unit_index = dialog.group.findData(subtree[0])
    res[f"新建考核表：选单位（{subtree[1]} 人）"] = median_block(
        app, tasks, lambda: dialog.group.setCurrentIndex(unit_index), repeat,
        setup=lambda: dialog.group.setCurrentIndex(0))
    dialog.group.setCurrentIndex(unit_index)
    dialog.period.setText("2031")
    res["新建考核表：创建"] = (gui_block(app, tasks, dialog.accept),) * 2
    created = dialog.created
    close(dialog)

    # As in the window: every page visited once stays open and listens (a finalized annual sheet
    # changes 2,000 profiles), in a stack that shows one of them (the 实绩考核 page, which holds the
    # sheet); the others reload when shown. Until stop 35 each page was a window of its own, all shown.
    from PySide6.QtWidgets import QStackedWidget

    stack = QStackedWidget()
    stack.resize(1400, 800)
    open_pages = [page(path, shared=True)() for path in pages.values()]
    for widget in open_pages:
        stack.addWidget(widget)
    stack.setCurrentWidget(next(w for w in open_pages if type(w).__name__ == "AppraisalPage"))
    stack.show()
    gui_block(app, tasks, lambda: None)
    tab = SheetTab(context)
    tab.resize(1400, 800)
    tab.show()
    app.processEvents()
    res["考核表：打开（数千人）"] = median_block(
        app, tasks, lambda: tab.reload_sheets(created.id), repeat)
    model = tab.model
    column = model.first_score_column
    rows = iter(range(model.rowCount()))

    def type_score():
        tab.grid.setCurrentIndex(model.index(next(rows), column))
        model.setData(tab.grid.currentIndex(), "95")
    res["考核表：录入一个分数"] = median_block(app, tasks, type_score, repeat * 3)

    # fill every score (not timed), then finalize
    data = appraisals.load_sheet(created.id)
    changes = []
    for i, member in enumerate(data.members):
        for rater in data.scheme.raters:
            for dim in data.scheme.dimensions:
                changes.append(sheet_scores.ScoreChange(member.cadre_id, rater.id, dim.id, 60 + (i * 7) % 30))
    sheet_scores.set_scores(created.id, changes)
    tab.reload_sheets(created.id)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.Yes)
    QMessageBox.warning = staticmethod(lambda *a, **k: print("  定稿提示：", a[2][:80]))
    res["考核表：定稿（其余页面均已打开）"] = (gui_block(app, tasks, tab.finalize),) * 2
    close(tab)
    for widget in open_pages:
        close(widget)
    close(stack)

    # reminders (the 工作台's list: the panel it was is part of the page now)
    from ui.home.home_page import HomePage

    def reminders():
        panel = HomePage(scratch())
        panel.show()
        panel.refresh()
        return panel
    res["工作提醒汇总"] = median_block(app, tasks, reminders, repeat, teardown=close)
    bench_more_pages(app, tasks, context, scratch, close, repeat, res)
    bench_more_dialogs(app, tasks, context, close, repeat, res)

    # 导出统计表: the real menu action (file and reason dialogs answered), in the task runner
    from ui.exchange import exchange_view

    out = Path(tempfile.mkdtemp()) / "统计表.xlsx"
    exchange_view._save_path = lambda *_a: str(out)
    exchange_view.ask_reason = lambda *_a: "基准测试"
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    res["导出统计表（后台任务）"] = (gui_block(app, tasks, lambda: exchange_view.export_stats(context)),) * 2
    durations["导出统计表"] = ms(time.perf_counter() - t0)
    durations["导出统计表峰值内存增长 MB"] = peak_rss_mb() - rss_before

    res["rss_mb"] = peak_rss_mb()
    return res


def bench_care_page(app, tasks, scratch, close, repeat: int) -> dict[str, tuple[float, float]]:
    """谈心关爱: its 包抓联系 tab lists every 在岗 posting (10,059 at 100,000 cadres), 谈话提醒 the same postings,
    谈心谈话 every talk. From building the page until its four lists, read in the background, are shown;
    the CPU of all of it (the loading threads' too) per opening, for reference."""
    from ui.care.care_view import CarePage

    def build():
        widget = CarePage(scratch())
        widget.resize(1400, 800)
        widget.show()
        return widget

    label = "打开页面：谈心关爱（包抓联系 1 万余人）"
    c0 = time.process_time()
    result = {label: median_block(app, tasks, build, repeat, teardown=close)}
    durations["谈心关爱页打开 CPU（每次，含后台）"] = ms(time.process_time() - c0) / repeat
    print(f"  谈心关爱 {result[label][0]:.0f} ms（峰值 RSS {peak_rss_mb():.0f} MB）", flush=True)
    return result


# ---- pages, docks and dialogs reached from the window's navigation, menus and reminders ----------------


def _stub_window(build):
    """What a reminder's opener asks of the main window: a parent for a dialog, and ``show_module`` (the
    window keeps every page it showed, so a page is built once and then reused)."""
    from PySide6.QtWidgets import QWidget

    class StubWindow(QWidget):
        def __init__(self):
            super().__init__()
            self.pages: dict[str, object] = {}

        def show_module(self, key: str):
            if key not in self.pages:
                self.pages[key] = build(key)
            return self.pages[key]
    return StubWindow()


def bench_more_pages(app, tasks, context, scratch, close, repeat: int, res: dict) -> None:
    """The pages and dialogs the lines above do not reach: 工作台, 政治体检 (提醒单 下发 / 补发, 核查结果,
    单位汇总), 专业干部库 (纳入干部, 选择干部, 库设置), 干部监督, 系统设置, 干部画像, and a 工作台 reminder
    opening its record (each kind)."""
    from PySide6.QtWidgets import QDialog

    from cadre_desk.home import reminders
    from cadre_desk.profiles.cadre_list import ID
    from ui.checkups import checkup_dialogs
    from ui.checkups.checkups_view import CheckupsPage
    from ui.home import home_page
    from ui.home.home_page import HomePage
    from ui.portrait.portrait_view import PortraitDialog
    from ui.settings.settings_view import SettingsPage
    from ui.supervision.supervision_view import SupervisionPage
    from ui.talent.talent_view import AddMembersDialog, PoolsDialog, TalentPage
    from ui.widgets.pick_cadres import PickCadresDialog

    def line(label: str, value: tuple[float, float]) -> None:
        res[label] = value
        print(f"  {label} {value[0]:.0f} ms", flush=True)

    def shown(make):
        def build():
            widget = make()
            widget.resize(1400, 800) if not isinstance(widget, QDialog) else None
            widget.show()
            return widget
        return build

    for label, cls in (("工作台", HomePage), ("政治体检", CheckupsPage), ("专业干部库", TalentPage),
                       ("干部监督", SupervisionPage), ("系统设置", SettingsPage)):
        line(f"打开页面：{label}", median_block(app, tasks, shown(lambda cls=cls: cls(scratch())), repeat,
                                           teardown=close))

    # 政治体检
    checkups_page = shown(lambda: CheckupsPage(scratch()))()
    gui_block(app, tasks, lambda: None)
    line("政治体检：选全部提醒单", median_block(
        app, tasks, lambda: checkups_page.round_box.setCurrentIndex(0), repeat,
        setup=lambda: checkups_page.round_box.setCurrentIndex(1)))
    line("政治体检：切到单位汇总", median_block(
        app, tasks, lambda: checkups_page.tabs.setCurrentIndex(1), repeat,
        setup=lambda: checkups_page.tabs.setCurrentIndex(0)))
    checkups_page.tabs.setCurrentIndex(0)
    line("政治体检：下发提醒单对话框", median_block(
        app, tasks, shown(lambda: checkup_dialogs.IssueDialog(context, checkups_page)), repeat, teardown=close))
    issue = shown(lambda: checkup_dialogs.IssueDialog(context, checkups_page))()
    gui_block(app, tasks, lambda: None)
    for group in (checkup_dialogs.UNIT, checkup_dialogs.CATEGORY):
        at = issue.group.findText(group)
        line(f"下发提醒单：下发对象选{group}", median_block(
            app, tasks, lambda at=at: issue.group.setCurrentIndex(at), repeat,
            setup=lambda: issue.group.setCurrentIndex(issue.group.findText(checkup_dialogs.PICKED))))
    close(issue)
    round_id = checkups_page.round_box.itemData(1)
    line("政治体检：补发提醒单对话框", median_block(
        app, tasks, shown(lambda: checkup_dialogs.AddCadresDialog(checkups_page, round_id, context)), repeat,
        teardown=close))
    checkups_page.round_box.setCurrentIndex(1)
    gui_block(app, tasks, lambda: None)
    sheet = checkups_page.sheets.rows[0]
    line("政治体检：登记核查结果对话框", median_block(
        app, tasks, shown(lambda: checkup_dialogs.ResultDialog(sheet, checkups_page)), repeat, teardown=close))
    close(checkups_page)

    # 专业干部库
    talent_page = shown(lambda: TalentPage(scratch()))()
    gui_block(app, tasks, lambda: None)
    biggest = max(range(talent_page.pool_list.count()),
                  key=lambda i: talent_page.pool_list.item(i).text().count("0"), default=0)
    line("专业干部库：选一个库", median_block(
        app, tasks, lambda: talent_page.pool_list.setCurrentRow(biggest), repeat,
        setup=lambda: talent_page.pool_list.setCurrentRow(0 if biggest else 1)))
    pool = talent_page.current_pool()
    some = [row[ID] for row in context.index.filter(_all_filter())[:500]]
    line("专业干部库：纳入干部对话框（500 人）", median_block(
        app, tasks, shown(lambda: AddMembersDialog(context, pool, some, talent_page)), repeat, teardown=close))
    line("选择干部对话框（10 万人）", median_block(
        app, tasks, shown(lambda: PickCadresDialog(talent_page, context)), repeat, teardown=close))
    line("专业干部库设置对话框", median_block(app, tasks, shown(lambda: PoolsDialog(talent_page)), repeat,
                                     teardown=close))
    close(talent_page)

    # 干部画像 (the cadre with the most records of the first ones)
    cadre_id = some[0]
    line("干部画像对话框", median_block(app, tasks, shown(lambda: PortraitDialog(context, cadre_id)), repeat,
                                 teardown=close))

    # 工作台: a reminder opens its record (one of each kind): in a new window (the page built, as at the
    # first click after the start), and again in the same window (the page kept, filters cleared)
    pages = {"postings": "ui.postings.postings_view:PostingsPage", "mentoring": "ui.mentoring.mentoring_view:MentoringPage",
             "units": "ui.units.units_view:UnitsPage", "checkups": "ui.checkups.checkups_view:CheckupsPage"}

    def build(key):
        module, name = pages[key].split(":")
        return shown(lambda: getattr(__import__(module, fromlist=[name]), name)(context))()

    opened: list = []

    def window_gone(window) -> None:
        for dialog in opened:
            close(dialog)
        opened.clear()
        for widget in window.pages.values():
            close(widget)
        close(window)

    exec_before = QDialog.exec
    QDialog.exec = lambda self: (self.show(), opened.append(self), 0)[2]  # the profile dialog, modeless here
    try:
        kinds: dict[str, reminders.Reminder] = {}
        for item in reminders.collect(names=context.index):
            if item.opens is not None:
                kinds.setdefault(item.opens[0], item)
        windows: list = []

        def new_window():
            windows.append(_stub_window(build))
            context.main_window = windows[-1]
        for kind, item in kinds.items():
            line(f"工作台提醒：打开{kind}（新窗口，建页）", median_block(
                app, tasks, lambda item=item: home_page.open_record(context, item), repeat, setup=new_window,
                teardown=lambda _r: window_gone(windows.pop())))
            context.main_window = window = _stub_window(build)
            home_page.open_record(context, item)
            gui_block(app, tasks, lambda: None)
            line(f"工作台提醒：打开{kind}（页面已开）", median_block(
                app, tasks, lambda item=item: home_page.open_record(context, item), repeat,
                teardown=lambda _r: [close(d) for d in opened] and opened.clear()))
            window_gone(window)
    finally:
        QDialog.exec = exec_before
        context.main_window = None

    # 文件 → 导入干部名册…: the file chosen, analysed (a task), the preview shown and every row checked
    from ui.exchange import import_dialog
    from ui.security import security
    from ui.widgets import files, messages

    roster = _roster_workbook(2000)
    files_before = (files.open_file, files.save_file, messages.info)
    files.open_file = lambda *_a: str(roster)

    def import_roster():
        import_dialog.import_roster(context)
        return None

    def import_closed(_r) -> None:
        dialog = getattr(context, "_exchange_dialog", None)
        if dialog is not None:
            close(dialog)
            context._exchange_dialog = None
    try:
        line("导入干部名册：选定文件（2000 行）到预览及检查完", median_block(
            app, tasks, import_roster, repeat, teardown=import_closed))
        # 工具 → 备份数据库…: written and checked in a task, the window's part only the start and the end
        target = Path(tempfile.mkdtemp()) / "备份.sqlite3"
        files.save_file = lambda *_a: str(target)
        messages.info = lambda *_a, **_k: None
        line("备份数据库（后台任务）", median_block(app, tasks, lambda: security.backup_database(context),
                                          max(1, repeat // 2), setup=lambda: target.unlink(missing_ok=True)))
    finally:
        files.open_file, files.save_file, messages.info = files_before



def bench_more_dialogs(app, tasks, context, close, repeat: int, res: dict) -> None:
    """The menus' and the pages' other dialogs: 导出花名册 and 打印 of the whole roster (100,000), 考核方案,
    正负面清单条目, 导师帮带设置, 政治体检对照检查项目, a unit's 编辑 and 职数 (a big unit), 新增用户."""
    from PySide6.QtWidgets import QWidget

    from cadre_desk.units import units
    from ui.appraisal.behaviour_tab import CatalogDialog
    from ui.appraisal.schemes_tab import SchemesDialog
    from ui.checkups.checkup_dialogs import ItemsDialog
    from ui.exchange.roster_export_dialog import RosterExportDialog
    from ui.mentoring.settings_dialog import SettingsDialog
    from ui.printing import print_view
    from ui.security.users_view import UserDialog
    from ui.units.unit_dialogs import StaffingDialog, UnitDialog

    def line(label: str, make) -> None:
        def build():
            dialog = make()
            dialog.show()
            return dialog
        res[label] = median_block(app, tasks, build, repeat, teardown=close)
        print(f"  {label} {res[label][0]:.0f} ms", flush=True)

    parent = QWidget()
    everyone = [row[0] for row in context.index.filter(_all_filter())]
    big = units.get_unit(_big_unit(units, context.index)[0])
    line(f"导出花名册对话框（筛选结果 {len(everyone)} 人）", lambda: RosterExportDialog(context, [], everyone, parent))
    line(f"打印筛选结果的鉴定报告对话框（{len(everyone)} 人）", lambda: print_view.PrintDialog(
        "dossier", everyone, print_view._names(context, everyone), parent))
    line("考核方案对话框", lambda: SchemesDialog(context, parent))
    line("正负面清单条目对话框", lambda: CatalogDialog(context, parent))
    line("导师帮带设置对话框", lambda: SettingsDialog(parent))
    line("政治体检对照检查项目对话框", lambda: ItemsDialog(parent))
    line("单位：编辑对话框（数千人的单位）", lambda: UnitDialog(parent, unit=big))
    line("单位：职数对话框（数千人的单位）", lambda: StaffingDialog(big, parent))
    line("新增用户对话框", lambda: UserDialog(None, parent))
    close(parent)

def _roster_workbook(rows: int) -> Path:
    """A clerk's roster file of ``rows`` new cadres (姓名 性别 出生年月 单位 职务)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "出生年月", "工作单位", "现任职务"])
    for n in range(rows):
        sheet.append([f"导入{n:05d}", "男女"[n % 2], f"19{70 + n % 25}.{n % 12 + 1:02d}", "云江市财政局", "科员"])
    path = Path(tempfile.mkdtemp()) / "干部名册.xlsx"
    book.save(path)
    return path

def _all_filter():
    from cadre_desk.profiles.cadre_list import CadreFilter

    return CadreFilter(status="1")


def _big_unit(units, index) -> tuple[int, int]:
    """A unit whose subtree holds a few thousand cadres."""
    from cadre_desk.profiles.cadre_list import COL

    counts: dict[int, int] = {}
    for row in index.filter(_all_filter()):
        counts[row[COL["unit"]]] = counts.get(row[COL["unit"]], 0) + 1
    infos = units.list_units()
    children: dict[int | None, list[int]] = {}
    for u in infos:
        children.setdefault(u.parent_id, []).append(u.id)

    def total(uid):
        return counts.get(uid, 0) + sum(total(c) for c in children.get(uid, []))
    best = min((u for u in infos if total(u.id) >= 2000), key=lambda u: total(u.id))
    return best.id, total(best.id)


def bench_cli(db_path: Path, repeat: int) -> dict[str, float]:
    out = {}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(db_path), "check"], cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(ms(time.perf_counter() - t0))
    out["check"] = statistics.median(times)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "cadre_desk_bench" / "demo-100000.sqlite3"))
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "cadre_desk_bench_pages"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--audit-rows", type=int, default=300_000)
    args = parser.parse_args()

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "pages.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(args.db, db_path)
    t0 = time.perf_counter()
    grow_audit_log(db_path, args.audit_rows)
    print(f"  (审计日志增加 {args.audit_rows} 条，{time.perf_counter() - t0:.1f} s)", flush=True)

    args_audit_rows[0] = args.audit_rows
    follow_collections()
    res = bench(db_path, args.repeat)
    cli = bench_cli(db_path, max(1, args.repeat // 2))
    fails = 0
    print(f"\n== cadre_desk 页面与对话框：GUI 线程最长阻塞（中位数，重复 {args.repeat} 次）==")
    load = f"，负载 {' '.join(f'{x:.1f}' for x in os.getloadavg())}" if hasattr(os, "getloadavg") else ""
    print(f"  Python {sys.version.split()[0]}，{os.cpu_count()} 核{load}，审计日志另加 {args.audit_rows} 条")
    for label, value in res.items():
        if label == "rss_mb":
            continue
        med, worst = value
        ok = med <= BUDGET_MS
        fails += not ok
        print(f"  {label:<30}{med:9.1f} ms   预算 ≤ {BUDGET_MS} ms  {verdict(ok)}（最慢 {worst:.1f}）")
    print("参考（不在 GUI 线程）")
    for label, value in durations.items():
        unit = "MB" if label.endswith("MB") else "ms"
        print(f"  {label.removesuffix(' MB'):<30}{value:9.1f} {unit}")
    print(f"  {'命令行 check（整个进程）':<30}{cli['check']:9.1f} ms")
    print(f"  {'峰值 RSS':<30}{res['rss_mb']:9.1f} MB")
    if rss_trace:
        tenth = max(1, len(rss_trace) // 10)
        print(f"  {'RSS（每十分之一的步骤）':<30}{' '.join(f'{x:.0f}' for x in rss_trace[::tenth])}，"
              f"末 {rss_trace[-1]:.0f} MB")
    print("垃圾回收（超过 30 ms 的，GUI 线程之外的也算）")
    for where in ("步骤", "停顿"):
        took = [(g, t) for w, g, t in gc_log if w == where]
        worst = max(took, key=lambda x: x[1]) if took else None
        print(f"  在{where}中：{len(took)} 次" + (f"，最长 {worst[1]:.0f} ms（第 {worst[0]} 代）" if worst else ""))
    if hasattr(app_collector[0], "forced"):
        print(f"  等不到空闲、到时强制回收：{app_collector[0].forced} 次")
    print(f"\n{'全部达标' if not fails else f'{fails} 项超出预算'}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
