"""工作台 in the core and in its documents: each reminder rule on a fixed clock, the urgency order, the
counts and charts within the operator's scope, the statistics workbook's 工作台 sheet (native charts)
and the one-page PDF."""

from __future__ import annotations

import datetime as _dt

import pytest

from cadre_desk.access.roles import ROLE_CLERK
from cadre_desk.domain import clock
from cadre_desk.home import overview, reminders
from cadre_desk.home.reminders import Reminder
from tests.conftest import acting_as

WEDNESDAY = _dt.date(2026, 6, 10)


def _day(days: int) -> str:
    return (clock.today() + _dt.timedelta(days=days)).strftime("%Y%m%d")


# ---- urgency ---------------------------------------------------------------------------------------


def test_urgency_by_the_calendar_on_a_fixed_day():
    clock.set_now(WEDNESDAY)  # reset by the clock fixture after the test

    def level(due: str) -> str:
        return reminders.urgency(Reminder("类", "事", due=due))

    assert level("20260609") == reminders.OVERDUE
    assert level("202605") == reminders.OVERDUE  # a month counts as its first day
    assert level("20260610") == level("20260614") == reminders.THIS_WEEK  # today to Sunday
    assert level("20260615") == level("20260630") == reminders.THIS_MONTH
    assert level("20260701") == reminders.LATER
    assert level("") == reminders.UNDATED
    assert reminders.days_overdue(Reminder("类", "事", due="20260531")) == 10
    assert reminders.days_overdue(Reminder("类", "事", due="20260611")) == 0
    assert reminders.period_end("week", WEDNESDAY) == _dt.date(2026, 6, 14)
    assert reminders.period_end("quarter", WEDNESDAY) == _dt.date(2026, 6, 30)
    assert reminders.period_end("month", _dt.date(2026, 12, 3)) == _dt.date(2026, 12, 31)
    assert reminders.period_end("year", WEDNESDAY) == _dt.date(2026, 12, 31)
    items = [Reminder("类", "事", due=due) for due in ("20260609", "202605", "20260614", "20260630", "20260701", "")]
    assert reminders.count_by_urgency(items) == {reminders.OVERDUE: 2, reminders.THIS_WEEK: 1,
                                                 reminders.THIS_MONTH: 1, reminders.LATER: 1, reminders.UNDATED: 1}
    clock.set_now(_dt.date(2026, 7, 2))  # another day: the calendar is worked out again
    assert reminders.urgency(Reminder("类", "事", due="20260701")) == reminders.OVERDUE


def test_collect_puts_the_most_urgent_first(db, monkeypatch):
    clock.set_now(WEDNESDAY)
    items = [Reminder("乙", "以后", due="20260720"), Reminder("甲", "无期限"),
             Reminder("甲", "本月", due="20260620"), Reminder("甲", "逾期两天", due="20260608"),
             Reminder("甲", "本周", due="20260612"), Reminder("甲", "逾期十天", due="20260531"),
             Reminder("乙", "逾期两天·警示", level="warning", due="20260608")]
    monkeypatch.setattr(reminders, "PROVIDERS", [lambda: items])
    assert [r.text for r in reminders.collect()] == ["逾期十天", "逾期两天·警示", "逾期两天", "本周", "本月", "以后",
                                                     "无期限"]


def test_a_reminder_opens_its_record_or_its_cadre():
    assert Reminder("类", "事", 7).opens == ("cadre", 7)
    assert Reminder("类", "事", 7, record=reminders.POSTING, record_id=3).opens == ("posting", 3)
    assert Reminder("类", "事").opens is None


# ---- a small world (tests/conftest.py: home_world) ---------------------------------------------------


def _by_text(items, *words):
    return next(r for r in items if all(w in r.text for w in words))


def test_each_reminder_rule_names_its_day_and_its_record(home_world):
    from cadre_desk.mentoring import mentoring_settings

    items = reminders.collect()
    soon = _by_text(items, "钱一", "将于")
    assert (soon.due, soon.opens, soon.level) == (home_world["soon"].planned_end, ("posting", home_world["soon"].id), "info")
    assert reminders.urgency(soon) in (reminders.THIS_WEEK, reminders.THIS_MONTH, reminders.LATER)
    late = _by_text(items, "孙一", "仍为在岗")
    assert (late.due, late.opens, late.level) == (home_world["late"].planned_end, ("posting", home_world["late"].id), "warning")
    assert reminders.urgency(late) == reminders.OVERDUE and reminders.days_overdue(late) == 5
    unappraised = _by_text(items, "孙二", "期满鉴定尚缺派出单位、锻炼单位意见")
    assert unappraised.due == _day(-20) and unappraised.opens == ("posting", home_world["done"].id)
    assert reminders.days_overdue(unappraised) == 20
    not_full = _by_text(items, "柳林乡驻村工作队", "未满员")
    assert not_full.opens == ("post", home_world["village"].id) and reminders.urgency(not_full) == reminders.UNDATED
    idle = _by_text(items, "钱二", "没有谈话记录")
    limit = mentoring_settings.idle_days()
    assert idle.due == _day(-45 + limit) and idle.opens == ("pair", home_world["pair"].id)
    assert reminders.urgency(idle) == reminders.OVERDUE
    missing = _by_text(items, "月上报未填写")
    assert missing.due == reminders.month_end(clock.today()).strftime("%Y%m%d")
    # overdue first: the oldest due day leads
    levels = [reminders.urgency(r) for r in items]
    assert levels == sorted(levels, key=reminders.URGENCIES.index)
    assert items[0] is unappraised or reminders.days_overdue(items[0]) >= 20


