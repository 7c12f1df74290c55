"""Every capability's core parts (demo data, checks, reminders, delete hooks, permission policy, CLI
commands), registered in one place. Called by the CLI and the window before any work.

Each part names its module and function; the module is imported when the part is first used, so the
window starts without loading capabilities it has not touched yet."""

from __future__ import annotations

from cadre_desk.lazy import lazy

_REGISTERED = False
S = "cadre_desk.services."


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk import cli
    from cadre_desk.services import cadres, check, demo, permissions, posting_hooks, reminders

    # 安全：账号、角色与按单位授权（三员分立）
    permissions.POLICIES.append(lazy(S + "accounts", "policy"))
    permissions.SCOPES.append(lazy(S + "accounts", "scope"))

    # Subcommands (modules with add_parser), imported only when a subcommand or --help is given.
    cli.COMMANDS.extend([
        S + "postings_cli",  # 一线锻炼
        S + "mentoring",  # 导师帮带
        "reports.pdf_cli",  # dossier / rmb
        "cadre_desk.cli_security",  # backup / restore / users / encrypt / audit-verify
        "reports.exchange_cli",  # import / export
    ])

    # In this order: reminders are listed, delete hooks asked, checks run, demo data built.
    reminders.PROVIDERS.extend([
        lazy(S + "postings", "reminders"),
        lazy(S + "mentoring", "reminders"),
        lazy(S + "records", "reminder_provider"),
    ])
    cadres.DELETE_HOOKS.extend([
        lazy(S + "postings", "before_cadre_delete"),
        lazy(S + "mentoring", "refuse_cadre_delete"),
        lazy(S + "appraisals", "on_cadre_delete"),
        lazy(S + "records", "on_cadre_delete"),
    ])
    check.CHECKS.extend([
        lazy(S + "postings", "checks"),
        lazy(S + "mentoring", "checks"),
        lazy(S + "appraisals", "check_sheets"),
    ])
    # Postings before mentoring (demo pairs link to postings), both before the appraisal demo (its
    # sheets show posting 鉴定 and mentor ratings).
    demo.EXTENSIONS.extend([
        lazy(S + "postings_demo", "add_demo_postings"),
        lazy(S + "mentoring_demo", "add_demo_pairs"),
        lazy(S + "appraisal_demo", "extend"),
    ])
    posting_hooks.WITHDRAW_HOOKS.append(lazy(S + "mentoring", "unlink_withdrawn_posting"))
