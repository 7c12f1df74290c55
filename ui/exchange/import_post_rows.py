"""The 只有职务的行 panel of the import preview: each row with no name whose only content is a post (现任职务),
what was done with it — joined to the person right above as the rest of their 现任职务, or skipped as a vacant
post (a 职数 table's 副局长（空缺）) — and why; the clerk changes it row by row, the rows then checked again."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cadre_desk.exchange import imports
from ui.widgets import messages
from ui.widgets.rows_model import Column, RowsModel, make_table

JOINED_FG = "#1f5fa8"
TITLE = "只有职务的行"


def tab_title(plan: imports.ImportPlan) -> str:
    return f"{TITLE}（{len(plan.post_rows)}）"


class PostRowsPanel(QWidget):
    """Rows with no name and only a post: shown with what was done, changed by the clerk."""

    chosen = Signal(object)  # {sheet row: imports.JOIN / imports.VACANT}: the dialog checks the rows again

    def __init__(self, plan: imports.ImportPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        explain = QLabel("表中没有姓名、只填了职务的行：像上一人现任职务的续写的，接在上一人之后；"
                         "注明空缺或本身是一个完整职务的，按空缺岗位跳过。判断不对时选中行改正。")
        explain.setWordWrap(True)
        bar.addWidget(explain, 1)
        self.join_button = QPushButton("选中行：接续上一人")
        self.join_button.clicked.connect(lambda: self.choose(imports.JOIN))
        self.vacant_button = QPushButton("选中行：按空缺岗位跳过")
        self.vacant_button.clicked.connect(lambda: self.choose(imports.VACANT))
        bar.addWidget(self.join_button)
        bar.addWidget(self.vacant_button)
        layout.addLayout(bar)
        self.model = RowsModel([
            Column("行号", lambda r: r.line, 60),
            Column("表中职务", lambda r: r.text, 220, tooltip=True),
            Column("处理", lambda r: r.done(), 230,
                   foreground=lambda r: JOINED_FG if r.choice == imports.JOIN else None),
            Column("依据", lambda r: r.why, 400, tooltip=True),
        ], self, row_numbers=False)
        self.view = make_table(self.model, stretch=3, multi=True)
        layout.addWidget(self.view, 1)

    def refresh(self) -> None:
        self.model.set_rows(list(self.plan.post_rows))

    def selected(self) -> list:
        return [self.model.rows[i.row()] for i in self.view.selectionModel().selectedRows()]

    def choose(self, choice: str) -> None:
        rows = self.selected()
        if not rows:
            messages.info(self, TITLE, "请先在表中选择行。")
            return
        if choice == imports.JOIN and (alone := [r for r in rows if not r.joinable]):
            lines = "、".join(str(r.line) for r in alone)
            messages.info(self, TITLE, f"第 {lines} 行不能接续上一人：其上一行不是某人的行，或该行另填了序号、"
                                       "单位等本行自己的内容。如确是同一人，请在 Excel 中把内容移入其行后重新导入。")
            rows = [r for r in rows if r.joinable]
        changed = {r.line: choice for r in rows if r.choice != choice}
        if changed:
            self.chosen.emit(changed)
