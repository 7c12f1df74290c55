"""Frontline lines (战线) and their posts (锻炼岗位): configured by the organization department.

A line is retired, not deleted, once it has posts; a post's capacity never drops below its active
postings. Every change writes an audit row in its own transaction."""

from __future__ import annotations

from peewee import SQL, fn

from cadre_desk.access import permissions
from cadre_desk.domain import clock, codes
from cadre_desk.domain.dates import as_day, check_date
from cadre_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from cadre_desk.postings.posting_data import (
    ACTIVE_STATES,
    E_LINE,
    E_POST,
    HOST_TYPES,
    LineInfo,
    PostInfo,
    PostInput,
    host_label,
)
from cadre_desk.security import audit, conflicts
from cadre_desk.store.db import write_transaction
from cadre_desk.store.posting_models import FrontlineLine, Post, Posting

# Lines and posts are county-wide configuration kept by the organization department: an operator limited
# to some units sees them and posts cadres to them, but does not change them.
SHARED_CONFIG = "战线和岗位由组织部统一维护，只有管理全部单位的账号可以修改。"


def active_count_by_post() -> dict[int, int]:
    """post id → its active postings (拟选派 + 在岗)."""
    query = (Posting.select(Posting.post, fn.COUNT(SQL("*")))  # COUNT(*): from the index alone
             .where(Posting.state.in_(ACTIVE_STATES)).group_by(Posting.post).tuples())
    return dict(query)


def active_count(post_id: int) -> int:
    return Posting.select().where(Posting.post == post_id, Posting.state.in_(ACTIVE_STATES)).count()


# ---- lines --------------------------------------------------------------------------------------

def _line_info(row: FrontlineLine, post_count: int = 0) -> LineInfo:
    return LineInfo(row.id, row.name, row.default_months, bool(row.retired), row.version, row.sort_order,
                    post_count)


def list_lines(include_retired: bool = True) -> list[LineInfo]:
    counts = dict(Post.select(Post.line, fn.COUNT(Post.id)).group_by(Post.line).tuples())
    query = FrontlineLine.select().order_by(FrontlineLine.retired, FrontlineLine.sort_order, FrontlineLine.id)
    if not include_retired:
        query = query.where(FrontlineLine.retired == 0)
    return [_line_info(row, counts.get(row.id, 0)) for row in query]


def get_line(line_id: int) -> LineInfo:
    row = FrontlineLine.get_or_none(FrontlineLine.id == line_id)
    if row is None:
        raise NotFoundError("该战线不存在或已被删除。")
    return _line_info(row, Post.select().where(Post.line == line_id).count())


def _check_line(name: str, months: int, exclude: int | None = None) -> str:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写战线名称"
    elif len(name) > 40:
        errors["name"] = "战线名称不能超过 40 个字"
    else:
        query = FrontlineLine.select().where(FrontlineLine.name == name)
        if exclude is not None:
            query = query.where(FrontlineLine.id != exclude)
        if query.exists():
            errors["name"] = f"已有名为“{name}”的战线"
    if not isinstance(months, int) or not 1 <= months <= 60:
        errors["default_months"] = "默认锻炼期限应为 1–60 个月"
    if errors:
        raise ValidationError(errors)
    return name


def add_line(name: str, default_months: int = 6) -> LineInfo:
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        name = _check_line(name, default_months)
        order = (FrontlineLine.select(fn.MAX(FrontlineLine.sort_order)).scalar() or 0) + 1
        line_id = FrontlineLine.insert(name=name, default_months=default_months, sort_order=order).execute()
        audit.record(audit.CREATE, E_LINE, line_id, f"新增战线 {name}",
                     {"name": [None, name], "default_months": [None, default_months]})
    return get_line(line_id)


