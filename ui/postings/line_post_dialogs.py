"""Dialogs for the frontline lines (战线) and their posts (锻炼岗位)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from cadre_desk.domain import codes
from cadre_desk.postings import frontline_posts, posting_data
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box

# ---- lines and posts ------------------------------------------------------------------------------

class LineDialog(FormDialog):
    title = "战线"

    def __init__(self, line: posting_data.LineInfo | None = None, parent=None):
        super().__init__(parent)
        self.line = line
        self.setWindowTitle("修改战线" if line else "新增战线")
        self.name = QLineEdit(line.name if line else "")
        self.months = QSpinBox()
        self.months.setRange(1, 60)
        self.months.setSuffix(" 个月")
        self.months.setValue(line.default_months if line else 6)
        self.add_field("name", "战线名称：", self.name)
        self.add_field("default_months", "默认锻炼期限：", self.months)
        self.setMinimumWidth(380)

    def save(self):
        if self.line is None:
            return frontline_posts.add_line(self.name.text(), self.months.value())
        return frontline_posts.update_line(self.line.id, self.line.version, self.name.text(), self.months.value())


class CategoryChecks(QWidget):
    def __init__(self, selected: str = "", parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        chosen = set((selected or "").split(","))
        self.boxes: list[tuple[str, QCheckBox]] = []
        for code, name in codes.table("CATEGORY").items:
            box = QCheckBox(name)
            box.setChecked(code in chosen)
            layout.addWidget(box)
            self.boxes.append((code, box))
        layout.addStretch(1)

    def value(self) -> str:
        return ",".join(code for code, box in self.boxes if box.isChecked())


class PostDialog(FormDialog):
    title = "锻炼岗位"

    def __init__(self, post: posting_data.PostInfo | None = None, line_id: int | None = None, parent=None):
        super().__init__(parent)
        self.post = post
        self.setWindowTitle("编辑锻炼岗位" if post else "新增锻炼岗位")
        data = frontline_posts.post_input(post) if post else posting_data.PostInput(line_id=line_id)
        self.line = QComboBox()
        for line in frontline_posts.list_lines():
            if line.retired and (post is None or line.id != post.line_id):
                continue
            self.line.addItem(line.name + ("（已停用）" if line.retired else ""), line.id)
        self.line.setCurrentIndex(max(0, self.line.findData(data.line_id)))
        self.name = QLineEdit(data.name)
        self.name.setPlaceholderText("例如：XX项目服务专班")
        self.host_type = QComboBox()
        self.host_type.addItem("（未填）", "")
        for kind in posting_data.HOST_TYPES:
            self.host_type.addItem(kind, kind)
        self.host_type.setCurrentIndex(max(0, self.host_type.findData(data.host_type)))
        self.host_name = QLineEdit(data.host_name)
        self.duties = text_box(data.duties)
        self.requirements = QLineEdit(data.requirements)
        self.requirements.setPlaceholderText("所需专业特长，用顿号分隔，例如：项目管理、规划建设")
        self.categories = CategoryChecks(data.wanted_categories)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 9999)
        self.capacity.setSuffix(" 人")
        self.capacity.setValue(max(1, data.capacity))
        self.open_start = DateEdit(data.open_start, label="开放开始时间", key="open_start")
        self.open_end = DateEdit(data.open_end, label="开放结束时间", key="open_end")
        period = QHBoxLayout()
        period.addWidget(self.open_start)
        period.addWidget(QLabel("至"))
        period.addWidget(self.open_end)
        period.addWidget(QLabel("（可不填）"))
        self.party_branch = QLineEdit(data.party_branch)
        self.party_group = QLineEdit(data.party_group)
        self.host_contact = QLineEdit(data.host_contact)
        self.add_field("line_id", "所属战线：", self.line)
        self.add_field("name", "岗位名称：", self.name)
        self.add_field("host_type", "承接单位类型：", self.host_type)
        self.add_field("host_name", "承接单位：", self.host_name)
        self.add_field("duties", "岗位职责：", self.duties)
        self.add_field("requirements", "专业要求：", self.requirements)
        self.add_field("wanted_categories", "面向干部类别：", self.categories)
        self.add_field("capacity", "岗位容量：", self.capacity)
        self.add_field("open_end", "开放时间：", period)
        self.fields["open_start"] = self.fields["open_end"]
        self.add_field("party_branch", "功能型党支部：", self.party_branch)
        self.add_field("party_group", "临时党小组：", self.party_group)
        self.add_field("host_contact", "承接单位联系人：", self.host_contact)
        self.setMinimumWidth(720)

    def save(self):
        data = posting_data.PostInput(
            line_id=self.line.currentData(), name=self.name.text(), host_type=self.host_type.currentData(),
            host_name=self.host_name.text(), duties=self.duties.toPlainText(),
            requirements=self.requirements.text(), wanted_categories=self.categories.value(),
            capacity=self.capacity.value(), open_start=self.open_start.value(), open_end=self.open_end.value(),
            party_branch=self.party_branch.text(), party_group=self.party_group.text(),
            host_contact=self.host_contact.text(),
            id=self.post.id if self.post else None, version=self.post.version if self.post else 0)
        return frontline_posts.save_post(data)


def post_combo(selected: int | None = None, only_open: bool = True) -> QComboBox:
    combo = QComboBox()
    combo.setMinimumWidth(320)
    for post in frontline_posts.list_posts():
        if only_open and post.line_retired:
            continue
        combo.addItem(f"{post.line_name} / {post.name}（{post.filled}/{post.capacity}）", post.id)
    if selected is not None:
        combo.setCurrentIndex(max(0, combo.findData(selected)))
    else:
        vacant = next((p.id for p in frontline_posts.list_posts() if p.filled < p.capacity and not p.line_retired), None)
        combo.setCurrentIndex(max(0, combo.findData(vacant)))
    return combo
