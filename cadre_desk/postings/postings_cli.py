"""`cadre_desk postings …`: list lines, posts, postings and reminders without the window."""

from __future__ import annotations

import argparse


def cmd_postings(args: argparse.Namespace) -> int:
    from cadre_desk.cli import open_db
    from cadre_desk.domain.dates import format_date
    from cadre_desk.postings import frontline_posts, posting_reminders, postings

    open_db(args, readonly=True)
    if args.what == "lines":
        for line in frontline_posts.list_lines():
            print(f"{line.name}\t默认 {line.default_months} 个月\t{line.post_count} 个岗位" +
                  ("\t已停用" if line.retired else ""))
    elif args.what == "posts":
        for post in frontline_posts.list_posts():
            print(f"{post.line_name}\t{post.name}\t{post.host}\t{post.filled}/{post.capacity}")
    elif args.what == "reminders":
        for reminder in posting_reminders.reminders():
            print(reminder.text)
    else:
        rows = postings.visible_postings(state=args.state or None)
        for p in rows:
            print(f"{p.id}\t{p.cadre_name}\t{p.unit_name}\t{p.line_name}\t{p.post_name}\t{p.channel}\t"
                  f"{format_date(p.start)}\t{format_date(p.actual_end or p.planned_end)}\t{p.state}\t"
                  f"{p.grade}\t{p.outcome}".rstrip("\t"))
        print(f"共 {len(rows)} 条")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("postings", help="一线锻炼：列出战线、岗位、选派记录或提醒")
    p.add_argument("what", nargs="?", default="list", choices=("list", "lines", "posts", "reminders"),
                   help="list 选派记录（默认，第一列为选派编号，供 review-pdf --ids）、lines 战线、posts 岗位、reminders 提醒")
    p.add_argument("--state", choices=("拟选派", "在岗", "期满", "提前召回"), help="只列出该状态的选派记录")
    p.set_defaults(func=cmd_postings)
