"""Accounts and security: the user table."""

from __future__ import annotations

VERSION = 5
DESCRIPTION = "用户账号与安全"


def upgrade(db) -> None:
    from cadre_desk.store.security_models import SECURITY_MODELS

    with db.bind_ctx(SECURITY_MODELS):
        db.create_tables(SECURITY_MODELS)
