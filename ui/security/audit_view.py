"""审计日志: the auditor's view with filters, details of a row and the integrity check. The rows are read
through the task runner (a search by content reads every row of a years-long log: 0.1–0.2 s at 300,000
rows, more on a loaded machine); the page says 「正在查询…」 meanwhile and shows the newest search's rows."""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from operator import attrgetter
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date, format_moment, from_date, to_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.periods import period_label
from cadre_desk.security import anchors, audit
from ui.widgets import files, messages
from ui.widgets.date_edit import DateEdit
from ui.widgets.rows_model import RIGHT, Column, RowsModel, make_table
from ui.widgets.tasks import Newest

# Change keys the services store in English, as the auditor reads them (cadre fields and sub-records: the
# registry; settings: their own names).
KEY_LABELS = {"display_name": "姓名", "roles": "角色", "unit_scopes": "负责单位", "cadre_id": "本人干部档案编号",
              "id_number": "身份证号", "active": "启用", "name": "名称", "retired": "已停用",
              "default_months": "默认期限（月）", "cadre": "干部", "cadre_ids": "干部", "post": "锻炼岗位",
              "guide_cadre_id": "“一对一”指导人", "mentor_id": "导师", "mentee_id": "帮带对象",
              "posting_ids": "一线锻炼", "sheet_ids": "核查对单", "host_unit_id": "锻炼单位", "home_unit_id": "派出单位",
              "period": "考核期间"}
UNIT_KEYS = {"unit_scopes"}  # change keys that hold unit ids: shown by the units' names


def _iso_day(stored: str) -> str:
    """A day the auditor gave ("20240315"; "" for no bound) as audit.search compares it: 2024-03-15."""
    return to_date(stored).isoformat() if stored else ""


def change_line(entity: str, key: str, change, unit_names: dict[int, str] | None = None) -> str:
    """One changed field: its Chinese label taken from the changed record type's own fields, values as
    the screens show them (code names, 1986.05, units by name — never their ids)."""
    from cadre_desk.domain.fields import display_value

    spec = entity_fields(entity).get(key)
    record = _sub_records().get(key) if entity == "干部" else None
    label = record.label if record is not None else key_label(key, entity)
    if unit_names is None and (key in UNIT_KEYS or (spec is not None and spec.kind == "unit")):
        from cadre_desk.units import units

        unit_names = units.full_names()

    def item_shown(item):
        """A sub-record row (a 家庭成员 …): its fields by their labels, codes by their names."""
        if record is None or not isinstance(item, dict):
            return dates_shown(key, item)
        by_key = {f.key: f for f in record.fields}
        return {(by_key[k].label if k in by_key else key_label(k)):
                (display_value(by_key[k], v) if k in by_key and v not in (None, "") else dates_shown(k, v))
                for k, v in item.items()}

    def shown(value):
        if isinstance(value, bool) or value is None:
            return {True: "是", False: "否", None: "（空）"}[value]
        if spec is not None and value not in (None, "") and not isinstance(value, (list, dict)):
            value = display_value(spec, value, unit_names)
        elif key in UNIT_KEYS and isinstance(value, list):
            value = [(unit_names or {}).get(v, v) for v in value]
        elif record is not None and isinstance(value, list):
            value = [item_shown(item) for item in value]
        else:
            value = dates_shown(key, value)
        return json.dumps(value, ensure_ascii=False)

    if isinstance(change, list) and len(change) == 2:
        return f"  {label}：{shown(change[0])} → {shown(change[1])}"
    return f"  {label}：{shown(change)}"


# the record types of the registry an audit entity changes, when its name is not the record's label
ENTITY_RECORDS = {"帮带谈话记录": ("meeting_log",), "一线锻炼": ("posting", "posting_review"),
                  "干部监督记录": ("supervision",), "单位职数": ("staffing",), "专业干部库入库": ("pool_member",),
                  "政治体检项目": ("checkup_item",), "政治体检提醒单": ("checkup_round",),
                  "政治体检核查": ("checkup_sheet",)}

# a key several record types label differently, named plainly when the entity has no record type of its
# own (never another record type's label: 谈话记录's date is no 奖惩时间)
PLAIN_LABELS = {"start": "开始时间", "end": "结束时间", "text": "内容", "date": "日期", "kind": "类别",
                "content": "内容", "issuer": "批准机关（下发人）", "source": "来源", "cadre_name": "姓名",
                "unit_name": "单位", "planned_end": "计划结束时间", "actual_end": "实际结束时间",
                "outcome": "结果", "grade": "等次", "due": "到期日期", "description": "说明"}


