"""The leads workspace as a rep uses it: search, filters, chips, keyboard, count, empty state."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QToolButton,
    QWidget,
)

from app.qtmodels.events import Changes
from app.services.lead_filter import LeadFilter
from app.ui.shell.main_window import MainWindow
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag


@pytest.fixture
def seeded(db):
    spring = add_campaign("Spring Outreach")
    ids = []
    for first, last, title, company, status, size, vip in [
        ("Camille", "Durand", "Head of Growth", "Lumen Analytics", "valid", "51-200", True),
        ("Jonas", "Becker", "VP Sales DACH", "Nordlicht", "catchall", "201-500", False),
        ("Priya", "Raman", "Founder & CEO", "Tiffin Box", "invalid", "11-50", False),
        ("Kenji", "Watanabe", "CTO", "Mebuki Labs", "valid", "1-10", False),
    ]:
        lead_id = add_lead(first_name=first, last_name=last, job_title=title, company_name=company,
                           email=f"{first.lower()}@example.com", email_verification_result=status,
                           company_headcount=size, vip=vip)
        ids.append(lead_id)
    add_membership(ids[0], spring)
    add_membership(ids[1], spring)
    add_tag("hot", lead_ids=[ids[2]])
    return {"spring": spring, "ids": ids}


def open_window(qtbot, db_path):
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.leads.source.is_settled() and win.leads.source.rowCount() > 0)
    return win


@pytest.fixture
def window(qtbot, db_path, seeded):
    """The main window on the leads page."""
    win = open_window(qtbot, db_path)
    win.show_page("leads")
    yield win
    win.close()


def visible_names(win):
    view = win.findChild(QListView, "leadList")
    model = view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def wait_settled(qtbot, win):
    qtbot.waitUntil(win.leads.source.is_settled)


def test_contract_object_names_exist(window):
    for name in ("leadList", "leadSearch", "filterButton", "leadDetail", "leadCount"):
        assert window.findChild(object, name) is not None, name
    assert window.objectName() == "mainWindow"


def test_count_label_and_typing_narrows_the_list(qtbot, window):
    count = window.findChild(QLabel, "leadCount")
    assert count.text() == "4 of 4 leads"
    search = window.findChild(QLineEdit, "leadSearch")
    qtbot.keyClicks(search, "nordl")
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Jonas Becker"]
    assert count.text() == "1 of 4 leads"
    search.clear()
    wait_settled(qtbot, window)
    assert len(visible_names(window)) == 4


def test_filter_panel_applies_live_and_chips_remove_criteria(qtbot, window, seeded):
    qtbot.mouseClick(window.findChild(QToolButton, "filterButton"), Qt.MouseButton.LeftButton)
    panel = window.leads.filter_panel
    assert panel.isVisible()
    panel.findChild(QCheckBox, "statusFilter_valid").setChecked(True)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Kenji Watanabe", "Camille Durand"]
    vip = panel.findChild(QComboBox, "vipFilter")
    vip.setCurrentIndex(vip.findData(True))
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Camille Durand"]
    chips = window.leads.chips.findChildren(QToolButton, "filterChip")
    assert sorted(c.text().split("  ")[0] for c in chips) == ["Email: valid", "VIP"]
    panel.hide()
    vip_chip = next(c for c in chips if c.text().startswith("VIP"))
    qtbot.mouseClick(vip_chip, Qt.MouseButton.LeftButton)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Kenji Watanabe", "Camille Durand"]
    assert window.findChild(QToolButton, "filterButton").text() == "Filters · 1"


def test_owner_filter_appears_with_a_team_and_narrows_the_list(qtbot, db, window, seeded):
    # Without owners (no team) the panel has no Owner row.
    button = window.findChild(QToolButton, "filterButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    panel = window.leads.filter_panel
    owner = panel.findChild(QComboBox, "ownerFilter")
    assert panel.isVisible() and not owner.isVisible()
    panel.hide()
    ann, _, cy, _ = seeded["ids"]
    db.connection().execute("UPDATE lead SET owner = 'ann' WHERE id IN (?, ?)", (ann, cy))
    db.connection().execute("UPDATE lead SET owner = 'bob' WHERE owner = ''")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a sync brought owners meanwhile: the panel shows them
    assert owner.isVisible()
    assert [owner.itemText(i) for i in range(owner.count())] == ["Anyone", "ann", "bob"]
    owner.setCurrentIndex(owner.findData("ann"))
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Priya Raman", "Camille Durand"]
    chips = window.leads.chips.findChildren(QToolButton, "filterChip")
    assert [c.text().split("  ")[0] for c in chips] == ["Owner: ann"]


def test_campaign_and_tag_filters_from_the_panel(qtbot, window):
    panel = window.leads.filter_panel
    qtbot.mouseClick(window.findChild(QToolButton, "filterButton"), Qt.MouseButton.LeftButton)
    panel.campaign_list.item(0).setCheckState(Qt.CheckState.Checked)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Jonas Becker", "Camille Durand"]
    panel.campaign_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    panel.tag_list.item(0).setCheckState(Qt.CheckState.Checked)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Priya Raman"]


def test_job_title_and_company_size_filters(qtbot, window):
    panel = window.leads.filter_panel
    qtbot.mouseClick(window.findChild(QToolButton, "filterButton"), Qt.MouseButton.LeftButton)
    panel.findChild(QCheckBox, "headcountFilter_1-10").setChecked(True)
    panel.findChild(QCheckBox, "headcountFilter_11-50").setChecked(True)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Kenji Watanabe", "Priya Raman"]
    qtbot.keyClicks(panel.findChild(QLineEdit, "jobTitleFilter"), "founder")
    qtbot.waitUntil(lambda: visible_names(window) == ["Priya Raman"])


def test_segment_is_saved_and_picked_again(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    panel = window.leads.filter_panel
    qtbot.mouseClick(window.findChild(QToolButton, "filterButton"), Qt.MouseButton.LeftButton)
    panel.findChild(QCheckBox, "statusFilter_invalid").setChecked(True)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Bad emails", True))
    panel.findChild(QToolButton, "saveSegmentButton").click()
    panel.findChild(object, "clearFiltersButton").click()
    wait_settled(qtbot, window)
    assert len(visible_names(window)) == 4
    combo = panel.findChild(QComboBox, "segmentCombo")
    index = combo.findText("Bad emails")
    assert index > 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Priya Raman"]


def test_keyboard_moves_through_the_list_and_the_form_follows(qtbot, window):
    view = window.findChild(QListView, "leadList")
    first_name = window.findChild(QLineEdit, "firstNameEdit")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(view.model().index(0, 0)).center())
    assert first_name.text() == "Kenji"
    qtbot.keyClick(view, Qt.Key.Key_J)
    assert first_name.text() == "Priya"
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert first_name.text() == "Jonas"
    qtbot.keyClick(view, Qt.Key.Key_K)
    assert first_name.text() == "Priya"


def test_selection_survives_a_refresh(qtbot, window, seeded):
    window.leads.move_selection(1)
    selected = window.leads.current_lead_id()
    add_lead(first_name="New", last_name="Person")
    with qtbot.waitSignal(window.leads.source.results_applied):
        window.events.broadcast(Changes(leads_added_or_removed=True))
    assert visible_names(window)[0] == "New Person"
    assert window.leads.current_lead_id() == selected


def test_filter_is_remembered_across_restarts(qtbot, db_path, window):

    window.leads.proxy.set_filter(LeadFilter(vip=True, sort="name"))
    wait_settled(qtbot, window)
    window.close()
    again = open_window(qtbot, db_path)
    assert again.current_page() == "leads"  # the last page, not the landing page
    assert visible_names(again) == ["Camille Durand"]
    assert again.leads.sort_combo.currentData() == "name"
    assert again.findChild(QWidget, "campaignsPage") is None  # built when first shown
    again.close()


def test_leads_page_is_built_on_first_use_with_the_remembered_filter(qtbot, db_path, window):
    window.leads.proxy.set_filter(LeadFilter(vip=True))
    wait_settled(qtbot, window)
    window.show_page("campaigns")
    window.close()
    for session in (1, 2):
        again = MainWindow(db_path)
        qtbot.addWidget(again)
        again.show()
        assert again.current_page() == "campaigns"
        assert again.findChild(QListView, "leadList") is None
        for name in ("undoAction", "bulkAction", "reviewModeAction", "exportDecisionsAction"):
            assert again.findChild(QAction, name) is not None, name  # the menus are all there
        if session == 1:
            again.close()  # without opening the leads page: its filter stays remembered
    again.findChild(QAction, "leadsPageAction").trigger()  # the Leads button of the page bar
    assert again.pages.currentWidget() is again.findChild(QWidget, "leadsPage")
    wait_settled(qtbot, again)
    assert visible_names(again) == ["Camille Durand"]
    assert again.findChild(QWidget, "detailTabs").count() == 2
    again.close()


def test_empty_database_shows_the_empty_state(qtbot, db, db_path):
    win = open_empty_window(qtbot, db_path)
    assert win.current_page() == "leads"
    assert win.leads.stack.currentWidget() is win.leads.empty_state
    assert win.leads.empty_state.isVisible()
    win.close()


def test_campaigns_page_is_the_front_door_and_view_leads_filters(qtbot, db_path, seeded):
    from PySide6.QtWidgets import QPushButton

    window = open_window(qtbot, db_path)
    assert window.pages.currentWidget().objectName() == "campaignsPage"
    qtbot.waitUntil(lambda: bool(window.findChildren(QWidget, "campaignCard")))
    card = next(c for c in window.findChildren(QWidget, "campaignCard") if c.accessibleName() == "Spring Outreach")
    qtbot.mouseClick(card.findChild(QPushButton, "viewLeadsButton"), Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.leads
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Jonas Becker", "Camille Durand"]
    # The rep picks the lead: none is loaded into the form by itself.
    assert window.leads.current_lead_id() is None and window.leads.detail.lead_id is None
    assert window.findChild(QWidget, "detailPlaceholder").isVisible()
    chips = window.leads.chips.findChildren(QToolButton, "filterChip")
    assert [c.text().split("  ")[0] for c in chips] == ["Campaign: Spring Outreach"]
    qtbot.mouseClick(chips[0], Qt.MouseButton.LeftButton)
    wait_settled(qtbot, window)
    assert len(visible_names(window)) == 4
    window.close()


def test_ctrl_1_and_ctrl_2_switch_pages(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.leads
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.campaigns


def test_load_sample_from_the_empty_state_fills_list_and_campaigns(qtbot, db, db_path):
    from PySide6.QtWidgets import QPushButton

    window = open_empty_window(qtbot, db_path)
    qtbot.mouseClick(window.findChild(QPushButton, "loadSampleButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.leads.source.is_settled() and window.leads.source.rowCount() == 300)
    assert window.leads.stack.currentWidget() is window.leads.splitter
    assert window.findChild(QLabel, "leadCount").text() == "300 of 300 leads"
    window.show_page("campaigns")
    qtbot.waitUntil(lambda: len(window.findChildren(QWidget, "campaignCard")) == 3)
    window.close()


def open_empty_window(qtbot, db_path):
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(win.leads.source.is_settled)
    return win


def test_the_form_empties_when_its_lead_is_filtered_out(qtbot, window, seeded):
    window.leads.show_campaign(seeded["spring"])
    wait_settled(qtbot, window)
    window.leads.move_selection(1)
    jonas = window.leads.current_lead_id()
    assert window.leads.detail.lead_id == jonas
    search = window.findChild(QLineEdit, "leadSearch")
    qtbot.keyClicks(search, "lumen")
    wait_settled(qtbot, window)
    assert visible_names(window) == ["Camille Durand"]
    # Jonas left the list, so the form empties; the rep picks the next lead (none is loaded for them).
    assert window.leads.detail.lead_id is None and window.leads.current_lead_id() is None
    assert window.findChild(QWidget, "detailPlaceholder").isVisible()
    window.leads.move_selection(1)
    assert window.leads.detail.lead_id == seeded["ids"][0]
    assert window.findChild(QLineEdit, "firstNameEdit").text() == "Camille"
    qtbot.keyClicks(search, "zzz")
    wait_settled(qtbot, window)
    assert visible_names(window) == []
    assert window.leads.detail.lead_id is None


def test_edit_undo_and_delete_go_through_the_background_runner(qtbot, window, seeded, monkeypatch):
    from app.db.connection import database
    from app.ui.common import undo_tasks

    monkeypatch.setattr(undo_tasks, "BACKGROUND_MIN_LEADS", 1)  # every operation counts as big
    live = lambda: database.execute_sql("SELECT count(*) FROM lead WHERE deleted_at IS NULL").fetchone()[0]  # noqa: E731
    window.leads.list.setFocus()
    window.leads.move_selection(1)
    window.menu_actions["deleteLeads"].trigger()
    qtbot.waitUntil(lambda: window.undo_runner.task is None and live() == 3)
    assert window.menu_actions["undo"].isEnabled()
    window.menu_actions["undo"].trigger()
    assert window.undo_runner.task is not None
    qtbot.waitUntil(lambda: window.undo_runner.task is None)
    assert live() == 4 and window.menu_actions["redo"].isEnabled()



def test_a_closed_window_runs_no_more_timers(qtbot, db_path, seeded):
    from PySide6.QtCore import QTimer

    win = open_window(qtbot, db_path)
    assert any(t.isActive() for t in win.findChildren(QTimer))
    win.close()
    assert not [t.objectName() or repr(t) for t in win.findChildren(QTimer) if t.isActive()]


def test_cancelling_the_sample_load_leaves_the_database_empty(qtbot, db, db_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication

    from app.services import sample

    window = open_empty_window(qtbot, db_path)
    gate, load = threading.Event(), sample.load_sample
    monkeypatch.setattr(sample, "load_sample",
                        lambda progress, cancelled: load(progress, lambda: gate.wait(10) and cancelled()))
    window.menu_actions["sample"].trigger()
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "taskProgressDialog")
    dialog.canceled.emit()  # what its Cancel button does
    gate.set()
    qtbot.waitUntil(lambda: window._task is None)
    assert window.statusBar().currentMessage() == "Cancelled: nothing was changed."
    assert db.execute_sql("SELECT count(*) FROM lead").fetchone()[0] == 0
    window.close()
