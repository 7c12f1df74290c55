"""One way of writing dates: sample values rendered through every screen formatter, workbook and PDF
come out as the official form writes them — months 1986.05, days 2024.03.15, periods 1986.05—1990.07 —
and never as 1986-05-03, 2024/3/15, 2024年3月15日 or the stored 198605. (The LRMX file keeps YYYYMM.)"""

from __future__ import annotations

import datetime as _dt
import re
import subprocess

import openpyxl
import pytest

from cadre_desk.domain.dates import format_date, format_moment, format_period
from cadre_desk.domain.fields import ACTIVITY_RECORDS, FIELDS, RECORDS, display_value
from tests.conftest import make_profile

GOOD = re.compile(r"(?<![\d.])(?:19|20)\d{2}\.(?:0[1-9]|1[0-2])(?:\.(?:0[1-9]|[12]\d|3[01]))?(?![\d])")
BAD = {
    "ISO": re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])(?:-\d{1,2})?(?![\dWQ])"),
    "slash": re.compile(r"(?<!\d)(?:19|20)\d{2}/\d{1,2}"),
    "年月日": re.compile(r"(?<!\d)(?:19|20)\d{2}年\d{1,2}月(?:\d{1,2}日)?"),
    "stored": re.compile(r"(?<![\d.])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?(?![\d.])"),
    "one-digit month": re.compile(r"(?<![\d.])(?:19|20)\d{2}\.[1-9](?![\d])"),
    "period code": re.compile(r"(?<!\d)(?:19|20)\d{2}-[QW]\d"),  # 2026-Q4, 2026-W05: shown by period_label
}


def bad_dates(text: str) -> list[str]:
    return [f"{name}: {m.group(0)}" for name, rx in BAD.items() for m in rx.finditer(text or "")]


SAMPLE = {"birth": "198605", "work_start": "20080701", "party": "200108；民建", "position_date": "202403",
          "rank_date": "20230115", "age_basis_date": "202405", "fill_date": "20240520"}


@pytest.fixture
def sample(unit):
    return save_sample(unit.id)


@pytest.fixture
def demo_sample(demo_db):
    from cadre_desk.units import units

    return save_sample(units.list_units()[-1].id)


def save_sample(unit_id: int):
    from cadre_desk.domain.fields import AssessmentItem, FamilyItem, ResumeItem, RewardItem, TrainingItem
    from cadre_desk.profiles import cadres

    profile = make_profile(unit_id, name="李样", **SAMPLE)
    profile.resume = [ResumeItem("2004.9", "2008.7", "某大学学习"), ResumeItem("2008.7", "", "市财政局科员")]
    profile.family = [FamilyItem("妻子", "王某", "1987/3/15", "群众", "某中学教师")]
    profile.rewards = [RewardItem("2019年12月", "奖励", "被评为优秀公务员", "市委")]
    profile.trainings = [TrainingItem("党校培训", "市委党校", "2024-03-15", "2024.3.20", "40")]
    profile.assessments = [AssessmentItem(2023, "优秀")]
    return cadres.save_profile(profile).profile


def test_the_formatter_writes_one_format():
    assert format_date("198605") == "1986.05" and format_date("20240315") == "2024.03.15"
    assert format_period("198605", "199007") == "1986.05—1990.07"
    assert format_moment(_dt.datetime(2024, 3, 15, 10, 22)) == "2024.03.15 10:22"
    for spec in [*FIELDS, *(f for r in (*RECORDS, *ACTIVITY_RECORDS) for f in r.fields)]:
        if spec.kind == "date":
            for stored in ("198605", "20240315"):
                shown = display_value(spec, stored)
                assert GOOD.fullmatch(shown) and not bad_dates(shown), (spec.key, shown)


def test_screens_show_one_format(qtbot, sample):
    """The cadre list, the profile's sub-record tables and the audit log."""
    from cadre_desk.profiles.cadre_list import ID, CadreFilter, CadreIndex
    from cadre_desk.security import audit
    from ui.security.audit_view import AuditModel
    from ui.widgets.record_table import RecordTable

    index = CadreIndex.load()
    row = next(r for r in index.filter(CadreFilter()) if r[ID] == sample.id)
    shown = {spec.key: index.display(row, spec.key) for spec in FIELDS if spec.listable}
    # 入党时间 shows its dates; the 民主党派 stored with it shows in the roster's 党派 column
    assert shown["birth"] == "1986.05" and shown["party"] == "2001.08"
    assert index.display(row, "party_name") == "民建"
    texts = list(shown.values())
    for record in RECORDS:
        table = RecordTable(record)
        qtbot.addWidget(table)
        table.set_items(getattr(sample, record.key))
        texts += [table.table.item(r, c).text() for r in range(table.table.rowCount())
                  for c in range(table.table.columnCount())]
    assert {"2004.09", "2008.07", "1987.03.15", "2019.12", "2024.03.15", "2024.03.20"} <= set(texts)
    model = AuditModel()
    model.set_entries(audit.search(limit=20))
    times = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert times and all(re.fullmatch(r"\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}", t) for t in times)
    problems = [(t, bad_dates(t)) for t in texts + times if bad_dates(t)]
    assert not problems


