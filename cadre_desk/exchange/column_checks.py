"""The cells of a batch of roster rows cleaned column by column, each distinct value once.

A roster's columns repeat (性别, 民族, dates, codes) or are plain text (姓名, 籍贯, 现任职务); a
column's cells are cleaned together: a repeating column through a memo kept for the whole file,
a text column with the string methods over the whole column at once (no Python code per cell),
身份证号 parsed once per number. What a cell comes to is exactly what the row-by-row check
(row_checks._values_from_raw, then the registry's validators) makes of it; a cell that check would
have something to say about — a value refused, control characters, a number where a 身份证号 should
be, a text too long — marks its row for that check, which then says it as it always has.

    cleaner = ColumnCleaner(options)
    prepared = cleaner.clean(rows, mapping)     # per row: Prepared(values, hints) or None
"""

from __future__ import annotations

import re
from functools import partial
from itertools import compress, repeat, zip_longest
from operator import attrgetter, is_not
from typing import Any, NamedTuple

from cadre_desk.domain.citizen_id import CitizenId, parse_all
from cadre_desk.domain.fields import BY_KEY, FieldSpec
from cadre_desk.domain.validation import clean_one
from cadre_desk.exchange.cells import CONTROL_CHARACTERS, CellRefused, cell_value
from cadre_desk.exchange.plan import ImportOptions, ImportRow

# A cell the row-by-row check must see (it has a message about it). A row with one is checked whole
# that way.
OTHERWISE = object()

# Kinds whose values repeat down a column: their cleaning is remembered for the whole file.
_REPEATING = frozenset(("code", "codes", "date", "party", "year", "number"))
_SHORT: dict[str, str] = {}  # dates and codes: one string object per distinct value
_PLAIN = frozenset((str, int, float, type(None)))
_CELLS = attrgetter("cells")
_NOT_NONE = partial(is_not, None)
_new_tuple = tuple.__new__  # a NamedTuple made from the C side: no Python call per row
_PHONES = re.compile(r"[0-9+\-() ]{3,20}(?:\n[0-9+\-() ]{3,20})*")  # validation.clean_one's rule, a column at once


class Hinted(NamedTuple):
    """A cell taken with a warning: a code-table cell read as the name the table suggests (汉 → 汉族,
    ``accept_suggestions``), or a two-digit year read as a full one (86.05 → 1986.05, no ``hint``)."""

    value: str
    hint: str
    warning: str


class Prepared(NamedTuple):
    """A row's cells, all clean: the values by key (non-empty only, as the row check keeps them),
    the suggestions taken, and the 身份证号 parsed."""

    values: dict[str, Any]
    hints: tuple[tuple[str, Hinted], ...]
    citizen: CitizenId | None


