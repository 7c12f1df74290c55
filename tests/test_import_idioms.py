"""Two idioms of department rosters: two-digit years (出生年月 86.05, 参加工作时间 08.07, 任现职时间
24.3.15), read with a warning that shows how; and columns and rows the sheet hides (an old copy of
现任职务 behind the current one, a 身份证号 helper column, rows a filter left hidden)."""

from __future__ import annotations

import datetime as _dt

import pytest
from corpus import id_number, xingping_units

from cadre_desk.domain import clock
from cadre_desk.exchange import imports, row_checks, workbook_package, workbooks

HEADER = ["序号", "基本情况", None, None, "参加工作时间", "入党时间", "现任职务", "任现职时间", "身份证号"]
SUBHEADER = [None, "姓名", "性别", "出生年月", None, None, None, None, None]


def _roster(path, rows, hide_columns=(), hide_rows=(), extra_columns=(), header=HEADER):
    """A title, a 制表单位 line, 基本情况 merged over 姓名 | 性别 | 出生年月, the other headers merged
    down both header rows; ``extra_columns``: (header, values per row) added on the right."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    width = len(header) + len(extra_columns)
    ws.append(["兴平市科级干部花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["制表单位：中共兴平市委组织部"])
    ws.append(header + [title for title, _ in extra_columns])
    ws.append(SUBHEADER + [None] * (width - len(SUBHEADER)))
    ws.merge_cells("B3:D3")
    for n in [1, *range(5, width + 1)]:
        ws.merge_cells(start_row=3, start_column=n, end_row=4, end_column=n)
    for i, row in enumerate(rows):
        ws.append([i + 1, *row] + [values[i] for _, values in extra_columns])
    for letter in hide_columns:
        ws.column_dimensions[letter].hidden = True
    for line in hide_rows:
        ws.row_dimensions[line].hidden = True
    wb.save(path)
    return path


# 19.3.15, not 24.3.15: the suite runs by clocks from 2020 on, where 24 would be 1924
def _wang(birth="86.05", work="08.07", party="08.07", since="19.3.15", name="王芳", seq="322"):
    return [name, "女", birth, work, party, "兴平市财政局副局长", since, id_number("19860512", seq)]


# ---- two-digit years -------------------------------------------------------------------------------


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
def test_two_digit_years_are_read_with_a_warning_that_shows_how(db, tmp_path, monkeypatch, column_checks):
    """86.05 / 08.07 / 19.3.15 were refused (无法识别的日期); a number cell 86.05 and 86年5月 too."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    xingping_units()
    rows = [
        _wang(),
        _wang(birth=86.05, work=8.07, party="08.07", since="19.03.15", name="李强", seq="342"),
        _wang(birth="86年5月", work="2008.07", party="", since="", name="张伟", seq="362"),
    ]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows))
    wang, li, zhang = plan.rows
    for row in plan.rows:
        assert row.ok, row.problems
        assert row.values["birth"] == "198605"
    assert wang.values["work_start"] == "200807" and wang.values["party"] == "200807"
    assert wang.values["position_date"] == "20190315"
    assert wang.warnings == ["出生年月“86.05”按 1986.05 读入", "参加工作时间“08.07”按 2008.07 读入",
                             "入党时间“08.07”按 2008.07 读入", "任现职时间“19.3.15”按 2019.03.15 读入",
                             "政治面貌为空，入党时间为 2008.07，按中共党员读入（如为预备党员请改正）"]
    assert li.values["work_start"] == "200807" and li.values["position_date"] == "20190315"
    assert "出生年月“86.05”按 1986.05 读入" in li.warnings and "参加工作时间“8.07”按 2008.07 读入" in li.warnings
    assert zhang.warnings == ["出生年月“86年5月”按 1986.05 读入"]  # 2008.07 written in full: nothing to say


def test_bare_digits_and_impossible_months_are_still_refused(db, tmp_path):
    """8605 may be 1986.05 or a typo: refused as before, as are months and days that do not exist."""
    xingping_units()
    rows = [_wang(birth="8605"), _wang(birth="86.13", name="李强", seq="342"),
            _wang(work="08.7.32", name="张伟", seq="362")]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows))
    bare, month, day = plan.rows
    # only the bare 出生年月 is refused: the row's 08.07 and 19.3.15 are read
    assert [p[:5] for p in bare.problems] == ["出生年月："], bare.problems
    assert any("出生年月" in p and "86.13" in p for p in month.problems), month.problems
    assert any("参加工作时间" in p and "08.7.32" in p for p in day.problems), day.problems
    assert not any(w.startswith("出生年月") for row in (bare, month) for w in row.warnings)
    assert not any(w.startswith("参加工作时间") for w in day.warnings)


