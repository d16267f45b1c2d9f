"""The import dialog's progress page: rows read, their rate and the time left, then a busy bar while the
import builds its search index and saves (~20 s for 1M rows); Cancel works until the save itself."""

import time

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from app.services import importing
from app.ui.common import messages


class ImportProgressPage(QWidget):
    """Shows one import's progress: ``start()``, then ``show_progress`` for each report, ``show_cancelling``
    once the rep clicked ``cancel_button`` (the dialog asks the import to stop)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, objectName="importProgressPage")
        self.bar = QProgressBar(objectName="importProgress", maximum=1000)
        self.bar.setAccessibleName("Import progress")
        self.label = QLabel("Starting…", objectName="importProgressLabel")
        self.cancel_button = QPushButton("Cancel", objectName="importCancelButton")
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addStretch()
        self._started = 0.0

    def start(self) -> None:
        self._started = time.monotonic()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.label.setText("Starting…")
        self.cancel_button.setEnabled(True)

    @Slot(int, float)
    def show_progress(self, rows: int, fraction: float) -> None:
        """``rows`` read so far, ``fraction`` of the file (1: every row is read, the search index and save follow)."""
        if not self.cancel_button.isEnabled():
            return  # cancelling: a late report must not hide it
        if fraction >= 1:
            self.bar.setRange(0, 0)  # busy: a full bar would look stuck while the import saves
        else:
            self.bar.setValue(int(fraction * 1000))
        self.label.setText(importing.progress_text(rows, fraction, time.monotonic() - self._started))

    def show_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(messages.CANCELLING)
