"""A 任免表 exported by the program and imported back, as a clerk does with the file a department
returns: nothing the file does not change is changed — no year of 年度考核 lost, the photo not
saved again, 无变化 said and nothing written when the file is what the program wrote."""

from __future__ import annotations

import base64
import io

from conftest import make_profile
from corpus import id_number

from cadre_desk.domain.fields import AssessmentItem, FamilyItem, ResumeItem
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres
from cadre_desk.security import audit
from cadre_desk.store.models import AuditLog


def _photo() -> bytes:
    """A camera's photo: larger than the form, not 4:5, with some detail to lose."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (640, 720), (200, 210, 230))
    draw = ImageDraw.Draw(picture)
    for n in range(0, 640, 7):
        draw.line((n, 0, 640 - n, 720), fill=(n % 256, 60, 120), width=2)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    return out.getvalue()


def _cadre(unit_id: int):
    """王建国 as a clerk keeps him: five years of 年度考核 (the 任免表 says the last three), a photo,
    a 简历 and a family."""
    from cadre_desk.profiles.photos import normalize_photo

    profile = make_profile(unit_id, name="王建国", birth="198605", id_number=id_number("19860512", "311"),
                           position="市财政局副局长", party="200806", political="01", work_start="200907")
    profile.assessments = [AssessmentItem(year, result, "", "录入")
                           for year, result in ((2021, "2"), (2022, "2"), (2023, "1"), (2024, "2"), (2025, "1"))]
    profile.resume = [ResumeItem("200409", "200807", "西北大学经济管理学院会计学专业学习"),
                      ResumeItem("200807", "", "市财政局科员、副局长")]
    profile.family = [FamilyItem("13", "刘芳", "198703", "01", "市人民医院护士长", ""),
                      FamilyItem("11", "张桂兰", "196011", "13", "已去世", "")]
    profile.photo = normalize_photo(_photo())
    return cadres.save_profile(profile).profile


def _export(cadre_id: int, folder) -> list:
    from reports.lrmx import lrmx

    return lrmx.export_lrmx(folder, [cadre_id])


def test_a_stored_photo_checked_again_is_kept_byte_for_byte():
    """Every check of an .lrmx (each 重新检查 of the preview, each import) saved the photo as JPEG
    again: the picture lost detail every time and a re-imported file always changed the photo."""
    from cadre_desk.profiles.photos import normalize_photo

    once = normalize_photo(_photo())
    assert normalize_photo(once) == once


def test_an_exported_lrmx_imports_back_unchanged(db, unit, tmp_path):
    """The file the program wrote, imported back with 更新已有: every row was 更新 (the profile saved
    again, its photo re-encoded, its 年度考核结果（原文） set to the three years the form writes); now
    无变化, and nothing is written."""
    cadre = _cadre(unit.id)
    _export(cadre.id, tmp_path / "out")
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(tmp_path / "out", options)
    (row,) = plan.rows
    assert row.ok and row.duplicate_id == cadre.id, row.problems
    assert row.differences == () and row.unchanged(plan.kind)
    assert plan.counts()["unchanged"] == 1
    updates_before = AuditLog.select().where(AuditLog.action == audit.UPDATE).count()
    result = imports.commit(plan, options)
    assert (result.updated, result.unchanged) == (0, 1)
    after = cadres.get_profile(cadre.id)
    assert after.version == cadre.version and after.photo == cadre.photo
    assert AuditLog.select().where(AuditLog.action == audit.UPDATE).count() == updates_before


def test_a_returned_lrmx_keeps_the_years_it_does_not_say(db, unit, tmp_path):
    """The 任免表 writes the last three years of 年度考核: an update from it replaced the stored years,
    so 2021 and 2022 were deleted. Now the years the file gives are written and the others kept."""
    cadre = _cadre(unit.id)
    (path,) = _export(cadre.id, tmp_path / "out")
    text = path.read_bytes().decode("utf-8-sig")
    assert "2025年度考核为优秀" in text
    path.write_bytes(("\ufeff" + text.replace("2025年度考核为优秀", "2025年度考核为称职")
                      .replace("市财政局副局长<", "市财政局局长<")).encode("utf-8"))
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(tmp_path / "out", options)
    (row,) = plan.rows
    assert {d.label for d in row.differences} >= {"现任职务", "年度考核"}
    assert "照片" not in {d.label for d in row.differences}
    result = imports.commit(plan, options)
    assert result.updated == 1
    after = cadres.get_profile(cadre.id)
    assert after.values["position"] == "市财政局局长"
    assert {a.year: a.result for a in after.assessments} == {2021: "2", 2022: "2", 2023: "1", 2024: "2", 2025: "2"}
    assert after.photo == cadre.photo


def test_a_returned_lrmx_with_another_photo_says_so(db, unit, tmp_path):
    """A new photo in the file is a difference (照片) the preview shows, and the update stores it."""
    from PIL import Image

    cadre = _cadre(unit.id)
    (path,) = _export(cadre.id, tmp_path / "out")
    buffer = io.BytesIO()
    Image.new("RGB", (300, 375), (30, 90, 160)).save(buffer, "JPEG")
    text = path.read_bytes().decode("utf-8-sig")
    start, end = text.index("<ZhaoPian>") + len("<ZhaoPian>"), text.index("</ZhaoPian>")
    path.write_bytes(("\ufeff" + text[:start] + base64.b64encode(buffer.getvalue()).decode("ascii")
                      + text[end:]).encode("utf-8"))
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(tmp_path / "out", options)
    (row,) = plan.rows
    assert [d.label for d in row.differences] == ["照片"] and not row.unchanged(plan.kind)
    imports.commit(plan, options)
    assert cadres.get_profile(cadre.id).photo == buffer.getvalue()


def test_a_returned_lrmx_leaves_the_status_of_a_retired_cadre(db, unit, tmp_path):
    """An .lrmx has no 人员状态: the 在职 a new profile gets was taken as the file's, and updating a
    retired (or transferred) cadre from their 任免表 made them 在职 again."""
    cadre = _cadre(unit.id)
    profile = cadres.get_profile(cadre.id)
    profile.values["status"] = "3"  # 退休
    cadre = cadres.save_profile(profile).profile
    (path,) = _export(cadre.id, tmp_path / "out")
    text = path.read_bytes().decode("utf-8-sig")
    path.write_bytes(("\ufeff" + text.replace("市财政局副局长<", "市财政局调研员<")).encode("utf-8"))
    options = imports.ImportOptions(duplicate_action=imports.UPDATE)
    plan = imports.analyze(tmp_path / "out", options)
    (row,) = plan.rows
    assert [d.label for d in row.differences] == ["现任职务"]
    imports.commit(plan, options)
    after = cadres.get_profile(cadre.id)
    assert after.values["status"] == "3" and after.values["position"] == "市财政局调研员"
