"""The detail form's vocabulary: its sections of editable fields, e-mail badges, style and icons."""

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel

from app.services import fields as lead_fields
from app.services.lead_filter import EMAIL_STATUS_TONES
from app.services.validation import normalize_phone
from app.ui.common import style

SAVED_MESSAGE_MS = 2500
# A lead counts as opened (reviewed) once it has stayed on screen this long: leads flicked past
# while holding Down are not, and the durable write (an fsync) never delays the form's first paint.
OPENED_AFTER_MS = 500
LABEL_WIDTH = 118  # one label column width for every card, so the fields line up

# Email status -> badge text; its colours come from how far the status can be trusted.
EMAIL_BADGE_TEXT = {
    "valid": "Valid email",
    "invalid": "Invalid email",
    "disabled": "Disabled mailbox",
    "disposable": "Disposable email",
    "spamtrap": "Spam trap",
    "catchall": "Catch-all",
    "role": "Role address",
    "role_account": "Role account",
    "unknown": "Unknown",
    "inbox_full": "Inbox full",
    "pending": "Verification pending",
}
NOT_VERIFIED_BADGE = ("Not verified", *style.NOT_VERIFIED_COLORS)


def show_badge(badge: QLabel, status: str) -> None:
    """Show an e-mail status on ``badge``."""
    text, sheet = badge_style(status)
    badge.setText(text)
    if badge.styleSheet() != sheet:  # setting one, even the same, re-polishes the badge
        badge.setStyleSheet(sheet)


def badge_style(status: str) -> tuple[str, str]:
    """(text, style sheet) of the small pill showing an email verification result."""
    if status:
        # A result LeadDesk does not know is shown as written, as a risky one.
        text, (fg, bg) = EMAIL_BADGE_TEXT.get(status, status), style.BADGE_COLORS[EMAIL_STATUS_TONES.get(status, "risky")]
    else:
        text, fg, bg = NOT_VERIFIED_BADGE
    return text, f"color: {fg}; background: {bg}; border-radius: 8px; padding: 1px 8px; font-size: 11px;"


@dataclass(frozen=True)
class FieldSpec:
    """One editable lead column on the form."""

    field: str
    label: str
    object_name: str
    kind: str = "text"  # text | email | phone | url | domain | headcount


# The form's sections in screen order; which fields each shows is their ``section`` in FIELDS.
SECTION_TITLES = ("Person", "Contact", "Company", "Location")
# Where the form shows a field otherwise than FIELDS names it: its label (mnemonics avoid
# A C J K N O R S T V: Alt+those are triage keys while the form has focus), the editor's
# objectName (default: the camel-cased name + "Edit") and its kind (default: the field's).
_LOOK: dict[str, dict[str, str]] = {
    "first_name": {"label": "F&irst name"},
    "last_name": {"label": "&Last name"},
    "job_title": {"label": "Hea&dline"},
    "email": {"label": "E&mail"},
    "phone": {"label": "&Phone"},
    "linkedin_2": {"label": "Second LinkedIn"},
    "facebook_2": {"label": "Second Facebook"},
    "twitter": {"label": "Twitter / X"},
    "posts": {"label": "Matched post"},
    "company_name": {"label": "Compan&y", "object_name": "companyEdit"},
    "company_domain": {"label": "Domain", "kind": "domain"},
    "company_headcount": {"label": "Headcount", "object_name": "headcountEdit", "kind": "headcount"},
    "all_industries": {"label": "Industry", "object_name": "industryEdit"},
    "company_industries": {"label": "Refined industry"},
    "country_name": {"label": "Country", "object_name": "countryEdit"},
    "location_name": {"label": "Location", "object_name": "locationEdit"},
    "timezone": {"label": "Time zone"},
}


def field_spec(name: str) -> FieldSpec:
    """How the form shows the field ``name``: FIELDS' label and kind unless ``_LOOK`` says otherwise."""
    field, look = lead_fields.BY_NAME[name], _LOOK.get(name, {})
    first, *rest = name.split("_")
    return FieldSpec(name, look.get("label", field.label), look.get("object_name", first + "".join(
        part.capitalize() for part in rest) + "Edit"), look.get("kind", field.kind))


SECTIONS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = tuple(
    (title, tuple(field_spec(name) for name in lead_fields.section_names(title))) for title in SECTION_TITLES
)

# The form's scroll bar is drawn flat: Fusion's gradient bar takes 1-2 ms to paint, and it repaints
# on most lead changes (the form's height follows the lead's notes, tags and extra fields).
PANEL_STYLE = f"""
QFrame#detailSection {{ background: palette(base); border: 1px solid palette(midlight); border-radius: 8px; }}
QLabel#sectionTitle {{ font-weight: 600; font-size: 11px; letter-spacing: 1px; color: palette(dark); }}
QLabel#leadName {{ font-size: 20px; font-weight: 600; }}
QLabel#leadHeadline {{ color: palette(dark); }}
QLabel#saveStatus {{ color: {style.SAVED}; }}
QLabel[role="fieldError"] {{ color: {style.ERROR}; font-size: 11px; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"] {{ border: 1px solid {style.ERROR}; border-radius: 3px; }}
QToolButton#vipCheck {{ font-size: 20px; border: none; color: {style.VIP_STAR}; }}
QScrollArea#detailScroll QScrollBar:vertical {{ width: 10px; background: transparent; margin: 0; }}
QScrollArea#detailScroll QScrollBar::handle:vertical {{
    background: palette(mid); border-radius: 3px; min-height: 32px; margin: 2px;
}}
QScrollArea#detailScroll QScrollBar::handle:vertical:hover {{ background: palette(dark); }}
QScrollArea#detailScroll QScrollBar::add-line, QScrollArea#detailScroll QScrollBar::sub-line {{ height: 0; }}
QScrollArea#detailScroll QScrollBar::add-page, QScrollArea#detailScroll QScrollBar::sub-page {{ background: none; }}
"""


def line_icon(kind: str, color) -> QIcon:
    """Small drawn "open" (box with an arrow out) and "copy" (two sheets) icons: no font needed."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 2.4))
    if kind == "copy":
        painter.drawRoundedRect(QRectF(11, 4, 16, 18), 3, 3)
        painter.drawRoundedRect(QRectF(5, 10, 16, 18), 3, 3)
    else:
        painter.drawPolyline([QPointF(14, 7), QPointF(6, 7), QPointF(6, 26), QPointF(25, 26), QPointF(25, 18)])
        painter.drawLine(QPointF(15, 17), QPointF(27, 5))
        painter.drawPolyline([QPointF(18, 5), QPointF(27, 5), QPointF(27, 14)])
    painter.end()
    return QIcon(pixmap)


def open_url(kind: str, value: str) -> QUrl:
    if kind == "email":
        return QUrl("mailto:" + value)
    if kind == "phone":
        return QUrl("tel:" + normalize_phone(value))
    if kind == "domain" and "://" not in value:
        return QUrl("https://" + value)
    return QUrl(value)
