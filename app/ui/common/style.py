"""LeadDesk's look: the Fusion style with a calm light palette and one application stylesheet.

One place for colours and spacing, so every screen looks like the same product.
"""

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

ACCENT = "#3b5bdb"
WINDOW = "#f5f6f8"
SURFACE = "#ffffff"
BORDER = "#dde1e7"
TEXT = "#1f2430"
MUTED = "#6b7385"
ACCENT_HOVER = "#324fc4"
ERROR = "#d1242f"  # error text and the border of an invalid field
VIP = "#f5a623"
# How far a lead's e-mail status can be trusted, as the list's dot shows it.
TONE_COLORS = {"safe": "#1f9d55", "risky": "#c07d00", "pending": "#5b6b8c", "bad": "#d1343b"}
UNKNOWN_TONE = "#8a94a6"
# The detail panel's e-mail badge: tone -> (text colour, background).
BADGE_COLORS = {
    "safe": ("#1a7f37", "#dafbe1"), "bad": ("#cf222e", "#ffebe9"),
    "risky": ("#9a6700", "#fff8c5"), "pending": ("#0969da", "#ddf4ff"),
}
NOT_VERIFIED_COLORS = ("#57606a", "#eaeef2")
SAVED = "#1a7f37"  # the detail form's "Saved" note
VIP_STAR = "#bf8700"  # the detail form's VIP star
# Text on a tag chip: dark on light chip colours, white on dark ones.
CHIP_TEXT_DARK, CHIP_TEXT_LIGHT = "#1f2328", "#ffffff"
# A campaign's status badge: status -> (text colour, background).
CAMPAIGN_STATUS_COLORS = {
    "active": ("#2b8a3e", "rgba(47, 158, 68, 0.14)"),
    "paused": ("#c77700", "rgba(245, 159, 0, 0.16)"),
    "archived": ("palette(placeholder-text)", "rgba(134, 142, 150, 0.16)"),
}
CARD_SHADOW = (15, 23, 42, 28)  # RGBA of a campaign card's drop shadow

STYLESHEET = f"""
QMainWindow, QDialog {{ background: {WINDOW}; }}
QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px; padding: 4px 8px; }}
QToolBar QToolButton {{ padding: 5px 14px; border-radius: 6px; font-weight: 600; color: {MUTED}; }}
QToolBar QToolButton:checked {{ background: #e8edfc; color: {ACCENT}; }}
QToolBar QToolButton:hover:!checked {{ background: #eef0f4; }}
#leadListPanel {{ background: {SURFACE}; border-right: 1px solid {BORDER}; }}
QLineEdit, QComboBox, QPlainTextEdit, QTextEdit {{ border: 1px solid {BORDER}; border-radius: 6px; padding: 4px 6px; background: {SURFACE}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 1px solid {ACCENT}; }}
#leadSearch {{ padding: 6px 8px; font-size: 10.5pt; }}
#filterButton {{ border: 1px solid {BORDER}; border-radius: 6px; padding: 5px 12px; background: {SURFACE}; font-weight: 600; }}
#filterButton:hover {{ background: #eef0f4; }}
#filterChip {{ border: 1px solid #c9d3f6; background: #eef2ff; color: {ACCENT}; border-radius: 11px; padding: 2px 9px; }}
#filterChip:hover {{ background: #dfe6ff; }}
#leadList {{ border: none; background: {SURFACE}; selection-background-color: #e3e9fd; selection-color: {TEXT}; outline: 0; }}
#leadList::item:selected {{ background: #e3e9fd; color: {TEXT}; }}
#leadList::item:hover:!selected {{ background: #f3f5f9; }}
#leadCount {{ color: {MUTED}; }}
#filterPanel {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QLabel[role="section"] {{ color: {MUTED}; font-weight: 700; font-size: 8.5pt; margin-top: 6px; }}
#emptyTitle {{ font-size: 20pt; font-weight: 700; color: {TEXT}; }}
#emptyText {{ font-size: 11pt; color: {MUTED}; }}
#emptyImportButton, #loadSampleButton {{ padding: 8px 20px; font-size: 10.5pt; }}
QPushButton {{ border: 1px solid {BORDER}; border-radius: 6px; padding: 5px 14px; background: {SURFACE}; }}
QPushButton:hover {{ background: #eef0f4; }}
QPushButton:default {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:default:hover {{ background: #324fc4; }}
QScrollArea {{ border: none; }}
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QSplitter::handle {{ background: {BORDER}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
"""


def apply_style(app: QApplication) -> None:
    """Fusion + LeadDesk's palette and stylesheet (the same look on every platform)."""
    app.setStyle("Fusion")
    palette = app.palette()
    for role, color in (
        (QPalette.ColorRole.Window, WINDOW),
        (QPalette.ColorRole.Base, SURFACE),
        (QPalette.ColorRole.AlternateBase, "#f8f9fb"),
        (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.WindowText, TEXT),
        (QPalette.ColorRole.ButtonText, TEXT),
        (QPalette.ColorRole.Button, SURFACE),
        (QPalette.ColorRole.Highlight, "#e3e9fd"),
        (QPalette.ColorRole.HighlightedText, TEXT),
        (QPalette.ColorRole.Mid, BORDER),
        (QPalette.ColorRole.PlaceholderText, "#9aa1b1"),
    ):
        palette.setColor(role, QColor(color))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
