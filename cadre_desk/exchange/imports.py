"""Importing rosters (.xlsx/.xls/.ods), annual appraisal results, training lists and .lrmx files.

Two steps, so the window can show a preview: ``analyze`` reads the file, finds the header, maps
columns through the field registry and checks every row (problems, suggestions, units, duplicates);
``commit`` writes the chosen rows in ONE transaction (all or nothing) with a single audit row.

The pieces: workbooks (reading, limits), headers (header and column meaning), cells and row_checks
(values, units, 年度考核), assessment_text (年度考核 as words), education_cells (one 学历学位 column of both
educations), continued_rows (a person typed on two rows, or a row with no name going on), unit_names (units from
现任职务), duplicates, writing (commit), problem_report. This module is the one the window and the command line call."""

from __future__ import annotations

import re
from pathlib import Path

from cadre_desk.domain.bulk import no_cycle_collection
from cadre_desk.domain.errors import ValidationError, os_error_text
from cadre_desk.domain.fields import normalize_header
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.exchange import duplicates, headers, row_checks
from cadre_desk.exchange.cells import cell_name, normalize_cell
from cadre_desk.exchange.continued_rows import (
    CONTINUED_TARGETS,
    JOIN,
    VACANT,
    PostRow,
    goes_on,
    join_rows,
    not_going_on,
    post_text,
    read_post,
    vacant_note,
)
from cadre_desk.exchange.headers import (  # noqa: F401 - the import API the window and CLI use
    ASSESSMENT_TEXT,
    YEAR_PREFIX,
    all_targets,
    detect_header,
    resolve_header,
    target_label,
)
from cadre_desk.exchange.plan import (  # noqa: F401 - the import API the window and CLI use
    ACTION_LABELS,
    ASSESSMENT,
    INSERT,
    KEEP_BOTH,
    KIND_LABELS,
    LRMX,
    ROSTER,
    SKIP,
    TRAINING,
    UNIT_SOURCE_LABELS,
    UPDATE,
    ColumnMap,
    ImportOptions,
    ImportPlan,
    ImportResult,
    ImportRow,
)
from cadre_desk.exchange.problem_report import save_problem_report  # noqa: F401
from cadre_desk.exchange.workbook_package import FileRefused
from cadre_desk.exchange.workbooks import column_letter, iter_workbook
from cadre_desk.exchange.writing import NOTHING_WRITTEN, commit  # noqa: F401

_NOTE_START = ("注", "说明", "填表", "备注：", "提示")
_TOTAL_WORDS = ("合计", "总计", "小计", "共计")
_TOTAL_STARTS = frozenset(word[0] for word in _TOTAL_WORDS)
# the signature lines under a roster (填表人：张三  审核人：李四  联系电话：…, 制表：干部科, 说明：…): a label and
# its colon where a name or the first cell is
_FOOTER_LABEL = re.compile(r"\s*(?:填表人?|填报人?|制表人?|审核人?|审批人?|负责人|单位负责人|主要负责人|分管领导|经办人|"
                           r"联系人|联系电话|电话|填表日期|填报日期|制表日期|填表时间|填报时间|说明|注|备注|"
                           r"单位（盖章）|单位\(盖章\)|盖章)\s*[：:]")
MAPPINGS_KEY = "import.mappings"


PREVIEW_ROWS = 3000  # rows a preview checks before it is shown (``first_rows``); the rest follow
_BATCH = 2000  # rows checked at a time by check_rest: each batch joins the plan whole