@functools.cache
def _records() -> dict[str, object]:
    from cadre_desk.domain import fields

    return {spec.key: spec for spec in vars(fields).values() if isinstance(spec, fields.RecordSpec)}


@functools.cache
def _sub_records() -> dict[str, object]:
    """The profile's sub-records (简历, 家庭成员 …) by their key: a 干部 change of "family" is one."""
    return {key: spec for key, spec in _records().items() if spec.item is not None}


@functools.cache
def entity_fields(entity: str) -> dict:
    """The registry fields of the record type(s) an audit entity is: key → FieldSpec."""
    from cadre_desk.domain.fields import BY_KEY

    if entity == "干部":
        return dict(BY_KEY)
    keys = ENTITY_RECORDS.get(entity) or tuple(k for k, r in _records().items() if r.label == entity)
    return {f.key: f for k in keys for f in _records()[k].fields}


# a change key that holds a date (一线锻炼's start, 谈话记录's date, 核查对单's checked_on …) besides the
# registry's date fields; its stored 20240315 is shown 2024.03.15 as every screen writes it
DATE_KEY = re.compile(r"(?:^|_)(?:date|start|end|on|birth)$")
STORED_DATE = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?")


def dates_shown(key: str, value):
    """A changed value with its stored dates (also those of the items of a sub-record list) and period
    codes (2026-Q2) written as the screens write them."""
    if isinstance(value, list):
        return [dates_shown(key, v) for v in value]
    if isinstance(value, dict):
        return {k: dates_shown(k, v) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    if key == "period":
        return period_label(value)
    if (key in _record_date_keys() or DATE_KEY.search(key)) and STORED_DATE.fullmatch(value):
        return format_date(value)
    return value


@functools.cache
def _record_date_keys() -> frozenset[str]:
    from cadre_desk.domain.fields import FIELDS

    return frozenset(f.key for f in [*FIELDS, *(f for r in _records().values() for f in r.fields)]
                     if f.kind == "date")


def key_label(key: str, entity: str = "") -> str:
    """A change key's Chinese name: the entity's own registry field, our table, a setting's name, a
    profile field, a sub-record field's label when all record types name it alike."""
    from cadre_desk.domain.fields import BY_KEY
    from cadre_desk.settings import settings

    own = entity_fields(entity).get(key) if entity else None
    if own is not None:
        return own.label
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if key in settings.KEY_LABELS:
        return settings.KEY_LABELS[key]
    if key in BY_KEY:
        return BY_KEY[key].label
    if key in _sub_records():
        return _sub_records()[key].label
    labels = _record_labels().get(key, set())
    if len(labels) == 1:
        return next(iter(labels))
    return PLAIN_LABELS.get(key, key)


@functools.cache
def _record_labels() -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for spec in _records().values():
        for field in spec.fields:
            labels.setdefault(field.key, set()).add(field.label)
    return labels


def readable_summary(entry: audit.AuditEntry) -> str:
    """The summary, a setting named by its Chinese name (rows written before settings had names)."""
    from cadre_desk.settings import settings

    summary = entry.summary
    if entry.entity == "设置":
        for key, label in settings.KEY_LABELS.items():
            summary = summary.replace(key, label)
    return summary


BROKEN = "#f8d7da"


class AuditModel(RowsModel):
    """The audit rows; the row where the hash chain breaks is shown in red."""

    WIDTHS = {"id": 70, "at": 150, "user": 90, "action": 70, "entity": 120, "entity_id": 60, "summary": 420,
              "reason": 120}
    WHOLE_TEXT = ("entity", "summary", "reason")  # long text: the whole of it on hover

    def __init__(self, parent=None):
        self.broken_id: int | None = None
        columns = [Column(title, self._cell(key), self.WIDTHS[key], key=key,
                          align=RIGHT if key in ("id", "entity_id") else None, tooltip=key in self.WHOLE_TEXT)
                   for key, title in (("id", "序号"), ("at", "时间"), ("user", "用户"), ("action", "操作"),
                                      ("entity", "对象"), ("entity_id", "编号"), ("summary", "摘要"),
                                      ("reason", "事由"))]
        super().__init__(columns, parent, background=lambda e: BROKEN if e.id == self.broken_id else None,
                         row_numbers=False)

    @staticmethod
    def _cell(key: str):
        if key == "at":
            return lambda entry: format_moment(entry.at, seconds=True)
        if key == "summary":
            return readable_summary
        return attrgetter(key)

    @property
    def entries(self) -> list[audit.AuditEntry]:
        return self.rows

    def set_entries(self, entries: list[audit.AuditEntry]) -> None:
        self.set_rows(entries)


class AuditPage(QWidget):
    def __init__(self, context):
        super().__init__()
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        filters = QHBoxLayout()
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("用户")
        self.user_edit.setMaximumWidth(120)
        self.action_combo = QComboBox()
        self.action_combo.addItem("全部操作", "")
        for action in audit.ACTIONS:
            self.action_combo.addItem(action, action)
            self.action_combo.setItemData(self.action_combo.count() - 1, audit.ACTION_HELP[action],
                                          Qt.ItemDataRole.ToolTipRole)
        self.entity_combo = QComboBox()
        self.entity_combo.setMinimumWidth(110)
        # the one date widget: 2024.03.15 as every screen writes a day (Qt's own date box showed 2024-03-15)
        today = clock.today()
        self.date_from = DateEdit(from_date(today - _dt.timedelta(days=30)), "day", label="起始日期", key="date_from")
        self.date_to = DateEdit(from_date(today), "day", label="截止日期", key="date_to")
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("摘要、修改内容或事由中的文字")
        self.text_edit.setMinimumWidth(220)
        self.search_button = QPushButton("查询")
        self.verify_button = QPushButton("校验完整性")
        self.verify_button.setToolTip(audit.CHAIN_EXPLAINED)
        for widget in (QLabel("用户："), self.user_edit, QLabel("操作："), self.action_combo, QLabel("对象："),
                       self.entity_combo, QLabel("日期："), self.date_from, QLabel("至"), self.date_to,
                       QLabel("内容："), self.text_edit):
            filters.addWidget(widget)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        self.export_button = QPushButton("导出…")
        self.export_button.setEnabled(False)  # until a search shows rows
        self.export_button.setToolTip("把按上面条件查到的全部记录导出为 Excel 工作簿（不限于显示的 2000 条）")
        filters.addWidget(self.export_button)
        layout.addLayout(filters)

        self.model = AuditModel(self)
        # the 摘要 takes the room the window leaves; the 事由, mostly empty, keeps its width
        self.table = make_table(self.model, stretch=[c.key for c in self.model.columns].index("summary"))
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选择一条记录查看修改内容")
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.loading = False  # a search under way, its rows not shown yet
        self._last_filters: dict | None = None  # the search under way's, then the shown rows'
        self._shown_filters: dict | None = None
        self._searches = Newest(self, context.tasks)
        self._verdict: anchors.Verdict | None = None  # an integrity check's, said once the rows are read again

        self.search_button.clicked.connect(self.refresh)
        self.text_edit.returnPressed.connect(self.refresh)
        self.user_edit.returnPressed.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self._fill_entities()
        self.refresh()

    def _fill_entities(self) -> None:
        """The 对象 choices: a DISTINCT over the whole log (no index on it), read off the GUI thread."""
        def done(entities: list[str]) -> None:
            if shiboken6.isValid(self):
                self._set_entities(entities)

        self.context.tasks.start(lambda _p: audit.entities(), on_done=done, on_error=lambda _m: None)

    def _set_entities(self, entities: list[str]) -> None:
        current = self.entity_combo.currentData()
        self.entity_combo.blockSignals(True)
        self.entity_combo.clear()
        self.entity_combo.addItem("全部对象", "")
        for entity in entities:
            self.entity_combo.addItem(entity, entity)
        self.entity_combo.blockSignals(False)
        if current:
            self.entity_combo.setCurrentIndex(max(0, self.entity_combo.findData(current)))

    def filters(self) -> dict:
        return {
            "user": self.user_edit.text().strip(),
            "action": self.action_combo.currentData() or "",
            "entity": self.entity_combo.currentData() or "",
            "date_from": _iso_day(self.date_from.value()),
            "date_to": _iso_day(self.date_to.value()),
            "text": self.text_edit.text().strip(),
        }

    def refresh(self) -> None:
        """The rows the filters ask for, read off the GUI thread (the newest search wins)."""
        try:
            flt = self.filters()
        except CadreDeskError as exc:  # a day that is no day: said, nothing read
            self._searches.drop()
            self._show([], str(exc))
            return
        self.loading = True
        self._last_filters = flt
        self.status.setText("正在查询…")

        def done(entries: list[audit.AuditEntry]) -> None:
            more = "（仅显示最近 2000 条，请缩小范围）" if len(entries) >= 2000 else ""
            self._show(entries, f"共 {len(entries)} 条{more}")

        def failed(message: str) -> None:  # e.g. 无权 (not an auditor)
            self._show([], message)

        self._searches.start(lambda _p: audit.search(**flt), done, failed, soon=True)

    def _show(self, entries: list[audit.AuditEntry], status: str) -> None:
        self.loading = False
        self.model.set_entries(entries)
        self.export_button.setEnabled(bool(entries))
        self.export_button.setToolTip("把按上面条件查到的全部记录导出为 Excel 工作簿（不限于显示的 2000 条）" if entries
                                      else "没有符合条件的记录可导出：请改变查询条件后再点“查询”。")
        self._shown_filters = self._last_filters
        self.status.setText(status)
        self.detail.clear()
        verdict, self._verdict = self._verdict, None
        if verdict is not None:  # an integrity check's: said over the rows as they are now
            self._show_verdict(verdict)

    def _show_detail(self, current, _previous) -> None:
        if not current.isValid():
            return
        entry = self.model.entries[current.row()]
        lines = [f"{format_moment(entry.at, seconds=True)}  {entry.user}  {entry.action}  {entry.entity} {entry.entity_id or ''}",
                 f"（{entry.action}：{audit.ACTION_HELP.get(entry.action, entry.action)}）", readable_summary(entry)]
        if entry.reason:
            lines.append(f"事由：{entry.reason}")
        for key, change in entry.changes.items():
            lines.append(change_line(entry.entity, key, change))
        self.detail.setPlainText("\n".join(lines))

    def export(self) -> None:
        """The rows of the search shown (its filters, not the boxes as typed since) to a workbook."""
        from reports.excel.audit_workbook import export_audit

        title = "导出审计日志"
        flt = dict(self._shown_filters or {})
        default = str(Path(files.default_dir()) / f"审计日志_{clock.today():%Y%m%d}.xlsx")
        path = files.save_file(self, title, default, "Excel 文件 (*.xlsx)")
        if not path:
            return
        files.remember_dir(path)
        path = path if path.lower().endswith(".xlsx") else path + ".xlsx"
        self.context.tasks.run_with_progress(
            self, title, lambda progress: export_audit(path, progress, **flt),
            on_done=lambda _r: messages.info(self, title, f"已导出到：\n{path}"))

    def verify(self) -> None:
        """Every row's hash recomputed (seconds for a long-used log): off the GUI thread, with 取消."""
        self.verify_button.setEnabled(False)

        def failed(message: str) -> None:
            self.verify_button.setEnabled(True)
            if message:
                messages.error(self, "校验完整性", message)

        self.verify_task = self.context.tasks.run_with_progress(
            self, "校验完整性", anchors.check_integrity, on_done=self._verified, on_error=failed)

    def _verified(self, verdict: anchors.Verdict) -> None:
        self._verdict = verdict
        self.refresh()  # the rows as they are now, not as they were read; then the verdict over them

    def _show_verdict(self, verdict: anchors.Verdict) -> None:
        self.verify_button.setEnabled(True)
        broken = verdict.broken
        self.model.broken_id = broken
        self.model.refresh()
        if verdict.ok:
            self.status.setStyleSheet("")
            self.status.setText(self.status.text() + "　完整性校验通过")
            notes = "".join(f"\n{note}" for note in verdict.notes)
            messages.info(self, "校验完整性", f"审计日志完整：所有记录前后相扣（哈希链一致），与 {verdict.anchors} 个记在"
                                           f"数据库之外的审计锚点相符，未发现篡改。\n\n{audit.CHAIN_EXPLAINED}{notes}")
            return
        self.status.setStyleSheet("color: #c0392b;")
        where = f"第 {broken} 条记录起（红色标出）" if broken is not None else "审计锚点"
        self.status.setText(f"完整性校验失败：{where}")
        for row, entry in enumerate(self.model.entries):
            if entry.id == broken:
                self.table.scrollTo(self.model.index(row, 0))
                self._show_detail(self.model.index(row, 0), None)
                break
        messages.warning(self, "校验完整性", f"{verdict.message}\n该处记录已被程序以外的方式修改或删除。\n"
                                             f"请保留现场并报告安全管理人员。\n\n{audit.CHAIN_EXPLAINED}")
