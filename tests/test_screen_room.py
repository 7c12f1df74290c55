"""What a clerk sees on the usual office screen (1366×768, the window maximised above the taskbar):
the working tables get the height, the longest reminder is read without hovering."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")


def _window(qtbot, db_path):
    """The main window as on a 1366×768 screen, settings fresh (no remembered sizes)."""
    from ui.shell.context import AppContext
    from ui.shell.fit_check import USABLE
    from ui.shell.main_window import MainWindow

    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    window.resize(USABLE)
    window.show()
    qtbot.waitUntil(lambda: window.page("home") is not None, timeout=5000)
    return window


def _rows_shown(table) -> int:
    """Whole rows the table's viewport has room for."""
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def _postings_page(qtbot, window):
    page = window.show_module("postings")
    qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)
    qtbot.wait(50)
    return page


def test_postings_table_shows_fifteen_rows_at_1366x768(qtbot, demo_db, db_path, office_look):
    window = _window(qtbot, db_path)
    page = _postings_page(qtbot, window)
    assert page.model.rowCount() >= 15
    assert page.table.rowAt(page.table.viewport().height() - 1) in (-1, *range(14, page.model.rowCount()))
    assert _rows_shown(page.table) >= 15
    # with 10 px to spare: at 1 px (391 for 390) a slightly larger font showed 14 rows
    assert page.table.viewport().height() >= 15 * page.table.verticalHeader().defaultSectionSize() + 10
    # the posting's detail a few lines under it, the reminders' tab beside it says how many there are
    assert page.detail.isVisible() and page.detail.height() >= 50
    assert page.bottom.tabText(1) == f"提醒事项（{page.reminders.count()}）" and page.reminders.count() >= 10
    window.context.tasks.wait_all()


def test_postings_columns_of_every_day_fit_1366_pixels(qtbot, demo_db, db_path, office_look):
    """The postings' 14 columns ran off to the right (状态 and after scrolled sideways). At first the
    columns of every day show, none cut off at the right and no side scroll bar; 原单位 and 锻炼岗位 give
    way, whole on hover."""
    from PySide6.QtCore import Qt

    window = _window(qtbot, db_path)
    page = _postings_page(qtbot, window)
    table, model = page.table, page.model
    shown = [c.key for n, c in enumerate(model.columns) if not table.isColumnHidden(n)]
    assert shown == ["cadre_name", "unit_name", "post_name", "start", "planned_end", "days_left", "state"]
    assert not table.horizontalScrollBar().isVisible()
    assert sum(table.columnWidth(model.column_of(key)) for key in shown) <= table.viewport().width()
    metrics = table.fontMetrics()
    for key in shown:
        column = model.column_of(key)
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width(), key
        for row in range(model.rowCount()):
            text = model.index(row, column).data() or ""
            if key in ("unit_name", "post_name"):
                assert model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) == text
            else:
                assert metrics.horizontalAdvance(str(text)) <= table.columnWidth(column), (key, text)
    window.context.tasks.wait_all()


def test_postings_reminders_are_read_in_their_own_tab_at_1366x768(qtbot, demo_db, db_path, office_look):
    """Beside the detail the eighteen reminders had two lines. Their tab gives them most of the height:
    twelve whole reminders or more, each on its line or wrapped, none cut at the right; the table keeps
    some rows, and has its fifteen back with the detail."""
    window = _window(qtbot, db_path)
    page = _postings_page(qtbot, window)
    from ui.postings.postings_view import show_reminders

    reminders = page.reminders
    show_reminders(window.context)  # 工具 — 一线锻炼提醒
    qtbot.waitUntil(lambda: not page.reminders_loading, timeout=10000)
    qtbot.wait(50)
    assert page.bottom.currentWidget() is reminders
    assert reminders.isVisible() and reminders.count() >= 12
    whole = [row for row in range(reminders.count())
             if reminders.visualItemRect(reminders.item(row)).bottom() < reminders.viewport().height()]
    assert len(whole) >= 12, len(whole)
    assert not reminders.horizontalScrollBar().isVisible()
    assert max(reminders.visualItemRect(reminders.item(row)).right() for row in whole) <= reminders.viewport().width()
    assert _rows_shown(page.table) >= 5
    page.bottom.setCurrentIndex(0)
    qtbot.wait(50)
    assert _rows_shown(page.table) >= 15 and page.detail.height() >= 50
    window.context.tasks.wait_all()


