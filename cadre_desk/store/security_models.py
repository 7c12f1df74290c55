"""Accounts: users of the application, their roles and unit scopes."""

from __future__ import annotations

from peewee import CharField, IntegerField, TextField

from cadre_desk.store.models import VersionedModel


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


SECURITY_MODELS = [User]
