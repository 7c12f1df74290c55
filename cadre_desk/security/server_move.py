"""Moving a department's database onto the shared server:

    python -m cadre_desk --db FILE migrate-to postgresql://用户@主机:5432/数据库

Every table of the SQLite file (profiles, photos, sub-records, postings, appraisals, accounts, settings,
the audit log with its hash chain) is copied into an empty server database, then every row is compared
and the audit chain is verified on the server. The file itself is not changed."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

from cadre_desk.access import permissions
from cadre_desk.domain.errors import DatabaseOpenError, ValidationError
from cadre_desk.security import audit
from cadre_desk.store import migrations, server, transfer
from cadre_desk.store.db import bind, database, database_path
from cadre_desk.store.portable import is_server


@dataclass(frozen=True)
class MoveReport:
    rows: dict[str, int]
    audit_rows: int


def connect_target(location: server.ServerLocation):
    db = server.make_server_database(location)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # noqa: BLE001 - the driver's OperationalError, said in Chinese
        error = DatabaseOpenError(server.connection_error_message(location, exc))
        error.needs_password = server.needs_password(exc)
        raise error from exc
    return db


def migrate_to(location: server.ServerLocation, progress=None, target=None) -> MoveReport:
    """Copy the bound SQLite database into the empty server database at ``location``; afterwards the
    proxy is bound to the server. Raises ValidationError (nothing written) when the server database is
    not empty or the local audit chain is already broken."""
    permissions.require(permissions.ADMIN)
    source = database.obj
    if is_server(source):
        raise ValidationError("当前打开的已经是服务器数据库。")
    broken = audit.verify_chain()
    if broken is not None:
        raise ValidationError(f"本机数据库的审计日志从第 {broken} 条起已断开，不能迁移到服务器。请先用 check 命令查明原因。")
    target = target or connect_target(location)
    if server.table_names(target) or server.schema_version(target):
        raise ValidationError(f"服务器上的数据库“{location.dbname}”不是空的：只能迁移到新建的空数据库"
                              "（见 docs/DEPLOY.md）。")
    migrations.migrate(target)
    with transfer.consistent_read(source):
        rows = transfer.copy_all(source, target, progress)
        problems = transfer.verify(source, target)
    if problems:
        raise ValidationError("迁移后核对不一致，请勿使用服务器上的数据：" + "；".join(problems[:5]))
    server.install_change_notices(target)
    source_path = database_path()
    bind(target)
    broken = audit.verify_chain()
    if broken is not None:
        raise ValidationError(f"迁移后服务器上的审计日志从第 {broken} 条起断开，请勿使用服务器上的数据。")
    audit.record(audit.SYSTEM, "数据库", None, f"从本机数据库 {source_path} 迁入服务器（{sum(rows.values())} 行）")
    return MoveReport(rows, rows.get("audit_log", 0))


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from cadre_desk import cli

    if not server.is_server_url(args.url):
        print("目标应是服务器数据库地址：postgresql://用户@主机:5432/数据库", file=sys.stderr)
        return 2
    if cli.is_server(args):
        print("--db 应是本机的数据库文件（迁移的来源）。", file=sys.stderr)
        return 2
    location = server.ServerLocation.parse(args.url)
    if location.password is None and os.environ.get(server.PASSWORD_ENV):
        location = location.with_password(os.environ[server.PASSWORD_ENV])
    cli.open_db(args)
    try:
        target = connect_target(location)
    except DatabaseOpenError as exc:
        if not getattr(exc, "needs_password", False) or location.password is not None:
            raise
        location = location.with_password(cli.ask_secret(f"连接 {location.name}，请输入数据库密码："))
        target = connect_target(location)
    report = migrate_to(location, cli.progress_printer, target)
    for table, count in report.rows.items():
        print(f"{table}\t{count}")
    print(f"已迁移到 {location.url}：{len(report.rows)} 张表、{sum(report.rows.values())} 行，逐行核对一致；"
          f"审计日志 {report.audit_rows} 条，哈希链完整。")
    print(f"此后请用 --db {location.url} 或窗口中的“连接服务器”使用服务器数据库；本机文件未改动，可留作备份。")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("migrate-to", help="把本机数据库迁移到服务器上的空数据库（PostgreSQL），并逐行核对")
    p.add_argument("url", help="postgresql://用户@主机:5432/数据库")
    p.set_defaults(func=cmd_migrate_to, needs="admin")