def test_postings_page_remembers_how_high_the_clerk_made_the_reminders(qtbot, db, office_look):
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    def opened():
        page = PostingsPage(AppContext())
        qtbot.addWidget(page)
        page.resize(1216, 606)
        page.show()
        qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)
        return page

    page = opened()
    page.right_split.setSizes([400, 150])  # the detail dragged higher
    detail = page.right_split.sizes()
    page.bottom.setCurrentIndex(1)
    page.right_split.setSizes([250, 300])  # the reminders a little lower than they came
    chosen = page.right_split.sizes()
    page.save_state()
    again = opened()
    assert again.bottom.currentIndex() == 1 and again.right_split.sizes() == chosen
    again.bottom.setCurrentIndex(0)
    assert again.right_split.sizes() == detail
    page.context.tasks.wait_all()
    again.context.tasks.wait_all()


def test_postings_columns_are_chosen_from_the_header_and_kept(qtbot, db, office_look):
    """A right click on the header shows and hides columns; the next day's page has the same ones;
    恢复默认列 brings the first ones back."""
    from ui.postings.posting_table import HIDDEN_AT_FIRST
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext
    from ui.widgets.columns import ColumnChooser

    def opened():
        page = PostingsPage(AppContext())
        qtbot.addWidget(page)
        page.resize(1216, 606)
        page.show()
        qtbot.waitUntil(lambda: not page.loading, timeout=10000)
        return page, page.table.findChild(ColumnChooser)

    page, chooser = opened()
    menu = chooser.menu()
    titles = {a.text(): a for a in menu.actions() if a.isCheckable()}
    assert not titles["战线"].isChecked() and titles["姓名"].isChecked()
    titles["战线"].toggle()
    titles["剩余天数"].toggle()
    assert not page.table.isColumnHidden(page.model.column_of("line_name"))
    assert page.table.isColumnHidden(page.model.column_of("days_left"))
    qtbot.wait(20)
    assert not page.table.horizontalScrollBar().isVisible()  # the columns shown share the width again
    page.context.tasks.wait_all()
    again, chooser = opened()
    assert not again.table.isColumnHidden(again.model.column_of("line_name"))
    assert again.table.isColumnHidden(again.model.column_of("days_left"))
    next(a for a in chooser.menu().actions() if a.text() == "恢复默认列").trigger()
    assert {again.model.columns[n].key for n in range(again.model.columnCount())
            if again.table.isColumnHidden(n)} == set(HIDDEN_AT_FIRST)
    again.context.tasks.wait_all()


def _needed_height(table, index) -> int:
    """The height the cell's whole text needs, wrapped in its column's width."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle

    # the text's margins in a cell, as Qt's item views leave them (each side: the focus frame's and 1)
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    width = table.columnWidth(index.column()) - 2 * margin
    bounds = table.fontMetrics().boundingRect(QRect(0, 0, width, 10000), Qt.TextFlag.TextWordWrap,
                                              index.data())
    return bounds.height()


def test_home_reminders_read_in_full_at_1366x768(qtbot, demo_db, db_path, office_look):
    """The longest reminders wrap in rows that grow: read without hovering; the most urgent first, a
    click opens the record still."""
    from cadre_desk.home import reminders

    window = _window(qtbot, db_path)
    page = window.page("home")
    qtbot.waitUntil(lambda: page.figures is not None and page.model.rowCount() > 0, timeout=10000)
    qtbot.wait(50)
    table, text = page.table, page.model.columns.index(page.model.columns[-1])
    widths = [table.fontMetrics().horizontalAdvance(r.text) for r in page.model.rows]
    assert max(widths) > table.columnWidth(text)  # a reminder longer than its column: the case at hand
    for row in range(page.model.rowCount()):
        index = page.model.index(row, text)
        assert table.rowHeight(row) >= _needed_height(table, index), page.model.rows[row].text
    window.resize(1100, 698)  # a narrower window: the rows grow again to the narrower column
    qtbot.wait(50)
    for row in range(page.model.rowCount()):
        index = page.model.index(row, text)
        assert table.rowHeight(row) >= _needed_height(table, index), page.model.rows[row].text
    levels = [reminders.urgency(r) for r in page.model.rows]
    order = [reminders.OVERDUE, reminders.THIS_WEEK, reminders.THIS_MONTH, reminders.LATER, reminders.UNDATED]
    assert levels == sorted(levels, key=order.index)
    window.context.tasks.wait_all()


def test_mentoring_pairs_table_has_the_height_at_1366x768(qtbot, demo_db, db_path, office_look):
    """导师帮带: the pairs are the page's list; the chosen pair's talks a few lines under it."""
    window = _window(qtbot, db_path)
    page = window.show_module("mentoring")
    qtbot.wait(50)
    assert _rows_shown(page.table) >= 11
    logs = page.detail.logs
    assert logs.viewport().height() >= 3 * logs.fontMetrics().height() + 12
    window.context.tasks.wait_all()


def test_home_pie_legends_are_not_cut_at_1366x768(qtbot, demo_db, db_path, office_look):
    """A legend line cut at the chart's edge showed "大学本科 45" as "大学本科 4"."""
    from PySide6.QtCharts import QPieSeries
    from PySide6.QtGui import QFontMetrics

    window = _window(qtbot, db_path)
    page = window.page("home")
    qtbot.waitUntil(lambda: page.figures is not None and page._charted is page.figures, timeout=10000)
    qtbot.wait(50)
    pies = [view for view in page.chart_cells.values()
            if any(isinstance(s, QPieSeries) for s in view.chart().series())]
    assert len(pies) >= 2
    for view in pies:
        legend = view.chart().legend()
        metrics = QFontMetrics(legend.font())
        longest = max(metrics.horizontalAdvance(m.label()) for m in legend.markers())
        assert legend.geometry().x() + longest + 30 <= view.chart().size().width(), view.chart().title()
    window.context.tasks.wait_all()


