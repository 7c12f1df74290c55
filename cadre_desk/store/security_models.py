"""Accounts: users of the application, their roles and unit scopes."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.domain import clock
from cadre_desk.store.models import BaseModel, VersionedModel


class User(VersionedModel):
    username = CharField(max_length=40, unique=True)
    display_name = CharField(max_length=40, default="")
    password_hash = CharField(max_length=200)  # scrypt$n$r$p$salt$hash
    roles = CharField(max_length=100, default="")  # Chinese role names, comma-separated
    unit_scopes = TextField(default="")  # unit ids, comma-separated; "" = every unit
    cadre_id = IntegerField(null=True)  # the user's own cadre record, for the self/relative rule
    id_number = CharField(max_length=18, default="")
    active = IntegerField(default=1)
    must_change_password = IntegerField(default=0)
    failed_count = IntegerField(default=0)
    locked_until = CharField(max_length=19, default="")
    last_login = CharField(max_length=19, default="")
    password_changed_at = CharField(max_length=19, default="")

    class Meta:
        table_name = "app_user"


class UnsavedDraft(BaseModel):
    """Edits an account had not saved when the program quit from the idle lock (cadre_desk.security.drafts):
    offered back at its next login, never applied by themselves."""

    user = ForeignKeyField(User, on_delete="CASCADE", index=True)
    kind = CharField(max_length=40)  # whose JSON: "profile" …
    target_id = IntegerField(null=True)  # the record it edits (a cadre); None: a new one
    label = CharField(max_length=200)  # as the unsaved edits were listed: 干部档案 — 王档案
    payload = TextField()  # the kind's own JSON
    created_at = CharField(max_length=19, default=clock.now_iso)

    class Meta:
        table_name = "unsaved_draft"


SECURITY_MODELS = [User, UnsavedDraft]