def _model_texts(model) -> list[str]:
    return [str(model.data(model.index(r, c)) or "") for r in range(model.rowCount())
            for c in range(model.columnCount())]


def test_record_tables_show_one_format(qtbot, demo_sample):
    """一线锻炼, 导师帮带 and 赛马比选 tables, each a RowsModel over the capability's rows."""
    from cadre_desk.appraisal import appraisals, grading
    from cadre_desk.mentoring import mentoring
    from cadre_desk.postings import postings
    from ui.appraisal.ranking_tab import RankingTab
    from ui.mentoring.pair_table import make_pair_table
    from ui.postings.posting_table import posting_model

    postings_model = posting_model()
    postings_model.set_rows(postings.visible_postings())
    _view, pairs_model = make_pair_table()
    pairs_model.set_rows(mentoring.visible_pairs())
    texts = _model_texts(postings_model) + _model_texts(pairs_model)
    sheets = appraisals.list_sheets()
    if sheets:
        tab = RankingTab(context=None, load=False)
        qtbot.addWidget(tab)
        tab.model.set_rows(grading.ranking(sheets[0].id))
        texts += _model_texts(tab.model)
    assert sum(bool(GOOD.fullmatch(t)) for t in texts) > 20
    problems = [(t, bad_dates(t)) for t in texts if bad_dates(t)]
    assert not problems[:10]


def test_the_profile_form_shows_and_takes_dates_as_clerks_write_them(qtbot, sample, db_path):
    from cadre_desk.profiles import cadres
    from ui.profiles.profile_dialog import ProfileDialog
    from ui.shell.context import AppContext

    dialog = ProfileDialog(AppContext(db_path), sample.id)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.done(0))
    shown = {key: dialog.cells[key].editor.text() for key in SAMPLE}
    assert shown == {"birth": "1986.05", "work_start": "2008.07.01", "party": "2001.08；民建",
                     "position_date": "2024.03", "rank_date": "2023.01.15", "age_basis_date": "2024.05",
                     "fill_date": "2024.05.20"}
    assert not dialog.has_unsaved()
    dialog.cells["work_start"].editor.setText("2008年7月")
    dialog.cells["party"].editor.setText("2001.8；民建")
    assert dialog.save()
    assert cadres.get_profile(sample.id).values["work_start"] == "200807"
    assert cadres.get_profile(sample.id).values["party"] == "200108；民建"
    assert dialog.cells["work_start"].editor.text() == "2008.07"
    dialog.cells["work_start"].editor.setText("2008.13")
    assert not dialog.save()
    assert "月份 13 无效" in dialog.field_error("work_start")


def _cells(path) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not isinstance(value, (_dt.date, _dt.datetime)), f"{path.name}: a date cell {value}"
                if isinstance(value, str):
                    out.append(value)
    return out


def test_practice_workbooks_write_one_format(demo_sample, tmp_path):
    """核查对单, 人才库, 关爱, 联络 and 监督 workbooks and the statistics: dates as text, one format."""
    from reports.excel import excel_stats, practices_workbooks

    paths = []
    for name in ("checkups", "pools", "care", "liaisons", "supervision"):
        paths.append(tmp_path / f"{name}.xlsx")
        getattr(practices_workbooks, f"export_{name}")(paths[-1], reason="测试")
    paths.append(tmp_path / "stats.xlsx")
    excel_stats.export_stats(paths[-1], reason="测试")
    texts = [t for path in paths for t in _cells(path)]
    assert sum(bool(GOOD.search(t)) for t in texts) > 20
    problems = [(t, bad_dates(t)) for t in texts if bad_dates(t)]
    assert not problems[:10]