def test_home_bar_labels_are_not_cut_at_1366x768(qtbot, demo_db, db_path, office_look):
    """The categories left of horizontal bars are read whole (a narrow chart cut "重大项目建设" at its edge)."""
    from PySide6.QtCharts import QBarCategoryAxis, QHorizontalBarSeries
    from PySide6.QtGui import QFontMetrics

    window = _window(qtbot, db_path)
    page = window.page("home")
    qtbot.waitUntil(lambda: page.figures is not None and page._charted is page.figures, timeout=10000)
    qtbot.wait(50)
    bars = [view for view in page.chart_cells.values()
            if any(isinstance(s, QHorizontalBarSeries) for s in view.chart().series())]
    assert len(bars) >= 2
    for view in bars:
        chart = view.chart()
        axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
        longest = max(QFontMetrics(axis.labelsFont()).horizontalAdvance(c) for c in axis.categories())
        assert chart.plotArea().left() >= longest + 8, (chart.title(), chart.plotArea().left(), longest)
    window.context.tasks.wait_all()


def test_scheme_save_button_shows_without_scrolling_at_1366x768(qtbot, demo_db, db_path, office_look):
    """考核方案: 保存方案 was below the fold of the scrolling editor."""
    window = _window(qtbot, db_path)
    page = window.show_module("appraisal")
    page.tabs.setCurrentWidget(page.schemes_tab)
    qtbot.wait(50)
    button = page.schemes_tab.save_button
    assert button.isVisible() and not button.visibleRegion().isEmpty()
    assert button.visibleRegion().boundingRect().size() == button.size()
    window.context.tasks.wait_all()


def test_audit_summary_gets_the_width_at_1366x768(qtbot, demo_db, db_path, office_look):
    """审计日志: the 摘要 column takes the room the window leaves (it was cut while the 事由 column,
    mostly empty, stretched)."""
    window = _window(qtbot, db_path)
    page = window.show_module("audit")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    qtbot.wait(50)
    columns = [c.key for c in page.model.columns]
    summary, reason = columns.index("summary"), columns.index("reason")
    assert page.table.columnWidth(summary) >= 500
    assert page.table.columnWidth(reason) <= 150
    window.context.tasks.wait_all()


def test_home_reminders_beyond_the_limit_keep_one_line(qtbot, db, office_look):
    """Rows that grow are measured at every resize: past WRAP_LIMIT reminders keep one line each (the
    whole text on hover), and grow again when a category filter brings fewer."""
    from cadre_desk.home.reminders import Reminder
    from ui.home import home_page
    from ui.shell.context import AppContext

    page = home_page.HomePage(AppContext())
    qtbot.addWidget(page)
    page.resize(1216, 606)
    page.show()
    qtbot.waitUntil(lambda: page.figures is not None, timeout=10000)  # its own count first, then ours
    page.context.tasks.wait_all()
    long_text = "在“新能源产业链招商专班”的锻炼已于 2026.05.24 到期，仍为在岗，请办理期满或延期，并核对鉴定"
    few = [Reminder("一线锻炼", f"干部{n}{long_text}", due="20260524") for n in range(5)]
    many = few + [Reminder("实绩档案", f"干部{n}{long_text}", due="20260630")
                  for n in range(home_page.WRAP_LIMIT)]
    table = page.table
    page.items = few
    page._show_rows()
    qtbot.wait(20)
    assert table.rowHeight(0) > 26
    page.items = many
    page._show_rows()
    qtbot.wait(20)
    assert page.model.rowCount() == len(many)
    assert {table.rowHeight(n) for n in range(len(many))} == {26}
    page.category.addItem("一线锻炼")
    page.category.setCurrentText("一线锻炼")
    qtbot.wait(20)
    assert page.model.rowCount() == 5 and table.rowHeight(0) > 26
    page.context.tasks.wait_all()


