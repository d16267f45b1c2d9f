"""The lead detail panel: selecting a lead fills the form; committed edits persist; bad values don't."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from app.db.models import Campaign, Lead, LeadTag, Membership, Note, Tag
from app.qtmodels.events import Changes, DataEvents
from app.services import leads, tags
from app.ui.leads.detail.campaign_picker import CampaignPicker
from app.ui.leads.detail.panel import OPENED_AFTER_MS, LeadDetailPanel
from tests.helpers.events import tags_changed

# The offscreen platform can't raise windows, grab the keyboard or pass size hints; harmless here.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

REQUIRED_NAMES = (
    "firstNameEdit", "lastNameEdit", "jobTitleEdit", "emailEdit", "phoneEdit", "linkedinEdit",
    "companyEdit", "locationEdit", "vipCheck", "notesPanel", "tagsEdit", "campaignPicker",
)


@pytest.fixture
def lead(db):
    return Lead.create(
        id_lead="7f3a-0001", first_name="Camille", last_name="Durand",
        job_title="Head of Growth", email="camille@lumen.example", email_verification_result="valid",
        phone="+33 6 12 34 56 78", linkedin="https://www.linkedin.com/in/camille-durand",
        company_name="Lumen Analytics", company_domain="lumen.example", company_headcount="51-200",
        country_name="France", location_name="Paris, Île-de-France, France",
        custom=json.dumps({"ai:5-word summary of post": "Hiring growth marketers in Paris", "source": "webinar"}),
    )


@pytest.fixture
def events():
    return DataEvents()


@pytest.fixture
def panel(qtbot, events, lead):
    widget = LeadDetailPanel(events)
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def edit(panel, name) -> QLineEdit:
    return panel.findChild(QLineEdit, name)


def type_and_commit(qtbot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_every_required_widget_exists_with_a_label_and_accessible_name(panel):
    assert panel.objectName() == "leadDetail"
    buddies = {label.buddy() for label in panel.findChildren(QLabel) if label.buddy() is not None}
    for name in REQUIRED_NAMES:
        widget = panel.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
        if name != "notesPanel":  # the notes panel labels its own composer
            assert widget in buddies, name
    assert isinstance(panel.findChild(QWidget, "campaignPicker"), CampaignPicker)
    assert panel.findChild(QToolButton, "vipCheck").isCheckable()


def test_without_a_lead_a_placeholder_is_shown(panel):
    assert panel.placeholder.isVisible()
    assert "Select a lead" in panel.placeholder.text()


def test_selecting_a_lead_fills_the_form(panel, lead):
    panel.show_lead(lead.id)
    assert not panel.placeholder.isVisible()
    assert edit(panel, "firstNameEdit").text() == "Camille"
    assert edit(panel, "emailEdit").text() == "camille@lumen.example"
    assert edit(panel, "companyEdit").text() == "Lumen Analytics"
    assert edit(panel, "locationEdit").text() == "Paris, Île-de-France, France"
    assert panel.findChild(QComboBox, "headcountEdit").currentText() == "51-200"
    assert panel.name_label.text() == "Camille Durand"
    assert panel.findChild(QLabel, "emailStatusBadge").text() == "Valid email"
    ai_edits = [e for e in panel.findChildren(QLineEdit, "customFieldEdit") if e.isVisible()]
    assert {e.accessibleName(): e.text() for e in ai_edits} == {
        "ai:5-word summary of post": "Hiring growth marketers in Paris", "source": "webinar",
    }


def test_selecting_a_lead_marks_it_opened_once(panel, lead, events, qtbot):
    with qtbot.waitSignal(events.changed) as blocker:
        panel.show_lead(lead.id)
    assert blocker.args[0].lead_ids == (lead.id,)
    assert Lead.get_by_id(lead.id).opened_at is not None
    with qtbot.assertNotEmitted(events.changed):
        panel.show_lead(lead.id)


def test_a_lead_flicked_past_is_not_marked_opened(panel, lead, events, qtbot):
    other = Lead.create(first_name="Noor", email="noor@lumen.example")
    panel.show_lead(lead.id)  # held Down: the next lead replaces it at once
    with qtbot.waitSignal(events.changed) as blocker:
        panel.show_lead(other.id)
    assert blocker.args[0].lead_ids == (other.id,)
    assert Lead.get_by_id(other.id).opened_at is not None
    assert Lead.get_by_id(lead.id).opened_at is None


def test_a_lead_shown_as_the_window_closes_is_not_marked_opened(panel, lead, events, qtbot):
    # The window closes its database right after: a later write would fail ("unable to open").
    panel.show_lead(lead.id)
    panel.shutdown()
    with qtbot.assertNotEmitted(events.changed, wait=OPENED_AFTER_MS + 200):
        pass
    assert Lead.get_by_id(lead.id).opened_at is None


def test_a_lead_hidden_before_it_counts_is_not_marked_opened(panel, lead, events, qtbot):
    panel.show_lead(lead.id)
    panel.hide()  # a closed window, a page switched away
    with qtbot.assertNotEmitted(events.changed, wait=OPENED_AFTER_MS + 200):
        pass
    assert Lead.get_by_id(lead.id).opened_at is None


def test_typing_a_first_name_and_enter_saves_it(panel, lead, events, qtbot):
    panel.show_lead(lead.id)
    with qtbot.waitSignal(events.changed) as blocker:
        type_and_commit(qtbot, edit(panel, "firstNameEdit"), "Camilla")
    assert blocker.args[0].lead_ids == (lead.id,)
    assert Lead.get_by_id(lead.id).first_name == "Camilla"
    assert "Saved" in panel.save_status.text()
    assert panel.name_label.text() == "Camilla Durand"
    qtbot.waitUntil(lambda: panel.save_status.text() == "", timeout=5000)


def test_leaving_a_field_saves_it(panel, lead, qtbot):
    panel.show_lead(lead.id)
    line = edit(panel, "jobTitleEdit")
    line.setFocus()
    line.setText("Chief Growth Officer")
    edit(panel, "companyEdit").setFocus()
    qtbot.waitUntil(lambda: Lead.get_by_id(lead.id).job_title == "Chief Growth Officer")


def test_invalid_email_is_flagged_and_not_saved(panel, lead, qtbot):
    panel.show_lead(lead.id)
    line = edit(panel, "emailEdit")
    with qtbot.waitSignal(panel.status_changed) as blocker:
        type_and_commit(qtbot, line, "camille at lumen")
    error = panel.findChild(QLabel, "emailEditError")
    assert error.isVisible() and "not a valid email" in error.text()
    assert "not a valid email" in line.accessibleDescription()
    assert line.property("invalid") is True
    assert "Not saved" in blocker.args[0]
    assert Lead.get_by_id(lead.id).email == "camille@lumen.example"
    # Closing now must not pretend all is well; the field keeps focus.
    assert panel.commit_pending() is False
    assert line.hasFocus()
    # Fixing the value clears the flag and saves (lower-cased).
    type_and_commit(qtbot, line, "Camille@Lumen.example ")
    assert not error.isVisible()
    assert line.text() == "camille@lumen.example"
    type_and_commit(qtbot, line, "c.durand@lumen.example")
    assert Lead.get_by_id(lead.id).email == "c.durand@lumen.example"
    assert panel.commit_pending() is True


def test_a_url_that_is_not_one_is_refused_and_a_bare_one_gets_https(panel, lead, qtbot):
    panel.show_lead(lead.id)
    line = edit(panel, "websiteEdit")
    type_and_commit(qtbot, line, "not a website")
    assert panel.findChild(QLabel, "websiteEditError").isVisible()
    assert Lead.get_by_id(lead.id).website == ""
    type_and_commit(qtbot, line, "lumen.example/about")
    assert Lead.get_by_id(lead.id).website == "https://lumen.example/about"
    assert line.text() == "https://lumen.example/about"


def test_commit_pending_saves_the_field_being_edited(panel, lead):
    panel.show_lead(lead.id)
    line = edit(panel, "phoneEdit")
    line.setFocus()
    line.setText("+33 1 23 45 67 89")
    assert panel.commit_pending() is True
    stored = Lead.get_by_id(lead.id)
    assert (stored.phone, stored.phone_norm) == ("+33 1 23 45 67 89", "+33123456789")


def test_headcount_combo_saves_a_range(panel, lead, qtbot):
    panel.show_lead(lead.id)
    combo = panel.findChild(QComboBox, "headcountEdit")
    combo.setFocus()
    combo.setCurrentText("201-500")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert Lead.get_by_id(lead.id).company_headcount == "201-500"


def test_ai_snippet_edit_persists(panel, lead, qtbot):
    panel.show_lead(lead.id)
    line = next(e for e in panel.findChildren(QLineEdit, "customFieldEdit")
                if e.accessibleName() == "ai:5-word summary of post")
    type_and_commit(qtbot, line, "Growing the Paris team fast")
    assert json.loads(Lead.get_by_id(lead.id).custom)["ai:5-word summary of post"] == "Growing the Paris team fast"


def test_vip_toggle_persists(panel, lead, qtbot):
    panel.show_lead(lead.id)
    star = panel.findChild(QToolButton, "vipCheck")
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert star.isChecked() and star.text() == "★"
    assert Lead.get_by_id(lead.id).vip is True
    qtbot.mouseClick(star, Qt.MouseButton.LeftButton)
    assert Lead.get_by_id(lead.id).vip is False


def test_notes_add_edit_delete(panel, lead, qtbot):
    panel.show_lead(lead.id)
    notes = panel.findChild(QWidget, "notesPanel")
    composer = notes.findChild(QPlainTextEdit, "noteInput")
    save = notes.findChild(QWidget, "addNoteButton")

    composer.setPlainText("Met at SaaStr, wants a demo")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert [n.body for n in Note.select()] == ["Met at SaaStr, wants a demo"]
    assert composer.toPlainText() == ""
    rows = notes.rows()
    assert len(rows) == 1 and rows[0].body_label.text() == "Met at SaaStr, wants a demo"

    qtbot.mouseClick(rows[0].edit_button, Qt.MouseButton.LeftButton)
    assert composer.toPlainText() == "Met at SaaStr, wants a demo"
    composer.setPlainText("Demo booked for Tuesday")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert [n.body for n in Note.select()] == ["Demo booked for Tuesday"]
    assert notes.rows()[0].body_label.text() == "Demo booked for Tuesday"

    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # empty composer: refused, said why
    assert notes.findChild(QLabel, "noteError").isVisible()

    qtbot.mouseClick(notes.rows()[0].delete_button, Qt.MouseButton.LeftButton)
    assert Note.select().count() == 0
    assert notes.rows() == []


def test_notes_follow_the_selected_lead(panel, lead, qtbot):
    other = Lead.create(first_name="Noor")
    leads.add_note(lead.id, "First call")
    leads.add_note(lead.id, "Sent the deck")
    leads.add_note(other.id, "Wrong number")

    def shown():
        return [(row.body_label.text(), row.isVisibleTo(panel)) for row in panel.notes_panel.rows()]

    panel.show_lead(lead.id)
    assert sorted(shown()) == [("First call", True), ("Sent the deck", True)]
    panel.show_lead(other.id)
    assert shown() == [("Wrong number", True)]
    visible = [r for r in panel.findChildren(QFrame, "noteRow") if r.isVisibleTo(panel)]
    assert len(visible) == 1  # the first lead's second note is not left on screen
    delete = panel.notes_panel.rows()[0].delete_button
    qtbot.waitUntil(lambda: not delete.rect().isEmpty())  # laid out, as it is before anyone can click it
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert [n.body for n in Note.select().order_by(Note.id)] == ["First call", "Sent the deck"]
    assert shown() == []


def test_tags_add_existing_create_new_and_remove(panel, lead, events, qtbot):
    hot = tags.create_tag("Hot", "#e5534b")
    events.broadcast(Changes(tags=True))
    panel.show_lead(lead.id)
    line = edit(panel, "tagsEdit")

    type_and_commit(qtbot, line, "hot")
    assert [t.tag_id for t in LeadTag.select()] == [hot.id]
    assert [c.tag.name for c in panel.tag_editor.chips()] == ["Hot"]

    colour = panel.tag_editor.color_combo
    colour.setCurrentIndex(2)
    with qtbot.waitSignal(events.changed, check_params_cb=tags_changed):
        type_and_commit(qtbot, line, "Decision maker")
    created = Tag.get(Tag.name == "Decision maker")
    assert created.color == colour.itemData(2)
    assert sorted(c.tag.name for c in panel.tag_editor.chips()) == ["Decision maker", "Hot"]

    chip = next(c for c in panel.tag_editor.chips() if c.tag.name == "Hot")
    qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert [t.tag_id for t in LeadTag.select()] == [created.id]
    assert [c.tag.name for c in panel.tag_editor.chips()] == ["Decision maker"]


def test_tag_chips_follow_the_selected_lead_and_a_renamed_tag(panel, lead, events, qtbot):
    hot, cold = tags.create_tag("Hot", "#e5534b"), tags.create_tag("Cold", "#0969da")
    other = Lead.create(first_name="Noor")
    leads.add_tag(lead.id, hot.id)
    leads.add_tag(lead.id, cold.id)
    leads.add_tag(other.id, cold.id)

    def shown():
        return [(c.findChild(QLabel).text(), c.isVisibleTo(panel)) for c in panel.tag_editor.chips()]

    panel.show_lead(lead.id)
    assert sorted(shown()) == [("Cold", True), ("Hot", True)]
    panel.show_lead(other.id)
    assert shown() == [("Cold", True)]
    chips = [c for c in panel.findChildren(QFrame, "tagChip") if c.isVisibleTo(panel)]
    assert [c.findChild(QLabel).text() for c in chips] == ["Cold"]  # Hot's chip went with its lead

    tags.rename_tag(cold.id, "Frozen")
    events.broadcast(Changes(tags=True))
    assert shown() == [("Frozen", True)]
    panel.show_lead(lead.id)
    assert sorted(shown()) == [("Frozen", True), ("Hot", True)]


def test_campaign_picker_in_the_panel_assigns_and_refuses_paused(panel, lead, events, qtbot):
    spring = Campaign.create(name="Spring Outreach")
    paused = Campaign.create(name="Old Push", status="paused")
    events.broadcast(Changes(campaigns=True))
    panel.show_lead(lead.id)
    picker = panel.findChild(CampaignPicker, "campaignPicker")
    rows = {picker.model.index(r, 0).data(): picker.model.index(r, 0) for r in range(picker.model.rowCount())}
    spring_index = next(i for text, i in rows.items() if text.startswith("Spring"))
    paused_index = next(i for text, i in rows.items() if text.startswith("Old Push"))

    with qtbot.waitSignal(events.changed):
        picker.model.setData(spring_index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert Membership.get(lead=lead.id).campaign_id == spring.id
    assert picker.text().startswith("Spring Outreach")

    assert not paused_index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    with qtbot.waitSignal(panel.status_changed) as blocker:
        picker.model.setData(paused_index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert "Only active campaigns" in blocker.args[0]
    assert not Membership.select().where(Membership.campaign == paused.id).exists()

    picker.model.setData(spring_index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert Membership.select().count() == 0


def test_an_edit_elsewhere_refreshes_the_shown_lead(panel, lead, events):
    panel.show_lead(lead.id)
    leads.update_field(lead.id, "last_name", "Martin")
    events.broadcast(Changes(lead_ids=(lead.id,)))
    assert edit(panel, "lastNameEdit").text() == "Martin"


def test_a_lead_sent_to_the_trash_leaves_the_placeholder(panel, lead, events):
    panel.show_lead(lead.id)
    Lead.update(deleted_at="2026-01-01T00:00:00+00:00").execute()
    events.broadcast(Changes(leads_added_or_removed=True))
    assert panel.placeholder.isVisible()


def test_open_and_copy_buttons(panel, lead, qtbot, opened_urls):
    panel.show_lead(lead.id)
    for name in ("linkedinOpen", "emailOpen", "phoneOpen"):
        qtbot.mouseClick(panel.findChild(QToolButton, name), Qt.MouseButton.LeftButton)
    assert opened_urls == [
        "https://www.linkedin.com/in/camille-durand", "mailto:camille@lumen.example", "tel:+33612345678",
    ]
    qtbot.mouseClick(panel.findChild(QToolButton, "emailCopy"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "camille@lumen.example"
    assert not panel.findChild(QToolButton, "websiteOpen").isEnabled()


def test_switching_leads_reuses_the_form_widgets(panel, lead):
    other = Lead.create(first_name="Jonas", last_name="Becker", custom=json.dumps({"ai:5-word summary of post": "x", "source": "y"}))
    panel.show_lead(lead.id)
    first_edit = edit(panel, "firstNameEdit")
    custom_edits = set(panel.findChildren(QLineEdit, "customFieldEdit"))
    panel.show_lead(other.id)
    assert edit(panel, "firstNameEdit") is first_edit
    assert set(panel.findChildren(QLineEdit, "customFieldEdit")) == custom_edits
    assert first_edit.text() == "Jonas"


def test_every_edit_goes_through_the_edit_runner(panel, lead, qtbot):
    """The undo stack plugs in here (UndoStack.edit has the same signature)."""
    calls = []

    def runner(name, lead_id, edit_fn, *args, initiator):
        assert initiator is panel
        calls.append((name, lead_id))
        return leads.apply_edit(name, lead_id, edit_fn, *args)

    Campaign.create(name="Spring Outreach")
    panel.set_edit_runner(runner)
    panel.show_lead(lead.id)
    type_and_commit(qtbot, edit(panel, "jobTitleEdit"), "CMO")
    qtbot.mouseClick(panel.findChild(QToolButton, "vipCheck"), Qt.MouseButton.LeftButton)
    panel.notes_panel.composer.setPlainText("Call on Monday")
    qtbot.mouseClick(panel.notes_panel.save_button, Qt.MouseButton.LeftButton)
    type_and_commit(qtbot, edit(panel, "tagsEdit"), "Warm")
    model = panel.campaign_picker.model
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert calls == [
        ("Edit job title", lead.id), ("Mark VIP", lead.id), ("Add note", lead.id),
        ("Tag “Warm”", lead.id), ("Add to Spring Outreach", lead.id),
    ]
    assert Lead.get_by_id(lead.id).job_title == "CMO"


def test_a_failed_save_tells_the_user_and_keeps_the_stored_value(panel, lead, db, qtbot):
    panel.show_lead(lead.id)
    db.execute_sql("PRAGMA query_only = 1")  # every write now fails like a read-only file
    try:
        type_and_commit(qtbot, edit(panel, "lastNameEdit"), "Dupont")
        error = panel.findChild(QLabel, "lastNameEditError")
        assert error.isVisible()
        assert "could not save" in error.text().lower()
    finally:
        db.execute_sql("PRAGMA query_only = 0")
    assert Lead.get_by_id(lead.id).last_name == "Durand"
