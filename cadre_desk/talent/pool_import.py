"""专业干部库名单导入: a workbook of names (a unit's or a 科室's list, or a roster exported here and edited)
into the pools. Read first, every row checked and shown; then the rows that pass go in, in one
transaction.

Columns are matched by their headers, in the registry's words and synonyms: 姓名 (required), 身份证号,
单位 (to tell two of a name apart), 专业干部库 (or one pool for the whole file), 层级, 入库时间, 备注. The
header row is found among the first rows (an exported roster has its title above it). A cadre is found
by 身份证号, else by name — among the operator's cadres only; a name held by several, a pool or a level
that does not exist, a date that cannot be read: the row is refused with the reason. Rows of cadres
already in the pool are said and left alone. Every sheet with a header row is read: without a 专业干部库
column, a sheet named after a pool goes into it (the roster exported here has a sheet per pool)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cadre_desk.access import permissions, reads
from cadre_desk.domain import clock
from cadre_desk.domain.dates import DateError, parse_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.fields import BY_KEY, POOL_MEMBER, header_index, normalize_header
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange.cells import clean_name, normalize_cell
from cadre_desk.exchange.workbooks import read_workbook
from cadre_desk.security import audit
from cadre_desk.store.db import write_transaction
from cadre_desk.talent import pools

HEADER_ROWS = 10  # the header row is looked for among the first so many rows
KEYS = ("cadre_name", "id_number", "unit_name", "pool_name", "level", "joined_on", "note")
_SPECS = (*(POOL_MEMBER.field(k) for k in KEYS if k != "id_number"), BY_KEY["id_number"])


@dataclass
class PlanRow:
    row: int  # as the user sees it in the sheet
    name: str
    sheet: str = ""  # the sheet's name (a workbook of several: which sheet the row number is of)
    cadre_id: int | None = None
    pool_id: int | None = None
    pool_name: str = ""
    level: str = ""
    joined_on: str = ""
    note: str = ""
    problem: str = ""


@dataclass
class ImportPlan:
    file_name: str
    sheet: str
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def good(self) -> list[PlanRow]:
        return [r for r in self.rows if not r.problem]

    @property
    def refused(self) -> list[PlanRow]:
        return [r for r in self.rows if r.problem]

    def summary(self) -> str:
        text = f"“{self.file_name}”（{self.sheet}）共 {len(self.rows)} 行：可导入 {len(self.good)} 行"
        return text + (f"，有问题 {len(self.refused)} 行" if self.refused else "")


def _header(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    """(position of the header row, field key → column)."""
    index = header_index(_SPECS)
    for position, row in enumerate(rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(row):
            spec = index.get(normalize_header(cell))
            if spec is not None:
                columns.setdefault(spec.key, column)
        if "cadre_name" in columns and len(columns) >= 2:
            return position, columns
    raise ValidationError("没有找到表头：表中应有“姓名”列，以及“身份证号”“专业干部库”“层级”等列中的至少一列。")


def _cadre(name: str, number: str, unit: str) -> tuple[int | None, str]:
    """The cadre meant by a row, among the operator's, or why none."""
    if number:
        found = [b for b in reads.find_cadres(number, 5, status="") if b.name == name or not name]
        if len(found) == 1:
            return found[0].id, ""
        return None, f"身份证号 {number} 在您负责的单位中找不到“{name}”"
    found = [b for b in reads.find_cadres(name, 50, status="") if b.name == name]
    if unit:  # 单位 as written: the 全称, the 简称, or part of the position
        found = [b for b in found if b.unit_name and (unit in b.unit_name or b.unit_name in unit)
                 or unit in b.position]
    if not found:
        return None, f"在您负责的单位中找不到{unit + '的' if unit else ''}“{name}”"
    if len(found) > 1:
        return None, f"有 {len(found)} 名干部叫“{name}”，请填写身份证号或单位"
    return found[0].id, ""


