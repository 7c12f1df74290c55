"""Command line for PDFs: ``dossier`` (鉴定报告), ``rmb`` (干部任免审批表), ``portrait`` (干部画像) and
``home-pdf`` (the 工作台 on one page, for a meeting: the operator's units, as the window shows them),
``mentoring-pdf`` (导师帮带情况表 per pair, or with --list the 结对名单) and ``review-pdf`` (一线锻炼鉴定表).

    python -m cadre_desk --db PATH dossier OUT.pdf (--ids 1,2,3 | --all) [--split DIR] [--reason 文本]
    python -m cadre_desk --db PATH rmb OUT.pdf --ids 1,2 [--split DIR]
    python -m cadre_desk --db PATH portrait OUT.pdf --ids 1,2 [--split DIR]
    python -m cadre_desk --db PATH home-pdf OUT.pdf [--reason 文本]
    python -m cadre_desk --db PATH mentoring-pdf OUT.pdf (--ids 结对编号 | --all [--state 进行中]) [--list] [--split DIR]
    python -m cadre_desk --db PATH review-pdf OUT.pdf (--ids 选派编号 | --all) [--split DIR]

Exit codes: 0 done, 1 bad arguments or nothing to print, 2 refused or failed (message on stderr),
3 characters the font lacks with --strict, 130 interrupted (no file left behind).
reportlab is imported only inside the handlers.
"""

from __future__ import annotations

import argparse
import sys


