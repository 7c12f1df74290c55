"""Does a window fit an office screen? What a clerk at a 1366×768 screen would find cut off.

``fit_problems(top)`` looks at a shown window (a page of the main window or a dialog) and says, in
Chinese, every place where it does not fit:

- it needs more than the screen leaves it (its minimum size, or a page's minimum inside the window);
- a control lies partly outside the area its parents show (and no scroll bar brings it back);
- a text is cut: a label, a button, a check box, a group box title, a tab, a table header, a combo box.

The screen is 1366×768; a window gets less: the taskbar (40 px) and its own title bar (30 px)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)

from ui.widgets.columns import title_width

SCREEN = QSize(1366, 768)
TASKBAR = 40
TITLE_BAR = 30
# The inside of a window on that screen (a maximised main window, or the most a dialog can have).
USABLE = QSize(SCREEN.width(), SCREEN.height() - TASKBAR - TITLE_BAR)
SLACK = 1  # pixels of rounding


def fit_problems(top: QWidget, usable: QSize = USABLE, whole: bool = True) -> list[str]:
    """Every place where ``top`` (shown) does not fit ``usable``, one Chinese line each. ``whole``:
    judge the window's own minimum and size too (a dialog; not the main window, see page_problems)."""
    problems = []
    hint = top.minimumSizeHint().expandedTo(top.minimumSize())
    if whole and (hint.width() > usable.width() or hint.height() > usable.height()):
        problems.append(f"至少需要 {hint.width()}×{hint.height()}，屏幕只有 {usable.width()}×{usable.height()}")
    if whole and (top.width() > usable.width() + SLACK or top.height() > usable.height() + SLACK):
        problems.append(f"打开时 {top.width()}×{top.height()}，超出屏幕的 {usable.width()}×{usable.height()}")
    for widget in top.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or _internal(widget):
            continue
        visible = visible_rect(widget, top)
        if visible is None:
            continue  # scrolled content: a scroll bar brings it into view
        whole = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
        if visible.isEmpty() and not whole.isEmpty():
            if _names_itself(widget):
                problems.append(f"{describe(widget)} 完全被挡住")
            continue
        if whole.width() > visible.width() + SLACK or whole.height() > visible.height() + SLACK:
            if _names_itself(widget):
                problems.append(f"{describe(widget)} 只显示了 {visible.width()}×{visible.height()}"
                                f"（需要 {whole.width()}×{whole.height()}）")
            continue
        problems.extend(clipped_text(widget))
    return problems


def page_problems(page: QWidget, room: QSize) -> list[str]:
    """A page inside the main window: its minimum must fit the room the window gives it."""
    hint = page.minimumSizeHint().expandedTo(page.minimumSize())
    if hint.width() > room.width() + SLACK or hint.height() > room.height() + SLACK:
        return [f"页面至少需要 {hint.width()}×{hint.height()}，窗口只给它 {room.width()}×{room.height()}"]
    return []


def _internal(widget: QWidget) -> bool:
    """Qt's own parts (scroll arrows, line edit buttons, header sections) look after themselves."""
    name = widget.objectName()
    if name.startswith("qt_") and not isinstance(widget, QTabBar):  # a tab widget's bar is ours to judge
        return True
    parent = widget.parentWidget()
    return isinstance(parent, (QTabBar, QComboBox, QHeaderView)) or type(widget).__name__ in (
        "QScrollBar", "QToolBarExtension", "QSizeGrip", "QFocusFrame", "QRubberBand")


def _names_itself(widget: QWidget) -> bool:
    """Only controls a clerk reads or uses are reported (not the frames around them)."""
    return isinstance(widget, (QLabel, QAbstractButton, QComboBox, QAbstractScrollArea, QGroupBox)) or \
        type(widget).__name__ in ("QLineEdit", "QDateEdit", "QSpinBox", "QDoubleSpinBox", "DateEdit",
                                  "PeriodEdit", "QProgressBar")


def visible_rect(widget: QWidget, top: QWidget) -> QRect | None:
    """The part of ``widget`` its parents show, in ``top``'s coordinates; None inside a scroll area."""
    area = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        holder = parent.parentWidget()
        if isinstance(holder, QAbstractScrollArea) and holder.viewport() is parent and \
                not isinstance(child, QHeaderView):
            return None
        area = area.intersected(QRect(parent.mapTo(top, parent.rect().topLeft()), parent.size())) \
            if parent is not top else area.intersected(top.rect())
        if parent is top:
            break
        child, parent = parent, holder
    return area


def describe(widget: QWidget) -> str:
    """The control as a clerk would name it: its text, else its kind and object name."""
    text = _text(widget)
    kind = {QLabel: "文字", QPushButton: "按钮", QToolButton: "按钮", QCheckBox: "复选框", QRadioButton: "单选项",
            QComboBox: "下拉框", QGroupBox: "分组"}.get(type(widget), type(widget).__name__)
    for base, name in ((QLabel, "文字"), (QAbstractButton, "按钮"), (QComboBox, "下拉框"), (QGroupBox, "分组")):
        if kind == type(widget).__name__ and isinstance(widget, base):
            kind = name
    return f"{kind}「{text[:30]}」" if text else f"{kind}{('「' + widget.objectName() + '」') if widget.objectName() else ''}"


