"""The one clock: no module of the program reads the computer's date or time but
cadre_desk/domain/clock.py, so that the tests (and a process started with CADRE_DESK_CLOCK) can set it."""

from __future__ import annotations

import ast
import datetime as _dt
from pathlib import Path

from cadre_desk.domain import clock

ROOT = Path(__file__).resolve().parent.parent
THE_CLOCK = ROOT / "cadre_desk" / "domain" / "clock.py"

# Calls that read now, by the end of their dotted name (``_dt.date.today`` ends with ``date.today``).
READS_NOW = ("date.today", "datetime.today", "datetime.now", "datetime.utcnow", "time.time", "time.time_ns",
             "QDate.currentDate", "QDateTime.currentDateTime", "QDateTime.currentDateTimeUtc",
             "QDateTime.currentSecsSinceEpoch", "QDateTime.currentMSecsSinceEpoch", "QTime.currentTime")
# These read now only when called without the moment to convert.
NOW_WITHOUT_ARGUMENT = ("time.localtime", "time.gmtime", "time.ctime", "time.asctime")


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def clock_reads(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        hit = any(name == end or name.endswith("." + end) for end in READS_NOW)
        if not hit and not node.args:
            hit = any(name == end or name.endswith("." + end) for end in NOW_WITHOUT_ARGUMENT)
        if not hit and name.endswith("time.strftime") and len(node.args) < 2:
            hit = True
        if hit:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {name}()")
    return found


def test_no_module_reads_the_computers_clock():
    found = [hit for top in ("cadre_desk", "reports", "ui") for path in sorted((ROOT / top).rglob("*.py"))
             if path != THE_CLOCK for hit in clock_reads(path)]
    assert not found, "read the time through cadre_desk.domain.clock instead:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as _dt, time\nfrom PySide6.QtCore import QDate\n"
                      "a = _dt.date.today()\nb = _dt.datetime.now()\nc = time.time()\nd = QDate.currentDate()\n"
                      "e = time.localtime()\nf = time.localtime(0)\ng = time.strftime('%Y')\n"
                      "h = time.perf_counter()\n", encoding="utf-8")
    hits = clock_reads(sample, tmp_path)
    assert [h.split(": ")[1] for h in hits] == ["_dt.date.today()", "_dt.datetime.now()", "time.time()",
                                                "QDate.currentDate()", "time.localtime()", "time.strftime()"]


def test_the_tests_run_on_the_set_clock():
    """conftest.py sets the clock (CADRE_DESK_TEST_TODAY, 2026-06-15 unless told): not the computer's."""
    import os

    wanted = _dt.date.fromisoformat(os.environ.get("CADRE_DESK_TEST_TODAY", "2026-06-15"))
    assert clock.today() == wanted
    assert os.environ["CADRE_DESK_CLOCK"] == wanted.isoformat()
