"""The profile editor's tabs (ProfileDialog's part): a page per group of the registry's fields, laid out
two pairs a row with each field's error under it, a page per sub-record table, the photo beside 基本信息,
and the tabs other capabilities register. A page is built the first time it is needed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from cadre_desk.domain.errors import CadreDeskError
from cadre_desk.domain.fields import FIELDS, GROUPS, RECORDS, FieldSpec, RecordSpec
from ui.shell import registry
from ui.widgets.field_widgets import changed_signal, make_editor, set_readonly
from ui.widgets.record_table import RecordTable
from ui.widgets.window import resize_to_screen

PHOTO_VIEW = (150, 188)


class FieldCell:
    def __init__(self, spec: FieldSpec, editor: QWidget, error: QLabel, tab: int):
        self.spec, self.editor, self.error, self.tab = spec, editor, error, tab


class OnDemand(Mapping):
    """Every key is known from the start; looking one up builds its tab first (the dialog builds a
    tab when it is first shown). Iterating and ``in`` build nothing."""

    def __init__(self, keys: Iterable[str], built: dict, build: Callable[[str], None]):
        self._keys = list(keys)
        self._known = set(self._keys)
        self._built = built
        self._build = build

    def __getitem__(self, key):
        if key not in self._built:
            if key not in self._known:
                raise KeyError(key)
            self._build(key)
        return self._built[key]

    def __contains__(self, key) -> bool:
        return key in self._known

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class TabPage(QWidget):
    """A tab's page; its content is built on first need by ``build``."""

    def __init__(self, build: Callable[[QWidget], None] | None = None, parent=None):
        super().__init__(parent)
        self.build = build
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)


