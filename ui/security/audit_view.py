"""审计日志: the auditor's view with filters, details of a row and the integrity check. The rows are read
through the task runner (a search by content reads every row of a years-long log: 0.1–0.2 s at 300,000
rows, more on a loaded machine); the page says 「正在查询…」 meanwhile and shows the newest search's rows."""

from __future__ import annotations

import datetime as _dt
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
from cadre_desk.domain.dates import format_moment, from_date, to_date
from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.security import anchors, audit
from cadre_desk.security.audit_changes import changes_text
from cadre_desk.security.audit_columns import ON_THE_PAGE
from ui.widgets import files, messages
from ui.widgets.date_edit import DateEdit
from ui.widgets.rows_model import RIGHT, Column, RowsModel, make_table
from ui.widgets.tasks import Newest


def _iso_day(stored: str) -> str:
    """A day the auditor gave ("20240315"; "" for no bound) as audit.search compares it: 2024-03-15."""
    return to_date(stored).isoformat() if stored else ""



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
                   for key, title in ON_THE_PAGE]
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
        self.export_button = QPushButton("导出…")
        self.export_button.setEnabled(False)  # until a search shows rows
        self.export_button.setToolTip("把按上面条件查到的全部记录导出为 Excel 工作簿（不限于显示的 2000 条）")
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
        # 校验完整性 and 导出… beside the count of rows found: the filters' row alone fills 1366 pixels
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
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
        lines += [f"  {line}" for line in changes_text(entry.entity, entry.changes)]
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