def test_new_pair_dialog_shows_whole_picker_lines_at_1366x768(qtbot, demo_db, office_look, monkeypatch):
    """新建导师帮带结对: each line of the two pickers (name, post, month of birth) read whole, not cut at
    the list's edge with a scroll bar under it."""
    from ui.mentoring import pair_dialogs
    from ui.shell.context import AppContext
    from ui.widgets import form_dialog

    # the test screen is 800 pixels wide: dialogs are fitted to the office screen's work area instead
    monkeypatch.setattr(form_dialog, "resize_to_screen", lambda widget, width, height: widget.resize(
        min(width, 1366 - 16), min(height, 728 - 40)))
    dialog = pair_dialogs.PairDialog(AppContext())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.mentee.results.count() > 0 and dialog.mentor.results.count() > 0)
    qtbot.wait(50)
    for picker in (dialog.mentee, dialog.mentor):
        widest = max(picker.results.sizeHintForColumn(0), 0)
        assert widest <= picker.results.viewport().width(), (widest, picker.results.viewport().width())


def test_appraisal_pickers_read_whole_lines_at_1366x768(qtbot, demo_db, db_path, office_look):
    """实绩档案 and 正负面清单: the narrow cadre list beside the table showed "程晨　云江市西城区长岭镇党委
    副书记　1971.1" with a side scroll bar. Each cadre is now two rows as wide as the list: the name and
    the month of birth whole, the post under them (its middle elided, the whole of it on hover); the
    table keeps its width."""
    window = _window(qtbot, db_path)
    page = window.show_module("appraisal")
    for tab, table_width in ((page.records_tab, 800), (page.behaviour_tab, 600)):
        page.tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        results = tab.picker.results
        assert results.count() > 20
        assert results.sizeHintForColumn(0) <= results.viewport().width()
        assert not results.horizontalScrollBar().isVisible()
        from ui.widgets.cadre_picker import NAME_ROLE, POST_ROLE, TwoRowDelegate

        metrics, width = results.fontMetrics(), results.visualRect(results.model().index(0, 0)).width()
        assert width <= results.viewport().width()
        for row in range(results.count()):
            index = results.model().index(row, 0)
            name, birth, post = TwoRowDelegate.rows(metrics, width, index)
            assert name == index.data(NAME_ROLE) and birth.endswith("生"), results.item(row).text()
            assert metrics.horizontalAdvance(post) <= width - 2 * TwoRowDelegate.PAD
            assert index.data(POST_ROLE) in results.item(row).toolTip()
        assert tab.table.width() >= table_width
    window.context.tasks.wait_all()


def test_profile_appraisal_results_share_the_width_by_content(qtbot, demo_db, office_look):
    """干部信息 — 实绩考核: 各维度得分 was cut at a fixed 260 px while 评语 beside it was empty. The columns
    share the width by what they hold: with no 评语 the scores are read whole; with a long 评语 both have
    a part, the table needs no side scroll bar and the whole text is a cell's tip."""
    from dataclasses import replace

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from cadre_desk.appraisal import appraisals, grading
    from ui.appraisal.appraisal_view import ProfileAppraisalTab
    from ui.shell.context import AppContext

    sheet = next(s for s in appraisals.list_sheets() if s.finalized and s.annual)  # 德、能、勤、绩、廉
    cadre_id = next(r.cadre_id for r in grading.ranking(sheet.id)
                    if grading.results_for_cadre(r.cadre_id)[0].dimension_scores)

    tab = ProfileAppraisalTab(AppContext(), cadre_id)
    qtbot.addWidget(tab)
    tab.resize(1086, 560)  # the tab in the profile dialog on a 1366×768 screen
    tab.show()
    qtbot.waitExposed(tab)
    table = next(t for t in tab.findChildren(QTableView) if t.model() is tab.results_model)
    scores, comment = 6, 7
    text = tab.results_model.index(0, scores).data()
    assert text.count("、") >= 3 and not tab.results_model.index(0, comment).data()
    assert table.columnWidth(scores) >= table.fontMetrics().horizontalAdvance(text) + 8
    assert not table.horizontalScrollBar().isVisible()
    assert sum(table.columnWidth(c) for c in range(8)) <= table.viewport().width()
    tab.results_model.set_rows([replace(tab.results_model.rows[0], comment="政治坚定，担当作为，" * 12)])
    qtbot.wait(20)
    assert not table.horizontalScrollBar().isVisible()
    assert table.columnWidth(scores) >= table.fontMetrics().horizontalAdvance(text) + 8
    assert table.columnWidth(comment) >= 200
    assert tab.results_model.index(0, comment).data(Qt.ItemDataRole.ToolTipRole).startswith("政治坚定")