def analyze(path: str | Path, options: ImportOptions | None = None, progress: Progress = NO_PROGRESS,
            mapping: dict[int, str | None] | None = None, first_rows: int | None = None,
            sheet: str | None = None, header_mapping: dict[str, str | None] | None = None) -> ImportPlan:
    """Read a workbook (or an .lrmx file / a folder of them) and check every row. Raises FileRefused.

    The sheet read is ``sheet`` (a visible sheet's name) or else the first one with a header row
    whose rows are cadres (a sheet of 家庭成员 or 简历 lines is refused, or passed over unnamed);
    ``plan.sheet_names`` are the workbook's visible sheets to choose from; a sheet named for an .lrmx
    file or a folder (no sheets) is refused. ``header_mapping``
    ({normalized header: target}, see ``chosen_mapping``) carries the clerk's mapping of another
    sheet over to the columns of this one that have the same header.

    With ``first_rows`` a sheet's plan comes back once that many rows are read and checked, the rest
    still to come (``plan.complete`` is False): ``check_rest`` reads and checks them, and a plan is
    imported only once complete."""
    path = Path(path)
    options = options or ImportOptions()
    if path.is_dir() or path.suffix.lower() == ".lrmx":
        check_sheet_applies(path, sheet)
        return analyze_lrmx(path, options, progress)
    with no_cycle_collection():  # hundreds of thousands of rows, no cycles
        return _analyze_sheet(path, options, progress, mapping, first_rows, sheet, header_mapping)


def check_sheet_applies(path: str | Path, sheet: str | None) -> None:
    """A sheet named for an .lrmx file or a folder of them (which have no sheets) is refused, never
    ignored: the clerk meant some workbook. Raises FileRefused."""
    path = Path(path)
    if sheet is not None and (path.is_dir() or path.suffix.lower() == ".lrmx"):
        raise FileRefused(f"“{path.name}”是{'文件夹' if path.is_dir() else '任免表（LRMX）文件'}，没有工作表，"
                          f"不能指定工作表“{sheet}”。只有 Excel 工作簿（.xlsx、.xls、.ods）可以选择工作表。")


def _analyze_sheet(path: Path, options: ImportOptions, progress: Progress,
                   mapping: dict[int, str | None] | None, first_rows: int | None, sheet: str | None,
                   header_mapping: dict[str, str | None] | None) -> ImportPlan:
    progress.report(0, 0, f"正在读取 {path.name} …")
    chosen = first = refused = None
    # stops at the first sheet with a header (its first 30 rows say so: a lazily read sheet has them)
    # whose rows are cadres (not a sheet of 家庭成员 or 简历 lines)
    for data in iter_workbook(path, progress, lazy=first_rows is not None, sheet=sheet):
        first = first or data
        try:
            found = detect_header(data.rows)
        except FileRefused:
            if sheet is not None:
                raise _no_header(data) from None
            continue
        if (sub_record := headers.sub_record_sheet(found[2])) is not None or headers.form_sheet(data.rows, *found):
            refusal = _sub_record_refused(data, *sub_record) if sub_record else _form_refused(data)
            if sheet is not None:
                raise refusal
            refused = refused or refusal
            continue
        chosen = data
        break
    if chosen is None:
        if refused is not None:
            raise refused
        if first is None or not first.rows:
            raise FileRefused(f"“{path.name}”中没有数据。")
        detect_header(first.rows)  # raises the message
    plan = ImportPlan(str(path), ROSTER, sheet=chosen.name, data=chosen, sheet_names=chosen.sheet_names)
    others = [name for name in chosen.sheet_names if name != chosen.name]
    if others:
        # how to read another one is the front end's to say (the window's 工作表 box, the command's --sheet)
        plan.sheet_notes = [f"读取的是工作表“{chosen.name}”；工作簿中另有工作表：{'、'.join(others)}（未读取）"]
    start, count, texts = found
    plan.header_rows = tuple(range(start + 1, start + count + 1))
    plan.columns = headers.map_columns(texts, chosen.hidden_columns)
    if chosen.merged:
        people = frozenset(c.index for c in plan.columns if c.target in ("name", "id_number"))
        plan.sheet_notes = [*plan.sheet_notes, *fill_merged_down(chosen, plan.header_rows[-1], people)]
    if header_mapping:
        mapping = {**{c.index: header_mapping[normalize_header(c.header)] for c in plan.columns
                      if normalize_header(c.header) in header_mapping}, **(mapping or {})}
    if mapping:
        set_mapping(plan, mapping, options, progress, recheck=False)
    plan.kind = headers.detect_kind(plan.columns)
    if first_rows is None:
        build_rows(plan, progress)
        evaluate(plan, options, progress)
        return plan
    plan.checking = _Checking(row_checks.Context(options), _RowBuilder(plan))
    _check_more(plan, progress, until=first_rows)
    return plan


