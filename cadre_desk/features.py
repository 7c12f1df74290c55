"""Every capability's core parts (demo data, checks, reminders, delete hooks, CLI commands),
registered in one place. Called by the CLI and the window before any work."""

from __future__ import annotations

_REGISTERED = False


def register_all() -> None:
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    # One import per capability; each module appends itself to the registries it needs:
    # services.demo.EXTENSIONS, services.check.CHECKS, services.reminders.PROVIDERS,
    # services.cadres.DELETE_HOOKS, cadre_desk.cli.COMMANDS, permissions.POLICIES.
    from cadre_desk import cli

    cli.COMMANDS.append("reports.pdf_cli")  # dossier / rmb; imports reportlab only when run
    # Import order is demo-data order: postings before mentoring (demo pairs link to postings),
    # both before the appraisal demo (its sheets show posting 鉴定 and mentor ratings).
    # isort: off
    from cadre_desk.services import postings, postings_demo  # noqa: F401 - registration on import
    from cadre_desk.services import mentoring  # noqa: F401 - 导师帮带
    from cadre_desk.services import appraisal_demo, appraisals, records  # noqa: F401 - 实绩考核
    from cadre_desk import cli_security  # noqa: F401 - backup / restore / users / encrypt commands
    from cadre_desk.services import accounts, backups  # noqa: F401 - accounts, audit, backups, faults
    from cadre_desk.services import imports  # noqa: F401 - exchange: import/export commands
    # isort: on
