"""期满结束 and 期满鉴定 through the window: the real buttons, the three signed opinions, the outcome written
into the profile and shown on both sides."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel

from cadre_desk.domain import clock
from cadre_desk.domain.fields import ResumeItem
from cadre_desk.postings import frontline_posts, posting_data, posting_review, postings
from cadre_desk.profiles import cadres
from tests.conftest import answer_dialog, make_profile


@pytest.fixture
def page(qtbot, db, unit, boxes):
    from ui.postings.postings_view import PostingsPage
    from ui.shell.context import AppContext

    context = AppContext()
    widget = PostingsPage(context)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.qtbot = qtbot
    _settle(widget)
    return widget


def _settle(page) -> None:
    page.qtbot.waitUntil(lambda: not page.loading and not page.reminders_loading, timeout=10000)


def _on_post(page, unit_id, name="钱一"):
    profile = make_profile(unit_id, name=name, status="1", position="市财政局预算科科长", position_date="201706",
                           rank="0141", rank_date="201706")
    profile.resume = [ResumeItem("200907", "201706", "市财政局科员"), ResumeItem("201706", "", "市财政局预算科科长")]
    cadre_id = cadres.save_profile(profile).profile.id
    line = next(x for x in frontline_posts.list_lines() if x.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="长三角招商小分队", capacity=2,
                                                            host_type="招商小分队", host_name="市投资促进局"))
    p = postings.create_posting(cadre_id, post.id, "组织选派", "20190105")
    p = postings.start_posting(p.id, p.version, "20190105")
    page.reload_all()
    _settle(page)
    page.select_posting(p.id)
    return cadre_id, p


def type_into(widget, text: str) -> None:
    """Type ``text`` (Chinese included) as an input method commits it."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_finish_with_three_signed_opinions_and_a_promotion_written_into_the_profile(page, unit):
    from ui.postings.history_tab import PostingHistoryTab

    qtbot = page.qtbot
    cadre_id, p = _on_post(page, unit.id)
    today = clock.today_yyyymmdd()
    shown_today = f"{today[:4]}.{today[4:6]}.{today[6:]}"
    assert page.actions["finish"].isEnabled() and not page.actions["review"].isEnabled()
    seen = {}

    def fill(dialog):
        seen["title"] = dialog.windowTitle()
        seen["size"] = (dialog.width(), dialog.height())
        dialog.grade.setCurrentIndex(dialog.grade.findData("优秀"))
        for side, text in (("home", "同意鉴定为优秀。"), ("host", "牵头洽谈项目三个，成效突出。"),
                           ("org", "经综合考察，鉴定为优秀。")):
            opinion, signer, day = dialog.opinion_boxes[side]
            type_into(opinion, text)
            type_into(signer, {"home": "王建国", "host": "李国庆", "org": "刘志刚"}[side])
            type_into(day.line, f"{today[:4]}年{int(today[4:6])}月{int(today[6:])}日")
        dialog.opinion_boxes["home"][1].clear()  # the home unit's signer forgotten: said under the field
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        assert dialog.isVisible()
        seen["error"] = dialog.error_text("home_signer")
        type_into(dialog.opinion_boxes["home"][1], "王建国")
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("提拔使用"))
        assert dialog.result_position.isEnabled() and dialog.write_profile.isVisible()
        type_into(dialog.result_position, "市财政局副局长")
        assert dialog.result_resume.text() == "市财政局副局长"  # the 简历 line follows the new post
        dialog.result_rank.setCurrentIndex(dialog.result_rank.findData("0132"))
        dialog.result_date.setText("2019.08")
        qtbot.mouseClick(dialog.write_profile, Qt.LeftButton)
        assert dialog.write_profile.isChecked()
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.actions["finish"], Qt.LeftButton), fill)
    assert seen["title"] == "期满结束" and seen["error"] == "请填写派出单位签署人"
    assert seen["size"][0] <= 1366 and seen["size"][1] <= 768
    done = postings.get_posting(p.id)
    assert (done.state, done.grade, done.outcome) == ("期满", "优秀", "提拔使用")
    review = posting_review.get_review(p.id)
    assert [(o.signer, o.date) for o in review.opinions()] == [("王建国", today), ("李国庆", today), ("刘志刚", today)]
    # the profile has the new post, level and 简历 line
    profile = cadres.get_profile(cadre_id)
    assert (profile.values["position"], profile.values["position_date"], profile.values["rank"]) == (
        "市财政局副局长", "201908", "0132")
    assert [(r.start, r.end, r.text) for r in profile.resume][-2:] == [
        ("201706", "201908", "市财政局预算科科长"), ("201908", "", "市财政局副局长")]
    # visible both ways: the posting's detail and the profile's 一线经历
    _settle(page)
    page.select_posting(p.id)
    detail = page.detail.toPlainText()
    assert "鉴定等次：优秀" in detail and f"派出单位意见：同意鉴定为优秀。（王建国，{shown_today}）" in detail
    assert "锻炼结果：提拔使用：2019.08 任市财政局副局长（县处级副职）（已于" in detail and "记入干部档案" in detail
    grade_column = page.model.column_of("grade")
    assert page.model.data(page.model.index(0, grade_column)) == "优秀"
    tab = PostingHistoryTab(page.context, cadre_id)
    qtbot.addWidget(tab)
    assert "最近一次期满（招商引资 / 长三角招商小分队）：优秀，提拔使用：2019.08 任市财政局副局长" in tab.summary.text()
    assert "记入干部档案" in tab.summary.text()
    assert "组织部意见：经综合考察，鉴定为优秀。（刘志刚" in tab.detail.toPlainText()


