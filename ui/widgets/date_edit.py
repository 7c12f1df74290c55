"""The one date widget of every screen: shows a stored date as the official form writes it (1986.05,
2024.03.15) and accepts what clerks type (1986.5, 198605, 1986-05, 1986年5月, 2024/3/15 …); a day can
also be picked from a calendar. Parsing and display are cadre_desk.domain.dates' (parse_date,
format_date): this widget only shows them.

``value()`` is the stored form ("198605", "20240315", "" when empty); a date it cannot read raises
ValidationError keyed by the field, so a FormDialog shows the reason under the field."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from cadre_desk.domain import clock
from cadre_desk.domain.dates import DAY_EXAMPLE, MONTH_EXAMPLE, DateError, Precision, format_date, parse_date
from cadre_desk.domain.errors import ValidationError

CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


class DateEdit(QWidget):
    """``precision``: "month" (出生年月, 入党时间), "day" (到岗日期), or None (either)."""

    edited = Signal()  # the user changed the date (typed and left the box, or picked a day)

    def __init__(self, value: str = "", precision: Precision = None, parent: QWidget | None = None,
                 label: str = "日期", key: str = ""):
        super().__init__(parent)
        self.precision = precision
        self.label, self.key = label, key
        self.line = QLineEdit()
        self.line.setPlaceholderText(DAY_EXAMPLE if precision == "day" else MONTH_EXAMPLE)
        self.line.setMinimumWidth(110)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        self.calendar_button: QToolButton | None = None
        if precision != "month":
            self.calendar_button = QToolButton()
            self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
            self.calendar_button.setToolTip("从日历中选择")
            self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.calendar_button.clicked.connect(self.show_calendar)
            layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line)
        self.line.editingFinished.connect(self._tidy)
        self.set_value(value)

    # ---- value -----------------------------------------------------------------------------------
    def bind_field(self, key: str, label: str) -> None:
        """FormDialog.add_field tells the widget whose errors it reports."""
        self.key = self.key or key
        self.label = label.rstrip("：:") if self.label == "日期" else self.label  # "到岗时间：" → 到岗时间：…

    def set_value(self, stored: str | None) -> None:
        self.line.setText(format_date(stored or ""))
        self.line.setToolTip("")

    def value(self) -> str:
        """The stored form of what the box shows; raises ValidationError when it cannot be read."""
        try:
            return parse_date(self.line.text(), self.precision)
        except DateError as exc:
            raise ValidationError({self.key: f"{self.label}：{exc}"}) from None

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:  # noqa: N802 - as QLineEdit, for callers typing a value
        self.line.setText(text)

    def setReadOnly(self, readonly: bool) -> None:  # noqa: N802 - as QLineEdit
        self.line.setReadOnly(readonly)
        if self.calendar_button is not None:
            self.calendar_button.setEnabled(not readonly)

    def _tidy(self) -> None:
        """Leaving the box: 1986.5 becomes 1986.05; a date that cannot be read stays as typed, with why."""
        try:
            stored = parse_date(self.line.text(), self.precision)
        except DateError as exc:
            self.line.setToolTip(str(exc))
            return
        self.line.setToolTip("")
        shown = format_date(stored)
        if shown != self.line.text():
            self.line.setText(shown)
        self.edited.emit()

    # ---- calendar --------------------------------------------------------------------------------
    def show_calendar(self) -> None:
        calendar = QCalendarWidget()
        calendar.setLocale(CHINA)
        calendar.setGridVisible(True)
        try:
            stored = parse_date(self.line.text())
        except DateError:
            stored = ""
        day = clock.today() if not stored else None
        calendar.setSelectedDate(QDate(day.year, day.month, day.day) if day else
                                 QDate(int(stored[:4]), int(stored[4:6]), int(stored[6:8] or 1)))
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(calendar)
        menu.addAction(action)

        def picked(date: QDate) -> None:
            self.pick(f"{date.year():04d}{date.month():02d}{date.day():02d}")
            menu.close()

        calendar.clicked.connect(picked)
        calendar.activated.connect(picked)
        self.calendar = calendar  # for tests
        menu.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def pick(self, stored: str) -> None:
        """A day chosen (from the calendar): shown at the widget's precision."""
        self.set_value(stored[:6] if self.precision == "month" else stored)
        self.edited.emit()
