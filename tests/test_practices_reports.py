"""The practices' documents: 政治体检提醒单 PDFs (one file or one per cadre, audited), the one-page 干部画像
(batch and single, the 干部监督 records only when asked for by whom may see them), the dossier's 培养管理
section, and the workbooks (headers from the registry, units by 全称, 干部监督 only with the grant)."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest

from cadre_desk.domain.errors import PermissionDenied
from cadre_desk.security import audit
from tests.conftest import acting_as
from tests.test_practices import _round, day, make_world

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


@pytest.fixture
def world(db):
    return make_world()


def _text(path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                             check=True).stdout)


def _pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def _fonts_embedded(path) -> bool:
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return bool(rows) and all(" yes " in row for row in rows)


def test_reminder_sheets_one_file_and_one_per_cadre(world, tmp_path):
    from cadre_desk.checkups import checkup_sheets, checkups
    from reports.pdf import checkup_sheet

    issued = _round(world)
    sheet = checkup_sheets.missing(issued.round.id)[0]
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.FIXED, checked_on=day(0), checker="干部一科",
                                 findings="请销假手续不完整", rectification="已规范请销假手续")
    out = tmp_path / "提醒单.pdf"
    result = checkup_sheet.build_sheets(issued.round.id, out_path=out, reason="季度下发")
    assert _pages(out) == 3 and _fonts_embedded(out)
    text = _text(out)
    assert "政治体检提醒单" in text and "理想信念" in text and "对照检查项目" in text and "自查情况" in text
    assert "□无问题■已整改□整改中" in text and "已规范请销假手续" in text
    assert len([e for e in audit.entries(limit=20) if e.action == audit.PRINT]) == 3
    folder = tmp_path / "分人"
    result = checkup_sheet.build_sheets(issued.round.id, split_dir=folder, cadre_ids=[world["ids"]["乙"]],
                                        reason="补打")
    assert [p.name for p in result.files] == [p.name for p in folder.iterdir()] and len(result.files) == 1
    with acting_as("经办人", units=(world["b"],)):
        scoped = checkup_sheet.build_sheets(issued.round.id, out_path=tmp_path / "本单位.pdf", reason="本单位")
        assert scoped.cadre_ids == [world["ids"]["丙"]]


def test_portrait_is_one_page_and_keeps_supervision_out(world, tmp_path):
    from cadre_desk.care import talks
    from cadre_desk.portrait import portrait
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools
    from reports.pdf import batch

    ids = world["ids"]
    pools.add_members(pools.list_pools()[0].id, [ids["甲"]], "领军", "招商经验丰富")
    talks.save_talk(talks.TalkInfo(None, ids["甲"], day(-3), "李建平", "日常谈心", "了解驻村困难"))
    supervision.save_record(supervision.SupervisionInfo(None, ids["甲"], "提醒", "信访举报", day(-2), "工作方法简单粗暴"))
    shown = portrait.portrait(ids["甲"])
    titles = [s.title for s in shown.sections]
    assert titles == ["一线经历", "导师帮带", "考核情况", "实绩与正负面清单", "专长与短板", "专业干部库", "日常管理与关爱"]
    assert ("经济发展", f"领军（{day(0)[:4]}.{day(0)[4:6]}.{day(0)[6:]}入库），招商经验丰富") in shown.sections[5].lines
    out = tmp_path / "画像.pdf"
    batch.build_dossiers([ids["甲"], ids["乙"]], out_path=out, kind=batch.PORTRAIT, reason="研判")
    assert _pages(out) == 2 and _fonts_embedded(out)
    text = _text(out)
    assert "干部画像" in text and "驻村工作队员" in text and "经济发展" in text and "李建平" in text
    assert "工作方法简单粗暴" not in text and "提醒函询诫勉" not in text
    single = batch.build_portrait(ids["甲"], tmp_path / "含监督.pdf", reason="专题研判",
                                  include_supervision=True).files[0]
    assert _pages(single) == 1 and "工作方法简单粗暴" in _text(single)
    with acting_as("经办人"):
        quiet = batch.build_portrait(ids["甲"], tmp_path / "经办人.pdf", reason="研判", include_supervision=True).files[0]
        assert "工作方法简单粗暴" not in _text(quiet)  # asked for, but not allowed: left out
    dossier = tmp_path / "鉴定报告.pdf"
    batch.build_dossiers([ids["甲"]], out_path=dossier, reason="存档")
    text = _text(dossier)
    assert "培养管理" in text and "专业干部库" in text and "工作方法简单粗暴" not in text


def _smallest_text(path) -> float:
    """The height (pt) of the smallest word on any page."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return min(float(y1) - float(y0) for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out))


