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
    from cadre_desk.services import imports  # noqa: F401 - exchange: import/export commands