def test_review_later_needs_a_reason_to_change_what_is_recorded(page, unit):
    qtbot = page.qtbot
    _cadre_id, p = _on_post(page, unit.id, name="孙二")
    today = clock.today_yyyymmdd()
    review = posting_data.ReviewInfo(grade="称职", org_opinion="鉴定为称职。", org_signer="刘志刚", org_date=today)
    posting_review.finish_posting(p.id, p.version, today, review, "返回原单位")
    page.reload_all()
    _settle(page)
    page.select_posting(p.id)
    assert page.actions["review"].isEnabled() and not page.actions["finish"].isEnabled()
    assert "锻炼单位意见：（尚未填写）" in page.detail.toPlainText()
    seen = {}

    def fill(dialog):
        seen["title"] = dialog.windowTitle()
        assert dialog.grade.currentData() == "称职" and dialog.actual_end is None
        assert not dialog.write_profile.isVisible()  # 返回原单位: nothing to write into the profile
        opinion, signer, day = dialog.opinion_boxes["host"]  # the host's opinion comes back: no reason needed
        type_into(opinion, "能够完成交办任务。")
        type_into(signer, "李国庆")
        day.setText(today)
        dialog.grade.setCurrentIndex(dialog.grade.findData("优秀"))  # a recorded 等次 changed: a reason
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        seen["error"] = dialog.error_text("reason")
        type_into(dialog.reason, "部务会复议")
        qtbot.mouseClick(dialog.ok_button, Qt.LeftButton)
        seen["closed"] = not dialog.isVisible()

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.actions["review"], Qt.LeftButton), fill)
    assert seen == {"title": "期满鉴定", "error": "修改已记录的鉴定等次，须填写更正原因", "closed": True}
    review = posting_review.get_review(p.id)
    assert (review.grade, review.host_signer) == ("优秀", "李国庆")


def test_correct_dialog_points_to_the_review(page, unit):
    from ui.postings.posting_dialogs import CorrectDialog

    _cadre_id, p = _on_post(page, unit.id, name="李三")
    today = clock.today_yyyymmdd()
    review = posting_data.ReviewInfo(grade="称职", org_opinion="鉴定为称职。", org_signer="刘志刚", org_date=today)
    done = posting_review.finish_posting(p.id, p.version, today, review, "返回原单位")
    dialog = CorrectDialog(page.context, done, page)
    page.qtbot.addWidget(dialog)
    assert "outcome" not in dialog.fields  # the outcome and the 鉴定 are the 期满鉴定's
    assert any("期满鉴定…" in label.text() for label in dialog.findChildren(QLabel))


def test_matching_list_shows_what_a_clerk_judges_by(page, unit):
    """人岗匹配 from the page's button: age, 职务层次/职级, education, frontline experience and the reasons
    of each score; a header click sorts by age; the pane under the list shows the selected one in full."""
    qtbot = page.qtbot
    for name, birth, rank in (("年轻", "199506", "0150"), ("年长", "198203", "0141")):
        cadres.save_profile(make_profile(unit.id, name=name, status="1", categories="03", birth=birth, rank=rank,
                                         ft_education="21", ft_degree="4", specialty="招商引资"))
    line = next(x for x in frontline_posts.list_lines() if x.name == "招商引资")
    post = frontline_posts.save_post(posting_data.PostInput(line_id=line.id, name="珠三角招商小分队", capacity=3,
                                                            requirements="招商引资"))
    page.reload_all()
    _settle(page)
    item = page.tree.topLevelItem(1).child(0)
    page.tree.setCurrentItem(item)
    assert page.current_post().id == post.id
    seen = {}

    def look(dialog):
        qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)
        titles = [c.title for c in dialog.model.columns]
        seen["titles"] = titles
        header = dialog.table.horizontalHeader()
        age = titles.index("年龄")
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=header.viewport().rect().topLeft()
                         + QPoint(header.sectionViewportPosition(age) + 10, 5))
        seen["ages"] = [c.age for c in dialog.model.rows]
        row_rect = dialog.table.visualRect(dialog.model.index(0, 0))
        qtbot.mouseClick(dialog.table.viewport(), Qt.LeftButton, pos=row_rect.center())
        seen["detail"] = dialog.detail.toPlainText()
        seen["reasons"] = dialog.model.data(dialog.model.index(0, titles.index("匹配分的理由")))
        seen["size"] = (dialog.width(), dialog.height())

    answer_dialog(qtbot, lambda: qtbot.mouseClick(page.actions["match"], Qt.LeftButton), look)
    assert seen["titles"][:6] == ["姓名", "年龄", "职务层次/职级", "学历学位", "单位", "一线经历"]
    assert seen["ages"] == sorted(seen["ages"])
    assert seen["detail"].startswith("年长　") or seen["detail"].startswith("年轻　")
    assert "学历学位：大学·学士" in seen["detail"] and "一线经历：无" in seen["detail"]
    assert "匹配分 30：专业特长契合岗位要求“招商引资”（+30）" in seen["detail"]
    assert seen["reasons"] == "专业特长契合岗位要求“招商引资”（+30）"
    assert "\n干部类别：优秀年轻干部\n" in seen["detail"]
    assert seen["size"][0] <= 1366 and seen["size"][1] <= 768
