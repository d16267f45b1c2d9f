"""The campaign multi-select: assigns and removes memberships, refuses inactive campaigns."""

import pytest
from PySide6.QtCore import Qt

from app.db.models import Campaign, Lead, Membership
from app.qtmodels.campaign_choices import CampaignChoicesModel, CampaignRole
from app.services import leads
from app.ui.leads.detail.campaign_picker import CampaignPicker

# The offscreen platform can't raise windows or grab the keyboard for a popup; harmless here.
OFFSCREEN_LIMITS = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def setup(db):
    lead = Lead.create(first_name="Grace", last_name="Hopper")
    campaigns = {
        name: Campaign.create(name=name, status=status)
        for name, status in [
            ("Spring Outreach", "active"), ("EU SaaS", "active"), ("Zeta", "active"),
            ("Old Push", "paused"), ("Archive 2024", "archived"),
        ]
    }
    return lead, campaigns


def _is_member(lead, campaign):
    return Membership.select().where((Membership.lead == lead.id) & (Membership.campaign == campaign.id)).exists()


def _row(model, name):
    return next(r for r in range(model.rowCount()) if model.index(r, 0).data(CampaignRole.Name) == name)


def test_model_passes_qt_checks(qtmodeltester, setup):
    lead, campaigns = setup
    leads.set_membership(lead.id, campaigns["EU SaaS"].id, True)
    model = CampaignChoicesModel()
    model.set_lead(lead.id)
    qtmodeltester.check(model)


def test_lists_active_first_and_archived_last(qtbot, setup):
    lead, _ = setup
    picker = CampaignPicker()
    qtbot.addWidget(picker)
    picker.set_lead(lead.id)
    names = [picker.model.index(r, 0).data(CampaignRole.Name) for r in range(picker.model.rowCount())]
    assert names == ["EU SaaS", "Spring Outreach", "Zeta", "Old Push", "Archive 2024"]
    assert picker.text().startswith("No campaigns")


@OFFSCREEN_LIMITS
def test_clicking_a_row_assigns_and_clicking_again_removes(qtbot, setup):
    lead, campaigns = setup
    picker = CampaignPicker()
    qtbot.addWidget(picker)
    picker.set_lead(lead.id)
    picker.show()
    qtbot.mouseClick(picker, Qt.MouseButton.LeftButton)
    assert picker.popup.isVisible()

    rect = picker.view.visualRect(picker.model.index(_row(picker.model, "Spring Outreach"), 0))
    with qtbot.waitSignal(picker.memberships_changed) as blocker:
        qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [lead.id]
    assert _is_member(lead, campaigns["Spring Outreach"])
    assert Membership.get(lead=lead.id).stage == "discovered"
    assert "Spring Outreach" in picker.text()

    with qtbot.waitSignal(picker.memberships_changed):
        qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert not _is_member(lead, campaigns["Spring Outreach"])
    picker.popup.hide()


def test_summary_names_two_campaigns_then_a_count(qtbot, setup):
    lead, campaigns = setup
    for name in ("Spring Outreach", "EU SaaS", "Zeta"):
        leads.set_membership(lead.id, campaigns[name].id, True)
    picker = CampaignPicker()
    qtbot.addWidget(picker)
    picker.set_lead(lead.id)
    assert picker.text().startswith("EU SaaS, Spring Outreach +1")


@pytest.mark.parametrize("name, reason", [("Old Push", "Paused"), ("Archive 2024", "Archived")])
def test_inactive_campaigns_cannot_be_newly_checked(qtbot, setup, name, reason):
    lead, campaigns = setup
    picker = CampaignPicker()
    qtbot.addWidget(picker)
    picker.set_lead(lead.id)
    index = picker.model.index(_row(picker.model, name), 0)
    assert not index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not index.flags() & Qt.ItemFlag.ItemIsEnabled
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(f"{reason} campaigns can't receive new leads")

    # Even if something forces the check, the database refuses and the user is told why.
    with qtbot.waitSignal(picker.membership_refused) as blocker:
        assert picker.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole) is False
    assert "Only active campaigns" in blocker.args[0]
    assert not _is_member(lead, campaigns[name])
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked


def test_an_existing_membership_in_a_paused_campaign_can_be_removed(qtbot, setup):
    lead, campaigns = setup
    leads.set_membership(lead.id, campaigns["Spring Outreach"].id, True)
    Campaign.update(status="paused").where(Campaign.id == campaigns["Spring Outreach"].id).execute()
    picker = CampaignPicker()
    qtbot.addWidget(picker)
    picker.set_lead(lead.id)
    index = picker.model.index(_row(picker.model, "Spring Outreach"), 0)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert "Paused campaigns can't receive new leads" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert picker.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not _is_member(lead, campaigns["Spring Outreach"])
