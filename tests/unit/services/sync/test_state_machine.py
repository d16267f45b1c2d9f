"""A Hypothesis state machine: two replicas edit, tag, untag and trash offline and sync in any order.

After a full sync every replica equals the server, and the server holds exactly the conflicts a
model of the protocol predicts (a pushed field whose base the other rep has since changed).
LEADDESK_SYNC_EXAMPLES raises the number of examples (the suite runs a few).
"""

import itertools
import os

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from app.db.models import Lead, Tag
from app.services import bulk, leads
from app.services.sync import replica
from tests.helpers.team import Team, local_state, server_state

pytestmark = pytest.mark.postgres

REPS = ("ann", "bob")
FIELDS = ("job_title", "company_name")
LEADS = 3
EXAMPLES = int(os.environ.get("LEADDESK_SYNC_EXAMPLES", "3"))


class Sync(RuleBasedStateMachine):
    """The model: server values; per replica its local values and the changes it has not pushed."""

    cluster = root = None  # set by the test: the throwaway PostgreSQL cluster, a temp folder
    runs = itertools.count()

    @initialize()
    def start(self):
        self.team = Team(self.cluster, self.root / f"run{next(self.runs)}", reps=REPS)
        self.team.tmp_path.mkdir()
        self.values = itertools.count()
        self.replicas = {rep: self.team.replica(rep) for rep in REPS}
        with self.replicas["ann"].open():
            replica.enable(self.team.url, self.team.role("ann"))
            ids = [Lead.create(first_name=f"L{i}").id for i in range(LEADS)]
            bulk.add_tag(ids[:1], "hot")
            self.uids = [Lead.get_by_id(i).uid for i in ids]
        for rep in REPS:
            self.replicas[rep].sync()
        self.server = {(uid, f): "" for uid in self.uids for f in FIELDS}
        self.server.update({(uid, "trashed"): False for uid in self.uids})
        self.server.update({(uid, "hot"): uid == self.uids[0] for uid in self.uids})
        self.local = {rep: dict(self.server) for rep in REPS}
        self.pending = {rep: [] for rep in REPS}  # (key, base, new)
        self.conflicts = 0

    def _change(self, rep, key, new, write) -> None:
        if self.local[rep][key] == new or any(k == key for k, _b, _n in self.pending[rep]):
            return  # no change, or one pending change per key (a second would rebase on the first)
        with self.replicas[rep].open():
            write(Lead.get(Lead.uid == key[0]).id)
        self.pending[rep].append((key, self.local[rep][key], new))
        self.local[rep][key] = new

    @rule(rep=st.sampled_from(REPS), lead=st.integers(0, LEADS - 1), field=st.sampled_from(FIELDS))
    def edit(self, rep, lead, field):
        uid = self.uids[lead]
        if self.local[rep][(uid, "trashed")]:
            return
        value = f"{rep}{next(self.values)}"
        self._change(rep, (uid, field), value, lambda i: leads.update_field(i, field, value))

    @rule(rep=st.sampled_from(REPS), lead=st.integers(0, LEADS - 1), on=st.booleans())
    def tag(self, rep, lead, on):
        def write(i):
            if on:
                bulk.add_tag([i], "hot")
            else:
                bulk.remove_tag([i], Tag.get(Tag.name == "hot").id)
        self._change(rep, (self.uids[lead], "hot"), on, write)

    @rule(rep=st.sampled_from(REPS), lead=st.integers(0, LEADS - 1))
    def trash(self, rep, lead):
        self._change(rep, (self.uids[lead], "trashed"), True, lambda i: bulk.delete_to_trash([i]))

    @rule(rep=st.sampled_from(REPS))
    def sync(self, rep):
        for key, base, new in self.pending[rep]:
            field = key[1]
            if field in FIELDS and self.server[key] not in (base, new):
                self.conflicts += 1  # the server keeps theirs
            else:
                self.server[key] = new  # sets and the Trash never conflict
        self.pending[rep] = []
        self.replicas[rep].sync()
        self.local[rep] = dict(self.server)

    def teardown(self):
        if not hasattr(self, "team"):
            return
        for rep in REPS * 2:  # the second round pulls what the later pushes sent
            self.sync(rep)
        admin = self.team.admin()
        try:
            expected = server_state(admin)
            assert admin.execute_sql("SELECT count(*) FROM conflict").fetchone()[0] == self.conflicts
        finally:
            admin.close()
        for rep in REPS:
            with self.replicas[rep].open():
                assert local_state() == expected, rep


def test_replicas_converge_under_any_order_of_offline_changes_and_syncs(pg_cluster, tmp_path):
    Sync.cluster, Sync.root = pg_cluster, tmp_path
    run_state_machine_as_test(Sync, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=12, deadline=None,
        suppress_health_check=list(HealthCheck)))
