"""The question the import dialog asks before importing a file that holds no lead columns."""

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.common import messages


def confirm_no_lead_columns(parent: QWidget, header) -> bool:
    """Ask whether to import a file without any name, e-mail, LinkedIn or company column."""
    headers = ", ".join(f"“{h}”" for h in header if h) or "none"
    answer = QMessageBox.question(
        parent, messages.IMPORT_TITLE,
        f"No column holds a name, e-mail, LinkedIn URL or company (columns: {headers}). Import the rows anyway?",
    )
    return answer == QMessageBox.StandardButton.Yes