class ProfileTabs:
    """ProfileDialog's tabs, built on demand (mixed into the dialog: the dialog's __init__ sets what
    they fill, ``_cells``, ``_records``, ``_pages`` …)."""

    def _units(self):
        """The units the 单位 box offers: for an operator of some units, those and the ones above them
        (as every unit filter): a unit of another county could only be refused at the save."""
        from cadre_desk.units import units

        index = getattr(self.context, "index", None)
        listed = list(index.units.values()) if index is not None and index.units else units.list_units()
        reachable = units.reachable_ids(listed)
        return listed if reachable is None else [u for u in listed if u.id in reachable]

    def _add_page(self, title: str, build: Callable[[QWidget], None]) -> int:
        page = TabPage(build)
        self._pages.append(page)
        self._tab_titles.append(title)
        return self.tabs.addTab(page, title)

    def _add_field_tabs(self) -> None:
        for group in GROUPS:
            specs = [s for s in FIELDS if s.group == group]
            if not specs:
                continue
            tab_no = self._add_page(group, lambda page, specs=specs: self._build_fields(page, specs))
            for spec in specs:
                self._field_tabs[spec.key] = tab_no

    def _add_record_tabs(self) -> None:
        for record in RECORDS:
            self._record_tabs[record.key] = self._add_page(
                record.label, lambda page, r=record: self._build_records(page, r))
            for spec in FIELDS:  # 年度考核结果（原文） under the 年度考核 table
                if spec.group == record.label:
                    self._field_tabs[spec.key] = self._record_tabs[record.key]

    def _add_extra_tabs(self) -> None:
        if self.profile.id is None or self._extra_tabs:
            return
        for spec in sorted(registry.PROFILE_TABS, key=lambda t: t.order):
            # The capability's widget (and its queries) only when the tab is first shown.
            page = TabPage(lambda page, spec=spec: self._build_extra(page, spec))
            self._pages.append(page)
            self._extra_tabs.append(page)
            self.tabs.addTab(page, spec.title)
        self._fit_tabs()

    def _fit_tabs(self) -> None:
        """Every tab's name in sight, no scroll arrows: as wide as the tabs need, up to the screen's width."""
        margins = self.layout().contentsMargins() if self.layout() is not None else None
        need = self.tabs.tabBar().sizeHint().width() + (margins.left() + margins.right() if margins else 0) + 8
        if need > self.width():
            resize_to_screen(self, need, self.height())

    def is_tab_built(self, index: int) -> bool:
        return 0 <= index < len(self._pages) and self._pages[index].build is None

    def build_tab(self, index: int) -> None:
        """Build the content of tab ``index`` unless it is built already."""
        if not 0 <= index < len(self._pages):
            return
        page = self._pages[index]
        build, page.build = page.build, None
        if build is not None:
            build(page)

    def _build_fields(self, page: QWidget, specs: list[FieldSpec]) -> None:
        units = self._units() if any(s.kind == "unit" for s in specs) else []
        tab_no = self._field_tabs[specs[0].key]
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        page.layout().addWidget(scroll)
        form = QWidget()
        scroll.setWidget(form)
        grid = QGridLayout(form)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setContentsMargins(16, 12, 16, 12)
        row = col = 0
        pairs = 2
        built = []
        for spec in specs:
            editor = make_editor(spec, units, form)
            editor.setObjectName(f"field_{spec.key}")
            label = QLabel(spec.label + ("<span style='color:#d9363e'> *</span>" if spec.required else ""), form)
            label.setTextFormat(Qt.RichText if spec.required else Qt.PlainText)
            label.setAlignment(Qt.AlignRight | Qt.AlignTop)
            label.setContentsMargins(0, 4, 0, 0)
            label.setMinimumWidth(110)
            label.setWordWrap(len(spec.label) > 8)
            label.setBuddy(editor)
            error = QLabel(form)
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            wide = spec.kind in ("longtext", "codes") or (spec.max_length or 0) > 60
            if wide and col:
                row, col = row + 1, 0
            span = pairs * 2 - 1 if wide else 1
            # each form row is two grid rows: the editors, then their (usually hidden) errors
            grid.addWidget(label, row * 2, col * 2)
            grid.addWidget(editor, row * 2, col * 2 + 1, 1, span)
            grid.addWidget(error, row * 2 + 1, col * 2 + 1, 1, span, Qt.AlignTop)
            if wide:
                row, col = row + 1, 0
            else:
                col += 1
                if col == pairs:
                    row, col = row + 1, 0
            cell = FieldCell(spec, editor, error, tab_no)
            self._cells[spec.key] = cell
            built.append(cell)
            changed_signal(editor).connect(lambda *_a, k=spec.key: self._clear_field_error(k))
        grid.setRowStretch(row * 2 + 2, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        if specs[0].group == GROUPS[0]:
            grid.addWidget(self._build_photo(), 0, 4, 12, 1, Qt.AlignTop | Qt.AlignHCenter)
        if self._loaded is not None:  # built after the dialog opened: show what was loaded
            for cell in built:
                self._load_editor(cell, self._loaded.values.get(cell.spec.key))
                set_readonly(cell.editor, self.readonly)
                self._baseline_values[cell.spec.key] = cell.editor.value()

    def _build_photo(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(16, 0, 0, 0)
        self.photo_label = QLabel("无照片")
        self.photo_label.setObjectName("photo")
        self.photo_label.setAlignment(Qt.AlignCenter)
        self.photo_label.setFixedSize(*PHOTO_VIEW)
        self.photo_import = QPushButton("导入照片…")
        self.photo_import.clicked.connect(self.choose_photo)
        self.photo_delete = QPushButton("删除照片")
        self.photo_delete.clicked.connect(self.delete_photo)
        layout.addWidget(self.photo_label)
        layout.addWidget(self.photo_import)
        layout.addWidget(self.photo_delete)
        return box

    def _build_records(self, page: QWidget, record: RecordSpec) -> None:
        attr = record.key
        table = RecordTable(record, parent=page)
        table.setObjectName(f"records_{attr}")
        page.layout().addWidget(table, 1)
        self._records[attr] = table
        if self._loaded is not None:
            table.set_items(getattr(self._loaded, attr))
            table.set_readonly(self.readonly)
            self._baseline_records[attr] = table.items()
        specs = [spec for spec in FIELDS if spec.group == record.label]
        if specs:
            self._build_fields(page, specs)
            fields = page.layout().itemAt(page.layout().count() - 1).widget()
            fields.setMaximumHeight(150)

    def _build_extra(self, page: QWidget, spec: registry.ProfileTabSpec) -> None:
        try:
            widget = spec.factory(self.context, self.profile.id)
        except CadreDeskError as exc:
            widget = QLabel(str(exc))
        page.layout().addWidget(widget)
