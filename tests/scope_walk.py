"""The machinery of the scope walk (tests/test_scope_walk.py): a demo database with a 经办人 of one
small unit, what must never show (names and 身份证号 of cadres of other units), and a walker that
reads every text of a widget tree, clicks what is enabled, and answers dialogs, message boxes, menus
and file choosers without a person."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

CLERK, CLERK_PW, ADMIN_PW = "walker", "Walk#2024x", "Admin#2024x"
# What an enabled action must never answer: it acted on data outside the operator's scope.
# Search boxes (pickers, list filters) say what they search in their placeholder.
SEARCH_MARKERS = ("姓名", "拼音", "查找", "筛选")
REFUSALS = ("不在您负责的单位范围内", "不能接触干部数据", "按回避规定", "无权", "请先登录", "三员分立",
            "只有管理全部单位的账号可以修改")


@dataclass
class WalkData:
    path: Path
    unit_id: int
    inside_ids: list[int]
    forbidden: set[str]  # names and 身份证号 of cadres of other units


def build_database(path: Path, cadres: int = 160) -> WalkData:
    """A demo database (units, cadres, postings, pairs, sheets) with an administrator and a 经办人
    limited to the smallest unit that has at least three cadres."""
    from cadre_desk.access import context
    from cadre_desk.profiles import demo
    from cadre_desk.security import accounts
    from cadre_desk.store.db import close_database
    from cadre_desk.store.opening import open_database

    context.set_operator(None)
    accounts.enforce_login(False)
    open_database(path)
    demo.generate(cadres, seed=11)
    conn = sqlite3.connect(path)
    counts = conn.execute("SELECT unit_id, COUNT(*) FROM cadre WHERE status = '1' GROUP BY unit_id HAVING COUNT(*) >= 3 "
                          "ORDER BY COUNT(*), unit_id").fetchall()
    unit_id = counts[0][0]
    rows = conn.execute("SELECT id, name, id_number, unit_id FROM cadre WHERE status = '1'").fetchall()
    inside = [r for r in rows if r[3] == unit_id]
    _cross_unit_records([r[0] for r in inside], [r[0] for r in rows if r[3] != unit_id])
    family = {name for (name,) in conn.execute(
        "SELECT f.name FROM family_member f JOIN cadre c ON c.id = f.cadre_id WHERE c.unit_id = ?", (unit_id,))}
    conn.close()
    inside_names = {r[1] for r in inside}
    forbidden = {r[1] for r in rows if r[3] != unit_id} - inside_names - family
    forbidden |= {r[2] for r in rows if r[3] != unit_id and r[2]}
    admin, _ = accounts.create_first_admin("admin", ADMIN_PW)
    context.set_operator(accounts.operator_for(admin))
    accounts.create_user(accounts.UserInfo(None, CLERK, "走查经办人", (accounts.ROLE_CLERK,), (unit_id,)), CLERK_PW)
    context.set_operator(None)
    close_database()
    return WalkData(path, unit_id, [r[0] for r in inside], forbidden)


def _cross_unit_records(inside: list[int], outside: list[int]) -> None:
    """What ties the unit's cadres to others: a posting with a 指导人 of another unit beside a posting
    of another unit on the same post, a mentor of another unit and a mentee of another unit, an
    appraisal sheet of both units and one of the unit alone, 正负面清单 entries on both sides."""
    from cadre_desk.appraisal import appraisals, records, schemes
    from cadre_desk.domain import clock
    from cadre_desk.mentoring import mentoring, pair_changes
    from cadre_desk.postings import frontline_posts, postings

    today = clock.today()
    start = (today.replace(day=1)).strftime("%Y%m%d")
    end = today.replace(year=today.year + 1).strftime("%Y%m%d")
    busy = {p.cadre_id for p in postings.list_postings() if p.active}
    post = next(p for p in frontline_posts.list_posts() if p.filled + 2 <= p.capacity and not p.line_retired)
    free_in = [c for c in inside if c not in busy]
    free_out = [c for c in outside if c not in busy]
    # 期满, with its 鉴定: one of the unit (its 指导人 of another unit), one of another unit (its 指导人 of the unit)
    for cadre_id, guide_id in ((free_in[-1], outside[6]), (free_out[-1], inside[1])):
        _ended_posting(post, cadre_id, guide_id)
    postings.create_posting(free_in[0], post.id, "组织选派", start, guide_cadre_id=outside[0])
    postings.create_posting(free_out[0], post.id, "单位推荐", start, guide_cadre_id=inside[1])
    for mentor, mentee in (_pair_of(outside, inside), _pair_of(inside, outside)):
        draft = mentoring.PairDraft(mentor, mentee, "招商引资", "独立牵头一个项目", start, end)
        pair_changes.create_pair(draft)
    scheme = next(s for s in schemes.list_schemes() if s.name == "年度考核")
    appraisals.create_sheet("走查·两单位", str(today.year), scheme.id, inside[:2] + outside[3:6])
    appraisals.create_sheet("走查·本单位", str(today.year), scheme.id, inside[:2])
    item = next(i for i in records.list_behaviour_items() if not i.retired)
    for cadre_id in (inside[0], outside[3]):
        records.save_behaviour_entry(records.BehaviourEntryInfo(None, cadre_id, item.polarity, item.name,
                                                                start, "督查通报", "走查", "", item.id))


def _pair_of(mentors: list[int], mentees: list[int]) -> tuple[int, int]:
    """A mentor among ``mentors`` with room for one more, and a mentee among ``mentees`` with no mentor yet
    (what the demo paired depends on the day it is made for)."""
    from cadre_desk.mentoring import mentoring

    mentored = {p.mentee_id for p in mentoring.list_pairs(state=mentoring.ACTIVE)}
    mentee = next(c for c in mentees if c not in mentored)
    mentor = next(c for c in mentors if c != mentee and mentoring.active_mentee_count(c) < mentoring.max_mentees())
    return mentor, mentee


def _ended_posting(post, cadre_id: int, guide_id: int) -> None:
    """A posting of ``cadre_id`` on ``post`` from 300 days ago, ended 20 days ago with its 期满鉴定."""
    import datetime as _dt

    from cadre_desk.domain import clock
    from cadre_desk.postings import posting_review, postings
    from cadre_desk.postings.posting_data import ReviewInfo

    def day(days: int) -> str:
        return (clock.today() + _dt.timedelta(days=days)).strftime("%Y%m%d")

    posting = postings.create_posting(cadre_id, post.id, "组织选派", day(-300), day(-20), guide_cadre_id=guide_id)
    posting = postings.start_posting(posting.id, posting.version)
    review = ReviewInfo(grade="称职", org_opinion="较好完成锻炼任务。", org_signer="走查审核人", org_date=day(-20))
    posting_review.finish_posting(posting.id, posting.version, day(-20), review, "返回原单位")


def copy_database(source: Path, target: Path) -> Path:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


# ---- reading what a widget shows -----------------------------------------------------------------


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model: columnCount is private in PySide
        return 1


def model_texts(model, parent: QModelIndex | None = None, limit: int = 20000) -> list[str]:
    top = parent is None
    parent = parent or QModelIndex()
    out: list[str] = []
    if top:
        for c in range(_columns(model, parent)):
            out.append(str(model.headerData(c, Qt.Horizontal, Qt.DisplayRole) or ""))
    rows, cols = model.rowCount(parent), _columns(model, parent)
    for r in range(min(rows, limit)):
        for c in range(cols):
            index = model.index(r, c, parent)
            for role in (Qt.DisplayRole, Qt.ToolTipRole):
                value = model.data(index, role)
                if value not in (None, ""):
                    out.append(str(value))
        first = model.index(r, 0, parent)
        if first.isValid() and model.rowCount(first) > 0:  # a tree's children
            out.extend(model_texts(model, first, limit))
    return out


def widget_texts(root: QWidget, *, edits: bool = True) -> list[str]:
    """Every text ``root`` and its children show or hold (labels, buttons, fields, lists, tables,
    trees, combo boxes, tool tips, titles)."""
    out = [root.windowTitle(), root.toolTip()]
    for w in [root, *root.findChildren(QWidget)]:
        out.append(w.toolTip())
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QLineEdit):
            if edits:
                out.append(w.text())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out.extend(w.tabText(i) for i in range(w.count()))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out.extend(model_texts(w.model()))
    return [t for t in out if t]


# ---- the walker ----------------------------------------------------------------------------------


@dataclass
class Walker:
    """Answers every question the window asks, reads every text it shows, and records what must not be:
    a forbidden name or 身份证号 anywhere, or a refusal after an enabled action."""

    qtbot: object
    context: object
    forbidden: set[str]
    out_dir: Path
    probe: str = ""  # a name of another unit, typed into search boxes of dialogs
    exporting: bool = False  # accept export and print dialogs (else every dialog is cancelled)
    leaks: list[tuple[str, str]] = field(default_factory=list)
    refusals: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    files: int = 0
    where: str = ""
    seen_dialogs: set = field(default_factory=set)
    checks: int = 0
    pending_menu_actions: list = field(default_factory=list)

    def check(self, where: str, texts: list[str]) -> None:
        self.checks += len(texts)
        blob = "\n".join(texts)
        for token in self.forbidden:
            if token in blob:
                line = next(t for t in texts if token in t)
                self.leaks.append((where, f"{token} in {line[:120]!r}"))

    def said(self, where: str, text: str) -> None:
        self.check(where, [text])
        if any(marker in (text or "") for marker in REFUSALS):
            self.refusals.append((where, text))

    def settle(self) -> None:
        """Let background loads finish and their results arrive (debounced searches included)."""
        for _ in range(2):
            self.context.tasks.wait_all(20000)
            QApplication.processEvents()
            self.qtbot.wait(1)

    # ---- the window's questions ------------------------------------------------------------------

    def _next_path(self, suffix: str) -> str:
        self.files += 1
        return str(self.out_dir / f"out{self.files}{suffix}")

    def _dialog_exec(self, dialog: QDialog) -> int:
        name = f"{self.where} → 对话框 {dialog.windowTitle() or type(dialog).__name__}"
        kind = (type(dialog).__name__, dialog.windowTitle())
        first = kind not in self.seen_dialogs  # walked in full the first time, read each time
        self.seen_dialogs.add(kind)
        self.dialogs.append(name)
        QApplication.processEvents()
        if first:
            for tabs in dialog.findChildren(QTabWidget):  # tabs built when first shown
                for i in range(tabs.count()):
                    tabs.setCurrentIndex(i)
                    QApplication.processEvents()
        self.settle()
        self.check(name, widget_texts(dialog))
        if isinstance(dialog, QMessageBox):
            self.said(name, dialog.text())
            return 0
        if self.exporting and self._fill_export(dialog):
            dialog.accept()
            if dialog.result() == QDialog.Accepted:
                return QDialog.Accepted
        if first:
            self.probe_search(name, dialog)
        dialog.reject()
        return QDialog.Rejected

    def probe_search(self, name: str, root: QWidget) -> None:
        """Type the name of a cadre of another unit into the search boxes (pickers, filters): they must
        find nobody; then the boxes are emptied again."""
        edits = [e for e in root.findChildren(QLineEdit) if e.isVisibleTo(root) and e.isEnabled()
                 and not e.isReadOnly() and any(m in e.placeholderText() for m in SEARCH_MARKERS)]
        if not self.probe or not edits:
            return
        before = [e.text() for e in edits]
        for edit in edits:
            edit.setText(self.probe)
        self.qtbot.wait(250)  # past a picker's debounce (200 ms)
        self.settle()
        self.check(name + f"（搜索“{self.probe}”）", widget_texts(root, edits=False))
        for edit, text in zip(edits, before, strict=True):
            edit.setText(text)
        self.qtbot.wait(250)
        self.settle()

    def _fill_export(self, dialog: QDialog) -> bool:
        """An export or print dialog: a reason, a path in the walk's folder."""
        reason = getattr(dialog, "reason", None) or getattr(dialog, "reason_edit", None)
        path = getattr(dialog, "path", None)
        if isinstance(reason, QLineEdit):
            reason.setText("范围走查")
        if isinstance(path, QLineEdit):
            path.setText(self._next_path(".pdf"))
        return isinstance(reason, QLineEdit) or type(dialog).__name__ == "MissingGlyphDialog"

    def _close_popup(self) -> None:
        """A context menu is up (its own event loop runs this): read it, keep its enabled items, close it.
        (QMenu.exec cannot be replaced from Python: shiboken calls the C++ one.)"""
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            return
        name = f"{self.where} → 菜单"
        self.check(name, [a.text() for a in menu.actions()])
        self.pending_menu_actions = [a for a in menu.actions() if a.isEnabled() and not a.isSeparator()
                                     and a.menu() is None]
        menu.close()

    def _box(self, kind: str):
        def answer(_parent, title, text, *args, **kwargs):
            self.said(f"{self.where} → {kind}「{title}」", f"{title}\n{text}")
            if kind == "question":  # go on when exporting, else stop (no deletion, no finalizing)
                return QMessageBox.Yes if self.exporting else QMessageBox.No
            return QMessageBox.Ok
        return staticmethod(answer)

    def _present(self, box: QMessageBox):
        """The widget kit's message boxes (ui/widgets/messages.present): read; a question goes on only
        when exporting."""
        name = f"{self.where} → 提示「{box.windowTitle()}」"
        self.said(name, f"{box.windowTitle()}\n{box.text()}")
        buttons = box.buttons()
        roles = {box.buttonRole(b): b for b in buttons}
        if self.exporting:
            return roles.get(QMessageBox.ButtonRole.AcceptRole) or roles.get(QMessageBox.ButtonRole.YesRole)
        return roles.get(QMessageBox.ButtonRole.RejectRole) or roles.get(QMessageBox.ButtonRole.NoRole) or (
            roles.get(QMessageBox.ButtonRole.AcceptRole) if len(buttons) == 1 else None)

    def _ask(self, dialog) -> bool:
        """The kit's small input dialogs (ui/widgets/messages.ask): a reason when exporting."""
        if isinstance(dialog, QInputDialog):
            self.check(f"{self.where} → 输入「{dialog.windowTitle()}」", [dialog.labelText()])
            if self.exporting:
                dialog.setTextValue("范围走查")
                return True
            return False
        return self._dialog_exec(dialog) == QDialog.Accepted

    @contextlib.contextmanager
    def answering(self, monkeypatch):
        """Every modal question of the window answered by the walker."""
        from ui.widgets import messages, pdf_printing

        walker = self
        monkeypatch.setattr(messages, "present", lambda box: walker._present(box))
        # Qt's print dialog: the file is written and previewed; the walk sends nothing to a printer
        monkeypatch.setattr(pdf_printing, "run_print_dialog", lambda dialog: False)
        monkeypatch.setattr(messages, "ask", lambda dialog: walker._ask(dialog))
        monkeypatch.setattr(QDialog, "exec", lambda dialog: walker._dialog_exec(dialog))
        monkeypatch.setattr(QMessageBox, "exec", lambda box: walker._dialog_exec(box))
        for kind in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, self._box(kind))
        monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda *a, **k: None))
        monkeypatch.setattr("ui.widgets.files.save_file", lambda *a, **k: (
            walker._next_path(".pdf" if "pdf" in str(a + tuple(k.values())).lower() else ".xlsx")
            if walker.exporting else ""))
        monkeypatch.setattr("ui.widgets.files.open_file", lambda *a, **k: "")
        monkeypatch.setattr("ui.widgets.files.open_files", lambda *a, **k: [])
        monkeypatch.setattr("ui.widgets.files.pick_folder",
                            lambda *a, **k: walker._next_path("") if walker.exporting else "")
        monkeypatch.setattr(QInputDialog, "getText", staticmethod(
            lambda *a, **k: ("范围走查", True) if walker.exporting else ("", False)))
        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
        self.context.status_message.connect(lambda text: self.said(f"{self.where} → 状态栏", text))
        yield self

    # ---- walking ---------------------------------------------------------------------------------

    def open_dialogs(self) -> None:
        """Dialogs opened without exec (open()/show()): read, then closed (or, exporting, run)."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                name = f"{self.where} → 对话框 {widget.windowTitle()}"
                self.dialogs.append(name)
                self.settle()
                self.check(name, widget_texts(widget))
                export = getattr(widget, "export", None)
                if self.exporting and callable(export):
                    self._fill_export(widget)
                    export(self._next_path(".xlsx"))
                    self.settle()
                widget.reject()

    def trigger(self, where: str, fn) -> None:
        self.where = where
        self.pending_menu_actions = []
        QTimer.singleShot(50, self._close_popup)
        fn()
        self.settle()
        self.open_dialogs()

    def buttons(self, root: QWidget) -> list[QAbstractButton]:
        return [b for b in root.findChildren(QAbstractButton)
                if b.isVisibleTo(root) and b.isEnabled() and not isinstance(b, (QRadioButton, QCheckBox))
                and not (hasattr(b, "menu") and b.menu() is not None) and b.text()]

    def walk(self, where: str, root: QWidget, rows_per_view: int = 1) -> None:
        """Read ``root`` and search its search boxes; then for each list or table, select a row
        (the first; ``rows_per_view`` 2: the last too), read again, click every enabled button and every
        enabled item of the row's context menu."""
        self.where = where
        self.settle()
        self.check(where, widget_texts(root))
        self.probe_search(where, root)
        self._click_all(where, root)
        self._each_choice(where, root)
        for view in [v for v in root.findChildren(QAbstractItemView) if v.isVisibleTo(root) and v.model()]:
            model = view.model()
            n = model.rowCount()
            for row in sorted({0, n - 1} if n else set())[:rows_per_view]:
                if not shiboken6.isValid(view):
                    break
                index = model.index(row, 0)
                view.setCurrentIndex(index)
                view.scrollTo(index, QAbstractItemView.EnsureVisible)
                here = f"{where} / {type(view).__name__} 第 {row + 1} 行"
                self.where = here
                self.settle()
                self.check(here, widget_texts(root))
                if view.contextMenuPolicy() == Qt.CustomContextMenu:
                    rect = view.visualRect(index)
                    self.trigger(here + " 右键菜单", lambda v=view, p=rect.center(): v.customContextMenuRequested
                                 .emit(p if not p.isNull() else QPoint(1, 1)))
                    for action in list(self.pending_menu_actions):
                        self.trigger(f"{here} 右键「{action.text()}」", action.trigger)
                self._click_all(here, root)

    def _each_choice(self, where: str, root: QWidget, most: int = 12) -> None:
        """A short choice list (which sheet, which state…): each choice read, its buttons clicked."""
        for combo in [c for c in root.findChildren(QComboBox) if c.isVisibleTo(root) and c.isEnabled()
                      and not c.isEditable() and 1 < c.count() <= most]:
            before = combo.currentIndex()
            for i in range(combo.count()):
                if not shiboken6.isValid(combo) or i >= combo.count():
                    break
                combo.setCurrentIndex(i)
                here = f"{where} /「{combo.itemText(i)}」"
                self.where = here
                self.settle()
                self.check(here, widget_texts(root))
                self._click_all(here, root)
            if shiboken6.isValid(combo):
                combo.setCurrentIndex(before)

    def _click_all(self, where: str, root: QWidget) -> None:
        for button in self.buttons(root):
            if shiboken6.isValid(button) and button.isVisibleTo(root) and button.isEnabled():
                self.trigger(f"{where} 按钮「{button.text()}」", button.click)