def _other_sheets(data) -> str:
    others = [name for name in data.sheet_names if name != data.name]
    return f"请选择其他工作表：{'、'.join(others)}" if others else "请检查文件"


def _sub_record_refused(data, what: str, header: str) -> FileRefused:
    return FileRefused(f"工作表“{data.name}”是{what}表（有“{header}”列），表中的人不是干部，不能按干部名册导入。"
                       f"{what}随任免表（LRMX）导入，或在干部档案中填写。{_other_sheets(data)}。")


def _form_refused(data) -> FileRefused:
    return FileRefused(f"工作表“{data.name}”是干部任免审批表（一人一表的表格样式），不是一行一人的名册，不能按名册导入。"
                       f"请在任免表软件中导出 .lrmx 文件后导入（可选多个文件或整个文件夹），或把信息整理成名册。"
                       f"{_other_sheets(data)}。")


def _no_header(data) -> FileRefused:
    where = _other_sheets(data)
    if not data.rows:
        return FileRefused(f"工作表“{data.name}”是空的，没有可导入的数据。{where}。")
    return FileRefused(f"工作表“{data.name}”中没有找到表头：前 30 行中没有“姓名”等可识别的列名"
                       f"（可能是填表说明）。{where}。")


def chosen_mapping(plan: ImportPlan) -> dict[str, str | None]:
    """The columns the clerk mapped by hand, by header: for ``analyze(header_mapping=…)`` when
    another sheet of the workbook is read instead."""
    return {normalize_header(c.header): c.target for c in plan.columns if not c.auto}


class _Checking:
    """What a preview has still to do: rows to read (the sheet's ``read_more``), rows built but not
    yet checked, and what they are checked against (one context: duplicates within the file are
    found across batches)."""

    def __init__(self, context: row_checks.Context, builder: _RowBuilder) -> None:
        self.context, self.builder = context, builder
        self.unchecked: list[ImportRow] = []


def _check_more(plan: ImportPlan, progress: Progress, until: int | None = None) -> None:
    """Read, build and check rows a batch at a time until ``until`` rows are checked (None: all).
    A checked batch joins ``plan.rows`` whole, so another thread reading the plan sees checked rows
    only; a cancel between batches leaves the plan consistent, to be continued."""
    checking = plan.checking
    data = plan.data
    while checking is not None and (until is None or len(plan.rows) < until):
        done = len(plan.rows)
        total = expected_rows(plan)
        progress.report(done, total, f"正在检查第 {done + 1:,} 行，共约 {total:,} 行…")
        if not checking.unchecked:
            more = data.read_more()
            checking.builder.build(checking.unchecked)
            if not more and not checking.unchecked:
                plan.notes = checking.builder.notes()
                plan.checking = checking = None
            continue
        size = _BATCH if until is None else min(_BATCH, until - done)
        batch = checking.unchecked[:size]
        del checking.unchecked[:size]
        row_checks.check_batch(plan, batch, checking.context)
        plan.rows.extend(batch)  # one step: a reader on another thread sees the whole batch or none of it
    if checking is not None:
        plan.notes = checking.builder.notes()


def expected_rows(plan: ImportPlan) -> int:
    """The rows the plan will have once every row is checked, as far as can be told before (the
    sheet's declared size or the share of it read so far)."""
    checking = plan.checking  # read once: another thread may finish meanwhile
    if checking is None or plan.data is None:
        return len(plan.rows)
    done = len(plan.rows) + len(checking.unchecked)
    return max(plan.data.expected_rows() - plan.header_rows[-1], done)


def check_rest(plan: ImportPlan, progress: Progress = NO_PROGRESS) -> None:
    """The rows a preview left (``analyze(first_rows=…)``): read and checked a batch at a time, each
    batch added to ``plan.rows`` as it is done. Cancelled, it leaves the rows so far checked and can
    be called again to continue."""
    with no_cycle_collection():  # hundreds of thousands of rows, no cycles
        _check_more(plan, progress)


