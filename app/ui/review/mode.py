"""Review mode on the leads page: the bar above the list, and the filter it narrows the list to."""

from PySide6.QtCore import QObject

from app.qtmodels.events import DataEvents
from app.ui.common import settings
from app.ui.review.bar import ReviewBar


def left_open() -> bool:
    """True if the last session ended in Review mode (``ReviewMode.resume`` picks it up)."""
    return settings.read_str(settings.REVIEW_ACTIVE) == "1"


class ReviewMode(QObject):
    """Review mode of a ``LeadsWorkspace``: ``set_active`` starts and stops it, ``bar`` shows it."""

    def __init__(self, workspace, events: DataEvents):
        super().__init__(workspace)
        self.workspace = workspace
        self.bar = ReviewBar(events)
        list_layout = workspace.list.parentWidget().layout()
        list_layout.insertWidget(list_layout.indexOf(workspace.list), self.bar)

    def resume(self) -> bool:
        """Resume a Review mode left open at the last exit; True if there was one."""
        resumed = self.bar.resume()
        if resumed is not None:
            self.workspace.proxy.set_filter(resumed)
        return resumed is not None

    def set_active(self, on: bool) -> None:
        proxy = self.workspace.proxy
        if on == self.bar.is_active():
            return
        if on:
            proxy.set_filter(self.bar.start(proxy.lead_filter()))
            self.workspace.list.setFocus()
        else:
            self.bar.stop()
            proxy.set_filter(proxy.lead_filter().replace(review_states=()))
