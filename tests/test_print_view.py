"""The print dialog and the background build from the window."""

from __future__ import annotations

import pytest

from tests.conftest import make_profile


@pytest.fixture
def context(db, db_path, qtbot):
    from cadre_desk.profiles.cadre_list import CadreIndex
    from ui.shell.context import AppContext

    ctx = AppContext(db_path)
    ctx.index = CadreIndex.load()
    yield ctx
    ctx.tasks.wait_all()


def test_dialog_requires_reason_and_builds_in_background(context, unit, qtbot, tmp_path):
    from cadre_desk.profiles import cadres
    from cadre_desk.security import audit
    from ui.printing import print_view

    cadre = cadres.save_profile(make_profile(unit.id, name="赵犇")).profile
    context.index.refresh(cadre.id)
    dialog = print_view.PrintDialog("dossier", [cadre.id], ["赵犇"])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "out.pdf"))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted and "事由" in dialog.error_text("reason")
    dialog.reason.setText("存档")
    dialog.accept()
    assert dialog.options() == {"reason": "存档", "out_path": str(tmp_path / "out.pdf"), "split_dir": None}
    results = []
    print_view.start_print(context, [cadre.id], "dossier", dialog=dialog, on_finished=results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert (tmp_path / "out.pdf").exists()
    assert any(e.action == audit.PRINT and e.reason == "存档" for e in audit.entries())


def test_missing_glyphs_shown_before_building(context, unit, qtbot, tmp_path):
    from cadre_desk.profiles import cadres
    from ui.printing import print_view

    cadre = cadres.save_profile(make_profile(unit.id, name="张三", remarks="罕见字\U00031350")).profile
    dialog = print_view.PrintDialog("rmb", [cadre.id], ["张三"])
    qtbot.addWidget(dialog)
    dialog.reason.setText("测试")
    dialog.split.setChecked(True)
    dialog.path.setText(str(tmp_path / "split"))
    dialog.accept()
    seen = []

    def refuse(missing):
        seen.extend(missing)
        return False

    print_view.start_print(context, [cadre.id], "rmb", dialog=dialog, confirm_missing=refuse)
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert "备注" in seen[0].where and seen[0].char == "\U00031350"
    context.tasks.wait_all()
    assert not (tmp_path / "split").exists() or not any((tmp_path / "split").iterdir())
    box = print_view.MissingGlyphDialog(seen)
    qtbot.addWidget(box)
    assert "U+31350" in print_view.missing_report(seen)


def test_main_window_offers_print_actions_and_filter_result(demo_db, qtbot, monkeypatch):
    from ui.printing import print_view
    from ui.shell.context import AppContext
    from ui.shell.features import register_all
    from ui.shell.main_window import MainWindow

    register_all()
    window = MainWindow(AppContext(None))
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menus["干部"].actions()]
    assert "打印鉴定报告…" in titles and "打印任免审批表…" in titles
    assert any(a.text() == "打印当前筛选结果的鉴定报告…" for a in window.menus["文件"].actions())
    page = window.show_module("cadres")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    seen = []
    monkeypatch.setattr(print_view, "start_print", lambda ctx, ids, kind: seen.append((len(ids), kind)))
    print_view.print_filter_result(window.context, "rmb")
    assert seen == [(page.model.rowCount(), "rmb")]
    window.context.tasks.wait_all(10000)


def test_an_existing_file_is_replaced_only_when_confirmed(qtbot, tmp_path, monkeypatch):
    from ui.printing import print_view

    earlier = tmp_path / "earlier.pdf"
    earlier.write_bytes(b"%PDF earlier")
    answers = []
    monkeypatch.setattr(print_view, "confirm_replace", lambda parent, path: answers.append(path) or False)
    dialog = print_view.PrintDialog("rmb", [1], ["赵犇"])
    qtbot.addWidget(dialog)
    dialog.reason.setText("存档")
    dialog.path.setText(str(earlier))
    dialog.accept()
    assert answers == [str(earlier)] and dialog.result() != dialog.DialogCode.Accepted
    monkeypatch.setattr(print_view, "confirm_replace", lambda parent, path: True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_one_file_print_does_not_take_the_height_of_one_with_the_output_choice(qtbot):
    """导师帮带结对名单 hides 输出方式: the height kept by a print that shows it left an empty band there."""
    from ui.printing.print_view import PrintDialog

    names = ["甲 — 乙", "丙 — 丁", "戊 — 己"]
    other = PrintDialog("mentoring", [1, 2, 3], names, noun="对")
    qtbot.addWidget(other)
    other.show()
    other.resize(other.width(), other.sizeHint().height())
    other.done(0)  # its size kept
    one_file = PrintDialog("pair_list", [1, 2, 3], names, noun="对", single_only=True)
    qtbot.addWidget(one_file)
    one_file.show()
    assert one_file.height() < other.height()
    assert one_file.height() <= one_file.sizeHint().height() + 4
