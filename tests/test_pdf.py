"""PDF dossiers and the 任免审批表: text comes back out, fonts embedded, markup literal, long text
flows, cancel leaves nothing, the CLI answers with the right exit codes."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from types import SimpleNamespace as NS

import pytest

from cadre_desk.domain.errors import CadreDeskError
from tests.conftest import acting_as, make_profile

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")

INJECT = '<font size=40>大</font><img src="/etc/passwd"/><a href="file:///etc">链接</a> & "引号"'


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _flat(path) -> str:
    return re.sub(r"\s+", "", _text(path))


def _pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


@pytest.fixture
def cadre(unit):
    from cadre_desk.profiles import cadres

    profile = make_profile(unit.id, name="吉𠮷", native_place="嵬山", birthplace="犇城", birth="19800715",
                           age_basis_date="20250601", position="市财政局局长", expertise="财政管理䶮",
                           appointment_reason=INJECT, filler="王嵬")
    profile.resume = [cadres.ResumeItem("199809", "200207", "某大学经济学专业学习"),
                      cadres.ResumeItem("200207", "", "市财政局科员、副科长、科长、副局长、局长")]
    profile.family = [cadres.FamilyItem("10", "吉大犇", "195001", "01", "已去世"),
                      cadres.FamilyItem("13", "李䶮", "19820301", "13", "市第一中学教师")]
    return cadres.save_profile(profile).profile


def _rich(data, long_text=""):
    data.postings = [NS(id=1, version=1, cadre_id=data.id, cadre_name=data.name, unit_name="", post_id=1,
                        post_name="驻村第一书记", line_id=1, line_name="乡村振兴一线", host="红旗村",
                        channel="组织选派", start="202301", planned_end="202412", actual_end="20241215",
                        state="期满", daily_manager="王书记", guide_cadre_id=None, guide_name="赵犇", recall_reason="",
                        outcome="提拔使用", grade="优秀", finished=True)]
    from cadre_desk.postings.posting_data import ReviewInfo

    data.reviews = {1: ReviewInfo(
        posting_id=1, version=1, grade="优秀", home_opinion="同意鉴定为优秀。", home_signer="王嵬",
        home_date="20241210", host_opinion="", org_opinion=long_text or "表现突出，鉴定为优秀。", org_signer="刘志刚",
        org_date="20241220", result_position="市财政局副局长", result_date="202501", result_resume="市财政局副局长",
        result_recorded_at="2025-01-06T10:00:00")}
    data.pairs = []
    data.records = []
    data.behaviour = [NS(id=1, cadre_id=data.id, polarity="正面", item="抗洪抢险", date="20230710", source="镇党委",
                         description="连续奋战", recorder="张嵬")]
    data.appraisals = [NS(sheet_id=1, sheet_title="2024年度考核", period="2024", scheme_name="方案",
                          dimension_scores={"政治素质": 92.0, "工作实绩": 88.5}, total=90.3, grade="优秀",
                          comment="政治坚定，工作扎实。", finalized=True)]
    return data


def test_fonts_bundled_small_and_cover_rare_characters():
    from cadre_desk.paths import resource
    from reports.pdf import pdf_common as pc

    for name in pc.FONT_FILES.values():
        path = resource("fonts", name)
        assert path.exists() and path.stat().st_size < 100 * 1024 * 1024
    assert resource("fonts", "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
    for font in pc.FONT_FILES:
        assert pc.missing_chars("𠮷䶮嵬犇，。、；：？！（）《》“”‘’…—", font) == []


def test_missing_glyph_reported_by_field():
    from reports.pdf import pdf_common as pc

    found = pc.missing_glyphs([("张三 · 姓名", "张\U00031350"), ("张三 · 简历", "正常")])
    assert [(m.where, m.char) for m in found] == [("张三 · 姓名", "\U00031350")]
    assert "U+31350" in str(found[0])


def test_escape_keeps_markup_literal():
    from reports.pdf import pdf_common as pc

    assert pc.escape('<a href="x">&') == "&lt;a href=&#34;x&#34;&gt;&amp;"
    assert pc.escape("一\n二") == "一<br/>二"


def test_rmb_text_age_family_and_fonts(cadre, tmp_path):
    from reports.pdf import batch

    out = tmp_path / "rmb.pdf"
    result = batch.build_dossiers([cadre.id], out_path=out, kind="rmb", reason="任免审批")
    assert result.missing == []
    assert _pages(out) == 2
    flat = _flat(out)
    for expected in ("干部任免审批表", "吉𠮷", "嵬山", "犇城", "财政管理䶮", "（44岁）", "1998.09--2002.07",
                     "吉大犇", "已去世", "李䶮", "43", "填表人：王嵬"):
        assert expected in flat, expected
    for ours in ("内部资料", "注意保密", "打印人", "打印时间", "第1页"):  # the official form and nothing else
        assert ours not in flat, ours
    assert "1980.07" in flat and "1980.07.15" not in flat  # 出生年月 as 年.月, the day only for the age
    assert "吉大犇" in flat and not re.search(r"吉大犇\d", flat)  # no age for the deceased
    assert re.sub(r"\s+", "", INJECT) in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


def test_rmb_party_of_a_democratic_party_member(cadre, tmp_path):
    """入党时间 on the form and the 干部画像: the member's 民主党派 (政治面貌 九三学社, 入党时间 left empty
    on import)."""
    from cadre_desk.profiles import cadres
    from reports.pdf import batch

    profile = cadres.get_profile(cadre.id)
    profile.values.update(political="10", party="")
    cadres.save_profile(profile)
    out = tmp_path / "rmb.pdf"
    batch.build_dossiers([cadre.id], out_path=out, kind="rmb", reason="任免审批")
    text = _text(out)
    assert re.search(r"入党 +参加工\n +九三 +健康状况", text), text[:600]  # in the 入党时间 cell
    from cadre_desk.portrait import portrait

    assert ("入党时间", "九三") in portrait.portrait(cadre.id).basics  # the 干部画像 says it as well


def test_dossier_sections_pages_and_audit(cadre, tmp_path):
    from cadre_desk.security import audit
    from cadre_desk.settings import settings
    from reports.pdf import batch, dossier_data

    settings.set_department("中共兴平市委组织部", "市委组织部", "兴平市")
    data = _rich(dossier_data.gather(cadre.id))
    out = tmp_path / "d.pdf"
    batch.build_dossiers([cadre.id], out_path=out, kind="dossier", reason="存档", datas=[data])
    pages = _pages(out)
    flat = _flat(out)
    for expected in ("干部成长档案", "吉𠮷", "中共兴平市委组织部", "一线经历", "驻村第一书记", "赵犇", "张嵬",
                     "鉴定等次优秀", "锻炼结果提拔使用：2025.01任市财政局副局长（已于2025.01.06记入干部档案）",
                     "派出单位意见同意鉴定为优秀。", "派出单位签署人：王嵬派出单位签署日期：2024.12.10",
                     "锻炼单位意见", "锻炼单位签署人：", "组织部意见表现突出，鉴定为优秀。",
                     "组织部签署人：刘志刚组织部签署日期：2024.12.20",
                     "考核结果", "政治素质", "92.0", "鉴定意见", "政治坚定，工作扎实。", "组织部门意见",
                     "内部资料注意保密", "打印人：测试员", f"第1页共{pages}页", f"第{pages}页共{pages}页"):
        assert expected in flat, expected
    rows = [e for e in audit.entries() if e.action == audit.PRINT]
    assert rows and rows[0].entity_id == cadre.id and rows[0].reason == "存档"


def test_empty_sections_say_none(cadre, tmp_path):
    from reports.pdf import batch, dossier_data

    data = dossier_data.gather(cadre.id)
    assert data.postings == [] and data.pairs == [] and data.appraisals == []
    out = tmp_path / "d.pdf"
    batch.build_dossiers([cadre.id], out_path=out, reason="x", datas=[data])
    flat = _flat(out)
    assert "一线经历无" in flat and "导师帮带无" in flat


def test_long_field_flows_across_pages_and_no_line_starts_with_comma(cadre, tmp_path):
    from reports.pdf import batch, dossier_data

    long_text = ("该同志深入基层，" * 250)[:2000]
    data = _rich(dossier_data.gather(cadre.id), long_text)
    out = tmp_path / "long.pdf"
    batch.build_dossiers([cadre.id], out_path=out, reason="x", datas=[data])
    assert _flat(out).count("该同志深入基层，") == 250  # nothing cut off (page furniture interleaves)
    texts = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
    pages_with_text = [p for p in texts.split("\f") if "该同志深入基层" in p]
    assert len(pages_with_text) >= 2
    for line in texts.splitlines():
        stripped = line.strip()
        assert not stripped.startswith(("，", "。", "、", "；")), line


def test_batch_one_pdf_numbering_per_cadre_and_split(demo_db, tmp_path):
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch

    ids = [c.id for c in Cadre.select().limit(3)]
    out = tmp_path / "all.pdf"
    batch.build_dossiers(ids, out_path=out, kind="rmb", reason="x")
    assert _pages(out) == 6 and _flat(out).count("干部任免审批表") == 3
    batch.build_dossiers(ids, out_path=out, kind="dossier", reason="x")
    assert _flat(out).count("第1页共") == 3  # each dossier numbered on its own
    folder = tmp_path / "split"
    result = batch.build_dossiers(ids, split_dir=folder, kind="dossier", reason="x")
    assert len(result.files) == 3 and all(p.exists() for p in result.files)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in result.files)


def test_a_batch_makes_each_cadres_flowables_only_when_it_reaches_them(demo_db, tmp_path, monkeypatch):
    """bench_pdf: 1,000 dossiers' flowables made before the build held ~160 MB; a cadre's are made when
    the layout reaches them and are let go once laid out, for one PDF of every kind."""
    import gc
    import weakref

    from cadre_desk.store.models import Cadre
    from reports.pdf import batch, checkup_sheet

    ids = [c.id for c in Cadre.select(Cadre.id).order_by(Cadre.id).limit(5)]
    for kind in (batch.DOSSIER, batch.RMB, batch.PORTRAIT):
        made: list = []  # per cadre: weak references to its flowables
        alive_when_made: list[int] = []  # flowables of earlier cadres still alive as each cadre's are made

        def story_fn(data, _own=batch._story_fn(kind), made=made, alive=alive_when_made):
            gc.collect()
            alive.append(sum(1 for refs in made for ref in refs if ref() is not None))
            story = _own(data)
            made.append([weakref.ref(f) for f in story])
            return story

        monkeypatch.setattr(batch, "_story_fn", lambda _kind, fn=story_fn: fn)
        batch.build_dossiers(ids, out_path=tmp_path / f"{kind}.pdf", reason="x")
        assert len(alive_when_made) == len(ids), kind
        everything_before_the_last = sum(len(refs) for refs in made[:-1])
        # at most the two cadres before are still held (the story's last flowable, a split table's
        # remainder), never all that went before; which of them depends on the clock's demo data
        two_before = len(made[-2]) + len(made[-3])
        assert max(alive_when_made) <= two_before < everything_before_the_last, (kind, alive_when_made)
    # the 提醒单 batch takes its sheets the same way
    taken: list[int] = []
    story_of = checkup_sheet.sheet_story

    def sheet_story(sheet, department):
        taken.append(len(_reports_so_far))
        return story_of(sheet, department)

    _reports_so_far: list[str] = []
    monkeypatch.setattr(checkup_sheet, "sheet_story", sheet_story)
    from cadre_desk.domain.progress import Progress
    from cadre_desk.store.checkup_models import CheckupSheet

    round_id = CheckupSheet.select(CheckupSheet.round).first().round_id
    checkup_sheet.build_sheets(round_id, out_path=tmp_path / "sheets.pdf", reason="x",
                               progress=Progress(lambda done, total, text: _reports_so_far.append(text)))
    assert len(taken) >= 2 and taken[-1] > 0  # the last sheet made after the first were laid out


def test_cancel_leaves_no_file(demo_db, tmp_path):
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress
    from cadre_desk.security import audit
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch

    ids = [c.id for c in Cadre.select().limit(6)]
    for kwargs in ({"out_path": tmp_path / "x.pdf"}, {"split_dir": tmp_path / "split"}):
        token = CancelToken()
        calls = []

        def report(done, total, text, token=token, calls=calls):
            if text.startswith("正在生成"):
                calls.append(text)
                if len(set(calls)) >= 3:  # cancel while the third cadre is being laid out
                    token.cancel()

        with pytest.raises(Cancelled):
            batch.build_dossiers(ids, reason="x", progress=Progress(report, token), **kwargs)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and "sqlite3" not in p.name and "home" not in p.parts]
    assert leftovers == []
    assert not [e for e in audit.entries() if e.action == audit.PRINT]


def test_reason_required_and_permission(cadre, tmp_path):
    from cadre_desk.access.roles import ROLE_READER
    from cadre_desk.domain.errors import PermissionDenied, ValidationError
    from reports.pdf import batch

    with pytest.raises(ValidationError):
        batch.build_dossiers([cadre.id], out_path=tmp_path / "x.pdf", reason=" ")
    with acting_as(ROLE_READER), pytest.raises(PermissionDenied):  # 查阅人 may not print
        batch.build_dossiers([cadre.id], out_path=tmp_path / "x.pdf", reason="x")
    assert not (tmp_path / "x.pdf").exists()


def test_cli_exit_codes(cadre, db_path, tmp_path, capsys):
    from cadre_desk.__main__ import main

    out = tmp_path / "c.pdf"
    assert main(["--db", str(db_path), "dossier", str(out), "--ids", str(cadre.id)]) == 0
    assert out.exists()
    assert main(["--db", str(db_path), "rmb", str(tmp_path / "r.pdf"), "--all"]) == 0
    assert main(["--db", str(db_path), "rmb", str(tmp_path / "n.pdf"), "--ids", "9999"]) == 2
    assert "编号为 9999 的干部不存在" in capsys.readouterr().err
    assert not (tmp_path / "n.pdf").exists()
    assert main(["--db", str(db_path), "rmb", "--ids", str(cadre.id)]) == 1
    assert main(["--db", str(db_path), "rmb", "--split", str(tmp_path / "s"), "--ids", str(cadre.id)]) == 0
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_path), "rmb", str(out)])
    assert exc.value.code == 2


def test_rmb_long_reason_flows_instead_of_failing(cadre, tmp_path):
    from reports.pdf import batch, dossier_data

    data = dossier_data.gather(cadre.id)
    data.profile.values["appointment_reason"] = ("拟任理由充分，" * 300)[:2000]
    data.profile.resume = data.profile.resume * 30
    out = tmp_path / "long.pdf"
    batch.build_dossiers([cadre.id], out_path=out, kind="rmb", reason="x", datas=[data])
    flat = _flat(out)
    assert flat.count("拟任理由充分，") == 2000 // 7
    assert flat.count("某大学经济学专业学习") == 30
    assert _pages(out) >= 4


def test_dossier_with_the_capabilities_demo_data(demo_db, tmp_path):
    from cadre_desk.postings import postings
    from reports.pdf import batch

    with_posting = [p for p in postings.list_postings() if p.post_name]
    assert with_posting
    posting = with_posting[0]
    out = tmp_path / "real.pdf"
    result = batch.build_dossiers([posting.cadre_id], out_path=out, reason="x")
    flat = _flat(out)
    assert re.sub(r"\s+", "", posting.post_name) in flat
    for heading in ("一线经历", "导师帮带", "实绩档案", "正面/负面清单", "考核结果"):
        assert heading in flat
    assert result.missing == []


def test_photo_is_drawn_and_a_broken_photo_is_said(cadre, tmp_path):
    import io

    from PIL import Image

    from reports.pdf import batch, dossier_data

    buf = io.BytesIO()
    Image.new("RGB", (260, 360), (200, 30, 30)).save(buf, "JPEG")
    data = dossier_data.gather(cadre.id)
    data.profile.photo = buf.getvalue()
    out = tmp_path / "photo.pdf"
    batch.build_dossiers([cadre.id], out_path=out, kind="rmb", reason="x", datas=[data])
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 3  # header, rule, one image
    data.profile.photo = b"not an image"  # stored before photos were checked on entry
    with pytest.raises(CadreDeskError) as err:
        batch.build_dossiers([cadre.id], out_path=tmp_path / "broken.pdf", kind="rmb", reason="x", datas=[data])
    assert f"{data.name}的照片已损坏" in str(err.value)
    assert not (tmp_path / "broken.pdf").exists()


def test_cli_reports_missing_glyphs_and_strict_refuses(unit, db_path, tmp_path, capsys):
    from cadre_desk.__main__ import main
    from cadre_desk.profiles import cadres

    cadre = cadres.save_profile(make_profile(unit.id, name="李四", remarks="生僻\U00031350")).profile
    out = tmp_path / "s.pdf"
    assert main(["--db", str(db_path), "dossier", str(out), "--ids", str(cadre.id), "--strict"]) == 3
    assert not out.exists()
    err = capsys.readouterr().err
    assert "李四 · 备注" in err and "U+31350" in err
    assert main(["--db", str(db_path), "dossier", str(out), "--ids", str(cadre.id)]) == 0
    assert out.exists()


def test_control_characters_and_entities_print_literally(tmp_path):
    from reports.pdf import batch
    from reports.pdf import pdf_common as pc

    text = "a\x00b\x0bc\u200bd<![CDATA[x]]> &amp; &#65; <br/> <para>"
    out = tmp_path / "ctl.pdf"
    batch.write_pdf(out, [pc.para(text)], "t", pc.FrameInfo("x", "y"))
    assert "abcd<![CDATA[x]]>&amp;&#65;<br/><para>" in _flat(out)
    assert pc.missing_chars(text) == []


def test_long_position_keeps_the_cover_on_one_page(unit, tmp_path):
    from cadre_desk.profiles import cadres
    from cadre_desk.settings import settings
    from reports.pdf import batch, dossier

    settings.set_department("中共兴平市委组织部", "市委组织部", "兴平市")
    position = ("中共兴平市委常委、市委组织部部长，市委党校校长（兼），市公务员局局长（兼）" * 10)[:324]
    cadre = cadres.save_profile(make_profile(unit.id, name="李长", position=position)).profile
    out = tmp_path / "cover.pdf"
    batch.build_dossiers([cadre.id], out_path=out, reason="x")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    from cadre_desk.domain import clock
    from cadre_desk.domain.dates import format_date

    assert dossier._department() in first and format_date(clock.today()) in first.split(dossier._department())[1]
    assert "基本信息" not in first
    assert "一、基本信息" in _text(out).split("\f")[1]


def test_cancelled_split_batch_keeps_an_earlier_file_of_the_same_name(demo_db, tmp_path):
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress
    from cadre_desk.store.models import Cadre
    from reports.pdf import batch
    from reports.pdf import pdf_common as pc

    cadres_ = list(Cadre.select().limit(4))
    folder = tmp_path / "split"
    folder.mkdir()
    earlier = folder / f"{pc.safe_file_name(cadres_[0].name + '_鉴定报告')}.pdf"
    earlier.write_bytes(b"%PDF earlier print")
    token = CancelToken()
    seen: set[str] = set()

    def report(done, total, text):
        if text.startswith("正在生成"):
            seen.add(text)
            if len(seen) >= 3:
                token.cancel()

    with pytest.raises(Cancelled):
        batch.build_dossiers([c.id for c in cadres_], split_dir=folder, reason="x",
                             progress=Progress(report, token))
    assert [p.name for p in folder.iterdir()] == [earlier.name]
    assert earlier.read_bytes() == b"%PDF earlier print"


def _line_boxes(path) -> list[tuple[float, float, str]]:
    """(xMin, yMin, text) of every text line, from pdftotext's bounding boxes."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</line>', xml, re.S):
        out.append((float(m.group(1)), float(m.group(2)), "".join(re.findall(r">([^<]*)</word>", m.group(3)))))
    return out


