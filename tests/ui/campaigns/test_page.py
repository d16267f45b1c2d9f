"""The campaigns page as a rep uses it: cards, live numbers, search/sort, lifecycle, View Leads."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
)

from app.db.models import Lead, Membership, utc_now
from app.qtmodels.events import Changes, DataEvents
from app.services import campaigns
from app.services.campaigns import CampaignTargets
from app.ui.campaigns.dialogs import CampaignNameDialog, TargetFiltersDialog
from app.ui.campaigns.page import CampaignsPage
from tests.helpers.events import campaigns_changed


def _leads(campaign_id, n, **fields):
    ids = []
    for _ in range(n):
        lead = Lead.create(**fields)
        Membership.create(campaign=campaign_id, lead=lead)
        ids.append(lead.id)
    return ids


@pytest.fixture
def events():
    return DataEvents()


@pytest.fixture
def page(db, qtbot, events):
    page = CampaignsPage(events)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    return page


def _show(page, qtbot):
    """Show the page and wait for its numbers (they are counted on a background thread)."""
    with qtbot.waitSignal(page.metrics_updated):
        page.show()
    qtbot.waitExposed(page)


def _card(page, name):
    return next(
        c for c in page.findChildren(QFrame, "campaignCard") if c.accessibleName() == name and not c.isHidden()
    )


def _value(card, object_name):
    return card.findChild(QLabel, object_name).text()


def _names(page):
    return [card.accessibleName() for card in page.cards()]


def test_a_card_shows_the_campaign_and_its_numbers(page, qtbot):
    c = campaigns.create_campaign("Spain founders")
    campaigns.set_targets(c.id, CampaignTargets(countries=("Spain",)))
    _leads(c.id, 3, email="a@b.es", email_verification_result="valid", country_name="Spain", opened_at=utc_now())
    _leads(c.id, 1, email="a@b.fr", email_verification_result="valid", country_name="France")
    _leads(c.id, 1, email="a@b.es", email_verification_result="pending", country_name="Spain")
    _show(page, qtbot)

    card = _card(page, "Spain founders")
    assert _value(card, "discoveredValue") == "5"
    assert _value(card, "processedValue") == "80%"
    assert _value(card, "validEmailsValue") == "3"
    assert _value(card, "reviewedValue") == "3 / 5"
    assert card.findChild(QLabel, "statusBadge").text() == "Active"
    assert "not pending" in card.findChild(QLabel, "processedValue").toolTip()
    assert "Spain" in card.findChild(QLabel, "targetsLabel").text()
    assert card.findChild(QPushButton, "viewLeadsButton").text() == "View Leads"


def test_view_leads_asks_for_that_campaign(page, qtbot):
    campaigns.create_campaign("First")
    second = campaigns.create_campaign("Second")
    _show(page, qtbot)
    button = _card(page, "Second").findChild(QPushButton, "viewLeadsButton")
    with qtbot.waitSignal(page.view_leads_requested) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [second.id]


def test_cards_refresh_in_place_after_an_edit_elsewhere(page, qtbot, events):
    c = campaigns.create_campaign("Live")
    ids = _leads(c.id, 4, email_verification_result="pending")
    _show(page, qtbot)
    card = _card(page, "Live")
    assert _value(card, "reviewedValue") == "0 / 4"

    # The leads workspace edits a lead and broadcasts it.
    Lead.update(opened_at=utc_now(), email_verification_result="valid", email="x@y.com").where(
        Lead.id == ids[0]
    ).execute()
    events.broadcast(Changes(lead_ids=(ids[0],)))
    qtbot.waitUntil(lambda: _value(card, "reviewedValue") == "1 / 4")
    assert _value(card, "processedValue") == "25%"
    assert _value(card, "validEmailsValue") == "1"
    assert _card(page, "Live") is card  # updated, not rebuilt

    Lead.update(deleted_at=utc_now()).where(Lead.id == ids[1]).execute()  # moved to the Trash
    events.broadcast(Changes(leads_added_or_removed=True))
    qtbot.waitUntil(lambda: _value(card, "discoveredValue") == "3")


def test_a_burst_of_edits_refreshes_once(page, qtbot, events, monkeypatch):
    campaigns.create_campaign("Busy")
    _show(page, qtbot)
    calls = []
    real = campaigns.campaign_metrics
    monkeypatch.setattr(campaigns, "campaign_metrics", lambda *a, **k: calls.append(1) or real(*a, **k))
    # metrics_updated comes once no refresh is pending, so a refresh per edit would show here.
    with qtbot.waitSignal(page.metrics_updated):
        for i in range(100):
            events.broadcast(Changes(lead_ids=(i,)))
    assert len(calls) == 1


def test_a_hidden_page_catches_up_when_shown(page, qtbot, events):
    c = campaigns.create_campaign("Later")
    _show(page, qtbot)
    page.hide()
    _leads(c.id, 2)
    events.broadcast(Changes(leads_added_or_removed=True))
    card = _card(page, "Later")
    assert _value(card, "discoveredValue") == "0"  # no work while nobody looks
    _show(page, qtbot)
    assert _value(card, "discoveredValue") == "2"


def test_a_page_hidden_right_after_a_change_counts_nothing_until_shown(page, qtbot, events, monkeypatch):
    from app.ui.campaigns.page import REFRESH_DELAY_MS

    c = campaigns.create_campaign("Later")
    _show(page, qtbot)
    calls = []
    real = campaigns.campaign_metrics
    monkeypatch.setattr(campaigns, "campaign_metrics", lambda *a, **k: calls.append(1) or real(*a, **k))
    _leads(c.id, 2)
    events.broadcast(Changes(leads_added_or_removed=True))  # a refresh is due in a moment...
    page.hide()  # ...but the rep went to the lead list (View Leads)
    later = QTimer(singleShot=True, interval=REFRESH_DELAY_MS)  # due after the page's own timer
    with qtbot.waitSignal(later.timeout):
        later.start()
    assert page._task is None  # no count started (one would have begun in the page's timer)
    card = _card(page, "Later")
    assert _value(card, "discoveredValue") == "0"
    _show(page, qtbot)
    assert _value(card, "discoveredValue") == "2"
    assert calls == [1]


def test_archived_campaigns_only_with_show_archived(page, qtbot):
    campaigns.create_campaign("Current")
    old = campaigns.create_campaign("Old")
    campaigns.set_status(old.id, "archived")
    _show(page, qtbot)
    assert _names(page) == ["Current"]
    page.findChild(type(page.archived_check), "showArchived").setChecked(True)
    assert _names(page) == ["Current", "Old"]
    assert _card(page, "Old").findChild(QLabel, "statusBadge").text() == "Archived"


def test_search_filters_and_sort_reorders(page, qtbot):
    alpha = campaigns.create_campaign("Alpha Spain")
    campaigns.create_campaign("Beta France")
    gamma = campaigns.create_campaign("Gamma Spain")
    _leads(gamma.id, 3)
    _leads(alpha.id, 1)
    _show(page, qtbot)
    assert _names(page) == ["Alpha Spain", "Beta France", "Gamma Spain"]

    page.sort_combo.setCurrentIndex(page.sort_combo.findData("most_leads"))
    assert _names(page) == ["Gamma Spain", "Alpha Spain", "Beta France"]
    page.sort_combo.setCurrentIndex(page.sort_combo.findData("newest"))
    assert _names(page) == ["Gamma Spain", "Beta France", "Alpha Spain"]

    qtbot.keyClicks(page.search_edit, "spain")
    assert _names(page) == ["Gamma Spain", "Alpha Spain"]
    assert page.count_label.text() == "2 of 3 campaigns"
    page.search_edit.setText("nothing like it")
    assert _names(page) == []
    assert page.findChild(QLabel, "campaignsEmptyTitle").isVisible()


def test_empty_state_invites_to_create(page, qtbot):
    _show(page, qtbot)
    assert page.findChild(QLabel, "campaignsEmptyTitle").text() == "No campaigns yet"
    assert page.findChild(QPushButton, "emptyCreateButton").isVisible()
    assert not page.search_edit.isVisible()  # nothing to search yet
    qtbot.mouseClick(page.findChild(QPushButton, "emptyCreateButton"), Qt.MouseButton.LeftButton)
    dialog = _dialog(page, qtbot, CampaignNameDialog)
    dialog.name_edit.setText("First")
    dialog.accept()
    assert _names(page) == ["First"]
    assert page.search_edit.isVisible()


def test_the_grid_reflows_with_the_width(page, qtbot):
    for name in ("A", "B", "C"):
        campaigns.create_campaign(name)
    page.resize(1100, 700)
    _show(page, qtbot)
    qtbot.waitUntil(lambda: len({c.y() for c in page.cards()}) == 1)  # one row of three
    page.resize(420, 700)
    qtbot.waitUntil(lambda: len({c.x() for c in page.cards()}) == 1)  # one column


def _dialog(page, qtbot, kind):
    qtbot.waitUntil(lambda: any(d.isVisible() for d in page.findChildren(kind)))
    return next(d for d in page.findChildren(kind) if d.isVisible())


def test_create_and_rename_from_the_page(page, qtbot, events):
    campaigns.create_campaign("Taken")
    _show(page, qtbot)
    qtbot.mouseClick(page.findChild(QPushButton, "newCampaignButton"), Qt.MouseButton.LeftButton)
    dialog = _dialog(page, qtbot, CampaignNameDialog)
    qtbot.keyClicks(dialog.name_edit, "taken")
    dialog.accept()
    assert dialog.isVisible()  # refused: stays open with the input and the reason
    assert "already exists" in dialog.error_label.text()
    assert dialog.name_edit.text() == "taken"

    dialog.name_edit.setText("Portugal CTOs")
    with qtbot.waitSignal(events.changed, check_params_cb=campaigns_changed):
        dialog.accept()
    assert "Portugal CTOs" in _names(page)

    card = _card(page, "Portugal CTOs")
    card.findChild(QAction, "renameAction").trigger()
    dialog = _dialog(page, qtbot, CampaignNameDialog)
    assert dialog.name_edit.text() == "Portugal CTOs"
    dialog.name_edit.setText("Portugal founders")
    dialog.accept()
    assert card.accessibleName() == "Portugal founders"
    assert [c.name for c in campaigns.list_campaigns()] == ["Portugal founders", "Taken"]


def _menu_entries(button) -> list[str]:
    """Open the button's popup menu the way a click does; the visible entries, then it is closed."""
    seen = []

    def read_and_close():
        for menu in (w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()):
            seen.extend(a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator())
            menu.close()

    QTimer.singleShot(0, read_and_close)
    button.showMenu()  # returns when the menu closes
    return seen


