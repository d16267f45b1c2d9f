"""One sync: push the outbox in batches, then pull pages above the cursor (see the package doc).

An empty replica first loads the team base whole (``first``) and pulls from that version on.
"""

from dataclasses import dataclass

import peewee as pw

from app.services.sync import first, replica

PUSH_BATCH = 2000
PULL_PAGE = 5000


@dataclass
class SyncReport:
    """What one sync did, as ``leaddesk sync`` prints it."""

    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    duplicates_merged: int = 0
    refused: int = 0
    already_applied: int = 0

    def lines(self) -> list[str]:
        return [f"pushed: {self.pushed}", f"pulled: {self.pulled}", f"merged: {self.merged}",
                f"conflicts: {self.conflicts}", f"duplicates merged: {self.duplicates_merged}",
                *([f"refused: {self.refused}"] if self.refused else [])]


def sync(db: pw.PostgresqlDatabase, push_batch: int = PUSH_BATCH, pull_page: int = PULL_PAGE) -> SyncReport:
    """Push then pull against the open team server ``db``; the local database must be open."""
    from app.services.sync import server  # psycopg is loaded when a team syncs, never at start-up

    report = SyncReport()
    st = replica.state()
    replica.note_manager(server.is_manager(db))  # what emptying the Trash checks until the next sync
    while True:
        mutations, last_id = replica.outbox_batch(push_batch)
        if not mutations:
            break
        result = server.push(db, st["client_id"], replica.state()["cursor"], mutations)
        # The server has committed; should the connection drop before this line, the retry's
        # mutations are recognised by their ids and skipped.
        replica.apply_push(result, mutations, last_id)
        report.pushed += result.applied
        report.merged += result.merged
        report.conflicts += len(result.conflicts)
        report.duplicates_merged += result.duplicates
        report.refused += len(result.rejected)
        report.already_applied += result.skipped
    if first.wanted():
        try:
            with server.snapshot(db) as snapshot:
                report.pulled += first.load(snapshot)
        except server.TeamSchemaTooOldError:
            pass  # a team server before V4 has no snapshot: the log is replayed from the start
    while True:
        page = server.pull(db, replica.state()["cursor"], pull_page)
        if not page:
            break
        report.pulled += replica.apply_page(page, st["client_id"])
    replica.mark_synced()
    return report