def test_workbooks_write_one_format(demo_sample, tmp_path):
    from cadre_desk.domain.fields import FIELDS as PROFILE
    from reports.excel import excel_roster, excel_workbooks

    paths = [tmp_path / name for name in ("roster.xlsx", "postings.xlsx", "pairs.xlsx", "ranking.xlsx")]
    excel_roster.export_roster(paths[0], keys=[spec.key for spec in PROFILE], reason="测试")
    excel_workbooks.export_postings(paths[1], reason="测试")
    excel_workbooks.export_mentoring(paths[2], reason="测试")
    excel_workbooks.export_appraisal(paths[3], reason="测试")
    texts = [t for path in paths for t in _cells(path)]
    assert "1986.05" in texts and "2001.08；民建" in texts and "2024.05.20" in texts
    assert sum(bool(GOOD.search(t)) for t in texts) > 100  # the demo's postings and pairs have dates too
    problems = [(t, bad_dates(t)) for t in texts if bad_dates(t)]
    assert not problems[:10]


def test_the_glyph_check_names_fields_in_one_format(demo_sample):
    """A character the font lacks is reported by where it is (王某 · 谈心谈话（2024.03.15）, 实绩档案（周小结
    2026年第25周）), never as stored (20240315, 2026-W25)."""
    from cadre_desk.care import talks
    from reports.pdf.dossier_data import gather, text_fields

    cadre_ids = list(dict.fromkeys(talk.cadre_id for talk in talks.list_talks()))[:5]
    labels = [where for cadre_id in cadre_ids for where, _text in text_fields(gather(cadre_id))]
    talked = [where for where in labels if "谈心谈话（" in where]
    assert talked and all(GOOD.search(where) for where in talked), talked[:3]
    assert not [(where, bad_dates(where)) for where in labels if bad_dates(where)][:5]


@pytest.mark.parametrize("kind", ["dossier", "rmb"])
def test_pdfs_print_one_format(demo_sample, tmp_path, kind):
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch

    ids = [demo_sample.id] + [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(8)]
    out = tmp_path / f"{kind}.pdf"
    batch.build_dossiers(ids, out_path=out, kind=kind, reason="测试")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "1986.05" in text and "2004.09" in text
    problems = sorted({p for line in text.splitlines() for p in bad_dates(line)})
    assert not problems


def test_lrmx_keeps_what_the_official_editor_expects(sample):
    from cadre_desk.exchange.lrmx_format import to_xml

    xml = to_xml(sample).decode("utf-8-sig")
    assert "<ChuShengNianYue>198605</ChuShengNianYue>" in xml
    assert "<ChuShengRiQi>19870315</ChuShengRiQi>" in xml
    assert "2004.09--2008.07  某大学学习" in xml


def _display_texts(model, parent=None, depth: int = 0, cap: int = 300):
    """Every DisplayRole value of ``model`` (the first ``cap`` rows of each level, two levels deep)."""
    from PySide6.QtCore import QAbstractListModel, QModelIndex

    parent = parent or QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)  # a list's is private
    for row in range(min(model.rowCount(parent), cap)):
        for column in range(columns):
            index = model.index(row, column, parent)
            yield model.data(index)
            if depth < 1 and column == 0 and columns > 1 and model.rowCount(index):
                yield from _display_texts(model, index, depth + 1, cap)


def test_every_page_shows_dates_in_one_format(qtbot, demo_sample, db_path):
    """Every page and tab of the window, its tables walked cell by cell with the fixed clock: no cell
    hands Qt a date object (Qt writes it in its locale format, 2024/3/15) and no text writes a date
    otherwise than 1986.05 / 2024.03.15; the status bar likewise."""
    from PySide6.QtCore import QDate, QDateTime
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QTabWidget

    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    context = AppContext(db_path)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: context.index is not None, timeout=10000)
    objects, problems, good = [], [], 0
    for spec in window.visible_modules():
        page = window.show_module(spec.key)
        for tabs in page.findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                context.tasks.wait_all(10000)
                QApplication.processEvents()
        context.tasks.wait_all(10000)
        QApplication.processEvents()
        for view in page.findChildren(QAbstractItemView):
            if view.model() is None:
                continue
            for value in _display_texts(view.model()):
                if isinstance(value, (_dt.date, QDate, QDateTime)):
                    objects.append((spec.key, type(view).__name__, value))
                elif isinstance(value, str):
                    good += bool(GOOD.search(value))
                    problems += [(spec.key, value[:60], p) for p in bad_dates(value)]
        if spec.key == "audit":  # the detail of each row: its changed values
            for row in range(page.model.rowCount()):
                page.table.setCurrentIndex(page.model.index(row, 0))
                problems += [(spec.key, "详情", p) for p in bad_dates(page.detail.toPlainText())]
        for label in page.findChildren(QLabel):
            problems += [(spec.key, label.text()[:60], p) for p in bad_dates(label.text())]
        for edit in page.findChildren(QLineEdit):
            problems += [(spec.key, edit.text()[:60], p) for p in bad_dates(edit.text())]
        problems += [(spec.key, "状态栏", p) for p in bad_dates(window.statusBar().currentMessage())]
    context.tasks.wait_all(10000)
    assert not objects[:10]
    assert not sorted({(k, p) for k, _t, p in problems})
    assert good > 100


