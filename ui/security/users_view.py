"""用户管理 (系统管理员): users, roles, unit scopes, password resets, unlocking."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.security import accounts
from cadre_desk.units import units
from ui.widgets import messages
from ui.widgets.form_dialog import FormDialog

ROLE_HELP = {
    accounts.ROLE_ADMIN: "用户、设置、备份；不能查看干部数据",
    accounts.ROLE_AUDITOR: "只能查看审计日志",
    accounts.ROLE_CLERK: "在负责单位内查阅、编辑、打印、导出干部档案",
    accounts.ROLE_READER: "在负责单位内只读查阅",
}
# 系统管理员 and 安全审计员 read no cadre: a unit scope means nothing for them (the list said 全部单位)
NO_CADRE_ROLES = (accounts.ROLE_ADMIN, accounts.ROLE_AUDITOR)
NO_SCOPE = "不涉及（不查阅干部数据）"
SUPERVISION_HELP = "另授予“干部监督”：可查阅和登记负责单位干部的提醒、函询、诫勉记录"


class UserDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, user: accounts.UserInfo | None, parent=None):
        super().__init__(parent, "新增用户" if user is None else f"修改用户 {user.username}")
        self.user = user
        self.username = self.add_field("username", "用户名：", QLineEdit(user.username if user else ""))
        self.username.setEnabled(user is None)
        self.display = self.add_field("display_name", "姓名：", QLineEdit(user.display_name if user else ""))
        self.role = QComboBox()
        for role in accounts.ROLES:
            if role not in accounts.ADD_ON_ROLES:
                self.role.addItem(f"{role}（{ROLE_HELP[role]}）", role)
        if user and user.roles:
            main = next((r for r in user.roles if r not in accounts.ADD_ON_ROLES), user.roles[0])
            self.role.setCurrentIndex(max(0, self.role.findData(main)))
        elif not accounts.has_users():
            self.role.setCurrentIndex(self.role.findData(accounts.ROLE_ADMIN))
            self.role.setEnabled(False)  # the first user is the administrator
        else:
            self.role.setCurrentIndex(self.role.findData(accounts.ROLE_READER))
        self.add_field("roles", "角色：", self.role)
        self.supervision = QCheckBox(SUPERVISION_HELP)
        self.supervision.setChecked(bool(user and accounts.ROLE_SUPERVISION in user.roles))
        self.form.addRow("", self.supervision)
        self.role.currentIndexChanged.connect(lambda _i: self._role_changed())
        self._role_changed()
        self.id_number = self.add_field("id_number", "本人身份证号：", QLineEdit(user.id_number if user else ""))
        self.id_number.setPlaceholderText("用于回避：不能编辑、打印本人及亲属的档案")
        self.active = QCheckBox("启用")
        self.active.setChecked(user.active if user else True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("初始密码，首次登录须修改")
        if user is None:
            self.add_field("password", "初始密码：", self.password)
        self.form.addRow("", self.active)
        self._keep_admin(user)
        self.body.addWidget(QLabel("负责单位（不勾选 = 全部单位；勾选上级单位即包含其下级）："))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setMinimumHeight(220)
        chosen = set(user.unit_scopes) if user else set()
        items: dict[int, QTreeWidgetItem] = {}
        for unit in units.list_units():
            parent_item = items.get(unit.parent_id)
            item = QTreeWidgetItem(parent_item or self.tree, [unit.name])
            item.setData(0, Qt.UserRole, unit.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(0, Qt.Checked if unit.id in chosen else Qt.Unchecked)
            items[unit.id] = item
        self.tree.expandToDepth(0)
        self.unit_items = items
        self.body.addWidget(self.tree)
        self._role_changed()
        self.resize(520, 560)

    def _keep_admin(self, user: accounts.UserInfo | None) -> None:
        """The own account, and the only active 系统管理员, keep 启用 and their role: the save would be
        refused (accounts.update_user), so the choice is not offered, and its tip says who may."""
        if user is None or user.id is None:
            return
        from cadre_desk.access.context import current_operator

        if user.id == current_operator().user_id:
            why = accounts.SELF_REFUSAL
        elif accounts.ROLE_ADMIN in user.roles and user.active and accounts.is_last_admin(user.id):
            why = accounts.LAST_ADMIN_REFUSAL
        else:
            return
        for widget in (self.active, self.role):
            widget.setEnabled(False)
            widget.setToolTip(why)
        self.kept_note = QLabel(why)
        self.kept_note.setWordWrap(True)
        self.form.addRow("", self.kept_note)

    def _role_changed(self) -> None:
        """干部监督 is granted beside 经办人 or 查阅人 only."""
        allowed = self.role.currentData() in accounts.ADD_ON_ROLES[accounts.ROLE_SUPERVISION]
        self.supervision.setEnabled(allowed)
        if not allowed:
            self.supervision.setChecked(False)
        tree = getattr(self, "tree", None)  # 系统管理员、安全审计员: no unit to choose, none kept
        if tree is not None:
            scoped = self.role.currentData() not in NO_CADRE_ROLES
            tree.setEnabled(scoped)
            tree.setToolTip("" if scoped else f"{self.role.currentData()}不查阅干部数据，无须选择负责单位。")

    def roles(self) -> tuple[str, ...]:
        grant = (accounts.ROLE_SUPERVISION,) if self.supervision.isChecked() else ()
        return (self.role.currentData(), *grant)

    def info(self) -> accounts.UserInfo:
        scopes = tuple(uid for uid, item in self.unit_items.items() if item.checkState(0) == Qt.Checked
                       and self.role.currentData() not in NO_CADRE_ROLES)
        base = self.user or accounts.UserInfo(None, "")
        return accounts.UserInfo(base.id, self.username.text().strip(), self.display.text().strip(),
                                 self.roles(), scopes, base.cadre_id, self.id_number.text().strip(),
                                 self.active.isChecked(), base.must_change_password, base.locked_until,
                                 base.last_login, base.version)

    def save(self) -> accounts.UserInfo:
        if self.user is None:
            return accounts.create_user(self.info(), self.password.text(), must_change=True)
        info = self.info()
        return self.save_checked(lambda: accounts.update_user(info), lambda: accounts.update_user(
            dataclasses.replace(info, version=accounts.get_user(info.id).version)))  # over the account as stored now


class SecuritySettingsDialog(FormDialog):
    title = "安全与备份设置"
    ok_text = "保存"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.spins: dict[str, QSpinBox] = {}
        current = self.read = accounts.security_settings()
        for key, (label, low, high) in accounts.SECURITY_SETTINGS.items():
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setValue(current[key])
            self.spins[key] = self.add_field(key, label + "：", spin)

    def save(self):
        """Another administrator having changed a number since the dialog opened: the same choice as every
        form (FormDialog.save_checked)."""
        typed = {k: s.value() for k, s in self.spins.items()}
        return self.save_checked(lambda: accounts.save_security_settings(typed, self.read),
                                 lambda: accounts.save_security_settings(typed, self.read, overwrite=True))


class UsersPage(QWidget):
    HEADERS = ("用户名", "姓名", "角色", "负责单位", "状态", "最近登录")

    def __init__(self, context):
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.buttons = {}
        for key, text in (("add", "新增用户"), ("edit", "修改"), ("reset", "重置密码"), ("unlock", "解除锁定"),
                          ("settings", "安全与备份设置…")):
            button = QPushButton(text)
            bar.addWidget(button)
            self.buttons[key] = button
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((110, 100, 100, 300, 180)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        # One slot per button: a lambda slot has no sender(), so asking it which button was clicked
        # made 新增用户 answer "请先选择一个用户" every time.
        self.buttons["add"].clicked.connect(self.add_user)
        self.buttons["edit"].clicked.connect(self.edit_selected)
        self.buttons["reset"].clicked.connect(self.reset)
        self.buttons["unlock"].clicked.connect(self.unlock)
        self.buttons["settings"].clicked.connect(self.edit_settings)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.users: list[accounts.UserInfo] = []
        self.refresh()

    def _locked(self, user: accounts.UserInfo) -> bool:
        return bool(user.locked_until and user.locked_until > clock.now_iso())

    def refresh(self) -> None:
        try:
            self.users = accounts.list_users()
        except CadreDeskError as exc:
            self.users = []
            self.table.setRowCount(0)
            self.status.setText(str(exc))
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        names = units.full_names()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            if not user.active:
                state = "已停用"
            elif self._locked(user):
                state = "锁定至 " + format_moment(user.locked_until)
            elif user.must_change_password:
                state = "待修改初始密码"
            else:
                state = "正常"
            scope = (NO_SCOPE if set(user.roles) & set(NO_CADRE_ROLES) else
                     "、".join(names.get(u, str(u)) for u in user.unit_scopes) or "全部单位")
            values = (user.username, user.display_name, "、".join(user.roles), scope, state,
                      format_moment(user.last_login))
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.status.setText(f"共 {len(self.users)} 个用户" if self.users else
                            "还没有账号：现在打开本程序不须登录，可看全部数据。新增的第一个用户为系统管理员，此后须登录。")

    def selected(self) -> accounts.UserInfo | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def add_user(self) -> None:
        if UserDialog(None, self).exec() == QDialog.Accepted:
            self.refresh()

    def edit_selected(self) -> None:
        user = self._chosen()
        if user is None:
            return
        if UserDialog(user, self).exec() == QDialog.Accepted:
            self.refresh()

    def edit_settings(self) -> None:
        SecuritySettingsDialog(self).exec()

    def _chosen(self) -> accounts.UserInfo | None:
        """The selected user, or None after asking for one (重置密码 and 解除锁定 did nothing at all)."""
        user = self.selected()
        if user is None:
            messages.info(self, "用户管理", "请先选择一个用户。")
        return user

    def reset(self) -> None:
        user = self._chosen()
        if user is None:
            return
        if not messages.confirm(self, "重置密码", f"为 {user.username} 生成一次性密码？"):
            return
        try:
            password = accounts.reset_password(user.id)
        except CadreDeskError as exc:
            messages.error(self, "重置密码", exc)
            return
        messages.info(self, "重置密码", f"{user.username} 的一次性密码：\n\n{password}\n\n请当面告知，首次登录须修改。")
        self.refresh()

    def unlock(self) -> None:
        user = self._chosen()
        if user is None:
            return
        if not self._locked(user):
            messages.info(self, "解除锁定", f"{user.username} 未被锁定，无须解除。")
            return
        try:
            accounts.unlock_user(user.id)
        except CadreDeskError as exc:
            messages.error(self, "解除锁定", exc)
        self.refresh()
