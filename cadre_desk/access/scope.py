"""The operator's scope, worked out once: what their roles allow, the units whose cadres they may
touch, and the cadres they must stay away from (回避: their own file and their relatives' — not edited nor printed,
and their restricted 提醒 / 函询 / 诫勉 records not even read: AVOIDED_READS).

Every check of an action on cadre data and every query that lists cadres (or rows that belong to
cadres: postings, pairs, sheet members…) takes its condition from here, so a page, a report and a
command line all see the same cadres. Checking thousands of cadres costs one query per 500 of them
(their units); 回避 is a set looked up, not a query per cadre.

The scope is worked out at the operator's first action (a few queries; the 回避 part reads the family
records once) and kept per operator and database. The services that change units call
``units_changed()``, those that save or delete profiles ``cadres_changed(ids)`` (回避 worked out again
for those cadres alone), an import of many ``changed()``. A command line run is a process of its own;
the window holds the database alone (instance lock)."""

from __future__ import annotations

import functools
import operator as _op
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from cadre_desk.access import actions
from cadre_desk.access.context import Operator, current_operator
from cadre_desk.access.roles import CADRE_ACTIONS, EVERY_ACTION, actions_of
from cadre_desk.domain.errors import PermissionDenied

_CHUNK = 500  # ids per IN (…) query

OUT_OF_SCOPE = "该干部不在您负责的单位范围内。"
# How a cadre outside the operator's units is named where a record in scope refers to them (the mentor
# of a mentee in scope, the 指导人 of a posting): the record is theirs, the other person is not.
OTHER_UNIT_CADRE = "（其他单位干部）"
UNIT_OUT_OF_SCOPE = "该单位不在您负责的单位范围内。"
READONLY_DB = "数据库以只读方式打开，不能修改。"
READONLY_OUTPUT = "数据库以只读方式打开，无法记入审计日志，不能打印或导出。"


# Actions on records whose very reading follows 回避 (the restricted 提醒 / 函询 / 诫勉 records): the
# operator never sees, counts, adds or changes those of their own file or a relative's.
AVOIDED_READS = frozenset({actions.SUPERVISE})


def _avoid_message(action: str, relation: str, doing: str = "") -> str:
    """The one wording of a 回避 refusal; ``doing``: what the operator was doing (查阅, 登记, 修改, 删除 …),
    else what ``action`` stands for."""
    if action in AVOIDED_READS:
        return f"按回避规定，不能{doing or '查阅或登记'}{relation}的干部监督记录。"
    what = doing or ("编辑" if action == actions.EDIT else "打印")
    return f"按回避规定，不能{what}{relation}的干部档案。"