def set_mapping(plan: ImportPlan, mapping: dict[int, str | None], options: ImportOptions | None = None,
                progress: Progress = NO_PROGRESS, recheck: bool = True) -> None:
    """Override the automatic mapping: column index → target (None = not imported); re-checks rows."""
    for column in plan.columns:
        if column.index in mapping:
            column.target = mapping[column.index]
            column.auto = False
    headers.one_per_target(plan.columns, plan.data.hidden_columns if plan.data is not None else frozenset())
    if recheck:
        plan.kind = headers.detect_kind(plan.columns)
        build_rows(plan, progress)
        evaluate(plan, options or ImportOptions(), progress)


def fill_merged_down(data, first: int, people: frozenset[int] = frozenset()) -> list[str]:
    """A cell merged down over several people's rows (单位 | 兴平市财政局 over three of them) is each one's:
    its value is written into the rows below it (``first``: the 0-based first row of people), and the
    merged cells read so are named in a note. A 姓名 or 身份证号 merged so (``people``: their columns) is one
    person written on two rows: left as it is, for the rows' check to say."""
    rows, filled = data.rows, []
    spans = [(top, bottom) for (top, column), (bottom, right) in data.merged
             if bottom > top and any(column <= p <= right for p in people)]
    for (top, column), (bottom, right) in sorted(data.merged):
        if right != column or bottom <= top or top < first or top >= len(rows) or column in people:
            continue
        if any(start <= top and bottom <= end for start, end in spans):  # a part of one person's rows
            continue
        value = rows[top][column] if column < len(rows[top]) else None
        if value in (None, ""):
            continue
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if column >= len(row):
                row = row + ("",) * (column + 1 - len(row))
            if row[column] in (None, ""):
                rows[r] = row[:column] + (value,) + row[column + 1:]
        filled.append(f"{cell_name(column, top + 1)}:{cell_name(column, bottom + 1)}")
    return [f"合并单元格 {'、'.join(filled)} 的内容按其中每一行读入"] if filled else []


def _is_note(row: tuple, name_value: object) -> bool:
    if name_value not in (None, ""):  # a named person's row (the usual one): nothing else to look at
        return False
    values = [v for v in row if v not in (None, "")]
    if not values:
        return False
    text = str(values[0]).strip()
    return len(values) <= 2 and (len(text) > 30 or text.startswith(_NOTE_START) or "\n" in text)


def _is_footer(row: tuple, name_value: object) -> bool:
    """A signature line under the people (填表人：张三 | 审核人：李四): its name cell, or its first filled
    cell when the name cell is empty, is a label and its colon — no person is called so."""
    text = name_value if name_value not in (None, "") else next((v for v in row if v not in (None, "")), None)
    if text.__class__ is not str or ("：" not in text and ":" not in text):
        return False
    return _FOOTER_LABEL.match(text) is not None


def _is_total(row: tuple) -> bool:
    """A 合计 / 总计 line under the people (合计 | 10人): its first filled cell says so."""
    first = row[0] if row and row[0] not in (None, "") else next((v for v in row if v not in (None, "")), None)
    # the first character looked at first: a name cell (the usual one) is no total
    if first.__class__ is not str or first.lstrip()[:1] not in _TOTAL_STARTS:
        return False
    return "".join(first.split()).startswith(_TOTAL_WORDS)


