"""File → Team…: the team server, the rep's name and password; Test connection, Join and Leave team.

The password goes to the OS keyring through ``app.services.team``: never into the database or the
log. Testing, joining and leaving run off the GUI thread (they may wait on the network, the keyring
or a sync in flight).
"""

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import team
from app.ui.common.tasks import run_task


def leave_question(status: team.TeamStatus) -> str:
    """What "Leave team" asks before it does anything: what stops, what stays, what is not sent."""
    text = (f"Leave the team on {status.server}?\n\nLeadDesk stops syncing this file and forgets your name and "
            "password for that server. Every lead stays on this computer, as it is now.")
    if status.waiting:
        changes = "1 change has" if status.waiting == 1 else f"{status.waiting:,} changes have"
        text += (f"\n\n{changes} not reached the team yet: they stay in your leads here, but the team will "
                 "not get them. To send them first, choose Cancel and sync now.")
    return text


class TeamDialog(QDialog):
    """Join a team, change the server and rep of the one this file is in, or leave it.

    Signals:
        joined(int): the rep joined (or saved new settings); the number of local changes queued.
        left(int): the rep left the team; the number of unsynced changes that will not be sent.
    """

    joined = Signal(int)
    left = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("teamDialog")
        self.setWindowTitle("Team")
        self.setMinimumWidth(520)
        self._task = None
        status = team.status()
        intro = QLabel("Share your leads with your team through its PostgreSQL server. Your leads stay on this "
                       "computer too: you keep working offline and LeadDesk syncs when the server is reachable.")
        intro.setWordWrap(True)
        self.server_edit = QLineEdit(status.server or "", objectName="teamServerEdit")
        self.server_edit.setPlaceholderText("postgresql://team.example.com/leaddesk")
        self.rep_edit = QLineEdit(status.rep or "", objectName="teamRepEdit")
        self.password_edit = QLineEdit(objectName="teamPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("Saved in your system keyring" if status.configured else "")
        form = QFormLayout()
        form.addRow("&Server:", self.server_edit)
        form.addRow("&Your name:", self.rep_edit)
        form.addRow("&Password:", self.password_edit)
        self.result_label = QLabel(objectName="teamResultLabel")
        self.result_label.setWordWrap(True)
        self.test_button = QPushButton("&Test connection", objectName="teamTestButton")
        self.join_button = QPushButton("Save" if status.configured else "&Join team", objectName="teamJoinButton")
        self.join_button.setDefault(True)
        self.leave_button = QPushButton("&Leave team", objectName="teamLeaveButton")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.leave_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.leave_button.setVisible(status.configured)  # after addButton, which shows it
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.result_label):
            layout.addWidget(widget)
        layout.insertLayout(1, form)
        layout.addWidget(buttons)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.join_button.clicked.connect(self._on_join_button_clicked)
        self.leave_button.clicked.connect(self._on_leave_button_clicked)
        for edit in (self.server_edit, self.rep_edit):
            edit.textChanged.connect(self._update_buttons)
        self._update_buttons()

    def _fields(self) -> tuple[str, str, str | None]:
        return self.server_edit.text().strip(), self.rep_edit.text().strip(), self.password_edit.text() or None

    @Slot()
    def _update_buttons(self) -> None:
        server, rep, _ = self._fields()
        for button in (self.test_button, self.join_button):
            button.setEnabled(bool(server and rep) and self._task is None)
        self.leave_button.setEnabled(self._task is None)

    def _start(self, job, on_done, message: str) -> None:
        self.result_label.setText(message)
        self._task = run_task(lambda _progress, _cancelled: job(), on_done, self._on_failed, parent=self)
        self._update_buttons()

    @Slot()
    def _on_test_button_clicked(self) -> None:
        server, rep, password = self._fields()
        self._start(lambda: team.test_connection(server, rep, password), self._on_tested, "Connecting…")

    @Slot()
    def _on_join_button_clicked(self) -> None:
        server, rep, password = self._fields()
        self._start(lambda: team.configure(server, rep, password), self._on_joined, "Joining…")

    @Slot()
    def _on_leave_button_clicked(self) -> None:
        answer = QMessageBox.warning(self, "Leave team", leave_question(team.status()),
                                     QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                     QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self._start(team.leave, self._on_left, "Leaving…")

    def _finish(self, text: str) -> None:
        self._task = None
        self.result_label.setText(text)
        self._update_buttons()

    def _on_tested(self, version: str) -> None:
        self._finish(f"✓ Connected: the team server runs PostgreSQL {version}.")

    def _on_joined(self, queued: int) -> None:
        self._finish("Saved." if not queued else f"Joined. {queued} local changes will be sent at the next sync.")
        self.joined.emit(queued)
        self.accept()

    def _on_left(self, dropped: int) -> None:
        self._finish("You left the team. Your leads stay here.")
        self.left.emit(dropped)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._finish(f"✗ {message[:1].upper()}{message[1:]}")
