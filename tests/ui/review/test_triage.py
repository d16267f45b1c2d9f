"""Triage keys on a lead list drive the database; every key's change is undoable from the stack."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QGuiApplication,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db.connection import database
from app.qtmodels.events import DataEvents
from app.qtmodels.undo_stack import UndoStack
from app.services import leads
from app.ui.review import triage
from app.ui.review.reject_reason_dialog import RejectReasonDialog
from tests.helpers.events import tags_changed
from tests.helpers.leadgen import add_leads, full_state


class Harness(QWidget):
    """A list of leads and a form, wired like the main window wires them."""

    def __init__(self, ids):
        super().__init__()
        self.events = DataEvents(self)
        self.stack = UndoStack(self.events, self)
        self.model = QStandardItemModel(self)
        for lead_id in ids:
            item = QStandardItem(f"Lead {lead_id}")
            item.setData(lead_id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(item)
        self.list = QListView(objectName="leadList")
        self.list.setModel(self.model)
        self.form = QWidget(objectName="form")
        self.field = QLineEdit(self.form)
        self.notes = QPlainTextEdit(self.form)
        # A mnemonic on a triage letter, like the detail panel's "N&otes": the triage key wins.
        QLabel("N&otes", self.form).setBuddy(self.notes)
        form_layout = QVBoxLayout(self.form)
        form_layout.addWidget(self.field)
        form_layout.addWidget(self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.form)
        self.list.setCurrentIndex(self.model.index(0, 0))
        self.triage = triage.TriageController(self.list, self.stack, self.current_id, self.move, self)
        self.triage.install_form_shortcuts(self.form)

    def current_id(self):
        index = self.list.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None

    def move(self, step):
        row = max(0, min(self.model.rowCount() - 1, self.list.currentIndex().row() + step))
        self.list.setCurrentIndex(self.model.index(row, 0))


@pytest.fixture
def ids(db):
    return add_leads(4, linkedin="https://www.linkedin.com/in/ann")


@pytest.fixture
def harness(qtbot, ids):
    widget = Harness(ids)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.list.setFocus()
    return widget


def _lead(lead_id):
    return leads.get_lead(lead_id)


def test_approve_and_skip_move_to_the_next_lead(qtbot, harness, ids):
    with qtbot.waitSignal(harness.events.changed) as blocker:
        qtbot.keyClick(harness.list, Qt.Key.Key_A)
    assert blocker.args[0].lead_ids == (ids[0],)
    assert _lead(ids[0]).review_state == "approved"
    assert _lead(ids[0]).opened_at is not None
    assert harness.current_id() == ids[1]
    qtbot.keyClick(harness.list, Qt.Key.Key_S)
    assert _lead(ids[1]).review_state == "skipped"
    assert harness.current_id() == ids[2]
    assert harness.stack.undoText() == "Skip 1 lead"


def test_reject_asks_for_a_reason(qtbot, harness, ids, monkeypatch):
    monkeypatch.setattr(RejectReasonDialog, "get_reason", staticmethod(lambda parent=None, count=1: "left company"))
    qtbot.keyClick(harness.list, Qt.Key.Key_R)
    lead = _lead(ids[0])
    assert (lead.review_state, lead.review_reason) == ("rejected", "left company")
    assert harness.current_id() == ids[1]


def test_cancelled_reject_changes_nothing(qtbot, harness, ids, monkeypatch):
    monkeypatch.setattr(RejectReasonDialog, "get_reason", staticmethod(lambda parent=None, count=1: None))
    before = full_state()
    qtbot.keyClick(harness.list, Qt.Key.Key_R)
    assert full_state() == before
    assert harness.current_id() == ids[0]
    assert harness.stack.count() == 0


def test_vip_note_and_tag_keys(qtbot, harness, ids, monkeypatch):
    monkeypatch.setattr(triage, "ask_note", lambda parent: "call on Monday")
    monkeypatch.setattr(triage, "ask_tag", lambda parent: "hot")
    qtbot.keyClick(harness.list, Qt.Key.Key_V)
    qtbot.keyClick(harness.list, Qt.Key.Key_N)
    with qtbot.waitSignal(harness.events.changed, check_params_cb=tags_changed):
        qtbot.keyClick(harness.list, Qt.Key.Key_T)
    lead = _lead(ids[0])
    assert lead.vip
    assert [n.body for n in lead.notes] == ["call on Monday"]
    assert [t.name for t in lead.tags] == ["hot"]
    assert harness.current_id() == ids[0]  # only A/R/S move on
    assert [harness.stack.text(i) for i in range(3)] == ["Mark VIP", "Add note", "Add tag to 1 lead"]


def test_every_key_is_undoable_and_redoable(qtbot, harness, ids, monkeypatch):
    monkeypatch.setattr(triage, "ask_note", lambda parent: "n")
    monkeypatch.setattr(triage, "ask_tag", lambda parent: "t")
    monkeypatch.setattr(RejectReasonDialog, "get_reason", staticmethod(lambda parent=None, count=1: "bad fit"))
    for key in (Qt.Key.Key_A, Qt.Key.Key_R, Qt.Key.Key_S, Qt.Key.Key_V, Qt.Key.Key_N, Qt.Key.Key_T):
        harness.list.setCurrentIndex(harness.model.index(0, 0))
        before = full_state()
        qtbot.keyClick(harness.list, key)
        after = full_state()
        assert after != before
        harness.stack.undo()
        assert full_state() == before
        harness.stack.redo()
        assert full_state() == after
        harness.stack.undo()


def test_alt_keys_work_from_the_form(qtbot, harness, ids):
    harness.field.setFocus()
    qtbot.waitUntil(harness.field.hasFocus)
    qtbot.keyClick(harness.field, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert _lead(ids[0]).review_state == "approved"
    assert harness.field.text() == ""
    harness.notes.setFocus()
    qtbot.waitUntil(harness.notes.hasFocus)
    qtbot.keyClick(harness.notes, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(harness.notes, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert _lead(ids[1]).vip
    assert QGuiApplication.clipboard().text() == _lead(ids[1]).email
    assert harness.notes.toPlainText() == ""
    assert harness.notes.hasFocus()


def test_j_k_move(qtbot, harness, ids):
    qtbot.keyClick(harness.list, Qt.Key.Key_J)
    qtbot.keyClick(harness.list, Qt.Key.Key_J)
    qtbot.keyClick(harness.list, Qt.Key.Key_K)
    assert harness.current_id() == ids[1]


def test_open_linkedin_and_copy_email(qtbot, harness, ids, opened_urls):
    qtbot.keyClick(harness.list, Qt.Key.Key_O)
    assert opened_urls == ["https://www.linkedin.com/in/ann"]
    with qtbot.waitSignal(harness.triage.status_changed) as blocker:
        qtbot.keyClick(harness.list, Qt.Key.Key_C)
    assert blocker.args == ["Email address copied"]
    assert QGuiApplication.clipboard().text() == _lead(ids[0]).email


def test_reason_dialog_picks_by_number_and_adds_reasons(qtbot, db, monkeypatch):
    dialog = RejectReasonDialog(3)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Reject 3 leads"
    assert dialog.reasons.count() == 5
    monkeypatch.setattr(triage.QInputDialog, "getText", staticmethod(lambda *a, **k: ("Competitor", True)))
    dialog.other_button.click()
    assert dialog.reason() == "Competitor"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_2)
    assert dialog.reason() == "left company"
    assert database.execute_sql("SELECT count(*) FROM review_reason").fetchone()[0] == 6
