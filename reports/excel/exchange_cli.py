"""Command line: ``import FILE…`` and ``export roster|lrmx|stats|postings|mentoring|appraisal``.

Exit codes of import: 0 every row went in, 1 rows were rejected (nothing written without
--skip-invalid), 2 a file could not be read or an option does not fit it (--unit, --sheet, --post-row:
nothing written)."""

from __future__ import annotations

import argparse
import sys


def _ids(text: str | None) -> list[int] | None:
    if not text:
        return None
    out: list[int] = []
    for part in text.replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            low, high = part.split("-", 1)
            out.extend(range(int(low), int(high) + 1))
        else:
            out.append(int(part))
    return out


def end_progress() -> None:
    from cadre_desk.cli import end_progress as end

    end()


def _progress():
    from cadre_desk.cli import progress_printer
    from cadre_desk.domain.progress import Progress

    return Progress(progress_printer)


_SHOWN = 20  # notes and warnings printed; the rest are counted (the --report workbook has them all)


def _print_some(lines: list[str]) -> None:
    for line in lines[:_SHOWN]:
        print(line)
    if len(lines) > _SHOWN:
        print(f"  ……另有 {len(lines) - _SHOWN} 条")


_POST_ROW_FORM = "--post-row 行号=接续 或 --post-row 行号=空缺"


def _post_row_choices(given: list[str] | None) -> dict[int, str]:
    """--post-row 7=接续 / 9=空缺 (repeatable): sheet row → continued_rows.JOIN / VACANT; ValueError saying what is
    wrong. The words are what the clerk says of a row with no name and only a post (the preview's 只有职务的行)."""
    from cadre_desk.exchange import imports

    words = {"接续": imports.JOIN, "空缺": imports.VACANT}
    choices: dict[int, str] = {}
    for text in given or ():
        line, sep, word = text.replace("＝", "=").partition("=")
        line, word = line.strip(), word.strip()
        if not sep or not line.isdigit() or int(line) < 1:
            raise ValueError(f"--post-row “{text}”的写法不对，应为 {_POST_ROW_FORM}（如 --post-row 7=接续）")
        if word not in words:
            raise ValueError(f"--post-row “{text}”中的“{word}”不是可用的处理，只能是“接续”或“空缺”")
        choices[int(line)] = words[word]
    return choices


def _lines(rows) -> str:
    """第 4、6、8 行 (the first 30; the rest counted)."""
    shown = "、".join(str(row.line) for row in rows[:30])
    return f"第 {shown} 行" + (f"等 {len(rows)} 行" if len(rows) > 30 else "")


def _post_row_refusal(plan, choices: dict[int, str]) -> str:
    """Why --post-row cannot be applied to the plan ("" when it can): a row that is no row with no name and only
    a post (the valid ones named), or 接续 where no person's row is right above."""
    from cadre_desk.exchange import imports

    read = {row.line: row for row in plan.post_rows}
    wrong = sorted(line for line in choices if line not in read)
    if wrong:
        valid = (f"本表只有职务的行是{_lines(plan.post_rows)}" if plan.post_rows
                 else "本表没有只有职务的行（没有姓名、只填了现任职务的行）")
        return f"第 {'、'.join(map(str, wrong))} 行不是只有职务的行（没有姓名、只填了现任职务的行）：{valid}"
    alone = [read[line] for line, choice in sorted(choices.items())
             if choice == imports.JOIN and not read[line].joinable]
    if alone:
        return "；".join(f"第 {row.line} 行不能接续上一人（{row.why}）" for row in alone)
    return ""


