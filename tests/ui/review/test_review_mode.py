"""Review at keyboard speed inside the real main window: keys, menus, undo, Review mode, History."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.services import leads
from tests.helpers.leadgen import add_leads


@pytest.fixture
def ids(db):
    return add_leads(5)


def _action(win, key):
    return win.menu_actions[key]


@pytest.fixture
def win(qtbot, db_path, ids):
    from app.ui.shell.main_window import MainWindow

    window = MainWindow(db_path)
    qtbot.addWidget(window)
    window.show()
    window.show_page("leads")
    qtbot.waitUntil(lambda: window.leads.source.is_settled() and window.leads.source.rowCount() == 5)
    window.leads.move_selection(1)  # select the first lead
    window.leads.list.setFocus()
    qtbot.waitUntil(window.leads.list.hasFocus)
    yield window
    window.close()


def _menu_texts(win):
    return [a.text() for a in win.menuBar().actions()]


def test_menus_and_actions_are_in_place(win):
    titles = _menu_texts(win)
    assert titles.index("&Edit") == titles.index("&File") + 1
    assert "Review" in titles
    for name in ("undoAction", "redoAction", "bulkAction", "deleteLeadsAction", "reviewModeAction",
                 "findDuplicatesAction", "trashAction", "exportDecisionsAction", "keyboardShortcutsAction"):
        assert win.findChild(object, name) is not None, name
    assert win.findChild(object, "detailTabs").count() == 2
    assert win.findChild(object, "reviewBar").isHidden()


def test_triage_key_then_ctrl_z_and_ctrl_shift_z(qtbot, win, ids):
    first = win.leads.current_lead_id()
    qtbot.keyClick(win.leads.list, Qt.Key.Key_A)
    assert leads.get_lead(first).review_state == "approved"
    assert win.leads.current_lead_id() != first
    assert _action(win, "undo").text() == "&Undo Approve 1 lead"
    qtbot.keyClick(win.leads.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert leads.get_lead(first).review_state == "new"
    qtbot.keyClick(win.leads.list, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert leads.get_lead(first).review_state == "approved"


def test_detail_panel_edits_are_undoable(qtbot, win):
    lead = win.leads.current_lead_id()
    assert win.leads.detail.edit_runner.func == win.undo_stack.edit
    assert win.leads.detail.edit_runner("Edit job title", lead, leads.update_field, lead, "job_title", "CEO")
    assert win.undo_stack.undoText() == "Edit job title"
    _action(win, "undo").trigger()
    assert leads.get_lead(lead).job_title == ""


def test_alt_keys_from_the_form(qtbot, win):
    lead = win.leads.current_lead_id()
    field = win.leads.detail.findChild(QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert leads.get_lead(lead).vip
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert leads.get_lead(lead).review_state == "skipped"


def test_delete_key_moves_the_selection_to_the_trash(qtbot, win, ids):
    lead = win.leads.current_lead_id()
    qtbot.keyClick(win.leads.list, Qt.Key.Key_Delete)
    assert leads.get_lead(lead) is None
    qtbot.waitUntil(lambda: win.leads.source.is_settled() and win.leads.source.rowCount() == 4)
    _action(win, "undo").trigger()
    qtbot.waitUntil(lambda: win.leads.source.is_settled() and win.leads.source.rowCount() == 5)


def test_review_mode_filters_counts_and_resumes(qtbot, db_path, win, ids):
    _action(win, "reviewMode").trigger()
    bar = win.findChild(object, "reviewBar")
    assert not bar.isHidden()
    assert win.leads.proxy.lead_filter().review_states == ("new",)
    assert bar.label.text() == "0 of 5 reviewed"
    qtbot.waitUntil(lambda: win.leads.source.is_settled())
    win.leads.move_selection(1)
    qtbot.keyClick(win.leads.list, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: bar.label.text() == "1 of 5 reviewed")
    win.close()

    from app.ui.shell.main_window import MainWindow
    again = MainWindow(db_path)
    qtbot.addWidget(again)
    assert _action(again, "reviewMode").isChecked()
    assert again.findChild(object, "reviewBar").label.text() == "1 of 5 reviewed"
    assert again.leads.proxy.lead_filter().review_states == ("new",)
    _action(again, "reviewMode").trigger()
    assert again.leads.proxy.lead_filter().review_states == ()
    again.close()


def test_history_tab_shows_the_current_lead(qtbot, win):
    lead = win.leads.current_lead_id()
    qtbot.keyClick(win.leads.list, Qt.Key.Key_V)
    tabs = win.findChild(object, "detailTabs")
    tabs.setCurrentIndex(1)
    history = win.leads.history
    assert history.tree.topLevelItemCount() == 1
    assert history.tree.topLevelItem(0).text(1) == "VIP: no → yes"
    assert QApplication.focusWidget() is not None and lead


def test_export_decisions_and_edit_reasons_from_the_menus(qtbot, win, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from app.services import review
    qtbot.keyClick(win.leads.list, Qt.Key.Key_A)
    target = tmp_path / "decisions.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    _action(win, "exportDecisions").trigger()
    assert target.read_text(encoding="utf-8-sig").splitlines()[0].startswith("id_lead,review_state")
    assert win.statusBar().currentMessage() == "Exported the decisions on 1 lead"
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        staticmethod(lambda *a, **k: ("too junior\n\nbad fit\n", True)))
    _action(win, "rejectionReasons").trigger()
    assert review.list_reasons() == ["too junior", "bad fit"]


def test_review_decisions_follow_export_leads_in_the_file_menu(win):
    texts = [a.text() for a in win.findChild(object, "fileMenu").actions()]
    position = texts.index("Export review &decisions…")
    assert texts[position - 1].replace("&", "").startswith("Export leads")


def test_review_mode_left_open_resumes_when_the_window_opens_on_campaigns(qtbot, db_path, win):
    from app.ui.shell.main_window import MainWindow
    from tests.helpers.leadgen import add_campaign

    _action(win, "reviewMode").trigger()
    add_campaign("Spring")  # with a campaign, the window opens on the campaigns page
    win.show_page("campaigns")
    win.close()
    again = MainWindow(db_path)
    qtbot.addWidget(again)
    assert again.current_page() == "campaigns"
    assert _action(again, "reviewMode").isChecked()
    assert again.leads.proxy.lead_filter().review_states == ("new",)
    again.close()
