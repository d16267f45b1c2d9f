"""Help → About: version, data folder, database file and size, lead count."""

from PySide6.QtCore import QLocale, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenuBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.paths import data_dir
from app.services import storage


class AboutDialog(QDialog):
    """Shows what LeadDesk is and where it keeps the rep's data."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        stats = storage.database_stats()
        locale = QLocale()

        title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>Review your leads offline. Nothing leaves this computer.")
        title.setTextFormat(Qt.TextFormat.RichText)
        form = QFormLayout()
        self._add_row(form, "Version:", __version__, "aboutVersion")
        self._add_row(form, "Data folder:", str(data_dir()), "aboutDataFolder")
        self._add_row(form, "Database:", str(stats.path), "aboutDatabase")
        self._add_row(form, "Database size:", locale.formattedDataSize(stats.size_bytes), "aboutDatabaseSize")
        self._add_row(form, "Leads:", locale.toString(stats.lead_count), "aboutLeadCount")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        open_folder = QPushButton("Open data folder")
        open_folder.setObjectName("openDataFolderButton")
        buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        open_folder.clicked.connect(self._on_open_folder_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _add_row(self, form: QFormLayout, label_text: str, value: str, name: str) -> None:
        value_label = QLabel(value)
        value_label.setObjectName(name)
        value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value_label.setAccessibleName(label_text.rstrip(":"))
        label = QLabel(label_text)
        label.setBuddy(value_label)
        form.addRow(label, value_label)

    @Slot()
    def _on_open_folder_clicked(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))


def show_about(parent: QWidget | None) -> None:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()


def add_help_menu(menu_bar: QMenuBar, parent: QWidget) -> QAction:
    """Add Help → About LeadDesk to ``menu_bar`` (reusing a Help menu named ``helpMenu``)."""
    menu = None
    for action in menu_bar.actions():
        if action.menu() is not None and action.menu().objectName() == "helpMenu":
            menu = action.menu()
    if menu is None:
        menu = menu_bar.addMenu("&Help")
        menu.setObjectName("helpMenu")
    about = menu.addAction(f"&About {APP_NAME}")
    about.setObjectName("aboutAction")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: show_about(parent))
    return about
