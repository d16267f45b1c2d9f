"""The main window: the Campaigns and Leads pages, the menus, and what the window remembers.

Only the page shown at start-up is built before the window appears; the other is built (and its
module imported) the first time it is shown, so every launch pays for one page, not two.
"""

import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app import APP_NAME, memory
from app.qtmodels.events import Changes, DataEvents
from app.services import backups, filter_options
from app.services.lead_filter import LeadFilter
from app.ui.common import settings
from app.ui.common.tasks import run_task
from app.ui.review.tools import ReviewTools

BACKUP_CHECK_MS = 60 * 60 * 1000
# Every so often the heap's free pages go back to the OS (app.memory): a long session at 1M leads
# otherwise keeps every peak it ever had.
RELEASE_MEMORY_MS = 10 * 1000


# `make bench` only: with this set to 1 the window prints BENCH_FIRST_PAINT_MARKER once the lead list
# has painted its first page of leads, then quits (process start -> first page is the "open" figure).
BENCH_FIRST_PAINT_ENV = "LEADDESK_BENCH_FIRST_PAINT"
BENCH_FIRST_PAINT_MARKER = "LEADDESK_FIRST_PAINT"


class _FirstPagePainted(QObject):
    """Prints the bench marker after the list's first paint that shows leads, then quits."""

    def __init__(self, view: QListView, source):
        super().__init__(view)
        self._source = source
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self._source.rowCount() > 0:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._report)  # runs once this paint has finished
        return False

    def _report(self) -> None:
        if sys.stdout is not None:
            print(BENCH_FIRST_PAINT_MARKER, flush=True)
        QApplication.quit()