def update_line(line_id: int, version: int, name: str, default_months: int) -> LineInfo:
    """Rename a line and/or change its default posting length."""
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        old = get_line(line_id)
        name = _check_line(name, default_months, exclude=line_id)
        changed = (FrontlineLine.update(name=name, default_months=default_months, updated_at=clock.now_iso(),
                                        version=FrontlineLine.version + 1)
                   .where(FrontlineLine.id == line_id, FrontlineLine.version == version).execute())
        if not changed:
            raise ConflictError()
        changes = audit.diff({"name": old.name, "default_months": old.default_months},
                             {"name": name, "default_months": default_months})
        audit.record(audit.UPDATE, E_LINE, line_id, f"修改战线 {old.name}" +
                     (f" → {name}" if name != old.name else ""), changes)
    return get_line(line_id)


def rename_line(line_id: int, version: int, name: str) -> LineInfo:
    return update_line(line_id, version, name, get_line(line_id).default_months)


def retire_line(line_id: int, version: int, retired: bool = True) -> LineInfo:
    """Retire (or bring back) a line: it keeps its posts and history, takes no new posts or postings."""
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        old = get_line(line_id)
        changed = (FrontlineLine.update(retired=int(retired), updated_at=clock.now_iso(),
                                        version=FrontlineLine.version + 1)
                   .where(FrontlineLine.id == line_id, FrontlineLine.version == version).execute())
        if not changed:
            raise ConflictError()
        audit.record(audit.UPDATE, E_LINE, line_id, f"{'停用' if retired else '恢复启用'}战线 {old.name}",
                     {"retired": [old.retired, bool(retired)]})
    return get_line(line_id)