def test_no_screen_or_workbook_formats_dates_its_own_way():
    """Source scan: Qt's date editors and formats (QDateEdit showed 2024-02-14, a QDate cell 2024/3/15)
    only inside the one date widget; no workbook cell with a date number format (its cells are text)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    qt_dates = re.compile(r"\bQDate(?:Time)?Edit\b|\bsetDisplayFormat\(|\bQDateTime\b|\.toString\(\s*[\"'][^\"']*[yMd]")
    excel_dates = re.compile(r"number_format\s*=\s*[\"'][^\"']*(?:yy|dd|m[-/]d|d[-/]m)", re.IGNORECASE)
    found = []
    for path in [*root.glob("ui/**/*.py"), *root.glob("reports/**/*.py")]:
        if path.relative_to(root).as_posix() in ("ui/widgets/date_edit.py", "ui/shell/fit_check.py"):
            continue  # the one date widget; the fit check names widget classes
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if qt_dates.search(line) or excel_dates.search(line):
                found.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert not found


# Date texts made by hand instead of by cadre_desk.domain.dates (format_date, format_month, format_period):
HAND_MADE = {
    # 1986.05.12生 where a month was meant, or a slice per caller: format_month
    "a month sliced before format_date": re.compile(r"format_date\(.*\[:6\]\)"),
    "stored digits joined by hand": re.compile(r"\[:4\]\}\s*[.\-/年]\s*\{[^}]*\[4:6\]"),
    "year and month joined by hand": re.compile(r"\{[^{}]*\byear\b[^{}]*\}\s*[.\-/年]\s*\{[^{}]*\bmonth\b"),
    "strftime with separators": re.compile(r"%Y\s*[.\-/年]|%m\s*[.\-/月]\s*%d"),
    # f"谈心谈话（{talk.date}）" wrote 20260609, f"（{record.period}）" 2026-W25
    "a stored date or period written as stored": re.compile(
        r"\{[\w.]*\.(?:date|period|start|end|birth|work_start|planned_end|actual_end|joined_on|issued_on|checked_on"
        r"|due|since)\}|\{\w+\[[\"'](?:date|period|start|end|birth|work_start|planned_end|actual_end|party)[\"']\]\}"),
}
DATE_MODULES = ("cadre_desk/domain/dates.py", "cadre_desk/domain/periods.py")  # the formatters; period codes


def test_no_date_text_is_made_by_hand():
    """Source scan: no screen, workbook, PDF or message writes a date from its pieces (f"{b[:4]}.{b[4:6]}",
    f"{d.year}.{d.month:02d}", strftime("%Y.%m")) or slices a month off before format_date: a 出生年月 stored
    with its day read 1986.05.12生 where a month is meant (format_month says it once)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in [*root.glob("ui/**/*.py"), *root.glob("reports/**/*.py"), *root.glob("cadre_desk/**/*.py")]:
        if path.relative_to(root).as_posix() in DATE_MODULES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(root)}:{n}: {why}: {line.strip()}" for why, rx in HAND_MADE.items()
                      if rx.search(line)]
    assert not found


def test_the_audit_detail_writes_changed_dates_in_one_format():
    """A changed 一线锻炼 start, 谈话记录 date, 帮带 planned end or a 考核表 period read "20240315",
    "202403", "2026-Q2" in the 审计日志's detail: they are written as every screen writes them."""
    from cadre_desk.security.audit_changes import change_line

    lines = [change_line("一线锻炼", "start", ["20240315", "20240401"]),
             change_line("谈话记录", "date", ["20240315", None]),
             change_line("导师帮带", "planned_end", ["202403", "202405"]),
             change_line("核查对单", "checked_on", "20240315"),
             change_line("考核表", "period", ["2026-Q2", "2026-Q3"]),
             change_line("干部", "family", [[{"relation": "妻子", "birth": "198703"}], []])]
    text = "\n".join(lines)
    for shown in ("2024.03.15", "2024.04.01", "2024.03", "2024.05", "2026年第2季度", "1987.03"):
        assert shown in text
    assert not bad_dates(text), text
    assert "110101198605031234" in change_line("干部", "id_number", ["110101198605031234", ""])
