"""政治体检, 专业干部库, 干部监督 and 谈心关爱 as the window keeps them: every visited page open and listening, one
shown at a time. A change made elsewhere (a finalized annual sheet changes thousands of profiles) makes no
hidden page — nor a tab not chosen — read anything; each reads once when it is shown, and shows what is
there then. The page shown reads at once, as before."""

from __future__ import annotations

from collections import Counter

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QStackedWidget, QWidget  # noqa: E402

from tests.test_practices import day, make_world  # noqa: E402


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def context(world):
    from ui.shell.context import AppContext
    from ui.shell.features import register_all

    register_all()
    return AppContext(None)


def _counting(monkeypatch, reads: Counter, module, name: str, key: str) -> None:
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        reads[key] += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, wrapper)


def test_hidden_practice_pages_read_nothing_on_a_change_and_once_when_shown(qtbot, context, world, monkeypatch):
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools
    from ui.care import care_view
    from ui.checkups import checkups_view
    from ui.supervision import supervision_view
    from ui.talent import talent_view

    pool = pools.list_pools()[0]  # the first of those the program starts with: the page shows it
    stack = QStackedWidget()  # as the window holds its pages
    qtbot.addWidget(stack)
    stack.resize(1400, 800)
    elsewhere = QWidget()  # the page the change is made on (the cadre list, the 考核表 …)
    checkups_page = checkups_view.CheckupsPage(context)
    talent_page = talent_view.TalentPage(context)
    supervision_page = supervision_view.SupervisionPage(context)
    care_page = care_view.CarePage(context)
    for page in (elsewhere, checkups_page, talent_page, supervision_page, care_page):
        stack.addWidget(page)
    stack.setCurrentWidget(elsewhere)
    stack.show()
    qtbot.waitExposed(stack)
    qtbot.waitUntil(lambda: not care_page.loading)
    assert talent_page.pool_list.currentItem().text() == f"{pool.name}（0）"

    # changes made elsewhere (the services read what they need), then the signals they come with
    pools.add_members(pool.id, [world["ids"]["甲"]], "骨干", "", day())
    record = supervision.save_record(supervision.SupervisionInfo(None, world["ids"]["乙"], "函询", "12380举报",
                                                                 day(-5), "反映其配偶经商"))
    reads: Counter = Counter()
    for module, name, key in ((checkups_view.checkup_sheets, "search", "checkups"),
                              (checkups_view.checkups, "list_rounds", "checkup rounds"),
                              (talent_view, "list_entries", "pools"),  # pools.list_members reads them too
                              (talent_view.pools, "list_members", "pool members"),
                              (supervision_view.supervision, "list_records", "supervision"),
                              (care_view.talks, "list_talks", "talks"), (care_view.talks, "talks_due", "talks due"),
                              (care_view.care_items, "list_care", "care"),
                              (care_view.liaison, "list_liaisons", "liaison")):
        _counting(monkeypatch, reads, module, name, key)

    context.data_changed.emit("talent")
    context.data_changed.emit("supervision")
    context.data_changed.emit("")
    context.cadres_changed.emit([world["ids"]["甲"]])
    qtbot.wait(50)
    assert reads == Counter()  # nothing read for a page not shown

    stack.setCurrentWidget(checkups_page)
    assert (reads["checkups"], reads["checkup rounds"]) == (1, 1)
    stack.setCurrentWidget(talent_page)
    assert (reads["pools"], reads["pool members"]) == (1, 1)
    assert talent_page.pool_list.currentItem().text() == f"{pool.name}（1）"  # the pools before their members
    assert [m.cadre_name for m in talent_page.model.rows] == ["甲"]
    stack.setCurrentWidget(supervision_page)
    assert reads["supervision"] == 1
    assert [r.id for r in supervision_page.model.rows] == [record.id]
    # 谈心关爱: the tab chosen reads; each other tab when it is chosen
    stack.setCurrentWidget(care_page)
    qtbot.waitUntil(lambda: not care_page.loading)
    assert (reads["talks"], reads["talks due"], reads["care"], reads["liaison"]) == (1, 0, 0, 0)
    for tab in (1, 2, 3):
        care_page.tabs.setCurrentIndex(tab)
        qtbot.waitUntil(lambda: not care_page.loading)
    assert (reads["talks"], reads["talks due"], reads["care"], reads["liaison"]) == (1, 1, 1, 1)

    # shown again with nothing changed: nothing read again
    before = Counter(reads)
    for page in (checkups_page, talent_page, supervision_page, care_page):
        stack.setCurrentWidget(page)
    qtbot.wait(50)
    assert reads == before

    # the page shown reads at once
    context.data_changed.emit("supervision")
    stack.setCurrentWidget(supervision_page)
    assert reads["supervision"] == before["supervision"] + 1
    before = Counter(reads)
    context.data_changed.emit("supervision")
    assert reads["supervision"] == before["supervision"] + 1
