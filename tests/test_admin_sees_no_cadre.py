"""三员分立: the 系统管理员 sees no cadre data. Each settings dialog of the 工具 menu the administrator may
open (考核方案…, 专业干部库设置…, 导师帮带设置… …) shows no cadre's name, 身份证号 or unit-free detail."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# the administrator's own tools, not settings of a capability
NOT_SETTINGS = {"备份数据库…", "从备份恢复…", "加密数据库…", "用户管理…"}


def _texts(dialog: QWidget) -> str:
    """Every word the dialog shows: labels, fields, lists, tables (each cell and header), tips."""
    parts = [dialog.windowTitle()]
    for w in dialog.findChildren(QWidget):
        parts.append(w.toolTip())
        if isinstance(w, QLabel):
            parts.append(w.text())
        elif isinstance(w, QLineEdit):
            parts.append(w.text())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            parts.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            parts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QAbstractSpinBox):
            parts.append(w.text())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            parts += _model_texts(model)
    return "\n".join(p for p in parts if p)


def _model_texts(model, parent=None) -> list[str]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    out = []
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list's model (columnCount, hasChildren private): one column, flat
        return [str(model.data(model.index(row, 0)) or "") for row in range(model.rowCount())]
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            out.append(str(model.data(index) or ""))
            if column == 0 and _has_children(model, index):
                out += _model_texts(model, index)
    return out


def _has_children(model, index) -> bool:
    try:
        return model.hasChildren(index)
    except TypeError:  # a table model's (private): flat
        return False


def test_no_settings_dialog_of_the_administrator_shows_a_cadre(qtbot, db_path, db, monkeypatch):
    from cadre_desk.access import context
    from cadre_desk.features import register_all
    from cadre_desk.profiles import demo
    from cadre_desk.security import accounts
    from cadre_desk.store.models import Cadre
    from ui.security import security
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    register_all()
    context.set_operator(None)
    demo.generate(40, seed=3)
    names = {c.name for c in Cadre.select(Cadre.name)}
    numbers = {c.id_number for c in Cadre.select(Cadre.id_number) if c.id_number}
    accounts.create_first_admin("admin", "Admin@2024x")
    accounts.login("admin", "Admin@2024x")
    window = MainWindow(AppContext(db_path))
    qtbot.addWidget(window)
    window.show()
    security.after_login(window)
    shown: dict[str, str] = {}
    opened: list[QDialog] = []

    def look(dialog) -> int:
        opened.append(dialog)
        dialog.show()
        qtbot.wait(50)
        deadline = 0
        while getattr(dialog, "loading", False) and deadline < 100:
            qtbot.wait(50)
            deadline += 1
        shown.setdefault(dialog.windowTitle(), "")
        shown[dialog.windowTitle()] += _texts(dialog)
        # the first row of every list opened: its details come in the dialog's other parts
        for view in dialog.findChildren(QAbstractItemView):
            if view.model() is not None and view.model().rowCount():
                view.setCurrentIndex(view.model().index(0, 0))
                qtbot.wait(20)
                shown[dialog.windowTitle()] += _texts(dialog)
        dialog.done(QDialog.DialogCode.Rejected)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QDialog, "exec", look)
    actions = [a for a in window.menus["工具"].actions()
               if a.isVisible() and a.isEnabled() and not a.isSeparator() and a.text() not in NOT_SETTINGS]
    titles = [a.text() for a in actions]
    assert "考核方案…" in titles and "专业干部库设置…" in titles, titles
    for action in actions:
        action.trigger()
        window.context.tasks.wait_all()
    assert set(shown) >= {"考核方案", "专业干部库设置", "导师帮带设置", "政治体检对照检查项目"}, titles
    for title, text in shown.items():
        leaked = sorted(n for n in names if n in text) + sorted(n for n in numbers if n in text)
        assert not leaked, f"{title} 向系统管理员显示了干部数据：{leaked[:5]}"
