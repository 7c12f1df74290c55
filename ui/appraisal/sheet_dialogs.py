"""考核表 dialogs: a new sheet, picking cadres and adding them, and a grade override with its written reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
)

from cadre_desk.appraisal import appraisals, grading, schemes
from cadre_desk.appraisal.scoring import score_text
from cadre_desk.domain import clock
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.periods import PeriodError, parse_period, period_label, period_unit
from ui.shell.context import AppContext
from ui.widgets import choices, messages
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.period_edit import PeriodEdit
from ui.widgets.pick_cadres import PickCadresDialog


class NewSheetDialog(FormDialog):
    """新建考核表: a title, a period, a scheme and a group (unit, line, post or a selection)."""

    ok_text = "创建"
    progress_title = "正在创建考核表"

    def __init__(self, context: AppContext, parent=None, selection: list[int] | None = None):
        super().__init__(parent, "新建考核表")
        self.context = context
        self.selection = list(selection or context.selected_cadre_ids())
        year = clock.today().year
        self.title = QLineEdit()
        self.period = PeriodEdit(str(year - 1 if clock.today().month <= 3 else year))  # shown 2025年度
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
        self.count.setWordWrap(True)
        self.add_field("title", "考核表名称", self.title)
        self.add_field("period", "考核期间", self.period)
        self.add_field("scheme", "考核方案", self.scheme)
        self.add_field("group", "考核对象", self.group_kind)
        self.add_field("members", "", self.group)
        self.form.addRow("", self.count)
        self.form.addRow("", self.annual)
        self.group_kind.currentTextChanged.connect(self._fill_groups)
        self.group.currentIndexChanged.connect(self._suggest)
        self.scheme.currentIndexChanged.connect(self._suggest)
        self.period.line.textChanged.connect(self._suggest)
        self._title_touched = False
        self.title.textEdited.connect(lambda _t: setattr(self, "_title_touched", True))
        self.group_kind.setCurrentText("选定" if self.selection else "单位")
        self._fill_groups(self.group_kind.currentText())
        self.resize(560, 300)

    def _fill_groups(self, kind: str) -> None:
        self.group.blockSignals(True)
        self.group.clear()
        if kind == "单位":
            for text, unit_id in choices.unit_items():  # a clerk's own units and those above them
                self.group.addItem(text, unit_id)
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
        return self._group()[0]

    def _group(self) -> tuple[list[int], int]:
        """The members and how many of the group were left out (outside the operator's units)."""
        kind = self.group_kind.currentText()
        if kind == "选定":
            return appraisals.group_count(kind, ids=self.selection)
        return appraisals.group_count(kind, self.group.currentData())

    def _suggest(self) -> None:
        try:
            members, left_out = self._group()
            text = f"共 {len(members)} 名干部"
            if left_out:  # a line or post spans units: those of other units are not the clerk's to appraise
                text += (f"；另有 {left_out} 人不在您负责的单位，未列入"
                         "（考核表只能包含您负责范围内的干部，他们由其所在单位的经办人考核）")
            self.count.setText(text)
        except CadreDeskError as exc:  # the group cannot be read (no unit chosen, out of scope): say why
            self.count.setText(messages.describe(exc))
        kind = self.scheme.currentData(Qt.UserRole + 1)
        try:
            code = parse_period(self.period.text())
        except PeriodError:
            code = ""
        # only a year's grade is a 年度考核结果: for a quarter, a month or a week the box is off and says so
        yearly = not code or period_unit(code) == "year"
        self.annual.setEnabled(yearly)
        self.annual.setChecked(kind == "年度考核" and yearly)
        self.annual.setToolTip("" if yearly else f"{period_label(code)}不是年度，等次不写入年度考核结果")
        if not self._title_touched:
            label = self.group.currentText().strip() if self.group_kind.currentText() != "选定" else "选定干部"
            scheme = self.scheme.currentText().split("（")[0]
            period = period_label(code) if code else self.period.text().strip()
            self.title.setText(f"{period}{label}{scheme}")

    @property
    def created(self) -> appraisals.SheetInfo | None:
        return self.result_value

    def save_work(self):
        """Thousands of members: created through the task runner (progress, 取消 — all or nothing)."""
        kind = self.group_kind.currentText()
        ids = self.members()
        label = self.group.currentText().strip() if kind != "选定" else f"选定 {len(ids)} 人"
        title, period, scheme_id = self.title.text(), self.period.value(), self.scheme.currentData()
        group_ref, annual = self.group.currentData() if kind != "选定" else None, self.annual.isChecked()
        return lambda progress: appraisals.create_sheet(title, period, scheme_id, ids, group_kind=kind,
                                                        group_ref=group_ref, group_label=label, annual=annual,
                                                        progress=progress)


class AddMembersDialog(PickCadresDialog):
    """添加人员 to an open 考核表: the cadres picked are added through the task runner (progress, 取消 —
    all or nothing); ``result_value`` is how many were added, None when nobody was picked."""

    title = "添加考核对象"
    ok_text = "添加"
    progress_title = "正在添加人员"

    def __init__(self, parent, sheet_id: int, context: AppContext | None = None):
        super().__init__(parent, context)
        self.sheet_id = sheet_id

    def add_work(self, ids: list[int]):
        sheet_id = self.sheet_id
        return lambda progress: appraisals.add_members(sheet_id, ids, progress)


class OverrideDialog(FormDialog):
    def __init__(self, data: appraisals.SheetData, member: appraisals.MemberRow, parent=None):
        super().__init__(parent, f"调整等次 — {member.name}")
        computed = data.computed_grade(member) or "未定"
        total = data.total(member)
        self.grade = QComboBox()
        self.grade.addItem(f"按分数（{computed}）", "")
        for grade in data.scheme.grades:
            self.grade.addItem(grade, grade)
        self.grade.setCurrentIndex(max(0, self.grade.findData(member.grade_override)))
        self.reason = text_box(member.override_reason, 100,
                               "调整等次必须写明理由，如：经党组会研究、受到处分、群众反映等")
        self.form.addRow("总分", QLabel(score_text(total) or "评分未完成"))
        self.form.addRow("按分数等次", QLabel(computed))
        self.add_field("grade", "调整为", self.grade)
        self.add_field("reason", "书面理由", self.reason)
        self.sheet_id, self.cadre_id = data.sheet.id, member.cadre_id
        self.before = (member.grade_override, member.override_reason)  # as shown: another's later change asks
        self.resize(460, 300)

    def save(self) -> None:
        """调整 as typed; another having changed this member's 等次 since the sheet was loaded: 重新载入对方的修改
        (closes, the sheet shows theirs) / 仍然保存我的修改 / 取消 (stays open on the typing)."""
        typed = (self.sheet_id, self.cadre_id, self.grade.currentData(), self.reason.toPlainText())
        self.save_checked(lambda: grading.set_override(*typed, before=self.before),
                          lambda: grading.set_override(*typed))
