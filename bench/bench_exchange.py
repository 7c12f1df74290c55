"""Exchange benchmark: the roster export and import at the sizes of issue 19.

Prints, in one run (every phase in its own process, so each peak RSS is that phase's own):
- roster export of 20,000 and of 100,000 cadres × 30 columns beside a bare openpyxl write-only
  pass writing the same cells (target ≤ 1.0× at both sizes);
- roster import of the 100,000-row export into a database without cadres: the preview (its first
  rows read and checked: target ≤ 5 s), every row checked (the import possible from there), the
  whole import, rows/s (target ≥ 5,000 validated rows/s), beside a bare openpyxl read-only pass over
  the same file (target ≤ 0.5×); the same file through the window (offscreen): the preview shown and
  every row checked;
- the same roster with 简历 / 奖惩情况 cells, and with one 学历学位 column mixing 全日制 and 在职 (checked row by
  row): rows per CPU second against the import's goal (≥ 5,000);
- peak RSS of a 200,000-row import (target ≤ 400 MB) and of the 100,000-row export.
- the load average before and after, since the machine is shared; every time is given as wall-clock
  and as the phase's own CPU time (on a loaded machine the CPU time is the fairer figure; a target
  counts as met only when it holds on the wall clock or the CPU time as the line says).

Usage: python bench/bench_exchange.py [--cadres 100000] [--workdir /tmp/bench_exchange] [--skip-200k]
       python bench/bench_exchange.py --only-education   (the 学历学位 roster alone; the export already made)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# 30 registry columns (the serial number column is left out so both sides write 30 cells a row)
COLUMNS = ["name", "gender", "birth", "ethnicity", "native_place", "birthplace", "party", "political",
           "work_start", "health", "id_number", "phone", "tech_title", "expertise", "ft_education", "ft_degree",
           "ft_school", "ft_degree_school", "pt_education", "pt_degree", "pt_school", "unit", "position",
           "position_date", "rank", "rank_date", "categories", "status", "specialty", "personality"]
TARGETS = {"export": 1.0, "import_ratio": 0.5, "rows_per_s": 5000, "preview_s": 5.0, "rss_mb": 400}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _open(db: Path) -> None:
    from cadre_desk.features import register_all
    from cadre_desk.store.opening import open_database

    register_all()
    open_database(db)


def phase_export(db: Path, out: Path, count: int) -> dict:
    _open(db)
    from cadre_desk.access import reads
    from reports.excel import excel_roster

    # a filtered export names its cadres; "every cadre" is the export of the whole list
    ids = reads.cadre_ids()[:count] if count < reads.count_cadres() else None
    start, cpu = time.perf_counter(), time.process_time()
    n = excel_roster.export_roster(out, COLUMNS, ids, serial=False, reason="性能测试")
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": n,
            "rss_mb": _rss_mb()}


def _cells(path: Path) -> list[list]:
    import python_calamine

    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [[None if v == "" else v for v in row] for row in rows]


def phase_bare_write(source: Path, out: Path) -> dict:
    """openpyxl write-only writing the same cells (read before the clock starts)."""
    import openpyxl

    rows = _cells(source)
    start, cpu = time.perf_counter(), time.process_time()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in rows:
        ws.append(row)
    wb.save(out)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": len(rows)}


def phase_import(db: Path, source: Path) -> dict:
    """As the window does it: the preview (the first rows checked), the rest checked, the import."""
    _open(db)
    from cadre_desk.exchange import imports

    start, cpu = time.perf_counter(), time.process_time()
    plan = imports.analyze(source, first_rows=imports.PREVIEW_ROWS)
    shown, shown_cpu = time.perf_counter(), time.process_time()
    imports.check_rest(plan)
    analyzed, analyzed_cpu = time.perf_counter(), time.process_time()
    result = imports.commit(plan, skip_invalid=False, backup=False)
    return {"seconds": time.perf_counter() - start, "analyze_seconds": analyzed - start,
            "cpu": time.process_time() - cpu, "analyze_cpu": analyzed_cpu - cpu,
            "preview_seconds": shown - start, "preview_cpu": shown_cpu - cpu, "preview_rows": imports.PREVIEW_ROWS,
            "inserted": result.inserted, "rejected": result.rejected, "rss_mb": _rss_mb()}


def phase_window(db: Path, source: Path) -> dict:
    """The window's import of the file (offscreen): from the file chosen to the preview shown, and to
    every row checked (导入 enabled), with the preview's table filling meanwhile."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _open(db)
    from PySide6.QtWidgets import QWidget

    from ui.exchange import import_dialog
    from ui.shell.app import make_app
    from ui.shell.context import AppContext

    app = make_app()
    context = AppContext(db)
    window = QWidget()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    marks: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    import_dialog.start_import(context, str(source), "导入干部名册", parent=window)
    while "complete" not in marks and time.perf_counter() - start < 1800:
        app.processEvents()
        dialog = getattr(context, "_exchange_dialog", None)
        if dialog is None or not dialog.isVisible():
            time.sleep(0.005)
            continue
        if "shown" not in marks:
            app.processEvents()  # painted once
            marks["shown"], marks["shown_cpu"] = time.perf_counter() - start, time.process_time() - cpu
            marks["shown_rows"] = len(dialog.plan.rows)
        if dialog.import_button.isEnabled():
            marks["complete"], marks["complete_cpu"] = time.perf_counter() - start, time.process_time() - cpu
        time.sleep(0.01)
    marks["rows"] = len(context._exchange_dialog.plan.rows)
    marks["rss_mb"] = _rss_mb()
    return marks


