"""The lead list source model and its filter proxy, on a real database."""

import pytest

from app.qtmodels import query_thread
from app.qtmodels.events import Changes, DataEvents
from app.qtmodels.lead_list import LeadFilterProxy, LeadListModel, LeadRole
from app.services.lead_filter import CustomCriterion, LeadFilter
from tests.helpers.leadgen import add_campaign, add_lead, add_membership, add_tag


@pytest.fixture
def leads(db):
    ids = {
        "camille": add_lead(first_name="Camille", last_name="Durand", job_title="Head of Growth",
                            company_name="Lumen Analytics", email="camille@lumen.fr",
                            email_verification_result="valid", company_headcount="51-200",
                            country_name="France", location_name="Paris, Île-de-France, France",
                            linkedin="https://linkedin.com/in/camille", vip=True,
                            custom='{"ai:summary": "Hiring growth marketers"}'),
        "jonas": add_lead(first_name="Jonas", last_name="Becker", job_title="VP Sales DACH",
                          company_name="Nordlicht", email="jonas@nordlicht.de",
                          email_verification_result="catchall", company_headcount="201-500",
                          country_name="Germany", location_name="Munich, Bavaria, Germany"),
        "priya": add_lead(first_name="Priya", last_name="Raman", job_title="Founder & CEO",
                          company_name="Tiffin Box", email="", email_verification_result="",
                          company_headcount="11-50", country_name="India",
                          location_name="Bengaluru, Karnataka, India",
                          custom='{"ai:summary": ""}'),
        "marcus": add_lead(first_name="Marcus", last_name="O'Neill", job_title="Director of RevOps",
                           company_name="Brightpath", email="marcus@brightpath.com",
                           email_verification_result="pending", company_headcount="1001-5000",
                           country_name="United States", location_name="Austin, Texas, United States",
                           linkedin="https://linkedin.com/in/marcus", deleted_at=None),
    }
    return ids


@pytest.fixture
def events():
    return DataEvents()


@pytest.fixture
def model(db, db_path, leads, qtbot, events):
    source = LeadListModel(db_path, events)
    proxy = LeadFilterProxy(source)
    with qtbot.waitSignal(source.results_applied):
        source.refresh()
    yield proxy
    source.shutdown()


def names(proxy):
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def apply(qtbot, proxy, **changes):
    with qtbot.waitSignal(proxy.source().results_applied, timeout=5000):
        proxy.set_filter(proxy.lead_filter().replace(**changes))
    return names(proxy)


def test_models_pass_qt_model_tester(model, qtmodeltester):
    qtmodeltester.check(model.source())
    qtmodeltester.check(model)


def test_all_live_leads_newest_first_with_row_data(model, leads):
    assert names(model) == ["Marcus O'Neill", "Priya Raman", "Jonas Becker", "Camille Durand"]
    camille = model.index(3, 0)
    assert camille.data(LeadRole.Id) == leads["camille"]
    assert camille.data(LeadRole.Headline) == "Head of Growth"
    assert camille.data(LeadRole.Vip) is True
    assert camille.data(LeadRole.EmailStatus) == "valid"