def test_over_staffing_is_a_reminder_of_its_unit_only(home_world):
    from cadre_desk.units import staffing, units

    finance = home_world["finance"]
    staffing.set_approved(finance.id, {"0141": 1}, units.get_unit(finance.id).version)  # 钱三 (0131) is over
    over = [r for r in reminders.collect() if r.category == "职数"]
    assert over and over[0].opens == ("unit", finance.id) and over[0].unit_id == finance.id
    with acting_as(ROLE_CLERK, units=(home_world["tax"].id,)):
        assert [r for r in reminders.collect() if r.category == "职数"] == []
    with acting_as(ROLE_CLERK, units=(finance.id,)):
        assert [r.unit_id for r in reminders.collect() if r.category == "职数"] == [finance.id]


def test_counts_and_charts(home_world):
    figures = overview.overview()
    assert {f.key: f.value for f in figures.counts} == {
        "serving": 5, "on_post": 2, "mentoring": 1, "quarter_due": 2, "unappraised": 2}
    assert [f.label for f in figures.counts] == ["在职干部", "一线在岗", "帮带进行中", "本季度待考核", "到期未鉴定"]
    assert dict(figures.chart("age").items) == {"30岁及以下": 2, "31—35岁": 1, "41—45岁": 1, "51—55岁": 1}
    assert dict(figures.chart("education").items) == {"研究生": 1, "大学本科": 3, "大专": 1}
    assert dict(figures.chart("gender").items) == {"男": 3, "女": 2}
    assert figures.chart("line").items == (("重大项目建设", 0), ("招商引资", 0), ("乡村振兴", 2), ("信访维稳", 0),
                                           ("社区服务", 0))
    assert figures.chart("host").items == (("驻村工作队·柳林乡", 2),)
    assert figures.scope_text == "全部单位" and figures.day == clock.today_yyyymmdd()
    assert [c.kind for c in figures.charts] == ["column", "pie", "pie", "column", "bar"]


def test_a_clerk_of_one_unit_sees_only_its_cadres(home_world):
    people = home_world["people"]
    with acting_as(ROLE_CLERK, units=(home_world["finance"].id,)):
        figures = overview.overview()
        assert {f.key: f.value for f in figures.counts} == {
            "serving": 3, "on_post": 1, "mentoring": 1, "quarter_due": 1, "unappraised": 0}
        assert dict(figures.chart("gender").items) == {"男": 2, "女": 1}
        assert figures.chart("host").items == (("驻村工作队·柳林乡", 1),)
        assert figures.scope_text == "市财政局（含下属单位）"
        named = {r.cadre_id for r in reminders.collect() if r.cadre_id is not None}
        assert named and named <= {people["钱一"], people["钱二"], people["钱三"]}
    with acting_as(ROLE_CLERK, units=(home_world["tax"].id,)):
        figures = overview.overview()
        assert figures.count("serving") == 2 and figures.count("unappraised") == 2 and figures.count("mentoring") == 0


def test_nothing_for_an_operator_who_may_not_read_cadres(home_world):
    from cadre_desk.access.roles import ROLE_ADMIN
    from cadre_desk.domain.errors import PermissionDenied

    with acting_as(ROLE_ADMIN):
        assert reminders.collect() == []
        with pytest.raises(PermissionDenied):
            overview.overview()


# ---- the workbook and the PDF ------------------------------------------------------------------------


