"""The field registry describes every field once — the profile's, its sub-records' and the other
capabilities' rows that lists and exports show — and every label a workbook writes comes from it."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import openpyxl
import pytest

from cadre_desk.domain import codes
from cadre_desk.domain.fields import (
    ACTIVITY_RECORDS,
    FAMILY,
    FIELDS,
    RECORDS,
    FieldSpec,
    normalize_header,
)

ROOT = Path(__file__).resolve().parent.parent
ALL_SETS = [("干部档案", FIELDS)] + [(r.label, r.fields) for r in (*RECORDS, *ACTIVITY_RECORDS)]
KINDS = {"text", "longtext", "date", "code", "codes", "party", "id_number", "unit", "phone", "year", "number"}
# Words of workbooks that are not fields of anything: a row number, a count, a share, an import verdict.
NOT_FIELDS = {"序号", "人数", "占比", "合计", "行号", "处理", "问题", "提示", "重复", "单位来源", "与已有档案的差异"}


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def registry_labels() -> set[str]:
    labels = {spec.label for _name, specs in ALL_SETS for spec in specs}
    return labels | {r.label for r in RECORDS} | {r.title for r in RECORDS}


@pytest.mark.parametrize(("name", "specs"), ALL_SETS, ids=[name for name, _ in ALL_SETS])
def test_every_field_is_described_once(name, specs: tuple[FieldSpec, ...]):
    keys = [spec.key for spec in specs]
    labels = [spec.label for spec in specs]
    assert len(set(keys)) == len(keys), f"{name}: a key twice"
    assert len(set(labels)) == len(labels), f"{name}: a label twice"
    headers: dict[str, str] = {}
    for spec in specs:
        assert spec.kind in KINDS, spec
        assert _cjk(spec.label), f"{name}.{spec.key}: the label is not Chinese"
        if spec.kind in ("code", "codes"):
            table = codes.table(spec.code_table)  # a data file in resources/codes, never a list in code
            assert table.items and table.title != spec.code_table, spec
        if spec.kind in ("year", "number") and (spec.minimum is not None or spec.maximum is not None):
            assert spec.minimum is not None and spec.maximum is not None, spec
        if spec.not_before:
            assert spec.not_before in keys and spec.kind == "date", spec
        for header in spec.headers:  # a header in an imported sheet means one field only
            owner = headers.setdefault(normalize_header(header), spec.key)
            assert owner == spec.key, f"{name}: “{header}” means both {owner} and {spec.key}"


def test_sub_records_rows_and_tables_follow_the_registry(db):
    """The rows' dataclasses and the database columns have exactly the registry's fields: adding a
    field is its one line plus the migration that adds the column."""
    from cadre_desk.store.models import RECORD_MODELS

    for record in RECORDS:
        assert [f.name for f in dataclasses.fields(record.item)] == [spec.key for spec in record.fields]
        model = RECORD_MODELS[record.key]
        columns = {row[1] for row in db.execute_sql(f'PRAGMA table_info("{model._meta.table_name}")')}
        assert {spec.key for spec in record.fields} <= columns, record.key
        blank = record.item()
        assert record.blank(blank)
        for spec in record.fields:
            assert getattr(blank, spec.key) == spec.default


def test_family_relation_is_gb_4761_from_the_data_file():
    relation = FAMILY.field("relation")
    assert relation.kind == "code" and relation.code_table == "GB4761"
    table = codes.table("GB4761")
    assert table.code("父亲") == "10" and table.code("母亲") == "11" and len(table.items) > 40
    assert (ROOT / "resources" / "codes" / "GB4761.csv").is_file()


def test_lrmx_elements_come_from_the_registry():
    from cadre_desk.exchange import lrmx_format

    for spec in FIELDS:
        if spec.lrmx:
            assert spec.lrmx in lrmx_format.ORDER, spec
    for record in RECORDS:
        if record.lrmx:
            assert record.lrmx in lrmx_format.ORDER, record.key
    assert list(lrmx_format.FAMILY_ELEMENTS) == ["ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao",
                                                 "GongZuoDanWeiJiZhiWu"]


def test_sub_record_checks_are_the_registry_s(db):
    """One description gives every check: required, code table, dates in order, a unique year,
    lengths — each message naming the row and the field by its label."""
    from cadre_desk.domain.fields import (
        ASSESSMENTS,
        RESUME,
        TRAININGS,
        AssessmentItem,
        ResumeItem,
        TrainingItem,
    )
    from cadre_desk.domain.validation import clean_records

    errors: dict[str, str] = {}
    rows, warnings = clean_records(RESUME, [ResumeItem("1986.5", "1990.7", "某大学学习"),
                                            ResumeItem("1990年9月", "", "某局科员")], errors)
    assert not errors and [r.start for r in rows] == ["198605", "199009"]
    assert warnings == ["第 1 条与第 2 条简历之间有 2 个月空档（1990.07—1990.09）"]
    clean_records(RESUME, [ResumeItem("1990.07", "1986.05", "倒了")], errors)
    assert errors["resume[0].end"] == "简历第 1 条截止时间早于起始时间"
    errors.clear()
    clean_records(ASSESSMENTS, [AssessmentItem(2023, "优秀"), AssessmentItem("2023", "称"),
                                AssessmentItem(2022, "称职")], errors)
    assert "考核结果" in errors["assessments[1].result"] and "称职" in errors["assessments[1].result"]
    errors.clear()
    rows, _ = clean_records(ASSESSMENTS, [AssessmentItem(2023, "优秀"), AssessmentItem("2023年", "称职")], errors)
    assert errors == {"assessments[1].year": "年度考核第 2 行年度 2023 与第 1 行重复"}
    errors.clear()
    rows, _ = clean_records(TRAININGS, [TrainingItem("党校培训", "", "2024/3/15", "2024.3.20", "40")], errors)
    assert not errors and (rows[0].start, rows[0].end, rows[0].hours) == ("20240315", "20240320", 40.0)
    clean_records(TRAININGS, [TrainingItem("x" * 201, hours="-1")], errors)
    assert errors["trainings[0].name"].startswith("培训第 1 条培训名称最多 200 个字")
    assert errors["trainings[0].hours"] == "培训第 1 条学时应在 0–10000 之间"



def test_typed_rows_clean_as_clean_records_in_the_tables_order():
    """The form's rows as typed (typed_rows, the 简历 table's tint) are cleaned by the loop clean_records
    runs: the same values, but each at its place in the table — None for a row left blank or with a value
    that cannot be read — and a text too long kept (the save refuses it, not the tint)."""
    from cadre_desk.domain.fields import TRAININGS, TrainingItem
    from cadre_desk.domain.validation import clean_records, typed_rows

    items = [TrainingItem("党校培训", "", "2024/3/15", "2024.3.20", "40"), TrainingItem(),
             TrainingItem("x" * 201, start="2023.5"), TrainingItem("夜校", hours="很多"),
             TrainingItem("干部学院", start="2019年3月")]
    typed = typed_rows(TRAININGS, items)
    assert [None if row is None else (row.name[:4], row.start, row.hours) for row in typed] == [
        ("党校培训", "20240315", 40.0), None, ("xxxx", "202305", TRAININGS.field("hours").default), None,
        ("干部学院", "201903", TRAININGS.field("hours").default)]
    errors: dict[str, str] = {}
    rows, _ = clean_records(TRAININGS, items, errors)
    assert set(errors) == {"trainings[2].name", "trainings[3].hours"}
    assert {row.name: row for row in rows}["党校培训"] == typed[0] and {row.name: row for row in rows}["干部学院"] == typed[4]

# ---- Excel headers -------------------------------------------------------------------------------

EXCEL_WRITERS = sorted(p for p in (*(ROOT / "reports").rglob("*.py"), *(ROOT / "cadre_desk").rglob("*.py"))
                       if "openpyxl" in p.read_text(encoding="utf-8") and "Workbook(" in p.read_text(encoding="utf-8"))


def _literal_header_words(path: Path) -> list[tuple[int, str]]:
    """Chinese words a writer puts in a row by hand: literal lists/tuples of ≥ 2 strings appended to a
    sheet (``ws.append([...])``), looped over to build a header row, or named *headers."""
    rows: list[ast.AST] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append":
            rows += node.args
        elif isinstance(node, ast.For):
            rows.append(node.iter)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.lower().endswith("headers")
                                                  for t in node.targets):
            rows.append(node.value)
    out = []
    for row in rows:
        if isinstance(row, (ast.List, ast.Tuple)):
            words = [e.value for e in row.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(words) >= 2 and all(_cjk(w) for w in words):
                out += [(row.lineno, w) for w in words]
    return out


def test_every_excel_writer_takes_its_headers_from_the_registry():
    assert {p.name for p in EXCEL_WRITERS} >= {"excel_roster.py", "excel_workbooks.py", "problem_report.py"}
    labels = registry_labels()
    for path in EXCEL_WRITERS:
        for line, word in _literal_header_words(path):
            assert word in labels or word in NOT_FIELDS or not _header_like(word), (
                f"{path.relative_to(ROOT)}:{line}: “{word}” is written by hand, not a registry label")


def _header_like(word: str) -> bool:
    """Short words are column headers; sentences (messages, titles) are not."""
    return len(word) <= 8 and not any(p in word for p in "，。：；！？“”（")


def test_exported_workbooks_use_the_screens_words(demo_db, tmp_path):
    """Every header row the workbooks write — roster, 一线锻炼名册, 导师帮带结对表, 考核结果及排名 —
    is made of registry labels (and the appraisal's own dimension names), read back from the files."""
    from cadre_desk.appraisal import schemes
    from cadre_desk.domain.fields import FIELDS as PROFILE
    from reports.excel import excel_roster, excel_workbooks

    paths = {name: tmp_path / f"{name}.xlsx" for name in ("roster", "postings", "pairs", "ranking")}
    excel_roster.export_roster(paths["roster"], keys=[spec.key for spec in PROFILE], reason="测试")
    excel_workbooks.export_postings(paths["postings"], reason="测试")
    excel_workbooks.export_mentoring(paths["pairs"], reason="测试")
    excel_workbooks.export_appraisal(paths["ranking"], reason="测试")
    dimensions = {d.name for scheme in schemes.list_schemes(include_retired=True) for d in scheme.dimensions}
    allowed = registry_labels() | NOT_FIELDS | dimensions
    headers: dict[str, list[str]] = {}
    for name, path in paths.items():
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            row = [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True)) if c is not None]
            assert row and set(row) <= allowed, f"{name}/{ws.title}: {set(row) - allowed}"
            headers[name] = row
    assert headers["roster"] == ["序号"] + [spec.label for spec in PROFILE]
    assert "选派渠道" in headers["postings"] and "选派方式" not in headers["postings"]
    assert "帮带对象" in headers["pairs"] and "学员" not in headers["pairs"]


