"""An import that updates cadres, and a save of one of them between the preview and 导入 (another clerk,
or the same clerk in another window): the import is refused, naming who saved and when (from the audit
log, as every stale save says it), and nothing of the file is written — whether the file is a roster
or a 任免表 (.lrmx), in the service, the window and the command line."""

from __future__ import annotations

import pytest
from corpus import county_roster, id_number, person, write_lrmx, xingping_units

from cadre_desk.domain.errors import ConflictError
from cadre_desk.domain.text import keep_together
from cadre_desk.exchange import imports
from cadre_desk.profiles import cadres
from cadre_desk.store.models import Cadre
from tests.test_concurrent_edits import LI, TODAY, ZHAO, admins, as_user, clerks  # noqa: F401 - the fixtures

UPDATE = imports.ImportOptions(duplicate_action=imports.UPDATE)
CHEN = id_number("19860214", "377")  # the number person() gives 陈刚


def _chen_imported(folder, role) -> int:
    """王经办 imports 陈刚's 任免表 as the department first sent it; returns his id."""
    folder.mkdir()
    write_lrmx(folder / "陈刚.lrmx", **person())
    with as_user("wang", "王经办", role):
        xingping_units()
        assert imports.commit(imports.analyze(folder, UPDATE), backup=False).inserted == 1
    return Cadre.get(Cadre.id_number == CHEN).id


def _returned(folder, newcomer: bool = False):
    """The 任免表 the department sends back: 陈刚 promoted (现任职务, 简历); with ``newcomer`` a folder that
    has 刘洋's too, who is not in the system yet."""
    folder.mkdir()
    resume = person()["JianLi"].replace("2015.06—至今", "2015.06--2016.03") + \
        "\r\n2016.03—至今\u3000\u3000兴平市发展和改革局副局长"
    chen = write_lrmx(folder / "陈刚.lrmx", **person(XianRenZhiWu="兴平市发展和改革局副局长", JianLi=resume))
    if not newcomer:
        return chen
    write_lrmx(folder / "刘洋.lrmx", **person("刘洋", "198704"))
    return folder


def _zhao_saves(cadre_id: int, role, **values) -> None:
    with as_user("zhao", "赵经办", role):
        theirs = cadres.get_profile(cadre_id)
        theirs.values.update(values)
        cadres.save_profile(theirs)


@pytest.mark.parametrize("saver", [("zhao", "赵经办"), ("wang", "王经办")], ids=["another clerk", "another window"])
def test_an_lrmx_update_after_another_saved_the_profile_is_refused_naming_who(clerks, tmp_path, saver):  # noqa: F811
    """The preview compared the file with 陈刚's profile; 赵经办 (or 王经办 himself, in the profile's
    window) then saved the profile (a 联系电话); 王经办's 导入 would have written the file over it without a
    word. Now refused, naming who and when, and nothing of the folder written (刘洋 not added either);
    after 重新检查 the folder imports and the change made in between stays."""
    cadre_id = _chen_imported(tmp_path / "first", clerks)
    folder = _returned(tmp_path / "back", newcomer=True)
    with as_user("wang", "王经办", clerks):
        plan = imports.analyze(folder, UPDATE)
    chen, liu = sorted(plan.rows, key=lambda r: r.name != "陈刚")
    assert chen.ok and chen.action == imports.UPDATE and chen.differences, chen.problems
    assert liu.ok and liu.action == imports.INSERT, liu.problems
    username, name = saver
    with as_user(username, name, clerks):
        theirs = cadres.get_profile(cadre_id)
        theirs.values["phone"] = "13912345678"
        cadres.save_profile(theirs)
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        imports.commit(plan, backup=False)
    said = str(refused.value)
    assert said.startswith(f"在检查文件之后，“陈刚.lrmx”中陈刚的档案已被 {keep_together(f'{name}（{username}）')} 于 {TODAY}"), said
    assert said.endswith("未导入任何数据；请重新检查文件后再导入。")
    assert refused.value.changed_by == f"{name}（{username}）" and refused.value.changed_at.startswith(TODAY)
    assert not Cadre.select().where(Cadre.name == "刘洋").exists()
    with as_user("wang", "王经办", clerks):
        stored = cadres.get_profile(cadre_id)
        assert stored.values["position"] == "兴平市发展和改革局科员" and stored.values["phone"] == "13912345678"
        result = imports.commit(imports.analyze(folder, UPDATE), backup=False)  # 重新检查, then 导入
        assert (result.inserted, result.updated) == (1, 1)
        stored = cadres.get_profile(cadre_id)
    assert stored.values["position"] == "兴平市发展和改革局副局长" and stored.values["phone"] == "13912345678"