def cmd_import(args: argparse.Namespace) -> int:
    from cadre_desk.cli import open_db
    from cadre_desk.domain.errors import CadreDeskError
    from cadre_desk.exchange import imports
    from cadre_desk.exchange.workbook_package import FileRefused
    from cadre_desk.units import units

    open_db(args, require_write="导入")
    options = imports.ImportOptions(accept_suggestions=args.accept_suggestions, create_units=args.create_units,
                                    duplicate_action=imports.UPDATE if args.update else imports.SKIP)
    if args.unit:
        unit = units.find_by_name(args.unit)
        if unit is not None:
            options.default_unit_id = unit.id
        elif args.create_units:
            options.default_unit_name = args.unit  # created with the import, where units of its kind are
        else:
            print(f"错误：找不到单位“{args.unit}”（加 --create-units 可自动新建）。", file=sys.stderr)
            return 2
    for name in args.files:  # before reading anything: --sheet for a file without sheets is refused
        try:
            imports.check_sheet_applies(name, args.sheet)
        except FileRefused as exc:
            print(f"错误：{name}：{exc}", file=sys.stderr)
            return 2
    try:
        post_choices = _post_row_choices(args.post_row)
    except ValueError as exc:
        print(f"错误：{exc}。未导入任何数据。", file=sys.stderr)
        return 2
    if post_choices and len(args.files) > 1:
        print("错误：--post-row 所指的行号只对一个文件有效，请逐个文件导入。未导入任何数据。", file=sys.stderr)
        return 2
    plans = []
    for name in args.files:
        try:
            plan = imports.analyze(name, options, _progress(), sheet=args.sheet)
        except (FileRefused, OSError) as exc:
            end_progress()
            print(f"错误：{name}：{exc}", file=sys.stderr)
            return 2
        if post_choices:
            if refused := _post_row_refusal(plan, post_choices):
                end_progress()
                print(f"错误：{name}：{refused}。未导入任何数据。", file=sys.stderr)
                return 2
            imports.set_post_rows(plan, post_choices, options, _progress())
        plans.append(plan)
    rejected = 0
    for plan in plans:
        counts = plan.counts()
        bad = [r for r in plan.rows if r.problems and r.action != imports.SKIP]
        rejected += len(bad)
        print(f"{plan.file_name}（{imports.KIND_LABELS[plan.kind]}）：共 {counts['total']} 行，可导入 {counts['ok']} 行，"
              f"有问题 {len(bad)} 行，与已有干部重复 {counts['duplicates']} 行"
              + (f"（更新 {counts['updated']} 行，无变化 {counts['unchanged']} 行）" if counts["unchanged"]
                 else f"（{'更新' if args.update else '跳过'}）"))
        if counts["derived_units"]:
            print(f"  其中 {counts['derived_units']} 行的单位从现任职务推断（详见 --report 报告的“单位”列）")
        _print_some([f"  {note}" for note in plan.notes])
        if len(plan.sheet_names) > 1 and not args.sheet:
            print("  要导入另一张工作表，请加 --sheet 工作表名")
        if plan.post_rows:
            print(f"  只有职务的行：{_lines(plan.post_rows)}；要改变其处理，请加 {_POST_ROW_FORM}")
        # a folder of 任免表: each row is a file, named as the preview's 行号 column names it
        where = (lambda row: row.source) if plan.kind == imports.LRMX else (lambda row: f"第 {row.line} 行")
        _print_some([f"  提示：{where(row)} {row.name}：{'；'.join(row.warnings)}"
                     for row in plan.rows if row.warnings and not row.problems and row.action != imports.SKIP])
        for row in bad[:50]:
            print(f"  {where(row)} {row.name}：{'；'.join(row.problems)}")
        if len(bad) > 50:
            print(f"  …… 另有 {len(bad) - 50} 行有问题，详见 --report 报告")
    if args.report:
        from pathlib import Path

        for i, plan in enumerate(plans):
            target = Path(args.report)
            if len(plans) > 1:
                target = target.with_name(f"{target.stem}_{i + 1}{target.suffix}")
            imports.save_problem_report(plan, target)
            print(f"问题报告：{target}")
    if rejected and not args.skip_invalid:
        print(f"有 {rejected} 行存在问题，未导入任何数据（加 --skip-invalid 可只导入无问题的行）。", file=sys.stderr)
        return 1
    if args.dry_run:
        print("试运行（--dry-run）：未写入数据库。")
        return 1 if rejected else 0
    try:
        from cadre_desk.security import backups

        # nothing to write (every row skipped or 无变化): no copy of the whole database for it
        writes = sum(counts["ok"] - counts["unchanged"] for counts in (plan.counts() for plan in plans))
        with backups.backup_kept_if_written(
                "导入", wanted=bool(writes),  # refused, failed or Ctrl+C inside the transaction: nothing written
                on_discard=lambda made: print(f"未写入任何数据，导入前的备份已删除：{made}", file=sys.stderr)) as kept:
            if kept.path is not None:
                print(f"导入前已备份数据库：{kept.path}")
            results = [imports.commit(plan, options, _progress(), skip_invalid=True, backup=False)
                       for plan in plans]
    except CadreDeskError as exc:
        said = str(exc) if imports.NOTHING_WRITTEN in str(exc) else f"{str(exc).rstrip('。')}；{imports.NOTHING_WRITTEN}。"
        end_progress()
        print(f"错误：{said}", file=sys.stderr)
        return 1
    inserted = sum(r.inserted for r in results)
    updated = sum(r.updated for r in results)
    unchanged = sum(r.unchanged for r in results)
    same = f"无变化 {unchanged} 人，" if unchanged else ""
    end_progress()
    print(f"导入完成：新增 {inserted} 人，更新 {updated} 人，{same}跳过 {sum(r.skipped for r in results)} 行，"
          f"未导入 {rejected} 行。")
    return 1 if rejected else 0


# export type → its function in reports.excel.practices_workbooks
PRACTICE_EXPORTS = {"checkups": "export_checkups", "pools": "export_pools", "care": "export_care",
                    "liaison": "export_liaisons"}


