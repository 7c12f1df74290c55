"""干部监督 page (only with the 干部监督 grant; the navigation hides it from everyone else): 提醒 / 函询 /
诫勉 records of the operator's cadres, searched and counted, added and changed, exported."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import SUPERVISION
from cadre_desk.supervision import supervision
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.choices import unit_filter
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.rows_model import RowsModel, current_row, field_column, make_table

CAPABILITY = "supervision"
KEYS = ("cadre_name", "unit_name", "kind", "source", "date", "matter", "outcome", "handler", "recorder")


def _label(key: str) -> str:
    return SUPERVISION.label_of(key) + "："


def _combo(items, current: str = "") -> QComboBox:
    box = QComboBox()
    box.addItems(items)
    if current:
        box.setCurrentText(current)
    return box


class SupervisionDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, context, record: supervision.SupervisionInfo | None = None, parent=None):
        super().__init__(parent, "新增监督记录" if record is None else f"修改监督记录 — {record.cadre_name}")
        self.record = record
        self.cadre = CadrePicker(context, record.cadre_id if record else None, compact=True, status="")
        self.cadre.setEnabled(record is None)
        self.add_field("cadre_id", _label("cadre_name"), self.cadre)
        self.kind = self.add_field("kind", _label("kind"),
                                   _combo(supervision.SUPERVISION_KINDS, record.kind if record else ""))
        self.source = self.add_field("source", _label("source"),
                                     _combo(supervision.SUPERVISION_SOURCES, record.source if record else ""))
        self.date = self.add_field("date", _label("date"), DateEdit(record.date if record else clock.today_yyyymmdd(),
                                                                    "day", label=SUPERVISION.label_of("date")))
        self.matter = self.add_field("matter", _label("matter"), text_box(record.matter if record else "", 90))
        self.outcome = self.add_field("outcome", _label("outcome"), text_box(record.outcome if record else "", 70,
                                                                             "函询回复、核实情况、处理意见"))
        self.handler = self.add_field("handler", _label("handler"), QLineEdit(record.handler if record else ""))
        self.setMinimumWidth(560)

    def save(self) -> supervision.SupervisionInfo:
        if self.cadre.cadre_id() is None:
            raise ValidationError({"cadre_id": "请选择干部。"})
        base = self.record
        info = supervision.SupervisionInfo(
            base.id if base else None, self.cadre.cadre_id(), self.kind.currentText(), self.source.currentText(),
            self.date.value(), self.matter.toPlainText(), self.outcome.toPlainText(), self.handler.text(),
            recorder=base.recorder if base else "", version=base.version if base else 0)
        return supervision.save_record(info)


class SupervisionPage(QWidget):
    def __init__(self, context: AppContext):
        super().__init__()
        self.context = context
        self.unit_box = unit_filter()
        self.kind_box = QComboBox()
        self.kind_box.addItem("全部处置方式", "")
        self.source_box = QComboBox()
        self.source_box.addItem("全部来源", "")
        for box, items in ((self.kind_box, supervision.SUPERVISION_KINDS),
                           (self.source_box, supervision.SUPERVISION_SOURCES)):
            for item in items:
                box.addItem(item, item)
        self.text = QLineEdit()
        self.text.setPlaceholderText("查找：姓名、反映问题、处理结果")
        self.text.setClearButtonEnabled(True)
        self.count = QLabel()
        filters = QHBoxLayout()
        for widget in (QLabel("单位"), self.unit_box, self.kind_box, self.source_box):
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.count)
        note = QLabel("本页记录仅限具有“干部监督”权限的人员查阅，不在其他页面、提醒和打印件中出现。")
        note.setObjectName("hint")
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, text, slot in (("new", "新增监督记录…", self.new_record), ("edit", "修改…", self.edit_record),
                                ("delete", "删除", self.delete_record), ("export", "导出…", self.export)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        self.model = RowsModel([field_column(SUPERVISION, key, tooltip=key in ("matter", "outcome")) for key in KEYS],
                               self)
        self.table = make_table(self.model, sorting=True, stretch=5)
        self.table.doubleClicked.connect(lambda _i: self.edit_record())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(note)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        for box in (self.unit_box, self.kind_box, self.source_box):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.text.textChanged.connect(lambda _t: self.reload())
        context.data_changed.connect(lambda name: name in (CAPABILITY, "") and self.reload())
        context.cadres_changed.connect(lambda _ids: self.reload())
        self.reload()

    def reload(self) -> None:
        flt = supervision.SupervisionFilter(unit_id=self.unit_box.currentData(), kind=self.kind_box.currentData() or "",
                                            source=self.source_box.currentData() or "", text=self.text.text())
        rows = supervision.list_records(flt)
        self.model.set_rows(rows)
        self.count.setText(supervision.counts(rows))
        self._enable()

    def _enable(self) -> None:
        editable = not self.context.readonly
        record = current_row(self.table)
        self.buttons["new"].setEnabled(editable)
        self.buttons["edit"].setEnabled(editable and record is not None)
        self.buttons["delete"].setEnabled(editable and record is not None)
        self.buttons["export"].setEnabled(self.context.allows(permissions.EXPORT))

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.Accepted:
            self.context.data_changed.emit(CAPABILITY)

    def new_record(self) -> None:
        self._run(SupervisionDialog(self.context, parent=self))

    def edit_record(self) -> None:
        record = current_row(self.table)
        if record is not None and not self.context.readonly:
            self._run(SupervisionDialog(self.context, record, parent=self))

    def delete_record(self) -> None:
        record = current_row(self.table)
        if record is None or not messages.confirm(self, "删除监督记录", f"确定删除 {record.cadre_name} 的这条{record.kind}记录吗？",
                                                  "删除", danger=True):
            return
        if messages.attempt(self, "不能删除", supervision.delete_record, record.id):
            self.context.data_changed.emit(CAPABILITY)

    def export(self) -> None:
        from reports.excel import practices_workbooks
        from ui.exchange.exchange_view import export_workbook

        export_workbook(self.context, "导出提醒函询诫勉记录", "提醒函询诫勉记录", practices_workbooks.export_supervision)
