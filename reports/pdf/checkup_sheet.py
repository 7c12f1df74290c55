"""政治体检提醒单: one A4 page per cadre — the quarter, the cadre, the checklist as issued with room for
the cadre's own 自查情况, his signature, and the department's 核查对单 block (filled in when the sheet was
already checked back). Many cadres into one PDF or one file each, off the GUI thread, cancellable; one
audit PRINT row per cadre with the reason."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from cadre_desk.checkups import checkup_sheets
from cadre_desk.checkups.checkup_sheets import ReminderSheet
from cadre_desk.checkups.checkups import RESULTS
from cadre_desk.domain.dates import format_date
from cadre_desk.domain.errors import ValidationError
from cadre_desk.domain.progress import NO_PROGRESS, Progress
from cadre_desk.store.files import atomic_path
from reports.pdf import batch
from reports.pdf import pdf_common as pc
from reports.pdf.rmb import CONTENT_WIDTH, FRAME_HEIGHT

TITLE = "政治体检提醒单"
ITEM_COLS = [12 * mm, 34 * mm, 66 * mm, CONTENT_WIDTH - 112 * mm]
GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]


def _department() -> str:
    from cadre_desk.settings import settings

    return settings.department().name


def sheet_story(sheet: ReminderSheet, department: str) -> list:
    """One cadre's 提醒单 (a page-numbering section of its own): one page, shrunk to it down to
    pc.MIN_SCALE; long 存在问题 / 整改措施 run on to a second page at their own size."""
    return [pc.SectionStart(), *pc.one_page(lambda: _sheet_content(sheet, department), CONTENT_WIDTH,
                                            FRAME_HEIGHT - 2 * mm)]


def _sheet_content(sheet: ReminderSheet, department: str) -> list:
    head = Table([[pc.para("姓名", "label"), pc.para(sheet.cadre_name, "cell"), pc.para("单位", "label"),
                   pc.para(sheet.unit_name, "cell")],
                  [pc.para("现任职务", "label"), pc.para(sheet.position, "cell"), pc.para("交回时间", "label"),
                   pc.para(f"{format_date(sheet.due)}前", "cell")]],
                 colWidths=[20 * mm, 52 * mm, 20 * mm, CONTENT_WIDTH - 92 * mm], style=TableStyle(GRID))
    rows = [[pc.para("序号", "label"), pc.para("对照检查项目", "label"), pc.para("对照内容", "label"),
             pc.para("自查情况", "label")]]
    for n, (name, description) in enumerate(sheet.items, 1):
        rows.append([pc.para(str(n), "cell_c"), pc.para(name, "cell"), pc.para(description, "small"), ""])
    items = Table(rows, colWidths=ITEM_COLS, style=TableStyle(GRID + [("BACKGROUND", (0, 0), (-1, 0),
                                                                       colors.HexColor("#EEEEEE"))]),
                  minRowHeights=[8 * mm] + [15 * mm] * len(sheet.items))
    results = "　".join(f"{pc.tick_box(sheet.result == r)}{r}" for r in RESULTS)
    check = Table([[pc.para("核查结果", "label"), pc.para(results, "cell")],
                   [pc.para("存在问题", "label"), pc.para(sheet.findings, "cell")],
                   [pc.para("整改措施", "label"), pc.para(sheet.rectification, "cell")],
                   [pc.para("核查人", "label"),
                    pc.para(f"{sheet.checker}　　核查日期：{format_date(sheet.checked_on)}", "cell")]],
                  colWidths=[24 * mm, CONTENT_WIDTH - 24 * mm], style=TableStyle(GRID),
                  minRowHeights=[8 * mm, 14 * mm, 14 * mm, 8 * mm])
    return [
        pc.para(TITLE, "title"),
        pc.para(f"（{sheet.quarter_label}）", "center"),
        Spacer(1, 3 * mm),
        pc.para(f"{sheet.title}。请对照下列项目逐项自查，如实填写自查情况，签字后于 {format_date(sheet.due)} 前交回，"
                "组织部将逐人核查对单。", "indent"),
        Spacer(1, 2 * mm), head, Spacer(1, 3 * mm), items, Spacer(1, 3 * mm),
        pc.para("本人签字：＿＿＿＿＿＿＿＿　　　　日期：＿＿＿＿年＿＿月＿＿日", "body"),
        Spacer(1, 4 * mm), pc.para("核查对单（组织部填写）", "h2"), check, Spacer(1, 3 * mm),
        pc.para(f"{department}　{format_date(sheet.issued_on)}下发", "body"),
    ]


def _texts(sheets: Sequence[ReminderSheet]) -> list[tuple[str, object]]:
    out = []
    for s in sheets:
        out += [(f"{s.cadre_name} · 提醒单", f"{s.title}{s.unit_name}{s.position}"),
                (f"{s.cadre_name} · 核查对单", f"{s.findings}{s.rectification}{s.checker}")]
        out += [(f"{s.cadre_name} · 对照检查项目", f"{name}{text}") for name, text in s.items]
    return out


def missing_glyphs(sheets: Sequence[ReminderSheet]) -> list[pc.MissingGlyph]:
    return pc.missing_glyphs(_texts(sheets))


def build_sheets(round_id: int, *, out_path: str | Path | None = None, split_dir: str | Path | None = None,
                 cadre_ids: Sequence[int] | None = None, progress: Progress = NO_PROGRESS,
                 reason: str = "") -> batch.BatchResult:
    """The 提醒单 of a round (or of ``cadre_ids`` in it) into one PDF or one file per cadre."""
    if (out_path is None) == (split_dir is None):
        raise ValidationError({"out": "请指定一个输出文件，或一个按人分别输出的文件夹。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写打印事由（记入审计日志）。"})
    sheets = checkup_sheets.reminder_sheets(round_id, cadre_ids)  # PRINT on each cadre: units and 回避
    if not sheets:
        raise ValidationError({"ids": "没有要打印的提醒单。"})
    department = _department()
    result = batch.BatchResult(kind=batch.CHECKUP, cadre_ids=[s.cadre_id for s in sheets],
                               missing=missing_glyphs(sheets))
    total = len(sheets)

    def tick(i: int, sheet: ReminderSheet):
        return batch.Tick(progress, i, total, f"正在生成 {sheet.cadre_name} 的提醒单（{i + 1}/{total}）")

    if split_dir is None:
        def parts():
            for i, sheet in enumerate(sheets):
                yield [*([PageBreak()] if i else []), tick(i, sheet), *sheet_story(sheet, department)]

        batch.write_parts(Path(out_path), parts(), TITLE)
        result.files.append(Path(out_path))
    else:
        folder = Path(split_dir)
        folder.mkdir(parents=True, exist_ok=True)
        frame = pc.frame_info()
        # 姓名_2026年第4季度_政治体检提醒单.pdf, as the dossiers are named: a clerk reads whose and which quarter
        # (the sheet's number in the database said nothing); the number only to tell two of one name apart
        stems = [pc.safe_file_name(f"{sheet.cadre_name}_{sheet.quarter_label}_{TITLE}") for sheet in sheets]
        twice = {stem for stem in stems if stems.count(stem) > 1}
        with contextlib.ExitStack() as pending:
            for i, (sheet, stem) in enumerate(zip(sheets, stems, strict=True)):
                target = folder / (f"{stem}_{sheet.sheet_id}.pdf" if stem in twice else f"{stem}.pdf")
                tmp = pending.enter_context(atomic_path(target))
                batch.build_into(tmp, [tick(i, sheet), *sheet_story(sheet, department)], f"{sheet.cadre_name} {TITLE}",
                                 frame)
                result.files.append(target)
    progress.report(total, total, "完成")
    batch.record_print(result, reason)
    return result