def test_mentoring_talks_keep_their_lines_under_a_long_summary(qtbot, demo_db, db_path, office_look):
    """A pair whose 帮带目标 runs long (or whose summary wraps to a fourth line) squeezed its talks to one
    line: the summary scrolls past four lines, the talks keep three and the pairs their eleven rows."""
    import dataclasses

    window = _window(qtbot, db_path)
    page = window.show_module("mentoring")
    qtbot.wait(50)
    pair = page.detail.pair
    assert pair is not None
    page.detail.show_pair(dataclasses.replace(pair, goals="提高统筹协调和群众工作能力，" * 30))
    qtbot.wait(50)
    logs = page.detail.logs
    assert logs.viewport().height() >= 3 * logs.fontMetrics().height() + 12
    assert _rows_shown(page.table) >= 11
    window.context.tasks.wait_all()


def test_mentoring_talks_columns_share_the_width_at_1366x768(qtbot, demo_db, db_path, office_look):
    """导师帮带: beside the summary the talks' 下一步安排 and 记录人 were off to the right (400 + 260 px of
    fixed columns). Every column now shows in the pane, 日期、形式、记录人 whole, the long texts cut with
    their whole text on hover; and the summary's 「状态：进行中」 is never broken inside."""
    from PySide6.QtCore import Qt

    from cadre_desk.mentoring import meeting_logs
    from ui.mentoring.pair_table import LOG_COLUMNS

    window = _window(qtbot, db_path)
    page = window.show_module("mentoring")
    qtbot.wait(50)
    pair = next(p for p in page.model.rows if len(meeting_logs.logs_for_pair(p.id)) >= 2)
    page.detail.show_pair(pair)
    qtbot.wait(50)
    logs = page.detail.logs
    assert logs.topLevelItemCount() >= 2
    assert sum(logs.columnWidth(c) for c in range(len(LOG_COLUMNS))) <= logs.viewport().width()
    assert not logs.horizontalScrollBar().isVisible()
    metrics = logs.fontMetrics()
    for row in range(logs.topLevelItemCount()):
        item = logs.topLevelItem(row)
        for key in ("date", "form", "recorder"):
            column = LOG_COLUMNS.index(key)
            assert metrics.horizontalAdvance(item.text(column)) <= logs.columnWidth(column), item.text(column)
        for key in ("content", "next_steps"):
            column = LOG_COLUMNS.index(key)
            assert item.data(column, Qt.ItemDataRole.ToolTipRole) == item.text(column)
    window.context.tasks.wait_all()


def _breaks_inside(label, phrase: str) -> list[int]:
    """The widths (120 to 700 px) at which ``label``'s wrapped text breaks a line inside ``phrase``."""
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setDefaultFont(label.font())
    if label.textFormat() == label.textFormat().PlainText or "<" not in label.text():
        document.setPlainText(label.text())
    else:
        document.setHtml(label.text())
    shown = [(at, char) for at, char in enumerate(document.toPlainText()) if char != "\u2060"]  # joiners
    first = "".join(char for _, char in shown).index(phrase)
    start, end = shown[first][0], shown[first + len(phrase) - 1][0]
    broken = []
    for width in range(120, 700, 7):
        document.setTextWidth(width)
        document.size()  # lays the lines out
        block = document.findBlock(start)
        layout = block.layout()
        if (layout.lineForTextPosition(start - block.position()).lineNumber()
                != layout.lineForTextPosition(end - block.position()).lineNumber()):
            broken.append(width)
    return broken


def test_mentoring_summary_keeps_the_state_together(qtbot, demo_db, office_look):
    """The summary beside the talks broke 「状态：进行中」 after 进 at 1366×768: at any width the state and
    its label stand on one line."""
    from cadre_desk.mentoring import mentoring
    from ui.mentoring.pair_table import PairDetail

    detail = PairDetail()
    qtbot.addWidget(detail)
    pair = next(p for p in mentoring.list_pairs() if p.state == "进行中")
    detail.show_pair(pair)
    assert _breaks_inside(detail.summary, "状态：进行中") == []


def test_sheet_hint_keeps_the_column_name_together(qtbot, db, office_look):
    """考核表: the wrapped hint under the grid read 「双击“一」 / 「线鉴定”查看全文」 at 1366×768."""
    from ui.appraisal.sheet_tab import SheetTab
    from ui.shell.context import AppContext

    tab = SheetTab(AppContext(), load=False)
    qtbot.addWidget(tab)
    assert _breaks_inside(tab.hint, "“一线鉴定”") == []


def test_appraisal_picker_hints_are_read_whole_at_1366x768(qtbot, demo_db, db_path, office_look):
    """正负面清单: the search box's hint read 「输入姓名、拼音首字母、单位…」 at its 200 px. A narrow box shows
    a shorter hint, whole (the frame, margins and clear button take 40 px); a wide one the whole sentence."""
    window = _window(qtbot, db_path)
    page = window.show_module("appraisal")
    for tab in (page.behaviour_tab, page.records_tab):
        page.tabs.setCurrentWidget(tab)
        qtbot.wait(50)
        search = tab.picker.search
        hint = search.placeholderText()
        assert "姓名" in hint and "单位" in hint and "职务" in hint
        assert search.fontMetrics().horizontalAdvance(hint) + 40 <= search.width(), (hint, search.width())
    assert page.records_tab.picker.search.placeholderText() == "输入姓名、拼音首字母、单位或职务查找干部"  # room
    window.context.tasks.wait_all()


