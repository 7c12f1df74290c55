"""包抓: the organization department's contact (科室分头包抓) of each posted cadre.

The contact is a named person of the department (姓名, 科室, 电话), linked to their user account when
they have one (``user_id``: "我包抓的干部"). Not a cadre record: the department's staff are rarely in the
cadre files of the units they look after, and a name of another unit would have to be hidden there."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, TextField

from cadre_desk.store.models import Cadre, VersionedModel
from cadre_desk.store.posting_models import Posting


class Liaison(VersionedModel):
    posting = ForeignKeyField(Posting, column_name="posting_id", backref="+", on_delete="CASCADE", unique=True)
    cadre = ForeignKeyField(Cadre, backref="+", on_delete="CASCADE", index=True)
    contact_name = CharField(max_length=20)
    contact_office = CharField(max_length=40, default="")
    contact_phone = CharField(max_length=20, default="")
    user_id = IntegerField(null=True, index=True)
    since = CharField(max_length=8, default="")
    note = TextField(default="")

    class Meta:
        table_name = "liaison"


LIAISON_MODELS = [Liaison]
