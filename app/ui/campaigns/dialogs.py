"""Small campaign dialogs: the name (create / rename) and the target filters.

Each dialog is handed the action to perform on OK. If the action is refused (a duplicate name, an
unknown headcount), the reason appears in the dialog, which stays open with the rep's input intact.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.services.campaigns import NAME_MAX_LENGTH, CampaignError, CampaignTargets
from app.services.lead_filter import HEADCOUNT_RANGES
from app.ui.common import style


def _split_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class _ListCompleter(QCompleter):
    """Completes the last entry of a comma-separated list ("Spain, Ger" → "Spain, Germany")."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index) -> str:
        done = self.widget().text().rsplit(",", 1)[0] if "," in self.widget().text() else ""
        chosen = super().pathFromIndex(index)
        return f"{done.strip()}, {chosen}" if done.strip() else chosen


class _ActionDialog(QDialog):
    """A dialog whose OK runs an action; a refusal is shown inline and the dialog stays open."""

    def __init__(self, title: str, ok_text: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.error_label = QLabel(objectName="dialogError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {style.ERROR};")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _submit(self) -> None:
        """Run the action; raises CampaignError when it is refused."""
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self._submit()
        except CampaignError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            return
        super().accept()


class CampaignNameDialog(_ActionDialog):
    """Ask for a campaign name and run ``on_submit(name)``; objectName ``campaignNameDialog``."""

    def __init__(self, title: str, ok_text: str, on_submit: Callable[[str], object], name: str = "", parent=None):
        super().__init__(title, ok_text, parent)
        self.setObjectName("campaignNameDialog")
        self._on_submit = on_submit
        self.name_edit = QLineEdit(name, objectName="campaignNameEdit")
        self.name_edit.setMaxLength(NAME_MAX_LENGTH)
        self.name_edit.setPlaceholderText("e.g. Spain founders Q3")
        self.name_edit.setAccessibleName("Campaign name")
        self.name_edit.selectAll()
        self.name_edit.textEdited.connect(self._on_name_edit_text_edited)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)  # addRow(str, widget) makes the label its buddy
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def _submit(self) -> None:
        self._on_submit(self.name_edit.text())

    @Slot(str)
    def _on_name_edit_text_edited(self, _text: str) -> None:
        self.error_label.hide()


class TargetFiltersDialog(_ActionDialog):
    """Edit a campaign's target filters and run ``on_submit(CampaignTargets)``; objectName ``targetFiltersDialog``."""

    def __init__(self, campaign_name: str, targets: CampaignTargets, countries: list[str],
                 on_submit: Callable[[CampaignTargets], object], parent=None):
        super().__init__(f"Target filters — {campaign_name}", "Save", parent)
        self.setObjectName("targetFiltersDialog")
        self._on_submit = on_submit

        intro = QLabel(
            "“Valid emails after filters” counts the campaign's leads with a valid email that match "
            "every filter below. Leave a filter empty to accept anything."
        )
        intro.setWordWrap(True)

        self.countries_edit = QLineEdit(", ".join(targets.countries), objectName="countriesEdit")
        self.countries_edit.setPlaceholderText("Any country — e.g. Spain, Portugal")
        self.countries_edit.setAccessibleName("Target countries")
        completer = _ListCompleter(countries, self.countries_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.countries_edit.setCompleter(completer)

        self.keywords_edit = QLineEdit(", ".join(targets.keywords), objectName="keywordsEdit")
        self.keywords_edit.setPlaceholderText("Any title — e.g. founder, CTO, head of sales")
        self.keywords_edit.setAccessibleName("Job title keywords")
        self.keywords_edit.setToolTip("A lead matches when its job title contains any of these words")

        headcount_box = QGroupBox("Company headcount", objectName="headcountBox")
        grid = QGridLayout(headcount_box)
        self.headcount_checks: dict[str, QCheckBox] = {}
        for i, size in enumerate(HEADCOUNT_RANGES):
            check = QCheckBox(size, objectName="headcountCheck")
            check.setAccessibleName(f"Headcount {size}")
            check.setChecked(size in targets.headcounts)
            grid.addWidget(check, i // 4, i % 4)
            self.headcount_checks[size] = check

        form = QFormLayout()
        form.addRow("&Countries:", self.countries_edit)
        form.addRow("Job title &keywords:", self.keywords_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(headcount_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def targets(self) -> CampaignTargets:
        return CampaignTargets(
            countries=_split_list(self.countries_edit.text()),
            headcounts=tuple(size for size, check in self.headcount_checks.items() if check.isChecked()),
            keywords=_split_list(self.keywords_edit.text()),
        )

    def _submit(self) -> None:
        self._on_submit(self.targets())
