"""Pages benchmark on 100,000 cadres: how long the GUI thread is blocked outside the cadre list.

    python bench/bench_pages.py [--db PATH] [--workdir DIR] [--repeat R] [--audit-rows N]

Works on a copy of the demo database (bench/bench_foundation.py builds it; default
/tmp/cadre_desk_bench/demo-100000.sqlite3), to which it adds a large audit log. Every step runs in
the real pages and dialogs (offscreen); the number is the longest single stretch during which the
GUI thread did not return to its event loop (from the click until background jobs delivered their
results), beside a 200 ms budget. Runs offscreen."""

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


def ms(seconds: float) -> float:
    return seconds * 1000


def gui_block(app, tasks, action) -> float:
    """Longest stretch (ms) the GUI thread spent away from its event loop: ``action`` itself, then
    every event until the task runner is idle (the results of background jobs delivered)."""
    from PySide6.QtCore import QEventLoop

    longest = 0.0
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
    bench_result[0] = result
    return longest


bench_result: list = [None]
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
    from PySide6.QtWidgets import QApplication

    from cadre_desk.access import context as service_context
    from cadre_desk.features import register_all
    from cadre_desk.store.opening import open_database
    from ui.shell.app import make_app
    from ui.shell.context import AppContext
    from ui.shell.features import register_all as register_ui

    register_all()
    register_ui()
    service_context.set_operator(service_context.Operator(username="bench", display_name="基准"))
    app = QApplication.instance() or make_app()
    open_database(db_path)
    context = AppContext(db_path)
    tasks = context.tasks
    res: dict[str, tuple[float, float]] = {}
    durations.clear()

    def load_index() -> None:
        from cadre_desk.profiles.cadre_list import CadreIndex

        context.index = CadreIndex.load()

    t0 = time.perf_counter()
    load_index()
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

    audit_page.date_from.setDate(audit_page.date_from.date().addYears(-5))  # the whole log
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

    boxes = []
    QMessageBox.information = staticmethod(lambda *a, **k: boxes.append(a[2]))
    QMessageBox.critical = staticmethod(lambda *a, **k: boxes.append(a[2]))
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
    # changes 2,000 profiles, and each page refreshes).
    open_pages = [page(path, shared=True)() for path in pages.values()]
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

    # reminders
    from ui.home.reminders_panel import RemindersPanel

    def reminders():
        panel = RemindersPanel(scratch())
        panel.show()
        panel.refresh()
        return panel
    res["工作提醒汇总"] = median_block(app, tasks, reminders, repeat, teardown=close)

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
    print(f"\n{'全部达标' if not fails else f'{fails} 项超出预算'}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