def test_a_long_portrait_runs_on_readable_instead_of_shrinking_to_one_page(world, tmp_path):
    """A cadre with a long 现任职务, long pool notes and long 函询 texts: the portrait was shrunk onto one page
    with its words about 1 pt high (and its tables narrower than its headings). It now stays one page only
    while its text keeps at least MIN_SCALE of its size, and otherwise runs on at full size, every word of
    the last record printed."""
    from cadre_desk.profiles import cadres
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools
    from reports.pdf import batch

    ids = world["ids"]
    profile = cadres.get_profile(ids["甲"])
    profile.values["position"] = ("云江市自然资源和规划局党组成员、副局长，市不动产登记中心主任（兼）" * 7)[:300]
    cadres.save_profile(profile)
    for pool in pools.list_pools()[:4]:
        pools.add_members(pool.id, [ids["甲"]], "领军", ("统筹推进产业发展和基层治理，牵头协调项目建设资金；" * 12)[:290])
    for n in range(4):
        supervision.save_record(supervision.SupervisionInfo(
            None, ids["甲"], "函询", "信访举报", day(-n - 1), ("反映其在征迁协调中对个别农户补偿标准把握不一；" * 80)[:1990]
            + f"第{n}件完", ("经核查反映问题部分属实，已责令整改；" * 100)[:1990] + f"处理{n}完"))
    plain = batch.build_portrait(ids["甲"], tmp_path / "画像.pdf", reason="研判").files[0]
    assert _pages(plain) >= 2 and _smallest_text(plain) >= 6.4
    assert "第0件完" not in _text(plain)  # the 函询 stay out unless asked for
    full = batch.build_portrait(ids["甲"], tmp_path / "含监督.pdf", reason="研判", include_supervision=True).files[0]
    text = _text(full)
    assert _pages(full) > _pages(plain) and _smallest_text(full) >= 6.4
    assert all(f"第{n}件完" in text and f"处理{n}完" in text for n in range(4)) and _fonts_embedded(full)
    assert "第1页共" in text and "第2页共" in text


def test_a_reminder_sheet_with_long_findings_stays_readable(world, tmp_path):
    """存在问题 and 整改措施 at their full 1,000 characters: the 提醒单 was shrunk onto its one page with its
    words about 3 pt high; it now runs on to a second page at its own size (a short one stays one page)."""
    from cadre_desk.checkups import checkup_sheets, checkups
    from reports.pdf import checkup_sheet

    issued = _round(world)
    sheet = next(s for s in checkup_sheets.missing(issued.round.id) if s.cadre_id == world["ids"]["甲"])
    checkup_sheets.record_result(sheet.id, sheet.version, result=checkups.FIXING, checked_on=day(0), checker="干部一科",
                                 findings=("请销假手续不完整，外出未按规定报备；" * 60)[:990] + "问题完",
                                 rectification=("已规范请销假手续并在支部会上作说明；" * 60)[:990] + "措施完")
    out = tmp_path / "提醒单.pdf"
    checkup_sheet.build_sheets(issued.round.id, out_path=out, cadre_ids=[world["ids"]["甲"]], reason="核查")
    text = _text(out)
    assert "问题完" in text and "措施完" in text and _smallest_text(out) >= 6.4 and _pages(out) == 2
    short = tmp_path / "短.pdf"
    checkup_sheet.build_sheets(issued.round.id, out_path=short, cadre_ids=[world["ids"]["乙"]], reason="核查")
    assert _pages(short) == 1 and _smallest_text(short) >= 6.4


def test_the_home_pdf_prints_no_supervision_reminder(world, tmp_path):
    """A 函询 a month without its outcome is reminded on the 工作台 of those with the 干部监督 grant — on the
    screen. The 工作台 PDF, handed round at meetings, printed it (the cadre's name, the 函询, a 干部监督 row
    in the summary): the 提醒 / 函询 / 诫勉 records are printed nowhere unless asked for on a 画像."""
    from cadre_desk.home import reminders
    from cadre_desk.supervision import supervision
    from reports.pdf import home_sheet

    supervision.save_record(supervision.SupervisionInfo(None, world["ids"]["乙"], "函询", "12380举报", day(-45),
                                                        "反映其配偶经商"))
    assert any(r.category == "干部监督" for r in reminders.collect())  # the screen's 工作台 has it
    out = tmp_path / "工作台.pdf"
    home_sheet.export_home_pdf(out, reason="部务会")
    text = _text(out)
    assert "工作台" in text and "函询" not in text and "干部监督" not in text
    (printed,) = [e for e in audit.entries(limit=5) if e.action == audit.PRINT]
    assert "函询" not in printed.summary + str(printed.changes)


