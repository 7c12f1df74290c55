"""Printing the capabilities' records from the window: the 导师帮带情况表 and 结对名单 of pairs, the 一线锻炼鉴定表
of postings. From their pages' 打印 buttons (the selected pairs or postings), from the cadre list (the
selected cadres' pairs, or their 期满 postings) and from the 文件 menu (the 结对名单 of every pair of the
operator's units). The steps of the 鉴定报告's (print_view): the reason and where to save, the characters the
font lacks shown before anything is built, the build in the background, the print preview."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from ui.printing.print_view import PrintDialog, run_checked
from ui.widgets import messages

MENTORING, PAIR_LIST, REVIEW = "mentoring", "pair_list", "review"
NOUNS = {MENTORING: "对", PAIR_LIST: "对", REVIEW: "份"}


def _sheets(kind: str):
    if kind == REVIEW:
        from reports.pdf import review_sheet

        return review_sheet
    from reports.pdf import mentoring_sheet

    return mentoring_sheet


def start_record_print(context, kind: str, ids: list[int], names: list[str], *, what: str = "",
                       dialog: PrintDialog | None = None, confirm_missing=None, on_finished=None,
                       parent: QWidget | None = None):
    """The whole flow for ``ids`` (pair ids, or posting ids for REVIEW), named in the dialog by ``names``;
    ``what``: the choice the 结对名单 was made by, under its title. ``dialog`` and ``confirm_missing`` are
    injectable for tests."""
    parent = parent or context.main_window
    if not ids:
        messages.info(parent, "打印", "请先选择要打印的记录。")
        return None
    if dialog is None:
        dialog = PrintDialog(kind, ids, names, parent, noun=NOUNS[kind], single_only=kind == PAIR_LIST)
        if dialog.exec() != QDialog.Accepted:
            return None
    options = dialog.options()

    def check(progress):
        progress.report(0, 1, "正在读取…")
        sheet = _sheets(kind)
        found = sheet.gather(ids)
        return found, sheet.missing_glyphs(found)

    def work(progress, found):
        sheet = _sheets(kind)
        if kind == PAIR_LIST:
            return sheet.build_list(ids, out_path=options["out_path"], progress=progress, reason=options["reason"],
                                    what=what, sheets=found)
        return sheet.build_sheets(ids, progress=progress, sheets=found, **options)

    return run_checked(context, parent, kind, check, work, confirm_missing=confirm_missing, on_finished=on_finished)


def pair_names(pairs) -> list[str]:
    return [f"{p.mentor_name}→{p.mentee_name}" for p in pairs]


def posting_names(rows) -> list[str]:
    return [f"{p.cadre_name}·{p.post_name}" for p in rows]


def print_pairs(context, pairs, kind: str = MENTORING, *, what: str = "", parent: QWidget | None = None):
    """The 情况表 (MENTORING) or the 结对名单 (PAIR_LIST) of ``pairs`` (PairInfo)."""
    return start_record_print(context, kind, [p.id for p in pairs], pair_names(pairs), what=what, parent=parent)


def print_reviews(context, rows, parent: QWidget | None = None):
    """The 鉴定表 of the 期满 postings among ``rows`` (PostingInfo)."""
    from cadre_desk.postings.posting_data import COMPLETED

    ended = [p for p in rows if p.state == COMPLETED]
    if not ended:
        messages.info(parent or context.main_window, "打印一线锻炼鉴定表",
                      "所选选派记录都未期满：期满鉴定在期满结束时填写，期满后才能打印鉴定表。")
        return None
    return start_record_print(context, REVIEW, [p.id for p in ended], posting_names(ended), parent=parent)


# ---- from the cadre list and the 文件 menu ----------------------------------------------------------

def pairs_of_cadres(context, cadre_ids: list[int]) -> None:
    """干部 → 打印导师帮带情况表…: every pair of the selected cadres (as 帮带对象 or as 导师) the operator reads."""
    from cadre_desk.mentoring import mentoring

    pairs = list({p.id: p for cadre_id in cadre_ids for p in mentoring.pairs_for_cadre(cadre_id)}.values())
    if not pairs:
        messages.info(context.main_window, "打印导师帮带情况表", "所选干部没有导师帮带结对。")
        return
    print_pairs(context, pairs)


def reviews_of_cadres(context, cadre_ids: list[int]) -> None:
    """干部 → 打印一线锻炼鉴定表…: the 期满 postings of the selected cadres."""
    from cadre_desk.postings import postings
    from cadre_desk.postings.posting_data import COMPLETED

    rows = [p for cadre_id in cadre_ids for p in postings.postings_for_cadre(cadre_id) if p.state == COMPLETED]
    if not rows:
        messages.info(context.main_window, "打印一线锻炼鉴定表", "所选干部没有期满的一线锻炼，期满鉴定在期满结束时填写。")
        return
    print_reviews(context, rows)


def all_pairs_list(context) -> None:
    """文件 → 打印导师帮带结对名单…: every pair of the operator's units, as the 导师帮带 page lists them under 全部状态."""
    from cadre_desk.access import permissions, scope
    from cadre_desk.mentoring import mentoring

    pairs = mentoring.visible_pairs()
    refused = scope.current().refusals(permissions.PRINT, [p.mentee_id for p in pairs])  # 回避: the operator's own
    pairs = [p for p in pairs if p.mentee_id not in refused]
    if not pairs:
        messages.info(context.main_window, "打印导师帮带结对名单", "没有导师帮带结对。")
        return
    print_pairs(context, pairs, PAIR_LIST, what="全部结对")
