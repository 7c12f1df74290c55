"""The cadre profile editor: the registry's fields by group, the sub-record tables, the photo, and
the extra tabs other capabilities register. Every field error is shown at its field; nothing the
user typed is lost when a save is refused. The tabs are built in ui.profiles.profile_tabs, the errors
marked in ui.profiles.profile_errors (the dialog's two parts); here: loading, saving, the photo,
printing, deleting and closing."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cadre_desk.access import permissions
from cadre_desk.domain.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    os_error_text,
)
from cadre_desk.domain.fields import FIELDS, RECORDS, FieldSpec
from cadre_desk.profiles import cadres, profile_drafts
from cadre_desk.profiles.cadres import CadreProfile
from cadre_desk.profiles.profile_drafts import ProfileDraft
from cadre_desk.security.drafts import DraftInput
from ui.profiles.profile_errors import ProfileErrors
from ui.profiles.profile_tabs import PHOTO_VIEW, FieldCell, OnDemand, ProfileTabs, TabPage
from ui.widgets import files, messages, unsaved
from ui.widgets.field_widgets import set_readonly
from ui.widgets.record_table import WARNING_BG, RecordTable
from ui.widgets.window import resize_to_screen, settings

DIALOG_STYLE = """
QLineEdit[error="true"], QComboBox[error="true"], QPlainTextEdit[error="true"], QWidget[error="true"] {
    border: 1px solid #d9363e; background: #fff6f6; }
QLabel#fieldError { color: #c62828; }
QLabel#errorBanner { background: #fdecea; color: #a12622; border: 1px solid #f3b7b3; padding: 6px 10px; }
QLabel#photo { border: 1px solid #b8c2cc; background: #f4f6f8; color: #8a96a3; }
QLabel#hint { color: #6b7785; }
""" + f"QLabel#warningBanner {{ background: {WARNING_BG}; color: #7a5a00; border: 1px solid #f0d48a; padding: 6px 10px; }}\n"


def crop_photo(data: bytes) -> bytes:
    """The stored photo (upright, 4:5, 300×375 JPEG) of a chosen picture. Raises ValueError with
    the Chinese reason when the bytes are not a usable image."""
    from cadre_desk.profiles.photos import PhotoError, normalize_photo

    try:
        return normalize_photo(data)
    except PhotoError as exc:
        raise ValueError(f"{exc}，请选择 JPG 或 PNG 照片") from None


def _editor_value(spec: FieldSpec, value):
    """What a freshly loaded editor would give back for a stored value (None shows as empty)."""
    if value is None and spec.kind != "unit":
        return ""
    return value


class ProfileDialog(ProfileTabs, ProfileErrors, QDialog):
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
        self._cells: dict[str, FieldCell] = {}  # the fields of the tabs built so far
        self._records: dict[str, RecordTable] = {}
        self._field_tabs: dict[str, int] = {}  # field key → tab index
        self._record_tabs: dict[str, int] = {}
        self._pages: list[TabPage] = []
        self._extra_tabs: list[QWidget] = []
        self._tab_titles: list[str] = []
        self._loaded: CadreProfile | None = None  # what the editors were last loaded from
        self._baseline_values: dict = {}
        self._baseline_records: dict[str, list] = {}
        self._baseline_photo: bytes | None = None
        # Every field's cell and every sub-record table; looking one up builds its tab.
        self.cells: Mapping[str, FieldCell] = OnDemand(
            (spec.key for spec in FIELDS), self._cells, lambda key: self.build_tab(self._field_tabs[key]))
        self.records: Mapping[str, RecordTable] = OnDemand(
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
    def _load_editor(cell: FieldCell, value) -> None:
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
