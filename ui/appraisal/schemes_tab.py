"""考核方案 tab: schemes with weighted dimensions, raters, grade bands and the 优秀 cap."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.appraisal import scheme_drafts, schemes, scoring
from cadre_desk.appraisal.scoring import (
    WORDINGS,
    weights_ok,
    weights_total,
)
from cadre_desk.domain import codes
from cadre_desk.domain.errors import CadreDeskError, ConflictError
from cadre_desk.security.drafts import DraftInput
from cadre_desk.units import units
from ui.appraisal.common import GREEN, RED
from ui.shell.context import AppContext
from ui.widgets import messages, unsaved
from ui.widgets.form_dialog import FormDialog
from ui.widgets.rows_model import format_number

# ---- 考核方案 ------------------------------------------------------------------------------------



def _checklist(items) -> QListWidget:
    """A list of (text, data) with a check box each, none checked."""
    widget = QListWidget()
    for text, data in items:
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Unchecked)
        widget.addItem(item)
    return widget

class WeightTable(QWidget):
    """Names and weights with a live sum that turns red unless it is 100."""

    changed = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.title = title
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([f"{title}名称", "权重"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.sum_label = QLabel()
        add, remove = QPushButton("添加"), QPushButton("移除")
        add.clicked.connect(lambda: self.add_row("", 0))
        remove.clicked.connect(self.remove_row)
        self.buttons = (add, remove)
        bar = QHBoxLayout()
        bar.addWidget(self.sum_label, 1)
        bar.addWidget(add)
        bar.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        self.table.itemChanged.connect(lambda _i: self.update_sum())

    def set_items(self, items: list[schemes.WeightedItem]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for item in items:
            self.add_row(item.name, item.weight, item.id)
        self.table.blockSignals(False)
        self.update_sum()

    def add_row(self, name: str, weight: float, item_id: int | None = None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.UserRole, item_id)
        self.table.setItem(row, 0, name_item)
        self.table.setItem(row, 1, QTableWidgetItem(f"{float(weight):g}"))  # as stored, not rounded
        self.update_sum()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.update_sum()

    def items(self) -> list[schemes.WeightedItem]:
        out = []
        for row in range(self.table.rowCount()):
            name = self.table.item(row, 0).text() if self.table.item(row, 0) else ""
            text = self.table.item(row, 1).text() if self.table.item(row, 1) else ""
            try:
                weight = float(text)
            except ValueError:
                weight = 0.0
            out.append(schemes.WeightedItem(name.strip(), weight, None))
        return out

    def update_sum(self) -> None:
        weights = [i.weight for i in self.items()]
        total = weights_total(weights)
        ok = weights_ok(weights)
        self.sum_label.setText(f"{self.title}权重合计：{format_number(total)}" + ("" if ok else "（应为 100）"))
        self.sum_label.setStyleSheet(f"color: {(GREEN if ok else RED).name()}; font-weight: bold;")
        self.changed.emit()

    def set_locked(self, locked: bool) -> None:
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers if locked else QAbstractItemView.AllEditTriggers)
        for button in self.buttons:
            button.setEnabled(not locked)


READ_ONLY = "考核方案由组织部统一设置，只有系统管理员可以修改；这里只能查看。"
UNSAVED = "方案已修改，是否保存？"


class SchemesTab(QWidget):
    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.list = QListWidget()
        self.show_retired = QCheckBox("显示已停用")
        new, copy, delete = QPushButton("新建方案"), QPushButton("复制方案"), QPushButton("删除方案")
        new.clicked.connect(self.new_scheme)
        copy.clicked.connect(self.copy_scheme)
        delete.clicked.connect(self.delete_scheme)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel("考核方案"))
        ll.addWidget(self.list)
        ll.addWidget(self.show_retired)
        # Said beside the list, not in the row of 保存方案 (which says when the scheme is in use) nor above the
        # fields (their room).
        self.read_only_note = QLabel(READ_ONLY)
        self.read_only_note.setObjectName("hint")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(not context.allows(permissions.ADMIN))
        ll.addWidget(self.read_only_note)
        lb = QHBoxLayout()
        # schemes are the department's settings: changed by whoever may administer (not a 经办人)
        self.admin = context.allows(permissions.ADMIN)
        for button in (new, copy, delete):
            lb.addWidget(button)
            button.setEnabled(self.admin)
        ll.addLayout(lb)

        self.name = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(schemes.SCHEME_KINDS)
        self.wording = QComboBox()
        for wording in WORDINGS:
            self.wording.addItem(f"{wording}（{'、'.join(scoring.GRADES[wording])}）", wording)
        self.excellent_min, self.competent_min, self.basic_min = (self._spin() for _ in range(3))
        self.cap = self._spin()
        self.cap.setSuffix(" %")
        self.cap.setMaximumWidth(120)
        self.description = QLineEdit()
        self.retired = QCheckBox("停用（新考核表中不再可选）")
        self.in_use = QLabel()
        self.in_use.setWordWrap(True)
        self.dims = WeightTable("维度")
        self.raters = WeightTable("评价主体")
        for weights_table in (self.dims.table, self.raters.table):
            # five rows at least: when nothing else made the editor scroll, the tables shrank to one row
            weights_table.setMinimumHeight(weights_table.horizontalHeader().sizeHint().height()
                                           + 5 * weights_table.verticalHeader().defaultSectionSize() + 4)
        bands = QHBoxLayout()
        for label, spin in (("优秀 ≥", self.excellent_min), ("称职 ≥", self.competent_min),
                            ("基本称职 ≥", self.basic_min)):
            bands.addWidget(QLabel(label))
            bands.addWidget(spin)
        bands.addStretch(1)
        self.band_labels = bands
        form = QFormLayout()
        form.addRow("方案名称", self.name)
        form.addRow("考核类型", self.kind)
        form.addRow("等次表述", self.wording)
        form.addRow("等次分数线", bands)
        form.addRow("优秀比例上限", self.cap)
        form.addRow("说明", self.description)
        form.addRow("", self.retired)
        # scope (差异化考核)
        self.scope_categories = _checklist((name, code) for code, name in codes.table("CATEGORY").items)
        self.scope_lines = _checklist((name, line_id) for line_id, name in schemes.list_lines())
        # A clerk reads the units they may see (theirs and those above), not the county's every unit.
        self.scope_units = _checklist((("　" * unit.depth) + unit.name, unit.id) for unit in units.reachable_units()
                                      if unit.depth <= 1)
        scope_box = QGroupBox("适用范围（差异化考核；都不勾选＝适用全部干部，勾选的任一项符合即适用）")
        sl = QHBoxLayout(scope_box)
        for title, widget in (("干部类别", self.scope_categories), ("一线", self.scope_lines),
                              ("单位", self.scope_units)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title))
            col.addWidget(widget)
            sl.addLayout(col)
        weights = QHBoxLayout()
        for title, widget in (("考核维度", self.dims), ("评价主体（双重管理、民主测评）", self.raters)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            weights.addWidget(box)
        self.save_button = QPushButton("保存方案")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(self.admin)
        save_row = QHBoxLayout()
        save_row.addWidget(self.in_use, 1)
        save_row.addWidget(self.save_button)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(form)
        rl.addLayout(weights, 3)
        rl.addWidget(scope_box, 2)
        # Scrolls: the editor is taller than a 1366×768 screen leaves for the page; 保存方案 stays under
        # it, in sight (it was below the fold).
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(right)
        editor = QWidget()
        el = QVBoxLayout(editor)
        el.setContentsMargins(0, 0, 0, 0)
        el.addWidget(scroll, 1)
        el.addLayout(save_row)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.current: schemes.SchemeInfo | None = None
        self._baseline: schemes.SchemeInfo | None = None  # the fields as last filled: what "changed" is against
        # The scheme's version these edits began from: the one filled from the store, or a 草稿's (a save
        # of it is refused when another saved the scheme since, and the user asked which to keep).
        self._edit_version = 0
        self.list.currentItemChanged.connect(lambda item, _p: self._list_moved(item.data(Qt.UserRole) if item else None))
        self.show_retired.toggled.connect(lambda _c: self.reload())
        self.wording.currentIndexChanged.connect(self._update_band_labels)
        self.reload()

    def _spin(self) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 100)
        spin.setDecimals(1)
        spin.setMinimumWidth(80)
        return spin

    def _update_band_labels(self) -> None:
        names = scoring.GRADES[self.wording.currentData() or "公务员"]
        labels = [self.band_labels.itemAt(i).widget() for i in (0, 2, 4)]
        for label, name in zip(labels, names[:3], strict=True):
            label.setText(f"{name} ≥")

    def reload(self, select_id: int | None = None) -> None:
        select_id = select_id or (self.current.id if self.current else None)
        self.list.blockSignals(True)
        self.list.clear()
        for scheme in schemes.list_schemes(include_retired=self.show_retired.isChecked()):
            item = QListWidgetItem(scheme.name + ("（已停用）" if scheme.retired else ""))
            item.setData(Qt.UserRole, scheme.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        rows = [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]
        if rows:
            self.list.setCurrentRow(rows.index(select_id) if select_id in rows else 0)

    # ---- unsaved edits: asked about before another scheme (or none) replaces them ----------------
    def has_unsaved(self) -> bool:
        """The fields differ from the scheme as shown (only an administrator can change them)."""
        return self.admin and self._baseline is not None and self._typed() != self._baseline

    def unsaved_label(self) -> str:
        """How ``ui.widgets.unsaved`` lists these edits when the program closes or its user changes."""
        name = self.name.text().strip() or (self.current.name if self.current else "") or "新方案"
        return f"考核方案“{name}”"

    def draft(self) -> DraftInput | None:
        """The unsaved edits as a 草稿 (kept when the program quits from the idle lock); None without any."""
        return scheme_drafts.draft_input(self.unsaved_label(), self.collect()) if self.has_unsaved() else None

    def restore_draft(self, typed: schemes.SchemeInfo) -> None:
        """Show a 草稿's scheme (its stored one, or a new one) with the fields as typed, unsaved until 保存."""
        if typed.id is not None:
            self._select_quietly(typed.id)
            self.show_scheme(typed.id)
        else:
            self._select_quietly(None)
            self.current = schemes.SchemeInfo()
            self._fill(self.current)
        baseline = self._baseline
        self._fill(dataclasses.replace(typed, in_use=self.current.in_use))
        self._baseline = baseline
        # The edits began from the scheme as the 草稿 was read: saved over another's later change only if
        # the user, asked, says so.
        self._edit_version = typed.version if typed.id is not None else 0

    def _typed(self) -> schemes.SchemeInfo:
        """What the fields say, whichever scheme they belong to."""
        return dataclasses.replace(self.collect(), id=None, version=0)

    def settle(self, title: str = "考核方案") -> bool:
        """Edits not saved: 保存 / 不保存 / 取消. True when the editor may show something else (saved, or
        the edits dropped and the scheme shown as stored); False to stay (取消, or 保存 refused)."""
        if not self.has_unsaved():
            return True
        answer = messages.ask_save(self, title, UNSAVED)
        if answer is None:
            return False
        if answer == messages.SAVE:
            return self.save()
        if self.current is not None:
            self._fill(self.current)
        unsaved.resolved(self)  # 不保存: a 草稿 these edits came from goes too
        return True

    def _list_moved(self, scheme_id: int | None) -> None:
        if scheme_id is None:
            return
        if not self.has_unsaved():
            self.show_scheme(scheme_id)
            return
        if self.current is not None and scheme_id == self.current.id:
            return  # the same scheme listed again (显示已停用, a reload): what was typed stays
        # The list points back at the scheme being edited until the user has answered; the answer is
        # asked for after this signal (保存 rebuilds the list, which must not happen inside it).
        self._select_quietly(self.current.id if self.current else None)
        QTimer.singleShot(0, lambda: self.choose(scheme_id))

    def choose(self, scheme_id: int) -> bool:
        """Show scheme ``scheme_id`` (as a click in the list does), unsaved edits asked about first."""
        if not self.settle():
            return False
        rows = [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]
        if scheme_id in rows and self.list.currentRow() != rows.index(scheme_id):
            self.list.setCurrentRow(rows.index(scheme_id))
        else:
            self.show_scheme(scheme_id)
        return True

    def _select_quietly(self, scheme_id: int | None) -> None:
        rows = [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())]
        self.list.blockSignals(True)
        self.list.setCurrentRow(rows.index(scheme_id) if scheme_id in rows else -1)
        self.list.blockSignals(False)

    def show_scheme(self, scheme_id: int | None) -> None:
        if scheme_id is None:
            return
        scheme = schemes.get_scheme(scheme_id)
        self.current = scheme
        self._fill(scheme)

    def _fill(self, scheme: schemes.SchemeInfo) -> None:
        self.name.setText(scheme.name)
        self.kind.setCurrentText(scheme.kind)
        self.wording.setCurrentIndex(max(0, self.wording.findData(scheme.wording)))
        self.excellent_min.setValue(scheme.excellent_min)
        self.competent_min.setValue(scheme.competent_min)
        self.basic_min.setValue(scheme.basic_min)
        self.cap.setValue(scheme.excellent_cap)
        self.description.setText(scheme.description)
        self.retired.setChecked(scheme.retired)
        self.dims.set_items(scheme.dimensions)
        self.raters.set_items(scheme.raters)
        for widget, chosen in ((self.scope_categories, set(scheme.scope_categories)),
                               (self.scope_lines, set(scheme.scope_lines)),
                               (self.scope_units, set(scheme.scope_units))):
            for i in range(widget.count()):
                item = widget.item(i)
                item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in chosen else Qt.Unchecked)
        locked = scheme.in_use or not self.admin
        for widget in (self.dims, self.raters):
            widget.set_locked(locked)
        for widget in (self.wording, self.excellent_min, self.competent_min, self.basic_min):
            widget.setEnabled(not locked)
        # Read only for whoever may not save it: a 经办人 typed into the fields of a scheme 保存方案 refused.
        for line in (self.name, self.description):
            line.setReadOnly(not self.admin)
        for widget in (self.kind, self.cap, self.retired):
            widget.setEnabled(self.admin)
        for checklist in (self.scope_categories, self.scope_lines, self.scope_units):
            for i in range(checklist.count()):
                item = checklist.item(i)
                flags = item.flags() | Qt.ItemIsUserCheckable
                item.setFlags(flags if self.admin else flags & ~Qt.ItemIsUserCheckable)
        self.in_use.setText("此方案已被考核表使用：维度、权重、分数线和等次表述不能修改；如需调整请“复制方案”。"
                            if scheme.in_use and self.admin else "")
        self.in_use.setStyleSheet(f"color: {RED.name()};")
        self._update_band_labels()
        self._baseline = self._typed()
        self._edit_version = scheme.version

    def _checked(self, widget: QListWidget) -> list:
        return [widget.item(i).data(Qt.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.Checked]

    def collect(self) -> schemes.SchemeInfo:
        base = self.current or schemes.SchemeInfo()
        return schemes.SchemeInfo(
            base.id, self._edit_version, self.name.text(), self.kind.currentText(), self.wording.currentData(),
            self.excellent_min.value(), self.competent_min.value(), self.basic_min.value(), self.cap.value(),
            self.dims.items(), self.raters.items(), self._checked(self.scope_categories),
            self._checked(self.scope_lines), self._checked(self.scope_units) + self._unlisted_units(base),
            self.description.text(), self.retired.isChecked())

    def _unlisted_units(self, scheme: schemes.SchemeInfo) -> list:
        """The scheme's units the checklist does not list (not the operator's to see): kept as they are."""
        listed = {self.scope_units.item(i).data(Qt.UserRole) for i in range(self.scope_units.count())}
        return [unit_id for unit_id in scheme.scope_units if unit_id not in listed]

    def save(self) -> bool:
        """保存方案; True when nothing typed is left unsaved: saved, or — another having saved the scheme
        since these edits began — the other's change reloaded at the user's word. 取消 keeps the edits."""
        typed = self.collect()
        try:
            saved = schemes.save_scheme(typed)
        except ConflictError as exc:
            answer = messages.ask_conflict(self, "保存考核方案", exc)
            if answer == messages.RELOAD:
                return self._reload_stored()
            if answer != messages.OVERWRITE:
                return False
            try:
                saved = schemes.save_scheme(typed, overwrite=True)
            except CadreDeskError as again:
                messages.error(self, "保存考核方案", again)
                return False
        except CadreDeskError as exc:
            messages.error(self, "保存考核方案", exc)
            return False
        self.current = saved
        unsaved.resolved(self)
        self._fill(saved)  # the saved scheme is what later edits are told apart from
        self.reload(saved.id)
        self.context.data_changed.emit("appraisal")
        self.context.status_message.emit(f"考核方案“{saved.name}”已保存")
        return True

    def _reload_stored(self) -> bool:
        """The scheme as stored now (another's change) in place of the edits; False when it is gone."""
        try:
            self.show_scheme(self.current.id)
        except CadreDeskError as exc:
            messages.error(self, "重新载入考核方案", exc)
            return False
        unsaved.resolved(self)  # the edits dropped at the user's word
        self.reload(self.current.id)
        return True

    def new_scheme(self) -> None:
        if not self.settle():
            return
        self._select_quietly(None)
        self.current = schemes.SchemeInfo(
            name="", dimensions=[schemes.WeightedItem(n, w) for n, w in
                                 (("德", 20), ("能", 20), ("勤", 15), ("绩", 35), ("廉", 10))],
            raters=[schemes.WeightedItem("组织部", 50), schemes.WeightedItem("主管部门", 50)])
        self._fill(self.current)
        self.name.setFocus()

    def copy_scheme(self) -> None:
        if self.current is None or self.current.id is None or not self.settle():
            return
        try:
            copy = schemes.copy_scheme(self.current.id)
        except CadreDeskError as exc:
            messages.error(self, "复制考核方案", exc)
            return
        self.current = copy
        self.reload(copy.id)
        self.context.data_changed.emit("appraisal")

    def delete_scheme(self) -> None:
        if self.current is None or self.current.id is None:
            return
        if not messages.confirm(self, "删除考核方案", f"确定删除方案“{self.current.name}”吗？", "删除", danger=True):
            return
        scheme = self.current  # as shown: another's change since is said, not deleted without a word
        if not messages.attempt_delete(self, "删除考核方案", lambda overwrite: schemes.delete_scheme(
                scheme.id, scheme.version, overwrite)):
            return
        self.current = None
        self.reload(scheme.id)  # deleted: the first one; kept (重新载入对方的修改): as the other saved it
        self.context.data_changed.emit("appraisal")


class SchemesDialog(FormDialog):
    """工具 → 考核方案… for the 系统管理员: the scheme editor of the 实绩考核 page, which a role without cadre
    data (the administrator's) does not see — yet only the administrator may save a scheme."""

    title = "考核方案"
    ok_text = "关闭"
    asks_before_closing = False  # the editor asks itself (保存 / 不保存 / 取消)

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.cancel_button.hide()
        self.tab = SchemesTab(context, self)
        self.body.addWidget(self.tab)
        self.resize(1100, 660)

    def accept(self) -> None:
        """关闭: edits not saved are asked about (保存 / 不保存 / 取消) — they were dropped without a word."""
        if self.tab.settle("关闭"):
            unsaved.resolved(self.tab)
            super().accept()

    def reject(self) -> None:
        """Esc and the title bar's ✕ ask as 关闭 does."""
        if self.tab.settle("关闭"):
            unsaved.resolved(self.tab)
            super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Enter in 方案名称 does not press 关闭: it would close the editor and drop what was typed."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


def open_schemes(context: AppContext) -> None:
    """工具 → 考核方案… (系统管理)."""
    SchemesDialog(context, context.main_window).exec()
    context.data_changed.emit("appraisal")
