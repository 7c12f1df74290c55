"""The one period box (实绩档案, 考核表): shows a stored period as every screen writes it (2025.11,
2025年第4季度, 2025年度, 2025年第5周) and accepts what clerks type (2025年11月, 2025.11, 2025年四季度,
2025Q4, 2025年度 …). Parsing and display are cadre_desk.domain.periods': this widget only shows them.

``value()`` is the stored code ("2025-11", "2025-Q4", "2025", "" when empty); a period it cannot read,
or one of another length than ``unit`` asks, raises ValidationError keyed by the field, so a FormDialog
shows the reason under the field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.periods import EXAMPLES, PeriodError, Unit, parse_period, period_label


class PeriodEdit(QWidget):
    edited = Signal()  # the user changed the period (typed and left the box)

    def __init__(self, value: str = "", unit: Unit | None = None, parent: QWidget | None = None,
                 label: str = "期间", key: str = ""):
        super().__init__(parent)
        self.label, self.key = label, key
        self.line = QLineEdit()
        self.line.setMinimumWidth(130)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 1)
        self.setFocusProxy(self.line)
        self.unit: Unit | None = None
        self.set_unit(unit)
        self.line.editingFinished.connect(self._tidy)
        self.set_value(value)

    def bind_field(self, key: str, label: str) -> None:
        """FormDialog.add_field tells the widget whose errors it reports."""
        self.key = self.key or key
        self.label = label.rstrip("：:") if self.label == "期间" else self.label

    def set_unit(self, unit: Unit | None) -> None:
        """The length a period must have (月上报: a month), or None for any."""
        self.unit = unit
        example = EXAMPLES[unit] if unit else "2025年度、2025年第4季度、2025.11"
        self.line.setPlaceholderText(f"如 {example}")

    def set_value(self, stored: str | None) -> None:
        self.line.setText(period_label(stored or ""))
        self.line.setToolTip("")

    def value(self) -> str:
        """The stored code of what the box shows; raises ValidationError when it cannot be read."""
        try:
            return parse_period(self.line.text(), self.unit)
        except PeriodError as exc:
            raise ValidationError({self.key: f"{self.label}：{exc}"}) from None

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:  # noqa: N802 - as QLineEdit, for callers typing a value
        self.line.setText(text)

    def _tidy(self) -> None:
        """Leaving the box: 2025年四季度 becomes 2025年第4季度; what cannot be read stays as typed, with why."""
        try:
            stored = parse_period(self.line.text(), self.unit)
        except PeriodError as exc:
            self.line.setToolTip(str(exc))
            return
        self.line.setToolTip("")
        shown = period_label(stored)
        if shown != self.line.text():
            self.line.setText(shown)
        self.edited.emit()
