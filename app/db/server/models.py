"""Peewee models of the team server (PostgreSQL through psycopg 3).

Rows are keyed by uid (UUID): only uids cross the wire. ``change`` is the log a pull reads, stamped
with one global, gap-free version taken from the single ``sync_counter`` row, which every push
transaction locks ``FOR UPDATE``.
"""

import peewee as pw

from app.db.schema_v4 import SYNCED_LEAD_FIELDS

server_database = pw.DatabaseProxy()


class ServerModel(pw.Model):
    class Meta:
        database = server_database
        legacy_table_names = False


class TeamSchemaVersion(ServerModel):
    version = pw.IntegerField(primary_key=True)
    applied_at = pw.DateTimeField(constraints=[pw.SQL("DEFAULT now()")])


class SyncCounter(ServerModel):
    id = pw.IntegerField(primary_key=True)
    version = pw.BigIntegerField(default=0)


class TeamRep(ServerModel):
    name = pw.TextField(primary_key=True)  # the rep's PostgreSQL login role
    manager = pw.BooleanField(default=False)


def _lead_fields() -> dict:
    fields = {name: pw.TextField(default="") for name in SYNCED_LEAD_FIELDS}
    fields["id_lead"] = pw.TextField(null=True)
    fields["vip"] = pw.IntegerField(default=0)
    fields["deleted_at"] = pw.TextField(null=True)
    fields["custom"] = pw.TextField(default="{}")
    fields["review_state"] = pw.TextField(default="new")
    return fields


ServerLead = type("ServerLead", (ServerModel,), {
    "__module__": __name__,
    "__doc__": "A lead of the team base: the synced fields, its owner, the version of its last change.",
    "uid": pw.UUIDField(primary_key=True),
    **_lead_fields(),
    "owner": pw.TextField(default=""),
    "created_at": pw.TextField(),
    "Meta": type("Meta", (), {"table_name": "lead"}),
})


class FieldStamp(ServerModel):
    """Who changed a lead's field last, and at which version: the conflict check reads it."""

    lead_uid = pw.UUIDField()
    field = pw.TextField()
    version = pw.BigIntegerField()
    client_id = pw.TextField()
    rep = pw.TextField()
    at = pw.TextField()

    class Meta:
        primary_key = pw.CompositeKey("lead_uid", "field")


class Change(ServerModel):
    """The change log: everything a pull applies, in version order."""

    version = pw.BigIntegerField(primary_key=True)
    kind = pw.TextField()
    lead_uid = pw.UUIDField()
    field = pw.TextField(null=True)
    ref = pw.TextField(null=True)
    value = pw.TextField(null=True)  # JSON
    client_id = pw.TextField()
    rep = pw.TextField()
    at = pw.TextField()


class Mutation(ServerModel):
    """Pushed mutations already applied: a retried push skips them (idempotency)."""

    client_id = pw.TextField()  # since V2 "rep/client id": one rep cannot claim another's mutation ids
    mutation_id = pw.BigIntegerField()

    class Meta:
        primary_key = pw.CompositeKey("client_id", "mutation_id")


class Conflict(ServerModel):
    """A field two reps changed: the server kept theirs; mine and the original stay on record."""

    lead_uid = pw.UUIDField()
    field = pw.TextField()
    mine = pw.TextField(null=True)  # JSON
    theirs = pw.TextField(null=True)
    original = pw.TextField(null=True)
    rep = pw.TextField()
    theirs_rep = pw.TextField(null=True)
    theirs_at = pw.TextField(null=True)
    at = pw.TextField()


class ServerCampaign(ServerModel):
    uid = pw.UUIDField(primary_key=True)
    name = pw.TextField()

    class Meta:
        table_name = "campaign"


class ServerTag(ServerModel):
    uid = pw.UUIDField(primary_key=True)
    name = pw.TextField()
    color = pw.TextField(default="#5b8def")

    class Meta:
        table_name = "tag"


class ServerMembership(ServerModel):
    lead_uid = pw.ForeignKeyField(ServerLead, column_name="lead_uid", on_delete="CASCADE")
    campaign_uid = pw.ForeignKeyField(ServerCampaign, column_name="campaign_uid", on_delete="CASCADE")

    class Meta:
        table_name = "membership"
        primary_key = pw.CompositeKey("lead_uid", "campaign_uid")


class ServerLeadTag(ServerModel):
    lead_uid = pw.ForeignKeyField(ServerLead, column_name="lead_uid", on_delete="CASCADE")
    tag_uid = pw.ForeignKeyField(ServerTag, column_name="tag_uid", on_delete="CASCADE")

    class Meta:
        table_name = "lead_tag"
        primary_key = pw.CompositeKey("lead_uid", "tag_uid")


class ServerNote(ServerModel):
    """Notes are append-only."""

    uid = pw.UUIDField(primary_key=True)
    lead_uid = pw.ForeignKeyField(ServerLead, column_name="lead_uid", on_delete="CASCADE")
    body = pw.TextField()
    created_at = pw.TextField()
    rep = pw.TextField()

    class Meta:
        table_name = "note"


class Tombstone(ServerModel):
    """A lead deleted for good (Trash emptied by its owner or a manager)."""

    lead_uid = pw.UUIDField(primary_key=True)
    rep = pw.TextField()
    at = pw.TextField()


class UidAlias(ServerModel):
    """A pushed duplicate's uid, merged into an existing lead: later mutations are redirected."""

    uid = pw.UUIDField(primary_key=True)
    target = pw.UUIDField()
    kind = pw.TextField(default="lead")


MODELS = (TeamSchemaVersion, SyncCounter, TeamRep, ServerLead, FieldStamp, Change, Mutation, Conflict,
          ServerCampaign, ServerTag, ServerMembership, ServerLeadTag, ServerNote, Tombstone, UidAlias)