def test_dossier_long_rewards_read_as_one_even_column(cadre, tmp_path):
    """14 two-line 奖惩 items: every line starts at the same left edge (reportlab's split of one
    paragraph pushed later lines one space right) and the lines are evenly spaced (no gap where the
    text was cut into rows)."""
    from cadre_desk.profiles import cadres
    from reports.pdf import batch

    profile = cadres.get_profile(cadre.id)
    profile.rewards = [cadres.RewardItem(f"{2000 + i}1201", "1", f"{2000 + i}年度被某某省委、省政府授予“全省优秀公务员”"
                                         "称号，记二等功一次，同年被评为全市脱贫攻坚先进个人", "中共某某省委")
                       for i in range(14)]
    cadres.save_profile(profile)
    out = tmp_path / "rewards.pdf"
    batch.build_dossiers([cadre.id], out_path=out, reason="x")
    lines = [b for b in _line_boxes(out) if "省委" in b[2] or "脱贫攻坚" in b[2]]
    assert sum("称号" in t for _x, _y, t in lines) == 14
    assert max(x for x, _y, _t in lines) - min(x for x, _y, _t in lines) < 1
    page_one = [y for _x, y, _t in lines[:14]]
    steps = {round(b - a) for a, b in itertools.pairwise(page_one) if b > a}
    assert len(steps) == 1, steps


