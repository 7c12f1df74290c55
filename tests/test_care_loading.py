"""谈心关爱 at the size of a county's frontline (10,000 在岗 postings): the page reads its lists off the GUI
thread through the task runner, says 「正在载入…」 meanwhile, and its 包抓 actions act on the rows as shown;
``list_liaisons`` reads its contacts and last talks lean."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("pytestqt")

from tests.test_practices import day  # noqa: E402
from tests.test_practices_ui import _care_page, _loaded, context  # noqa: E402, F401 - the fixture


def test_the_care_page_says_it_is_loading_then_shows_the_rows_read_off_the_gui_thread(qtbot, context, world,  # noqa: F811
                                                                                       monkeypatch):
    """On 10,059 在岗 postings the page kept the GUI thread ≈ 1.9 s: every list was read as it was built."""
    from cadre_desk.liaison import liaison
    from ui.care.care_view import CarePage

    threads = []
    real = liaison.list_liaisons
    monkeypatch.setattr(liaison, "list_liaisons", lambda **kw: threads.append(threading.current_thread()) or real(**kw))
    page = CarePage(context)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    panel = page.liaison_list
    assert page.loading and threads == []  # nothing read yet: the page is shown first
    assert panel.count.text() == "正在载入…"
    assert not panel.loading_note.isHidden() and panel.loading_note.text() == "正在载入…"
    _loaded(qtbot, page)
    assert threads and threading.main_thread() not in threads
    assert [(r.cadre_id, r.assigned) for r in page.liaisons.rows] == [(world["ids"]["甲"], False)]
    assert panel.count.text() == "共 1 人，1 人未指定" and panel.loading_note.isHidden()
    (due,) = page.due.rows
    assert due.cadre_id == world["ids"]["甲"] and page.due_list.loading_note.isHidden()


def test_taking_off_a_contact_acts_on_the_rows_shown_while_the_list_is_read_again(qtbot, context, world, boxes):  # noqa: F811
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import format_date
    from cadre_desk.liaison import liaison

    posting = world["posting"]
    liaison.assign([posting], "李建平", "干部一科")
    page = _care_page(qtbot, context)
    panel = page.liaison_list
    panel.table.selectRow(0)
    (shown,) = page.liaisons.rows
    assert shown.contact_name == "李建平"

    # another clerk gives 甲 another contact: 取消包抓 of the row as shown is refused, naming who and when
    liaison.assign([posting], "王海燕", "干部二科", read={posting: shown.version})
    boxes.answers = ["取消包抓", "取消"]
    page.unassign()
    assert "包抓人已被" in boxes.shown[-1][1] and format_date(clock.today()) in boxes.shown[-1][1]
    assert liaison.list_liaisons()[0].contact_name == "王海燕"  # 取消: nothing taken off

    panel.reload()  # read again in the background; meanwhile the rows shown stay, and so do their buttons
    assert panel.loading and [r.contact_name for r in page.liaisons.rows] == ["李建平"]
    _loaded(qtbot, page)
    assert [r.contact_name for r in page.liaisons.rows] == ["王海燕"]
    panel.table.selectRow(0)
    assert page.buttons["unassign"].isEnabled()
    boxes.answers = ["取消包抓"]
    page.unassign()  # as now listed: taken off
    _loaded(qtbot, page)
    assert not liaison.list_liaisons()[0].assigned and not page.liaisons.rows[0].assigned
    assert panel.count.text() == "共 1 人，1 人未指定"


def test_a_search_in_the_contacts_reads_once_the_typing_pauses(qtbot, context, world):  # noqa: F811
    from cadre_desk.liaison import liaison

    liaison.assign([world["posting"]], "李建平", "干部一科")
    page = _care_page(qtbot, context)
    for text in ("王", "王海"):
        page.liaison_text.setText(text)
    assert not page.liaison_list.loading and len(page.liaisons.rows) == 1  # not per keystroke
    qtbot.waitUntil(lambda: page.liaisons.rows == [], timeout=5000)  # once typing pauses
    page.liaison_text.setText("干部一")
    qtbot.waitUntil(lambda: [r.contact_name for r in page.liaisons.rows] == ["李建平"], timeout=5000)


def test_list_liaisons_reads_contacts_and_last_talks_lean(world, monkeypatch):
    """Per row a peewee model instance of its contact, and a 900-parameter IN per 900 cadres for their last
    talks: half the time of the 包抓 list of 10,059 postings."""
    from cadre_desk.care import talks
    from cadre_desk.liaison import liaison
    from cadre_desk.store.db import database
    from cadre_desk.store.liaison_models import Liaison

    ids = world["ids"]
    liaison.assign([world["posting"]], "李建平", "干部一科", "0719-8201401")
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-10), "李建平", "日常谈心", "了解驻村困难"))
    made = []
    real_init = Liaison.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Liaison, "__init__", counted)
    (row,) = liaison.list_liaisons()
    assert (row.contact_name, row.contact_office, row.contact_phone, row.version) == ("李建平", "干部一科",
                                                                                    "0719-8201401", 1)
    assert row.last_talk == day(-10) and row.since and row.user_id is None
    assert made == []  # plain tuples, no model instance per row

    queries = []
    real_execute = database.obj.execute_sql
    monkeypatch.setattr(database.obj, "execute_sql", lambda sql, *a, **k: queries.append(sql) or real_execute(sql, *a, **k))
    many = [ids["乙"], *range(10_000, 12_000), ids["甲"]]
    assert talks.last_talk_dates(many) == {ids["甲"]: day(-10)}
    assert len(queries) == 1
    assert talks.last_talk_dates([ids["乙"], ids["甲"]]) == {ids["甲"]: day(-10)} and talks.last_talk_dates([]) == {}