def test_the_actions_button_offers_the_lifecycle_actions(page, qtbot):
    c = campaigns.create_campaign("Lifecycle")
    _show(page, qtbot)
    button = _card(page, "Lifecycle").findChild(QToolButton, "campaignMenuButton")
    assert _menu_entries(button) == ["Rename…", "Target filters…", "Pause", "Archive", "Delete…"]
    campaigns.set_status(c.id, "archived")
    page.archived_check.setChecked(True)
    button = _card(page, "Lifecycle").findChild(QToolButton, "campaignMenuButton")
    assert _menu_entries(button) == ["Rename…", "Target filters…", "Unarchive", "Delete…"]


def test_pause_resume_archive_from_the_menu(page, qtbot):
    c = campaigns.create_campaign("Lifecycle")
    _show(page, qtbot)
    card = _card(page, "Lifecycle")
    pause = card.findChild(QAction, "pauseAction")
    assert pause.text() == "Pause"
    pause.trigger()
    assert campaigns.get_campaign(c.id).status == "paused"
    assert card.findChild(QLabel, "statusBadge").text() == "Paused"
    assert pause.text() == "Resume"
    pause.trigger()
    assert campaigns.get_campaign(c.id).status == "active"

    card.findChild(QAction, "archiveAction").trigger()
    assert campaigns.get_campaign(c.id).status == "archived"
    assert _names(page) == []
    page.archived_check.setChecked(True)
    card = _card(page, "Lifecycle")
    unarchive = card.findChild(QAction, "archiveAction")
    assert unarchive.text() == "Unarchive"
    unarchive.trigger()
    assert campaigns.get_campaign(c.id).status == "active"