def phase_bare_read(source: Path) -> dict:
    import openpyxl

    start, cpu = time.perf_counter(), time.process_time()
    wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "cells": cells}


def phase_double(source: Path, out: Path) -> dict:
    """A 200,000-row roster: the 100,000 rows twice, the second time other people (names and
    身份证号 changed, the check character recomputed)."""
    import openpyxl

    from cadre_desk.domain.citizen_id import check_char

    rows = _cells(source)
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "姓名")
    number_col = rows[header_at].index("身份证号")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in rows:
        ws.append(row)
    for row in rows[header_at + 1:]:
        row = list(row)
        row[0] = f"{row[0]}乙"
        number = str(row[number_col] or "")
        if len(number) == 18:
            first = number[:14] + f"{(int(number[14:17]) + 500) % 1000:03d}"
            row[number_col] = first + check_char(first)
        ws.append(row)
    wb.save(out)
    return {"rows": 2 * (len(rows) - header_at - 1)}


def phase_records(source: Path, out: Path) -> dict:
    """The roster with two more columns as departments' files carry them: 简历 (three or four lines
    from the cadre's 参加工作时间, one person's in one cell) and 奖惩情况 (a line, or 无)."""
    import openpyxl

    rows = _cells(source)
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "姓名")
    header = rows[header_at]
    work_col, unit_col = header.index("参加工作时间"), header.index("单位")
    post_col, since_col = header.index("现任职务"), header.index("任现职时间")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in rows[:header_at]:
        ws.append(row)
    ws.append([*header, "简历", "奖惩情况"])
    lines = 0
    for n, row in enumerate(rows[header_at + 1:]):
        started = str(row[work_col] or "2010.07")
        since = str(row[since_col] or "")
        y = int(started[:4])
        resume = [f"{y - 4}.09--{started}  某大学学习"]
        if since > started:
            resume.append(f"{started}--{since}  {row[unit_col] or ''}科员")
            resume.append(f"{since}--  {row[post_col] or ''}")
        else:
            resume.append(f"{started}--  {row[post_col] or ''}")
        lines += len(resume)
        rewards = "无" if n % 3 else f"{min(y + 5, 2024)}年度考核优秀，嘉奖。"
        ws.append([*row, "\n".join(resume), rewards])
    wb.save(out)
    return {"rows": len(rows) - header_at - 1, "resume_lines": lines}


_EDUCATION_HEADERS = ("全日制教育学历", "全日制教育学位", "在职教育学历", "在职教育学位")


