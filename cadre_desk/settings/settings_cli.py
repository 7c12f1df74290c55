"""Command line for who we are: ``settings get [KEY]`` and ``settings set KEY VALUE``.

    python -m cadre_desk --db PATH settings get                 # every setting a user sets
    python -m cadre_desk --db PATH settings get 组织部全称
    python -m cadre_desk --db PATH settings set 组织部全称 中共兴平市委组织部
    python -m cadre_desk --db PATH settings set department.place 兴平市

KEY is the Chinese name (组织部全称, 组织部简称, 地名) or the key (department.full_name …).
Exit codes: 0 done, 1 unknown key or invalid value, 2 refused (no right to administer the system)."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub) -> None:
    from cadre_desk.settings.settings import USER_SETTINGS

    names = "、".join(f"{s.label}（{s.key}）" for s in USER_SETTINGS)
    p = sub.add_parser("settings", help="查看或修改设置（组织部全称、简称、地名）",
                       description=f"查看或修改设置。可设置：{names}")
    actions = p.add_subparsers(dest="settings_action", metavar="操作", required=True)
    get = actions.add_parser("get", help="查看设置")
    get.add_argument("key", nargs="?", metavar="KEY", help="设置项（不写则列出全部）")
    put = actions.add_parser("set", help="修改设置")
    put.add_argument("key", metavar="KEY", help="设置项，如 组织部全称")
    put.add_argument("value", metavar="VALUE", help="新的值")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cadre_desk.cli import open_db
    from cadre_desk.domain.errors import PermissionDenied, ValidationError
    from cadre_desk.settings import settings

    spec = settings.spec_for(args.key) if args.key else None
    if args.key and spec is None:
        known = "、".join(s.label for s in settings.USER_SETTINGS)
        print(f"没有名为“{args.key}”的设置项。可用：{known}", file=sys.stderr)
        return 1
    open_db(args, readonly=args.settings_action == "get")
    if args.settings_action == "get":
        for item in [spec] if spec else settings.USER_SETTINGS:
            value = settings.get(item.key) or ""
            print(f"{item.label}\t{value}" if spec is None else value)
        return 0
    try:
        settings.set_user_settings({spec.key: args.value})
    except ValidationError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    except PermissionDenied as exc:
        print(f"不能修改设置：{exc}", file=sys.stderr)
        return 2
    print(f"{spec.label}：{settings.get(spec.key)}")
    return 0