class MainWindow(QMainWindow):
    """LeadDesk's main window."""

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"{APP_NAME} — {Path(db_path).name}")
        self.db_path = Path(db_path)
        self.events = DataEvents(self)
        self._pages: dict[str, QWidget] = {}
        self.pages = QStackedWidget(objectName="pages")
        self.setCentralWidget(self.pages)
        self._build_navigation()
        self._build_menus()
        self._connect_signals()
        self.statusBar().setObjectName("statusBar")
        # The daily backup also runs for reps who leave LeadDesk open for days (it is a no-op
        # until a day has passed and the data changed).
        self.backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(backups.backup_if_due_in_background)
        self.backup_timer.start()
        self.memory_timer = QTimer(self, interval=RELEASE_MEMORY_MS)
        self.memory_timer.timeout.connect(memory.release_free_memory)
        self.memory_timer.start()
        # Review at keyboard speed: undo stack, triage keys, bulk actions, Review mode,
        # History tab, Trash, duplicates, decisions export.
        self.review_tools = ReviewTools(self)
        self._restore_settings()
        if os.environ.get(BENCH_FIRST_PAINT_ENV) == "1":
            _FirstPagePainted(self.leads.list, self.leads.source)

    # -- pages -----------------------------------------------------------------------------------
    @property
    def campaigns(self):
        """The Campaigns page (a ``CampaignsPage``), built the first time it is asked for."""
        if "campaigns" not in self._pages:
            self._build_campaigns_page()
        return self._pages["campaigns"]

    @property
    def leads(self):
        """The Leads page (a ``LeadsWorkspace``), built the first time it is asked for."""
        if "leads" not in self._pages:
            self._build_leads_page()
        return self._pages["leads"]

    def _build_campaigns_page(self) -> None:
        from app.ui.campaigns.page import CampaignsPage

        page = CampaignsPage(self.events, self.pages)
        self._add_page("campaigns", page)
        page.view_leads_requested.connect(self._on_campaigns_view_leads_requested)

    def _build_leads_page(self) -> None:
        """The leads page, opened on the filter and splitter remembered from the last session."""
        from app.ui.leads.workspace import LeadsWorkspace

        page = LeadsWorkspace(self.db_path, self.events, self.pages)
        self._add_page("leads", page)
        page.splitter.restoreState(settings.read_bytes(settings.SPLITTER_STATE))
        page.start(LeadFilter.from_json(settings.read_str(settings.LAST_FILTER, "")))
        page.empty_state.import_button.clicked.connect(self._on_import_action_triggered)
        page.empty_state.sample_button.clicked.connect(self._on_sample_action_triggered)
        page.detail.status_changed.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.review_tools.attach(page)

    def _add_page(self, key: str, page: QWidget) -> None:
        self._pages[key] = page
        self.pages.addWidget(page)

    def _build_navigation(self) -> None:
        bar = QToolBar("Pages", objectName="navigationBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setEnabled(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        group = QActionGroup(self)
        self.page_actions = {}
        for key, label, shortcut in (("campaigns", "Campaigns", "Ctrl+1"), ("leads", "Leads", "Ctrl+2")):
            action = QAction(label, self, checkable=True, shortcut=QKeySequence(shortcut))
            action.setObjectName(f"{key}PageAction")
            action.setToolTip(f"{label} ({shortcut})")
            action.triggered.connect(lambda _=False, k=key: self.show_page(k))
            group.addAction(action)
            bar.addAction(action)
            self.page_actions[key] = action

    def show_page(self, key: str) -> None:
        """Switch to the "campaigns" or "leads" page (building it the first time)."""
        page = self.leads if key == "leads" else self.campaigns
        self.page_actions[key].setChecked(True)
        self.pages.setCurrentWidget(page)
        if key == "leads":
            page.list.setFocus()

    def current_page(self) -> str:
        return next(key for key, page in self._pages.items() if page is self.pages.currentWidget())

    @Slot(int)
    def _on_campaigns_view_leads_requested(self, campaign_id: int) -> None:
        self.leads.show_campaign(campaign_id)
        self.show_page("leads")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.setObjectName("fileMenu")
        self.import_action = QAction("&Import leads…", self, shortcut=QKeySequence("Ctrl+I"))
        self.export_action = QAction("&Export leads…", self, shortcut=QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export the leads of the current filter, or the selected ones")
        self.history_action = QAction("Import &history…", self)
        self.sample_action = QAction("Load &sample data", self)
        self.backups_action = QAction("&Backups…", self)
        self.quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        for action in (self.import_action, self.export_action, self.history_action, self.sample_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.setObjectName("viewMenu")
        self.find_action = QAction("&Search leads", self, shortcut=QKeySequence.StandardKey.Find)
        self.filters_action = QAction("&Filters…", self, shortcut=QKeySequence("Ctrl+Shift+F"))
        self.next_action = QAction("&Next lead", self, shortcut=QKeySequence("Ctrl+Down"))
        self.previous_action = QAction("&Previous lead", self, shortcut=QKeySequence("Ctrl+Up"))
        for action in (self.find_action, self.filters_action, self.next_action, self.previous_action):
            view_menu.addAction(action)

    def _connect_signals(self) -> None:
        self.quit_action.triggered.connect(self.close)
        self.import_action.triggered.connect(self._on_import_action_triggered)
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.history_action.triggered.connect(self._on_history_action_triggered)
        self.sample_action.triggered.connect(self._on_sample_action_triggered)
        self.backups_action.triggered.connect(self._on_backups_action_triggered)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.filters_action.triggered.connect(lambda: self.leads.filter_button.click())
        self.next_action.triggered.connect(lambda: self.leads.move_selection(1))
        self.previous_action.triggered.connect(lambda: self.leads.move_selection(-1))

    # Dialogs are imported when first opened: start-up time is the one cost every launch pays.
    @Slot()
    def _on_import_action_triggered(self) -> None:
        from app.ui.files.import_dialog import open_import_dialog

        report = open_import_dialog(self.events, self)
        if report is not None:
            self.statusBar().showMessage(f"Imported {report.file_name}: {report.summary()}", 8000)

    @Slot()
    def _on_export_action_triggered(self) -> None:
        from app.ui.files.export_dialog import open_export_dialog

        open_export_dialog(self, self.leads.proxy.lead_filter(), self.leads.selected_lead_ids())

    @Slot()
    def _on_history_action_triggered(self) -> None:
        from app.ui.files.import_history_dialog import open_import_history_dialog

        open_import_history_dialog(self.events, self)

    @Slot()
    def _on_sample_action_triggered(self) -> None:
        from app.services import sample

        self._task = run_task(lambda _progress, _cancelled: sample.load_sample(), self._on_sample_loaded,
                              parent=self, title="Load sample data", label="Loading the sample leads…")

    def _on_sample_loaded(self, report) -> None:
        self._task = None
        self.events.broadcast(Changes.everything(), self)
        self.statusBar().showMessage(f"Sample data loaded: {report.summary()}", 6000)

    @Slot()
    def _on_backups_action_triggered(self) -> None:
        from app.ui.files.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.events, self)
        dialog.exec()

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.show_page("leads")
        self.leads.search.setFocus()
        self.leads.search.selectAll()

    # -- settings ------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        if not self.restoreGeometry(settings.read_bytes(settings.WINDOW_GEOMETRY)):
            self.resize(1320, 860)
        # The campaigns page is the front door once there are campaigns; else the leads (or the
        # empty state that says how to get some).
        page = "leads"
        if filter_options.filter_choices().campaigns:
            page = settings.read_str(settings.LAST_PAGE, "campaigns", allowed=self.page_actions)
        # A Review mode left open resumes at once (its menu item checked), whichever page shows.
        if page != "leads" and self.review_tools.review_mode_left_open():
            self._build_leads_page()
        self.show_page(page)

    def _save_settings(self) -> None:
        store = settings.open_settings()
        store.setValue(settings.WINDOW_GEOMETRY, self.saveGeometry())
        store.setValue(settings.LAST_PAGE, self.current_page())
        if "leads" in self._pages:  # else what was remembered stays as it was
            store.setValue(settings.SPLITTER_STATE, self.leads.splitter.saveState())
            store.setValue(settings.LAST_FILTER, self.leads.proxy.lead_filter().to_json())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        leads = self._pages.get("leads")
        if leads is not None and not leads.detail.commit_pending():
            answer = QMessageBox.question(
                self, "Unsaved change",
                "The field you are editing holds a value LeadDesk can't save. Close anyway and lose it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._save_settings()
        if leads is not None:
            leads.shutdown()
        event.accept()
