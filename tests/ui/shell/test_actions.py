"""The action table: every declared action is in its menu, in order, and calls a real window method."""

import pytest

from app.ui.shell.actions import ACTIONS, MENUS


@pytest.fixture
def win(qtbot, db_path, db):
    from app.ui.shell.main_window import MainWindow

    window = MainWindow(db_path)
    qtbot.addWidget(window)
    yield window
    window.close()


def test_every_declared_action_is_in_its_menu_in_order(win):
    assert [m.title() for m in (a.menu() for a in win.menuBar().actions()) if m][:len(MENUS)] == [t for _, t in MENUS]
    for key, _title in MENUS:
        shown = [a.objectName() for a in win.menus[key].actions() if not a.isSeparator()]
        declared = [f"{spec.key}Action" for spec in ACTIONS if spec.menu == key]
        assert shown[:len(declared)] == declared


def test_every_action_has_a_unique_key_and_a_slot_on_the_window(win):
    keys = [spec.key for spec in ACTIONS]
    assert len(keys) == len(set(keys))
    for spec in ACTIONS:
        assert spec.make is not None or callable(getattr(win, spec.slot)), spec.key
        assert win.menu_actions[spec.key].objectName() == f"{spec.key}Action"


def test_a_triggered_action_calls_its_slot(win):
    win.show_page("campaigns")
    win.menu_actions["find"].trigger()
    assert win.current_page() == "leads"