def test_no_line_ends_with_an_opening_bracket(tmp_path):
    """The 任免表's 简历 printed "综合协调科副科长（" / "主持工作）"; an opening bracket or quote now goes
    down to the next line with the word it opens (and no line starts with a closing one)."""
    from reports.pdf import pdf_common as pc

    text = "某某省某某市某某县人民政府办公室秘书科科员、综合协调科副科长（主持工作），县委组织部干部一股副股长“一把手”"
    for width in range(120, 480, 7):
        paragraph = pc.para(text, "cell")
        paragraph.wrap(width, 1000)
        lines = ["".join(line[1]) for line in paragraph.blPara.lines]  # one style: (space, [text])
        assert "".join(lines) == text
        for line in lines[:-1]:
            assert line[-1] not in "（“", (width, lines)
        for line in lines[1:]:
            assert line[0] not in "）”，、", (width, lines)


def test_mixed_style_paragraphs_keep_the_bracket_rule_too():
    """A paragraph with bold and plain runs goes through reportlab's other splitter; same rule."""
    from reports.pdf import pdf_common as pc

    text = "综合协调科副科长（主持工作），县委组织部干部一股副股长“一把手”" * 2
    for width in range(100, 300, 5):
        paragraph = pc.markup(f"<b>拟任</b>{text}", "cell")
        paragraph.wrap(width, 1000)
        lines = ["".join(w.text for w in line.words) for line in paragraph.blPara.lines]
        assert "".join(lines) == "拟任" + text
        assert not any(line[-1] in "（“" for line in lines[:-1]), (width, lines)


