"""Filter combos of the pages: "全部…" first, then the choices (unit tree indented), the current choice kept
across a refill without firing a change."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox


def refill(box: QComboBox, all_text: str, items: Iterable[tuple[str, object]]) -> None:
    """``all_text`` (data None), then ``items`` (text, data); the current data stays chosen if still there."""
    current = box.currentData()
    with QSignalBlocker(box):
        box.clear()
        box.addItem(all_text, None)
        for text, data in items:
            box.addItem(text, data)
        box.setCurrentIndex(max(box.findData(current), 0))


def unit_items(listed: list | None = None) -> list[tuple[str, int]]:
    """The unit tree (``listed``: the units in tree order, parents first; default every unit) as combo
    items: each name indented by its depth, the unit id as data. For an operator of some units, those
    units and the ones above them: the others could only filter to nothing."""
    from cadre_desk.units import units

    listed = units.list_units() if listed is None else listed
    reachable = units.reachable_ids(listed)
    return [("　" * max(0, u.depth) + u.name, u.id) for u in listed if reachable is None or u.id in reachable]


def unit_filter(all_text: str = "全部单位", width: int = 160) -> QComboBox:
    """A unit filter: 全部单位, then the tree."""
    box = QComboBox()
    box.setMinimumWidth(width)
    refill(box, all_text, unit_items())
    return box
