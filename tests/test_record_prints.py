"""The 导师帮带情况表 and 结对名单, the 一线锻炼鉴定表 printed alone, and the 工作台's one wording of a delay:
what each PDF says (pdftotext), its fonts, its scope and its audit row."""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import subprocess

import pytest

from cadre_desk.access.roles import ROLE_CLERK
from cadre_desk.domain.errors import PermissionDenied, ValidationError
from tests.conftest import _days_from_today, acting_as

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

LONG_TALK = "围绕招商项目的前期谈判、合同条款审核和落地服务开展现场指导，" * 12


def _flat(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


def _pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def _fonts_embedded(path) -> bool:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    return bool(rows) and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", r) for r in rows)


def add_pairs(home_world) -> dict:
    """The 工作台's world (conftest.home_world) with talks on its pair (钱三→钱二, 市财政局) and a finished pair in
    市税务局 (孙二→孙一): conftest.printed_pairs."""
    from cadre_desk.mentoring import meeting_logs, mentoring, pair_changes

    people = home_world["people"]
    pair = home_world["pair"]
    meeting_logs.add_log(pair.id, _days_from_today(-30), "谈心谈话", "了解思想和工作情况，明确季度目标。", "整理项目台账")
    meeting_logs.add_log(pair.id, _days_from_today(-10), "现场指导", LONG_TALK)
    done = pair_changes.create_pair(mentoring.PairDraft(
        mentor_id=people["孙二"], mentee_id=people["孙一"], focus="税收征管", goals="熟悉征管流程",
        start=_days_from_today(-120), planned_end=_days_from_today(200))).pair
    meeting_logs.add_log(done.id, _days_from_today(-100), "业务培训", "讲解征管系统操作。")
    done = pair_changes.complete_pair(done.id, done.version, end_date=_days_from_today(-5), mentor_rating=88,
                                      mentor_comment="进步明显，能独立办理业务", mentee_rating=95,
                                      mentee_comment="指导到位")
    return {**home_world, "pair": mentoring.get_pair(pair.id), "done_pair": done}


def test_a_pairs_sheet_says_both_sides_the_term_the_talks_and_the_evaluation(printed_pairs, tmp_path):
    from cadre_desk.security import audit
    from reports.pdf import mentoring_sheet

    out = tmp_path / "帮带.pdf"
    result = mentoring_sheet.build_sheets([printed_pairs["pair"].id, printed_pairs["done_pair"].id], out_path=out, reason="年度检查")
    text = _flat(out)
    for words in ("导师帮带情况表", "钱三", "钱二", "市财政局", "帮带期限", "招商引资", "独立牵头一个项目",
                  "谈话记录（共2次）", "了解思想和工作情况", "下一步安排：整理项目台账", "帮带进行中，尚未结业考评",
                  "孙二", "孙一", "市税务局", "88分；进步明显，能独立办理业务", "95分；指导到位", "已结业",
                  "讲解征管系统操作"):
        assert words in text, words
    assert text.count("合同条款审核") == 12  # the long talk wraps, all of it there
    assert text.count("第1页") == 2  # each pair's pages numbered on their own
    assert _fonts_embedded(out)
    assert "acting" not in text and str(tmp_path) not in text  # no account nor path of the computer
    assert result.count_text == "2 对"
    rows = audit.entries(entity="干部", entity_id=printed_pairs["people"]["钱二"])
    assert rows[0].action == audit.PRINT and rows[0].reason == "年度检查" and "导师帮带情况表" in rows[0].summary


def test_the_pairs_list_is_one_table(printed_pairs, tmp_path):
    from reports.pdf import mentoring_sheet

    out = tmp_path / "名单.pdf"
    mentoring_sheet.build_list([printed_pairs["pair"].id, printed_pairs["done_pair"].id], out_path=out, reason="汇报", what="全部状态")
    text = _flat(out)
    for words in ("导师帮带结对名单", "全部状态", "共2对", "序号", "市税务局", "钱三", "孙一", "进行中", "已结业"):
        assert words in text, words
    assert _pages(out) == 1 and _fonts_embedded(out)
    with pytest.raises(ValidationError):
        mentoring_sheet.build_list([printed_pairs["pair"].id], out_path=out, reason=" ")


def test_a_clerk_of_one_unit_prints_no_pair_of_another(printed_pairs, tmp_path):
    from reports.pdf import mentoring_sheet

    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id,)):
        mentoring_sheet.build_sheets([printed_pairs["pair"].id], out_path=tmp_path / "own.pdf", reason="存档")
        for ids in ([printed_pairs["done_pair"].id], [printed_pairs["pair"].id, printed_pairs["done_pair"].id]):
            with pytest.raises(PermissionDenied):
                mentoring_sheet.build_sheets(ids, out_path=tmp_path / "other.pdf", reason="存档")
            with pytest.raises(PermissionDenied):
                mentoring_sheet.build_list(ids, out_path=tmp_path / "other.pdf", reason="存档")
    assert not (tmp_path / "other.pdf").exists()