def _mixed_education(n: int, ft: str, ft_degree: str, pt: str, pt_degree: str) -> str:
    """One 学历学位 cell of both educations, written four ways as rosters do (education_cells' forms)."""
    way = n % 4
    if way == 0:
        full = " ".join(v for v in (ft, ft_degree) if v)
    elif way == 1:
        full = (f"全日制{ft}学历" if ft else "") + (f"、{ft_degree}学位" if ft_degree else "")
    else:
        full = f"{ft}{ft_degree}" if way == 3 else " ".join(v for v in (ft, ft_degree) if v)
    part = " ".join(v for v in (pt, pt_degree) if v)
    if not part:
        return full
    if way == 2 and not pt_degree:
        return f"{full}（在职{pt}）"
    return f"{full}\n在职{part}" if way == 1 else f"{full}；在职{part}"


def phase_education(source: Path, out: Path) -> dict:
    """The roster with its four 学历 / 学位 columns as one 学历学位 column mixing 全日制 and 在职 (education_cells),
    each row's cell written one of four ways."""
    import openpyxl

    rows = _cells(source)
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "姓名")
    header = rows[header_at]
    at = [header.index(h) for h in _EDUCATION_HEADERS]
    kept = [i for i in range(len(header)) if i not in at]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in rows[:header_at]:
        ws.append(row)
    ws.append([*(header[i] for i in kept), "学历学位"])
    filled = 0
    for n, row in enumerate(rows[header_at + 1:]):
        parts = [str(row[i]) if i < len(row) and row[i] not in (None, "") else "" for i in at]
        text = _mixed_education(n, *parts)
        filled += bool(text)
        ws.append([*(row[i] if i < len(row) else None for i in kept), text or None])
    wb.save(out)
    return {"rows": len(rows) - header_at - 1, "filled": filled}