def test_the_century_follows_the_clock():
    """yy is 20yy unless that is later than the clock's year; a birth also 19yy when 20yy would make
    the person younger than 18 on the clock's date (a cadre is 年满十八周岁: 10.05 is never a child) —
    and refused, naming both readings, when 19yy makes them older than 70 (10.05 is no 110-year-old)."""
    from cadre_desk.domain.dates import DateError, short_year_date

    clock.set_now(_dt.datetime(2020, 6, 15))
    assert short_year_date("20.01") == "202001"  # this year
    assert short_year_date("21.01") == "192101"  # next year: not yet
    assert short_year_date("25.07") == "192507"
    assert short_year_date("02.06", birth=True) == "200206"  # 2002.06: eighteen on the day
    assert short_year_date("50.06", birth=True) == "195006"  # seventy on the day
    assert short_year_date("04.06") == "200406"  # not a birth: no age to be
    refused = {"10.05": "按 2010.05 不满 18 周岁，按 1910.05 超过 70 周岁",  # ten or 110 years old
               "02.07": "按 2002.07 不满 18 周岁，按 1902.07 超过 70 周岁",  # seventeen or 117
               "20.07": "按 2020.07 晚于今天，按 1920.07 超过 70 周岁",
               "49.01": "按 2049.01 晚于今天，按 1949.01 超过 70 周岁"}  # seventy-one
    for written, why in refused.items():
        with pytest.raises(DateError) as caught:
            short_year_date(written, birth=True)
        assert str(caught.value) == f"无法确定年份：{why}，请写全四位年份"
    clock.set_now(_dt.datetime(2035, 6, 15))
    assert short_year_date("25.07") == "202507"
    assert short_year_date("35.06") == "203506" and short_year_date("36.01") == "193601"
    assert short_year_date("10.05", birth=True) == "201005"  # twenty-five
    assert short_year_date("17.06", birth=True) == "201706"  # eighteen on the day
    with pytest.raises(DateError, match="按 2017.07 不满 18 周岁，按 1917.07 超过 70 周岁"):
        short_year_date("17.07", birth=True)
    assert short_year_date("86.05", birth=True) == "198605"
    assert short_year_date("8605") is None and short_year_date("1986.05") is None
    assert short_year_date(8605.0) is None and short_year_date("86.13") is None


@pytest.mark.parametrize("column_checks", [True, False], ids=["by-column", "by-row"])
@pytest.mark.parametrize(("today", "refused"), [
    ("2020-06-15", "按 2010.05 不满 18 周岁，按 1910.05 超过 70 周岁"),
    ("2026-12-05", "按 2010.05 不满 18 周岁，按 1910.05 超过 70 周岁"),
    ("2035-06-15", ""),
])
def test_the_import_reads_two_digit_years_by_the_clock(db, tmp_path, monkeypatch, today, refused, column_checks):
    """A two-digit 出生年月 is read as the year that gives a cadre's age (18–70) by the clock; when
    neither 20yy nor 19yy does (10.05 by a 2020 clock: ten or 110 years old, once read as 1910.05 with
    a warning), the cell is refused naming both readings, and the row is not imported until fixed."""
    monkeypatch.setattr(row_checks, "COLUMN_CHECKS", column_checks)
    clock.set_now(_dt.datetime.fromisoformat(today))
    xingping_units()
    rows = [_wang(birth="10.05", work="25.07", party="")[:-1] + [""], _wang(name="李强", seq="342", party="")]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows))
    row, fine = plan.rows
    assert fine.ok and fine.values["birth"] == "198605", fine.problems
    work = "2025.07" if today > "2026" else "1925.07"
    assert f"参加工作时间“25.07”按 {work} 读入" in row.warnings
    if refused:
        said = [p for p in row.problems if "出生年月" in p and "早于出生年月" not in p]  # 1925.07 is by a 2020 clock
        assert said == [f"出生年月“10.05”无法确定年份：{refused}，请写全四位年份（D5 单元格）"], row.problems
        assert not row.ok and "birth" not in row.values  # no 身份证号: nor 请填写出生年月 said
        assert not any(w.startswith("出生年月") for w in row.warnings)
    else:
        assert row.ok and row.values["birth"] == "201005", row.problems
        assert "出生年月“10.05”按 2010.05 读入" in row.warnings


# ---- hidden columns and rows -------------------------------------------------------------------------


