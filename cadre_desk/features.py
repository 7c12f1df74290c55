"""Every capability's core parts (demo data, checks, reminders, delete hooks, permission policy, CLI
commands), registered in one place. Called by the composition root before any work.

Each part names its module and function; the module is imported when the part is first used, so the
window starts without loading capabilities it has not touched yet."""

from __future__ import annotations

from cadre_desk.lazy import lazy

_REGISTERED = False
POSTINGS = "cadre_desk.postings.postings"
POSTING_REMINDERS = "cadre_desk.postings.posting_reminders"
MENTORING = "cadre_desk.mentoring.mentoring"
MENTORING_REMINDERS = "cadre_desk.mentoring.mentoring_reminders"
RECORDS = "cadre_desk.appraisal.records"
APPRAISALS = "cadre_desk.appraisal.appraisals"


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk import cli
    from cadre_desk.home import reminders
    from cadre_desk.postings import posting_hooks
    from cadre_desk.profiles import cadres, demo
    from cadre_desk.security import check
    from cadre_desk.store import db

    # The audit chain's head written down outside the database every so many rows (security.anchors).
    db.AFTER_COMMIT.append(lazy("cadre_desk.security.anchors", "after_commit"))

    # Subcommands (modules with add_parser), imported only when a subcommand or --help is given.
    cli.COMMANDS.extend([
        "cadre_desk.postings.postings_cli",  # 一线锻炼
        "cadre_desk.mentoring.mentoring_cli",  # 导师帮带
        "cadre_desk.security.cli_security",  # backup / restore / users / encrypt / audit-verify
        "cadre_desk.settings.settings_cli",  # settings get / set (组织部全称、简称、地名)
        "cadre_desk.security.server_move",  # migrate-to (the shared server)
    ])

    # In this order: reminders are listed, delete hooks asked, checks run, demo data built.
    reminders.PROVIDERS.extend([
        lazy(POSTING_REMINDERS, "reminders"),
        lazy(MENTORING_REMINDERS, "reminders"),
        lazy(RECORDS, "reminder_provider"),
        lazy("cadre_desk.units.staffing", "reminders"),  # 超职数配备
    ])
    cadres.DELETE_HOOKS.extend([
        lazy(POSTINGS, "before_cadre_delete"),
        lazy(MENTORING, "refuse_cadre_delete"),
        lazy(APPRAISALS, "on_cadre_delete"),
        lazy(RECORDS, "on_cadre_delete"),
    ])
    check.CHECKS.extend([
        lazy("cadre_desk.units.staffing", "checks"),
        lazy(POSTING_REMINDERS, "checks"),
        lazy(MENTORING_REMINDERS, "checks"),
        lazy(APPRAISALS, "check_sheets"),
    ])
    # Postings before mentoring (demo pairs link to postings), both before the appraisal demo (its
    # sheets show posting 鉴定 and mentor ratings).
    demo.EXTENSIONS.extend([
        lazy("cadre_desk.postings.postings_demo", "add_demo_postings"),
        lazy("cadre_desk.mentoring.mentoring_demo", "add_demo_pairs"),
        lazy("cadre_desk.appraisal.appraisal_demo", "extend"),
    ])
    posting_hooks.WITHDRAW_HOOKS.append(lazy(MENTORING, "unlink_withdrawn_posting"))
