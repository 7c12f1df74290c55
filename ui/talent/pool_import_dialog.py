"""导入名单… on the 专业干部库 page: a workbook of names read and checked off the GUI thread, every row
shown with what is wrong with it, then the good rows put in their pools."""

from __future__ import annotations

from operator import attrgetter

from PySide6.QtWidgets import QLabel

from cadre_desk.domain.dates import format_date
from cadre_desk.domain.fields import POOL_MEMBER
from cadre_desk.talent import pool_import, pools
from ui.widgets import files, messages
from ui.widgets.files import EXCEL_FILTER, default_dir, remember_dir
from ui.widgets.form_dialog import FormDialog
from ui.widgets.rows_model import RIGHT, Column, RowsModel, make_table

PROBLEM = "#b3261e"


class PoolImportDialog(FormDialog):
    """The rows of a checked workbook; 导入 puts the good ones in."""

    title = "导入专业干部库名单"
    ok_text = "导入"

    def __init__(self, plan: pool_import.ImportPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        summary = QLabel(plan.summary() + ("；有问题的行不导入，可改正后重新导入。" if plan.refused else "。"))
        summary.setWordWrap(True)
        # rows of several sheets (the roster exported here: a sheet per pool): which sheet a 行号 is of
        several = len({r.sheet for r in plan.rows}) > 1
        self.model = RowsModel([
            Column("工作表·行号", lambda r: f"{r.sheet}·{r.row}", 120) if several
            else Column("行号", attrgetter("row"), 50, align=RIGHT),
            Column(POOL_MEMBER.label_of("cadre_name"), attrgetter("name"), 80),
            Column(POOL_MEMBER.label_of("pool_name"), attrgetter("pool_name"), 90),
            Column(POOL_MEMBER.label_of("level"), attrgetter("level"), 60),
            Column(POOL_MEMBER.label_of("joined_on"), lambda r: format_date(r.joined_on), 90),
            Column("问题", attrgetter("problem"), tooltip=True)], self,
            foreground=lambda r: PROBLEM if r.problem else None)
        self.model.set_rows(plan.rows)
        self.body.addWidget(summary)
        self.body.addWidget(make_table(self.model), 1)
        self.ok_button.setText(f"导入 {len(plan.good)} 行")
        self.ok_button.setEnabled(bool(plan.good))
        self.resize(760, 480)

    def save(self) -> pool_import.ImportResult:
        return pool_import.commit(self.plan)


def import_pool_list(context, parent, default_pool: pools.PoolInfo | None, on_done) -> None:
    """Ask for the file, read and check it in the background, show the rows, import the good ones."""
    path = files.open_file(parent, "选择专业干部库名单", default_dir(), EXCEL_FILTER)
    if not path:
        return
    remember_dir(path)
    pool_id = default_pool.id if default_pool is not None else None

    def checked(plan: pool_import.ImportPlan) -> None:
        dialog = PoolImportDialog(plan, parent)
        if dialog.exec() == PoolImportDialog.DialogCode.Accepted:
            messages.info(parent, PoolImportDialog.title, dialog.result_value.summary())
            on_done()

    context.tasks.run_with_progress(parent, "正在读取名单", lambda p: pool_import.analyze(path, pool_id, p),
                                    on_done=checked)
