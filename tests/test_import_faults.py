"""Import faults played for real (issue 17 items 4 and 7): a multi-part zip bomb under every
per-part threshold, cells with control characters, two processes importing the same people at
once; and a big sheet read in slices gives the same rows as read whole."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import zipfile
from pathlib import Path

import openpyxl
import pytest
from corpus import county_roster, xingping_units

from cadre_desk.exchange import imports, workbook_package, workbooks
from cadre_desk.exchange.workbook_package import FileRefused


def _no_parsing(monkeypatch):
    """Fail the test if any parser is handed the file."""
    import python_calamine

    def refuse(*_a, **_k):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _bomb(path: Path, sheets: int, sheet_bytes: int) -> Path:
    """The issue's file: many sheets, each a part just under 1 MB of rows that compress to almost
    nothing (1.4 MB on disk for 380 sheets)."""
    row = "<row>" + "".join('<c t="n"><v>0</v></c>' for _ in range(40)) + "</row>"
    body = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>' + row * (sheet_bytes // len(row)) + "</sheetData></worksheet>")
    sheet_list = "".join(f'<sheet name="s{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, sheets + 1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"/>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships"><sheets>{sheet_list}</sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                    f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i in range(1, sheets + 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", body)
    return path


def test_many_small_parts_bomb_is_refused_before_parsing(db, tmp_path, monkeypatch):
    """issue 17 item 4: 380 sheets under the 1 MB per-part threshold ran 4 min 47 s and 752 MB."""
    path = _bomb(tmp_path / "bomb.xlsx", 380, 900_000)
    assert path.stat().st_size < 3 * 1024 * 1024  # small on disk, ~340 MB unpacked
    _no_parsing(monkeypatch)
    with pytest.raises(FileRefused, match="压缩炸弹"):
        imports.analyze(path)


def test_fewer_sheets_still_refused_by_the_whole_package_ratio(db, tmp_path, monkeypatch):
    path = _bomb(tmp_path / "bomb.xlsx", 60, 900_000)  # under the sheet limit, each part under the floor
    monkeypatch.setattr(workbook_package, "MEMBER_FLOOR", 1024 * 1024)
    _no_parsing(monkeypatch)
    with pytest.raises(FileRefused, match="压缩比"):
        imports.analyze(path)


def test_cells_read_are_counted_across_sheets(db, tmp_path, monkeypatch):
    path = _bomb(tmp_path / "cells.xlsx", 8, 60_000)  # a small file whose sheets hold many cells
    monkeypatch.setattr(workbook_package, "MAX_CELLS", 20_000)  # the cells the package declares
    monkeypatch.setattr(workbooks, "MAX_CELLS", 20_000)  # the cells read
    with pytest.raises(FileRefused, match="单元格"):
        workbooks.read_workbook(path)


def test_too_many_parts_is_refused(db, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_package, "MAX_PARTS", 50)
    path = _bomb(tmp_path / "parts.xlsx", 60, 2_000)
    _no_parsing(monkeypatch)
    with pytest.raises(FileRefused, match="部件"):
        imports.analyze(path)


# ---- control characters ---------------------------------------------------------------------------


def _with_control_characters(tmp_path: Path) -> Path:
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生年月", "现任职务"])
    ws.append(["王伟", "男", "1985.10", "兴平市发展和改革局科员"])
    ws.append(["李娜", "女", "1990.05", "马嵬街道办事处副主任"])
    wb.save(good)
    bad = tmp_path / "ctrl.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                data = data.replace("马嵬".encode(), "马\x01嵬".encode())  # pasted from another system
            out.writestr(info, data)
    return bad


def test_control_characters_are_named_by_cell_and_removed(db, tmp_path):
    xingping_units()
    plan = imports.analyze(_with_control_characters(tmp_path))
    li = next(r for r in plan.rows if r.name == "李娜")
    assert li.ok and li.values["position"] == "马嵬街道办事处副主任"
    assert any("D3" in w and "控制字符" in w for w in li.warnings), li.warnings


def test_control_characters_when_openpyxl_reads_are_named_in_chinese(db, tmp_path, monkeypatch):
    """What calamine cannot read goes to openpyxl, whose parser stops at the character in English
    ("not well-formed (invalid token): line 1, column 747"): the message names the cell instead."""
    import python_calamine

    def unreadable(*_a, **_k):
        raise python_calamine.CalamineError("simulated")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", unreadable)
    with pytest.raises(FileRefused) as info:
        imports.analyze(_with_control_characters(tmp_path))
    message = str(info.value)
    assert "D3" in message and "控制字符" in message and "工作表" in message
    assert "invalid token" not in message and "line" not in message


# ---- reading in slices ---------------------------------------------------------------------------


def test_a_sheet_read_in_slices_gives_the_rows_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C2"] = "花名册"
    ws.append([])
    ws.append(["姓名", "出生年月", "参加工作", "备注", "学时"])
    for i in range(3000):
        if i % 97 == 0:
            ws.append([])  # blank rows in between
        ws.append([f"人员{i}", dt.date(1980 + i % 20, 1 + i % 12, 1), 2011.05, "同一个备注" if i % 2 else None, i])
    wb.save(path)  # openpyxl: shared strings, date styles, a <dimension>
    whole = workbooks.read_workbook(path)
    monkeypatch.setattr(workbooks, "SLICE_BYTES", 20_000)
    calls = []
    real = workbooks._slice_workbook
    monkeypatch.setattr(workbooks, "_slice_workbook", lambda *a: calls.append(1) or real(*a))
    sliced = workbooks.read_workbook(path)
    assert len(calls) > 10
    assert [s.rows for s in sliced] == [s.rows for s in whole]
    assert whole[0].rows[1] == ("", "", "花名册") and whole[0].rows[5][1] == dt.date(1980, 1, 1)


def _collected(add, rows, budget=10**9, max_rows=10**6):
    collector = workbooks._Rows([budget], max_rows, "表", None)
    add(collector, rows)
    return collector


def test_rows_taken_a_slice_at_once_are_the_rows_taken_one_by_one():
    """_Rows.add_many (a slice's rows column by column) keeps what _Rows.add keeps row by row: trailing
    blanks trimmed, short and empty rows, the cell count; repeated values kept once; a column of values
    nearly all different (身份证号) taken as it is."""
    rows = [["标题"], [], ["姓名", "性别", "身份证号", "备注", "", None]]
    for i in range(600):
        rows.append([f"人员{i}", "".join(["男"]) if i % 3 else "".join(["女"]), f"1101051980{i:08d}",
                     "同一个备注" if i % 2 else "", 2011.05 if i % 5 else None, dt.date(1980, 1 + i % 12, 1),
                     "" if i % 7 else "末列", f"籍贯{i % 400}"])
        if i % 50 == 0:
            rows.extend([[], ["", None, ""], [f"短行{i}"]])
    one = _collected(lambda c, rs: [c.add(r) for r in rs], rows)
    many = _collected(lambda c, rs: c.add_many(rs), rows)
    assert many.rows == one.rows and many.budget == one.budget
    wide = [["宽"] + [""] * 310 + ["过宽"], ["窄"]]  # past MAX_COLUMNS: cut there, as row by row
    assert _collected(lambda c, rs: c.add_many(rs), wide).rows == [("宽",) + ("",) * 299, ("窄",)]
    assert all(row.__class__ is tuple for row in many.rows)
    assert many.rows[1] == () and many.rows[3] == ("人员0", "女", "110105198000000000", "", None, dt.date(1980, 1, 1),
                                                   "末列", "籍贯0")
    people = [row for row in many.rows if row and str(row[0]).startswith("人员")]
    assert people[1][1] is people[2][1] and people[1][3] is people[3][3]  # 男, 同一个备注: one string each
    assert people[1][7] is people[401][7]  # 籍贯1 twice in 600 rows: kept once
    assert "110105198000000007" not in many.cache and "人员7" not in many.cache  # 身份证号, 姓名: all different
    assert many.unique_columns == {0, 2}


def test_rows_taken_at_once_are_held_to_the_cell_and_row_limits():
    rows = [[f"格{i}-{j}" for j in range(20)] for i in range(10)]
    with pytest.raises(FileRefused, match="单元格超过"):
        _collected(lambda c, rs: c.add_many(rs), rows, budget=150)
    with pytest.raises(FileRefused, match="超过一次导入的上限 5 行"):
        _collected(lambda c, rs: c.add_many(rs * 10), rows, max_rows=5)


def _row_end_by_pattern(buffer: bytes, limit: int) -> int:
    """_row_end_before as it was written first: every row end of the last megabyte tried by the pattern."""
    import re

    end = 0
    limit = min(limit, len(buffer))
    for match in re.finditer(rb"</(?:\w+:)?row>", buffer[:limit][max(0, limit - 1024 * 1024):]):
        end = max(0, limit - 1024 * 1024) + match.end()
    if not end:
        match = re.search(rb"</(?:\w+:)?row>", buffer)
        end = match.end() if match else 0
    return end


def test_a_slice_ends_at_the_last_whole_row_before_its_limit():
    """Where a slice is cut: the end of the last whole row within the limit (a row end tag with or
    without a namespace prefix; "row>" in a cell's text is none), else that of the first row."""
    rows = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>narrow></t></is></c></row>',
            b'<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>a</row> b</x:t></x:is></x:c></x:row>',
            b'<row r="3"><c r="A3"><v>1</v></c></row>', b'<row r="4"><c r="A4" t="inlineStr"><is><t>arrow>'
            b'</t></is></c><c r="B4" t="inlineStr"><is><t>&lt;/row></t></is></c></row>']
    buffer = b"".join(rows) * 3
    assert _row_end_by_pattern(buffer, 40) == len(rows[0])  # no row end within the limit: the first row's
    for limit in range(0, len(buffer) + 2):
        assert workbooks._row_end_before(buffer, limit) == _row_end_by_pattern(buffer, limit), limit
    assert workbooks._row_end_before(b"<row><c/>", 5) == 0
    big = b'<row r="1"><c/></row>' + b"x" * (2 * 1024 * 1024) + b'<row r="2"><c/></row>'
    for limit in (100, 1024 * 1024, len(big) - 5, len(big)):
        assert workbooks._row_end_before(big, limit) == _row_end_by_pattern(big, limit), limit


# ---- two imports at once ---------------------------------------------------------------------------


def _import_in_child(db_path: str, file: str, home: str, barrier, results) -> None:
    import os

    os.environ["CADRE_DESK_HOME"] = home
    from cadre_desk.access import context
    from cadre_desk.domain.errors import CadreDeskError
    from cadre_desk.features import register_all
    from cadre_desk.store.opening import open_database

    register_all()
    context.set_operator(context.Operator(username=f"clerk{os.getpid()}"))
    open_database(db_path)
    options = imports.ImportOptions(accept_suggestions=True, create_units=True)
    plan = imports.analyze(file, options)
    barrier.wait(30)  # both have checked the file and found nobody: now both write
    try:
        result = imports.commit(plan, options, backup=False)
        results.put(("ok", result.inserted))
    except CadreDeskError as exc:
        results.put(("refused", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the raw database error is what the test looks for
        results.put(("raw", f"{type(exc).__name__}: {exc}"))


def test_two_processes_importing_the_same_people(db, db_path, tmp_path):
    """issue 17 item 7: the loser showed "UNIQUE constraint failed"; it must name who is there."""
    from cadre_desk.store.db import close_database

    xingping_units()
    close_database()
    file = county_roster(tmp_path / "county.xlsx")
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    workers = [ctx.Process(target=_import_in_child, args=(str(db_path), str(file), str(tmp_path / f"h{i}"),
                                                          barrier, results)) for i in range(2)]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(30)
    assert [o[0] for o in outcomes] == ["ok", "refused"], outcomes
    message = outcomes[1][1]
    assert "UNIQUE" not in message and "已在系统中" in message
    assert "王伟" in message and "身份证号" in message
