"""The main window: navigation pane of the modules that exist (the 工作台 first, the roster built
behind it), menus, toolbar, status.

It is made in two steps: the frame (title, size) needs nothing but Qt and shows at once when the
program starts; ``build(context)`` fills it once the database is open and somebody has logged in.
``MainWindow(context)`` does both. Pages are built when first shown: the first one (the 工作台) in the
turn of the event loop after build(), with 「正在打开……」 in its place until then, and only once it has
painted does the background work of the start begin (the roster's 100,000-cadre load, and whatever
waits on ``first_page_painted``: the start-up quick_check) — Python threads take the GIL from the
window being built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from cadre_desk import APP_TITLE, __version__
from ui.widgets.window import report_timing, resize_to_screen, settings

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QWidget

    from ui.shell import registry


# Qt.ItemDataRole.UserRole. Naming anything of PySide's ``Qt`` namespace builds all of it (~15–30 ms, its
# 94 enums at once); the window's navigation and menus do without it, its first page pays it.
USER_ROLE = 256


class MainWindow(QMainWindow):
    # The first page has painted (or a second passed without it): the start's background work may begin.
    first_page_painted = Signal()

    def __init__(self, context=None):
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        resize_to_screen(self, 1400, 860)
        geometry = settings().value("main/geometry")  # where the clerk left it, before it first shows
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self.context = None
        self._shown_once = False
        self._pages: dict[str, QWidget] = {}
        self._modules: list = []
        self._first_page_due = False  # build() happened; the current page follows in the next turn
        self._placeholder: QLabel | None = None
        self._paint_watch: _FirstPaint | None = None
        # Not centred: PySide6 builds its whole Qt namespace (~50 ms) at the first use of Qt.AlignCenter,
        # which the frame need not wait for. Nor for the classes of its parts (each a type PySide makes,
        # with its enums, when first named): build() imports them.
        opening = QLabel("正在打开数据库……")
        opening.setObjectName("opening")
        opening.setMargin(24)
        self.setCentralWidget(opening)
        if context is not None:
            self.build(context)

    def build(self, context) -> None:
        """The window's parts for this database and operator (the frame may already be showing)."""
        from PySide6.QtWidgets import (
            QFrame,
            QHBoxLayout,
            QListWidget,
            QListWidgetItem,
            QStackedWidget,
            QWidget,
        )

        from ui.shell import registry
        from ui.shell.features import register_all

        register_all()
        self.context = context
        context.main_window = self
        self.setWindowTitle(f"{APP_TITLE} — {context.db_path.name if context.db_path else ''}")
        self._modules = sorted(registry.MODULES, key=lambda m: m.order)
        self._guarded_actions: list[tuple[QAction, tuple[str, ...]]] = []
        self._conditional_actions: list = []  # (action, MenuActionSpec with ``unavailable``)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        for spec in self._modules:
            item = QListWidgetItem(spec.title)
            item.setData(USER_ROLE, spec.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        # Where the first page will be, until it is built (the next turn of the event loop).
        self._placeholder = QLabel("正在打开……")
        self._placeholder.setObjectName("openingPage")  # top left, where the page's title will be (style.qss)
        self._placeholder.setMargin(24)
        self.stack.addWidget(self._placeholder)
        self._first_page_due = True
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_module)

        self._build_menus()
        self.db_label = QLabel()
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.db_label.setText(f"数据库：{context.db_path}" + ("（只读）" if context.db_readonly else ""))
        from ui.shell import session

        session.install_shortcuts(self)
        context.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        context.session_must_end.connect(lambda reason: session.end_session_now(context, reason))
        context.cadres_changed.connect(lambda _ids: self.update_count())
        self._restore_state()
        self.apply_permissions()
        current = self.nav.currentItem()
        if current is not None and self._first_page_due:
            self._placeholder.setText(f"正在打开{current.text()}……")
        if self._shown_once:  # the frame showed first: its page now
            QTimer.singleShot(0, self.update_count)
            self._after_first_show()

    def apply_permissions(self) -> None:
        """Show only the pages and actions the operator's roles allow (a 系统管理员 sees no cadre page,
        an auditor only the log); called again after a login in an open window."""
        from ui.shell import session

        session.show_operator(self)
        for row, spec in enumerate(self._modules):
            self.nav.item(row).setHidden(not self.context.allows(spec.needs))
        for action, needs in self._guarded_actions:
            action.setVisible(all(self.context.allows(n) for n in needs))
        for action, spec in self._conditional_actions:
            why = spec.unavailable(self.context) if action.isVisible() else ""
            action.setEnabled(not why)
            action.setToolTip(why)  # "": no tip (a menu shows only the tips set)
        for menu in self.menus.values():
            menu.menuAction().setVisible(any(a.isVisible() and not a.isSeparator() for a in menu.actions()))
        self.toolbar.setVisible(any(a.isVisible() for a in self.toolbar.actions()))
        current = self.nav.currentRow()
        if current < 0 or self.nav.item(current).isHidden():
            visible = [row for row in range(self.nav.count()) if not self.nav.item(row).isHidden()]
            if visible:
                self.nav.setCurrentRow(visible[0])

    # ---- pages ----------------------------------------------------------------------------------
    def visible_modules(self) -> list[registry.ModuleSpec]:
        """The pages of the navigation pane the operator sees, in their order."""
        return [spec for row, spec in enumerate(self._modules) if not self.nav.item(row).isHidden()]

    def page(self, key: str) -> QWidget | None:
        row = self.nav.currentRow()
        if key not in self._pages and row >= 0 and self._modules[row].key == key:
            self._show_current()  # asked for before the window first showed it
        return self._pages.get(key)

    def show_module(self, key: str) -> QWidget | None:
        for row, spec in enumerate(self._modules):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return self.page(key)
        return None

    def _show_module(self, row: int) -> None:
        if row < 0 or self.nav.item(row).isHidden():
            return
        if not self._shown_once or self._first_page_due:
            # The window (frame, navigation, menus) shows first; its page is built in the next turn of the
            # event loop (or at once when somebody asks for it).
            return
        self._display(row)

    def _show_current(self) -> None:
        row = self.nav.currentRow()
        if row >= 0 and not self.nav.item(row).isHidden():
            self._display(row)

    def _warm_roster(self) -> None:
        """Build the roster behind the first page (the 工作台), so that it is ready one click away: its
        cadre index loads in the background; the window's count and the other pages' selections use it."""
        for row, spec in enumerate(self._modules):
            if spec.key == "cadres" and spec.key not in self._pages and not self.nav.item(row).isHidden():
                page = spec.factory(self.context)
                self._pages[spec.key] = page
                self.stack.addWidget(page)

    def forget_pages(self) -> None:
        """Drop every page (注销 / 切换用户): the next operator's pages are made for their roles and units."""
        for page in self._pages.values():
            save = getattr(page, "save_state", None)
            if save:
                save()
            self.stack.removeWidget(page)
            page.setParent(None)  # out of the window at once: its edits were settled, not asked about again
            page.deleteLater()
        self._pages.clear()

    def show_current_page(self) -> None:
        """After a login in the open window: the chosen page (made afresh after forget_pages)."""
        if self._shown_once:
            self._show_current()

    def _display(self, row: int) -> None:
        spec = self._modules[row]
        page = self._pages.get(spec.key)
        if page is None:
            page = spec.factory(self.context)
            self._pages[spec.key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self._first_page_due = False
        if self._placeholder is not None:
            self.stack.removeWidget(self._placeholder)
            self._placeholder.deleteLater()
            self._placeholder = None

    def update_count(self) -> None:
        index = self.context.index if self.context is not None else None
        if index is not None:
            self.count_label.setText(f"共 {len(index)} 名干部")

    # ---- menus ----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence

        from cadre_desk.access import permissions
        from ui.shell import registry
        from ui.widgets import messages

        bar = self.menuBar()
        self.menus = {}
        for title in ("文件", "干部", "工具", "帮助"):
            self.menus[title] = bar.addMenu(title)
        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        self.toolbar = toolbar

        new_cadre = QAction("新建干部", self)
        # setShortcuts(StandardKey): the platform's bindings, without PySide's Qt namespace (setShortcut
        # with a StandardKey builds it: ~15–30 ms before the window is up)
        new_cadre.setShortcuts(QKeySequence.StandardKey.New)
        new_cadre.triggered.connect(lambda: self.context.open_profile(None, self))
        new_cadre.setEnabled(not self.context.db_readonly)
        self.menus["干部"].addAction(new_cadre)
        toolbar.addAction(new_cadre)
        self._guarded_actions.append((new_cadre, (permissions.EDIT,)))
        self.new_cadre_action = new_cadre

        for spec in sorted(registry.CADRE_ACTIONS, key=lambda a: a.order):
            action = QAction(spec.title, self)
            action.triggered.connect(lambda _=False, s=spec: self.run_cadre_action(s))
            self.menus["干部"].addAction(action)
            self._guarded_actions.append((action, (permissions.READ, spec.needs)))

        for spec in sorted(registry.MENU_ACTIONS, key=lambda a: a.order):
            menu = self.menus.get(spec.menu) or self.menus.setdefault(spec.menu, bar.addMenu(spec.menu))
            action = QAction(spec.title, self)
            action.triggered.connect(lambda _=False, s=spec: s.callback(self.context))
            menu.addAction(action)
            self._guarded_actions.append((action, (spec.needs,)))
            if spec.unavailable is not None:
                menu.setToolTipsVisible(True)
                self._conditional_actions.append((action, spec))

        self.menus["文件"].addSeparator()
        quit_action = QAction("退出", self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menus["文件"].addAction(quit_action)

        about = QAction("关于", self)
        about.triggered.connect(lambda: messages.info(
            self, "关于", f"{APP_TITLE}\n版本 {__version__}\n\n数据库：{self.context.db_path}"))
        self.menus["帮助"].addAction(about)

    def run_cadre_action(self, spec) -> None:
        from ui.widgets import messages

        ids = self.context.selected_cadre_ids()
        if len(ids) < spec.min_selection:
            messages.info(self, spec.title, "请先在干部名册中选择干部。")
            return
        spec.callback(self.context, ids)

    # ---- state ----------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        """The docks and toolbar as the clerk left them (the geometry was restored with the frame)."""
        state = settings().value("main/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        from cadre_desk.access import permissions
        from ui.widgets import unsaved

        if self.context is not None and not unsaved.settle(self, "退出"):
            event.ignore()  # 取消 (or a save refused): the program stays open with the edits
            return
        store = settings()
        store.setValue("main/geometry", self.saveGeometry())
        if self.context is None:  # closed before the database opened
            super().closeEvent(event)
            return
        if self.context.allows(permissions.READ):  # a 系统管理员's window hid the dock: not the next user's
            store.setValue("main/state", self.saveState())
        for page in self._pages.values():
            save = getattr(page, "save_state", None)
            if save:
                save()
        self.context.tasks.wait_all(10000)
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self.update_count)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, lambda: report_timing("window_shown"))
            if self.context is not None:  # built before it showed (otherwise build() does this)
                self._after_first_show()

    def _after_first_show(self) -> None:
        """The current page in the next turn of the event loop; once it has painted, the roster behind
        it and ``first_page_painted``."""
        def first_page() -> None:
            self._show_current()
            self._first_page_due = False  # also when the operator may see no page at all
            QTimer.singleShot(0, lambda: report_timing("window_ready"))
            page = self.stack.currentWidget()
            if page is None or page is self._placeholder:
                self._first_painted()
            else:
                self._paint_watch = _FirstPaint(page, self._first_painted)

        QTimer.singleShot(0, first_page)

    def _first_painted(self) -> None:
        self._paint_watch = None
        self._warm_roster()
        self.first_page_painted.emit()


class _FirstPaint(QObject):
    """Calls ``then`` once, after ``page``'s first paint, or after a second when it does not paint
    (a minimised window): what waits for it must not wait for ever."""

    def __init__(self, page, then):
        super().__init__(page)
        self._then = then
        self._page = page
        page.installEventFilter(self)
        QTimer.singleShot(1000, self, self._fire)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)  # after this paint
        return False

    def _fire(self) -> None:
        if self._then is None:
            return
        then, self._then = self._then, None
        self._page.removeEventFilter(self)
        self.deleteLater()
        then()