def _text(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text().replace("&", "").replace("\n", " ")
    if isinstance(widget, QGroupBox):
        return widget.title()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def clipped_text(widget: QWidget) -> list[str]:
    """Texts of ``widget`` that do not fit the room it has."""
    if isinstance(widget, QLabel):
        return _label(widget)
    if isinstance(widget, (QCheckBox, QRadioButton)):
        need = widget.sizeHint().width()
        return [f"{describe(widget)} 的文字被截断（宽 {widget.width()}，需要 {need}）"] \
            if widget.text() and need > widget.width() + SLACK else []
    if isinstance(widget, QAbstractButton):
        return _button(widget)
    if isinstance(widget, QGroupBox):
        need = widget.fontMetrics().horizontalAdvance(widget.title()) + 16
        return [f"{describe(widget)} 的标题被截断"] if widget.title() and need > widget.width() else []
    if isinstance(widget, QTabBar):
        return _tabs(widget)
    if isinstance(widget, QHeaderView):
        return _header(widget)
    if isinstance(widget, QComboBox):
        return _combo(widget)
    return []


def _label(label: QLabel) -> list[str]:
    if not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        return []
    room = label.contentsRect()
    if label.wordWrap():
        need_height = label.heightForWidth(label.width())
        if need_height > label.height() + SLACK:
            return [f"{describe(label)} 折行后需要高 {need_height}，只有 {label.height()}（文字重叠或被截断）"]
        return []
    need = label.minimumSizeHint()
    if need.width() > label.width() + SLACK or need.height() > label.height() + SLACK:
        return [f"{describe(label)} 被截断（{room.width()}×{room.height()}，需要 {need.width()}×{need.height()}）"]
    return []


def _button(button: QAbstractButton) -> list[str]:
    text = button.text().replace("&", "")
    if not text or (isinstance(button, QToolButton) and button.toolButtonStyle() == Qt.ToolButtonIconOnly):
        return []
    style = button.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
    frame = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, button)
    icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
    lines = text.split("\n")
    need = max(button.fontMetrics().horizontalAdvance(line) for line in lines) + icon + margin + 2 * frame
    if need > button.width() + SLACK:
        return [f"{describe(button)} 的文字被截断（宽 {button.width()}，需要 {need}）"]
    return []


def _tabs(bar: QTabBar) -> list[str]:
    problems = []
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect = bar.tabRect(index)
        if rect.right() > bar.width() + SLACK or rect.bottom() > bar.height() + SLACK or rect.left() < -SLACK:
            problems.append(f"标签页「{bar.tabText(index)}」放不下，要点箭头才能看到")
        elif bar.elideMode() != Qt.ElideNone and rect.width() + SLACK < bar.tabSizeHint(index).width():
            problems.append(f"标签页「{bar.tabText(index)}」的名称被截断")
    return problems


def _header(header: QHeaderView) -> list[str]:
    """Column titles narrower than their words (the 考核表 showed 主管部匚 for 主管部门)."""
    model = header.model()
    if model is None or header.orientation() != Qt.Horizontal:
        return []
    problems = []
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        need = title_width(header, logical, spare=0)
        if header.sectionSize(logical) + SLACK < need:
            text = str(model.headerData(logical, Qt.Horizontal, Qt.DisplayRole)).replace("\n", " ")
            problems.append(f"表头「{text}」被截断（列宽 {header.sectionSize(logical)}，需要 {need}）")
    return problems


def _combo(combo: QComboBox) -> list[str]:
    """The current text against the width Qt itself would give a combo box showing it. A picker's
    MiddleElidedCombo loses the middle of a long line by design (the whole line is its tip): it is cut
    only when the name at its start or the month of birth at its end is not read whole."""
    from ui.widgets.cadre_picker import MiddleElidedCombo

    text = combo.currentText()
    if not text or combo.isEditable():
        return []
    if isinstance(combo, MiddleElidedCombo):
        shown, words = combo.shown_text(), text.split()
        if shown.startswith(words[0]) and shown.endswith(words[-1]):
            return []
        return [f"{describe(combo)} 的文字被截断（宽 {combo.width()}，只显示「{shown}」）"]
    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.currentText = text
    metrics = combo.fontMetrics()
    content = QSize(metrics.boundingRect(text).width(), metrics.height())  # as Qt sizes a combo: the ink
    if not combo.itemIcon(combo.currentIndex()).isNull():
        content.setWidth(content.width() + combo.iconSize().width() + 4)
    need = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, content, combo).width()
    if need > combo.width() + SLACK:
        return [f"{describe(combo)} 的文字被截断（宽 {combo.width()}，需要 {need}）"]
    return []