def test_free_text_search_uses_substrings_and_short_prefixes(qtbot, model):
    assert apply(qtbot, model, text="lumen") == ["Camille Durand"]
    assert apply(qtbot, model, text="sales dach") == ["Jonas Becker"]
    assert apply(qtbot, model, text="ra") == ["Priya Raman"]  # 2 chars: name prefix
    assert apply(qtbot, model, text="nordlicht.de") == ["Jonas Becker"]  # email substring
    assert apply(qtbot, model, text="zzz") == []
    assert len(apply(qtbot, model, text="")) == 4


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"vip": True}, ["Camille Durand"]),
        ({"vip": False}, ["Marcus O'Neill", "Priya Raman", "Jonas Becker"]),
        ({"job_title": "founder"}, ["Priya Raman"]),
        ({"job_title": "vp"}, ["Jonas Becker"]),
        ({"location": "bavaria"}, ["Jonas Becker"]),
        ({"location": "ka"}, ["Priya Raman"]),
        ({"headcounts": ("11-50", "51-200")}, ["Priya Raman", "Camille Durand"]),
        ({"email_statuses": ("valid", "pending")}, ["Marcus O'Neill", "Camille Durand"]),
        ({"email_statuses": ("",)}, ["Priya Raman"]),
        ({"has_email": False}, ["Priya Raman"]),
        ({"has_linkedin": True}, ["Marcus O'Neill", "Camille Durand"]),
        ({"custom": (CustomCriterion("ai:summary", "contains", "growth"),)}, ["Camille Durand"]),
        ({"custom": (CustomCriterion("ai:summary", "empty"),)}, ["Marcus O'Neill", "Priya Raman", "Jonas Becker"]),
        ({"custom": (CustomCriterion("ai:summary", "not_empty"),)}, ["Camille Durand"]),
        ({"sort": "name"}, ["Jonas Becker", "Camille Durand", "Marcus O'Neill", "Priya Raman"]),
    ],
)
def test_each_structured_filter(qtbot, model, changes, expected):
    assert apply(qtbot, model, **changes) == expected


def test_campaign_and_tag_filters(qtbot, model, leads):
    spring = add_campaign("Spring")
    add_membership(leads["jonas"], spring)
    add_membership(leads["priya"], spring)
    hot = add_tag("hot", lead_ids=[leads["priya"], leads["camille"]])
    assert apply(qtbot, model, campaign_ids=(spring,)) == ["Priya Raman", "Jonas Becker"]
    assert apply(qtbot, model, tag_ids=(hot,)) == ["Priya Raman"]


def test_deleted_leads_never_show(qtbot, model, leads):
    from app.db.models import Lead

    Lead.update(deleted_at="2026-01-01").where(Lead.id == leads["jonas"]).execute()
    with qtbot.waitSignal(model.source().results_applied) as blocker:
        model.source().refresh()
    assert "Jonas Becker" not in names(model)
    assert blocker.args == [3, 3]


def test_latest_query_wins(qtbot, model):
    # Fire several filters without waiting; only the last one's result may end up applied.
    for text in ("c", "ca", "cam", "jon"):
        model.change(text=text)
    qtbot.waitUntil(model.source().is_settled)
    assert names(model) == ["Jonas Becker"]


def test_edit_refreshes_the_row_text_in_place(model, leads, events):
    from app.db.models import Lead

    assert names(model)[3] == "Camille Durand"
    Lead.update(first_name="Cami").where(Lead.id == leads["camille"]).execute()
    events.broadcast(Changes(lead_ids=(leads["camille"],)))
    assert names(model)[3] == "Cami Durand"


def test_added_leads_appear_after_the_broadcast(qtbot, model, events):
    add_lead(first_name="Wei", last_name="Zhang")
    with qtbot.waitSignal(model.source().results_applied):
        events.broadcast(Changes(leads_added_or_removed=True))
    assert names(model)[0] == "Wei Zhang"


def test_filter_round_trips_through_json():
    flt = LeadFilter(text="x", campaign_ids=(1, 2), vip=True, headcounts=("1-10",),
                     custom=(CustomCriterion("ai:a", "empty"),), sort="name")
    assert LeadFilter.from_json(flt.to_json()) == flt
    assert LeadFilter.from_json("not json") == LeadFilter()
    assert LeadFilter.from_json('{"vip": "yes", "campaign_ids": ["x"], "sort": "bogus"}') == LeadFilter()


