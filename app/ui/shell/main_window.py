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
from app.qtmodels.undo_stack import UndoStack
from app.services import bulk, filter_options, team
from app.services.lead_filter import LeadFilter
from app.services.undo import plural
from app.ui.common import messages, settings
from app.ui.common.tasks import run_task
from app.ui.common.undo_tasks import UndoRunner
from app.ui.files.backup_runner import BackupRunner
from app.ui.review.mode import left_open as review_mode_left_open
from app.ui.shell.actions import create_actions, create_menus
from app.ui.team.sync_chip import SyncChip

BACKUP_CHECK_MS = 60 * 60 * 1000
STATUS_MS = 4000
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
        self.statusBar().setObjectName("statusBar")
        # Undo, redo and every edit of a lead go through this stack.
        self.undo_stack = UndoStack(self.events, self)
        self.undo_stack.operation_done.connect(self._show_status)
        self.undo_stack.expired.connect(lambda text: QMessageBox.information(self, "Undo", text))
        self.undo_runner = UndoRunner(self.undo_stack, self)
        self.undo_runner.status_changed.connect(self._show_status)
        self.menu_actions = create_actions(self)
        self.menus = create_menus(self, self.menu_actions)
        # Hidden, and never syncing, until the rep joins a team.
        self.sync_chip = SyncChip(self.events, self)
        self.statusBar().addPermanentWidget(self.sync_chip)
        self.sync_chip.conflicts_requested.connect(self._on_conflicts_action_triggered)
        self._update_team_actions()
        # The daily backup also runs for reps who leave LeadDesk open for days (it is a no-op
        # until a day has passed and the data changed).
        self.backup_runner = BackupRunner(self)
        self.backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_runner.run_daily)
        self.backup_timer.start()
        self.memory_timer = QTimer(self, interval=RELEASE_MEMORY_MS)
        self.memory_timer.timeout.connect(memory.release_free_memory)
        self.memory_timer.start()
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
        page.detail.status_changed.connect(self._show_status)
        page.use_undo_stack(self.undo_stack).status_changed.connect(self._show_status)
        # The Delete key deletes leads only while the list has focus (never text in a field).
        page.list.addAction(self.menu_actions["deleteLeads"])
        page.review_mode.bar.exit_requested.connect(lambda: self.menu_actions["reviewMode"].setChecked(False))
        if page.review_mode.resume():
            self.menu_actions["reviewMode"].setChecked(True)

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
        from app.services import importing, sample

        def job(progress, cancelled):
            try:
                return sample.load_sample(progress, cancelled)
            except importing.ImportCancelledError:
                return None

        self._task = run_task(job, self._on_sample_loaded, parent=self, title="Load sample data",
                              label="Loading the sample leads…", cancellable=True)

    def _on_sample_loaded(self, report) -> None:
        self._task = None
        if report is None:
            self._show_status(messages.CANCELLED)
            return
        self.events.broadcast(Changes.everything(), self)
        self.statusBar().showMessage(f"Sample data loaded: {report.summary()}", 6000)

    @Slot()
    def _on_backups_action_triggered(self) -> None:
        from app.ui.files.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.events, self)
        dialog.exec()

    @Slot()
    def _on_team_action_triggered(self) -> None:
        from app.ui.team.team_dialog import TeamDialog

        dialog = TeamDialog(self)
        dialog.joined.connect(lambda _queued: (self.sync_chip.refresh(), self.sync_chip.sync_now()))
        dialog.left.connect(lambda _dropped: self.sync_chip.refresh())
        dialog.finished.connect(lambda _result: self._update_team_actions())
        dialog.exec()

    def _update_team_actions(self) -> None:
        # Giving leads to another rep only means something in a team.
        self.menu_actions["assignOwner"].setEnabled(team.status().configured)

    @Slot()
    def _on_sync_now_action_triggered(self) -> None:
        if self.sync_chip.isHidden():  # no team yet: joining comes first
            self._on_team_action_triggered()
        self.sync_chip.sync_now()

    @Slot()
    def _on_conflicts_action_triggered(self) -> None:
        from app.ui.team.conflicts_dialog import ConflictsDialog

        ConflictsDialog(self.events, self).exec()

    @Slot()
    def _on_find_action_triggered(self) -> None:
        self.show_page("leads")
        self.leads.search.setFocus()
        self.leads.search.selectAll()

    def _on_filters_action_triggered(self) -> None:
        self.leads.filter_button.click()

    def _on_next_action_triggered(self) -> None:
        self.leads.move_selection(1)

    def _on_previous_action_triggered(self) -> None:
        self.leads.move_selection(-1)

    def _on_bulk_action_triggered(self) -> None:
        from app.ui.leads.bulk_dialog import run_bulk_dialog

        run_bulk_dialog(self, self.undo_runner, self.leads.selected_lead_ids(), self.leads.proxy.lead_filter())

    def _on_delete_leads_action_triggered(self) -> None:
        ids = self.leads.selected_lead_ids()
        if not ids and self.leads.current_lead_id() is not None:
            ids = [self.leads.current_lead_id()]
        if ids:
            self.undo_runner.perform("Delete leads", len(ids), bulk.delete_to_trash, ids, on_done=self._on_leads_deleted)

    def _on_assign_owner_action_triggered(self) -> None:
        from app.ui.team.assign_owner_dialog import TITLE, AssignOwnerDialog

        current = self.leads.current_lead_id()
        ids = self.leads.selected_lead_ids() or ([current] if current is not None else [])
        if not ids:
            QMessageBox.information(self, TITLE, "Select the leads to give to another rep first.")
            return
        dialog = AssignOwnerDialog(ids, self)
        dialog.assigned.connect(self._on_owner_assigned)
        dialog.exec()

    def _on_owner_assigned(self, owner: str, changed: int) -> None:
        self.events.broadcast(Changes.everything(), self)  # the sync that followed may have pulled anything
        self.sync_chip.refresh()
        self._show_status(f"{plural(changed)} given to {owner}")

    def _on_leads_deleted(self, op) -> None:
        self._show_status(f"{plural(op.count)} moved to the Trash — Ctrl+Z brings them back")

    @Slot(bool)
    def _on_review_mode_action_toggled(self, on: bool) -> None:
        self.leads.review_mode.set_active(on)

    def _on_find_duplicates_action_triggered(self) -> None:
        from app.ui.review.duplicates_dialog import DuplicatesDialog

        DuplicatesDialog(self.undo_stack, self.events, self).exec()

    def _on_trash_action_triggered(self) -> None:
        from app.ui.review.trash_dialog import TrashDialog

        TrashDialog(self.undo_stack, self.events, self).exec()

    def _on_rejection_reasons_action_triggered(self) -> None:
        from app.ui.review.commands import edit_rejection_reasons

        edit_rejection_reasons(self)

    def _on_export_decisions_action_triggered(self) -> None:
        from app.ui.review.commands import export_decisions

        count = export_decisions(self)
        if count is not None:
            self._show_status(f"Exported the decisions on {plural(count)}")

    def _on_keyboard_shortcuts_action_triggered(self) -> None:
        from app.ui.shell.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

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
        if page != "leads" and review_mode_left_open():
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
        # A closed window does no more work: no backup check, sync or clock tick after it has gone.
        for timer in self.findChildren(QTimer):
            timer.stop()
        event.accept()
