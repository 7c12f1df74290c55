"""The profile editor's errors (ProfileDialog's part): a refused save's messages at their fields and
table cells, counted on the tabs, the first one focused; the warnings in the banner, one a line."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

_SUB_KEY = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")
# The warnings of one field come joined by 「；」 (cadres.validate_profile); a 「；」 inside a quoted entry
# (“…兴平市发改局科员；兼…”) is the entry's own
_BETWEEN_WARNINGS = re.compile(r"；(?![^“]*”)")
WARNINGS_SHOWN = 4  # the banner's lines at most: a longer list shows the first and 「另有 N 条」


class ProfileErrors:
    """ProfileDialog's error marks (mixed into the dialog, whose ``cells``, ``records`` and banners they
    use)."""

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
        """请注意 and the warnings under it, one a line (they ran on in one paragraph, 「；」 between them):
        WARNINGS_SHOWN at most, a longer list its first ones and 「另有 N 条」, every one in the tooltip —
        the form's tabs stay in sight."""
        said = [part for text in warnings.values() for part in _BETWEEN_WARNINGS.split(text) if part]
        if not said:
            self.warning_banner.setToolTip("")
            self.warning_banner.hide()
            return
        shown = said if len(said) <= WARNINGS_SHOWN else said[:WARNINGS_SHOWN - 1]
        lines = [f"· {text}" for text in shown]
        if len(shown) < len(said):
            lines.append(f"……另有 {len(said) - len(shown)} 条，鼠标停在此处可看全部")
        self.warning_banner.setText("\n".join(["请注意：", *lines]))
        self.warning_banner.setToolTip("\n".join(f"· {text}" for text in said) if len(shown) < len(said) else "")
        self.warning_banner.show()
