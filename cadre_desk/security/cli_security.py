"""Command-line tools for accounts, backups and encryption:

    python -m cadre_desk --db PATH backup OUT
    python -m cadre_desk --db PATH restore IN
    python -m cadre_desk --db PATH users init-admin | list | add NAME ROLE | reset-password NAME | unlock NAME
    python -m cadre_desk --db PATH users passwd NAME   (原密码取自 CADRE_DESK_PASSWORD，新密码取自
                                                        CADRE_DESK_NEW_PASSWORD，或提示输入)
    python -m cadre_desk --db PATH encrypt            (口令取自 CADRE_DESK_PASSPHRASE 或提示输入)
    python -m cadre_desk --db PATH audit-verify

Once the database has accounts, these run only as a 系统管理员 (``--user NAME``; audit-verify as a
安全审计员), except ``users passwd``, which checks the old password itself."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cadre_desk import cli


def cmd_backup(args: argparse.Namespace) -> int:
    from cadre_desk.security import backups

    cli.open_db(args)
    target = backups.backup_to_file(Path(args.out))
    print(f"已备份到 {target}（已校验）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from cadre_desk.domain.errors import AuditProblemError, DatabaseDamagedError
    from cadre_desk.security import backups
    from cadre_desk.store.instance_lock import is_stale, lock_path_for, read_lock

    source = Path(args.source)
    if cli.is_server(args):
        cli.open_db(args)
        safety = backups.restore_from(source)
        print(f"已从 {source} 恢复服务器数据库 {args.db_path.name}。恢复前的数据已备份到 {safety}")
        return 0
    info = read_lock(lock_path_for(args.db_path))
    if info and not is_stale(info):
        print("数据库正被程序窗口使用，请先关闭窗口再恢复。", file=sys.stderr)
        return 1
    passphrase = cli.passphrase_for(args.db_path)
    try:
        backups.check_at_start(args.db_path, passphrase)
    except DatabaseDamagedError:
        aside = backups.recover_damaged(args.db_path, source, passphrase, args.accept_audit_problem)
        print(f"原数据库已损坏，已另存为 {aside}；已从 {source} 重建数据库。")
        cli.open_db(args)
        return 0
    cli.open_db(args)
    try:
        safety = backups.restore_from(source, accept_audit_problem=args.accept_audit_problem)
    except AuditProblemError as exc:
        print(f"错误：{exc}\n确认仍要用它恢复，请加 --accept-audit-problem（将记入审计日志）。", file=sys.stderr)
        return 1
    print(f"已从 {source} 恢复数据库。恢复前的数据已备份到 {safety}")
    return 0


def _read_new_password(prompt: str = "新密码") -> str:
    first = os.environ.get("CADRE_DESK_NEW_PASSWORD") or cli.ask_secret(f"{prompt}：")
    if not os.environ.get("CADRE_DESK_NEW_PASSWORD"):
        if cli.ask_secret("再输入一次：") != first:
            raise SystemExit("两次输入的密码不一致。")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from cadre_desk.security import accounts
    from cadre_desk.store.security_models import User

    if args.action in ("init-admin", "passwd"):
        args.needs = cli.NO_LOGIN  # no accounts yet / the old password is the proof
    cli.open_db(args)
    if args.action == "passwd":
        return _change_password(args)
    if args.action == "init-admin":
        user, password = accounts.create_first_admin(args.name or "admin")
        print(f"已创建系统管理员 {user.username}，一次性密码：{password}")
        print("首次登录后必须修改密码。请妥善保管，不要留存在电脑上。")
        return 0
    if args.action == "list":
        for row in User.select().order_by(User.id):
            state = "停用" if not row.active else ("锁定至 " + row.locked_until if row.locked_until else "正常")
            print(f"{row.id}\t{row.username}\t{row.display_name}\t{row.roles}\t单位:{row.unit_scopes or '全部'}\t{state}")
        return 0
    row = User.get_or_none(User.username == (args.name or ""))
    if args.action == "add":
        # 经办人,干部监督: a role and the grants beside it
        roles = tuple(r for r in (args.role or accounts.ROLE_READER).replace("，", ",").replace("+", ",").split(",")
                      if r.strip())
        scopes = tuple(int(x) for x in (args.units or "").split(",") if x.strip())
        user = accounts.create_user(accounts.UserInfo(None, args.name, args.display or "", roles, scopes),
                                    _read_new_password(), must_change=True)
        print(f"已新增用户 {user.username}（{'、'.join(roles)}），首次登录须修改密码。")
        return 0
    if row is None:
        print(f"用户不存在：{args.name}", file=sys.stderr)
        return 1
    if args.action == "reset-password":
        print(f"用户 {row.username} 的一次性密码：{accounts.reset_password(row.id)}")
    elif args.action == "unlock":
        accounts.unlock_user(row.id)
        print(f"已解除 {row.username} 的锁定。")
    return 0


def _change_password(args: argparse.Namespace) -> int:
    """``users passwd NAME``: the old password (CADRE_DESK_PASSWORD or a prompt), then the new one."""
    from cadre_desk.security import accounts

    if not args.name:
        print("请给出用户名：users passwd 用户名", file=sys.stderr)
        return 1
    old = cli.read_password(args.name)
    user = accounts.authenticate(args.name, old)  # counted toward the lockout like any login
    accounts.change_password(user.id, old, _read_new_password())
    print(f"已修改用户 {user.username} 的密码。")
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    from cadre_desk.security import encryption
    from cadre_desk.store.db import close_database

    if cli.is_server(args):
        print("服务器数据库由服务器保护（账号、网络、磁盘加密），不能用 encrypt 加密。"
              "可以把快照备份到本机后加密：backup 快照文件，再对快照文件运行 encrypt。", file=sys.stderr)
        return 1
    cli.open_db(args)  # with accounts: a 系统管理员 must log in first
    close_database()
    passphrase = os.environ.get("CADRE_DESK_PASSPHRASE") or cli.ask_secret("设置数据库口令：")
    if not os.environ.get("CADRE_DESK_PASSPHRASE") and cli.ask_secret("再输入一次：") != passphrase:
        print("两次输入的口令不一致。", file=sys.stderr)
        return 1
    encryption.encrypt_database(args.db_path, passphrase)
    print("数据库已加密。此后的备份也是加密的；备份文件夹中加密前的旧备份仍是明文，请妥善处理。")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from cadre_desk.security import anchors

    cli.open_db(args, readonly=True)
    verdict = anchors.verify()
    if verdict.ok:
        print(f"审计日志完整，未发现篡改（哈希链一致，与 {verdict.anchors} 个审计锚点相符）。")
        for note in verdict.notes:
            print(note)
        return 0
    print(verdict.message, file=sys.stderr)
    return 1


def add_parser(sub) -> None:
    p = sub.add_parser("backup", help="备份数据库到指定文件（SQLite 备份接口；服务器数据库写成完整的 SQLite 快照；已校验）")
    p.add_argument("out", help="备份文件")
    p.set_defaults(func=cmd_backup, needs=cli.ADMIN)
    p = sub.add_parser("restore", help="从备份文件恢复数据库（先自动备份当前数据）")
    p.add_argument("source", help="备份文件")
    p.add_argument("--accept-audit-problem", action="store_true",
                   help="备份的审计日志校验未通过时仍然恢复（校验结果记入审计日志）")
    p.set_defaults(func=cmd_restore, needs=cli.ADMIN)
    p = sub.add_parser("users", help="用户管理：init-admin / list / add / reset-password / unlock / passwd")
    p.add_argument("action", choices=["init-admin", "list", "add", "reset-password", "unlock", "passwd"])
    p.add_argument("name", nargs="?", help="用户名")
    p.add_argument("role", nargs="?", help="角色：系统管理员 / 安全审计员 / 经办人 / 查阅人；可加“,干部监督”（如 经办人,干部监督）")
    p.add_argument("--display", help="姓名")
    p.add_argument("--units", help="负责单位的编号，逗号分隔（默认全部）")
    p.set_defaults(func=cmd_users, needs=cli.ADMIN)
    p = sub.add_parser("encrypt", help="加密数据库（SQLCipher）")
    p.set_defaults(func=cmd_encrypt, needs=cli.ADMIN)
    p = sub.add_parser("audit-verify", help="校验审计日志（哈希链及记在数据库之外的锚点）")
    p.set_defaults(func=cmd_audit_verify, needs=cli.AUDIT)
