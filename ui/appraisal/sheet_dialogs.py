"""考核表 dialogs: a new sheet, adding members, and a grade override with its written reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from cadre_desk.appraisal import appraisals, schemes
from cadre_desk.domain import clock
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.units import units
from ui.appraisal.common import CadrePicker, format_score, show_error
from ui.shell.context import AppContext


class NewSheetDialog(QDialog):
    """新建考核表: a title, a period, a scheme and a group (unit, line, post or a selection)."""

    def __init__(self, context: AppContext, parent=None, selection: list[int] | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建考核表")
        self.context = context
        self.selection = list(selection or context.selected_cadre_ids())
        year = clock.today().year
        self.title = QLineEdit()
        self.period = QLineEdit(str(year - 1 if clock.today().month <= 3 else year))
        self.period.setPlaceholderText("如 2025、2025-Q4、2025-11")
        self.scheme = QComboBox()
        for scheme in schemes.list_schemes():
            self.scheme.addItem(f"{scheme.name}（{scheme.scope_text()}）", scheme.id)
            self.scheme.setItemData(self.scheme.count() - 1, scheme.kind, Qt.UserRole + 1)
        self.group_kind = QComboBox()
        self.group_kind.addItems(appraisals.GROUP_KINDS)
        self.group = QComboBox()
        self.group.setMinimumWidth(320)
        self.annual = QCheckBox("定稿后等次写入干部档案的“年度考核结果”")
        self.count = QLabel()
        form = QFormLayout()
        form.addRow("考核表名称", self.title)
        form.addRow("考核期间", self.period)
        form.addRow("考核方案", self.scheme)
        form.addRow("考核对象", self.group_kind)
        form.addRow("", self.group)
        form.addRow("", self.count)
        form.addRow("", self.annual)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("创建")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.group_kind.currentTextChanged.connect(self._fill_groups)
        self.group.currentIndexChanged.connect(self._suggest)
        self.scheme.currentIndexChanged.connect(self._suggest)
        self.period.textChanged.connect(self._suggest)
        self._title_touched = False
        self.title.textEdited.connect(lambda _t: setattr(self, "_title_touched", True))
        self.group_kind.setCurrentText("选定" if self.selection else "单位")
        self._fill_groups(self.group_kind.currentText())
        self.resize(560, 300)
        self.created: appraisals.SheetInfo | None = None

    def _fill_groups(self, kind: str) -> None:
        self.group.blockSignals(True)
        self.group.clear()
        if kind == "单位":
            for unit in units.list_units():
                self.group.addItem(("　" * unit.depth) + unit.name, unit.id)
        elif kind == "一线":
            for line_id, name in schemes.list_lines():
                self.group.addItem(name, line_id)
        elif kind == "岗位":
            for post_id, name in schemes.list_posts():
                self.group.addItem(name, post_id)
        else:
            self.group.addItem(f"干部名册中选中的 {len(self.selection)} 人", None)
        if self.group.count() == 0:
            self.group.addItem("（暂无可选项）", None)
        self.group.blockSignals(False)
        self._suggest()

    def members(self) -> list[int]:
        kind = self.group_kind.currentText()
        if kind == "选定":
            return appraisals.group_members(kind, ids=self.selection)
        return appraisals.group_members(kind, self.group.currentData())

    def _suggest(self) -> None:
        try:
            count = len(self.members())
        except CadreDeskError:
            count = 0
        self.count.setText(f"共 {count} 名干部")
        kind = self.scheme.currentData(Qt.UserRole + 1)
        self.annual.setChecked(kind == "年度考核")
        if not self._title_touched:
            label = self.group.currentText().strip() if self.group_kind.currentText() != "选定" else "选定干部"
            scheme = self.scheme.currentText().split("（")[0]
            period = self.period.text().strip()
            self.title.setText(f"{period}{'年' if period.isdigit() else ''}{label}{scheme}")

    def accept(self) -> None:
        kind = self.group_kind.currentText()
        try:
            ids = self.members()
            label = self.group.currentText().strip() if kind != "选定" else f"选定 {len(ids)} 人"
            self.created = appraisals.create_sheet(
                self.title.text(), self.period.text(), self.scheme.currentData(), ids, group_kind=kind,
                group_ref=self.group.currentData() if kind != "选定" else None, group_label=label,
                annual=self.annual.isChecked())
        except CadreDeskError as exc:
            show_error(self, "新建考核表", exc)
            return
        super().accept()


class PickCadresDialog(QDialog):
    """Pick cadres one by one (double-click or 加入) to add to a sheet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("添加考核对象")
        self.picker = CadrePicker()
        self.chosen = QListWidget()
        add = QPushButton("加入 →")
        add.clicked.connect(self._add)
        self.picker.list.itemDoubleClicked.connect(lambda _i: self._add())
        row = QHBoxLayout()
        row.addWidget(self.picker, 1)
        row.addWidget(add)
        row.addWidget(self.chosen, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("添加")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.resize(700, 460)

    def _add(self) -> None:
        item = self.picker.list.currentItem()
        if item is not None and item.data(Qt.UserRole) not in self.ids():
            copy = QListWidgetItem(item.text())
            copy.setData(Qt.UserRole, item.data(Qt.UserRole))
            self.chosen.addItem(copy)

    def ids(self) -> list[int]:
        return [self.chosen.item(i).data(Qt.UserRole) for i in range(self.chosen.count())]


class OverrideDialog(QDialog):
    def __init__(self, data: appraisals.SheetData, member: appraisals.MemberRow, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"调整等次 — {member.name}")
        computed = data.computed_grade(member) or "未定"
        total = data.total(member)
        self.grade = QComboBox()
        self.grade.addItem(f"按分数（{computed}）", "")
        for grade in data.scheme.grades:
            self.grade.addItem(grade, grade)
        self.grade.setCurrentIndex(max(0, self.grade.findData(member.grade_override)))
        self.reason = QPlainTextEdit(member.override_reason)
        self.reason.setPlaceholderText("调整等次必须写明理由，如：经党组会研究、受到处分、群众反映等")
        form = QFormLayout()
        form.addRow("总分", QLabel(format_score(total) or "评分未完成"))
        form.addRow("按分数等次", QLabel(computed))
        form.addRow("调整为", self.grade)
        form.addRow("书面理由", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.sheet_id, self.cadre_id = data.sheet.id, member.cadre_id
        self.resize(460, 300)

    def accept(self) -> None:
        try:
            appraisals.set_override(self.sheet_id, self.cadre_id, self.grade.currentData(), self.reason.toPlainText())
        except CadreDeskError as exc:
            show_error(self, "调整等次", exc)
            return
        super().accept()