def test_the_cover_spans_only_the_postings(cadre, tmp_path):
    """No posting to span: the cover's 起止时间 was the appraisal years (2024年度) or this year; now 「—」."""
    from reports.pdf import batch, dossier_data

    data = _rich(dossier_data.gather(cadre.id))
    assert data.period() == "2023.01—2024.12.15"
    data.postings = []
    assert data.period() == "—"
    data.appraisals = []
    assert data.period() == "—"
    out = tmp_path / "cover.pdf"
    batch.build_dossiers([cadre.id], out_path=out, reason="x")
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                           text=True, check=True).stdout
    line = next(row for row in first.splitlines() if "起止时间" in row)
    assert line.split("起止时间")[1].strip() == "—", first


def test_a_sheets_heading_and_its_scores_stay_on_one_page(db, tmp_path):
    """A 考核结果 sheet that begins at a page's foot: its heading is not left there with one dimension,
    the others, 总分 and 等次 on the next page; heading and scores go over together."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from reports.pdf import batch, dossier
    from reports.pdf.rmb import FRAME_HEIGHT

    data = NS(appraisals=[NS(sheet_id=1, sheet_title="甲岗位赛马比选", period="2026-Q2", scheme_name="一线季度赛马比选",
                             dimension_scores={"政治表现": 89.2, "工作实绩": 88.22, "作风纪律": 89.22, "群众评价": 86.18},
                             total=88.36, grade="称职", comment="", finalized=True)])
    out = tmp_path / "foot.pdf"
    batch.write_pdf(out, [Spacer(1, FRAME_HEIGHT - 30 * mm), *dossier.appraisal_section(data)], "考核结果")
    pages = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
                                              capture_output=True, text=True, check=True).stdout)
             for n in range(1, _pages(out) + 1)]
    heading = next(i for i, text in enumerate(pages) if "甲岗位赛马比选" in text)
    assert all(word in pages[heading] for word in ("政治表现", "群众评价", "总分", "88.36", "称职"))


def test_the_section_heading_goes_over_with_its_first_sheet(db, tmp_path):
    """七、考核结果 with room below it for the heading alone: it goes to the next page with the first
    sheet's heading and scores instead of standing alone at the foot."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from reports.pdf import batch, dossier
    from reports.pdf.rmb import FRAME_HEIGHT

    data = NS(appraisals=[NS(sheet_id=1, sheet_title="甲岗位赛马比选", period="2026-Q2", scheme_name="一线季度赛马比选",
                             dimension_scores={"政治表现": 89.2, "工作实绩": 88.22, "作风纪律": 89.22, "群众评价": 86.18},
                             total=88.36, grade="称职", comment="", finalized=True)])
    out = tmp_path / "section.pdf"
    *room, title = dossier._Sections().heading("考核结果")
    story = [*room, *dossier.appraisal_section(data, lead=[title])]
    batch.write_pdf(out, [Spacer(1, FRAME_HEIGHT - 45 * mm), *story], "考核结果")
    pages = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
                                              capture_output=True, text=True, check=True).stdout)
             for n in range(1, _pages(out) + 1)]
    heading = next(i for i, text in enumerate(pages) if "一、考核结果" in text)
    assert "甲岗位赛马比选" in pages[heading] and "总分" in pages[heading]


