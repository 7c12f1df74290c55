"""The cadre profile editor: the registry's fields by group, the sub-record tables, the photo, and
the extra tabs other capabilities register. Every field error is shown at its field; nothing the
user typed is lost when a save is refused."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain.errors import (
    CadreDeskError,
    ConflictError,
    NotFoundError,
    ValidationError,
    os_error_text,
)
from cadre_desk.domain.fields import FIELDS, GROUPS, RECORDS, FieldSpec, RecordSpec
from cadre_desk.profiles import cadres, profile_drafts
from cadre_desk.profiles.cadres import CadreProfile
from cadre_desk.profiles.profile_drafts import ProfileDraft
from cadre_desk.security.drafts import DraftInput
from ui.shell import registry
from ui.widgets import files, messages, unsaved
from ui.widgets.field_widgets import changed_signal, make_editor, set_readonly
from ui.widgets.record_table import RecordTable
from ui.widgets.window import resize_to_screen, settings

PHOTO_VIEW = (150, 188)

DIALOG_STYLE = """
QLineEdit[error="true"], QComboBox[error="true"], QPlainTextEdit[error="true"], QWidget[error="true"] {
    border: 1px solid #d9363e; background: #fff6f6; }
QLabel#fieldError { color: #c62828; }
QLabel#errorBanner { background: #fdecea; color: #a12622; border: 1px solid #f3b7b3; padding: 6px 10px; }
QLabel#warningBanner { background: #fff8e1; color: #7a5a00; border: 1px solid #f0d48a; padding: 6px 10px; }
QLabel#photo { border: 1px solid #b8c2cc; background: #f4f6f8; color: #8a96a3; }
QLabel#hint { color: #6b7785; }
"""

_SUB_KEY = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def crop_photo(data: bytes) -> bytes:
    """The stored photo (upright, 4:5, 300×375 JPEG) of a chosen picture. Raises ValueError with
    the Chinese reason when the bytes are not a usable image."""
    from cadre_desk.profiles.photos import PhotoError, normalize_photo

    try:
        return normalize_photo(data)
    except PhotoError as exc:
        raise ValueError(f"{exc}，请选择 JPG 或 PNG 照片") from None


class _FieldCell:
    def __init__(self, spec: FieldSpec, editor: QWidget, error: QLabel, tab: int):
        self.spec, self.editor, self.error, self.tab = spec, editor, error, tab


class _OnDemand(Mapping):
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


class _TabPage(QWidget):
    """A tab's page; its content is built on first need by ``build``."""

    def __init__(self, build: Callable[[QWidget], None] | None = None, parent=None):
        super().__init__(parent)
        self.build = build
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)


def _editor_value(spec: FieldSpec, value):
    """What a freshly loaded editor would give back for a stored value (None shows as empty)."""
    if value is None and spec.kind != "unit":
        return ""
    return value


