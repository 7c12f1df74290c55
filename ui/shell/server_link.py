"""The window on a shared server database: the 连接服务器 dialog at start, the remembered choice (per
operating-system user, in QSettings; never the password), and the other clerks' changes arriving in
the lists (LISTEN/NOTIFY → the cadre index refreshes those rows, not a full reload)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QSpinBox

from cadre_desk.store.server import DEFAULT_PORT, ServerLocation
from ui.shell.server_choice import LOCAL, remember_local, remember_server, remembered_server
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog


class ConnectDialog(FormDialog):
    """Host, port, database, user and the password (asked each time). 连接 opens, migrates and binds the
    server database (``open_now``; from the menu it only tries the connection); the result is
    ``location`` (its password in memory only). 使用本机数据库 ends with ``use_local`` True."""

    title = "连接服务器"
    ok_text = "连接"
    hands_back = True  # its caller does the work: on leaving the program, named as lost

    def __init__(self, location: ServerLocation | None = None, parent=None, offer_local: bool = True,
                 open_now: bool = True):
        super().__init__(parent)
        self.open_now = open_now
        self.location: ServerLocation | None = None
        self.use_local = False
        location = location or ServerLocation("", DEFAULT_PORT, "cadre", "")
        hint = QLabel("多个科室共用一个数据库时，连接单位信息中心架设的数据库服务器。服务器地址、端口、数据库名和"
                      "用户名由信息中心提供；本机会记住这些设置（不记住密码）。")
        hint.setWordWrap(True)
        self.layout_.insertWidget(0, hint)
        self.host = self.add_field("host", "服务器地址", QLineEdit(location.host))
        self.host.setPlaceholderText("例如 192.168.1.20 或 zzb-db")
        self.port = self.add_field("port", "端口", QSpinBox())
        self.port.setRange(1, 65535)
        self.port.setValue(location.port)
        self.dbname = self.add_field("dbname", "数据库", QLineEdit(location.dbname))
        self.user = self.add_field("user", "用户名", QLineEdit(location.user))
        self.password = self.add_field("password", "密码", QLineEdit(location.password or ""))
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("每次连接时输入，程序不保存")
        self.connect_button = self.ok_button
        if offer_local:
            self.local_button = self.add_button("使用本机数据库", self._choose_local)
        self.setMinimumWidth(480)
        (self.password if location.host else self.host).setFocus(Qt.OtherFocusReason)

    def entered(self) -> ServerLocation:
        return ServerLocation(self.host.text().strip(), self.port.value(), self.dbname.text().strip(),
                              self.user.text().strip(), self.password.text() or None)

    def save(self) -> ServerLocation:
        from cadre_desk.domain.errors import ValidationError
        from cadre_desk.store.opening import open_database, probe_server

        location = self.entered()
        missing = {key: f"请填写{label}。" for key, label, value in
                   (("host", "服务器地址", location.host), ("dbname", "数据库", location.dbname)) if not value}
        if missing:
            raise ValidationError(missing)
        self.show_banner("正在连接…")
        self.repaint()
        try:
            open_database(location) if self.open_now else probe_server(location)
        finally:
            self.show_banner("")
        remember_server(location)
        self.location = location
        return location

    def _choose_local(self) -> None:
        remember_local()
        self.use_local = True
        QDialog.accept(self)


def connect_at_start(location: ServerLocation | None, ask=None):
    """Before the window: connect to ``location`` (given with --db, or remembered). When the server
    wants a password (or the connection fails), the 连接服务器 dialog asks, saying why. Returns the
    connected location, LOCAL (the user chose this PC's database) or None (gave up). ``ask`` shows the
    dialog (tests replace it)."""
    from cadre_desk.domain.errors import CadreDeskError
    from cadre_desk.store.opening import open_database

    problem = ""
    try:  # a password given, the server's own password file, or a server that trusts this PC
        open_database(location)
        return location
    except CadreDeskError as exc:
        if not getattr(exc, "needs_password", False) or location.password is not None:
            problem = str(exc)
    dialog = ConnectDialog(location, offer_local=True)
    if problem:
        dialog.show_banner(problem)
        dialog.adjustSize()
    if (ask(dialog) if ask is not None else dialog.exec()) != QDialog.Accepted:
        return None
    return LOCAL if dialog.use_local else dialog.location


def open_connect_dialog(context) -> None:
    """The menu's 连接服务器…: remember a server (or this PC's database) for the next start."""
    current = context.db_path if isinstance(context.db_path, ServerLocation) else remembered_server()
    dialog = ConnectDialog(current, context.main_window, offer_local=True, open_now=False)
    dialog.connect_button.setText("连接并记住")
    if dialog.exec() != QDialog.Accepted:
        return
    text = (f"已记住服务器 {dialog.location.name}。" if dialog.location is not None else "已改为使用本机数据库。")
    messages.info(context.main_window, "连接服务器", text + "请重新启动程序，以后每次启动都会按此打开。")


class ChangeBridge(QObject):
    """Carries the listener thread's notices to the GUI thread and into the window's lists."""

    arrived = Signal(str, list)

    def __init__(self, context, location: ServerLocation):
        super().__init__(context)
        from cadre_desk.store.server import ChangeListener

        self.context = context
        self.arrived.connect(self._apply, Qt.QueuedConnection)
        self.listener = ChangeListener(location, lambda kind, ids: self.arrived.emit(kind, ids))

    def start(self) -> ChangeBridge:
        self.listener.start()
        return self

    def stop(self) -> None:
        self.listener.stop()

    def _apply(self, kind: str, ids: list) -> None:
        context = self.context
        if kind == "cadre":
            context.notify_cadres_changed(ids)  # the index re-reads these rows only
        elif kind == "unit":
            context.units_changed.emit()
        elif kind == "reload":  # a restore on the server: everything may have changed
            from cadre_desk.profiles import cadres

            cadres.forget_reads()
            page = context.main_window.page("cadres") if context.main_window is not None else None
            if page is not None:
                page.load()
            context.cadres_changed.emit([])
            context.units_changed.emit()
