"""政治体检's dialogs: 下发提醒单 (to a group), 补发提醒单 (to more cadres), 登记核查结果, 修改提醒单, the checklist (对照检查项目) and
one item of it."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from cadre_desk.checkups import checkup_sheets, checkups
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import from_date
from cadre_desk.domain.fields import CHECKUP_ITEM, CHECKUP_ROUND, CHECKUP_SHEET
from cadre_desk.postings.posting_data import ON_POST
from cadre_desk.postings.postings import visible_postings
from cadre_desk.profiles.cadre_list import ID, CadreFilter
from cadre_desk.talent import pools
from cadre_desk.units import units
from ui.widgets.cadre_picker import readable_cadres
from ui.widgets.choices import own_unit_items
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.pick_cadres import PickCadresDialog
from ui.widgets.record_list import CatalogueDialog, CatalogueEntryDialog
from ui.widgets.tasks import Newest

# Who a round goes to.
POSTED, CATEGORY, UNIT, POOL, SELECTION, PICKED = "一线在岗干部", "干部类别", "单位", "专业干部库", "干部名册中选中的干部", "逐个选定"
GROUPS = (POSTED, CATEGORY, UNIT, POOL, SELECTION, PICKED)


def _label(record, key: str) -> str:
    return record.label_of(key) + "："


# What to do when the group chosen has nobody in it (下发 is then disabled).
NOBODY = {PICKED: "请点「选定干部…」选定下发对象", SELECTION: "请先在干部名册中选中干部，或换一个下发对象"}


class IssueDialog(FormDialog):
    """下发提醒单: a quarter, a title, the dates, and the group of cadres it goes to."""

    title = "下发政治体检提醒单"
    ok_text = "下发"
    progress_title = "正在下发提醒单"

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        today = clock.today()
        year, quarter = checkups.quarter_of(today)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        self.quarter = QComboBox()
        for q in (1, 2, 3, 4):
            self.quarter.addItem(f"第{q}季度", q)
        self.quarter.setCurrentIndex(quarter - 1)
        row = QHBoxLayout()
        row.addWidget(self.year)
        row.addWidget(self.quarter)
        row.addStretch(1)
        self.add_field("quarter_label", _label(CHECKUP_ROUND, "quarter_label"), row)
        self.title_edit = self.add_field("title", _label(CHECKUP_ROUND, "title"), QLineEdit("政治体检提醒单"))
        self.issued = self.add_field("issued_on", _label(CHECKUP_ROUND, "issued_on"),
                                     DateEdit(from_date(today), "day", label=CHECKUP_ROUND.label_of("issued_on")))
        self.due = self.add_field("due", _label(CHECKUP_ROUND, "due"),
                                  DateEdit(from_date(today + _dt.timedelta(days=30)), "day",
                                           label=CHECKUP_ROUND.label_of("due")))
        self.group = QComboBox()
        self.group.addItems(GROUPS)
        self.ref = QComboBox()
        self.ref.setMinimumWidth(220)
        self.pick_button = QPushButton("选定干部…")
        self.pick_button.clicked.connect(self.pick)
        group_row = QHBoxLayout()
        group_row.addWidget(self.group)
        group_row.addWidget(self.ref, 1)
        group_row.addWidget(self.pick_button)
        self.add_field("cadre_ids", "下发对象：", group_row)
        self.count = QLabel()
        self.form.addRow("", self.count)
        self.group_note = self.add_field("group_note", _label(CHECKUP_ROUND, "group_note"), QLineEdit())
        self.picked: list[int] = []
        self._counts = Newest(self, context.tasks)
        self.group.currentIndexChanged.connect(lambda _i: self._group_changed())
        self.ref.currentIndexChanged.connect(lambda _i: self._count())
        self.year.valueChanged.connect(lambda _v: self._count())
        self.quarter.currentIndexChanged.connect(lambda _i: self._count())
        self._group_changed()
        self.setMinimumWidth(560)

    def _group_changed(self) -> None:
        kind = self.group.currentText()
        self.ref.blockSignals(True)
        self.ref.clear()
        if kind == CATEGORY:
            for code, name in codes.table("CATEGORY").items:
                self.ref.addItem(name, code)
        elif kind == UNIT:  # the clerk's units only: one above would name the whole, reach only theirs
            for text, unit_id in own_unit_items():
                self.ref.addItem(text, unit_id)
        elif kind == POOL:
            for pool in pools.list_pools():
                self.ref.addItem(f"{pool.name}（{pool.member_count} 人）", pool.id)
        self.ref.blockSignals(False)
        self.ref.setVisible(kind in (CATEGORY, UNIT, POOL))
        self.pick_button.setVisible(kind == PICKED)
        self._count()

    def _find_ids(self) -> Callable[[], list[int]]:
        """How to find the group's cadres: what the widgets (and the in-memory roster) say is read now, on
        the GUI thread; the database (the postings, a pool's members) is read when the function is
        called — off the GUI thread (28,000 postings: a quarter of a second)."""
        kind, ref = self.group.currentText(), self.ref.currentData()
        if kind == POSTED:
            return lambda: list(dict.fromkeys(p.cadre_id for p in visible_postings(state=ON_POST)))
        if kind == POOL:
            return lambda: pools.member_cadre_ids(ref) if ref else []
        if kind in (SELECTION, PICKED):
            ids = self.context.selected_cadre_ids() if kind == SELECTION else list(self.picked)
        else:
            flt = CadreFilter(status="1", category=ref or "") if kind == CATEGORY else \
                CadreFilter(status="1", unit_id=ref)
            ids = [row[ID] for row in readable_cadres(self.context).filter(flt)]
        return lambda: ids

    def cadre_ids(self) -> list[int]:
        return self._find_ids()()

    @property
    def counting(self) -> bool:
        """Whether the group is still being counted (in the task runner)."""
        return self._counts.running

    def _note(self, kind: str) -> str:
        """The round's 对象范围 as issued: the unit, category or pool chosen, a clerk's units beside a group
        by kind (一线在岗干部（市财政局）: only their cadres get sheets)."""
        if kind == PICKED:
            return f"选定 {len(self.picked)} 人"
        note = self.ref.currentText().strip() if kind in (CATEGORY, UNIT, POOL) else kind
        within = units.scope_words() if kind in (POSTED, CATEGORY, POOL) else ""
        return f"{note}（{within}）" if within and note else note

    def _count(self) -> None:
        """「共 N 人，其中 M 人已下发过」 for the group and quarter chosen: counted in the task runner (the
        window is not held while thousands are found and checked); the newest choice wins."""
        kind = self.group.currentText()
        self.group_note.setText(self._note(kind))
        find, year, quarter = self._find_ids(), self.year.value(), self.quarter.currentData()
        label = checkups.quarter_label(year, quarter)
        self.count.setText("正在统计…")
        self.ok_button.setEnabled(True)

        def work(_progress):
            ids = find()
            return len(ids), checkups.issued_count(year, quarter, ids) if ids else 0

        def done(counted) -> None:
            total, already = counted
            self.ok_button.setEnabled(already < total)  # nobody to issue to: 下发 would only be refused
            if not total:
                self.count.setText(f"共 0 人：{NOBODY.get(kind, '请换一个下发对象')}")
            elif already == total:
                self.count.setText(f"共 {total} 人，{label}都已下发过提醒单：请换一个季度或下发对象")
            else:
                self.count.setText(f"共 {total} 人" + (f"，其中 {already} 人{label}已下发过提醒单，不重复下发"
                                                       if already else "（同一季度已下发过的干部不会重复下发）"))

        def failed(message: str) -> None:
            self.count.setText(f"统计失败：{message}" if message else "")

        self._counts.start(work, done, failed)

    def pick(self) -> None:
        dialog = PickCadresDialog(self, self.context)
        dialog.setWindowTitle("选定下发对象")
        if dialog.exec() == QDialog.Accepted:
            self.picked = list(dict.fromkeys(self.picked + dialog.ids()))
            self._count()

    def save_work(self):
        """Hundreds of cadres: issued through the task runner (progress, 取消 — all or nothing)."""
        draft = checkups.RoundDraft(self.year.value(), self.quarter.currentData(), self.title_edit.text(),
                                    self.issued.value(), self.due.value(), [], self.group_note.text())
        find = self._find_ids()  # the group read as chosen now; its cadres found in the task too
        return lambda progress: checkups.issue_round(dataclasses.replace(draft, cadre_ids=find()), progress)


class AddCadresDialog(PickCadresDialog):
    """补发提醒单: cadres picked one by one get a sheet of the round, through the task runner (progress,
    取消 — all or nothing); ``result_value`` is the IssueResult, None when nobody was picked."""

    title = "补发提醒单"
    ok_text = "补发"
    progress_title = "正在补发提醒单"

    def __init__(self, parent, round_id: int, context=None):
        super().__init__(parent, context)
        self.round_id = round_id

    def add_work(self, ids: list[int]):
        round_id = self.round_id
        return lambda progress: checkups.add_cadres(round_id, ids, progress)


class RoundDialog(FormDialog):
    """修改提醒单: its title, dates and who it went to (in words)."""

    ok_text = "保存"

    def __init__(self, info: checkups.RoundInfo, parent=None):
        super().__init__(parent, f"修改提醒单 — {info.quarter_label}")
        self.info = info
        self.title_edit = self.add_field("title", _label(CHECKUP_ROUND, "title"), QLineEdit(info.title))
        self.issued = self.add_field("issued_on", _label(CHECKUP_ROUND, "issued_on"), DateEdit(info.issued_on, "day"))
        self.due = self.add_field("due", _label(CHECKUP_ROUND, "due"), DateEdit(info.due, "day"))
        self.group_note = self.add_field("group_note", _label(CHECKUP_ROUND, "group_note"), QLineEdit(info.group_note))
        self.setMinimumWidth(480)

    def save(self) -> checkups.RoundInfo:
        typed = dict(title=self.title_edit.text(), issued_on=self.issued.value(), due=self.due.value(),
                     group_note=self.group_note.text())
        return self.save_checked(lambda: checkups.update_round(self.info.id, self.info.version, **typed),
                                 lambda: checkups.update_round(self.info.id, self.info.version, **typed,
                                                               overwrite=True))


class ResultDialog(FormDialog):
    """登记核查结果 of one sheet."""

    ok_text = "保存"

    def __init__(self, sheet: checkup_sheets.SheetInfo, parent=None):
        super().__init__(parent, f"核查对单 — {sheet.cadre_name}（{sheet.quarter_label}）")
        self.sheet = sheet
        self.result_box = QComboBox()
        self.result_box.addItems(checkups.RESULTS)
        if sheet.result:
            self.result_box.setCurrentText(sheet.result)
        self.add_field("result_label", _label(CHECKUP_SHEET, "result_label"), self.result_box)
        self.checked_on = self.add_field("checked_on", _label(CHECKUP_SHEET, "checked_on"),
                                         DateEdit(sheet.checked_on or clock.today_yyyymmdd(), "day",
                                                  label=CHECKUP_SHEET.label_of("checked_on")))
        from cadre_desk.settings.settings import acting_name

        self.checker = self.add_field("checker", _label(CHECKUP_SHEET, "checker"), QLineEdit(sheet.checker or acting_name()))
        self.findings = self.add_field("findings", _label(CHECKUP_SHEET, "findings"),
                                       text_box(sheet.findings, 80, "已整改、整改中须写明发现的问题"))
        self.rectification = self.add_field("rectification", _label(CHECKUP_SHEET, "rectification"),
                                            text_box(sheet.rectification, 80, "已整改须写明整改措施"))
        self.setMinimumWidth(520)

    def save(self) -> checkup_sheets.SheetInfo:
        typed = dict(result=self.result_box.currentText(), checked_on=self.checked_on.value(),
                     checker=self.checker.text(), findings=self.findings.toPlainText(),
                     rectification=self.rectification.toPlainText())
        return self.save_checked(lambda: checkup_sheets.record_result(self.sheet.id, self.sheet.version, **typed),
                                 lambda: checkup_sheets.record_result(self.sheet.id, self.sheet.version, **typed,
                                                                      overwrite=True))


class CleanDialog(FormDialog):
    """批量核查：the selected sheets not yet checked back get 无问题."""

    title = "批量核查为无问题"
    ok_text = "登记"

    def __init__(self, sheets: list[checkup_sheets.SheetInfo], parent=None):
        super().__init__(parent)
        self.sheets = [s for s in sheets if not s.checked]
        names = "、".join(s.cadre_name for s in self.sheets[:8]) + (f" 等 {len(self.sheets)} 人" if len(self.sheets) > 8
                                                                     else f"（{len(self.sheets)} 人）")
        note = QLabel(f"将 {names} 的核查结果登记为“无问题”；已核查的不变。")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.checked_on = self.add_field("checked_on", _label(CHECKUP_SHEET, "checked_on"),
                                         DateEdit(clock.today_yyyymmdd(), "day", label=CHECKUP_SHEET.label_of("checked_on")))
        from cadre_desk.settings.settings import acting_name

        self.checker = self.add_field("checker", _label(CHECKUP_SHEET, "checker"), QLineEdit(acting_name()))
        self.setMinimumWidth(460)

    def save(self) -> int:
        return checkup_sheets.record_clean([s.id for s in self.sheets], self.checked_on.value(), self.checker.text())


class ItemDialog(CatalogueEntryDialog):
    record, noun, entry_type = CHECKUP_ITEM, "对照检查项目", checkups.CheckupItemInfo
    retired_text = "停用（以后下发的提醒单不再列出；已下发的不变）"
    description_height, min_width = 90, 520

    def save_entry(self, entry: checkups.CheckupItemInfo, overwrite: bool) -> checkups.CheckupItemInfo:
        return checkups.save_item(entry, self.entry, overwrite)


class ItemsDialog(CatalogueDialog):
    """政治体检对照检查项目 (系统管理): add, change, retire, reorder, delete."""

    title = "政治体检对照检查项目"

    def __init__(self, parent=None):
        super().__init__(lambda: checkups.list_items(include_retired=True), ItemDialog,
                         lambda item, overwrite: checkups.delete_item(item.id, item, overwrite),
                         lambda item: f"确定删除对照检查项目“{item.name}”吗？\n已下发的提醒单不受影响。",
                         delete_title="删除项目", choose_first="请先选择一个项目。",
                         extra=(("上移", lambda: self.move_item(-1)), ("下移", lambda: self.move_item(1))), parent=parent)
        note = QLabel("提醒单下发时列出使用中的项目；已下发的提醒单保留下发时的项目，不随此处修改。")
        note.setWordWrap(True)
        note.setObjectName("hint")
        self.body.addWidget(note)
        self.resize(640, 460)
        self.reload()

    def move_item(self, delta: int) -> None:
        item = self.current()
        if item is not None:
            checkups.move_item(item.id, delta)
            self.reload(item.id)


def open_items(context) -> None:
    """工具 → 政治体检对照检查项目… (系统管理)."""
    ItemsDialog(context.main_window).exec()