def test_statistics_workbook_has_the_home_figures_with_native_charts(home_world, tmp_path):
    import openpyxl

    from reports.excel import excel_stats

    out = tmp_path / "统计表.xlsx"
    excel_stats.export_stats(out, reason="测试")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "工作台"
    ws = wb["工作台"]
    labels, numbers = (list(row) for row in ws.iter_rows(min_row=4, max_row=5, max_col=5, values_only=True))
    figures = overview.overview()
    assert dict(zip(labels, numbers, strict=True)) == {f.label: f.value for f in figures.counts}
    values = {row[0]: row[1] for row in ws.iter_rows(min_row=6, max_col=2, values_only=True) if row[0]}
    assert values["驻村工作队·柳林乡"] == 2 and values["女"] == 2
    charts = [(c.tagname, c.title.tx.rich.p[0].r[0].t) for c in ws._charts]
    assert charts == [("barChart", "年龄结构"), ("pieChart", "学历结构"), ("pieChart", "性别"),
                      ("barChart", "一线在岗（按战线）"), ("barChart", "一线在岗（按承接单位）")]
    # counts of a few cadres: axes in whole numbers (Excel's own steps would be 0.2, 0.4 …)
    bars = [c for sheet in wb.worksheets for c in sheet._charts if c.tagname == "barChart"]
    assert len(bars) > 3 and all(c.y_axis.majorUnit == int(c.y_axis.majorUnit) >= 1 for c in bars)
    assert ws.page_setup.paperSize == 9  # A4


def test_one_page_pdf_for_a_meeting(home_world, tmp_path):
    import getpass
    import re
    import subprocess

    from cadre_desk.security import audit
    from cadre_desk.settings import settings
    from reports.pdf import home_sheet

    settings.set_department("中共测试市委组织部", "市委组织部", "测试市")
    out = tmp_path / "工作台.pdf"
    result = home_sheet.export_home_pdf(out, reason="部务会")
    assert result.path == out and result.missing == ()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+[12]$", info, re.M), info  # one sheet: reminders past the first page on its back
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # every font embedded
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "中共测试市委组织部" in text  # the department's name from the settings
    for label in ("干部工作台", "在职干部", "到期未鉴定", "年龄结构", "学历结构", "一线在岗（按承接单位）", "最紧要的提醒",
                  "已逾期", "第1页共"):  # pdftotext drops the spaces around the numbers
        assert label in text, label
    assert getpass.getuser() not in text.replace("组织部", "")
    printed = [e for e in audit.entries() if e.entity == "工作台"]
    assert printed and printed[-1].reason == "部务会"


def test_a_count_axis_of_the_pdf_is_marked_in_whole_numbers():
    """A clerk's unit with one cadre on a line: reportlab's own step (0.2) was labelled 0 0 0 0 1."""
    from cadre_desk.home import overview
    from cadre_desk.home.overview import Chart
    from reports.pdf import home_sheet
    from reports.pdf.pdf_common import register_fonts

    register_fonts()
    assert [overview.count_step(top) for top in (1.18, 4.7, 5.9, 16.5, 118, 1180)] == [1, 1, 2, 5, 50, 500]
    for top in (1, 2, 3, 14, 92, 4000):
        chart = Chart("lines", "一线在岗（按战线）", "战线", "bar", (("社区服务", top), ("乡村振兴", 0)))
        bars = home_sheet.bar_drawing(chart, 200, 120).contents[-1]
        step = bars.valueAxis.valueStep
        assert step == int(step) >= 1 and bars.valueAxis.valueMax / step <= 5, top


def test_many_reminders_keep_the_type_size_and_the_rest_are_counted(home_world, tmp_path, monkeypatch):
    """60 reminders: the page was shrunk to fit them all (type ~6 pt). Now the most urgent (overdue first)
    print at full size, on the first page and one more, and a line counts the ones left out."""
    import re
    import subprocess

    from pypdf import PdfReader

    from cadre_desk.home import reminders as home_reminders
    from reports.pdf import home_sheet

    text = "在龙潭乡驻村工作队的选派将于近期期满，请及时安排期满鉴定并报送鉴定材料"
    items = [home_reminders.Reminder("一线锻炼", f"张三{i:02d}{text}", level="warning",
                                     due="20261230" if i % 3 else "20260101") for i in range(60)]
    monkeypatch.setattr(home_reminders, "collect",
                        lambda today, names=None: home_reminders.by_urgency(items, today))
    out = tmp_path / "工作台.pdf"
    assert home_sheet.export_home_pdf(out, reason="部务会").missing == ()
    pages = PdfReader(out).pages
    sizes = []

    def size_of(text, cm, tm, font, font_size):
        if text.strip() and "张三" in text:
            a, b, c, d = (cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1],
                          cm[0] * tm[2] + cm[2] * tm[3], cm[1] * tm[2] + cm[3] * tm[3])
            sizes.append(font_size * abs(a * d - b * c) ** 0.5)

    for page in pages:
        page.extract_text(visitor_text=size_of)
    assert sizes and min(sizes) >= 9, min(sizes)
    assert len(pages) == 2
    printed = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                             check=True).stdout
    shown = re.findall(r"张三(\d\d)", printed)
    overdue = [f"{i:02d}" for i in range(0, 60, 3)]
    assert set(overdue) <= set(shown)  # every overdue one printed, first
    assert shown[:len(overdue)] == overdue
    assert f"另有{60 - len(shown)}条提醒，见系统" in printed.replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.strip().splitlines()[2:]), fonts