@dataclass(frozen=True)
class Scope:
    """What one operator may do and see. Plain data; build it with ``of(operator)``."""

    operator: Operator
    actions: frozenset[str]  # what the roles allow (every action for a database without accounts)
    units: frozenset[int] | None = None  # unit ids whose cadres may be touched; None = every unit
    # cadre id → "本人" / "亲属" (回避); None until first needed (it reads the family records: worked
    # out off the GUI thread by ``warm()`` when the cadre list loads)
    known_avoided: Mapping[int, str] | None = field(default=None, repr=False, compare=False)
    blocked: str | None = None  # a refusal of everything ("请先登录。")
    readonly_db: bool = False

    @property
    def avoided(self) -> Mapping[int, str]:
        """cadre id → "本人" / "亲属": the files the operator must stay away from (回避)."""
        if self.known_avoided is None:
            with _avoid_lock:
                if self.known_avoided is None:
                    object.__setattr__(self, "known_avoided", avoided_cadres(self.operator))
        return self.known_avoided

    # ---- one action ------------------------------------------------------------------------------

    @property
    def every_unit(self) -> bool:
        return self.units is None

    def permits(self, action: str) -> bool:
        """Do the operator's roles allow ``action`` at all (on some cadre)?"""
        return self.role_refusal(action) is None

    def role_refusal(self, action: str) -> str | None:
        if action in (actions.EDIT, actions.ADMIN) and self.readonly_db:
            return READONLY_DB
        if action in (actions.EXPORT, actions.PRINT) and self.readonly_db:
            return READONLY_OUTPUT  # every export and print has its audit row: none can be written
        if self.blocked:
            return self.blocked
        if action in self.actions:
            return None
        roles = "、".join(sorted(self.operator.roles))
        if action in CADRE_ACTIONS and not self.actions & CADRE_ACTIONS:
            return f"{roles}不能接触干部数据（三员分立）。"
        return f"当前角色（{roles}）无权{actions.ACTION_LABELS.get(action, action)}。"

    def covers_unit(self, unit_id: int | None) -> bool:
        return self.units is None or unit_id in self.units

    def shown_name(self, name: str, unit_id: int | None) -> str:
        """``name`` of a cadre in unit ``unit_id`` as this operator may see it: the name in scope,
        OTHER_UNIT_CADRE outside it."""
        if not name or self.units is None or unit_id in self.units:
            return name
        return OTHER_UNIT_CADRE

    def avoidance(self, action: str, cadre_id: int, doing: str = "") -> str | None:
        """The 回避 refusal of ``action`` on this cadre (editing or printing one's own or a relative's file;
        anything at all on their restricted records, AVOIDED_READS), worded by ``doing`` (_avoid_message)."""
        if action in (actions.EDIT, actions.PRINT) or action in AVOIDED_READS:
            relation = self.avoided.get(cadre_id)
            if relation:
                return _avoid_message(action, relation, doing)
        return None

    def refusal(self, action: str, *, unit_id: int | None = None, cadre_id: int | None = None,
                doing: str = "") -> str | None:
        """Why ``action`` is refused (on this unit / cadre), in Chinese; None when it is allowed. ``doing``:
        how a 回避 refusal names what was being done (删除 …)."""
        refused = self.role_refusal(action)
        if refused or action not in CADRE_ACTIONS:
            return refused
        if unit_id is not None and not self.covers_unit(unit_id):
            return OUT_OF_SCOPE if cadre_id is not None else UNIT_OUT_OF_SCOPE
        if cadre_id is not None:
            if self.units is not None:
                unit = units_of([cadre_id]).get(cadre_id)
                if unit is not None and unit not in self.units:
                    return OUT_OF_SCOPE
            return self.avoidance(action, cadre_id, doing)
        return None

    def require(self, action: str, *, unit_id: int | None = None, cadre_id: int | None = None,
                doing: str = "") -> None:
        refused = self.refusal(action, unit_id=unit_id, cadre_id=cadre_id, doing=doing)
        if refused:
            raise PermissionDenied(refused)

    # ---- many cadres at once -----------------------------------------------------------------------

    def refusals(self, action: str, cadre_ids: Iterable[int]) -> dict[int, str]:
        """cadre id → why ``action`` on it is refused, for the refused ones only. One query per 500
        cadres (their units); cadres that do not exist are left out."""
        ids = list(dict.fromkeys(cadre_ids))
        refused = self.role_refusal(action)
        if refused:
            return dict.fromkeys(ids, refused)
        if action not in CADRE_ACTIONS:
            return {}
        out: dict[int, str] = {}
        if self.units is not None:
            units = units_of(ids)
            out = {i: OUT_OF_SCOPE for i, u in units.items() if u not in self.units}
        for cadre_id in ids:
            if cadre_id not in out:
                avoided = self.avoidance(action, cadre_id)
                if avoided:
                    out[cadre_id] = avoided
        return out

    def require_each(self, action: str, cadre_ids: Iterable[int], names: Mapping[int, str] | None = None) -> None:
        """PermissionDenied naming (up to five of) the cadres ``action`` is refused on."""
        refused = self.refusals(action, cadre_ids)
        if not refused:
            return
        reasons: dict[str, list[int]] = {}
        for cadre_id, why in refused.items():
            reasons.setdefault(why, []).append(cadre_id)
        why, ids = next(iter(reasons.items()))
        if len(refused) == 1 and names is None:
            raise PermissionDenied(why)
        if names is None:
            names = cadre_names(ids[:5])
        shown = "、".join(names.get(i) or f"编号{i}" for i in ids[:5])
        more = f"等 {len(ids)} 人" if len(ids) > 5 else ""
        raise PermissionDenied(f"{shown}{more}：{why}")

    def allowed_ids(self, action: str, cadre_ids: Iterable[int]) -> list[int]:
        """The ids (in the order given) ``action`` is allowed on."""
        ids = list(dict.fromkeys(cadre_ids))
        refused = self.refusals(action, ids)
        return [i for i in ids if i not in refused]

    def unreadable(self, cadre_ids: Iterable[int]) -> int:
        """How many of ``cadre_ids`` the operator may not even read. A group (a 考核表, a round of 提醒单)
        that reaches them is refused as a whole by this count alone: they are counted, never named
        (require_each would name them)."""
        ids = list(dict.fromkeys(cadre_ids))
        return len(ids) - len(self.allowed_ids(actions.READ, ids))

    # ---- conditions for queries --------------------------------------------------------------------

    def unit_condition(self, unit_field):
        """A WHERE condition keeping rows whose unit is in scope; None when every unit is."""
        if self.units is None:
            return None
        return unit_field.in_(sorted(self.units))

    def cadre_condition(self, cadre_field):
        """A WHERE condition keeping rows (postings, pairs, records…) whose cadre is in scope."""
        from cadre_desk.store.models import Cadre

        if cadre_field is Cadre.id:
            return self.unit_condition(Cadre.unit)
        units = self.unit_condition(Cadre.unit)
        if units is None:
            return None
        return cadre_field.in_(Cadre.select(Cadre.id).where(units))

    def restrict(self, query, *, unit=None, cadre=None, action: str | None = None):
        """``query`` limited to the scope through its unit field or its cadre field; for the records of an
        action whose reading follows 回避 (AVOIDED_READS), without those of the cadres avoided too."""
        condition = self.unit_condition(unit) if unit is not None else self.cadre_condition(cadre)
        if condition is not None:
            query = query.where(condition)
        hidden = self.hidden_cadres(action)
        if hidden and cadre is not None:
            query = query.where(cadre.not_in(sorted(hidden)))
        return query

    def hidden_cadres(self, action: str | None) -> frozenset[int]:
        """The cadres whose records of ``action`` the operator may not even see (回避), empty for most actions."""
        if action not in AVOIDED_READS:
            return frozenset()
        return frozenset(self.avoided)


