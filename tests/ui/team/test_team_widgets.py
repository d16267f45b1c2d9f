"""The Team dialog, the sync chip and the Conflicts dialog, against a real PostgreSQL and real SQLite files."""

import datetime as dt

import keyring
import pytest
from PySide6.QtWidgets import QMessageBox

from app.db.models import Lead
from app.qtmodels.events import Changes, DataEvents
from app.services import leads, team
from app.ui.team.conflicts_dialog import ConflictsDialog
from app.ui.team.sync_chip import SyncChip, chip_text, synced_ago
from app.ui.team.team_dialog import TeamDialog, leave_question
from tests.helpers.team import Team


def test_the_chip_reads_like_the_spec():
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    status = team.TeamStatus(True, "s", "ann", 14, 1, "2026-01-01T11:58:00+00:00")
    assert chip_text(status, offline=False, syncing=False, now=now) == "Synced 2 min ago · 14 waiting · 1 conflict"
    assert chip_text(status, offline=True, syncing=False, now=now) == "Offline — 14 waiting · 1 conflict"
    assert synced_ago(None) == "Not synced yet"
    assert synced_ago("2026-01-01T09:00:00+00:00", now) == "Synced 3 h ago"


def test_without_a_team_the_chip_is_hidden_and_never_syncs(qtbot, db, monkeypatch):
    import app.db.server.schema as server_schema

    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(server_schema, "connect_server", no_connection)
    chip = SyncChip(DataEvents())
    qtbot.addWidget(chip)
    chip.sync_now()
    assert chip.isHidden() and not chip.timer.isActive()


def _join(qtbot, dialog, url, rep, password):
    dialog.server_edit.setText(url)
    dialog.rep_edit.setText(rep)
    dialog.password_edit.setText(password)
    with qtbot.waitSignal(dialog.joined, timeout=20000):
        dialog.join_button.click()


@pytest.mark.postgres
def test_the_dialog_tests_the_connection_and_joins(qtbot, pg_cluster, tmp_path, ring):
    crew = Team(pg_cluster, tmp_path, reps=("ann",))
    with crew.replica("ann").open():
        Lead.create(first_name="Ada")
        dialog = TeamDialog()
        qtbot.addWidget(dialog)
        dialog.server_edit.setText(crew.url)
        dialog.rep_edit.setText(crew.role("ann"))
        dialog.password_edit.setText("wrong")
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.result_label.text().startswith("✗"), timeout=20000)
        assert "password authentication failed" in dialog.result_label.text()
        dialog.password_edit.setText(crew.passwords["ann"])
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.result_label.text().startswith("✓ Connected"), timeout=20000)
        assert not team.status().configured
        _join(qtbot, dialog, crew.url, crew.role("ann"), crew.passwords["ann"])
        assert team.status().configured and team.status().waiting == 1
        assert keyring.get_password(team.KEYRING_SERVICE, f"{crew.role('ann')}@{crew.url}") == crew.passwords["ann"]


