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


def test_a_clerk_is_told_of_posts_not_full_only_where_their_units_host_them(home_world):
    """The posts are shared by the city (a post names its 承接单位 in words): a clerk of 市财政局 is told
    that the posts 市财政局 hosts are not full — named by its 简称 or by the end of its 全称 — and nothing of
    the 柳林乡 post or of the one 市税务局 hosts; the administrator is told of every one."""
    from cadre_desk.postings import frontline_posts, posting_data
    lines = {line.name: line for line in frontline_posts.list_lines()}
    for name, host in (("财政专班", "市财政局"), ("预算专班", "财政局"), ("税务专班", "市税务局")):
        frontline_posts.save_post(posting_data.PostInput(line_id=lines["重大项目建设"].id, name=name,
                                                         host_type="专班", host_name=host, capacity=2))

    def not_full() -> set[str]:
        return {r.text.split("”")[0].split("/")[-1] for r in reminders.collect() if "未满员" in r.text}

    assert not_full() == {"柳林乡驻村工作队", "长三角招商小分队", "财政专班", "预算专班", "税务专班"}
    with acting_as(ROLE_CLERK, units=(home_world["finance"].id,)):
        assert not_full() == {"财政专班", "预算专班"}
    with acting_as(ROLE_CLERK, units=(home_world["tax"].id,)):
        assert not_full() == {"税务专班"}


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


def test_the_home_sheet_prints_as_a_meeting_handout(home_world, tmp_path):
    """The 工作台 sheet printed upright with its charts beside the tables, shrunk to ~64 %, and its title
    rows on every page (``ws.print_title_rows = None`` is no change in openpyxl): now landscape, one page
    wide, no rows repeated, and a page break before a chart and its table rather than through them."""
    import openpyxl

    from reports.excel import excel_stats

    out = tmp_path / "统计表.xlsx"
    excel_stats.export_stats(out, reason="测试")
    ws = openpyxl.load_workbook(out)["工作台"]
    assert ws.print_title_rows is None
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert not ws.page_setup.fitToHeight
    breaks = [b.id for b in ws.row_breaks.brk]  # a break after row id
    blocks = [c.anchor._from.row + 1 for c in ws._charts]  # each chart's first row: its table's title
    assert all(b + 1 in blocks for b in breaks), (breaks, blocks)
    # the first page holds the title, the counts and at least the first chart; no more than four pages
    assert not breaks or breaks[0] >= blocks[0] and len(breaks) <= 3


def test_a_clerks_statistics_workbook_lists_only_the_units_in_their_charge(home_world, tmp_path):
    """The 单位 sheet of a clerk of 市财政局: its own row, not every other unit of the city with a 0 (nor
    their count in 总览)."""
    import openpyxl

    from reports.excel import excel_stats

    out = tmp_path / "统计表.xlsx"
    with acting_as(ROLE_CLERK, units=(home_world["finance"].id,)):
        excel_stats.export_stats(out, reason="测试")
    wb = openpyxl.load_workbook(out)
    rows = [row for row in wb[excel_stats.UNIT_SHEET].iter_rows(min_row=3, max_col=2, values_only=True) if row[0]]
    assert rows == [("市财政局", 3), ("合计", 3)]
    assert "按单位：1 类" in [row[0] for row in wb["总览"].iter_rows(max_col=1, values_only=True)]


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
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # every font embedded
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "中共测试市委组织部" in text  # the department's name from the settings
    for label in ("干部工作台", "在职干部", "到期未鉴定", "年龄结构", "学历结构", "性别", "一线在岗（按战线）",
                  "一线在岗（按承接单位）", "提醒汇总", "本周到期", "合计", "最紧要的提醒", "已逾期",
                  "第1页共1页"):  # pdftotext drops the spaces around the numbers
        assert label in text, label
    assert getpass.getuser() not in text.replace("组织部", "")
    printed = [e for e in audit.entries() if e.entity == "工作台"]
    assert printed and printed[-1].reason == "部务会"


def test_the_command_line_prints_the_home_sheet_and_strict_refuses_missing_glyphs(home_world, db_path, tmp_path,
                                                                                  capsys):
    """``home-pdf OUT.pdf``: as the window's 打印工作台 (the audit line with its reason); with --strict a
    character the font lacks leaves no file and no audit line."""
    from cadre_desk.__main__ import main
    from cadre_desk.security import audit
    from cadre_desk.settings import settings

    if not db_path.exists():
        pytest.skip("the database is on the test server")
    settings.set_department("中共测试市委组织部", "市委组织部", "测试市")
    out = tmp_path / "工作台.pdf"
    assert main(["--db", str(db_path), "home-pdf", str(out), "--reason", "部务会"]) == 0
    assert out.exists() and f"已生成工作台 PDF → {out}" in capsys.readouterr().out
    printed = len([e for e in audit.entries() if e.entity == "工作台"])
    assert printed and [e for e in audit.entries() if e.entity == "工作台"][-1].reason == "部务会"
    settings.set_department("中共测试市委组织部\U00031350", "市委组织部", "测试市")
    strict = tmp_path / "strict.pdf"
    assert main(["--db", str(db_path), "home-pdf", str(strict), "--strict"]) == 3
    assert not strict.exists() and "U+31350" in capsys.readouterr().err
    assert len([e for e in audit.entries() if e.entity == "工作台"]) == printed


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