class _RowBuilder:
    """Import rows from the sheet's cells below the header, as far as the sheet is read: notes
    blocks (填表须知), blank rows and repeated headers are skipped and counted."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.next = plan.header_rows[-1]  # 1-based last header row == 0-based first data row
        self.mapping = tuple((c.index, c.target) for c in plan.columns if c.target)
        self.header_texts = {normalize_header(c.header) for c in plan.columns}
        self.name_col = next((c.index for c in plan.columns if c.target == "name"), None)
        self.skipped_notes = self.repeats = self.totals = self.hidden_rows = self.footers = 0
        # a 姓名 merged down over two rows or more: one person typed on them (the rows below are no people)
        self.spans = {top: tuple(range(top + 2, bottom + 2)) for (top, column), (bottom, right) in plan.data.merged
                      if self.name_col is not None and column <= self.name_col <= right and bottom > top}
        self.below = frozenset(r - 1 for rows in self.spans.values() for r in rows)
        self.last: ImportRow | None = None  # the last person built, and the last sheet row (0-based) it took
        self.last_end = -2
        # the columns with no header: what a row writes there is read by nobody, said in a note (first cell each)
        named = {c.index for c in plan.columns}
        self.width = max(named, default=-1) + 1
        self.unnamed = [i for i in range(self.width) if i not in named]
        self.unnamed_cells: dict[int, int] = {}
        self.targets = dict(self.mapping)
        self.position_col = next((c.index for c in plan.columns if c.target == "position"), None)
        plan.post_rows = []  # read again with the rows

    def build(self, out: list[ImportRow], progress: Progress = NO_PROGRESS) -> None:
        data = self.plan.data
        mapping, header_texts, name_col = self.mapping, self.header_texts, self.name_col
        total = len(data.rows)
        hidden, spans, below = data.hidden_rows, self.spans, self.below
        for r in range(self.next, total):
            if below and r in below:  # the person's second row (its 姓名 merged): said with the first
                continue
            row = data.rows[r]
            # (the reading trims a row's trailing blanks: a row ending in a value is no blank row)
            if not row or (row[-1] in (None, "") and all(v in (None, "") for v in row)):
                continue
            name_value = row[name_col] if name_col is not None and name_col < len(row) else None
            if (name_value in (None, "") or (name_value.__class__ is str and ("缺" in name_value or "空" in name_value))) \
                    and (post := post_text(row, self.targets, name_col)) is not None:
                self._post_row(out, row, r, post, name_value)
                continue  # a post going on with the person's above, or a vacant post (skipped, said)
            if name_value in (None, "") and self.last is not None and r == self.last_end + 1 and out \
                    and out[-1] is self.last and self._named(self.last) and self._went_on(self.last, row, r):
                continue  # no name, only the rest of the person above's 简历 (its 姓名 not merged): joined to it
            if _is_note(row, name_value):
                self.skipped_notes += 1
                continue
            if _is_total(row):
                self.totals += 1
                continue
            if _is_footer(row, name_value):
                self.footers += 1
                continue
            if name_value.__class__ is str and normalize_header(name_value) in header_texts:
                present = [normalize_header(v) for v in row if v not in (None, "")]
                if sum(1 for v in present if v in header_texts) >= max(2, len(present) // 2 + 1):
                    self.repeats += 1
                    continue
            if r + 1 in hidden:
                self.hidden_rows += 1
            joined = None
            if spans and r in spans:  # its 姓名 merged down: the rows below go on with its text, or say why not
                lines = spans[r]
                below_rows = [data.rows[n - 1] if n - 1 < total else () for n in lines]
                joined = join_rows(row, below_rows, lines, mapping)
                row = joined.cells
            out.append(ImportRow(line=r + 1, source=data.name, cells=row, mapping=mapping))
            if len(row) > self.width or self.unnamed:
                self._unnamed_cells(row, r + 1)
            if name_value in (None, "") and self.last is not None and r == self.last_end + 1 and len(out) > 1 \
                    and out[-2] is self.last and self._named(self.last):  # no name right under a person's, and not only the rest of it: said which cell
                out[-1].not_joined = not_going_on(row, mapping, r + 1, self.last)
            if joined is not None:
                if joined.conflict:
                    out[-1].continued, out[-1].continued_why = spans[r], joined.conflict
                else:
                    out[-1].joined, out[-1].joined_what = spans[r], joined.what
            self.last, self.last_end = out[-1], (spans[r][-1] - 1 if spans and r in spans else r)
            if r % 5000 == 0:
                progress.report(r, total, f"正在分析第 {r:,} 行…")
        self.next = max(self.next, total)

    def _unnamed_cells(self, row: tuple, line: int) -> None:
        for index in (*self.unnamed, *range(self.width, len(row))):
            if index < len(row) and row[index] not in (None, "") and index not in self.unnamed_cells:
                self.unnamed_cells[index] = line

    def _named(self, row: ImportRow) -> bool:
        cells, at = row.cells, self.name_col
        return at is not None and at < len(cells) and cells[at] not in (None, "")

    def _post_row(self, out: list[ImportRow], row: tuple, r: int, post: str, name_value: object) -> None:
        """A row with no name whose only content is a post (continued_rows.post_text): joined to the person right
        above when it reads as the rest of their 现任职务 (or the clerk says so), else a vacant post, skipped."""
        person = self.last
        alone = ""
        if name_value not in (None, ""):
            alone = f"姓名栏为“{str(name_value).strip()}”"
        elif not (person is not None and r == self.last_end + 1 and bool(out) and out[-1] is person
                  and self._named(person)):
            alone = "上一行不是某人的行"
        others: list[str] = []
        for index, value in enumerate(row):
            target = self.targets.get(index)
            if alone or value in (None, "") or target == "position":
                continue
            if target in CONTINUED_TARGETS:
                others.append(CONTINUED_TARGETS[target][0])
            elif target is None or (index < len(person.cells) and person.cells[index] != value):
                # a 序号, or a 单位 of its own: a row of its own
                alone = f"另填了{cell_name(index, r + 1)} 单元格“{normalize_cell('text', value)}”（本行自己的内容）"
        under = not alone
        at = self.position_col
        above = str(person.cells[at] or "") if under and at is not None and at < len(person.cells) else ""
        choice, why = read_post(above, post, tuple(others), alone)
        chosen = self.plan.post_choices.get(r + 1)
        if chosen is not None and chosen != choice and (chosen == VACANT or under):
            choice, why = chosen, f"手工指定（原按{'接续上一人' if choice == JOIN else '空缺岗位'}：{why}）"
        name = str(person.cells[self.name_col]).strip() if under else ""
        self.plan.post_rows.append(PostRow(r + 1, post, choice, why, person.line if under else None, name,
                                           chosen=chosen is not None))
        if choice == JOIN:
            self._join(person, row, r)

    def _went_on(self, person: ImportRow, row: tuple, r: int) -> bool:
        """A row with no name right under a person's, whose only cells are the rest of a 简历, 奖惩情况, 家庭成员,
        现任职务 or 备注 (a long text typed on into the row below, nothing merged): joined to the person, said."""
        filled = [(i, v) for i, v in enumerate(row) if v not in (None, "")]
        targets = self.targets
        if not filled or not all(goes_on(targets.get(i), v) for i, v in filled):
            return False
        self._join(person, row, r)
        return True

    def _join(self, person: ImportRow, row: tuple, r: int) -> None:
        joined = join_rows(person.cells, [row], (r + 1,), self.mapping)
        person.cells = joined.cells
        person.joined = (*person.joined, r + 1)
        person.joined_what = tuple(dict.fromkeys((*person.joined_what, *joined.what)))
        self.last_end = r

    def notes(self) -> list[str]:
        notes = list(self.plan.sheet_notes)
        if self.skipped_notes:
            notes.append(f"跳过 {self.skipped_notes} 处说明文字（填表须知等）")
        if self.repeats:
            notes.append(f"跳过 {self.repeats} 行重复的表头")
        if self.totals:
            notes.append(f"跳过 {self.totals} 行合计")
        if self.footers:
            notes.append(f"跳过 {self.footers} 行落款（填表人、审核人等）")
        if vacant := vacant_note(self.plan.post_rows):
            notes.append(vacant)
        repeats = hidden_repeats(self.plan.columns, self.plan.data.hidden_columns)
        unmapped = [c.header for c in self.plan.columns
                    if not c.target and c.index not in repeats and not headers.counter_column(c.header)]
        derived = [title for title in map(headers.derived_column, unmapped) if title]
        unmapped = [header for header in unmapped if not headers.derived_column(header)]
        if unmapped:
            notes.append("未导入的列：" + "、".join(unmapped))
        if derived:  # the program's own 花名册 writes 年龄: nothing lost, nothing to check
            notes.append(f"{'、'.join(derived)}为计算列，未导入")
        if self.unnamed_cells:
            cells = sorted(self.unnamed_cells.items())
            notes.append(f"{'、'.join(column_letter(i) for i, _ in cells)} 列没有列名，其中的内容未导入（如 "
                         f"{'、'.join(cell_name(i, line) for i, line in cells[:3])} 单元格）：请在表头补上列名后重新导入")
        notes.extend(headers.highest_notes(self.plan.columns))
        notes.extend(hidden_notes(self.plan.columns, self.plan.data.hidden_columns, self.hidden_rows))
        return notes


def hidden_repeats(columns: list[ColumnMap], hidden: frozenset[int]) -> dict[int, ColumnMap]:
    """The hidden columns left out because a visible one means the same (an old copy): column index →
    the visible column read instead."""
    shown = {c.target: c for c in columns if c.target and c.index not in hidden}
    return {c.index: twin for c in columns if c.index in hidden and not c.target
            and (twin := shown.get(resolve_header(c.header))) is not None}


def hidden_notes(columns: list[ColumnMap], hidden: frozenset[int], hidden_rows: int) -> list[str]:
    """What the preview says of the columns and rows the sheet hides: a hidden column repeating a
    visible one's meaning is left out (an old copy) and named once, here, not among the columns not
    imported; others are read, and the clerk is told which."""
    from cadre_desk.exchange.workbooks import column_letter

    def where(column: ColumnMap) -> str:
        return f"{column_letter(column.index)} 列（{column.header}）"

    notes = []
    repeats = hidden_repeats(columns, hidden)
    read = [where(c) for c in columns if c.index in hidden and c.target]
    if repeats:
        notes.append("原表中隐藏的列与显示的列重复，未导入（以显示的列为准）："
                     + "、".join(f"{where(c)}同 {column_letter(repeats[c.index].index)} 列"
                                for c in columns if c.index in repeats))
    if read:
        notes.append("原表中隐藏的列也已读入：" + "、".join(read) + "。如不需要，请在“列对应”中改为不导入")
    if hidden_rows:
        notes.append(f"原表中有 {hidden_rows} 行是隐藏的（多为筛选后留下），已照常读入")
    return notes


def build_rows(plan: ImportPlan, progress: Progress = NO_PROGRESS) -> None:
    """Raw rows from the sheet data below the header (the whole sheet: the rest of a preview's sheet
    is read first): notes blocks, blank and repeated headers skipped."""
    data = plan.data
    assert data is not None
    while data.read_more():
        progress.report(len(data.rows), data.expected_rows(), f"正在读取第 {len(data.rows):,} 行…")
    plan.checking = None
    builder = _RowBuilder(plan)
    rows: list[ImportRow] = []
    builder.build(rows, progress)
    plan.rows = rows
    plan.notes = builder.notes()


def set_post_rows(plan: ImportPlan, choices: dict[int, str], options: ImportOptions | None = None,
                  progress: Progress = NO_PROGRESS) -> None:
    """The clerk's reading of rows with no name whose only content is a post (``plan.post_rows``): sheet row →
    JOIN (the rest of the person's 现任职务 above) or VACANT (a vacant post, skipped); the rows are built and
    checked again. A JOIN where no person's row is right above stays VACANT."""
    plan.post_choices.update(choices)
    build_rows(plan, progress)
    evaluate(plan, options or ImportOptions(), progress)


def evaluate(plan: ImportPlan, options: ImportOptions, progress: Progress = NO_PROGRESS) -> None:
    """Check every row: values, unit, suggestions, duplicates (in the database and within the file).
    The clerk's per-row choices (action, unit) are kept. A preview's rows still to come are read first."""
    checking = plan.checking
    if checking is not None:
        while plan.data.read_more():
            progress.report(len(plan.data.rows), plan.data.expected_rows(),
                            f"正在读取第 {len(plan.data.rows):,} 行…")
        checking.builder.build(checking.unchecked)
        plan.rows.extend(checking.unchecked)
        plan.notes = checking.builder.notes()
        plan.checking = None
    row_checks.check_rows(plan, row_checks.Context(options), progress)


def set_rows_action(plan: ImportPlan, rows: list[ImportRow], action: str) -> int:
    """The clerk's choice for some rows (skip / update / insert / keep both) where it applies;
    returns how many rows took it."""
    taken = 0
    for row in rows:
        if action in row.allowed_actions():
            row.chosen_action = row.action = action
            duplicates.follow_action(row)  # 已保留原有家庭成员 on an update, 未导入 for a new cadre
            taken += 1
    return taken


def set_rows_unit(plan: ImportPlan, rows: list[ImportRow], unit: int | str | None,
                  options: ImportOptions, progress: Progress = NO_PROGRESS) -> None:
    """The clerk's correction of the unit of some rows: an existing unit's id, a new unit's name
    (created at commit), or None to derive it again; the rows are checked again."""
    if isinstance(unit, str):
        unit = unit.strip() or None
    for row in rows:
        row.unit_choice = unit
    evaluate(plan, options, progress)


def not_compared(row: ImportRow) -> str:
    """What a duplicate's differences leave out (a 家庭成员 read in part, kept on update), or ""."""
    return duplicates.not_compared(row)


def unit_text(row: ImportRow, unit_names: dict[int, str]) -> str:
    """The unit a row goes to, as the preview shows it (``unit_names``: units.full_names())."""
    return row_checks.unit_text(row, unit_names)


# ---- LRMX --------------------------------------------------------------------------------------


def analyze_lrmx(path: Path | list, options: ImportOptions | None = None,
                 progress: Progress = NO_PROGRESS) -> ImportPlan:
    """One .lrmx file, several, or every .lrmx in a folder; an unreadable file among several is a
    row with its problem."""
    from cadre_desk.exchange import lrmx_format

    options = options or ImportOptions()
    if isinstance(path, (list, tuple)):
        files = [Path(p) for p in path]
        path = files[0].parent if len(files) > 1 else files[0]
    else:
        path = Path(path)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".lrmx") if path.is_dir() else [path]
    if not files:
        raise FileRefused(f"文件夹“{path}”中没有 .lrmx 文件。")
    plan = ImportPlan(str(path), LRMX, files=[str(f) for f in files])
    for n, file in enumerate(files, 1):
        progress.report(n, len(files), f"正在读取 {file.name} …")
        row = ImportRow(line=n, source=file.name)
        try:
            if file.stat().st_size > lrmx_format.MAX_LRMX_BYTES:
                raise lrmx_format.LrmxError(f"“{file.name}”超过 20 MB，不是正常的任免表文件，已拒绝导入。")
            row.profile, row.not_read = lrmx_format.read(file.read_bytes(), file.name)
        except (lrmx_format.LrmxError, OSError) as exc:
            message = os_error_text(exc, file) if isinstance(exc, OSError) else str(exc)
            if len(files) == 1:
                raise FileRefused(message) from None
            row.problems = [message]
        plan.rows.append(row)
    evaluate(plan, options, progress)
    for row in plan.rows:
        if row.profile is None and not row.problems:
            row.problems = ["无法读取"]
    return plan


# ---- mapping presets -----------------------------------------------------------------------------


def saved_mappings() -> dict[str, dict[str, str | None]]:
    from cadre_desk.settings import settings

    return dict(settings.get(MAPPINGS_KEY, {}) or {})


def save_mapping(name: str, plan: ImportPlan) -> None:
    from cadre_desk.settings import settings
    from cadre_desk.store.db import write_transaction

    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写方案名称"})
    mappings = saved_mappings()
    mappings[name] = {normalize_header(c.header): c.target for c in plan.columns}
    with write_transaction():
        settings.put(MAPPINGS_KEY, mappings)


def mapping_for(plan: ImportPlan, name: str) -> dict[int, str | None]:
    saved = saved_mappings().get(name, {})
    return {c.index: saved[normalize_header(c.header)] for c in plan.columns if normalize_header(c.header) in saved}
