"""Reading cadres through the operator's scope: the one way a list, a picker, a statistic, an export
or a printed form gets its cadres.

Whatever is asked, only cadres in the operator's units come back; asking for named cadres of which
some are outside the scope is refused (PermissionDenied naming them), never silently shortened."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from cadre_desk.access import permissions, scope

_CHUNK = 900  # ids per IN (…) query (SQLite's variable limit is 999 on old builds)


@dataclass(frozen=True)
class CadreBrief:
    """A cadre as a picker or a name column shows it."""

    id: int
    name: str
    unit_id: int | None = None
    unit_name: str = ""
    position: str = ""
    birth: str = ""
    gender: str = ""
    status: str = ""


def _field(key: str):
    from cadre_desk.store.models import Cadre

    return Cadre.unit if key == "unit" else getattr(Cadre, key)


def _scoped(query, action: str):
    """``query`` over Cadre limited to the operator's units. A list for reading comes back empty to
    an operator who may not read cadres (系统管理员, 安全审计员); any other action (an export, a
    print) is refused outright when the roles do not allow it."""
    from cadre_desk.store.models import Cadre

    current = scope.current()
    if action != permissions.READ:
        current.require(action)
    return current.restrict(query, unit=Cadre.unit)


def cadre_ids(*, action: str = permissions.READ, status: str | None = None) -> list[int]:
    """Every cadre the operator may ``action`` (with this status code), in unit-tree order then id:
    those in scope, less their own and relatives' files when printing or editing (回避)."""
    from cadre_desk.store.models import Cadre, Unit

    query = Cadre.select(Cadre.id).join(Unit, on=(Cadre.unit == Unit.id)).order_by(Unit.path, Cadre.id)
    if status:
        query = query.where(Cadre.status == status)
    ids = [i for (i,) in _scoped(query, action).tuples()]
    current = scope.current()
    if current.avoided and action in (permissions.EDIT, permissions.PRINT):
        ids = [i for i in ids if current.avoidance(action, i) is None]
    return ids


def count_cadres(*, status: str | None = None) -> int:
    from cadre_desk.store.models import Cadre

    query = Cadre.select()
    if status:
        query = query.where(Cadre.status == status)
    return _scoped(query, permissions.READ).count()


def cadre_rows(keys: Sequence[str], ids: Sequence[int] | None = None, *, action: str = permissions.READ,
               status: str | None = None) -> Iterator[tuple]:
    """(id, *values of ``keys``) per cadre: of ``ids`` in their order (refused when any is outside the
    scope or 回避 applies to ``action``), or of every cadre in scope in unit-tree order. Raw stored
    values (codes, dates as 198605, unit ids); read on the driver's cursor 2,000 rows at a time."""
    from cadre_desk.store.db import database
    from cadre_desk.store.models import Cadre, Unit

    fields = [Cadre.id, *(_field(k) for k in keys)]
    if ids is None:
        query = Cadre.select(*fields).join(Unit, on=(Cadre.unit == Unit.id)).order_by(Unit.path, Cadre.id)
        if status:
            query = query.where(Cadre.status == status)
        sql, params = _scoped(query, action).sql()
        cursor = database.execute_sql(sql, params)  # peewee's row wrapping triples the time at 100,000
        while True:
            batch = cursor.fetchmany(2000)
            if not batch:
                return
            yield from batch
    wanted = list(ids)
    scope.current().require_each(action, wanted)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        query = Cadre.select(*fields).where(Cadre.id.in_(chunk))
        if status:
            query = query.where(Cadre.status == status)
        rows = {row[0]: row for row in database.execute(query)}  # the driver's tuples, as above
        for cadre_id in chunk:
            if cadre_id in rows:
                yield rows[cadre_id]


def cadre_counts(keys: Sequence[str], *, status: str | None = None) -> list[tuple]:
    """(*raw values of ``keys``, number of cadres) for each combination of values found among the
    cadres in scope (with this status code), counted by the database: the 工作台's and the statistics'
    figures. Birth, gender and 学历 of serving cadres come from one index (migration 11), 100,000 cadres
    in ~20 ms."""
    from peewee import SQL, fn

    from cadre_desk.store.db import database
    from cadre_desk.store.models import Cadre

    fields = [_field(k) for k in keys]
    query = Cadre.select(*fields, fn.COUNT(SQL("*"))).group_by(*fields)
    if status:
        query = query.where(Cadre.status == status)
    return database.execute(_scoped(query, permissions.READ)).fetchall()


def _brief_query():
    from cadre_desk.store.models import Cadre, Unit

    return (Cadre.select(Cadre.id, Cadre.name, Cadre.unit, Unit.name, Cadre.position, Cadre.birth,
                         Cadre.gender, Cadre.status)
            .join(Unit, on=(Cadre.unit == Unit.id)))


def find_cadres(text: str = "", limit: int = 50, *, status: str | None = None,
                exclude: Iterable[int] = ()) -> list[CadreBrief]:
    """Cadres in scope whose name, pinyin initials, 身份证号 or position contain ``text``, by pinyin
    initials (``limit`` 0: all of them)."""
    from cadre_desk.store.models import Cadre

    query = _brief_query().order_by(Cadre.name_initials, Cadre.id)
    text = "".join((text or "").split())
    if text:
        query = query.where(Cadre.name.contains(text) | Cadre.name_initials.startswith(text.lower())
                            | Cadre.id_number.startswith(text.upper()) | Cadre.position.contains(text))
    if status:
        query = query.where(Cadre.status == status)
    skip = set(exclude)
    if skip:
        query = query.where(Cadre.id.not_in(sorted(skip)))
    if limit:
        query = query.limit(limit)
    return [CadreBrief(*row) for row in _scoped(query, permissions.READ).tuples()]