def test_one_postings_review_sheet_prints_alone(printed_pairs, tmp_path):
    from reports.pdf import review_sheet

    out = tmp_path / "鉴定.pdf"
    result = review_sheet.build_sheets([printed_pairs["done"].id], out_path=out, reason="报送审批")
    text = _flat(out)
    for words in ("一线锻炼鉴定表", "孙二", "市税务局", "长三角招商小分队", "鉴定等次", "■称职", "□优秀",
                  "返回原单位", "派出单位意见", "锻炼单位意见", "组织部意见", "较好完成锻炼任务。", "刘志刚", "（盖章）"):
        assert words in text, words
    assert _pages(out) == 1 and _fonts_embedded(out)
    assert result.cadre_ids == [printed_pairs["people"]["孙二"]]


def test_a_posting_not_ended_has_no_review_sheet_and_another_units_is_refused(printed_pairs, tmp_path):
    from reports.pdf import review_sheet

    with pytest.raises(ValidationError):
        review_sheet.build_sheets([printed_pairs["soon"].id], out_path=tmp_path / "x.pdf", reason="存档")
    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id,)), pytest.raises(PermissionDenied):
        review_sheet.build_sheets([printed_pairs["done"].id], out_path=tmp_path / "x.pdf", reason="存档")
    assert not (tmp_path / "x.pdf").exists()


def test_the_home_pdf_and_the_screen_say_a_delay_alike(home_world, tmp_path):
    from cadre_desk.domain import clock
    from cadre_desk.home import reminders
    from reports.pdf import home_sheet
    from ui.home import home_page

    late = reminders.Reminder("一线锻炼", "孙一 超期未结束", due=_days_from_today(-129))
    today = clock.today()
    assert home_page.urgency_text(late, today) == home_sheet.due_text(late, today) == "已逾期 129 天"
    out = tmp_path / "工作台.pdf"
    home_sheet.export_home_pdf(out, reason="例会")
    text = _flat(out)
    assert "已逾期5天" in text and "逾期5天" not in text.replace("已逾期5天", "")  # 孙一's posting, 5 days past its end
    clock.set_now(clock.now() + _dt.timedelta(days=124))  # 129 days past it: its 期限 still on one line
    home_sheet.export_home_pdf(out, reason="例会")
    lines = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    assert re.search(r"已逾期 129 天\s+一线锻炼", lines)


def test_the_command_line_prints_them_too(printed_pairs, db_target, tmp_path, capsys):
    from cadre_desk.__main__ import main

    sheets, names, reviews = tmp_path / "帮带.pdf", tmp_path / "名单.pdf", tmp_path / "鉴定"
    assert main(["--db", db_target, "mentoring-pdf", str(sheets), "--ids", str(printed_pairs["pair"].id)]) == 0
    assert "钱二" in _flat(sheets) and "导师帮带情况表" in _flat(sheets)
    assert main(["--db", db_target, "mentoring-pdf", str(names), "--all", "--state", "已结业", "--list"]) == 0
    text = _flat(names)
    assert "状态：已结业" in text and "孙一" in text and "钱二" not in text
    assert main(["--db", db_target, "review-pdf", "--split", str(reviews), "--all"]) == 0
    assert [p.name for p in reviews.iterdir()] == ["孙二·长三角招商小分队_一线锻炼鉴定表.pdf"]
    assert "已生成 1 份的一线锻炼鉴定表" in capsys.readouterr().out
    assert main(["--db", db_target, "mentoring-pdf", "--list", "--split", str(tmp_path / "x"), "--all"]) == 1
    assert main(["--db", db_target, "review-pdf", str(tmp_path / "n.pdf"), "--ids", str(printed_pairs["soon"].id)]) == 2
    assert not (tmp_path / "n.pdf").exists()


def test_a_mentor_of_another_unit_is_neither_named_nor_placed_on_the_sheet(printed_pairs, tmp_path):
    from cadre_desk.mentoring import mentoring, pair_changes
    from reports.pdf import mentoring_sheet

    people = printed_pairs["people"]
    across = pair_changes.create_pair(mentoring.PairDraft(
        mentor_id=people["孙二"], mentee_id=people["钱一"], focus="乡村振兴", goals="熟悉驻村工作",
        start=_days_from_today(-20), planned_end=_days_from_today(300))).pair
    out = tmp_path / "跨单位.pdf"
    with acting_as(ROLE_CLERK, units=(printed_pairs["finance"].id,)):
        mentoring_sheet.build_sheets([across.id], out_path=out, reason="存档")
    text = _flat(out)
    assert "钱一" in text and "（其他单位干部）" in text
    assert "孙二" not in text and "市税务局" not in text
