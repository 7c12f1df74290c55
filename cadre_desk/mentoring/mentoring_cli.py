"""`cadre_desk mentoring`: list 导师帮带 pairs (tab separated) without the window."""

from __future__ import annotations

import sys

from cadre_desk.domain.dates import format_date
from cadre_desk.mentoring.mentoring import STATES, visible_pairs
from cadre_desk.mentoring.mentoring_reminders import idle_pairs


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("mentoring", help="列出导师帮带结对（制表符分隔；第一列为结对编号，供 mentoring-pdf --ids）")
    p.add_argument("--state", choices=STATES, help="只列出该状态的结对")
    p.add_argument("--idle", action="store_true", help="只列出超过提醒天数没有谈话记录的进行中结对")
    p.set_defaults(func=_cmd_list)


def _cmd_list(args) -> int:
    from cadre_desk.cli import open_db

    open_db(args, readonly=True)
    if args.idle:
        rows = [(pair, f"{days}天") for pair, days in idle_pairs()]
    else:
        rows = [(pair, "") for pair in visible_pairs(state=args.state)]
    print("\t".join(("编号", "导师", "帮带对象", "对象单位", "帮带方向", "开始", "计划结束", "实际结束", "状态", "谈话次数",
                     "最近谈话", "导师评分", "对象评分", "未谈话")))
    for pair, idle in rows:
        print("\t".join(str(v) for v in (
            pair.id, pair.mentor_name, pair.mentee_name, pair.mentee_unit_name, pair.focus, format_date(pair.start),
            format_date(pair.planned_end), format_date(pair.actual_end), pair.state, pair.log_count,
            format_date(pair.last_log_date), "" if pair.mentor_rating is None else f"{pair.mentor_rating:g}",
            "" if pair.mentee_rating is None else f"{pair.mentee_rating:g}", idle)))
    print(f"共 {len(rows)} 对", file=sys.stderr)
    return 0
