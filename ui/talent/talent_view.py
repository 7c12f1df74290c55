"""专业干部信息库 page: the pools on the left with their counts, the selected pool's roster on the right
(层级 filter, search); 纳入干部 (from the picker or the cadre list's selection), 修改入库信息 (层级, 入库时间, 备注), 移出, 选派到一线岗位
(the 一线锻炼 flow starting from the pool), 导出名册; the pools themselves are set by 系统管理."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain import clock
from cadre_desk.domain.fields import POOL_MEMBER, POOL_MEMBER_LIST, TALENT_POOL
from cadre_desk.domain.text import with_choice
from cadre_desk.talent import pools
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.record_list import (
    EDITABLE,
    EXPORT,
    SOME,
    CatalogueDialog,
    CatalogueEntryDialog,
    RecordList,
    choice_filter,
    current_entry,
    list_entries,
    search_box,
)
from ui.widgets.rows_model import RowsModel, list_columns

CAPABILITY = "talent"


def _levels() -> QComboBox:
    box = QComboBox()
    box.addItems(pools.LEVELS)
    box.setCurrentText("骨干")
    return box


class ChosenLabel(QLabel):
    """The cadres picked into the pool, in words; as a field of the form, the picked ids (Esc after picking
    asks before they are lost, as after typing)."""

    def __init__(self, dialog: AddMembersDialog):
        super().__init__()
        self.dialog = dialog

    def form_state(self) -> tuple[int, ...]:
        return tuple(self.dialog.cadre_ids)


class AddMembersDialog(FormDialog):
    """纳入干部: cadres picked (or the cadre list's selection) into a pool at one level."""

    ok_text = "纳入"

    def __init__(self, context, pool: pools.PoolInfo, cadre_ids: list[int] | None = None, parent=None):
        super().__init__(parent, f"纳入“{pool.name}”专业干部库")
        self.context, self.pool = context, pool
        self.cadre_ids = list(cadre_ids or [])
        self.chosen = ChosenLabel(self)
        self.chosen.setWordWrap(True)
        self.pick_button = QPushButton("选择干部…")
        self.pick_button.clicked.connect(self.pick)
        row = QHBoxLayout()
        row.addWidget(self.chosen, 1)
        row.addWidget(self.pick_button)
        self.add_field("cadre_ids", "入库干部：", row)
        self.level = self.add_field("level", POOL_MEMBER.label_of("level") + "：", _levels())
        self.joined = self.add_field("joined_on", POOL_MEMBER.label_of("joined_on") + "：",
                                     DateEdit(clock.today_yyyymmdd(), "day", label=POOL_MEMBER.label_of("joined_on")))
        self.note = self.add_field("note", POOL_MEMBER.label_of("note") + "：", text_box("", 60))
        self._show_chosen()
        self.setMinimumWidth(520)

    def _show_chosen(self) -> None:
        from ui.widgets.cadre_picker import readable_cadres

        index = readable_cadres(self.context)
        names = [index.display(index.row(i), "name") for i in self.cadre_ids if index.row(i) is not None]
        shown = "、".join(names[:10]) + (f" 等 {len(names)} 人" if len(names) > 10 else f"（{len(names)} 人）")
        self.chosen.setText(shown if names else "尚未选择")

    def pick(self) -> None:
        from ui.widgets.pick_cadres import PickCadresDialog

        dialog = PickCadresDialog(self, self.context)
        dialog.setWindowTitle("选择入库干部")
        if dialog.exec() == QDialog.Accepted:
            self.cadre_ids = list(dict.fromkeys(self.cadre_ids + dialog.ids()))
            self._show_chosen()

    def ids(self) -> list[int]:
        return self.cadre_ids

    def save(self) -> pools.AddResult:
        return pools.add_members(self.pool.id, self.ids(), self.level.currentText(), self.note.toPlainText(),
                                 self.joined.value())


class MemberDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, member: pools.MemberInfo, parent=None):
        super().__init__(parent, f"修改入库信息 — {member.cadre_name}（{member.pool_name}）")
        self.member = member
        self.level = self.add_field("level", POOL_MEMBER.label_of("level") + "：", _levels())
        self.level.setCurrentText(member.level)
        self.joined = self.add_field("joined_on", POOL_MEMBER.label_of("joined_on") + "：",
                                     DateEdit(member.joined_on, "day", label=POOL_MEMBER.label_of("joined_on")))
        self.note = self.add_field("note", POOL_MEMBER.label_of("note") + "：", text_box(member.note, 70))
        self.setMinimumWidth(460)

    def save(self) -> pools.MemberInfo:
        typed = dict(level=self.level.currentText(), joined_on=self.joined.value(), note=self.note.toPlainText())
        return self.save_checked(lambda: pools.update_member(self.member.id, self.member.version, **typed),
                                 lambda: pools.update_member(self.member.id, self.member.version, **typed,
                                                             overwrite=True))