def cadre_briefs(ids: Iterable[int]) -> dict[int, CadreBrief]:
    """id → brief of those ``ids`` that are in scope (the others are left out, not refused: a name
    column of a mixed list shows only what the operator may see)."""
    from cadre_desk.store.models import Cadre

    wanted = list(dict.fromkeys(ids))
    out: dict[int, CadreBrief] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = _brief_query().where(Cadre.id.in_(wanted[start:start + _CHUNK]))
        out.update((row[0], CadreBrief(*row)) for row in _scoped(query, permissions.READ).tuples())
    return out


def visible_ids(ids: Iterable[int]) -> set[int]:
    """Those of ``ids`` the operator may see (existing cadres in scope)."""
    from cadre_desk.store.models import Cadre

    wanted = list(dict.fromkeys(ids))
    current = scope.current()
    if current.role_refusal(permissions.READ):
        return set()
    out: set[int] = set()
    for start in range(0, len(wanted), _CHUNK):
        query = Cadre.select(Cadre.id).where(Cadre.id.in_(wanted[start:start + _CHUNK]))
        out.update(i for (i,) in current.restrict(query, unit=Cadre.unit).tuples())
    return out


class NameSource(Protocol):
    """Names the window already holds: the roster's CadreIndex (profiles.cadre_list), its rows read within
    the scope of the operator it names (profiles.cadres.list_rows)."""

    loaded_for: object  # the Operator it was loaded for

    def names(self, ids: Iterable[int]) -> dict[int, str]: ...

    def with_names(self, rows: Sequence[tuple], at: int) -> list[tuple] | None:
        """``rows`` each with its cadre's name inserted at ``at`` (the cadre's id is the column just before),
        in order; None unless it has the name of every one of those cadres (then ``names`` is asked)."""


_NAME_SOURCE: ContextVar[NameSource | None] = ContextVar("cadre_name_source", default=None)


@contextlib.contextmanager
def names_from(source: NameSource | None):
    """Within the block (this thread), ``cadre_names`` and ``named_rows`` take names from ``source``
    where it has them (home.reminders.collect: the 工作台's reminders)."""
    token = _NAME_SOURCE.set(source)
    try:
        yield
    finally:
        _NAME_SOURCE.reset(token)


def _name_source() -> NameSource | None:
    """The roster index in force (``names_from``) when it was loaded for the operator working now."""
    from cadre_desk.access.context import current_operator

    source = _NAME_SOURCE.get()
    return source if source is not None and source.loaded_for == current_operator() else None


def cadre_names(ids: Iterable[int]) -> dict[int, str]:
    """id → name of those ``ids`` the operator may see (the others left out, not refused: a text naming
    cadres of rows already chosen by their scope): from the roster index in force where it has them,
    the rest read, one query per 900."""
    from cadre_desk.store.models import Cadre

    wanted = list(dict.fromkeys(ids))
    current = scope.current()
    if current.role_refusal(permissions.READ):
        return {}
    source = _name_source()
    out = source.names(wanted) if source is not None else {}
    rest = [i for i in wanted if i not in out] if out else wanted
    for start in range(0, len(rest), _CHUNK):
        query = Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(rest[start:start + _CHUNK]))
        out.update(current.restrict(query, unit=Cadre.unit).tuples())
    return out


def named_rows(query, cadre) -> list[tuple]:
    """The rows of ``query`` over records that belong to cadres (postings, talks…; ``cadre`` its cadre
    field, one of its columns; the query does not join the cadre table itself) whose cadre the operator
    may see, each with the cadre's name right after the cadre's id: plain tuples from the driver, in the
    query's order. For an operator of every unit,
    names from the roster index in force (``names_from``): the 工作台's 8,500 reminders then read no wide
    cadre row (a page each, ~1.7 µs a row). Otherwise the cadre table is joined, as a list of records has
    always read them: a limited operator's rows are kept by their cadres' units in the same step, cheaper
    than a subquery of every cadre in scope."""
    from cadre_desk.store.db import database
    from cadre_desk.store.models import Cadre

    current = scope.current()
    columns = list(query.selected_columns)
    at = next(i for i, column in enumerate(columns) if column is cadre) + 1  # where the name goes
    source = _name_source() if current.every_unit else None
    if source is None:
        joined = (query.select(*columns[:at], Cadre.name, *columns[at:])
                  .join_from(cadre.model, Cadre, on=(cadre == Cadre.id)))
        return database.execute(current.restrict(joined, unit=Cadre.unit)).fetchall()  # by the cadres' units
    rows = database.execute(query).fetchall()  # every unit: no condition
    named = source.with_names(rows, at)  # in one step: no dict of names made, then each row again
    if named is not None:
        return named
    names = source.names(row[at - 1] for row in rows)
    if len(names) < len(rows) and any(row[at - 1] not in names for row in rows):  # cadres new since it loaded
        names.update(cadre_names(row[at - 1] for row in rows if row[at - 1] not in names))
    return [row[:at] + (names[row[at - 1]],) + row[at:] for row in rows if row[at - 1] in names]
