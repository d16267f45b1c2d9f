"""The leads page's list while a long result arrives: the count first, the rows after, the lead kept."""

import pytest
from PySide6.QtWidgets import QLabel

from app.qtmodels.events import DataEvents
from app.services.lead_filter import LeadFilter
from app.ui.leads.workspace import LeadsWorkspace
from tests.helpers.leadgen import add_lead


@pytest.fixture
def workspace(db, db_path, qtbot, monkeypatch):
    # A first page of 2 rows and slices of 3: eight leads are a "long" result.
    monkeypatch.setattr("app.services.lead_query.FIRST_PAGE", 2)
    monkeypatch.setattr("app.services.lead_query.FIRST_PAGE_BUDGET_S", 5.0)
    monkeypatch.setattr("app.qtmodels.lead_list.SLICE_ROWS", 3)
    monkeypatch.setattr("app.db.query_plan.SMALL_SET", 0)  # every result is counted before its ids
    ids = [add_lead(first_name=f"Lead{n}", last_name="Growth" if n % 2 else "Sales") for n in range(8)]
    page = LeadsWorkspace(db_path, DataEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.source.results_applied):
        page.start(LeadFilter())
    yield page, ids
    page.shutdown()


def test_the_count_shows_with_the_first_page_and_the_current_lead_stays_selected(workspace, qtbot):
    page, ids = workspace
    label = page.findChild(QLabel, "leadCount")
    oldest_growth = ids[1]  # the last row: beyond the first page and the first slice
    page.list.setCurrentIndex(page.proxy.index(page.proxy.row_of(oldest_growth), 0))
    assert page.current_lead_id() == oldest_growth
    counts = []
    page.source.count_known.connect(lambda *_: counts.append((label.text(), page.source.rowCount())))
    with qtbot.waitSignal(page.source.results_applied):
        page.search.setText("growth")
    assert counts == [("4 of 8 leads", 2)]
    assert page.proxy.rowCount() == 4 and page.current_lead_id() == oldest_growth
    assert page.detail.lead_id == oldest_growth