def test_an_lrmx_update_of_a_profile_deleted_since_says_so(clerks, tmp_path):  # noqa: F811
    cadre_id = _chen_imported(tmp_path / "first", clerks)
    with as_user("wang", "王经办", clerks):
        plan = imports.analyze(_returned(tmp_path / "back"), UPDATE)
        cadres.delete_cadre(cadre_id)
        with pytest.raises(ConflictError) as refused:
            imports.commit(plan, backup=False)
    assert refused.value.gone and "陈刚的档案已被他人删除" in str(refused.value)


def test_a_roster_update_after_another_saved_says_who_and_when_too(clerks, tmp_path):  # noqa: F811
    """The roster's refusal said only 已被他人修改: now the same words as the .lrmx's, with who and when."""
    path = county_roster(tmp_path / "花名册.xlsx")
    with as_user("wang", "王经办", clerks):
        xingping_units()
        assert imports.commit(imports.analyze(path, UPDATE), backup=False).inserted
        zhao_min = Cadre.get(Cadre.name == "赵敏").id
        plan = imports.analyze(county_roster(tmp_path / "花名册2.xlsx", _promoted("赵敏")), UPDATE)
    _zhao_saves(zhao_min, clerks, phone="13800001111")
    with as_user("wang", "王经办", clerks), pytest.raises(ConflictError) as refused:
        imports.commit(plan, backup=False)
    said = str(refused.value)
    assert "在检查文件之后，第 " in said and f"赵敏的档案已被 {ZHAO} 于 " + TODAY in said, said
    assert cadres.get_profile(zhao_min).values["position"] == "中共兴平市委办公室秘书科科员"


def _promoted(name: str):
    from corpus import COUNTY_ROWS

    return [(row[0], *row[1:7], row[7].replace("科员", "副科长"), *row[8:]) if row[0] == name else row
            for row in COUNTY_ROWS]


def test_the_command_line_says_who_saved_in_between(clerks, tmp_path, db_path, monkeypatch, capsys):  # noqa: F811
    """``import --update``: another saves the profile while the command checks the file."""
    from cadre_desk.__main__ import main
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    cadre_id = _chen_imported(tmp_path / "first", clerks)
    folder = _returned(tmp_path / "back")
    analyze = imports.analyze

    def checked_then_saved(*args, **kwargs):
        plan = analyze(*args, **kwargs)
        _zhao_saves(cadre_id, clerks, phone="13912345678")
        return plan

    monkeypatch.setattr(imports, "analyze", checked_then_saved)
    monkeypatch.setenv("CADRE_DESK_PASSWORD", "Passw0rd!2026")
    close_database()
    try:
        assert main(["--db", str(db_path), "--user", "wang", "import", "--update", str(folder)]) == 1
    finally:  # the command's sign-in asks every later operator to sign in too: not the next test's
        from cadre_desk.access import scope

        scope.require_login(False)
    said = capsys.readouterr().err
    assert f"“陈刚.lrmx”中陈刚的档案已被 {ZHAO} 于 " + TODAY in said, said
    assert said.count("未导入任何数据") == 1, said
    open_database(db_path)
    assert cadres.get_profile(cadre_id).values["position"] == "兴平市发展和改革局科员"


def test_the_preview_window_says_who_saved_in_between(qtbot, clerks, tmp_path, boxes):  # noqa: F811
    """The box names 赵经办 and when; the preview is checked again against the profile as stored now, and
    the next 导入 writes the file without undoing 赵经办's change."""
    from ui.exchange import import_dialog
    from ui.shell.context import AppContext

    cadre_id = _chen_imported(tmp_path / "first", clerks)
    with as_user("wang", "王经办", clerks):
        plan = imports.analyze(_returned(tmp_path / "back"), UPDATE)
        dialog = import_dialog.ImportDialog(AppContext(), plan, UPDATE)
        qtbot.addWidget(dialog)
        _zhao_saves(cadre_id, clerks, phone="13912345678")
        dialog.run_import()
        qtbot.waitUntil(lambda: bool(boxes.shown) and dialog.import_button.isEnabled(), timeout=20000)
        title, said, _buttons = boxes.shown[-1]
        assert title == "导入失败" and f"{ZHAO} 于 " + TODAY in said, said
        assert said.count("未导入任何数据") == 1 and "预览已按档案的现状重新检查" in said, said
        assert dialog.result_value is None
        assert cadres.get_profile(cadre_id).values["position"] == "兴平市发展和改革局科员"
        dialog.run_import()
        qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=20000)
        assert dialog.result_value.updated == 1
        stored = cadres.get_profile(cadre_id)
    assert stored.values["position"] == "兴平市发展和改革局副局长" and stored.values["phone"] == "13912345678"
