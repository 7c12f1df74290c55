"""Load test of the shared server database: 10 clerk processes at once on one local PostgreSQL server.

    .venv/bin/python bench/bench_server.py [--clerks 10] [--seconds 60] [--cadres 2000] [--url postgresql://…]

Without --url it starts a throwaway server (tools/pgserver.sh) and stops it afterwards. Each clerk, in a
process of its own, loops for the given time over a mix of what clerks do: edit a profile (read, change,
save — 80 %; the save is timed; a conflict is re-read and tried again, as the dialog's 重新载入 does),
import a small roster (5 %, one transaction) and export a unit's roster to Excel (15 %). Edits count
up a number in 备注 of 200 shared cadres, so the parent can prove afterwards that no update was lost
(sum of the numbers == successful saves, each cadre's version == 1 + its saves), that the audit log is
one unbroken chain, and that ``check`` passes. Prints operations/s and the save latency percentiles
(goal: 95th percentile ≤ 50 ms); of the saves also the time they waited for the writers' lock and the
CPU one save costs (the clerk's process and the server process serving it, read from /proc); of each
kind of operation how long it held the lock; and how much of the machine's CPU the clerks and their
server processes used: on a shared machine the rest went to other programs, and the latencies say as
much about them as about the program."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POOL = 200  # the cadres every clerk edits (conflicts happen, as in an office)
GOAL_P95_MS = 50.0
MARK = "计数 "


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# ---- one clerk ---------------------------------------------------------------------------------------

def _roster(path: Path, rng: random.Random, unit: str, n: int) -> None:
    import openpyxl

    surnames, given = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "民族", "单位"])
    for _ in range(n):
        name = rng.choice(surnames) + rng.choice(given) + rng.choice(given)
        ws.append([name, rng.choice(("男", "女")), f"19{rng.randint(70, 99)}.{rng.randint(1, 12):02d}", "汉族", unit])
    wb.save(path)


def clerk(url: str, seconds: float, seed: int, out: Path) -> None:
    from cadre_desk.__main__ import register_all
    from cadre_desk.access import context
    from cadre_desk.domain.errors import ConflictError
    from cadre_desk.exchange import imports
    from cadre_desk.profiles import cadres
    from cadre_desk.store.models import Cadre, Unit
    from cadre_desk.store.opening import open_database
    from reports.excel import excel_roster

    register_all()
    context.set_operator(context.Operator(username=f"clerk{seed}", display_name=f"经办人{seed}"))
    db = open_database(url)
    server_cpu = _server_cpu_reader(db)
    lock_waits: list[float] = []
    doing = ["edit"]  # the operation under way: whose lock the holding times below count
    holds: dict[str, list[float]] = {"edit": [], "import": [], "export": []}
    _time_the_writers_lock(db, lock_waits, holds, doing)
    rng = random.Random(seed)
    pool = [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(POOL)]
    units = [(u.id, u.name) for u in Unit.select(Unit.id, Unit.name).where(Unit.parent.is_null(False))]
    folder = Path(tempfile.mkdtemp(prefix=f"clerk{seed}_"))
    saves: list[float] = []
    save_waits: list[float] = []  # of each save: the time it waited for the writers' lock
    client_cpu = server_cpu_ms = 0.0
    ops = {"edit": 0, "import": 0, "export": 0}
    conflicts = increments = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pick = rng.random()
        doing[0] = "edit" if pick < 0.80 else "import" if pick < 0.85 else "export"
        if pick < 0.80:
            cadre_id = rng.choice(pool)
            while True:
                profile = cadres.get_profile(cadre_id)
                text = profile.values.get("remarks") or ""
                count = int(text[len(MARK):]) if text.startswith(MARK) else 0
                profile.values["remarks"] = f"{MARK}{count + 1}"
                lock_waits.clear()
                cpu, served = time.process_time(), server_cpu()
                started = time.perf_counter()
                try:
                    cadres.save_profile(profile)
                    done = True
                except ConflictError:
                    done = False
                saves.append((time.perf_counter() - started) * 1000)
                client_cpu += (time.process_time() - cpu) * 1000
                server_cpu_ms += server_cpu() - served
                save_waits.append(sum(lock_waits))
                if not done:
                    conflicts += 1
                    continue  # 重新载入 and save again
                increments += 1
                break
            ops["edit"] += 1
        elif pick < 0.85:
            path = folder / f"import{ops['import']}.xlsx"
            _roster(path, rng, rng.choice(units)[1], 20)
            imports.commit(imports.analyze(path), skip_invalid=True)
            ops["import"] += 1
        else:
            unit_id, _name = rng.choice(units)
            ids = [c.id for c in Cadre.select(Cadre.id).where(Cadre.unit == unit_id).limit(300)]
            excel_roster.export_roster(folder / "roster.xlsx", None, ids, reason="压力测试")
            ops["export"] += 1
    out.write_text(json.dumps({"saves": saves, "ops": ops, "conflicts": conflicts, "increments": increments,
                               "lock_waits": save_waits, "holds": holds, "client_cpu_ms": client_cpu,
                               "server_cpu_ms": server_cpu_ms, "server_total_ms": server_cpu(),
                               "clerk_total_ms": time.process_time() * 1000}))


def _server_cpu_reader(db):
    """The CPU time (ms) used so far by the server process that serves this clerk's connection, read
    from /proc (the throwaway server runs on this machine); a reader of 0.0 when it cannot be read."""
    pid = db.connection().info.backend_pid  # psycopg's connection facts, no SQL
    path = Path(f"/proc/{pid}/stat")
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            fields = path.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) * tick_ms  # utime + stime

    return read


def _time_the_writers_lock(db, waits: list[float], holds: dict[str, list[float]], doing: list[str]) -> None:
    """How long each write transaction waited for the writers' lock (the round trip that takes it: BEGIN
    and the lock go with the transaction's first statement or statements, store.server_db.ServerDatabase)
    into ``waits``, and how long it then held it (from that round trip's end to its COMMIT's or
    ROLLBACK's end; 0 when the lock went with the COMMIT, whose round trip is then the wait) into
    ``holds`` under the operation ``doing``."""
    import contextlib

    from cadre_desk.store import server_db

    taken = [None]  # when this connection's lock was taken

    def timed(run):
        def wrapper(*args, **kwargs):
            if not getattr(db._state, "begin_writing", False):
                return run(*args, **kwargs)
            started = time.perf_counter()
            try:
                return run(*args, **kwargs)
            finally:
                taken[0] = time.perf_counter()
                waits.append((taken[0] - started) * 1000)
        return wrapper

    def released(end):
        def wrapper(*args, **kwargs):
            pending = getattr(db._state, "begin_writing", False) and bool(getattr(db._state, "held", None))
            started = time.perf_counter()
            try:
                return end(*args, **kwargs)
            finally:
                if taken[0] is not None:
                    holds[doing[0]].append((time.perf_counter() - taken[0]) * 1000)
                elif pending:  # BEGIN, the lock, the writes and COMMIT went in one round trip: its
                    # time is the wait for the lock (and the server's work under it)
                    waits.append((time.perf_counter() - started) * 1000)
                    holds[doing[0]].append(0.0)
                taken[0] = None
        return wrapper

    pipelined = server_db.pipelined

    @contextlib.contextmanager
    def timed_pipeline(on):
        pending = getattr(on._state, "begin_writing", False)
        started = time.perf_counter()
        with pipelined(on) as conn:
            yield conn
        if pending:
            taken[0] = time.perf_counter()
            waits.append((taken[0] - started) * 1000)

    server_db.pipelined = timed_pipeline
    db._send_owed = timed(db._send_owed)
    db.commit = released(db.commit)
    db.rollback = released(db.rollback)


# ---- the parent --------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cadres", type=int, default=2000)
    parser.add_argument("--url", help="an empty database on a server (default: a throwaway local server)")
    parser.add_argument("--clerk", nargs=3, metavar=("URL", "SEED", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clerk:
        clerk(args.clerk[0], args.seconds, int(args.clerk[1]), Path(args.clerk[2]))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench_server_"))
    server_dir = work / "pg"
    url = args.url
    started_server = False
    try:
        if url is None:
            os.chmod(work, 0o755)
            base = subprocess.run(["bash", str(ROOT / "tools" / "pgserver.sh"), "start", str(server_dir)],
                                  check=True, capture_output=True, text=True).stdout.strip()
            started_server = True
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute('CREATE DATABASE "cadre"')
            url = base.rsplit("/", 1)[0] + "/cadre"
        return run(args, url, work)
    finally:
        if started_server:
            subprocess.run(["bash", str(ROOT / "tools" / "pgserver.sh"), "stop", str(server_dir)], check=False)


def run(args, url: str, work: Path) -> int:
    from cadre_desk.__main__ import register_all
    from cadre_desk.profiles import demo
    from cadre_desk.security import audit
    from cadre_desk.security.check import run_checks
    from cadre_desk.store.db import close_database
    from cadre_desk.store.models import AuditLog, Cadre
    from cadre_desk.store.opening import open_database

    register_all()
    t0 = time.monotonic()
    open_database(url)
    demo.generate(args.cadres, seed=5)
    pool = [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(POOL)]
    versions_before = {c.id: c.version for c in Cadre.select(Cadre.id, Cadre.version).where(Cadre.id.in_(pool))}
    audit_before = AuditLog.select().count()
    close_database()
    print(f"服务器数据库已准备：{args.cadres} 名干部（{time.monotonic() - t0:.1f} s）", flush=True)

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CADRE_DESK_HOME=str(work / "home"))
    procs, outs = [], []
    for n in range(args.clerks):
        out = work / f"clerk{n}.json"
        outs.append(out)
        procs.append(subprocess.Popen([sys.executable, __file__, "--seconds", str(args.seconds),
                                       "--clerk", url, str(n + 1), str(out)], env=env))
    began = time.monotonic()
    failed = [p.wait() for p in procs]
    elapsed = time.monotonic() - began
    if any(failed):
        print(f"有 {sum(1 for f in failed if f)} 个经办人进程出错", file=sys.stderr)
        return 1
    results = [json.loads(out.read_text()) for out in outs]
    saves = [ms for r in results for ms in r["saves"]]
    ops = {k: sum(r["ops"][k] for r in results) for k in ("edit", "import", "export")}
    increments = sum(r["increments"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    waits = [ms for r in results for ms in r["lock_waits"]]
    holds = {k: [ms for r in results for ms in r["holds"][k]] for k in ("edit", "import", "export")}
    client_cpu = sum(r["client_cpu_ms"] for r in results) / max(1, len(saves))
    server_cpu = sum(r["server_cpu_ms"] for r in results) / max(1, len(saves))
    busy_s = sum(r["clerk_total_ms"] + r["server_total_ms"] for r in results) / 1000

    open_database(url)
    rows = {c.id: (c.version, c.remarks) for c in Cadre.select(Cadre.id, Cadre.version, Cadre.remarks)
            .where(Cadre.id.in_(pool))}
    counted = sum(int(text[len(MARK):]) for _v, text in rows.values() if text.startswith(MARK))
    version_saves = sum(rows[i][0] - versions_before[i] for i in pool)
    chain = audit.verify_chain()
    problems = run_checks()
    audit_rows = AuditLog.select().count() - audit_before
    close_database()
    check_cli = subprocess.run([sys.executable, "-m", "cadre_desk", "--db", url, "check"], env=env, cwd=ROOT,
                               capture_output=True, text=True)

    total_ops = sum(ops.values())
    p50, p95, p99 = (percentile(saves, p) for p in (50, 95, 99))
    load = os.getloadavg()
    print(f"经办人进程：{args.clerks}，时长 {elapsed:.1f} s（uptime 负载 {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}）")
    print(f"操作：{total_ops} 次，{total_ops / elapsed:.1f} 次/秒（修改 {ops['edit']}、导入 {ops['import']}、"
          f"导出 {ops['export']}）；保存 {len(saves)} 次，其中冲突 {conflicts} 次（重新载入后再保存）")
    print(f"保存耗时：p50 {p50:.1f} ms，p95 {p95:.1f} ms（目标 ≤ {GOAL_P95_MS:.0f} ms，"
          f"{p95 / GOAL_P95_MS:.2f}×），p99 {p99:.1f} ms")
    print(f"其中等候写入锁（含取锁的那次往返）：p50 {percentile(waits, 50):.1f} ms，p95 {percentile(waits, 95):.1f} ms；"
          f"每次保存的 CPU：本进程 {client_cpu:.2f} ms + 服务器进程 {server_cpu:.2f} ms = "
          f"{client_cpu + server_cpu:.2f} ms")
    names = {"edit": "修改", "import": "导入", "export": "导出"}
    print("持有写入锁（取得到提交）：" + "；".join(
        f"{names[k]} {len(v)} 次 p50 {percentile(v, 50):.1f} ms、p95 {percentile(v, 95):.1f} ms、"
        f"合计 {sum(v) / 1000:.1f} s" for k, v in holds.items() if v))
    cores = os.cpu_count() or 1
    print(f"经办人进程与其服务器进程共用 CPU {busy_s:.1f} s，即 {cores} 个核心的 "
          f"{busy_s / (elapsed * cores) * 100:.0f}%（其余为本机其他程序或空闲）")
    lost = increments - counted
    print(f"丢失的修改：{lost}（计数合计 {counted}，成功保存 {increments}，版本号增加 {version_saves}）")
    print(f"审计日志：新增 {audit_rows} 条，哈希链{'完整（一条链）' if chain is None else f'从第 {chain} 条断开'}")
    print(f"check：{'通过' if check_cli.returncode == 0 and not problems else '未通过：' + check_cli.stdout[-500:]}")
    ok = lost == 0 and version_saves == increments and chain is None and not problems and check_cli.returncode == 0
    print("结果：" + ("通过" if ok else "失败") + ("" if p95 <= GOAL_P95_MS else "（p95 超出目标）"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
