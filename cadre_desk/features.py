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
CHECKUP_RULES = "cadre_desk.checkups.checkup_rules"
CARE_RULES = "cadre_desk.care.care_rules"
SUPERVISION = "cadre_desk.supervision.supervision"
LIAISON = "cadre_desk.liaison.liaison"


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    from cadre_desk import cli
    from cadre_desk.home import reminders
    from cadre_desk.postings import posting_hooks
    from cadre_desk.profiles import profile_hooks
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
        lazy(CHECKUP_RULES, "reminders"),  # 政治体检：未下发、逾期未核查、整改中
        lazy(CARE_RULES, "reminders"),  # 谈心谈话到期、跟进事项、一线干部体检
        lazy(SUPERVISION, "reminders"),  # 函询未登记结果（仅有干部监督权限者）
        lazy(LIAISON, "reminders"),  # 一线干部未指定包抓人
    ])
    profile_hooks.DELETE_HOOKS.extend([
        lazy(POSTINGS, "before_cadre_delete"),
        lazy(MENTORING, "refuse_cadre_delete"),
        lazy(SUPERVISION, "refuse_cadre_delete"),  # 提醒函询诫勉记录 are kept (and not named without the grant)
        lazy(APPRAISALS, "on_cadre_delete"),
        lazy(RECORDS, "on_cadre_delete"),
    ])
    check.CHECKS.extend([
        lazy("cadre_desk.units.staffing", "checks"),
        lazy(POSTING_REMINDERS, "checks"),
        lazy(MENTORING_REMINDERS, "checks"),
        lazy(APPRAISALS, "check_sheets"),
        lazy(CHECKUP_RULES, "checks"),
        lazy("cadre_desk.talent.pools", "checks"),
        lazy(CARE_RULES, "checks"),
        lazy(SUPERVISION, "checks"),  # says nothing to an operator without the 干部监督 grant
        lazy(LIAISON, "checks"),
    ])
    # Postings before mentoring (demo pairs link to postings), both before the appraisal demo (its
    # sheets show posting 鉴定 and mentor ratings).
    profile_hooks.DEMO_EXTENSIONS.extend([
        lazy("cadre_desk.postings.postings_demo", "add_demo_postings"),
        lazy("cadre_desk.mentoring.mentoring_demo", "add_demo_pairs"),
        lazy("cadre_desk.appraisal.appraisal_demo", "extend"),
        # the practices: after postings (their groups and talks follow the posted cadres)
        lazy("cadre_desk.checkups.checkups_demo", "add_demo_checkups"),
        lazy("cadre_desk.talent.talent_demo", "add_demo_members"),
        lazy("cadre_desk.care.care_demo", "add_demo_care"),
        lazy("cadre_desk.supervision.supervision_demo", "add_demo_records"),
        lazy("cadre_desk.liaison.liaison_demo", "add_demo_liaisons"),
    ])
    posting_hooks.WITHDRAW_HOOKS.append(lazy(MENTORING, "unlink_withdrawn_posting"))
