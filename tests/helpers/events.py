"""Predicates for ``qtbot.waitSignal(events.changed, check_params_cb=...)`` on the DataEvents broadcast."""

from app.qtmodels.events import Changes


def added_or_removed(changes: Changes, _initiator: object) -> bool:
    return changes.leads_added_or_removed


def tags_changed(changes: Changes, _initiator: object) -> bool:
    return changes.tags


def campaigns_changed(changes: Changes, _initiator: object) -> bool:
    return changes.campaigns


def everything(changes: Changes, _initiator: object) -> bool:
    return changes == Changes.everything()
