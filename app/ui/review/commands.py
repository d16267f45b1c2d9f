"""The Review menu's small commands: edit the rejection reasons, export the review decisions."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from app.services import review
from app.ui.common import messages
from app.ui.common.error_dialog import show_error


def edit_rejection_reasons(parent: QWidget) -> None:
    """Ask for the rejection reasons, one per line, and save them."""
    text, ok = QInputDialog.getMultiLineText(
        parent, "Rejection reasons", "One reason per line, in the order the picker shows them:",
        "\n".join(review.list_reasons()))
    if not ok:
        return
    try:
        review.set_reasons(text.splitlines())
    except review.ReasonError as error:
        QMessageBox.information(parent, "Rejection reasons", str(error))


def export_decisions(parent: QWidget) -> int | None:
    """Ask for a file and write the review decisions to it; the number of leads, or None if not written."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export review decisions",
                                          str(Path.home() / "review-decisions.csv"), messages.CSV_FILTER)
    if not path:
        return None
    from app.services import decisions

    try:
        return decisions.export_review_decisions(path)
    except OSError as error:
        show_error(parent, "Export review decisions", f"The file could not be written: {error.strerror or error}.")
        return None
