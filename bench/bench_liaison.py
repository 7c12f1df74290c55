"""包抓 at the bench size: a 指定包抓人 of every 在岗 posting at once, list_liaisons, the 谈心关爱 page opening
(its 包抓联系 tab lists them), and a refused 取消包抓 of a posting past the 200th (who and when named?).

    ROOT=<code to run, default this checkout> python bench/bench_liaison.py DB [REPEAT]

DB: a copy of the 100,000-cadre demo (bench_foundation.py builds it; bench_pages.grow_audit_log adds a
long-used database's audit rows) — it is written to. ROOT lets one script time an older checkout
(``git archive <commit> | tar -x -C DIR``) on a copy of the same database."""
import os
import statistics
import sys
import time

ROOT = os.environ.get("ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import cadre_desk  # noqa: E402

assert cadre_desk.__file__.startswith(ROOT), cadre_desk.__file__
from bench_pages import gui_block  # noqa: E402

db_path, repeat = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cadre_desk.access import context as service_context  # noqa: E402
from cadre_desk.features import register_all  # noqa: E402
from cadre_desk.store.opening import open_database  # noqa: E402
from ui.shell.app import make_app  # noqa: E402
from ui.shell.context import AppContext  # noqa: E402
from ui.shell.features import register_all as register_ui  # noqa: E402

register_all()
register_ui()
service_context.set_operator(service_context.Operator(username="bench", display_name="基准"))
app = QApplication.instance() or make_app()
t0 = time.perf_counter()
db = open_database(db_path)
print(f"open (migrate if due) {time.perf_counter() - t0:.2f} s; version",
      db.execute_sql("PRAGMA user_version").fetchone()[0], flush=True)
context = AppContext(db_path)
tasks = context.tasks

from cadre_desk.domain.errors import ConflictError  # noqa: E402
from cadre_desk.liaison import liaison  # noqa: E402

rows = liaison.list_liaisons()
ids = [r.posting_id for r in rows]
t0 = time.perf_counter()
liaison.assign(ids, "李建平", "干部一科")
print(f"指定包抓人 of {len(ids)} postings at once: {1000 * (time.perf_counter() - t0):.0f} ms", flush=True)
read = {r.posting_id: r.version for r in liaison.list_liaisons()}
liaison.assign(ids, "王海燕", "干部二科", read=read)  # another's change of them all

walls = []
for _ in range(repeat):
    t0 = time.perf_counter()
    liaison.list_liaisons()
    walls.append(1000 * (time.perf_counter() - t0))
print(f"list_liaisons() ({len(ids)} rows) median {statistics.median(walls):.0f} ms of {repeat}: "
      + ", ".join(f"{w:.0f}" for w in walls), flush=True)


def close(widget):
    widget.close()
    widget.deleteLater()
    app.sendPostedEvents(None, QEvent.DeferredDelete)
    app.processEvents()


from ui.care.care_view import CarePage  # noqa: E402

blocks, walls, cpus = [], [], []
for _ in range(repeat):
    own = AppContext(db_path)
    own.tasks = tasks
    t0 = time.perf_counter()
    c0 = time.process_time()

    def build(own=own):
        page = CarePage(own)
        page.resize(1400, 800)
        page.show()
        return page
    blocks.append(gui_block(app, tasks, build))
    walls.append(1000 * (time.perf_counter() - t0))
    cpus.append(1000 * (time.process_time() - c0))
    import bench_pages
    close(bench_pages.bench_result[0])
print(f"谈心关爱 page open: GUI block median {statistics.median(blocks):.0f} ms ({', '.join(f'{b:.0f}' for b in blocks)}); "
      f"until loaded median {statistics.median(walls):.0f} ms; CPU median {statistics.median(cpus):.0f} ms ({', '.join(f'{c:.0f}' for c in cpus)})", flush=True)

refusals = []
for target in (ids[-1], ids[150]):
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            liaison.clear([target], read={target: read[target]})
        except ConflictError as exc:
            message = str(exc)
        refusals.append(1000 * (time.perf_counter() - t0))
    print(f"refused 取消包抓 of posting #{ids.index(target) + 1}: median {statistics.median(refusals[-repeat:]):.1f} ms —"
          f" {message}", flush=True)