class RemoveMembersDialog(FormDialog):
    """移出: who leaves which pool, and why — a reason required (said under its field, as every form's
    errors); ``result_value`` the reason."""

    title = "移出专业干部库"
    ok_text = "移出"

    def __init__(self, chosen: list[pools.MemberInfo], parent=None):
        super().__init__(parent)
        names = "、".join(m.cadre_name for m in chosen[:5]) + (f" 等 {len(chosen)} 人" if len(chosen) > 5 else "")
        what = QLabel(f"将 {names} 移出“{chosen[0].pool_name}”。")
        what.setWordWrap(True)
        self.form.addRow(what)
        self.reason = self.add_field("reason", "移出原因：", QLineEdit(), hint="记入审计日志")
        self.setMinimumWidth(420)

    def save(self) -> str:
        return pools.removal_reason(self.reason.text())


class PoolDialog(CatalogueEntryDialog):
    record, noun, entry_type = TALENT_POOL, "专业干部库", pools.PoolInfo
    retired_text = "停用（不再纳入新的干部；已入库的保留）"

    def save_entry(self, entry: pools.PoolInfo, overwrite: bool) -> pools.PoolInfo:
        return pools.save_pool(entry, overwrite)


class PoolsDialog(CatalogueDialog):
    """专业干部库设置 (系统管理): add, rename, describe, retire, delete an empty pool."""

    title = "专业干部库设置"

    def __init__(self, parent=None):
        super().__init__(lambda: pools.list_pools(include_retired=True), PoolDialog,
                         lambda pool, overwrite: pools.delete_pool(pool.id, pool.version, overwrite),
                         lambda pool: f"确定删除“{pool.name}”吗？", delete_title="删除专业干部库",
                         choose_first="请先选择一个专业干部库。", parent=parent)
        self.resize(560, 380)
        self.reload()


def member_model(parent=None) -> RowsModel:
    """The members of a pool; the 专业干部信息库名册 writes the same list."""
    return RowsModel(list_columns(POOL_MEMBER, POOL_MEMBER_LIST,
                                  {key: {"tooltip": True} for key in ("position", "specialty", "note")}), parent)


class TalentPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.pool_list = QListWidget()
        self.pool_list.setMinimumWidth(170)
        self.pool_note = QLabel()
        self.pool_note.setWordWrap(True)
        self.pool_note.setObjectName("hint")
        self.level_box = choice_filter("全部层级", pools.LEVELS)
        self.text = search_box("查找：姓名、职务、专业特长、备注")
        self.model = member_model(self)
        # A change: the pools (with their counts) are listed again just before their members are — at once
        # when the page is shown, else when it is shown (the members' RecordList); never while hidden.
        self._pools_stale = False
        context.data_changed.connect(lambda name: name in (CAPABILITY, "") and self._pools_changed())
        context.cadres_changed.connect(lambda _ids: self._pools_changed())
        self.members = RecordList(context, CAPABILITY, self.model, self._members,
                                  filters=("层级", self.level_box, (self.text, 1)), count=lambda rows: f"共 {len(rows)} 人",
                                  multi=True, stretch=6, activate=self._open_profile)
        self.members.column.setContentsMargins(0, 0, 0, 0)
        self.members.column.insertWidget(0, self.pool_note)
        self.empty_note = QLabel()  # why the list is empty (the table alone says nothing)
        self.empty_note.setWordWrap(True)
        self.empty_note.setObjectName("hint")
        self.members.column.insertWidget(self.members.column.indexOf(self.members.table), self.empty_note)
        in_pool = lambda rule: lambda p: rule(p) and self.current_pool() is not None  # noqa: E731
        self.members.add_actions(
            ("add", "纳入干部…", self.add_members, in_pool(EDITABLE)),
            ("edit", "修改入库信息…", self.edit_member, in_pool(lambda p: EDITABLE(p) and len(p.selected()) == 1)),
            ("remove", "移出", self.remove_members, in_pool(SOME)), ("post", "选派到一线岗位…", self.post_members, in_pool(SOME)),
            ("import", "导入名单…", self.import_list, in_pool(EDITABLE)), ("export", "导出名册…", self.export,
                                                                      in_pool(lambda p: EXPORT(p) and self._has_members())),
            ("pools", "专业干部库设置…", self.edit_pools, lambda p: self.context.allows(permissions.ADMIN)))
        self.buttons, self.table, self.count = self.members.buttons, self.members.table, self.members.count
        split = QSplitter()
        split.addWidget(self.pool_list)
        split.addWidget(self.members)
        split.setStretchFactor(1, 1)
        split.setSizes([190, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        self.pool_list.currentItemChanged.connect(lambda *_: self.apply_filter())
        self.reload()

    def reload(self) -> None:
        self._list_pools()
        self.apply_filter()

    def _pools_changed(self) -> None:
        self._pools_stale = True

    def _list_pools(self) -> None:
        """The pools with their counts, the current one kept (the members list themselves again)."""
        self._pools_stale = False
        current = self.current_pool()
        with QSignalBlocker(self.pool_list):
            list_entries(self.pool_list, pools.list_pools(), lambda pool: f"{pool.name}（{pool.member_count}）",
                         current.id if current is not None else None)
            if current is None and self.pool_list.count():
                self.pool_list.setCurrentRow(0)

    def current_pool(self) -> pools.PoolInfo | None:
        return current_entry(self.pool_list)

    def _members(self) -> list[pools.MemberInfo]:
        if self._pools_stale:  # changed since they were listed: the pools first (their counts, names)
            self._list_pools()
        pool = self.current_pool()
        self.pool_note.setText(f"<b>{pool.name}</b>　{pool.description}" if pool else "还没有专业干部库")
        level, text = self._filter()
        rows = pools.list_members(pool.id, level=level, text=text) if pool else []
        empty = pool is not None and not pool.member_count
        # what is chosen, the words searched for not repeated (a name typed is not shown where it is not found)
        what = "，".join(t for t in (level, "查找所得" if text else "") if t)
        self.buttons["export"].setToolTip(
            f"“{pool.name}”中没有您负责范围内的干部，没有可导出的名册" if empty
            else "列表中没有符合筛选条件的入库干部，没有可导出的名册" if pool is not None and not rows
            else f"将列表中的 {len(rows)} 人（{what}）按列表的顺序导出为 Excel 工作簿" if what
            else f"将本库列出的 {len(rows)} 人按列表的顺序导出为 Excel 工作簿" if pool is not None else "")
        if empty:
            self.empty_note.setText(f"“{pool.name}”中还没有您负责范围内的入库干部。可用「纳入干部…」从干部名册中选人，"
                                    "或用「导入名单…」从 Excel 名单导入。")
        elif pool is not None and not rows:
            self.empty_note.setText("没有符合筛选条件的入库干部，可改变层级或查找条件。")
        self.empty_note.setVisible(bool(pool is not None and not rows))
        return rows

    def _filter(self) -> tuple[str, str]:
        """The 层级 and 查找 chosen above the list ("" each for none)."""
        return self.level_box.currentData() or "", self.text.text().strip()

    def _has_members(self) -> bool:
        """Whether the list shows anyone (导出名册 writes the list)."""
        return self.current_pool() is not None and bool(self.model.rows)

    def apply_filter(self) -> None:
        self.members.reload()

    def _changed(self) -> None:
        self.members.changed()

    def _open_profile(self) -> None:
        member = self.members.current()
        if member is not None:
            self.context.open_profile(member.cadre_id, self)

    def add_members(self, cadre_ids: list[int] | None = None) -> None:
        pool = self.current_pool()
        if pool is None:
            return
        dialog = AddMembersDialog(self.context, pool, cadre_ids or None, self)
        if self.members.run(dialog):
            messages.info(self, "纳入专业干部库", dialog.result_value.summary(pool.name))

    def edit_member(self) -> None:
        member = self.members.current()
        if member is not None:
            self.members.run(MemberDialog(member, self))

    def remove_members(self) -> None:
        chosen = self.members.selected()
        if not chosen:
            return
        dialog = RemoveMembersDialog(chosen, self)
        if dialog.exec() != QDialog.Accepted:
            return
        reason = dialog.result_value
        read = {m.id: m.version for m in chosen}  # as listed: another's change of an 入库信息 since is said
        if messages.attempt_delete(self, "移出专业干部库", lambda overwrite: pools.remove_members(
                list(read), reason, read, overwrite), "移出"):
            self._changed()

    def post_members(self) -> None:
        """选派到一线岗位: the 一线锻炼 selection starting from the chosen members of the pool."""
        from ui.postings.postings_view import post_selected_cadres

        chosen = self.members.selected()
        if chosen:
            post_selected_cadres(self.context, [m.cadre_id for m in chosen])

    def import_list(self) -> None:
        """导入名单…: a workbook of names into the pools (its 专业干部库 column, or the pool shown here)."""
        from ui.talent.pool_import_dialog import import_pool_list

        import_pool_list(self.context, self, self.current_pool(), self._changed)

    def export(self) -> None:
        from reports.excel import practices_workbooks
        from reports.pdf.pdf_common import safe_file_name
        from ui.exchange.exchange_view import export_workbook

        pool = self.current_pool()
        if pool is None:
            return
        # what the list shows, in its order: the 层级 and 查找 chosen are in the file's name and heading
        level, text = self._filter()
        what = pools.describe_filter(level, text)
        order = [member.id for member in self.model.rows]
        name = safe_file_name(with_choice(f"专业干部信息库_{pool.name}", what))
        export_workbook(self.context, "导出专业干部信息库名册", name,
                        lambda path, progress, reason: practices_workbooks.export_pools(
                            path, progress, pool_id=pool.id, level=level, text=text, order=order, reason=reason))

    def edit_pools(self) -> None:
        PoolsDialog(self).exec()
        self._changed()


def add_selected_to_pool(context: AppContext, cadre_ids: list[int]) -> None:
    """干部名册 → 纳入专业干部库…: the list's selection into a pool chosen here."""
    available = pools.list_pools()
    if not available:
        messages.info(context.main_window, "纳入专业干部库", "还没有专业干部库，请由系统管理员先设置。")
        return
    name = messages.ask_item(context.main_window, "纳入专业干部库", f"将选中的 {len(cadre_ids)} 名干部纳入：",
                             [p.name for p in available])
    pool = next((p for p in available if p.name == name), None)
    if pool is None:
        return
    dialog = AddMembersDialog(context, pool, cadre_ids, context.main_window)
    if dialog.exec() == QDialog.Accepted:
        context.data_changed.emit(CAPABILITY)
        messages.info(context.main_window, "纳入专业干部库", dialog.result_value.summary(pool.name))


def open_pools(context: AppContext) -> None:
    """工具 → 专业干部库设置… (系统管理)."""
    PoolsDialog(context.main_window).exec()
    context.data_changed.emit(CAPABILITY)


def export_all(context: AppContext) -> None:
    """文件 → 导出专业干部信息库名册…: every pool, a sheet each."""
    from reports.excel import practices_workbooks
    from ui.exchange.exchange_view import export_workbook

    export_workbook(context, "导出专业干部信息库名册", "专业干部信息库", practices_workbooks.export_pools)
