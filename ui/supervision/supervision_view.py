"""干部监督 page (only with the 干部监督 grant; the navigation hides it from everyone else): 提醒 / 函询 /
诫勉 records of the operator's cadres, searched and counted, added and changed, exported."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from cadre_desk.domain import clock
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import SUPERVISION, SUPERVISION_LIST
from cadre_desk.domain.text import choice_words, with_choice
from cadre_desk.supervision import supervision
from ui.shell.context import AppContext
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.choices import chosen_texts, unit_filter
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.record_list import EDITABLE, EXPORT, ONE, RecordList, choice_filter, search_box
from ui.widgets.rows_model import RowsModel, list_columns

CAPABILITY = "supervision"


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
        return self.save_checked(lambda: supervision.save_record(info),
                                 lambda: supervision.save_record(info, overwrite=True))


def supervision_model(parent=None) -> RowsModel:
    """The records; the 提醒函询诫勉记录 workbook writes the same list."""
    return RowsModel(list_columns(SUPERVISION, SUPERVISION_LIST, {key: {"tooltip": True} for key in ("matter", "outcome")}),
                     parent)


class SupervisionPage(RecordList):
    def __init__(self, context: AppContext):
        self.unit_box = unit_filter()
        self.kind_box = choice_filter("全部处置方式", supervision.SUPERVISION_KINDS)
        self.source_box = choice_filter("全部来源", supervision.SUPERVISION_SOURCES)
        self.text = search_box("查找：姓名、反映问题、处理结果")
        super().__init__(context, CAPABILITY, supervision_model(), self.records,
                         filters=("单位", self.unit_box, self.kind_box, self.source_box, (self.text, 1)),
                         count=supervision.counts)
        self.model.setParent(self)
        note = QLabel("本页记录仅限具有“干部监督”权限的人员查阅：工作台的函询提醒只向这些人员显示，干部画像须勾选才显示和"
                      "打印；除本页导出外，其他导出和打印件（含工作台打印件）一概不含。\n按回避规定，本人及亲属的提醒、函询、诫勉记录"
                      "不在本页和工作台显示，也不能由本人登记。")
        note.setObjectName("hint")
        note.setWordWrap(True)
        self.column.insertWidget(1, note)
        self.add_actions(("new", "新增监督记录…", self.new_record, EDITABLE), ("edit", "修改…", self.edit_record, ONE),
                         ("delete", "删除", self.delete_record, ONE), ("export", "导出…", self.export, self._can_export))
        self.reload()

    def current_filter(self) -> supervision.SupervisionFilter:
        return supervision.SupervisionFilter(unit_id=self.unit_box.currentData(), kind=self.kind_box.currentData() or "",
                                             source=self.source_box.currentData() or "", text=self.text.text())

    def records(self) -> list[supervision.SupervisionInfo]:
        return supervision.list_records(self.current_filter())

    def described_filter(self) -> str:
        """The 单位, 处置方式, 来源 and 查找 chosen, in words (市财政局、诫勉，含“经商”); "" for none."""
        return choice_words(chosen_texts(self.unit_box, self.kind_box, self.source_box), self.text.text())

    def _can_export(self, panel: RecordList) -> bool:
        """导出… writes the records listed (it wrote every record whatever the filters said — records of the
        most sensitive kind, more than the clerk had chosen); over an empty list it is off, its tip says why."""
        count, what = len(panel.model.rows), self.described_filter()
        self.buttons["export"].setToolTip(
            with_choice(f"导出为 Excel：本页所列的 {count} 条记录", what) if count
            else "没有符合所选条件的监督记录，没有可导出的记录" if what else "您负责的范围内还没有监督记录，没有可导出的记录")
        return EXPORT(panel) and count > 0

    def new_record(self) -> None:
        self.run(SupervisionDialog(self.context, parent=self))

    def edit_record(self) -> None:
        self.edit(lambda record: SupervisionDialog(self.context, record, parent=self))

    def delete_record(self) -> None:
        self.delete("删除监督记录", lambda r: f"确定删除 {r.cadre_name} 的这条{r.kind}记录吗？", supervision.delete_record)

    def export(self) -> None:
        from reports.excel import practices_workbooks
        from reports.pdf.pdf_common import safe_file_name
        from ui.exchange.exchange_view import export_workbook

        flt, what = self.current_filter(), self.described_filter()
        export_workbook(self.context, "导出提醒函询诫勉记录", safe_file_name(with_choice(SUPERVISION.title, what)),
                        lambda path, progress, reason: practices_workbooks.export_supervision(
                            path, progress, flt=flt, what=what, reason=reason))
