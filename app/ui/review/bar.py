"""Review mode: the bar above the list saying "12 of 340 reviewed", with a progress bar.

Review mode lists the ``new`` leads of the filter the rep started it from. The start time and
that filter are kept in the settings, so reopening the app resumes where the rep left off; the
count comes from the lead history, so it follows undo too.
"""

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.qtmodels.events import Changes, DataEvents
from app.services import review
from app.services.lead_filter import LeadFilter
from app.ui.common import settings


class ReviewBar(QWidget):
    """Progress of Review mode; hidden outside it.

    Signals:
        exit_requested(): the rep clicked "Exit review".
    """

    exit_requested = Signal()

    def __init__(self, events: DataEvents, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewBar")
        self._base: LeadFilter | None = None
        self._since = ""
        self.label = QLabel(objectName="reviewProgressLabel")
        self.progress = QProgressBar(objectName="reviewProgress")
        self.progress.setAccessibleName("Review progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.exit_button = QPushButton("E&xit review", objectName="exitReviewButton")
        self.exit_button.setToolTip("Back to the full list (your progress is kept)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.exit_button)
        self.exit_button.clicked.connect(self.exit_requested)
        # Counting is a query: coalesce a burst of triage keys into one.
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        events.changed.connect(self._on_events_changed)
        self.hide()

    def is_active(self) -> bool:
        return self._base is not None

    def base_filter(self) -> LeadFilter | None:
        """The filter Review mode was started from (None outside Review mode)."""
        return self._base

    def start(self, base: LeadFilter) -> LeadFilter:
        """Enter Review mode on ``base``; returns the filter the list should show."""
        self._base = base.replace(review_states=())
        self._since = review.session_start()
        store = settings.open_settings()
        store.setValue(settings.REVIEW_ACTIVE, "1")
        store.setValue(settings.REVIEW_SINCE, self._since)
        store.setValue(settings.REVIEW_FILTER, self._base.to_json())
        store.sync()
        return self._show()

    def resume(self) -> LeadFilter | None:
        """Re-enter the Review mode saved at the last exit; the list filter, or None if none."""
        if settings.read_str(settings.REVIEW_ACTIVE) != "1":
            return None
        self._base = LeadFilter.from_json(settings.read_str(settings.REVIEW_FILTER, "{}"))
        self._since = settings.read_str(settings.REVIEW_SINCE) or review.session_start()
        return self._show()

    def _show(self) -> LeadFilter:
        self.refresh()
        self.show()
        return review.review_filter(self._base)

    def stop(self) -> LeadFilter | None:
        """Leave Review mode; returns the filter to go back to."""
        base, self._base = self._base, None
        store = settings.open_settings()
        store.setValue(settings.REVIEW_ACTIVE, "0")
        store.sync()
        self.hide()
        return base

    @Slot()
    def refresh(self) -> None:
        if self._base is None:
            return
        progress = review.review_progress(self._base, self._since)
        self.label.setText(progress.describe())
        self.progress.setMaximum(max(progress.total, 1))
        self.progress.setValue(progress.reviewed)
        self.progress.setAccessibleDescription(progress.describe())

    @Slot()
    def _on_events_changed(self, changes: Changes, _initiator: object) -> None:
        if self._base is not None and (changes.lead_ids or changes.leads_added_or_removed):
            self._timer.start()