def test_a_long_result_arrives_in_slices_and_is_applied_once_complete(db, db_path, leads, qtbot, events,
                                                                      monkeypatch, qtmodeltester):
    # A million rows at once would stall the GUI thread while the proxy maps them; a long result
    # is shown a slice at a time, the first at once, and reported only when every row is in.
    monkeypatch.setattr("app.qtmodels.lead_list.SLICE_ROWS", 3)
    for i in range(4):
        add_lead(first_name=f"Extra{i}", last_name="Lead")
    source = LeadListModel(db_path, events)
    proxy = LeadFilterProxy(source)
    qtmodeltester.check(proxy)  # keeps checking the model through every insert below
    sizes = []
    source.rowsInserted.connect(lambda *_: sizes.append(source.rowCount()))
    source.modelReset.connect(lambda: sizes.append(source.rowCount()))
    try:
        with qtbot.waitSignal(source.results_applied) as blocker:
            source.refresh()
        assert blocker.args == [8, 8]
        assert sizes == [3, 6, 8] and source.is_settled()
        assert names(proxy)[0] == "Extra3 Lead" and len(names(proxy)) == 8
        assert proxy.row_of(leads["camille"]) == 7
    finally:
        source.shutdown()


def test_the_latest_results_are_kept_whatever_the_sorts_used(model, qtbot):
    # Kept results answer a filter seen a moment ago from memory (8 MB each at a million leads, so
    # only a few): the latest one and the unfiltered list in the order in use are always among them.
    thread = model.source()._thread
    for sort in ("oldest", "name", "company", "newest"):
        apply(qtbot, model, sort=sort)
    apply(qtbot, model, text="lumen")
    assert len(thread._results) == query_thread.RESULT_CACHE
    assert {LeadFilter(text="lumen"), LeadFilter()} <= set(thread._results)


def test_a_campaigns_own_list_is_kept_beside_the_filters_set_on_it(model, qtbot):
    # View Leads, then e-mail status, then company size too: clearing both comes back from memory.
    thread = model.source()._thread
    campaign = LeadFilter(campaign_ids=(1,))
    apply(qtbot, model, campaign_ids=(1,))
    apply(qtbot, model, campaign_ids=(1,), email_statuses=("valid",))
    apply(qtbot, model, campaign_ids=(1,), email_statuses=("valid",), headcounts=("11-50",))
    assert campaign in thread._results and LeadFilter() in thread._results
    apply(qtbot, model, campaign_ids=(1,), email_statuses=("valid",), headcounts=("11-50",), text="lumen")
    assert {campaign, LeadFilter()} <= set(thread._results)


def test_a_result_sliced_in_after_a_newer_query_was_asked_does_not_settle_the_list(
        db, db_path, leads, qtbot, events, monkeypatch):
    monkeypatch.setattr("app.qtmodels.lead_list.SLICE_ROWS", 3)
    for i in range(4):
        add_lead(first_name=f"Extra{i}", last_name="Lead")
    source = LeadListModel(db_path, events)
    try:
        with qtbot.waitSignal(source.results_applied):
            source.refresh()
        everyone = source._ids
        with qtbot.waitSignal(source.results_applied) as blocker:
            source._on_thread_result_ready(source._generation, everyone, 8)  # sliced in from now on
            source._generation += 1  # as set_filter does: a newer query, its result not back yet
        assert blocker.args == [8, 8] and source.rowCount() == 8
        assert not source.is_settled()  # the rows shown answer the older query
    finally:
        source.shutdown()