def test_a_sheets_heading_says_its_period_once(db, tmp_path):
    """A sheet titled with its period printed it twice (2025年度考核　2025年度　…): the period only where the
    title does not say it."""
    from reports.pdf import batch, dossier

    scores = dict(dimension_scores={"政治表现": 89.2}, total=89.2, grade="称职", comment="", finalized=True)
    data = NS(appraisals=[NS(sheet_id=1, sheet_title="2025年度考核", period="2025", scheme_name="年度考核", **scores),
                          NS(sheet_id=2, sheet_title="甲岗位赛马比选", period="2026-Q2", scheme_name="赛马", **scores)])
    out = tmp_path / "periods.pdf"
    batch.write_pdf(out, dossier.appraisal_section(data), "考核结果")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    assert "2025年度考核年度考核" in lines, lines  # no 2025年度 between the title and the scheme
    assert "甲岗位赛马比选2026年第2季度赛马" in lines, lines


def _posting_in_post(data):
    """One posting 在岗: no 期满鉴定 nor 成效, so “一对一”指导人 is its table's last row."""
    data.postings = [NS(id=1, version=1, cadre_id=data.id, cadre_name=data.name, unit_name="", post_id=1,
                        post_name="驻村第一书记", line_name="乡村振兴一线", line_id=1, host="红旗村",
                        channel="组织选派", start="202301", planned_end="202412", actual_end="", state="在岗",
                        daily_manager="王书记", guide_cadre_id=None, guide_name="赵犇", recall_reason="",
                        outcome="", grade="", finished=False)]
    data.reviews, data.pairs, data.records, data.behaviour, data.appraisals = {}, [], [], [], []
    return data