# ---- queries the scope needs ---------------------------------------------------------------------


def units_of(cadre_ids: Iterable[int]) -> dict[int, int]:
    """cadre id → unit id, one query per 500 cadres (cadres that do not exist are left out)."""
    from cadre_desk.store.models import Cadre

    ids = list(dict.fromkeys(cadre_ids))
    out: dict[int, int] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        out.update(Cadre.select(Cadre.id, Cadre.unit).where(Cadre.id.in_(chunk)).tuples())
    return out


def cadre_names(cadre_ids: Iterable[int]) -> dict[int, str]:
    from cadre_desk.store.models import Cadre

    ids = list(dict.fromkeys(cadre_ids))
    out: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        out.update(Cadre.select(Cadre.id, Cadre.name).where(Cadre.id.in_(ids[start:start + _CHUNK])).tuples())
    return out


def subtree_units(unit_ids: Iterable[int]) -> frozenset[int]:
    """The units and every unit below them."""
    from cadre_desk.store.models import Unit

    wanted = list(unit_ids)
    if not wanted:
        return frozenset()
    paths = [p for (p,) in Unit.select(Unit.path).where(Unit.id.in_(wanted)).tuples()]
    if not paths:
        return frozenset()
    condition = functools.reduce(_op.or_, (Unit.path.startswith(p) for p in paths))
    return frozenset(i for (i,) in Unit.select(Unit.id).where(condition).tuples())


def _norm(text: str | None) -> str:
    return (text or "").strip().upper()


def avoided_cadres(operator: Operator, among: list[int] | None = None) -> dict[int, str]:
    """cadre id → "本人" or "亲属" for the operator (linked to a cadre, or known by 身份证号): the
    cadre itself, the cadres whose family records list the operator, and the cadres the operator's own
    family records list (by 身份证号, or by 姓名 + 出生年月). A handful of queries for any number of
    cadres; ``among``: only these cadres (after they changed), by their indexes."""
    from peewee import fn

    from cadre_desk.store.models import Cadre, FamilyMember, id_number_is

    if operator.cadre_id is None and not _norm(operator.id_number):
        return {}
    if among is not None and not among:
        return {}

    def within(query, field):
        return query if among is None else query.where(field.in_(among))

    own = Cadre.get_or_none(Cadre.id == operator.cadre_id) if operator.cadre_id else None
    own_number = _norm(operator.id_number) or _norm(own.id_number if own else "")
    if own is None and own_number:
        own = Cadre.get_or_none(id_number_is(own_number))
    out: dict[int, str] = {}
    if own is not None and (among is None or own.id in among):
        out[own.id] = "本人"
    if own_number:
        query = within(Cadre.select(Cadre.id).where(id_number_is(own_number)), Cadre.id)
        out.update((i, "本人") for (i,) in query.tuples())
    # the family records of others that list the operator
    conditions = []
    if own_number:
        conditions.append(fn.UPPER(fn.TRIM(FamilyMember.id_number)) == own_number)
    if own is not None and own.birth:
        conditions.append((FamilyMember.name == own.name) & (fn.SUBSTR(FamilyMember.birth, 1, 6) == own.birth[:6]))
    if conditions:
        query = FamilyMember.select(FamilyMember.cadre).where(functools.reduce(_op.or_, conditions)).distinct()
        for (cadre_id,) in within(query, FamilyMember.cadre).tuples():
            out.setdefault(cadre_id, "亲属")
    # the cadres the operator's own family records list
    if own is not None:
        conditions = []
        for number, name, birth in (FamilyMember.select(FamilyMember.id_number, FamilyMember.name, FamilyMember.birth)
                                    .where(FamilyMember.cadre == own.id).tuples()):
            if _norm(number):
                conditions.append(id_number_is(_norm(number)))
            if name and birth:
                conditions.append((Cadre.name == name) & Cadre.birth.startswith(birth[:6]))
        if conditions:
            query = Cadre.select(Cadre.id).where(functools.reduce(_op.or_, conditions))
            for (cadre_id,) in within(query, Cadre.id).tuples():
                out.setdefault(cadre_id, "亲属")
    return out


