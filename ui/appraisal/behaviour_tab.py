"""正负面清单 tab: positive and negative behaviour entries, the catalog, and the missing-entry (缺报) list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.appraisal import records
from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import CadreDeskError, ConflictError
from ui.appraisal.common import GREEN, GREY, RED
from ui.shell.context import AppContext
from ui.widgets import messages
from ui.widgets.cadre_picker import CadrePicker
from ui.widgets.date_edit import DateEdit
from ui.widgets.form_dialog import FormDialog, text_box
from ui.widgets.rows_model import Column, RowsModel, current_row, make_table

# ---- 正负面清单 ----------------------------------------------------------------------------------


class EntryDialog(FormDialog):
    ok_text = "保存"

    def __init__(self, cadre_id: int, info: records.BehaviourEntryInfo | None = None, parent=None,
                 polarity: str = "正面"):
        super().__init__(parent, "修改清单记录" if info else "新增清单记录")
        self.cadre_id = cadre_id
        self.info = info
        self.polarity = self.add_field("polarity", "清单", QComboBox())
        self.polarity.addItems(["正面", "负面"])
        self.polarity.setCurrentText(info.polarity if info else polarity)
        self.item = self.add_field("item", "条目", QComboBox())
        self.date = self.add_field("date", "日期", DateEdit(info.date if info else clock.today_yyyymmdd(), "day"))
        self.source = self.add_field("source", "来源", QComboBox())
        self.source.addItems(records.SOURCES)
        if info:
            self.source.setCurrentText(info.source)
        self.description = self.add_field("description", "情况说明", text_box(
            info.description if info else "", 120, "具体事实、文件或会议名称"))
        self.recorder = self.add_field("recorder", "记录人", QLineEdit(info.recorder if info else ""))
        self.recorder.setPlaceholderText("默认为当前操作员")
        self.polarity.currentTextChanged.connect(self._fill_items)
        self._fill_items()
        self.resize(520, 420)

    def _fill_items(self) -> None:
        self.item.clear()
        polarity = self.polarity.currentText()
        for item in records.list_behaviour_items():
            if item.polarity == polarity:
                self.item.addItem(item.name, item.id)
        if self.info and self.info.polarity == polarity:
            index = self.item.findData(self.info.item_id)
            if index < 0:
                self.item.addItem(self.info.item, self.info.item_id)
                index = self.item.count() - 1
            self.item.setCurrentIndex(index)

    def save(self) -> records.BehaviourEntryInfo:
        info = records.BehaviourEntryInfo(
            self.info.id if self.info else None, self.cadre_id, self.polarity.currentText(),
            self.item.currentText(), self.date.value(), self.source.currentText(), self.description.toPlainText(),
            self.recorder.text(), self.item.currentData(), self.info.version if self.info else 0)
        return self.save_checked(lambda: records.save_behaviour_entry(info),
                                 lambda: records.save_behaviour_entry(info, overwrite=True))


class ItemDialog(FormDialog):
    """A catalog item: its list (正面/负面) and its name; saved through the service."""

    def __init__(self, title: str, item: records.BehaviourItemInfo | None = None, parent=None):
        super().__init__(parent, title)
        self.item = item
        self.kind = self.add_field("polarity", "清单", QComboBox())
        self.kind.addItems(["正面", "负面"])
        self.kind.setCurrentText(item.polarity if item else "正面")
        self.kind.setEnabled(item is None)
        self.name = self.add_field("name", "条目名称", QLineEdit(item.name if item else ""))
        self.resize(380, 120)

    def save(self):
        item = self.item
        typed = records.BehaviourItemInfo(item.id if item else None, self.kind.currentText(), self.name.text(),
                                          retired=item.retired if item else False)
        return self.save_checked(lambda: records.save_behaviour_item(typed, item),
                                 lambda: records.save_behaviour_item(typed, item, overwrite=True))


class BehaviourTab(QWidget):
    ALL_LIMIT = 500  # entries listed for 显示全部干部

    def __init__(self, context: AppContext, parent=None, load: bool = True):
        super().__init__(parent)
        self.context = context
        self.picker = CadrePicker(context, status="")
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.polarity_filter = QComboBox()
        self.polarity_filter.addItems(["正面和负面", "正面", "负面"])
        self.show_all = QCheckBox("显示全部干部")
        self.model = RowsModel([
            Column("日期", lambda r: format_date(r.date), 84), Column("姓名", lambda r: self._names.get(r.cadre_id, ""), 64),
            Column("清单", lambda r: r.polarity, 44), Column("条目", lambda r: r.item, 150),
            Column("来源", lambda r: r.source, 70), Column("情况说明", lambda r: r.description, 300),
            Column("记录人", lambda r: r.recorder, 80)])
        self.model.foreground = lambda r: GREEN if r.polarity == "正面" else RED
        self.table = make_table(self.model, stretch=5)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        add_pos, add_neg = QPushButton("记正面清单"), QPushButton("记负面清单")
        edit, delete = QPushButton("修改"), QPushButton("删除")
        self.add_buttons, self.row_buttons = (add_pos, add_neg), (edit, delete)
        add_pos.clicked.connect(lambda: self.add("正面"))
        add_neg.clicked.connect(lambda: self.add("负面"))
        edit.clicked.connect(self.edit)
        delete.clicked.connect(self.delete)
        bar = QHBoxLayout()
        bar.addWidget(self.show_all)
        bar.addWidget(self.polarity_filter)
        bar.addStretch(1)
        for button in (add_pos, add_neg, edit, delete):
            bar.addWidget(button)
        center = QWidget()
        cl = QVBoxLayout(center)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.title)
        cl.addLayout(bar)
        cl.addWidget(self.table)
        # catalog editor
        catalog_box = self.catalog_box = CatalogBox(context)
        self.catalog_model, self.catalog = catalog_box.model, catalog_box.table
        splitter = QSplitter()
        splitter.addWidget(self.picker)
        splitter.addWidget(center)
        splitter.addWidget(catalog_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 900, 330])
        self.picker.setMinimumWidth(200)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._names: dict[int, str] = {}
        self.picker.cadre_selected.connect(lambda _id: self._picked())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()
        self.polarity_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_all.toggled.connect(lambda _c: self.reload())
        self.show_all.blockSignals(not load)  # ``load``: not read until the tab is first shown
        self.show_all.setChecked(True)
        self.show_all.blockSignals(False)
        if load:
            self.reload_catalog()

    def _picked(self) -> None:
        if self.show_all.isChecked():
            self.show_all.setChecked(False)
        else:
            self.reload()

    def reload(self) -> None:
        polarity = self.polarity_filter.currentText()
        polarity = polarity if polarity in records.POLARITIES else None
        cadre_id = None if self.show_all.isChecked() else self.picker.cadre_id()
        if cadre_id is None and not self.show_all.isChecked():
            self.model.set_rows([])
            self.title.setText("请在左侧选择干部")
            self._update_buttons()
            return
        # Everyone's entries grow with the years (tens of thousands at 100,000 cadres): only the newest
        # ALL_LIMIT are listed, the totals are counted in the database.
        rows = records.list_behaviour_entries(cadre_id, polarity, limit=self.ALL_LIMIT if cadre_id is None else 0)
        ids = list({r.cadre_id for r in rows})
        self._names = {b.id: b.name for b in records.find_cadres(ids=ids, limit=0)} if ids else {}
        self.model.set_rows(rows)
        self._update_buttons()
        if cadre_id is None:
            pos, neg = records.behaviour_totals(polarity)
        else:
            pos = sum(r.polarity == "正面" for r in rows)
            neg = len(rows) - pos
        who = "全部干部" if cadre_id is None else self._names.get(cadre_id, "")
        more = f"（列出最近 {len(rows)} 条，请在左侧选择干部查看其全部记录）" if len(rows) < pos + neg else ""
        self.title.setText(f"{who}：正面 {pos} 条，负面 {neg} 条{more}")

    def _update_buttons(self) -> None:
        """记正面 / 记负面 for a chosen cadre, 修改 / 删除 for a chosen entry — each only when the operator may
        change that cadre's file (a 查阅人 was offered all four, and typed an entry the save refused)."""
        def may(cadre_id: int | None) -> bool:
            return (cadre_id is not None and not self.context.readonly
                    and self.context.allows(permissions.EDIT, cadre_id=cadre_id))

        for button in self.add_buttons:
            button.setEnabled(may(self.picker.cadre_id()))
            button.setToolTip("请先在左侧选择干部" if self.picker.cadre_id() is None else "")
        row = current_row(self.table)
        for button in self.row_buttons:
            button.setEnabled(row is not None and may(row.cadre_id))

    def reload_catalog(self) -> None:
        self.catalog_box.reload()

    def _cadre_for_new(self) -> int | None:
        cadre_id = self.picker.cadre_id()
        if cadre_id is None:
            messages.info(self, "正负面清单", "请先在左侧选择干部。")
        return cadre_id

    def add(self, polarity: str) -> None:
        cadre_id = self._cadre_for_new()
        if cadre_id is not None and EntryDialog(cadre_id, None, self, polarity).exec():
            self._changed()

    def edit(self) -> None:
        row = current_row(self.table)
        if row is not None and EntryDialog(row.cadre_id, row, self).exec():
            self._changed()

    def delete(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        if not messages.confirm(self, "删除清单记录", f"确定删除“{row.item}”（{format_date(row.date)}）这条记录吗？", "删除", danger=True):
            return
        if messages.attempt_delete(self, "删除清单记录",
                                   lambda overwrite: records.delete_behaviour_entry(row.id, row.version, overwrite)):
            self._changed()

    def _changed(self) -> None:
        self.reload()
        self.reload_catalog()
        self.context.data_changed.emit("records")

class CatalogBox(QGroupBox):
    """清单条目（可配置）: the 正负面清单 catalog with 新增 / 改名 / 停用 / 删除 — the department's setting, changed
    by the administrator alone (on the 正负面清单 tab, and in 工具 → 正负面清单条目…)."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__("清单条目（可配置）", parent)
        self.model = RowsModel([
            Column("清单", lambda r: r.polarity, 44), Column("条目", lambda r: r.name, 170),
            Column("已用", lambda r: r.used, 40), Column("状态", lambda r: "停用" if r.retired else "启用", 40)])
        self.model.foreground = lambda r: GREY if r.retired else (GREEN if r.polarity == "正面" else RED)
        self.table = make_table(self.model, stretch=1, row_numbers=False)
        new_item, rename, toggle, remove = QPushButton("新增条目"), QPushButton("改名"), QPushButton("停用/启用"), \
            QPushButton("删除条目")
        new_item.clicked.connect(self.new_item)
        rename.clicked.connect(self.rename_item)
        toggle.clicked.connect(self.toggle_item)
        remove.clicked.connect(self.remove_item)
        gl = QVBoxLayout(self)
        gl.addWidget(self.table)
        brow = QGridLayout()  # two rows: four buttons in one made the tab wider than a 1366-pixel screen
        for i, button in enumerate((new_item, rename, toggle, remove)):
            brow.addWidget(button, i // 2, i % 2)
            button.setEnabled(context.allows(permissions.ADMIN))  # the catalog is a setting of the department
        gl.addLayout(brow)

    def reload(self) -> None:
        self.model.set_rows(records.list_behaviour_items(include_retired=True))

    def new_item(self) -> None:
        if ItemDialog("新增清单条目", parent=self).exec():
            self.reload()

    def rename_item(self) -> None:
        row = current_row(self.table)
        if row is not None and ItemDialog("清单条目改名", row, self).exec():
            self.reload()

    def toggle_item(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        try:  # as listed: another's rename since is not undone by the click — said, and the list shows it
            records.save_behaviour_item(records.BehaviourItemInfo(row.id, row.polarity, row.name,
                                                                  retired=not row.retired), row)
        except ConflictError as exc:
            messages.error(self, "清单条目", f"{exc}\n清单条目已重新载入，请查看后再停用或启用。")
        except CadreDeskError as exc:
            messages.error(self, "清单条目", exc)
        self.reload()

    def remove_item(self) -> None:
        row = current_row(self.table)
        if row is None:
            return
        # asked first, as every other 删除 is (it deleted the item at a click)
        if not messages.confirm(self, "删除清单条目", f"确定删除{row.polarity}清单条目“{row.name}”吗？", "删除",
                                danger=True):
            return
        messages.attempt_delete(self, "删除清单条目",
                                lambda overwrite: records.delete_behaviour_item(row.id, row, overwrite))
        self.reload()


class CatalogDialog(FormDialog):
    """工具 → 正负面清单条目… for the 系统管理员: the catalog, which a role without cadre data (the
    administrator's) cannot reach on the 实绩考核 page — yet only the administrator may change it."""

    title = "正负面清单条目"
    ok_text = "关闭"

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.cancel_button.hide()
        self.box = CatalogBox(context, self)
        self.body.addWidget(self.box)
        self.box.reload()
        self.resize(460, 560)


def open_catalog(context: AppContext) -> None:
    """工具 → 正负面清单条目… (系统管理)."""
    CatalogDialog(context, context.main_window).exec()
    context.data_changed.emit("records")
