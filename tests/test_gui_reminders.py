"""The main window shows every capability's reminders in its 工作提醒 dock."""

from cadre_desk.home import reminders


def test_reminders_dock_lists_registered_reminders(qtbot, db, monkeypatch):
    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    sample = [reminders.Reminder("一线锻炼", "张三在“招商小分队”的锻炼将于 2026.12 期满", 1),
              reminders.Reminder("导师帮带", "李四→王五 已 40 天无谈话记录", None, "warning")]
    monkeypatch.setattr(reminders, "PROVIDERS", [lambda: sample])
    context = AppContext(db_path=None)
    window = MainWindow(context)
    qtbot.addWidget(window)
    panel = window.reminders_dock.widget()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.items == sample, timeout=5000)
    tree = panel.tree
    assert tree.topLevelItemCount() == 2
    assert tree.topLevelItem(0).text(0) == "一线锻炼（1）"
    assert "锻炼将于" in tree.topLevelItem(0).child(0).text(0)
    assert panel.summary.text() == "共 2 条提醒"
    context.tasks.wait_all()


def test_reminders_finishing_after_the_window_closed_do_no_harm(qtbot, db, monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication
    from shiboken6 import delete

    from ui.shell.context import AppContext
    from ui.shell.main_window import MainWindow

    release = threading.Event()

    def slow():
        release.wait(5)
        return [reminders.Reminder("一线锻炼", "迟到的提醒", None)]

    monkeypatch.setattr(reminders, "PROVIDERS", [slow])
    context = AppContext(db_path=None)
    window = MainWindow(context)
    context.tasks.wait_all()
    panel = window.reminders_dock.widget()
    panel.refresh()
    delete(window)
    release.set()
    context.tasks.wait_all()
    QApplication.processEvents()  # the late result is delivered to deleted widgets: no error
