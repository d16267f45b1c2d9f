"""FieldErrors: the line under each editor that says why its value was refused, and its red border."""

from PySide6.QtWidgets import QLabel, QWidget

from app.ui.leads.detail.section import error_label


class FieldErrors:
    """Which editors show a refused value, and the message under each (its ``<objectName>Error`` label)."""

    def __init__(self):
        self._labels: dict[QWidget, QLabel] = {}
        self._invalid: set[QWidget] = set()

    def add(self, editor: QWidget) -> QLabel:
        """The (hidden) message label of a new editor, to put under it."""
        self._labels[editor] = error_label(editor)
        return self._labels[editor]

    def forget(self, editor: QWidget) -> None:
        """The editor is gone (a custom-field row rebuilt)."""
        del self._labels[editor]
        self._invalid.discard(editor)

    def first_refused(self) -> QWidget | None:
        """An editor showing a refused value, if any."""
        return next(iter(self._invalid), None)

    def show(self, editor: QWidget, message: str) -> None:
        label = self._labels[editor]
        label.setText(message)
        label.show()
        editor.setAccessibleDescription(message)
        self._invalid.add(editor)
        _set_invalid(editor, True)

    def clear(self, editor: QWidget) -> None:
        if editor in self._invalid:
            self._invalid.discard(editor)
            self._labels[editor].hide()
            editor.setAccessibleDescription("")
            _set_invalid(editor, False)


def _set_invalid(editor: QWidget, invalid: bool) -> None:
    editor.setProperty("invalid", invalid)
    # A dynamic property only restyles after a re-polish.
    editor.style().unpolish(editor)
    editor.style().polish(editor)
