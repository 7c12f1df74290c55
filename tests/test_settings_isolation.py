"""Each test starts with empty settings: what one test's dialogs remember (geometry, picker size, column
widths, the last folder) never reaches the next one in the same pytest process (tests/conftest.py)."""

from __future__ import annotations

_WRITTEN: list[str] = []  # the key the first test left, for the second to look for


def test_a_dialog_remembers_its_geometry(qtbot):
    from ui.widgets.form_dialog import FormDialog
    from ui.widgets.window import settings

    dialog = FormDialog(title="甲")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(640, 420)
    dialog.reject()
    key = dialog._settings_key()
    assert settings().value(key) is not None
    _WRITTEN.append(key)


def test_the_next_test_sees_none_of_it(qtbot):
    from ui.widgets.window import settings

    assert _WRITTEN, "runs after the test above"
    assert settings().value(_WRITTEN[0]) is None
    assert settings().allKeys() == []