def test_records_picker_has_the_height_over_the_reminders_at_1366x768(qtbot, demo_db, db_path, office_look):
    """实绩档案: the 缺报提醒 under the two-line picker left it room for six cadres. The reminders take a
    few lines at first (the type and the count on one row), the picker the rest: eight cadres or more."""
    window = _window(qtbot, db_path)
    page = window.show_module("appraisal")
    tab = page.records_tab
    window.context.tasks.wait_all()  # the reminders (none under some test clocks) and the picker's list
    qtbot.waitUntil(lambda: tab.picker.results.count() > 0, timeout=10000)
    qtbot.wait(50)
    results = tab.picker.results
    assert results.viewport().height() // results.sizeHintForRow(0) >= 8
    reminders = tab.reminder_list
    line = reminders.sizeHintForRow(0) if reminders.count() else reminders.fontMetrics().lineSpacing()
    assert reminders.viewport().height() >= 3 * line
    window.context.tasks.wait_all()


def test_records_tab_remembers_how_high_the_clerk_made_the_reminders(qtbot, db, office_look):
    from ui.appraisal.appraisal_view import AppraisalPage
    from ui.shell.context import AppContext

    page = AppraisalPage(AppContext())
    qtbot.addWidget(page)
    page.resize(1216, 606)
    page.show()
    qtbot.waitExposed(page)
    page.records_tab.left_split.setSizes([250, 300])
    chosen = page.records_tab.left_split.sizes()
    page.save_state()
    again = AppraisalPage(AppContext())
    qtbot.addWidget(again)
    again.resize(1216, 606)
    again.show()
    qtbot.waitExposed(again)
    assert again.records_tab.left_split.sizes() == chosen
    page.context.tasks.wait_all()
    again.context.tasks.wait_all()


def test_checkup_sheet_columns_share_the_width_at_1366x768(qtbot, demo_db, db_path, office_look):
    """政治体检 — 核查对单: 现任职务 was cut (「云江市住房和城乡建设局二…」) while the empty 存在问题 took 240 px
    and 整改措施 was off to the right. Every column shows without a side scroll bar, the posts whole."""
    from cadre_desk.domain.fields import CHECKUP_SHEET_LIST

    window = _window(qtbot, db_path)
    page = window.show_module("checkups")
    qtbot.wait(50)
    assert page.sheets.rowCount() >= 5
    table = page.table
    assert sum(table.columnWidth(c) for c in range(len(CHECKUP_SHEET_LIST))) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    position = CHECKUP_SHEET_LIST.index("position")
    widest = max(table.fontMetrics().horizontalAdvance(page.sheets.index(row, position).data() or "")
                 for row in range(page.sheets.rowCount()))
    assert table.columnWidth(position) >= widest + 8
    findings = CHECKUP_SHEET_LIST.index("findings")
    assert table.columnWidth(findings) >= 150  # the free text keeps a part
    window.context.tasks.wait_all()


def test_mentoring_pairs_columns_fit_at_1366x768(qtbot, demo_db, db_path, office_look):
    """导师帮带: the pairs' 14 columns at their fixed widths took 1366 px of a 1002 px table, 导师评分,
    对象评分 and 关联锻炼岗位 off to the right. Every column now shows without a side scroll bar, the
    names, dates, 状态 and counts whole, the units, 帮带方向 and 关联锻炼岗位 cut with their text on hover."""
    from PySide6.QtCore import Qt

    from cadre_desk.domain.fields import MENTOR_PAIR_LIST

    window = _window(qtbot, db_path)
    page = window.show_module("mentoring")
    qtbot.wait(50)
    table, model = page.table, page.model
    assert model.rowCount() >= 3
    assert sum(table.columnWidth(c) for c in range(len(MENTOR_PAIR_LIST))) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    for key in ("mentor_rating", "mentee_rating", "posting_id"):
        column = MENTOR_PAIR_LIST.index(key)
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= table.viewport().width(), key
    metrics = table.fontMetrics()
    for column, key in enumerate(MENTOR_PAIR_LIST):
        for row in range(model.rowCount()):
            text = model.index(row, column).data() or ""
            if key not in ("mentor_unit_name", "mentee_unit_name", "focus", "posting_id"):
                assert metrics.horizontalAdvance(str(text)) <= table.columnWidth(column), (key, text)
            elif key != "focus":  # 帮带方向's hover gives the 帮带目标
                assert model.index(row, column).data(Qt.ItemDataRole.ToolTipRole) == text, key
    window.context.tasks.wait_all()


