"""LeadHeader: the top of the detail panel — name, headline, e-mail badge, save status and VIP star."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.services.leads import LeadDetail
from app.ui.leads.detail.fields import show_badge


class LeadHeader(QFrame):
    """The lead's name and headline, its e-mail status badge, "Saved ✓" and the VIP star (``vipCheck``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("detailHeader")
        self.name_label = QLabel(self)
        self.name_label.setObjectName("leadName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.headline_label = QLabel(self)
        self.headline_label.setObjectName("leadHeadline")
        self.headline_label.setWordWrap(True)
        self.vip_button = QToolButton(self)
        self.vip_button.setObjectName("vipCheck")
        self.vip_button.setCheckable(True)
        self.vip_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.vip_button.setAccessibleName("VIP")
        self.show_vip(False)
        vip_label = QLabel("VIP", self)
        vip_label.setBuddy(self.vip_button)
        self.email_badge = QLabel(self)
        self.email_badge.setObjectName("emailStatusBadge")
        self.save_status = QLabel(self)
        self.save_status.setObjectName("saveStatus")
        self.save_status.setAccessibleName("Save status")

        top = QHBoxLayout()
        top.addWidget(self.name_label, 1)
        top.addWidget(self.save_status)
        top.addWidget(vip_label)
        top.addWidget(self.vip_button)
        second = QHBoxLayout()
        second.addWidget(self.headline_label, 1)
        second.addWidget(self.email_badge, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(second)

    def show_lead(self, detail: LeadDetail) -> None:
        """Show ``detail``'s name, headline, e-mail status and VIP star (without toggling the button)."""
        self.name_label.setText(detail.full_name or "Unnamed lead")
        headline = detail.job_title
        # Headlines often name the company already ("Head of Growth at Lumen").
        if detail.company_name and detail.company_name.casefold() not in headline.casefold():
            headline = f"{headline} at {detail.company_name}" if headline else detail.company_name
        self.headline_label.setText(headline)
        self.headline_label.setVisible(bool(headline))
        show_badge(self.email_badge, detail.email_verification_result)
        self.vip_button.blockSignals(True)
        self.vip_button.setChecked(detail.vip)
        self.vip_button.blockSignals(False)
        self.show_vip(detail.vip)

    def show_vip(self, vip: bool) -> None:
        """Show the star filled or empty (without toggling the button)."""
        self.vip_button.setText("★" if vip else "☆")
        self.vip_button.setToolTip("VIP: click to unmark" if vip else "Mark this lead as VIP")