def analyze(path: str | Path, default_pool: int | None = None, progress: Progress = NO_PROGRESS) -> ImportPlan:
    """Read and check every row of every sheet that has a header row; nothing is written. A row's pool: its
    专业干部库 cell; without that column, the sheet's name when it names a pool (the 专业干部信息库名册 exported
    here has a sheet per pool, named after it), else ``default_pool`` (the pool shown on the page)."""
    permissions.require(permissions.EDIT)
    path = Path(path)
    sheets = [s for s in read_workbook(path, progress) if s.rows]
    if not sheets:
        raise ValidationError("文件中没有数据。")
    found = []
    for sheet in sheets:
        try:
            found.append((sheet, *_header(sheet.rows)))
        except ValidationError:
            if len(sheets) == 1:
                raise
    if not found:
        _header(sheets[0].rows)  # says what header is looked for
    known = {p.name: p for p in pools.list_pools()}
    default = next((p for p in known.values() if p.id == default_pool), None)
    read = [(sheet, at, columns, known.get(sheet.name.strip(), default)) for sheet, at, columns in found]
    if any("pool_name" not in columns and pool is None for _sheet, _at, columns, pool in read):
        raise ValidationError("表中没有“专业干部库”列：请选择导入到哪个专业干部库。")
    with_rows = [sheet.name for sheet, at, _columns, _pool in read if len(sheet.rows) > at + 1]
    plan = ImportPlan(path.name, "、".join(with_rows) or read[0][0].name)
    for sheet, at, columns, sheet_pool in read:
        plan.rows += _rows(sheet, at, columns, known, sheet_pool)
    return plan


def _rows(sheet, at: int, columns: dict[str, int], known: dict[str, pools.PoolInfo],
          sheet_pool: pools.PoolInfo | None) -> list[PlanRow]:
    """The rows of one sheet under its header (at ``at``), each checked."""
    today = clock.today_yyyymmdd()
    out = []
    for position, row in enumerate(sheet.rows[at + 1:], at + 1):
        def cell(key: str, kind: str = "text", row=row):
            column = columns.get(key)
            return normalize_cell(kind, row[column]) if column is not None and column < len(row) else ""

        name = clean_name(row[columns["cadre_name"]]) if columns["cadre_name"] < len(row) else ""
        if not name and not any(str(cell(key) or "").strip() for key in columns if key != "cadre_name"):
            continue  # an empty line (a 序号 alone included)
        item = PlanRow(sheet.first_row + position, name, sheet=sheet.name, note=str(cell("note", "longtext")))
        problems = []
        pool = known.get(str(cell("pool_name")).strip()) if cell("pool_name") else sheet_pool
        if pool is None:
            problems.append(f"专业干部库“{cell('pool_name')}”不存在或已停用")
        else:
            item.pool_id, item.pool_name = pool.id, pool.name
        item.level = str(cell("level")).strip() or "骨干"
        try:
            item.joined_on = parse_date(cell("joined_on", "date"), POOL_MEMBER.field("joined_on").precision) or today
        except DateError as exc:
            problems.append(f"{POOL_MEMBER.label_of('joined_on')}：{exc}")
        # checked as 纳入 will check it (a level, a day not after today, a 备注 within its length): a row said
        # to pass here and refused at 导入 undid the whole file
        errors: dict[str, str] = {}
        pools.check_member(item.level, item.joined_on or today, item.note, errors)
        problems += [f"层级应为：{'、'.join(pools.LEVELS)}" if key == "level" else text for key, text in errors.items()]
        if not name:
            problems.append("没有姓名")
        else:
            item.cadre_id, why = _cadre(name, str(cell("id_number", "id_number")).upper(), str(cell("unit_name")))
            if why:
                problems.append(why)
        item.problem = "；".join(problems)
        out.append(item)
    return out


@dataclass
class ImportResult:
    added: int = 0
    present: list[str] = field(default_factory=list)  # already in the pool

    def summary(self) -> str:
        text = f"已纳入 {self.added} 人次。"
        return text + (f"\n{'、'.join(self.present[:8])}等 {len(self.present)} 人次已在库中，未重复纳入。"
                       if self.present else "")


def commit(plan: ImportPlan, rows: Sequence[PlanRow] | None = None) -> ImportResult:
    """The rows without problems into their pools, in one transaction (a refusal undoes all)."""
    chosen = [r for r in (rows if rows is not None else plan.good) if not r.problem]
    result = ImportResult()
    with write_transaction():
        for item in chosen:
            added = pools.add_members(item.pool_id, [item.cadre_id], item.level, item.note, item.joined_on)
            result.added += added.added
            result.present += [f"{n}（{item.pool_name}）" for n in added.skipped]
        audit.record(audit.IMPORT, pools.E_MEMBER, None,
                     f"导入专业干部库名单“{plan.file_name}”：纳入 {result.added} 人次", reason=plan.summary())
    return result