def test_postings_detail_is_read_whole_at_1366x768(qtbot, demo_db, db_path, office_look):
    """The detail had two lines: a 期满鉴定 (three opinions with who signed them, the 锻炼结果) was
    scrolled through. Chosen, a posting's detail is read whole, the table keeping ten rows and the
    chosen one in sight; a posting of a line or two then keeps the pane as it is (not shrunk back)."""
    from cadre_desk.postings import posting_data

    window = _window(qtbot, db_path)
    page = _postings_page(qtbot, window)
    base = page.right_split.sizes()[1]
    texts = {}
    for p in page.model.rows:
        if p.state == posting_data.COMPLETED or p.recall_reason:
            page.select_posting(p.id)
            texts[p.id] = page.detail.toPlainText()
    longest = max(texts, key=lambda key: len(texts[key]))
    assert "组织部意见：" in texts[longest] and texts[longest].count("\n") >= 4
    page.select_posting(longest)
    qtbot.wait(50)
    assert page.detail.toPlainText() == texts[longest]
    assert page.detail.verticalScrollBar().maximum() == 0, page.detail.height()
    assert _rows_shown(page.table) >= 10
    chosen = page.table.visualRect(page.table.currentIndex())
    assert 0 <= chosen.top() and chosen.bottom() < page.table.viewport().height()
    # no line of the table's row said again: who, where, when and the state are in the row chosen
    p = next(row for row in page.model.rows if row.id == longest)
    assert p.cadre_name not in texts[longest] and p.state not in texts[longest].splitlines()[0]
    grown = page.right_split.sizes()[1]
    assert grown > base
    short = next(row for row in page.model.rows if row.state == posting_data.ON_POST)
    page.select_posting(short.id)
    qtbot.wait(50)
    assert page.right_split.sizes()[1] == grown
    assert _rows_shown(page.table) >= 10 and page.detail.verticalScrollBar().maximum() == 0
    window.context.tasks.wait_all()


def test_postings_detail_keeps_its_height_as_the_arrow_keys_go_through_the_rows(qtbot, demo_db, db_path,
                                                                                office_look):
    """Down, down, down through the postings: the detail grew to a 期满鉴定, shrank to a 提前召回, grew
    again to the next 期满 — the pane and the table's rows above it jumped at every key. Grown once to
    the text it needs, the pane keeps its height while the clerk goes through the rows (each detail still
    read whole), the chosen row in sight."""
    from PySide6.QtCore import Qt

    from cadre_desk.postings import posting_data

    window = _window(qtbot, db_path)
    page = _postings_page(qtbot, window)
    base = page.right_split.sizes()[1]
    table = page.table
    table.setFocus()
    table.selectRow(0)
    seen = []  # (state, the pane's height) at each step
    for _ in range(page.model.rowCount() - 1):
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.wait(5)
        seen.append((page.model.rows[table.currentIndex().row()].state, page.right_split.sizes()[1]))
        assert page.detail.verticalScrollBar().maximum() == 0, seen[-1]
        chosen = table.visualRect(table.currentIndex())
        assert 0 <= chosen.top() and chosen.bottom() < table.viewport().height()
    long_ones = {posting_data.COMPLETED, posting_data.RECALLED}
    states, heights = {state for state, _ in seen}, [height for _, height in seen]
    assert long_ones <= states and posting_data.ON_POST in states  # the demo's rows mix them
    assert max(heights) > base
    assert heights == sorted(heights), seen  # never shrunk on the way
    assert len(set(heights)) <= 3, seen  # it may grow to a longer text, seldom
    window.context.tasks.wait_all()


def test_postings_detail_grown_to_a_posting_is_not_kept_as_the_clerks_height(qtbot, demo_db, db_path, office_look):
    """The page closed with a long 期满鉴定 chosen opens the next day with the detail's few lines
    (and the table's fifteen rows), or as high as the clerk dragged it."""
    from cadre_desk.postings import posting_data
    from ui.postings.postings_view import PostingsPage

    window = _window(qtbot, db_path)
    every = _postings_page(qtbot, window).model.rowCount()  # a page loaded whole

    def opened():
        page = PostingsPage(window.context)
        qtbot.addWidget(page)
        page.resize(1216, 606)
        page.show()
        qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)
        assert page.model.rowCount() == every  # every posting, as on the window's page
        qtbot.wait(20)
        return page

    page = opened()
    base = page.right_split.sizes()
    texts = {}
    for p in page.model.rows:  # the demo's postings follow the clock: the longest detail there is
        if p.state == posting_data.COMPLETED or p.recall_reason:
            page.select_posting(p.id)
            texts[p.id] = page.detail.toPlainText()
    done = [max(texts, key=lambda key: len(texts[key]))]
    page.select_posting(next(p.id for p in page.model.rows if p.id not in texts))
    page.select_posting(done[0])
    assert page.right_split.sizes()[1] > base[1]  # grown to the 期满鉴定
    page.save_state()
    again = opened()
    assert again.right_split.sizes() == base
    again.right_split.setSizes([400, 150])  # the clerk drags the detail higher
    dragged = again.right_split.sizes()
    again.select_posting(done[0])
    assert again.right_split.sizes()[1] >= 150
    again.save_state()
    assert opened().right_split.sizes() == dragged
    page.context.tasks.wait_all()
    again.context.tasks.wait_all()