def cmd_export(args: argparse.Namespace) -> int:
    from cadre_desk.cli import open_db

    open_db(args)
    ids = _ids(getattr(args, "ids", None))
    reason = args.reason or "命令行导出"
    if args.what == "roster":
        from reports.excel import excel_roster

        keys = excel_roster.columns_from_labels(args.columns) if args.columns else None
        if args.preset:
            keys = excel_roster.presets().get(args.preset)
            if keys is None:
                print(f"错误：没有名为“{args.preset}”的列方案。", file=sys.stderr)
                return 2
        n = excel_roster.export_roster(args.out, keys, ids, _progress(), reason=reason)
        end_progress()
        print(f"已导出花名册 {n} 人 → {args.out}")
    elif args.what == "lrmx":
        from cadre_desk.access import permissions, reads
        from reports.lrmx import lrmx

        if ids is None:
            ids = reads.cadre_ids(action=permissions.EXPORT)
        result = lrmx.export_lrmx(args.out, ids, _progress(), reason=reason)
        end_progress()
        print(f"已导出任免表 {len(result.files)} 份 → {args.out}")
        if result.over:
            print(f"警告：{result.warning()}", file=sys.stderr)
    elif args.what == "stats":
        from reports.excel import excel_stats

        excel_stats.export_stats(args.out, _progress(), reason=reason)
        end_progress()
        print(f"已导出统计表 → {args.out}")
    elif args.what in PRACTICE_EXPORTS:
        from reports.excel import practices_workbooks

        getattr(practices_workbooks, PRACTICE_EXPORTS[args.what])(args.out, _progress(), reason=reason)
        end_progress()
        print(f"已导出 → {args.out}")
    else:
        from reports.excel import excel_workbooks

        fn = {"postings": excel_workbooks.export_postings, "mentoring": excel_workbooks.export_mentoring,
              "appraisal": excel_workbooks.export_appraisal}[args.what]
        fn(args.out, _progress(), reason=reason)
        end_progress()
        print(f"已导出 → {args.out}")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("import", help="导入干部名册 / 年度考核结果 / 培训记录（.xlsx .xls .ods）或任免表（.lrmx 文件或文件夹）")
    p.add_argument("files", nargs="+", metavar="FILE", help="要导入的文件或 .lrmx 文件夹")
    p.add_argument("--sheet", metavar="工作表", help="要导入的工作表名称（默认：第一张有表头的工作表）")
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    p.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余行")
    p.add_argument("--report", metavar="REPORT.xlsx", help="把问题行保存为 Excel 报告")
    p.add_argument("--update", action="store_true", help="与已有干部重复的行更新已有档案（默认跳过）")
    p.add_argument("--create-units", action="store_true", help="表中不存在的单位自动新建")
    p.add_argument("--accept-suggestions", action="store_true", help="采用代码表建议（如 汉 → 汉族）")
    p.add_argument("--unit", metavar="单位", help="无单位列、也无法从现任职务判断单位的行归入此单位"
                   "（与 --create-units 同用时不存在则新建）")
    p.add_argument("--post-row", action="append", metavar="行号=接续|空缺",
                   help="没有姓名、只填了现任职务的行（只有职务的行）的处理：接续＝并入上一人的现任职务，"
                        "空缺＝按空缺岗位跳过；行号为 Excel 行号，如 --post-row 7=接续 --post-row 9=空缺（可重复，"
                        "只用于一个文件）。行号不是这样的行时不导入，并列出可用的行号")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="导出花名册、任免表、统计表等")
    what = p.add_subparsers(dest="what", metavar="类型", required=True)
    for name, title, target in (("roster", "花名册（.xlsx）", "OUT.xlsx"), ("lrmx", "任免表（每人一个 .lrmx）", "OUTDIR"),
                                ("stats", "统计表（.xlsx，含图表）", "OUT.xlsx"),
                                ("postings", "一线锻炼名册（.xlsx）", "OUT.xlsx"),
                                ("mentoring", "导师帮带结对表（.xlsx）", "OUT.xlsx"),
                                ("appraisal", "考核结果及排名（.xlsx）", "OUT.xlsx"),
                                ("checkups", "政治体检核查对单及单位汇总（.xlsx）", "OUT.xlsx"),
                                ("pools", "专业干部信息库名册（.xlsx，每库一页）", "OUT.xlsx"),
                                ("care", "谈心谈话及关爱记录（.xlsx）", "OUT.xlsx"),
                                ("liaison", "一线干部包抓联系表（.xlsx）", "OUT.xlsx")):
        q = what.add_parser(name, help=title)
        q.add_argument("out", metavar=target)
        if name in ("roster", "lrmx"):
            q.add_argument("--ids", help="干部编号，如 1,2,5-9（默认全部）")
        if name == "roster":
            q.add_argument("--columns", help="列名，如 姓名,性别,出生年月（默认常用列）")
            q.add_argument("--preset", help="使用已保存的列方案")
        q.add_argument("--reason", default="", help="导出事由（记入审计日志）")
        q.set_defaults(func=cmd_export)