@pytest.mark.postgres
def test_the_chip_syncs_goes_offline_and_lists_a_conflict(qtbot, pg_cluster, tmp_path, ring):
    crew = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    ann, bob = crew.replica("ann"), crew.replica("bob")
    for r in (ann, bob):
        with r.open():
            team.configure(crew.url, crew.role(r.rep), crew.passwords[r.rep])
    with ann.open():
        Lead.create(id_lead="x1", first_name="Ada", job_title="Engineer")
        team.sync()
    with bob.open():
        events = DataEvents()
        chip = SyncChip(events)
        qtbot.addWidget(chip)
        assert chip.isVisibleTo(chip.parentWidget() or chip) and chip.timer.isActive()
        with qtbot.waitSignal(events.changed, timeout=20000), qtbot.waitSignal(chip.synced, timeout=20000):
            chip.click()
        bob_lead = Lead.get(Lead.id_lead == "x1").id
        leads.update_field(bob_lead, "job_title", "VP")
    with ann.open():
        leads.update_field(Lead.get(Lead.id_lead == "x1").id, "job_title", "CTO")
        team.sync()
    with bob.open():
        chip.refresh()
        with qtbot.waitSignal(chip.synced, timeout=20000) as synced:
            chip.sync_now()
        assert synced.args[0].conflicts == 1
        assert chip.text() == "Synced just now · 0 waiting · 1 conflict"

        dialog = ConflictsDialog(events)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 1
        texts = [dialog.table.item(0, column).text() for column in range(dialog.table.columnCount())]
        assert texts[:6] == ["Ada", "job title", "VP", "CTO", "Engineer", crew.role("ann")]
        with qtbot.waitSignal(events.changed):
            dialog.mine_button.click()
        assert dialog.table.isHidden() and not dialog.empty_label.isHidden()
        assert Lead.get_by_id(bob_lead).job_title == "VP" and team.conflicts() == []

        team.configure("postgresql://nobody@/none?host=/nonexistent&port=1", crew.role("bob"), "pw")
        chip.sync_now()
        qtbot.waitUntil(lambda: chip.offline, timeout=20000)
        assert chip.text().startswith("Offline — ") and "waiting" in chip.text()


@pytest.mark.postgres
def test_the_window_shows_the_chip_once_the_rep_joined(qtbot, pg_cluster, tmp_path, ring):
    from app.db.connection import close_database, open_database
    from app.ui.shell.main_window import MainWindow

    crew = Team(pg_cluster, tmp_path, reps=("ann",))
    path = tmp_path / "ann.db"
    open_database(path)
    try:
        window = MainWindow(path)
        qtbot.addWidget(window)
        window.show()
        assert window.sync_chip.isHidden()
        assert window.menu_actions["team"] in window.menus["file"].actions()
        team.configure(crew.url, crew.role("ann"), crew.passwords["ann"])
        window.events.broadcast(Changes(), None)  # as the Team dialog's join does, the chip notices
        with qtbot.waitSignal(window.sync_chip.synced, timeout=20000):
            window.menu_actions["syncNow"].trigger()
        assert window.sync_chip.isVisible() and window.sync_chip.text().startswith("Synced just now")
        assert window.sync_chip.clock.isActive()
        window.close()
        assert not window.sync_chip.clock.isActive()  # a closed window's chip no longer reads the database
    finally:
        close_database()


def test_leave_team_asks_first_then_forgets_the_team_keeps_the_leads_and_hides_the_chip(qtbot, db, ring, monkeypatch):
    team.configure("postgresql://team.example.com/leads", "ann", "s3cret")
    lead_id = Lead.create(first_name="Ada").id
    chip = SyncChip(DataEvents())
    qtbot.addWidget(chip)
    assert not chip.isHidden() and chip.timer.isActive()
    dialog = TeamDialog()
    qtbot.addWidget(dialog)
    dialog.left.connect(chip.refresh)  # as the main window does
    assert not dialog.leave_button.isHidden()

    asked = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Cancel)
    dialog.leave_button.click()
    assert "1 change has not reached the team yet" in asked[-1] and "Every lead stays" in asked[-1]
    assert team.status().configured, "Cancel changes nothing"
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.left, timeout=20000) as left:
        dialog.leave_button.click()
    assert left.args == [1]
    assert chip.isHidden() and not chip.timer.isActive()
    assert not team.status().configured and ring.passwords == {}
    assert Lead.get_by_id(lead_id).first_name == "Ada"

    again = TeamDialog()
    qtbot.addWidget(again)
    assert again.leave_button.isHidden() and again.join_button.text() == "&Join team"


def test_the_leave_question_mentions_unsynced_changes_only_when_there_are_some():
    status = team.TeamStatus(True, "postgresql://team.example.com/leads", "ann", 0, 0, None)
    assert "not reached the team" not in leave_question(status)
    assert "team.example.com" in leave_question(status)
    busy = team.TeamStatus(True, "postgresql://team.example.com/leads", "ann", 1400, 0, None)
    assert "1,400 changes have not reached the team yet" in leave_question(busy)
