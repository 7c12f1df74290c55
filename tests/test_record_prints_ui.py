"""打印 on the 导师帮带 and 一线锻炼 pages, the cadre list's and the 文件 menu's entries: enabled with what is
chosen, and the flow to the PDF."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from cadre_desk.access.roles import ROLE_CLERK  # noqa: E402
from tests.conftest import acting_as  # noqa: E402
from tests.test_record_prints import _flat  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def _choose(table, rows: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    selection = table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(table.model().index(row, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)


@pytest.fixture
def mentoring_page(qtbot, printed_pairs):
    from ui.mentoring import mentoring_view
    from ui.shell.context import AppContext

    page = mentoring_view.MentoringPage(AppContext(None))
    qtbot.addWidget(page)
    page.state_box.setCurrentIndex(0)  # 全部状态: the pair in progress and the finished one
    yield page
    page.context.tasks.wait_all()


def _menu_state(page) -> tuple[bool, bool, bool, bool]:
    return (page.print_button.isEnabled(), page.print_sheets_action.isEnabled(),
            page.print_chosen_list_action.isEnabled(), page.print_list_action.isEnabled())


def test_the_mentoring_pages_print_follows_the_choice(mentoring_page, printed_pairs):
    page = mentoring_page
    assert page.model.rowCount() == 2
    _choose(page.table, [])
    assert _menu_state(page) == (True, False, False, True)  # nothing chosen: only the whole list
    _choose(page.table, [0])
    assert _menu_state(page) == (True, True, True, True)
    assert page.log_button.isEnabled() == page.model.rows[0].is_active  # one pair: its steps
    _choose(page.table, [0, 1])
    assert not page.log_button.isEnabled() and not page.close_button.isEnabled()  # several: for a print only
    assert [p.mentee_name for p in page.selected_pairs()] == [page.model.rows[0].mentee_name,
                                                              page.model.rows[1].mentee_name]
    page.unit_box.setCurrentIndex(page.unit_box.findData(printed_pairs["finance"].id))
    assert page.filter_text() == "市财政局" and page.model.rowCount() == 1
    page.mentor_box.setCurrentIndex(1)
    assert "（" not in page.filter_text().split("导师：")[1]  # the mentor's name, not his load
    page.unit_box.setCurrentIndex(page.unit_box.findData(printed_pairs["tax"].id))
    page.mentor_box.setCurrentIndex(0)
    page.state_box.setCurrentIndex(1)  # 进行中 in 市税务局: none
    assert page.model.rowCount() == 0 and _menu_state(page)[0] is False


def test_a_reader_may_not_print(qtbot, printed_pairs):
    from ui.mentoring import mentoring_view
    from ui.shell.context import AppContext

    with acting_as("查阅人"):
        page = mentoring_view.MentoringPage(AppContext(None))
        qtbot.addWidget(page)
        assert page.print_button.isEnabled() is False


def test_the_chosen_pairs_sheets_are_built_and_audited(mentoring_page, qtbot, tmp_path):
    from cadre_desk.security import audit
    from ui.printing import record_prints
    from ui.printing.print_view import PrintDialog

    page = mentoring_page
    _choose(page.table, [0, 1])
    chosen = page.selected_pairs()
    dialog = PrintDialog(record_prints.MENTORING, [p.id for p in chosen], record_prints.pair_names(chosen), noun="对")
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    assert any("（2 对）" in label.text() for label in dialog.findChildren(QLabel))
    assert dialog.split.text() == "每对一个 PDF 文件（放到一个文件夹）"
    dialog.reason.setText("年度检查")
    dialog.split.setChecked(True)
    dialog.path.setText(str(tmp_path / "分册"))
    results = []
    record_prints.start_record_print(page.context, record_prints.MENTORING, [p.id for p in chosen], [],
                                     dialog=dialog, on_finished=results.append, parent=page)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    files = sorted(p.name for p in (tmp_path / "分册").iterdir())
    assert files == sorted(f"{n}_导师帮带情况表.pdf" for n in record_prints.pair_names(chosen))
    assert results[0].count_text == "2 对"
    assert "导师帮带情况表" in _flat(results[0].files[0])
    assert any(e.action == audit.PRINT and e.reason == "年度检查" for e in audit.entries())


def test_the_list_is_one_file_and_its_dialog_offers_no_split(mentoring_page, qtbot, tmp_path):
    from ui.printing import record_prints
    from ui.printing.print_view import PrintDialog

    page = mentoring_page
    pairs = list(page.model.rows)
    dialog = PrintDialog(record_prints.PAIR_LIST, [p.id for p in pairs], record_prints.pair_names(pairs), noun="对",
                         single_only=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.split.isVisible() and not dialog.single.isVisible()
    dialog.reason.setText("汇报")
    dialog.path.setText(str(tmp_path / "名单.pdf"))
    results = []
    record_prints.start_record_print(page.context, record_prints.PAIR_LIST, [p.id for p in pairs], [],
                                     what=page.filter_text(), dialog=dialog, on_finished=results.append, parent=page)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    text = _flat(tmp_path / "名单.pdf")
    assert "导师帮带结对名单" in text and "全部结对" in text and "共2对" in text


def test_a_clerk_sees_and_prints_only_the_pairs_of_the_unit(qtbot, printed_pairs, tmp_path):
    from ui.mentoring import mentoring_view
    from ui.shell.context import AppContext

    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id,)):
        page = mentoring_view.MentoringPage(AppContext(None))
        qtbot.addWidget(page)
        page.state_box.setCurrentIndex(0)
        assert [p.mentee_name for p in page.model.rows] == ["钱二"]
        _choose(page.table, [0])
        assert page.print_sheets_action.isEnabled()
    # 回避: the 帮带对象 himself (or a relative) working as the clerk prints no sheet of his own pair
    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id,), cadre_id=printed_pairs["people"]["钱二"]):
        page = mentoring_view.MentoringPage(AppContext(None))
        qtbot.addWidget(page)
        page.state_box.setCurrentIndex(0)
        _choose(page.table, [0])
        assert not page.print_sheets_action.isEnabled() and not page.print_list_action.isEnabled()


@pytest.fixture
def postings_page(qtbot, printed_pairs):
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    page = PostingsPage(AppContext())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)
    yield page
    page.context.tasks.wait_all()


def test_the_postings_page_prints_the_review_of_the_chosen_ended_postings(postings_page, printed_pairs, qtbot, tmp_path):
    from ui.printing import record_prints
    from ui.printing.print_view import PrintDialog

    page = postings_page
    rows = {p.cadre_name: n for n, p in enumerate(page.model.rows)}
    button = page.actions["print_review"]
    _choose(page.table, [])
    assert not button.isEnabled()
    _choose(page.table, [rows["钱一"]])  # 在岗: no 鉴定 yet
    assert not button.isEnabled()
    _choose(page.table, [rows["孙二"]])  # 期满
    assert button.isEnabled()
    assert page.actions["review"].isEnabled()
    _choose(page.table, [rows["钱一"], rows["孙二"]])  # the 期满 one among them
    assert button.isEnabled()
    assert not page.actions["review"].isEnabled() and not page.actions["recall"].isEnabled()  # one at a time
    assert "已选 2 条" in page.detail.toPlainText()
    assert "打印鉴定表…" in [a.text() for a in page.table_menu().actions() if a.isEnabled()]
    ended = [p for p in page.selected_postings() if p.state == "期满"]
    dialog = PrintDialog(record_prints.REVIEW, [p.id for p in ended], record_prints.posting_names(ended), noun="份")
    qtbot.addWidget(dialog)
    dialog.reason.setText("报送")
    dialog.path.setText(str(tmp_path / "鉴定.pdf"))
    results = []
    record_prints.start_record_print(page.context, record_prints.REVIEW, [p.id for p in ended], [], dialog=dialog,
                                     on_finished=results.append, parent=page)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    text = _flat(tmp_path / "鉴定.pdf")
    assert "一线锻炼鉴定表" in text and "孙二" in text and "钱一" not in text


def test_the_cadre_list_and_the_file_menu_offer_the_new_prints(qtbot, db_path, printed_pairs):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all
    from ui.shell.main_window import MainWindow

    register_all()
    window = MainWindow(AppContext(None))
    qtbot.addWidget(window)
    cadre_menu = [a.text() for a in window.menus["干部"].actions()]
    assert "打印导师帮带情况表…" in cadre_menu and "打印一线锻炼鉴定表…" in cadre_menu
    assert "打印导师帮带结对名单…" in [a.text() for a in window.menus["文件"].actions()]


def test_the_file_menus_list_leaves_out_what_the_clerk_may_not_print(qtbot, printed_pairs, monkeypatch):
    from ui.printing import record_prints
    from ui.shell.context import AppContext

    asked = []
    monkeypatch.setattr(record_prints, "print_pairs", lambda _c, pairs, kind, what: asked.append((pairs, kind, what)))
    context = AppContext(None)
    record_prints.all_pairs_list(context)
    assert [p.mentee_name for p in asked[-1][0]] == ["钱二", "孙一"] and asked[-1][1:] == ("pair_list", "全部结对")
    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id, printed_pairs["tax"].id),
                   cadre_id=printed_pairs["people"]["钱二"]):  # 回避: his own pair
        record_prints.all_pairs_list(context)
    assert [p.mentee_name for p in asked[-1][0]] == ["孙一"]