def _ids(text: str) -> list[int]:
    try:
        return [int(x) for x in text.replace("，", ",").split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("编号应写成 1,2,3") from None


def add_parser(sub) -> None:
    for name, title in (("dossier", "生成鉴定报告（成长档案）PDF"), ("rmb", "生成干部任免审批表 PDF"),
                        ("portrait", "生成干部画像 PDF（每人一页）")):
        p = sub.add_parser(name, help=title, description=title)
        p.add_argument("out", nargs="?", metavar="OUT.pdf", help="输出的 PDF 文件（用 --split 时可省略）")
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--ids", type=_ids, help="干部编号，逗号分隔，如 1,2,3")
        who.add_argument("--all", action="store_true", help="全部干部")
        p.add_argument("--split", metavar="DIR", help="每人一个文件，放到此文件夹")
        p.add_argument("--reason", default="命令行批量打印", help="打印事由（记入审计日志）")
        p.add_argument("--strict", action="store_true", help="有字体缺字时不生成，退出码 3")
        p.set_defaults(func=run, kind=name)
    title = "生成工作台 PDF（一页，统计与提醒，范围同窗口：本人负责的单位）"
    p = sub.add_parser("home-pdf", help=title, description=title)
    p.add_argument("out", metavar="OUT.pdf", help="输出的 PDF 文件")
    p.add_argument("--reason", default="命令行打印", help="打印事由（记入审计日志）")
    p.add_argument("--strict", action="store_true", help="有字体缺字时不生成，退出码 3")
    p.set_defaults(func=run_home)
    from cadre_desk.mentoring.mentoring import STATES

    title = "生成导师帮带情况表 PDF（每对一份），或用 --list 生成结对名单"
    p = sub.add_parser("mentoring-pdf", help=title, description=title)
    _record_arguments(p, "结对编号，逗号分隔，如 1,2,3", "本人负责单位的全部结对")
    p.add_argument("--state", choices=STATES, help="与 --all 同用：只要该状态的结对")
    p.add_argument("--list", action="store_true", help="生成结对名单（一张表），而不是每对一份情况表")
    p.set_defaults(func=run_records, kind="mentoring")
    title = "生成一线锻炼鉴定表 PDF（每条期满的选派一页）"
    p = sub.add_parser("review-pdf", help=title, description=title)
    _record_arguments(p, "选派记录编号，逗号分隔，如 1,2,3（未期满的略过）", "本人负责单位全部期满的选派")
    p.set_defaults(func=run_records, kind="review")


def _record_arguments(p, ids_help: str, all_help: str) -> None:
    p.add_argument("out", nargs="?", metavar="OUT.pdf", help="输出的 PDF 文件（用 --split 时可省略）")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", type=_ids, help=ids_help)
    which.add_argument("--all", action="store_true", help=all_help)
    p.add_argument("--split", metavar="DIR", help="每份一个文件，放到此文件夹")
    p.add_argument("--reason", default="命令行打印", help="打印事由（记入审计日志）")
    p.add_argument("--strict", action="store_true", help="有字体缺字时不生成，退出码 3")


def _refused_for_missing(missing: list, strict: bool) -> bool:
    """Each character the font lacks said on stderr; True when ``strict`` refuses the file for them."""
    for item in missing:
        print(f"缺字：{item}", file=sys.stderr)
    if missing and strict:
        print(f"共 {len(missing)} 处字体缺字，未生成（去掉 --strict 可照常生成，缺字处空白）。", file=sys.stderr)
        return True
    return False


def run(args: argparse.Namespace) -> int:
    from cadre_desk.cli import end_progress, open_db, progress_printer
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress

    if not args.out and not args.split:
        print("请给出输出文件 OUT.pdf，或用 --split 指定文件夹。", file=sys.stderr)
        return 1
    open_db(args)
    from cadre_desk.access import permissions, reads
    from reports.pdf import batch

    # --all: every cadre the operator may print (their units, less their own and relatives' files)
    ids = reads.cadre_ids(action=permissions.PRINT) if args.all else args.ids
    if not ids:
        print("没有要打印的干部。", file=sys.stderr)
        return 1
    token = CancelToken()
    progress = Progress(progress_printer, token)
    try:
        datas = batch.gather_all(ids, progress)
        if _refused_for_missing(batch.check_glyphs(datas), args.strict):
            return 3
        result = batch.build_dossiers(ids, out_path=None if args.split else args.out, split_dir=args.split,
                                      kind=args.kind, progress=progress, reason=args.reason, datas=datas)
    except (KeyboardInterrupt, Cancelled):
        end_progress()
        print("已取消，未留下文件。", file=sys.stderr)
        return 130
    end_progress()
    where = args.split if args.split else args.out
    print(f"已生成 {len(result.cadre_ids)} 人的{batch.KIND_TITLES[args.kind]}，共 {len(result.files)} 个文件 → {where}")
    return 0


def run_home(args: argparse.Namespace) -> int:
    """The 工作台 PDF of the operator's units (with accounts: the --user account's, as in its window)."""
    from cadre_desk.cli import end_progress, open_db, progress_printer
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress

    open_db(args)
    from reports.pdf import home_sheet

    try:
        result = home_sheet.export_home_pdf(args.out, Progress(progress_printer, CancelToken()), reason=args.reason,
                                            strict=args.strict)
    except (KeyboardInterrupt, Cancelled):
        end_progress()
        print("已取消，未留下文件。", file=sys.stderr)
        return 130
    end_progress()
    if _refused_for_missing(result.missing, args.strict):
        return 3
    print(f"已生成工作台 PDF → {args.out}")
    return 0


def _record_ids(args: argparse.Namespace) -> list[int]:
    """--ids as given, or --all: the operator's pairs (of --state) or 期满 postings, as their pages list them."""
    if not args.all:
        return args.ids
    from cadre_desk.access import permissions, scope

    if args.kind == "mentoring":
        from cadre_desk.mentoring import mentoring

        rows = [(p.id, p.mentee_id) for p in mentoring.visible_pairs(state=args.state)]
    else:
        from cadre_desk.postings import postings
        from cadre_desk.postings.posting_data import COMPLETED

        rows = [(p.id, p.cadre_id) for p in postings.visible_postings(state=COMPLETED)]
    refused = scope.current().refusals(permissions.PRINT, [cadre_id for _id, cadre_id in rows])  # 回避, as --all of dossier
    return [record_id for record_id, cadre_id in rows if cadre_id not in refused]


def run_records(args: argparse.Namespace) -> int:
    """导师帮带情况表 / 结对名单 (mentoring-pdf) and 一线锻炼鉴定表 (review-pdf)."""
    from cadre_desk.cli import end_progress, open_db, progress_printer
    from cadre_desk.domain.errors import Cancelled
    from cadre_desk.domain.progress import CancelToken, Progress

    if not args.out and not args.split:
        print("请给出输出文件 OUT.pdf，或用 --split 指定文件夹。", file=sys.stderr)
        return 1
    if getattr(args, "list", False) and args.split:
        print("结对名单是一张表，不能用 --split。", file=sys.stderr)
        return 1
    open_db(args)
    if args.kind == "mentoring":
        from reports.pdf import mentoring_sheet as sheet
    else:
        from reports.pdf import review_sheet as sheet

    ids = _record_ids(args)
    if not ids:
        print("没有要打印的记录。", file=sys.stderr)
        return 1
    progress = Progress(progress_printer, CancelToken())
    try:
        sheets = sheet.gather(ids)
        if _refused_for_missing(sheet.missing_glyphs(sheets), args.strict):
            return 3
        if getattr(args, "list", False):
            what = f"状态：{args.state}" if args.all and args.state else ""
            result = sheet.build_list(ids, out_path=args.out, progress=progress, reason=args.reason, what=what,
                                      sheets=sheets)
        else:
            result = sheet.build_sheets(ids, out_path=None if args.split else args.out, split_dir=args.split,
                                        progress=progress, reason=args.reason, sheets=sheets)
    except (KeyboardInterrupt, Cancelled):
        end_progress()
        print("已取消，未留下文件。", file=sys.stderr)
        return 130
    end_progress()
    from reports.pdf.batch import KIND_TITLES

    print(f"已生成 {result.count_text}的{KIND_TITLES[result.kind]}，共 {len(result.files)} 个文件 → "
          f"{args.split or args.out}")
    return 0