@pytest.mark.parametrize("small_set", [0, 1000])  # counted before the ids are read / counted by the ids
def test_a_long_result_shows_its_count_with_its_first_page_then_grows_to_every_row(
        db, db_path, leads, qtbot, events, monkeypatch, qtmodeltester, small_set):
    # The count of a long result is known long before its ids (no id list to build): the list
    # settles at the first page and the count, and the rows grow to the full count after.
    monkeypatch.setattr("app.db.query_plan.SMALL_SET", small_set)
    monkeypatch.setattr("app.services.lead_query.FIRST_PAGE", 2)
    monkeypatch.setattr("app.services.lead_query.FIRST_PAGE_BUDGET_S", 5.0)
    monkeypatch.setattr("app.qtmodels.lead_list.SLICE_ROWS", 3)
    for i in range(4):
        add_lead(first_name=f"Extra{i}", last_name="Lead")
    source = LeadListModel(db_path, events)
    proxy = LeadFilterProxy(source)
    qtmodeltester.check(proxy)
    seen = []
    source.count_known.connect(lambda matching, total: seen.append(("count", matching, total, source.rowCount())))
    source.results_applied.connect(lambda matching, total: seen.append(("all", matching, total, source.rowCount())))
    try:
        with qtbot.waitSignal(source.results_applied):
            source.refresh()
        assert seen == [("count", 8, 8, 2), ("all", 8, 8, 8)]
        assert [source.lead_id(r) for r in range(8)] == sorted(source._ids, reverse=True)
        seen.clear()
        with qtbot.waitSignal(source.results_applied):
            proxy.change(text="lead")  # the four extras, the first two shown with the count
        assert seen == [("count", 4, 8, 2), ("all", 4, 8, 4)]
    finally:
        source.shutdown()


@pytest.fixture
def settled(db_path, leads, qtbot, events):
    """A source model settled on the four leads, and the counts it reports from then on."""
    source = LeadListModel(db_path, events)
    try:
        with qtbot.waitSignal(source.results_applied):
            source.refresh()
        counts = []
        source.count_known.connect(lambda *args: counts.append(args))
        yield source, counts
    finally:
        source.shutdown()


def test_a_superseded_count_or_result_never_replaces_the_newer_one(settled, qtbot):
    source, counts = settled
    old = source._generation
    with qtbot.waitSignal(source.results_applied):
        source.set_filter(LeadFilter(text="jonas"))
    source._on_thread_first_page_ready(old, source._ids)  # late answers of the older query
    source._on_thread_count_ready(old, 4, 4)
    source._on_thread_result_ready(old, source._ids, 4)
    assert counts == [(1, 4)] and source.rowCount() == 1 and source.is_settled()
    assert source.index(0).data() == "Jonas Becker"


def test_a_count_its_ids_then_contradict_is_corrected_by_them(settled):
    """The count and the ids are two reads: a lead that another process commits in between is in the ids only,
    and the count the list shows must be theirs."""
    source, counts = settled
    generation, ids = source._generation, source._ids
    source._on_thread_first_page_ready(generation, ids[:2])
    source._on_thread_count_ready(generation, 3, 3)  # counted before the fourth lead was committed
    source._on_thread_result_ready(generation, ids, 4)
    assert counts == [(3, 3), (4, 4)] and source.rowCount() == 4


def test_clearing_the_search_box_returns_to_the_kept_list_of_the_other_criteria(model, qtbot, leads):
    spring = add_campaign("Spring")
    for lead in leads.values():
        add_membership(lead, spring)
    apply(qtbot, model, campaign_ids=(spring,))
    thread = model.source()._thread
    for text in ("c", "ca", "cam", "cami", "camil"):  # more filters than the results kept
        apply(qtbot, model, text=text)
    assert LeadFilter(campaign_ids=(spring,)) in thread._results
    with qtbot.waitSignal(model.source().results_applied) as blocker:
        model.change(text="")
    assert blocker.args == [4, 4]


def test_after_view_leads_the_list_knows_whether_the_campaign_holds_every_lead(model, qtbot, leads):
    """Learnt while the rep reads the campaign's list, so the first keystroke in it does not count its members."""
    from app.db import counts

    everyone, some = add_campaign("Everyone"), add_campaign("Some")
    for lead in leads.values():
        add_membership(lead, everyone)
    add_membership(leads["jonas"], some)
    conn = model.source()._thread._conn
    for campaign, whole in ((everyone, True), (some, False)):
        apply(qtbot, model, campaign_ids=(campaign,))
        qtbot.waitUntil(lambda: campaign in getattr(counts._entries.get(id(conn)), "whole", {}))
        assert counts._entries[id(conn)].whole[campaign] is whole