def test_a_hidden_old_copy_of_a_column_gives_way_to_the_visible_one(db, tmp_path):
    """An old 现任职务 hidden in column G (before the current one, in H) was imported instead of it."""
    units = xingping_units()
    header = HEADER[:6] + ["现任职务"] + HEADER[6:]  # G: the old copy, hidden; the current one in H
    rows = [row[:5] + ["兴平市教育局科员"] + row[5:] for row in (_wang(), _wang(name="李强", seq="342"))]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows, hide_columns=["G"], header=header))
    targets = {c.index: c.target for c in plan.columns}
    assert targets[6] is None and targets[7] == "position"
    assert all(row.unit_id == units["兴平市财政局"] for row in plan.rows), [r.problems for r in plan.rows]
    assert all(row.values["position"] == "兴平市财政局副局长" for row in plan.rows)
    # named once, as the copy it is: not also among the columns not imported
    assert "原表中隐藏的列与显示的列重复，未导入（以显示的列为准）：G 列（现任职务）同 H 列" in plan.notes
    assert not any(note.startswith("未导入的列") for note in plan.notes), plan.notes  # 序号 counts rows
    assert sum(note.count("现任职务") for note in plan.notes) == 1, plan.notes
    # a mapping chosen again (a saved 列对应方案 by header) keeps the visible one
    imports.set_mapping(plan, {6: "position", 7: "position"})
    assert {c.index: c.target for c in plan.columns}[7] == "position"
    assert {c.index: c.target for c in plan.columns}[6] is None


def test_hidden_columns_read_are_named_in_a_note(db, tmp_path):
    xingping_units()
    rows = [_wang(), _wang(name="李强", seq="342")]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows, hide_columns=["I"],
                                   extra_columns=[("备注", ["", "挂职"])]))
    assert {c.header: c.target for c in plan.columns}["身份证号"] == "id_number"
    assert all(row.values["id_number"] for row in plan.rows)
    assert "原表中隐藏的列也已读入：I 列（身份证号）。如不需要，请在“列对应”中改为不导入" in plan.notes
    plain = imports.analyze(_roster(tmp_path / "plain.xlsx", rows))
    assert not any("隐藏" in note for note in plain.notes)


def test_hidden_rows_are_imported_and_counted(db, tmp_path):
    """Rows a filter left hidden are data: imported, and the preview says how many there were."""
    xingping_units()
    rows = [_wang(name=name, seq=seq) for name, seq in (("王芳", "322"), ("李强", "342"), ("张伟", "362"))]
    plan = imports.analyze(_roster(tmp_path / "roster.xlsx", rows, hide_rows=[6, 7]))
    assert [r.name for r in plan.rows] == ["王芳", "李强", "张伟"] and all(r.ok for r in plan.rows)
    assert "原表中有 2 行是隐藏的（多为筛选后留下），已照常读入" in plan.notes


def test_a_large_sheet_read_in_slices_knows_its_hidden_columns_and_rows(db, tmp_path, monkeypatch):
    """A sheet past SLICE_BYTES is read a slice at a time (a preview's first rows first): its hidden
    columns are in the XML before the rows, its hidden rows in each slice."""
    monkeypatch.setattr(workbooks, "SLICE_BYTES", 4000)
    xingping_units()
    rows = [_wang(name=f"王{chr(0x4e00 + n)}", seq=f"{n // 5:02d}{n % 5 * 2}") for n in range(120)]
    path = _roster(tmp_path / "roster.xlsx", rows, hide_columns=["I"], hide_rows=[10, 100, 120])
    plan = imports.analyze(path, first_rows=20)
    assert plan.data.pending is not None  # read in slices, the rest still to come
    imports.check_rest(plan)
    assert len(plan.rows) == 120
    assert "原表中有 3 行是隐藏的（多为筛选后留下），已照常读入" in plan.notes
    assert any(note.startswith("原表中隐藏的列也已读入：I 列（身份证号）") for note in plan.notes)


def test_a_small_sheet_is_unpacked_once_for_its_hidden_columns_and_rows(db, tmp_path, monkeypatch):
    """The package check has read all of a small sheet's XML (its prolog): the hidden columns and rows
    come from those bytes, not from unpacking the sheet again; a sheet past the prolog is unpacked for
    them as before. Either way they are the same."""
    import zipfile

    unpacked: list[str] = []
    read = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: unpacked.append(str(name))
                        or read(self, name, pwd))
    xingping_units()
    small = _roster(tmp_path / "small.xlsx", [_wang(name=n, seq=s) for n, s in (("王芳", "322"), ("李强", "342"))],
                    hide_columns=["I"], hide_rows=[6])
    rows = [_wang(name=f"王{chr(0x4e00 + n)}", seq=f"{n // 5:02d}{n % 5 * 2}") for n in range(500)]
    large = _roster(tmp_path / "large.xlsx", rows, hide_columns=["I"], hide_rows=[10, 400])
    for path, hidden_rows in ((small, {6}), (large, {10, 400})):
        unpacked.clear()
        sheet = workbooks.read_workbook(path)[0]
        assert sheet.hidden_columns == {8} and sheet.hidden_rows == hidden_rows
        with zipfile.ZipFile(path) as zf:
            size = zf.getinfo("xl/worksheets/sheet1.xml").file_size
        assert ("xl/worksheets/sheet1.xml" in unpacked) == (size > workbook_package.PROLOG_BYTES), (size, unpacked)
    assert path == large and size > workbook_package.PROLOG_BYTES  # both ways were seen