def _font_sizes(path) -> list[float]:
    """The size of every piece of text on the PDF's pages, as printed (the text matrix applied)."""
    from pypdf import PdfReader

    sizes = []

    def size_of(text, cm, tm, font, font_size):
        if text.strip():
            a, b, c, d = (cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1],
                          cm[0] * tm[2] + cm[2] * tm[3], cm[1] * tm[2] + cm[3] * tm[3])
            sizes.append(font_size * abs(a * d - b * c) ** 0.5)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=size_of)
    return sizes


def _many(n: int) -> list[Reminder]:
    """``n`` reminders of four categories: every third overdue, the others due this week, this month,
    later or never, with a text as long as the real ones."""
    text = "在龙潭乡驻村工作队的选派将于近期期满，请及时安排期满鉴定"
    days = (-30, 1, 12, 90, None)
    categories = ("一线锻炼", "导师帮带", "实绩档案", "谈心谈话")
    out = []
    for i in range(n):
        day = days[0] if i % 3 == 0 else days[1 + i % 4]
        out.append(Reminder(categories[i % 4], f"张{i:04d}{text}", level="warning",
                            due="" if day is None else _day(day)))
    return out


def _print_with(monkeypatch, tmp_path, items, figures=None):
    """The 工作台 PDF of ``items`` (and of ``figures`` instead of the database's): (path, its text)."""
    import subprocess

    from reports.pdf import home_sheet

    monkeypatch.setattr(reminders, "collect", lambda today, names=None: reminders.by_urgency(items, today))
    if figures is not None:
        monkeypatch.setattr(overview, "overview", lambda today=None: figures)
    out = tmp_path / "工作台.pdf"
    assert home_sheet.export_home_pdf(out, reason="部务会").missing == ()
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return out, text


@pytest.mark.parametrize("n", [0, 5, 60, 5000])
def test_the_meeting_sheet_is_one_page_at_full_type_size_whatever_the_reminders(home_world, tmp_path, monkeypatch, n):
    """60 reminders spilled onto a second page (the first had the charts and three of them): now one page,
    nothing printed below 8.5 pt; the most urgent that fit (overdue first), a line counting the rest."""
    import re
    import subprocess

    from pypdf import PdfReader

    items = reminders.by_urgency(_many(n))
    out, text = _print_with(monkeypatch, tmp_path, items)
    assert len(PdfReader(out).pages) == 1
    sizes = _font_sizes(out)
    assert sizes and min(sizes) >= 8.5, min(sizes)
    shown = re.findall(r"张(\d{4})", text)
    assert shown == [r.text[1:5] for r in items[:len(shown)]]  # the most urgent, in order
    overdue = [r for r in items if reminders.urgency(r) == reminders.OVERDUE]
    assert [r.text[1:5] for r in overdue[:len(shown)]] == shown[:len(overdue)]  # overdue first
    flat = text.replace(" ", "")
    if len(shown) < n:
        assert n >= 60 and len(shown) >= 8  # a meeting still sees a good part of them
        rest = items[len(shown):]
        late = sum(1 for r in rest if reminders.urgency(r) == reminders.OVERDUE)
        assert f"另有{len(rest):,}条提醒（其中已逾期{late:,}条），见系统“工作台”。" in flat
    else:
        assert "另有" not in flat
    if not n:
        assert "工作提醒：暂无" in flat and "提醒汇总" not in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in fonts.strip().splitlines()[2:]), fonts


def test_a_very_long_reminder_takes_two_lines_and_leaves_room_for_the_others(home_world, tmp_path, monkeypatch):
    import re

    from pypdf import PdfReader

    long = Reminder("一线锻炼", "甲" + "很长的提醒内容" * 300, level="warning", due=_day(-40))
    out, text = _print_with(monkeypatch, tmp_path, reminders.by_urgency([long, *_many(40)]))
    assert len(PdfReader(out).pages) == 1
    flat = text.replace(" ", "")
    assert "甲很长的提醒内容" in flat and "…" in flat and flat.count("很长的提醒内容") < 20
    assert len(re.findall(r"张(\d{4})", text)) >= 8


