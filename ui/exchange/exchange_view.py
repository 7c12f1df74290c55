"""导出 in the window: the 文件 menu's export entries (roster, statistics, postings, pairs, appraisal, LRMX),
each asking for a file and a reason, then writing off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from cadre_desk.domain import clock
from ui.exchange.roster_export_dialog import RosterExportDialog
from ui.shell.context import AppContext
from ui.widgets import files, messages
from ui.widgets.files import ask_reason, default_dir, remember_dir


def _filtered_ids(context: AppContext) -> list[int] | None:
    window = context.main_window
    page = window.page("cadres") if window is not None else None
    model = getattr(page, "model", None)
    if model is None or not hasattr(model, "rows"):
        return None
    return [row[0] for row in model.rows]


def export_roster(context: AppContext, ids: list[int] | None = None) -> None:
    selected = ids if ids is not None else context.selected_cadre_ids()
    dialog = RosterExportDialog(context, selected, _filtered_ids(context), context.main_window)
    dialog.open()
    context._exchange_dialog = dialog


def _save_path(context: AppContext, title: str, name: str) -> str | None:
    default = str(Path(default_dir()) / f"{name}_{clock.today():%Y%m%d}.xlsx")
    path = files.save_file(context.main_window, title, default, "Excel 文件 (*.xlsx)")
    if not path:
        return None
    remember_dir(path)
    return path if path.lower().endswith(".xlsx") else path + ".xlsx"



def export_workbook(context: AppContext, title: str, name: str, fn) -> None:
    """Ask where and why, then ``fn(path, progress, reason=…)`` in the background with progress."""
    path = _save_path(context, title, name)
    if not path:
        return
    reason = ask_reason(context.main_window, title)
    if reason is None:
        return
    context.tasks.run_with_progress(context.main_window, title, lambda p: fn(path, p, reason=reason),
                                    on_done=lambda _r: context.status_message.emit(f"{title}完成：{path}"))


def export_stats(context: AppContext) -> None:
    from reports.excel import excel_stats

    export_workbook(context, "导出统计表", "干部统计表", excel_stats.export_stats)


def export_postings(context: AppContext) -> None:
    from reports.excel import excel_workbooks

    export_workbook(context, "导出一线锻炼名册", "一线锻炼名册", excel_workbooks.export_postings)


def export_mentoring(context: AppContext) -> None:
    from reports.excel import excel_workbooks

    export_workbook(context, "导出导师帮带结对表", "导师帮带结对表", excel_workbooks.export_mentoring)


def export_appraisal(context: AppContext) -> None:
    from reports.excel import excel_workbooks

    export_workbook(context, "导出考核结果及排名", "考核结果及排名", excel_workbooks.export_appraisal)


def export_lrmx(context: AppContext, ids: list[int] | None = None) -> None:
    from reports.lrmx import lrmx

    parent = context.main_window
    ids = ids if ids else context.selected_cadre_ids()
    if not ids:
        ids = _filtered_ids(context) or []
        if not ids:
            messages.info(parent, "导出任免表", "请先在干部名册中选择或筛选出要导出的干部。")
            return
        if not messages.confirm(parent, "导出任免表", f"未选择干部，是否导出当前筛选结果中的 {len(ids)} 人？", "导出"):
            return
    folder = files.pick_folder(parent, f"选择保存任免表（LRMX）文件的文件夹（共 {len(ids)} 份）", default_dir(),
                               "保存到此文件夹")
    if not folder:
        return
    remember_dir(folder + "/")
    reason = ask_reason(parent, "导出任免表")
    if reason is None:
        return
    context.tasks.run_with_progress(
        parent, "导出任免表", lambda p: lrmx.export_lrmx(folder, ids, p, reason=reason),
        on_done=lambda result: _lrmx_done(context, result, folder))


def _lrmx_done(context: AppContext, result, folder: str) -> None:
    """已导出任免表 N 份 on the status bar; whose texts are over the official editor's limits in a warning."""
    context.status_message.emit(f"已导出任免表 {len(result.files)} 份：{folder}")
    if result.over:
        messages.warning(context.main_window, "导出任免表", result.warning())
