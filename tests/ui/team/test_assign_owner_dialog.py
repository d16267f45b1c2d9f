"""Edit → Assign owner…: the team's reps from the server, the assignment, and the server's refusals."""

import pytest
from PySide6.QtWidgets import QMessageBox

from app.db.models import Lead, LeadHistory, Outbox
from app.services import team
from app.services.owners import REASSIGN_SOURCE
from app.ui.team.assign_owner_dialog import AssignOwnerDialog
from tests.helpers.team import Team

pytestmark = pytest.mark.postgres
WAIT = 20000


def _crew(pg_cluster, tmp_path):
    """ann (a rep) and boss (a manager), both joined, with ann's two leads on both files."""
    crew = Team(pg_cluster, tmp_path, reps=("ann",), managers=("boss",))
    for rep in ("ann", "boss"):
        with crew.replica(rep).open():
            team.configure(crew.url, crew.role(rep), crew.passwords[rep])
            if rep == "ann":
                Lead.create(first_name="Ada")
                Lead.create(first_name="Bo")
            team.sync()
    return crew


def _dialog(qtbot, ids) -> AssignOwnerDialog:
    dialog = AssignOwnerDialog(ids)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=WAIT)
    return dialog


def _choose(dialog, name: str) -> None:
    for row in range(dialog.reps.count()):
        if dialog.reps.item(row).text().split(" ")[0] == name:
            dialog.reps.item(row).setSelected(True)


def test_a_manager_gives_the_leads_to_a_rep(qtbot, pg_cluster, tmp_path, ring):
    crew = _crew(pg_cluster, tmp_path)
    with crew.replica("boss").open():
        ids = [lead.id for lead in Lead.select()]
        Lead.update(owner=crew.role("boss")).where(Lead.id == ids[1]).execute()  # as if given to boss before
        dialog = _dialog(qtbot, ids[1:])
        texts = [dialog.reps.item(row).text() for row in range(dialog.reps.count())]
        assert texts == [crew.role("ann"), f"{crew.role('boss')} (manager)"]
        assert not dialog.assign_button.isEnabled()
        _choose(dialog, crew.role("ann"))
        assert dialog.assign_button.isEnabled()
        with qtbot.waitSignal(dialog.assigned, timeout=WAIT) as assigned:
            dialog.assign_button.click()
        assert assigned.args == [crew.role("ann"), 1]
        assert Lead.get_by_id(ids[1]).owner == crew.role("ann")
        assert LeadHistory.get(LeadHistory.lead == ids[1]).source == REASSIGN_SOURCE
        assert team.status().waiting == 0  # written to the outbox, and synced at once


def test_a_rep_is_told_the_server_refuses_and_nothing_changes(qtbot, pg_cluster, tmp_path, ring, monkeypatch):
    crew = _crew(pg_cluster, tmp_path)
    with crew.replica("ann").open():
        ids = [lead.id for lead in Lead.select()]
        dialog = _dialog(qtbot, ids)
        _choose(dialog, crew.role("boss"))
        shown = []
        monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
        dialog.assign_button.click()
        qtbot.waitUntil(lambda: bool(shown), timeout=WAIT)
        assert "only a manager may reassign owners" in shown[0] and "Nothing was changed" in shown[0]
        assert {lead.owner for lead in Lead.select()} == {crew.role("ann")}
        assert Outbox.select().count() == 0 and dialog.assign_button.isEnabled()


def test_offline_the_reps_cannot_be_listed_and_nothing_can_be_assigned(qtbot, pg_cluster, tmp_path, ring):
    crew = _crew(pg_cluster, tmp_path)
    with crew.replica("boss").open():
        team.configure("postgresql://nobody@/none?host=/nonexistent&port=1", crew.role("boss"), "pw")
        dialog = _dialog(qtbot, [Lead.get().id])
        assert dialog.status.text().startswith("The team's reps could not be listed: cannot reach the team server")
        assert dialog.reps.count() == 0 and not dialog.assign_button.isEnabled()


def test_the_window_offers_it_in_a_team_only(qtbot, pg_cluster, tmp_path, ring):
    from app.db.connection import close_database, open_database
    from app.ui.shell.main_window import MainWindow

    crew = _crew(pg_cluster, tmp_path)
    path = crew.replica("boss").path
    alone = tmp_path / "alone.db"
    for file, configured in ((alone, False), (path, True)):
        open_database(file)
        try:
            window = MainWindow(file)
            qtbot.addWidget(window)
            action = window.menu_actions["assignOwner"]
            assert action in window.menus["edit"].actions()
            assert action.isEnabled() == configured
            window.close()
        finally:
            close_database()