def test_a_postings_rows_stay_on_one_page_in_the_dossier(cadre, tmp_path):
    """鉴定报告 (walk 34): the one-line 「“一对一”指导人」 row of a posting's table went onto the next page
    alone when the table ended near a page's bottom. Resumes of every length from none to more than a
    page put the table at every height of the page: its rows are on one page each time, with its title."""
    from cadre_desk.profiles import cadres
    from reports.pdf import batch, dossier_data

    split = 0
    for lines in range(0, 64):
        data = _posting_in_post(dossier_data.gather(cadre.id))
        data.profile.resume = [cadres.ResumeItem(f"{1990 + i // 12}{i % 12 + 1:02d}", "", f"第{i}段经历")
                               for i in range(lines)]
        out = tmp_path / f"d{lines}.pdf"
        batch.build_dossiers([cadre.id], out_path=out, reason="x", datas=[data])
        pages = [re.sub(r"\s+", "", page) for page in _text(out).split("\f")]
        where = {label: [i for i, page in enumerate(pages) if label in page]
                 for label in ("三、一线经历", "乡村振兴一线", "日常管理负责人", "一对一”指导人")}
        assert all(len(found) == 1 for found in where.values()), (lines, where)
        assert len({found[0] for found in where.values()}) == 1, (lines, where)  # the section's title too
        split += where["乡村振兴一线"][0] > 1  # page 1 is the cover's
    assert split  # some of the lengths did push the posting over a page