def test_the_reminder_summary_counts_each_category_by_urgency(home_world, tmp_path, monkeypatch):
    """提醒汇总: a row per 类别 (those with most overdue first) and a 合计 row; the columns 已逾期, 本周到期,
    本月到期, 以后及无期限 and 合计, each the number of the reminders of that kind."""
    import re

    from reports.pdf import home_sheet

    items = reminders.by_urgency(_many(300))
    expected = {}
    for r in items:
        level = reminders.urgency(r)
        column = min(3, reminders.URGENCIES.index(level))  # 以后 and 无期限 share the last column
        row = expected.setdefault(r.category, [0, 0, 0, 0])
        row[column] += 1
    rows = home_sheet.summary(items, clock.today())
    assert [name for name, _ in rows][-1] == "合计"
    assert {name: numbers for name, numbers in rows[:-1]} == {c: [*v, sum(v)] for c, v in expected.items()}
    assert rows[-1][1] == [sum(v[i] for v in expected.values()) for i in range(4)] + [300]
    assert [numbers[0] for _, numbers in rows[:-1]] == sorted((v[0] for v in expected.values()), reverse=True)
    _, text = _print_with(monkeypatch, tmp_path, items)
    printed = {}
    for line in text.splitlines():
        cells = line.split()
        if len(cells) == 6 and not cells[0][0].isdigit() and all(re.fullmatch(r"[\d,]+", c) for c in cells[1:]):
            printed[cells[0]] = [int(c.replace(",", "")) for c in cells[1:]]
    assert printed == dict(rows)


def test_many_categories_make_one_row_of_the_rest():
    from reports.pdf import home_sheet

    items = [Reminder(f"类别{i:02d}", "事", due="" if i % 2 else "20200101") for i in range(20)]
    rows = dict(home_sheet.summary(items, clock.today()))
    assert len(rows) == home_sheet.CATEGORIES_AT_MOST + 1 and rows["其他 11 类"][-1] == 11
    assert rows["合计"] == [10, 0, 0, 10, 20]


def test_long_host_names_and_a_hundred_thousand_cadres_still_fit(home_world, tmp_path, monkeypatch):
    """50 host units with long names (the chart's 其他 N 个承接单位 kept), six-digit counts: the page
    stays one, its labels cut in the middle so that each still says which unit it is."""
    import dataclasses

    from pypdf import PdfReader

    from reports.pdf import home_sheet
    from reports.pdf.pdf_common import register_fonts

    figures = overview.overview()
    counties = "临江县 青川县 西城区 东湖区 白沙县 龙潭县 高新区 云江市 北山县".split()
    hosts = tuple((f"驻村工作队·{county}白沙乡人民政府乡村振兴产业发展服务中心第{i}工作组", 9000 - i)
                  for i, county in enumerate(counties)) + (("其他 41 个承接单位", 12345),)
    charts = tuple(dataclasses.replace(c, items=hosts if c.key == "host" else tuple((k, v * 20011) for k, v in c.items))
                   for c in figures.charts)
    big = dataclasses.replace(figures, charts=charts)
    out, text = _print_with(monkeypatch, tmp_path, reminders.by_urgency(_many(5000)), big)
    assert len(PdfReader(out).pages) == 1 and min(_font_sizes(out)) >= 8.5
    flat = text.replace(" ", "")
    assert "其他41个承接单位" in flat
    register_fonts()
    room = home_sheet.WIDTH / 2 * home_sheet.LABEL_SHARE  # the host chart: half the page wide
    labels = [home_sheet.clipped(name, room) for name, _ in hosts]
    assert len(set(labels)) == len(labels) and all(home_sheet.pdf_width(label) <= room for label in labels)
    assert labels[0].startswith("临江县") and labels[0].endswith("0工作组") and "…" in labels[0]
    assert all(label in flat for label in labels[:9])


def test_one_function_fits_a_text_to_a_width_cut_at_its_end_or_in_its_middle():
    """``fitted`` serves the reminders (cut at the end) and the chart names (cut in the middle); the
    reminders that fit are measured through reportlab's public Table.wrap, not its private row heights."""
    import inspect

    from reports.pdf import home_sheet
    from reports.pdf.pdf_common import register_fonts

    register_fonts()
    text = "云江市白沙乡人民政府乡村振兴产业发展服务中心第十二工作组"
    size = home_sheet.SMALLEST
    room = home_sheet.pdf_width(text, size) / 2
    end, middle = home_sheet.fitted(text, room, size), home_sheet.fitted(text, room, size, keep_end=True)
    assert end.endswith("…") and text.startswith(end[:-1]) and home_sheet.pdf_width(end, size) <= room
    assert home_sheet.pdf_width(text[:len(end)] + "…", size) > room  # one more character would not fit
    head, tail = middle.split("…")
    assert text.startswith(head) and text.endswith(tail) and home_sheet.pdf_width(middle, size) <= room
    assert len(head) > len(tail) > 0  # three parts of the start to two of the end
    assert home_sheet.fitted(text, room * 3, size) == text == home_sheet.fitted(text, room * 3, size, keep_end=True)
    source = inspect.getsource(home_sheet)
    assert "_rowHeights" not in source and "def shortened" not in source
