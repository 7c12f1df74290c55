"""Exchange benchmark: 100,000 cadres × 30 columns.

Prints, in one run:
- roster export (reports.excel.excel_roster) beside bare openpyxl write-only writing the same cells
  (target ≤ 1.2×);
- roster import (services.imports analyze + commit into a database) beside bare openpyxl
  read-only reading that file (target ≤ 1.5×);
- peak RSS of the export and of the import, each measured in its own process (target ≤ 400 MB).

Usage: python bench/bench_exchange.py [--cadres 100000] [--workdir /tmp/bench_exchange]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _open(db: Path) -> None:
    from cadre_desk.features import register_all
    from cadre_desk.store.db import open_database

    register_all()
    open_database(db)


def phase_export(db: Path, out: Path) -> dict:
    _open(db)
    from reports.excel import excel_roster

    start = time.perf_counter()
    n = excel_roster.export_roster(out, COLUMNS, None, serial=False, reason="性能测试")
    return {"seconds": time.perf_counter() - start, "rows": n, "rss_mb": _rss_mb()}


def phase_bare_write(db: Path, out: Path) -> dict:
    """openpyxl write-only writing the same cells (values prepared before the clock starts)."""
    _open(db)
    import openpyxl

    from reports.excel import excel_roster

    ws_rows = [tuple(row) for row in openpyxl.load_workbook(_export_path(out), read_only=True).active
               .iter_rows(values_only=True)]
    start = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    for row in ws_rows:
        ws.append(row)
    wb.save(out)
    del excel_roster
    return {"seconds": time.perf_counter() - start, "rows": len(ws_rows)}


def _export_path(out: Path) -> Path:
    return out.with_name("export.xlsx")


def phase_import(db: Path, source: Path) -> dict:
    _open(db)
    from cadre_desk.exchange import imports

    start = time.perf_counter()
    plan = imports.analyze(source)
    analyzed = time.perf_counter()
    result = imports.commit(plan, skip_invalid=False)
    return {"seconds": time.perf_counter() - start, "analyze_seconds": analyzed - start,
            "inserted": result.inserted, "rejected": result.rejected, "rss_mb": _rss_mb()}


def phase_bare_read(source: Path) -> dict:
    import openpyxl

    start = time.perf_counter()
    wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    return {"seconds": time.perf_counter() - start, "cells": cells}


def _run(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cadres", type=int, default=100_000)
    parser.add_argument("--workdir", default="/tmp/bench_exchange")
    parser.add_argument("--phase")
    parser.add_argument("--db")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.phase:
        db, file = Path(args.db or "x"), Path(args.file or "x")
        result = {"export": lambda: phase_export(db, file), "bare_write": lambda: phase_bare_write(db, file),
                  "import": lambda: phase_import(db, file), "bare_read": lambda: phase_bare_read(file)}[args.phase]()
        print(json.dumps(result))
        return

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"source_{args.cadres}.db"
    if not db.exists():
        print(f"building a demo database of {args.cadres:,} cadres …", flush=True)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cadre_desk", "--db", str(db), "demo", "--cadres", str(args.cadres)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        print(f"  built in {time.perf_counter() - t:.1f} s")
    export_file = work / "export.xlsx"
    bare_file = work / "bare.xlsx"

    exp = _run("--phase", "export", "--db", str(db), "--file", str(export_file))
    bare_w = _run("--phase", "bare_write", "--db", str(db), "--file", str(bare_file))
    # import into a copy of the database without its cadres (units kept)
    target = work / "import_target.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(db, target)
    import sqlite3

    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys=OFF")
    for table in ("resume_entry", "family_member", "reward_punishment", "training", "annual_assessment",
                  "cadre_photo", "cadre"):
        try:
            con.execute(f"DELETE FROM {table}")
        except sqlite3.OperationalError:
            pass
    con.commit()
    con.execute("VACUUM")
    con.close()
    imp = _run("--phase", "import", "--db", str(target), "--file", str(export_file))
    bare_r = _run("--phase", "bare_read", "--file", str(export_file))

    rows = exp["rows"]
    print(f"\nroster export, {rows:,} rows × {len(COLUMNS)} columns")
    print(f"  cadre_desk export      {exp['seconds']:7.1f} s   ({rows / exp['seconds']:,.0f} rows/s)")
    print(f"  bare openpyxl write    {bare_w['seconds']:7.1f} s")
    print(f"  ratio                  {exp['seconds'] / bare_w['seconds']:7.2f} ×   (target ≤ 1.2×)")
    print(f"  peak RSS (export)      {exp['rss_mb']:7.0f} MB  (target ≤ 400 MB)")
    print(f"\nroster import of that file: {imp['inserted']:,} inserted, {imp['rejected']} rejected")
    print(f"  cadre_desk import      {imp['seconds']:7.1f} s   (analyze {imp['analyze_seconds']:.1f} s, "
          f"{imp['inserted'] / imp['seconds']:,.0f} rows/s)")
    print(f"  bare openpyxl read     {bare_r['seconds']:7.1f} s")
    print(f"  ratio                  {imp['seconds'] / bare_r['seconds']:7.2f} ×   (target ≤ 1.5×)")
    print(f"  peak RSS (import)      {imp['rss_mb']:7.0f} MB  (target ≤ 400 MB)")


if __name__ == "__main__":
    os.environ.setdefault("CADRE_DESK_LOG", "ERROR")
    main()
