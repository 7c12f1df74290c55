"""Filter combos of the pages: "全部…" first, then the choices (unit tree indented), the current choice kept
across a refill without firing a change; a cadre's postings as the choices of a 关联锻炼岗位 box."""

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

    return [("　" * max(0, u.depth) + u.name, u.id) for u in units.reachable_units(listed)]


def own_unit_items(listed: list | None = None) -> list[tuple[str, int]]:
    """``unit_items`` of the units the operator's cadres are in (``units.scoped_units``): not the units
    above theirs — where a unit chosen picks cadres to act on (下发 to a unit). Indented from the topmost
    offered."""
    from cadre_desk.units import units

    offered = units.scoped_units(listed)
    top = min((u.depth for u in offered), default=0)
    return [("　" * max(0, u.depth - top) + u.name, u.id) for u in offered]


def chosen_texts(*boxes: QComboBox) -> list[str]:
    """What each box that has a choice shows, without the tree's indent (市财政局, 诫勉), for saying a
    list's choice in words (``cadre_desk.domain.text.choice_words``)."""
    return [box.currentText().strip(" 　└├─") for box in boxes if box.currentData()]


def unit_filter(all_text: str = "全部单位", width: int = 160) -> QComboBox:
    """A unit filter: 全部单位, then the tree."""
    box = QComboBox()
    box.setMinimumWidth(width)
    refill(box, all_text, unit_items())
    return box


NO_POSTING = "（不关联）"


def posting_items(cadre_id: int | None) -> list[tuple[str, int]]:
    """A cadre's postings as combo items (乡村振兴·驻村工作队员（在岗，2026.03.07起）, the posting id as data), for
    a 关联锻炼岗位 box that starts with NO_POSTING (``refill``); none without a cadre."""
    from cadre_desk.domain.dates import format_date
    from cadre_desk.postings import postings

    if not cadre_id:
        return []
    return [(f"{info.line_name}·{info.post_name}（{info.state}，{format_date(info.start)}起）", info.id)
            for info in postings.postings_for_cadre(cadre_id)]