def test_postings_page_forgets_the_split_it_no_longer_has(qtbot, db, office_look):
    """The detail beside the reminders was a splitter whose state was kept; tabs now: not kept on."""
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext
    from ui.widgets.window import settings

    settings().setValue("postings/bottom_splitter", b"\x00\x00\x00\xff")
    page = PostingsPage(AppContext())
    qtbot.addWidget(page)
    assert not settings().contains("postings/bottom_splitter")
    assert page.bottom.tabText(0) == "选派详情"
    qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)
    page.context.tasks.wait_all()


def _duplicate_roster(path, count: int = 12):
    """The first ``count`` cadres of the database as a roster whose first person differs in a dozen
    fields and more (the texts of the profile each with 「（改）」 added): a duplicate to update."""
    import openpyxl

    from cadre_desk.store.models import Cadre
    from reports.excel.excel_roster import EXPORT_COLUMNS, export_roster

    export_roster(path, keys=list(EXPORT_COLUMNS), ids=[c.id for c in Cadre.select().limit(count)], reason="测试")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(rows) if row and "姓名" in row)
    kept = {"序号", "姓名", "性别", "出生年月", "民族", "身份证号", "单位"}
    for column, title in enumerate(rows[header], 1):
        cell = sheet.cell(header + 2, column)
        if isinstance(cell.value, str) and title not in kept and "时间" not in title and "年月" not in title:
            cell.value += "（改）"
    workbook.save(path)
    return path


def _whole_rows(table) -> int:
    """Rows of ``table`` the viewport shows whole."""
    height = table.viewport().height()
    return sum(1 for row in range(table.model().rowCount())
               if 0 <= table.visualRect(table.model().index(row, 0)).top()
               and table.visualRect(table.model().index(row, 0)).bottom() < height)


def test_import_rows_and_differences_half_each_at_1366x768(qtbot, demo_db, tmp_path, office_look, monkeypatch):
    """导入 — 数据检查: the differences under the rows opened with eight lines and the rows above kept three
    or four, with nothing chosen the pane said only how to use it. The first duplicate is now chosen once
    the rows are checked, its differences shown; the two tables open as high as each other, six lines and
    more of each (counted by the rows the viewports show whole, not by pixels of one font); the split the
    clerk drags is the next preview's."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen
    from PySide6.QtWidgets import QSplitter, QTableView

    from cadre_desk.exchange import imports
    from ui.exchange.import_dialog import ImportDialog
    from ui.shell.context import AppContext

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1366, 728))
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    path = _duplicate_roster(tmp_path / "名册.xlsx")

    def opened():
        plan = imports.analyze(path, options)
        dialog = ImportDialog(AppContext(), plan, options)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: plan.complete and dialog.checking_task is None, timeout=20000)
        dialog.tabs.setCurrentWidget(dialog.rows)
        page = dialog.rows
        qtbot.wait(20)
        differences = next(v for v in page.findChildren(QTableView) if v.model() is page.differences)
        return dialog, page, differences, page.findChild(QSplitter)

    dialog, page, differences, split = opened()
    assert dialog.height() <= 728 - 40 and dialog.width() <= 1366 - 16, dialog.size()
    first = next(n for n, row in enumerate(page.model.rows) if row.duplicate_id is not None)
    assert page.view.currentIndex().row() == first and page.selected_rows() == [page.model.rows[first]]
    assert page.difference_title.text().startswith(page.model.rows[first].name + "：")
    assert page.differences.rowCount() >= 12
    assert _whole_rows(differences) >= 6, differences.viewport().height()
    assert _whole_rows(page.view) >= 6, page.view.viewport().height()
    assert abs(differences.height() - page.view.height()) <= 2  # half each
    assert differences.rowHeight(0) == page.view.rowHeight(0)  # a line is a line in both tables
    dialog.grab().save(str(tmp_path / "import_rows.png"))
    split.setSizes([300, 200])  # the clerk wants more rows
    chosen = split.sizes()
    page.view.setCurrentIndex(page.model.index(3, 0))
    dialog.reject()
    again, page, differences, split = opened()
    assert split.sizes() == chosen
    again.reject()