def _run(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _empty_copy(db: Path, target: Path) -> Path:
    """The database without its cadres (units kept), to import into."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(db, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys=OFF")
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in ("resume_entry", "family_member", "reward_punishment", "training", "annual_assessment",
                  "cadre_photo", "posting", "mentoring_pair", "cadre"):
        if table in tables:
            con.execute(f'DELETE FROM "{table}"')
    con.commit()
    con.execute("VACUUM")
    con.close()
    return target


def _verdict(value: float, target: float, higher_is_better: bool = False) -> str:
    met = value >= target if higher_is_better else value <= target
    return "met" if met else "MISSED"


def _education_import(work: Path, db: Path, source: Path, cadres: int) -> None:
    """The roster with one 学历学位 column of both educations, checked row by row (education_cells): its import
    as rows per CPU second, and as a ratio of the import's goal."""
    mixed = work / f"roster_{cadres}_education.xlsx"
    made = _run("--phase", "education", "--file", str(source), "--out", str(mixed))
    edu = _run("--phase", "import", "--db", str(_empty_copy(db, work / "import_education.db")), "--file", str(mixed))
    rate = edu["inserted"] / edu["cpu"]
    print(f"\nthe same roster with one 学历学位 column of both educations ({made['filled']:,} cells filled): "
          f"{edu['inserted']:,} inserted, {edu['rejected']} rejected")
    print(f"  preview (first {edu['preview_rows']:,} rows) {edu['preview_seconds']:5.2f} s   (CPU {edu['preview_cpu']:6.2f} s; "
          f"target ≤ {TARGETS['preview_s']} s: {_verdict(edu['preview_cpu'], TARGETS['preview_s'])})")
    print(f"  every row checked      {edu['analyze_seconds']:7.2f} s   (CPU {edu['analyze_cpu']:6.2f} s)")
    print(f"  whole import           {edu['seconds']:7.2f} s   (CPU {edu['cpu']:6.2f} s; {edu['inserted'] / edu['seconds']:,.0f} "
          f"rows/s, {rate:,.0f} per CPU second = {rate / TARGETS['rows_per_s']:.2f} of the goal ≥ "
          f"{TARGETS['rows_per_s']:,}: {_verdict(rate, TARGETS['rows_per_s'], True)})")
    print(f"  peak RSS (import)      {edu['rss_mb']:7.0f} MB  (target ≤ {TARGETS['rss_mb']} MB: "
          f"{_verdict(edu['rss_mb'], TARGETS['rss_mb'])})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--workdir", default="/tmp/bench_exchange")
    parser.add_argument("--skip-200k", action="store_true")
    parser.add_argument("--skip-export", action="store_true", help="import only (the export files already made)")
    parser.add_argument("--only-education", action="store_true",
                        help="the mixed 学历学位 roster's import only (the 100,000-row export already made)")
    parser.add_argument("--phase")
    parser.add_argument("--db")
    parser.add_argument("--file")
    parser.add_argument("--out")
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args()
    if args.phase:
        db, file, out = Path(args.db or "x"), Path(args.file or "x"), Path(args.out or "x")
        result = {"export": lambda: phase_export(db, out, args.count),
                  "bare_write": lambda: phase_bare_write(file, out),
                  "import": lambda: phase_import(db, file), "bare_read": lambda: phase_bare_read(file),
                  "window": lambda: phase_window(db, file),
                  "double": lambda: phase_double(file, out),
                  "records": lambda: phase_records(file, out),
                  "education": lambda: phase_education(file, out)}[args.phase]()
        print(json.dumps(result))
        return

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    db = work / f"source_{args.cadres}.db"
    if not db.exists():
        print(f"building a demo database of {args.cadres:,} cadres …", flush=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(db), "demo", "--cadres", str(args.cadres)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"  built in {time.perf_counter() - t:.1f} s")
    results = {}
    for count in () if args.skip_export or args.only_education else (20_000, args.cadres):
        exported = work / f"export_{count}.xlsx"
        exp = _run("--phase", "export", "--db", str(db), "--out", str(exported), "--count", str(count))
        bare = _run("--phase", "bare_write", "--file", str(exported), "--out", str(work / f"bare_{count}.xlsx"))
        ratio, cpu_ratio = exp["seconds"] / bare["seconds"], exp["cpu"] / bare["cpu"]
        results[f"export_{count}"] = ratio
        print(f"\nroster export, {exp['rows']:,} rows × {len(COLUMNS)} columns"
              f" ({'the whole list' if count >= args.cadres else 'named cadres'})")
        print(f"  cadre_desk export      {exp['seconds']:7.2f} s   (CPU {exp['cpu']:6.2f} s, "
              f"{exp['rows'] / exp['seconds']:,.0f} rows/s)")
        print(f"  bare openpyxl write    {bare['seconds']:7.2f} s   (CPU {bare['cpu']:6.2f} s)")
        print(f"  ratio                  {ratio:7.2f} ×   (CPU {cpu_ratio:.2f} ×; target ≤ {TARGETS['export']}×: "
              f"{_verdict(cpu_ratio, 1.0)})")
        print(f"  peak RSS (export)      {exp['rss_mb']:7.0f} MB")

    source = work / f"export_{args.cadres}.xlsx"
    if args.only_education:
        _education_import(work, db, source, args.cadres)
        return
    imp = _run("--phase", "import", "--db", str(_empty_copy(db, work / "import_target.db")), "--file", str(source))
    bare_r = _run("--phase", "bare_read", "--file", str(source))
    rate, cpu_rate = imp["inserted"] / imp["seconds"], imp["inserted"] / imp["cpu"]
    ratio, cpu_ratio = imp["seconds"] / bare_r["seconds"], imp["cpu"] / bare_r["cpu"]
    print(f"\nroster import of that file: {imp['inserted']:,} inserted, {imp['rejected']} rejected")
    print(f"  preview (first {imp['preview_rows']:,} rows) {imp['preview_seconds']:5.2f} s   (CPU {imp['preview_cpu']:6.2f} s; "
          f"target ≤ {TARGETS['preview_s']} s: {_verdict(imp['preview_cpu'], TARGETS['preview_s'])})")
    print(f"  every row checked      {imp['analyze_seconds']:7.2f} s   (CPU {imp['analyze_cpu']:6.2f} s; 导入 possible "
          f"from here; {TARGETS['preview_s']} s: {_verdict(imp['analyze_cpu'], TARGETS['preview_s'])})")
    print(f"  whole import           {imp['seconds']:7.2f} s   (CPU {imp['cpu']:6.2f} s; {rate:,.0f} rows/s, "
          f"{cpu_rate:,.0f} per CPU second; target ≥ {TARGETS['rows_per_s']:,}: "
          f"{_verdict(cpu_rate, TARGETS['rows_per_s'], True)})")
    print(f"  bare openpyxl read     {bare_r['seconds']:7.2f} s   (CPU {bare_r['cpu']:6.2f} s)")
    print(f"  ratio                  {ratio:7.2f} ×   (CPU {cpu_ratio:.2f} ×; target ≤ {TARGETS['import_ratio']}×: "
          f"{_verdict(cpu_ratio, TARGETS['import_ratio'])})")
    print(f"  peak RSS (import)      {imp['rss_mb']:7.0f} MB")
    win = _run("--phase", "window", "--db", str(_empty_copy(db, work / "import_window.db")), "--file", str(source))
    print("\nthe window's import of that file (offscreen, 1366×768), from the file chosen:")
    print(f"  preview shown          {win['shown']:7.2f} s   (CPU {win['shown_cpu']:6.2f} s, {win['shown_rows']:,} rows; "
          f"target ≤ {TARGETS['preview_s']} s: {_verdict(win['shown_cpu'], TARGETS['preview_s'])})")
    print(f"  every row checked      {win['complete']:7.2f} s   (CPU {win['complete_cpu']:6.2f} s, {win['rows']:,} rows; "
          f"导入 enabled)")
    with_records = work / f"roster_{args.cadres}_records.xlsx"
    made = _run("--phase", "records", "--file", str(source), "--out", str(with_records))
    rec = _run("--phase", "import", "--db", str(_empty_copy(db, work / "import_records.db")), "--file", str(with_records))
    rec_rate = rec["inserted"] / rec["cpu"]
    print(f"\nthe same roster with 简历 ({made['resume_lines']:,} lines) and 奖惩情况 cells: {rec['inserted']:,} inserted, "
          f"{rec['rejected']} rejected")
    print(f"  every row checked      {rec['analyze_seconds']:7.2f} s   (CPU {rec['analyze_cpu']:6.2f} s)")
    print(f"  whole import           {rec['seconds']:7.2f} s   (CPU {rec['cpu']:6.2f} s; {rec['inserted'] / rec['seconds']:,.0f} "
          f"rows/s, {rec_rate:,.0f} per CPU second; target ≥ {TARGETS['rows_per_s']:,}: "
          f"{_verdict(rec_rate, TARGETS['rows_per_s'], True)})")
    print(f"  peak RSS (import)      {rec['rss_mb']:7.0f} MB")
    _education_import(work, db, source, args.cadres)
    if not args.skip_200k:
        double = work / "roster_200k.xlsx"
        if not double.exists():
            _run("--phase", "double", "--file", str(source), "--out", str(double))
        big = _run("--phase", "import", "--db", str(_empty_copy(db, work / "import_200k.db")), "--file", str(double))
        print(f"\nroster import of 200,000 rows: {big['inserted']:,} inserted in {big['seconds']:.1f} s "
              f"(CPU {big['cpu']:.1f} s; preview {big['analyze_seconds']:.1f} s)")
        print(f"  peak RSS               {big['rss_mb']:7.0f} MB  (target ≤ {TARGETS['rss_mb']} MB: "
              f"{_verdict(big['rss_mb'], TARGETS['rss_mb'])})")
    load_after = os.getloadavg()
    print(f"\nload average (1, 5, 15 min): before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
          f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} (2 cores, shared)")


if __name__ == "__main__":
    os.environ.setdefault("CADRE_DESK_LOG", "ERROR")
    main()