def test_workbooks_of_the_practices(world, tmp_path):
    from cadre_desk.checkups import checkup_sheets
    from cadre_desk.supervision import supervision
    from cadre_desk.talent import pools
    from reports.excel import practices_workbooks as wb

    ids = world["ids"]
    issued = _round(world)
    pools.add_members(pools.list_pools()[0].id, [ids["甲"], ids["丙"]])
    supervision.save_record(supervision.SupervisionInfo(None, ids["乙"], "函询", "12380举报", day(-2), "反映问题"))
    path = wb.export_checkups(tmp_path / "体检.xlsx", flt=checkup_sheets.SheetFilter(round_id=issued.round.id),
                              reason="报送")
    book = openpyxl.load_workbook(path)
    sheet, summary = book["核查对单"], book["单位汇总"]
    assert [c.value for c in sheet[2]] == ["序号", "姓名", "单位", "现任职务", "季度", "核查结果", "核查日期", "核查人",
                                          "存在问题", "整改措施"]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref and sheet.max_row == 5
    assert [row[0].value for row in summary.iter_rows(min_row=3)] == ["市财政局", "城关镇", "合计"]
    rates = [row[-1] for row in summary.iter_rows(min_row=3)]  # a number shown as 75.0%, not the text "75.0%"
    assert all(isinstance(c.value, (int, float)) and c.number_format == "0.0%" for c in rates), [c.value for c in rates]
    path = wb.export_pools(tmp_path / "人才库.xlsx", reason="报送")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "经济发展" and book["经济发展"].max_row == 4
    wb.export_care(tmp_path / "谈心.xlsx", reason="报送")
    wb.export_liaisons(tmp_path / "包抓.xlsx", reason="报送")
    path = wb.export_supervision(tmp_path / "监督.xlsx", reason="报送")
    assert openpyxl.load_workbook(path)["监督记录"].max_row == 3
    with acting_as("经办人"), pytest.raises(PermissionDenied):
        wb.export_supervision(tmp_path / "不行.xlsx", reason="报送")
    assert not (tmp_path / "不行.xlsx").exists()


def test_a_filtered_checkup_workbook_says_what_was_chosen(world, tmp_path):
    """The clerk exports the 未核查 of one unit to chase them up: the headings said only the round, so the
    list of the missing read as the round's whole 核查对单结果 and its 汇总 as every unit's."""
    from cadre_desk.checkups import checkup_sheets, checkups
    from reports.excel import practices_workbooks as wb

    issued = _round(world)
    flt = checkup_sheets.SheetFilter(round_id=issued.round.id, unit_id=world["a"], result=checkups.UNCHECKED_LABEL)
    book = openpyxl.load_workbook(wb.export_checkups(tmp_path / "未核查.xlsx", flt=flt, reason="催交"))
    wanted = f"（{issued.round.label}，市财政局，未核查）"
    assert book["核查对单"]["A1"].value.endswith(f"政治体检核查对单结果{wanted}")
    assert book["单位汇总"]["A1"].value.endswith(f"政治体检核查情况汇总{wanted}")
    assert book["核查对单"].max_row == 2 + len(checkup_sheets.search(flt).rows) == 4
    everything = openpyxl.load_workbook(wb.export_checkups(tmp_path / "全部.xlsx", reason="报送"))
    assert everything["核查对单"]["A1"].value.endswith("（全部提醒单）")


@pytest.mark.parametrize("lines", [30, 45])  # fits the page as it is; shrunk onto it
def test_a_one_page_sheet_is_laid_out_no_more_often_than_keep_in_frame_lays_it_out(tmp_path, monkeypatch, lines):
    """pdf_common.one_page measures a 提醒单 (or 画像) to choose between one page and running on; KeepInFrame
    then worked out the same lines again at the same width, and the 提醒单 batch took about a seventh
    longer than before the choice was made. The measuring now answers that first wrap: each paragraph is
    broken into lines as often as with KeepInFrame alone (the PDF is the same)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate

    from reports.pdf import pdf_common as pc

    pc.register_fonts()
    wraps = []
    real = Paragraph.wrap

    def counted(self, width, height):
        wraps.append(width)
        return real(self, width, height)

    monkeypatch.setattr(Paragraph, "wrap", counted)

    def content():
        return [pc.para(f"第{n + 1}项　是否存在违反中央八项规定精神问题，对照检查情况如实填写", "body") for n in range(lines)]

    def laid_out(story_of, name) -> int:
        wraps.clear()
        story = story_of()
        assert isinstance(story[0], KeepInFrame)  # one page, shrunk or not
        SimpleDocTemplate(str(tmp_path / name), pagesize=A4).build(story)
        return len(wraps)

    width, height = 150 * mm, 230 * mm
    alone = laid_out(lambda: [KeepInFrame(width, height, content(), mode="shrink")], "alone.pdf")
    assert laid_out(lambda: pc.one_page(content, width, height), "one_page.pdf") == alone