def test_screens_use_the_same_words(qtbot):
    """The lists of the records that appear in exports take their column titles from the registry, so
    the 一线锻炼 list and the 一线锻炼名册 say 选派渠道 alike; a sub-record table's headers are its labels."""
    from PySide6.QtCore import Qt

    from cadre_desk.domain.fields import MENTOR_PAIR, POSTING, POSTING_REVIEW, RANKING
    from ui.appraisal.ranking_tab import RankingTab
    from ui.mentoring.pair_table import make_pair_table
    from ui.postings.posting_table import posting_model
    from ui.widgets.record_table import RecordTable

    def titles(model) -> list[str]:  # the same words, though a narrow table may break one over two lines
        return [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", "") for c in range(model.columnCount())]

    ranking = RankingTab(context=None, load=False)
    qtbot.addWidget(ranking)
    for record, model, more in ((POSTING, posting_model(), POSTING_REVIEW.fields),
                                (MENTOR_PAIR, make_pair_table()[1], ()), (RANKING, ranking.model, ())):
        labels = {spec.label for spec in (*record.fields, *more)}
        assert titles(model) and set(titles(model)) <= labels, record.label
    assert "选派渠道" in titles(posting_model())
    for record in RECORDS:
        table = RecordTable(record)
        qtbot.addWidget(table)
        headers = [table.table.horizontalHeaderItem(c).text() for c in range(table.table.columnCount())]
        assert headers == [spec.label for spec in record.form_fields]


def test_a_field_added_to_a_sub_record_is_one_line(qtbot):
    """A new FieldSpec in a record's tuple gives the row class its attribute, the checks, the table
    column and the display — nothing else names it (the stored column is its migration's)."""
    from cadre_desk.domain.fields import TRAININGS, RecordSpec
    from cadre_desk.domain.validation import clean_records
    from ui.widgets.record_table import RecordTable

    extended = RecordSpec(TRAININGS.key, TRAININGS.label, "TrainingPlusItem", (
        *TRAININGS.fields, FieldSpec("certificate_date", "结业证书日期", "date", 8, not_before="end")))
    row = extended.item(name="党校培训", start="2024.3.1", end="2024.3.20", certificate_date="2024.3.2")
    errors: dict[str, str] = {}
    clean_records(extended, [row], errors)
    assert errors == {"trainings[0].certificate_date": "培训第 1 条结业证书日期早于结束时间"}
    rows, _ = clean_records(extended, [dataclasses.replace(row, certificate_date="2024/4/1")], {})
    assert rows[0].certificate_date == "20240401"
    table = RecordTable(extended)
    qtbot.addWidget(table)
    table.set_items(rows)
    assert table.table.horizontalHeaderItem(5).text() == "结业证书日期"
    assert table.table.item(0, 5).text() == "2024.04.01"