class ProfileDialog(QDialog):
    """Only the first tab is built when the dialog opens; every other tab is built the first time
    it is shown, an error belongs to it, or a caller looks up one of its ``cells`` / ``records``.
    A tab not built yet contributes the loaded profile's values unchanged."""

    def __init__(self, context, cadre_id: int | None, parent=None, unit_id: int | None = None):
        super().__init__(parent)
        self.context = context
        # Read-only for a 查阅人, a read-only database, and a cadre this operator may not edit (本人/亲属,
        # outside their units): the save would be refused anyway.
        self.readonly = bool(context.readonly) or (
            cadre_id is not None and not context.allows(permissions.EDIT, cadre_id=cadre_id))
        self.setObjectName("profileDialog")
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        resize_to_screen(self, 1000, 720)
        self._cells: dict[str, _FieldCell] = {}  # the fields of the tabs built so far
        self._records: dict[str, RecordTable] = {}
        self._field_tabs: dict[str, int] = {}  # field key → tab index
        self._record_tabs: dict[str, int] = {}
        self._pages: list[_TabPage] = []
        self._extra_tabs: list[QWidget] = []
        self._tab_titles: list[str] = []
        self._loaded: CadreProfile | None = None  # what the editors were last loaded from
        self._baseline_values: dict = {}
        self._baseline_records: dict[str, list] = {}
        self._baseline_photo: bytes | None = None
        # Every field's cell and every sub-record table; looking one up builds its tab.
        self.cells: Mapping[str, _FieldCell] = _OnDemand(
            (spec.key for spec in FIELDS), self._cells, lambda key: self.build_tab(self._field_tabs[key]))
        self.records: Mapping[str, RecordTable] = _OnDemand(
            (record.key for record in RECORDS), self._records,
            lambda attr: self.build_tab(self._record_tabs[attr]))
        if cadre_id is None:
            self.profile = cadres.new_profile(unit_id)
        else:
            self.profile = cadres.get_profile(cadre_id, audit_view=True)
        self.photo: bytes | None = self.profile.photo

        self.error_banner = QLabel()
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setWordWrap(True)
        self.error_banner.hide()
        self.warning_banner = QLabel()
        self.warning_banner.setObjectName("warningBanner")
        self.warning_banner.setWordWrap(True)
        self.warning_banner.hide()

        # Build top-down: a widget created inside the dialog is styled once; a finished subtree
        # added later would be styled again at every level.
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_banner)
        layout.addWidget(self.warning_banner)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self._add_field_tabs()
        self._add_record_tabs()

        self.delete_button = QPushButton("删除干部…")
        self.delete_button.setObjectName("dangerButton")
        self.delete_button.clicked.connect(self.delete)
        self.save_button = QPushButton("保存")
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence.Save, self, activated=self.save)
        self.ok_button = QPushButton("保存并关闭")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.accept)
        self.close_button = QPushButton("关闭")
        self.close_button.setToolTip("关闭（Esc）；有未保存的修改时先询问")
        self.close_button.clicked.connect(self.reject)
        self._build_print_button()
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        for button in (self.save_button, self.ok_button, self.close_button):
            buttons.addWidget(button)

        layout.addLayout(buttons)

        self.build_tab(0)  # 基本信息, with the photo
        self._load(self.profile)
        self._add_extra_tabs()
        self._apply_mode()
        self.tabs.currentChanged.connect(self.build_tab)
        self.setStyleSheet(DIALOG_STYLE)  # kept out of the application's style sheet: it slows every widget
        geometry = settings().value("profile_dialog/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self._fit_tabs()  # with the style sheet's tab sizes, and wider than a narrower size kept last time

    # ---- building -------------------------------------------------------------------------------
    def _build_print_button(self) -> None:
        """打印: 鉴定报告… / 任免审批表… of this cadre. ``print_action`` opens the menu (a shortcut can
        bind it); each kind has its own action too."""
        menu = QMenu(self)
        self.print_actions = {}
        for kind, title in (("dossier", "鉴定报告…"), ("rmb", "干部任免审批表…")):
            action = menu.addAction(title)
            action.triggered.connect(lambda _=False, k=kind: self.print_document(k))
            self.print_actions[kind] = action
        self.print_button = QPushButton("打印")
        self.print_button.setMenu(menu)
        self.print_button.setAutoDefault(False)
        self.print_button.setToolTip("打印本人的鉴定报告或干部任免审批表（Ctrl+P）")
        self.print_action = QAction("打印…", self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.print_button.showMenu)
        self.addAction(self.print_action)

    def print_document(self, kind: str) -> None:
        """Print this cadre's 鉴定报告 or 任免审批表 as saved; unsaved changes are saved first if the user
        says so (the documents are made from the database)."""
        if self.profile.id is None:
            return
        if not self.readonly and self.has_unsaved():
            answer = messages.choose(self, "打印", "有尚未保存的修改。打印的是已保存的档案，要先保存吗？",
                                     ["保存并打印", "不保存，打印已保存的"])
            if answer is None or (answer == 0 and not self.save()):
                return
        from ui.printing.print_view import start_print

        start_print(self.context, [self.profile.id], kind, parent=self)

    def _units(self):
        index = getattr(self.context, "index", None)
        if index is not None and index.units:
            return list(index.units.values())
        from cadre_desk.units.units import list_units

        return list_units()

    def _add_page(self, title: str, build: Callable[[QWidget], None]) -> int:
        page = _TabPage(build)
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
            page = _TabPage(lambda page, spec=spec: self._build_extra(page, spec))
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
            cell = _FieldCell(spec, editor, error, tab_no)
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

    def _apply_mode(self) -> None:
        new = self.profile.id is None
        name = self.profile.values.get("name") or ""
        if new:
            self.setWindowTitle("新建干部档案")
        else:
            self.setWindowTitle(f"干部档案 — {name}" + ("（只读）" if self.readonly else ""))
        for cell in self._cells.values():
            set_readonly(cell.editor, self.readonly)
        for table in self._records.values():
            table.set_readonly(self.readonly)
        for button in (self.save_button, self.ok_button, self.photo_import, self.photo_delete):
            button.setVisible(not self.readonly)
        self.delete_button.setVisible(not self.readonly and not new)
        printable = not new and self.context.allows(permissions.PRINT, cadre_id=self.profile.id)
        self.print_button.setVisible(printable)
        self.print_action.setEnabled(printable)
        self.close_button.setText("关闭")

    # ---- values ---------------------------------------------------------------------------------
    @staticmethod
    def _load_editor(cell: _FieldCell, value) -> None:
        editor = cell.editor
        editor.blockSignals(True)
        editor.set_value(value)
        editor.blockSignals(False)

    def _load(self, profile: CadreProfile) -> None:
        self._loaded = profile
        for key, cell in self._cells.items():
            self._load_editor(cell, profile.values.get(key))
        for attr, table in self._records.items():
            table.set_items(getattr(profile, attr))
        self.photo = profile.photo
        self._show_photo()
        self.clear_errors()
        self._reset_baseline()

    def _reset_baseline(self) -> None:
        """What is shown now counts as unchanged."""
        current = self.collect()
        self._baseline_values = current.values
        self._baseline_records = {attr: getattr(current, attr) for attr in self.records}
        self._baseline_photo = current.photo

    def collect(self) -> CadreProfile:
        """The profile as typed: values exactly as entered, sub-records in table order. A tab not
        built yet gives the loaded values unchanged."""
        profile = CadreProfile(id=self.profile.id, version=self.profile.version)
        loaded = self._loaded or self.profile
        values = {}
        for spec in FIELDS:
            cell = self._cells.get(spec.key)
            values[spec.key] = (cell.editor.value() if cell is not None
                                else _editor_value(spec, loaded.values.get(spec.key)))
        profile.values = values
        for attr in self.records:
            table = self._records.get(attr)
            setattr(profile, attr, table.items() if table is not None else list(getattr(loaded, attr)))
        profile.photo = self.photo
        return profile

    def has_unsaved(self) -> bool:
        """Edits not yet saved (``ui.widgets.unsaved``: closing, 注销 and 切换用户 ask about them)."""
        if self.readonly:
            return False
        current = self.collect()
        return (current.values != self._baseline_values or current.photo != self._baseline_photo
                or any(getattr(current, attr) != self._baseline_records.get(attr) for attr in self.records))

    def draft(self) -> DraftInput | None:
        """The unsaved edits as a 草稿 (kept when the program quits from the idle lock): the fields, tables
        and photo that differ from what was loaded; None when there are none."""
        if not self.has_unsaved():
            return None
        return profile_drafts.draft_input(self.profile.id, unsaved.label(self), self._edits())

    def _edits(self) -> ProfileDraft:
        """What differs from the profile as loaded: the fields, tables and photo changed, and the version
        they were loaded at."""
        current = self.collect()
        values = {key: value for key, value in current.values.items() if value != self._baseline_values.get(key)}
        if self.profile.id is None:
            values["unit"] = current.values.get("unit")  # a new cadre's unit, given or chosen
        records = {attr: getattr(current, attr) for attr in self.records
                   if getattr(current, attr) != self._baseline_records.get(attr)}
        return ProfileDraft(values, records, current.photo != self._baseline_photo, current.photo,
                            self.profile.version if self.profile.id is not None else None)

    def restore_draft(self, draft: ProfileDraft) -> None:
        """Fill in a 草稿's edits over the profile as loaded now, unsaved until the user saves. Saved after
        another's change since the 草稿 was kept, they are asked about first (保存冲突)."""
        self._apply(draft)
        if draft.version is not None and self.profile.id is not None:
            self.profile.version = draft.version  # the version the edits began from
        self.warning_banner.setText("已恢复上次锁定后退出时未保存的修改，尚未保存：请核对后保存，或关闭时选择“不保存”。")
        self.warning_banner.show()

    def _apply(self, draft: ProfileDraft) -> None:
        """Put ``draft``'s edits into the editors over what they show."""
        for key, value in draft.values.items():
            self._load_editor(self.cells[key], value)
        for attr, items in draft.records.items():
            self.records[attr].set_items(items)
        if draft.photo_changed:
            self.photo = draft.photo
            self._show_photo()

    # ---- photo ----------------------------------------------------------------------------------
    def _show_photo(self) -> None:
        if self.photo:
            image = QImage.fromData(QByteArray(self.photo))
            if not image.isNull():
                self.photo_label.setPixmap(QPixmap.fromImage(image).scaled(
                    *PHOTO_VIEW, Qt.KeepAspectRatio, Qt.SmoothTransformation))
                self.photo_delete.setEnabled(not self.readonly)
                return
        self.photo_label.setPixmap(QPixmap())
        self.photo_label.setText("无照片")
        self.photo_delete.setEnabled(False)

    def choose_photo(self) -> None:
        from ui.widgets.files import default_dir

        path = files.open_file(self, "导入照片", default_dir(), "图片文件 (*.jpg *.jpeg *.png *.bmp)")
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        try:
            with open(path, "rb") as fh:
                self.photo = crop_photo(fh.read())
        except (OSError, ValueError) as exc:
            message = os_error_text(exc, path) if isinstance(exc, OSError) else str(exc)
            messages.error(self, "导入照片", message)
            return False
        self._show_photo()
        return True

    def delete_photo(self) -> None:
        self.photo = b"" if self.profile.id is not None else None
        self._show_photo()

    # ---- errors ---------------------------------------------------------------------------------
    def _mark(self, widget: QWidget, on: bool) -> None:
        value = "true" if on else "false"
        if (widget.property("error") or "false") == value:
            return
        widget.setProperty("error", value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()

    def _clear_field_error(self, key: str) -> None:
        cell = self._cells[key]
        if not cell.error.isHidden() or cell.editor.property("error") == "true":
            self._mark(cell.editor, False)
            cell.error.hide()

    def clear_errors(self) -> None:
        for cell in self._cells.values():
            self._mark(cell.editor, False)
            cell.error.hide()
            cell.error.clear()
        for table in self._records.values():
            table.clear_errors()
        for i, title in enumerate(self._tab_titles):
            self.tabs.setTabText(i, title)
            self.tabs.tabBar().setTabTextColor(i, QColor())
            self.tabs.setTabToolTip(i, "")
        self.error_banner.hide()

    def field_error(self, key: str) -> str:
        """The message shown at a field ('' when none), for tests and callers."""
        cell = self._cells.get(key)
        return cell.error.text() if cell and not cell.error.isHidden() else ""

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_errors()
        per_tab: dict[int, int] = {}
        sub: dict[str, dict[tuple[int, str], str]] = {}
        general: list[str] = []
        first: tuple[int, object] | None = None
        for key, message in errors.items():
            if key in self.cells:
                cell = self.cells[key]
                self._mark(cell.editor, True)
                cell.error.setText(message)
                cell.error.show()
                per_tab[cell.tab] = per_tab.get(cell.tab, 0) + 1
                order = (cell.tab, list(self.cells).index(key))
                if first is None or order < first[0]:
                    first = (order, cell.editor)
                continue
            match = _SUB_KEY.match(key)
            if match and match.group(1) in self.records:
                attr, row, column = match.group(1), int(match.group(2)), match.group(3)
                sub.setdefault(attr, {})[(row, column)] = message
                tab = self._record_tabs[attr]
                per_tab[tab] = per_tab.get(tab, 0) + 1
                order = (tab, row)
                if first is None or order < first[0]:
                    first = (order, (attr, row, column))
                continue
            general.append(message)
        for attr, cell_errors in sub.items():
            self.records[attr].show_errors(cell_errors)
        for tab, count in per_tab.items():
            self.tabs.setTabText(tab, f"{self._tab_titles[tab]} ({count})")
            self.tabs.tabBar().setTabTextColor(tab, QColor("#c62828"))
            self.tabs.setTabToolTip(tab, f"此页有 {count} 处需要修改")
        total = len(errors)
        text = f"有 {total} 处需要修改，已用红色标出，未保存。"
        if general:
            text += "\n" + "\n".join(general)
        self.error_banner.setText(text)
        self.error_banner.show()
        if first is not None:
            (tab, _pos), target = first
            self.tabs.setCurrentIndex(tab)
            if isinstance(target, tuple):
                attr, row, column = target
                self.records[attr].focus_cell(row, column)
            else:
                target.setFocus()

    def show_warnings(self, warnings: dict[str, str]) -> None:
        if warnings:
            self.warning_banner.setText("请注意：" + "；".join(warnings.values()))
            self.warning_banner.show()
        else:
            self.warning_banner.hide()

    # ---- actions --------------------------------------------------------------------------------
    def save(self) -> bool:
        """Validate and save; on success the dialog shows the saved profile (new version)."""
        if self.readonly:
            return False
        profile = self.collect()
        try:
            result = cadres.save_profile(profile)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            self.show_warnings(exc.warnings)
            return False
        except ConflictError as exc:
            return self._save_conflict(exc)
        except Exception as exc:  # noqa: BLE001 - disk full, locked …: said in Chinese and logged, the typing kept
            messages.error(self, "保存失败", exc)
            return False
        created = self.profile.id is None
        unsaved.resolved(self)
        self.profile = result.profile
        self._load(result.profile)
        self.show_warnings(result.warnings)
        self._apply_mode()
        if created:
            self._add_extra_tabs()
        self.context.notify_cadres_changed([result.profile.id])
        status = getattr(self.context, "status_message", None)
        if status is not None:
            status.emit(f"已保存 {result.profile.name} 的档案")
        return True

    def _save_conflict(self, exc: ConflictError) -> bool:
        """Another saved this profile since these edits began (said with who and when): 重新载入对方的修改
        (the edits dropped), 仍然保存我的修改 (the edits put over the profile as stored now — the other's
        change stays in every field not edited here — and saved), or 取消 (the edits kept, unsaved)."""
        if exc.gone:
            messages.error(self, "保存冲突", exc)
            return False
        answer = messages.ask_conflict(self, "保存冲突", exc)
        if answer is None or self.profile.id is None:
            return False
        edits = self._edits()
        self.reload()
        if self.profile.version == edits.version:
            return False  # not reloaded (deleted): said by reload
        if answer == messages.RELOAD:
            unsaved.resolved(self)  # the edits dropped at the user's word
            return False
        self._apply(edits)
        return self.save()

    def reload(self) -> None:
        if self.profile.id is None:
            return
        try:
            self.profile = cadres.get_profile(self.profile.id)
        except NotFoundError as exc:
            messages.error(self, "重新载入", exc)
            return
        self._load(self.profile)
        self.warning_banner.hide()

    def delete(self) -> bool:
        if self.profile.id is None or self.readonly:
            return False
        name = self.profile.values.get("name") or ""
        if not messages.confirm(self, "删除干部", f"确定删除“{name}”的全部档案（含简历、家庭成员、奖惩等）吗？此操作不能撤销。",
                                "删除", danger=True):
            return False
        cadre_id, version, deleted = self.profile.id, self.profile.version, []

        def delete(overwrite: bool) -> None:
            cadres.delete_cadre(cadre_id, version, overwrite=overwrite)
            deleted.append(cadre_id)

        try:  # another saved the file since this window read it: 重新载入对方的修改 / 仍然删除 / 取消
            shown_again = messages.attempt_delete(self, "删除干部", delete)
        except Exception as exc:  # noqa: BLE001 - disk full, locked …: said in Chinese and logged
            messages.error(self, "删除干部", exc)
            return False
        if not deleted:
            if shown_again:
                self.reload()
            return False
        self.context.notify_cadres_changed([cadre_id])
        self._reset_baseline()
        self._save_geometry()
        super().reject()
        return True

    def accept(self) -> None:
        if self.readonly or self.save():
            self._save_geometry()
            super().accept()

    def reject(self) -> None:
        """Closing with edits asks what closing the window, 注销 and 切换用户 ask: 保存 (the normal save;
        refused, the dialog stays open on the edits) / 不保存 / 取消."""
        if not self.readonly and self.has_unsaved():
            answer = messages.ask_save(
                self, "关闭", f"以下内容有未保存的修改：\n· {unsaved.label(self)}\n\n关闭前要保存吗？")
            if answer is None or (answer == messages.SAVE and not self.save()):
                return
        unsaved.resolved(self)  # saved, 不保存, or nothing left to save
        self._save_geometry()
        super().reject()

    def _save_geometry(self) -> None:
        settings().setValue("profile_dialog/geometry", self.saveGeometry())
