"""任免审批表 with long text: a little too long is set smaller and keeps two pages; longer continues
with a labelled 「简历（续）」 page; a long 奖惩 does not push the family table to a half-empty page:
page 2 breaks between members, a continued box or family part labelled 「（续）」, the header repeated."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import make_profile

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def _page_texts(path) -> list[str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
                                              capture_output=True, text=True, check=True).stdout)
            for n in range(1, pages + 1)]


@pytest.fixture
def data(unit):
    from cadre_desk.profiles import cadres
    from reports.pdf import dossier_data

    profile = make_profile(unit.id, name="吉犇", birth="19800715", age_basis_date="20250601",
                           position="市财政局局长", appointment_reason="工作需要", filler="王嵬")
    profile.resume = [cadres.ResumeItem("199809", "200207", "某大学经济学专业学习"),
                      cadres.ResumeItem("200207", "", "市财政局科员、副科长、科长、副局长、局长")]
    saved = cadres.save_profile(profile).profile
    return dossier_data.gather(saved.id)


def _resume(n: int):
    from cadre_desk.profiles import cadres

    return [cadres.ResumeItem(f"{1990 + i}01", f"{1991 + i}01", f"第{i}项：某市某局某科科员、副主任科员、主任科员")
            for i in range(n)]


def _build(data, tmp_path, name):
    from reports.pdf import batch

    out = tmp_path / name
    batch.build_dossiers([data.id], out_path=out, kind="rmb", reason="x", datas=[data])
    return _page_texts(out)


def test_ordinary_cadre_two_pages(data, tmp_path):
    pages = _build(data, tmp_path, "plain.pdf")
    assert len(pages) == 2 and "简历" in pages[0] and "（续）" not in "".join(pages)


def test_resume_slightly_too_long_is_set_smaller_and_keeps_two_pages(data, tmp_path):
    data.profile.resume = _resume(25)  # 22 fit at 10pt, 27 at 8pt
    pages = _build(data, tmp_path, "slight.pdf")
    assert len(pages) == 2
    assert all(f"第{i}项" in pages[0] for i in range(25))


def test_long_resume_continues_under_a_label(data, tmp_path):
    data.profile.resume = _resume(80)
    pages = _build(data, tmp_path, "long.pdf")
    assert len(pages) >= 3
    carry = [p for p in pages[1:] if "第79项" in p or "第40项" in p]
    assert carry and all("简历（续）" in p for p in carry)
    assert "简历（续）" not in pages[0]
    assert "".join(pages).count("第7项") == 1


N_REWARDS = 8  # 8 two-line items: page 2 holds them only set smaller


def test_long_rewards_and_ten_family_members_are_set_smaller_and_keep_two_pages(data, tmp_path):
    from cadre_desk.profiles import cadres

    data.profile.rewards = [cadres.RewardItem(f"{2000 + i}1201", "1", f"{2000 + i}年度被某某省委、省政府授予"
                                              "“全省优秀公务员”称号，记个人三等功一次", "中共某某省委")
                            for i in range(N_REWARDS)]
    data.profile.family = [cadres.FamilyItem("13", f"家属{i}", "19820301", "13", f"某单位职员{i}")
                           for i in range(10)]
    pages = _build(data, tmp_path, "rewards.pdf")
    assert len(pages) == 2, [p[:40] for p in pages]
    assert f"{1999 + N_REWARDS}年度" in pages[1] and "家属9" in pages[1]


def _long_page_two(data, rewards: int, family: int):
    from cadre_desk.profiles import cadres

    data.profile.rewards = [cadres.RewardItem(f"{2000 + i}1201", "1", f"{2000 + i}年度被某某省委、省政府授予"
                                              "“全省优秀公务员”称号，记个人三等功一次", "中共某某省委")
                            for i in range(rewards)]
    data.profile.family = [cadres.FamilyItem("13", f"家属{i}", "19820301", "13", f"某单位职员{i}")
                           for i in range(family)]


def test_family_table_too_long_for_page_two_breaks_between_members(data, tmp_path):
    _long_page_two(data, 14, 10)  # too long even at 8pt: page 2 holds the boxes and most members
    pages = _build(data, tmp_path, "family.pdf")
    assert len(pages) == 3, [p[:40] for p in pages]
    assert "家庭主要成员及重要社会关系" in pages[1] and "称谓姓名" in pages[1] and "家属0" in pages[1]
    assert "（续）" not in pages[1]
    rest = pages[2]
    assert "家属9" in rest and "家属0" not in rest
    assert "家庭主要成员及重要社会关系（续）" in rest and "称谓姓名" in rest  # label and header again
    assert "".join(pages).count("家属5") == 1 and "审批机关意见" in rest


def test_long_rewards_continue_under_a_label(data, tmp_path):
    _long_page_two(data, 30, 10)
    pages = _build(data, tmp_path, "rewards_long.pdf")
    assert len(pages) == 3, [p[:40] for p in pages]
    assert "奖惩情况" in pages[1] and "（续）" not in pages[1] and "2000年度" in pages[1]
    assert "奖惩情况（续）" in pages[2] and "2029年度" in pages[2]
    assert "家属0" in pages[2] and "".join(pages).count("2015年度") == 1


def test_long_appointment_reason_continues_under_a_label(data, tmp_path):
    data.profile.values["appointment_reason"] = "因工作需要，经研究决定。" * 250
    pages = _build(data, tmp_path, "reason_long.pdf")
    assert len(pages) >= 3, [p[:40] for p in pages]
    assert "任免理由" in pages[1] and "（续）" not in pages[1]
    carry = [p for p in pages[2:] if "因工作需要" in p]
    assert carry and all("任免理由（续）" in p for p in carry)
    assert "".join(pages).count("因工作需要") == 250


def _pages_with(pages: list[str], text: str) -> list[int]:
    return [n for n, p in enumerate(pages) if text in p]


@pytest.mark.parametrize("repeat", [79, 241])  # page 2 (and 3) end just before the approval boxes
def test_reporting_unit_approval_boxes_and_filler_stay_on_one_page(data, tmp_path, repeat):
    data.profile.values["reporting_unit"] = "中共某某县委组织部"
    data.profile.values["appointment_reason"] = "因工作需要，经研究决定。" * repeat
    pages = _build(data, tmp_path, "keep.pdf")
    assert len(pages) >= 3, [p[:40] for p in pages]
    at = _pages_with(pages, "中共某某县委组织部")
    assert len(at) == 1 and at == _pages_with(pages, "审批机关意见") == _pages_with(pages, "行政机关任免意见")
    assert _pages_with(pages, "填表人：王嵬") == at
    assert "".join(pages).count("因工作需要") == repeat


@pytest.mark.parametrize("repeat", [115, 124, 133])  # the reason box fills page 2 down into the family table
def test_no_page_begins_with_a_continued_label_over_empty_rows(data, tmp_path, repeat):
    data.profile.values["appointment_reason"] = "因工作需要，经研究决定。" * repeat
    pages = _build(data, tmp_path, "blank.pdf")
    assert len(pages) == 3, [p[:40] for p in pages]
    assert "（续）" not in "".join(pages)  # no member to continue: the (empty) family table moves whole
    assert "家庭主要成员及重要社会关系" in pages[2] and "称谓姓名" in pages[2]


def _font_sizes(path, page: int, text: str) -> set[float]:
    """The point sizes the text pieces of page ``page`` (from 0) that contain ``text`` are set in."""
    from pypdf import PdfReader

    sizes: set[float] = set()

    def visit(piece, _cm, tm, _font, size):
        if text in piece:
            sizes.add(round(size * tm[0], 1))

    PdfReader(str(path)).pages[page].extract_text(visitor_text=visit)
    return sizes


def test_long_rewards_and_family_work_are_set_smaller_and_keep_two_pages(data, tmp_path):
    from cadre_desk.profiles import cadres
    from reports.pdf import batch

    # 8 two-line 奖惩 items, and each 工作单位及职务 two lines at 10pt but one at 8.5pt: only with the
    # member rows set smaller too does page 2 hold them all
    _long_page_two(data, N_REWARDS, 0)
    data.profile.family = [cadres.FamilyItem("13", f"家属{i}", "19820301", "13", f"某省某市某区某某局某某科室工作人员职员甲乙{i}号")
                           for i in range(9)]
    out = tmp_path / "family_work.pdf"
    batch.build_dossiers([data.id], out_path=out, kind="rmb", reason="x", datas=[data])
    pages = _page_texts(out)
    assert len(pages) == 2, [p[:40] for p in pages]
    assert "家属8" in pages[1] and "审批机关意见" in pages[1]
    assert max(_font_sizes(out, 1, "家属8")) < 10  # the whole member row
    assert max(_font_sizes(out, 1, f"{1999 + N_REWARDS}年度")) < 10
    assert _font_sizes(out, 1, "审批机") == {10}  # the form's labels keep their size



LONG_UNIT = "中共某某市某某区委组织部（区公务员局、区机构编制委员会办公室、区委人才工作领导小组办公室）"


@pytest.mark.parametrize("name", ["中共某某县委组织部", "中共某某市某某区委组织部（区公务员局、区机构编制委员会办公室）",
                                  LONG_UNIT, LONG_UNIT + LONG_UNIT[:20]])
def test_a_long_reporting_unit_is_set_smaller_to_fit_its_box(data, tmp_path, name):
    """呈报单位 keeps one line inside its box, set smaller as far as the floor; longer still, it wraps
    at the floor (never past the box's edge)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.pdf import batch, pdf_common, rmb

    box = sum(rmb.P2_COLS[1:]) - 6  # the spanned cell inside its padding
    data.profile.values["reporting_unit"] = name
    out = tmp_path / "unit.pdf"
    batch.build_dossiers([data.id], out_path=out, kind="rmb", reason="x", datas=[data])
    pages = _page_texts(out)
    assert len(pages) == 2 and name in pages[1]
    sizes = _font_sizes(out, 1, name[:6])
    assert len(sizes) == 1
    size = sizes.pop()
    width = stringWidth(name, pdf_common.BODY_FONT, size)
    lines = [line for line in subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(out), "-"],
                                             capture_output=True, text=True, check=True).stdout.splitlines()
             if name[:6] in line or name[-6:] in line]
    if stringWidth(name, pdf_common.BODY_FONT, rmb.SHRINK_SIZES[-1]) <= box:
        assert width <= box and len(lines) == 1, (size, width, lines)
        assert size == max(s for s in rmb.SHRINK_SIZES if stringWidth(name, pdf_common.BODY_FONT, s) <= box)
    else:  # at the floor, in two lines each inside the box
        assert size == rmb.SHRINK_SIZES[-1] and len(lines) == 2 and width <= 2 * box
    assert _font_sizes(out, 1, "（盖章）") == {10}