def test_delete_asks_first_and_keeps_the_leads(page, qtbot):
    c = campaigns.create_campaign("Doomed")
    _leads(c.id, 3)
    _show(page, qtbot)
    _card(page, "Doomed").findChild(QAction, "deleteAction").trigger()
    box = _dialog(page, qtbot, QMessageBox)
    assert "3 leads will be removed" in box.text() and "kept" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert _names(page) == ["Doomed"]

    _card(page, "Doomed").findChild(QAction, "deleteAction").trigger()
    box = _dialog(page, qtbot, QMessageBox)
    box.findChild(QPushButton, "confirmDeleteButton").click()
    assert _names(page) == []
    assert campaigns.list_campaigns() == []
    assert Lead.select().count() == 3


def test_target_filters_drive_valid_emails(page, qtbot):
    c = campaigns.create_campaign("Targeted")
    _leads(c.id, 2, email="a@b.es", email_verification_result="valid", country_name="Spain", company_headcount="11-50")
    _leads(c.id, 1, email="a@b.de", email_verification_result="valid", country_name="Germany", company_headcount="11-50")
    _show(page, qtbot)
    card = _card(page, "Targeted")
    assert _value(card, "validEmailsValue") == "3"

    card.findChild(QAction, "targetsAction").trigger()
    dialog = _dialog(page, qtbot, TargetFiltersDialog)
    dialog.countries_edit.setText("spain, ")
    dialog.headcount_checks["11-50"].setChecked(True)
    with qtbot.waitSignal(page.metrics_updated):
        dialog.accept()
    assert not page.findChildren(TargetFiltersDialog)  # closed (and deleted)
    assert campaigns.get_targets(c.id) == CampaignTargets(countries=("spain",), headcounts=("11-50",))
    assert _value(card, "validEmailsValue") == "2"
    assert "spain" in card.findChild(QLabel, "targetsLabel").text()