def delete_line(line_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """Delete a line that was never used (no posts); a used line can only be retired. ``version``: as the
    administrator last saw it — another having changed it since, refused naming who and when unless
    ``overwrite`` (conflicts.check_delete); None: not checked."""
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        old = get_line(line_id)
        if Post.select().where(Post.line == line_id).exists():
            raise ValidationError(f"战线“{old.name}”下已有锻炼岗位，不能删除；如不再使用，请停用该战线。")
        suffix = conflicts.check_delete(version is not None and old.version != version, overwrite, E_LINE, line_id,
                                        f"战线“{old.name}”")
        FrontlineLine.delete().where(FrontlineLine.id == line_id).execute()
        audit.record(audit.DELETE, E_LINE, line_id, f"删除战线 {old.name}{suffix}", {"name": [old.name, None]})


# ---- posts --------------------------------------------------------------------------------------

def _post_info(row: Post, line: FrontlineLine, filled: int) -> PostInfo:
    return PostInfo(
        id=row.id, line_id=line.id, line_name=line.name, name=row.name, host=host_label(row.host_type, row.host_name),
        capacity=row.capacity, filled=filled, version=row.version, host_type=row.host_type,
        host_name=row.host_name, duties=row.duties, requirements=row.requirements,
        wanted_categories=row.wanted_categories, open_start=row.open_start, open_end=row.open_end,
        party_branch=row.party_branch, party_group=row.party_group, host_contact=row.host_contact,
        line_retired=bool(line.retired))


def list_posts(line_id: int | None = None) -> list[PostInfo]:
    counts = active_count_by_post()
    query = (Post.select(Post, FrontlineLine).join(FrontlineLine)
             .order_by(FrontlineLine.sort_order, FrontlineLine.id, Post.id))
    if line_id is not None:
        query = query.where(Post.line == line_id)
    return [_post_info(row, row.line, counts.get(row.id, 0)) for row in query]


def get_post(post_id: int) -> PostInfo:
    row = Post.select(Post, FrontlineLine).join(FrontlineLine).where(Post.id == post_id).first()
    if row is None:
        raise NotFoundError("该锻炼岗位不存在或已被删除。")
    return _post_info(row, row.line, active_count(post_id))


_POST_FIELDS = ("line_id", "name", "host_type", "host_name", "duties", "requirements", "wanted_categories",
                "capacity", "open_start", "open_end", "party_branch", "party_group", "host_contact")


def _validate_post(data: PostInput) -> tuple[dict, FrontlineLine]:
    errors: dict[str, str] = {}
    line = FrontlineLine.get_or_none(FrontlineLine.id == data.line_id) if data.line_id else None
    if line is None:
        errors["line_id"] = "请选择所属战线"
    name = (data.name or "").strip()
    if not name:
        errors["name"] = "请填写岗位名称"
    elif len(name) > 100:
        errors["name"] = "岗位名称不能超过 100 个字"
    if data.host_type and data.host_type not in HOST_TYPES:
        errors["host_type"] = f"承接单位类型应为：{'、'.join(HOST_TYPES)}"
    try:
        capacity = int(data.capacity)
    except (TypeError, ValueError):
        capacity = 0
    if capacity < 1 or capacity > 9999:
        errors["capacity"] = "岗位容量应为 1–9999 人"
    open_start = check_date(data.open_start, "开放开始时间", errors, "open_start")
    open_end = check_date(data.open_end, "开放结束时间", errors, "open_end")
    if open_start and open_end and as_day(open_end) < as_day(open_start):
        errors["open_end"] = "开放结束时间不能早于开始时间"
    table = codes.table("CATEGORY")
    wanted = [c.strip() for c in (data.wanted_categories or "").split(",") if c.strip()]
    bad = [c for c in wanted if not table.has_code(c)]
    if bad:
        errors["wanted_categories"] = f"未知的干部类别代码：{'、'.join(bad)}"
    if errors:
        raise ValidationError(errors)
    return {
        "line": line.id, "name": name, "host_type": data.host_type or "", "host_name": (data.host_name or "").strip(),
        "duties": (data.duties or "").strip(), "requirements": (data.requirements or "").strip(),
        "wanted_categories": ",".join(wanted), "capacity": capacity, "open_start": open_start,
        "open_end": open_end, "party_branch": (data.party_branch or "").strip(),
        "party_group": (data.party_group or "").strip(), "host_contact": (data.host_contact or "").strip(),
    }, line


def post_input(info: PostInfo) -> PostInput:
    return PostInput(**{k: getattr(info, k) for k in _POST_FIELDS}, id=info.id, version=info.version)


def save_post(data: PostInput) -> PostInfo:
    """Create (id None) or update a post. Capacity may not drop below the active postings."""
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        values, line = _validate_post(data)
        stamp = clock.now_iso()
        if data.id is None:
            if line.retired:
                raise ValidationError({"line_id": f"战线“{line.name}”已停用，不能新增岗位"})
            post_id = Post.insert(**values, created_at=stamp, updated_at=stamp).execute()
            audit.record(audit.CREATE, E_POST, post_id, f"新增锻炼岗位 {line.name}/{values['name']}",
                         {k: [None, v] for k, v in values.items() if v not in ("", None)})
        else:
            post_id = data.id
            old = get_post(post_id)
            if line.retired and line.id != old.line_id:
                raise ValidationError({"line_id": f"战线“{line.name}”已停用，不能把岗位移入"})
            if values["capacity"] < old.filled:
                raise ValidationError({"capacity": f"该岗位现有 {old.filled} 人在岗或拟选派，容量不能少于 {old.filled}"})
            changed = (Post.update(**values, updated_at=stamp, version=Post.version + 1)
                       .where(Post.id == post_id, Post.version == data.version).execute())
            if not changed:
                raise ConflictError()
            before = {k: getattr(old, k) for k in _POST_FIELDS}
            after = dict(values, line_id=values["line"])
            after.pop("line")
            audit.record(audit.UPDATE, E_POST, post_id, f"修改锻炼岗位 {line.name}/{values['name']}",
                         audit.diff(before, after))
    return get_post(post_id)


def delete_post(post_id: int, version: int | None = None, overwrite: bool = False) -> None:
    """Delete a post never posted to. ``version``, ``overwrite``: see delete_line."""
    with write_transaction():
        permissions.require_all_units(permissions.EDIT, SHARED_CONFIG)
        old = get_post(post_id)
        if Posting.select().where(Posting.post == post_id).exists():
            raise ValidationError(f"岗位“{old.name}”已有选派记录，不能删除。")
        suffix = conflicts.check_delete(version is not None and old.version != version, overwrite, E_POST, post_id,
                                        f"锻炼岗位“{old.line_name}/{old.name}”")
        Post.delete().where(Post.id == post_id).execute()
        audit.record(audit.DELETE, E_POST, post_id, f"删除锻炼岗位 {old.line_name}/{old.name}{suffix}",
                     {"name": [old.name, None]})