def test_the_closing_opinion_heading_goes_over_with_its_box_and_signatures(db, tmp_path):
    """九、鉴定意见 with room below it for the heading alone (a long 简历 ending near a page's foot): it
    stood there by itself, its empty box and the signature blocks on the next page."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from reports.pdf import batch, dossier
    from reports.pdf.rmb import FRAME_HEIGHT

    for opinion in ("", "政治坚定，工作扎实，群众公认。"):
        data = NS(appraisals=[NS(comment=opinion, finalized=True)] if opinion else [], postings=[], reviews={})
        out = tmp_path / "closing.pdf"
        *room, title = dossier._Sections().heading("鉴定意见")
        batch.write_pdf(out, [Spacer(1, FRAME_HEIGHT - 35 * mm), *room, *dossier.closing_section(data, title)],
                        "鉴定报告")
        pages = [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
                                                  capture_output=True, text=True, check=True).stdout)
                 for n in range(1, _pages(out) + 1)]
        heading = next(i for i, text in enumerate(pages) if "一、鉴定意见" in text)
        assert "组织部门意见" in pages[heading] and "派驻（接收）单位意见" in pages[heading], (opinion, pages)
        assert opinion in pages[heading]


def test_the_pieces_of_a_long_box_have_no_line_between_them_drawn_or_painted_over(db):
    """A long 奖惩情况 cut into table rows: the lines between its pieces were drawn and painted over in
    white, and showed through as grey or black rules on screen (pdftoppm -r 80, a viewer's zoom). They
    are now not drawn; the lines between boxes and round the table still are."""
    from reportlab.lib import colors

    from reports.pdf import dossier

    rewards = "\n".join(f"{2005 + i}.12 被评为兴平市优秀共产党员、优秀公务员、脱贫攻坚先进个人（第{i + 1}次）" * 2
                        for i in range(14))
    table = dossier.kv_table([("奖惩情况", rewards), ("年度考核结果", "无"), ("专业特长", "无")])
    rows = len(table._cellvalues)
    seams = set(range(rows - 3))  # the 奖惩情况 pieces: every row before the last two boxes' own rows
    assert rows > 4
    lines = [cmd for cmd in table._linecmds]
    assert not [cmd for cmd in lines if cmd[4] == colors.white], lines

    def drawn_below(row: int) -> bool:
        for op, (_c0, r0), (_c1, r1), _width, _colour, *_rest in lines:
            r1 = r1 if r1 >= 0 else rows + r1
            if op in ("GRID", "INNERGRID") and r0 <= row < r1:
                return True
            if op == "LINEBELOW" and r0 <= row <= r1:
                return True
        return False

    assert not [r for r in seams if drawn_below(r)]
    assert drawn_below(rows - 3) and drawn_below(rows - 2)