def test_sort_and_show_archived_are_remembered(page, qtbot, events):
    old = campaigns.create_campaign("Old")
    campaigns.set_status(old.id, "archived")
    campaigns.create_campaign("New")
    _show(page, qtbot)
    page.sort_combo.setCurrentIndex(page.sort_combo.findData("newest"))
    page.archived_check.setChecked(True)

    again = CampaignsPage(events)
    qtbot.addWidget(again)
    _show(again, qtbot)
    assert again.sort_combo.currentData() == "newest"
    assert again.archived_check.isChecked()
    assert _names(again) == ["New", "Old"]


def test_changes_during_a_count_are_counted_too(page, qtbot):
    c = campaigns.create_campaign("Racing")
    _show(page, qtbot)
    _leads(c.id, 1)
    page.refresh()  # counting starts in the background...
    _leads(c.id, 2)
    with qtbot.waitSignal(page.metrics_updated):
        page.refresh()  # ...and this one must not be lost
    assert _value(_card(page, "Racing"), "discoveredValue") == "3"


def test_an_action_on_a_vanished_campaign_explains_and_refreshes(page, qtbot):
    c = campaigns.create_campaign("Vanishing")
    _show(page, qtbot)
    card = _card(page, "Vanishing")
    campaigns.delete_campaign(c.id)  # elsewhere, without a broadcast
    card.findChild(QAction, "pauseAction").trigger()
    box = _dialog(page, qtbot, QMessageBox)
    assert "no longer exists" in box.text()
    assert _names(page) == []


def test_target_dialog_completes_the_last_country_of_the_list(db, qtbot):
    saved = []
    dialog = TargetFiltersDialog("Spain", CampaignTargets(), ["France", "Germany", "Spain"], saved.append)
    qtbot.addWidget(dialog)
    completer = dialog.countries_edit.completer()
    dialog.countries_edit.setText("Spain, ger")
    assert completer.splitPath(dialog.countries_edit.text()) == ["ger"]
    completer.setCompletionPrefix("ger")
    assert completer.currentCompletion() == "Spain, Germany"

    dialog.countries_edit.setText("Spain, Germany,")
    dialog.keywords_edit.setText(" founder ,, CTO")
    dialog.accept()
    assert saved == [CampaignTargets(countries=("Spain", "Germany"), keywords=("founder", "CTO"))]