# ---- the operator's scope, cached ----------------------------------------------------------------

_login_required = False


def require_login(required: bool) -> None:
    """Once accounts exist the window (and the command line) turn this on: from then on an operator
    who has not logged in (after a logout, say) may do nothing."""
    global _login_required
    _login_required = required
    changed()


def login_required() -> bool:
    return _login_required


def readonly_database() -> bool:
    from cadre_desk.store.db import is_readonly

    return is_readonly()


def build(operator: Operator) -> Scope:
    """Work the operator's scope out (a few queries)."""
    readonly = readonly_database()
    if not operator.roles:
        if operator.user_id is None and not _login_required:
            # no accounts (or a command run without them): the OS user may do everything
            return Scope(operator, EVERY_ACTION, readonly_db=readonly)
        blocked = "请先登录。" if operator.user_id is None else "当前用户没有任何角色。"
        return Scope(operator, frozenset(), frozenset(), blocked=blocked, readonly_db=readonly)
    actions = actions_of(operator.roles)
    if not actions & CADRE_ACTIONS:
        return Scope(operator, actions, frozenset(), readonly_db=readonly)
    units = subtree_units(operator.unit_scopes) if operator.unit_scopes else None
    return Scope(operator, actions, units, readonly_db=readonly)


_lock = threading.Lock()
_avoid_lock = threading.Lock()
_cache: dict[tuple, Scope] = {}  # (database, operator) → scope, the last few operators
_KEEP = 4
_generation = 0  # grows with every change: a scope worked out across a change is not kept


def _key(operator: Operator) -> tuple:
    from cadre_desk.store.db import database, is_readonly

    db = database.obj
    # the object itself (kept alive while cached: a freed one's id() is reused), its file and mode
    return (db, getattr(db, "database", None), is_readonly(db), operator)


def of(operator: Operator) -> Scope:
    """The operator's scope (worked out on first use, kept until the data it rests on changes)."""
    key = _key(operator)
    with _lock:
        hit = _cache.get(key)
        generation = _generation
    if hit is not None:
        return hit
    scope = build(operator)
    with _lock:
        if generation == _generation:
            _cache[key] = scope
            while len(_cache) > _KEEP:
                del _cache[next(iter(_cache))]
    return scope


def current() -> Scope:
    """The scope of the operator working now (the logged-in account, or the OS user)."""
    return of(current_operator())


def _patch(update) -> None:
    """Replace the cached scope by ``update(scope)`` (None: drop it, to be worked out again)."""
    global _generation
    with _lock:
        _generation += 1
        entries = list(_cache.items())
        _cache.clear()
    for key, scope in entries:
        patched = update(scope)
        if patched is not None:
            with _lock:
                _cache.setdefault(key, patched)


def warm() -> None:
    """Work out what the operator's first checks need, here (a worker thread) rather than at the first
    click: the 回避 part reads every family record (about a second at 100,000 cadres)."""
    current().avoided  # noqa: B018 - computed on first access


def changed() -> None:
    """Anything may have changed (an import of many cadres, another database): work scopes out again."""
    _patch(lambda scope: None)


def units_changed() -> None:
    """The unit tree changed: the units in scope are worked out again (回避 stays)."""
    def update(scope: Scope) -> Scope | None:
        if scope.units is None or not scope.operator.unit_scopes:
            return scope
        return replace(scope, units=subtree_units(scope.operator.unit_scopes))

    _patch(update)


def cadres_changed(cadre_ids: Iterable[int]) -> None:
    """These cadres were saved or deleted (name, 身份证号, family records may have changed): 回避 is
    worked out again for them alone, by their indexes; all of it when one is the operator's own file."""
    ids = list(dict.fromkeys(cadre_ids))

    def update(scope: Scope) -> Scope | None:
        operator = scope.operator
        if operator.cadre_id is None and not _norm(operator.id_number):
            return scope  # no identity: nothing to stay away from
        if scope.known_avoided is None:
            return scope  # not worked out yet: it will be, from the data as it is then
        if len(ids) > _CHUNK or operator.cadre_id in ids or any(scope.avoided.get(i) == "本人" for i in ids):
            return None
        avoided = {k: v for k, v in scope.avoided.items() if k not in ids}
        avoided.update(avoided_cadres(operator, among=ids))
        return replace(scope, known_avoided=avoided)

    _patch(update)
