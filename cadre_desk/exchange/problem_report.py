"""The import problem report: the rows with problems, warnings, duplicates or a derived unit as an
.xlsx the clerk can work through (written to a temp name and renamed)."""

from __future__ import annotations

from pathlib import Path

from cadre_desk.domain import clock
from cadre_desk.domain.dates import format_moment
from cadre_desk.domain.fields import BY_KEY
from cadre_desk.exchange.plan import ACTION_LABELS, LRMX, UNIT_FROM_COLUMN, UNIT_SOURCE_LABELS, ImportPlan
from cadre_desk.exchange.row_checks import unit_text
from cadre_desk.exchange.sheet_layout import print_setup, texts_height


def save_problem_report(plan: ImportPlan, path: str | Path, unit_names: dict[int, str] | None = None) -> Path:
    """The rows with problems, warnings, duplicates or a unit read from 现任职务, as an .xlsx."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from cadre_desk.exchange.workbooks import text_cell
    from cadre_desk.store.files import atomic_path

    if unit_names is None:
        from cadre_desk.units import units

        unit_names = units.full_names()  # a workbook has no tree beside it: units by 全称
    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("导入问题")
    headers = ("行号", "姓名", "处理", "问题", "提示", "单位", "单位来源", "重复", "与已有档案的差异")
    widths = (8, 14, 12, 60, 40, 24, 14, 20, 50)
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    print_setup(ws)  # A4 landscape fitted to one page across, the title and header on every page
    header = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    title = f"导入问题报告：{plan.file_name}（{format_moment(clock.now())}）"
    if not plan.complete:  # saved from a preview still checking its rows
        title += f"。检查尚未完成：本报告只含已检查的前 {len(plan.rows):,} 行"
    ws.append([title])
    ws.append(header)
    written = 2
    for row in plan.rows:
        derived = row.unit_source not in ("", UNIT_FROM_COLUMN)
        if not (row.problems or row.warnings or row.duplicate_id or derived):
            continue
        hints = list(row.warnings) + [f"{BY_KEY[k].label}建议填写“{v}”" for k, v in row.suggestions.items()]
        line = f"{row.source} 第{row.line}个" if plan.kind == LRMX else row.line
        unit = unit_text(row, unit_names)
        diff = "；".join(f"{d.label}：{d.old or '（空）'} → {d.new}" for d in row.differences)
        ws.append(_wrapped(ws, [text_cell(ws, v) for v in (
            line, row.name, "不导入" if row.problems else ACTION_LABELS[row.action], "；".join(row.problems),
            "；".join(hints), unit, UNIT_SOURCE_LABELS.get(row.unit_source, ""), row.duplicate_reason, diff)],
            widths, written + 1))
        written += 1
    for note in plan.notes:  # a long one (未导入的列：…) wraps in 问题 too, not cut at the next column
        ws.append(_wrapped(ws, ["", "", "", text_cell(ws, note)], widths, written + 1))
        written += 1
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _wrapped(ws, row: list, widths, index: int) -> list:
    """A row whose long 问题, 提示 or 差异 wraps in its column, top-aligned, the row as tall as its lines
    (set before the row is written: a write-only sheet)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment

    height = texts_height((v.value if isinstance(v, Cell) else v, w) for v, w in zip(row, widths, strict=False)
                          if isinstance(v.value if isinstance(v, Cell) else v, str))
    if height is None:
        return row
    ws.row_dimensions[index].height = height
    out = []
    for value in row:
        cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value=value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        out.append(cell)
    return out