class ColumnCleaner:
    """One per check of a file (its options): the memos of the repeating columns."""

    def __init__(self, options: ImportOptions) -> None:
        self.options = options
        self.memos: dict[str, dict] = {}

    def clean(self, rows: list[ImportRow], mapping: tuple) -> list[Prepared | None]:
        """Per row its Prepared cells, or None where the row-by-row check must look at a cell."""
        keys: list[str] = []
        columns: list[list] = []
        hints: dict[int, list] = {}
        refused: set[int] = set()
        citizens: dict[str, CitizenId] = {}
        by_column = list(zip_longest(*map(_CELLS, rows)))  # the batch's columns, short rows padded
        for index, key in mapping:
            spec = BY_KEY.get(key)
            if spec is None or spec.kind == "unit":
                continue
            raws = by_column[index] if index < len(by_column) else (None,) * len(rows)
            outcomes = self._column(spec, raws, citizens)
            if not set(map(type, outcomes)) <= _PLAIN:
                for n, value in enumerate(outcomes):
                    if value is OTHERWISE:
                        refused.add(n)
                        outcomes[n] = None
                    elif value.__class__ is Hinted:
                        hints.setdefault(n, []).append((key, value))
                        outcomes[n] = value.value
            keys.append(key)
            columns.append(outcomes)
        # each row's non-empty values by key (clean values are never falsy: empty ones are None), the
        # batch's rows at once through the C iterators (a loop over the rows took a tenth of the check)
        cells = list(zip(*columns, strict=True)) if columns else [()] * len(rows)
        values = list(map(dict, map(compress, map(zip, repeat(keys), cells), cells)))
        taken = [()] * len(rows)
        for n, hinted in hints.items():
            taken[n] = tuple(hinted)
        parsed = map(citizens.get, map(dict.get, values, repeat("id_number")))  # (None: no number)
        out: list[Prepared | None] = list(map(_new_tuple, repeat(Prepared), zip(values, taken, parsed, strict=True)))
        for n in refused:
            out[n] = None
        return out

    # ---- one column ---------------------------------------------------------------------------------
    def _column(self, spec: FieldSpec, raws: list, citizens: dict[str, CitizenId]) -> list:
        if spec.kind in _REPEATING:
            memo = self.memos.setdefault(spec.key, {})
        else:
            fast = _plain_text_column(spec, raws)
            if fast is not None:
                if spec.kind == "id_number":
                    return _parsed_numbers(fast, citizens)
                return fast
            memo = {}  # values seldom repeat: remembered for this batch only
        for raw in set(raws).difference(memo):
            memo[raw] = self._cell(spec, raw)
        outcomes = list(map(memo.__getitem__, raws))
        if spec.kind == "id_number":
            return _parsed_numbers(outcomes, citizens)
        return outcomes

    def _cell(self, spec: FieldSpec, raw: Any) -> Any:
        """One cell as the row-by-row check takes it: the clean value (None when empty), a Hinted
        value, or OTHERWISE when that check has something to say about it."""
        if raw is None or raw == "":
            return None
        if spec.kind == "id_number" and isinstance(raw, float) and raw > 1e15:
            return OTHERWISE  # 身份证号 stored as a number: digits lost
        try:
            value, hint, stripped, warning = cell_value(spec, raw)
        except CellRefused:
            return OTHERWISE
        if stripped:
            return OTHERWISE
        if hint:
            if not self.options.accept_suggestions:
                return OTHERWISE  # the name is refused, the suggestion offered
            warning = f"{spec.label}“{value}”按“{hint}”导入"
            value = hint
        if value is None or value == "":
            return None
        try:
            clean = clean_one(spec, value)
        except ValueError:
            return OTHERWISE
        if spec.max_length and clean.__class__ is str and len(clean) > spec.max_length:
            return OTHERWISE
        if not clean:
            # nothing; a 0 would be left out where a row's values are gathered: that row goes row by row
            return None if clean is None or clean == "" else OTHERWISE
        if clean == value:
            clean = value  # the cell's own string: one copy per value in memory
        elif clean.__class__ is str and len(clean) <= 8:
            clean = _SHORT.setdefault(clean, clean)
        return Hinted(clean, hint or "", warning) if warning else clean


def _plain_text_column(spec: FieldSpec, raws: list) -> list | None:
    """A column of plain strings (no control characters, none too long) cleaned with the string
    methods over the whole column; None when it is not such a column (the cells go one by one)."""
    kind = spec.kind
    if kind not in ("text", "longtext", "id_number", "phone"):
        return None
    present = list(filter(_NOT_NONE, raws))
    if not set(map(type, present)) <= {str}:
        return None
    joined = "\n".join(present)
    if CONTROL_CHARACTERS.search(joined) is not None:
        return None
    if kind == "longtext":  # strip, line ends as \n
        cleaned = list(map(str.strip, map(str.replace, present, repeat("\r\n"), repeat("\n"))))
    elif kind == "id_number":
        if not joined.isascii():  # full-width digits and ｘ: one by one
            return None
        cleaned = list(map(str.upper, map("".join, map(str.split, present))))
    elif kind == "phone":
        if not joined.isascii():
            return None
        cleaned = list(map(" ".join, map(str.split, present)))
        numbers = "\n".join(filter(None, cleaned))
        if numbers and _PHONES.fullmatch(numbers) is None:  # one of them refused: one by one
            return None
    else:  # runs of spaces as one
        cleaned = list(map(" ".join, map(str.split, present)))
        if spec.key == "name" and any(map(str.__ne__, cleaned, map("".join, map(str.split, present)))):
            return None  # a name with spaces (张  三, or Latin letters): clean_name decides
    if spec.max_length and max(map(len, cleaned), default=0) > spec.max_length:
        return None
    if cleaned == present and "" not in present:  # nothing to clean (the usual column): the cells themselves
        out = present
    else:
        out = [(raw if clean == raw else clean) or None for raw, clean in zip(present, cleaned, strict=True)]
    if len(present) == len(raws):  # a column without empty cells
        return out
    taken = iter(out)
    return [None if raw is None else next(taken) for raw in raws]


def _parsed_numbers(outcomes: list, citizens: dict[str, CitizenId]) -> list:
    """身份证号 cells with their numbers parsed once each (into ``citizens``); a number the parser
    refuses goes to the row-by-row check, which says why."""
    new = set(outcomes).difference(citizens)
    new.discard(None)
    new.discard(OTHERWISE)
    refused = set()
    for number, parsed in parse_all(new).items():
        if parsed.__class__ is CitizenId:
            citizens[number] = parsed
        else:
            refused.add(number)
    if not refused:
        return outcomes
    return [OTHERWISE if value in refused else value for value in outcomes]
