"""How one lead looks in the list: name, headline, VIP star, email-status badge, review mark.

Painted by hand (no per-row widgets) so a million-row list scrolls at frame rate; every row has
the same height, which lets QListView skip measuring rows (setUniformItemSizes).
"""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.qtmodels.lead_list import LeadRole
from app.services.lead_filter import EMAIL_STATUS_TONES
from app.ui.common.style import TONE_COLORS, UNKNOWN_TONE, VIP

ROW_HEIGHT = 58
PADDING = 12

# Badge colours by how far a verification result can be trusted (green = send, amber = risky,
# red = don't, slate = pending); grey for "not verified" and results LeadDesk does not know.
REVIEW_COLORS = {"approved": TONE_COLORS["safe"], "rejected": TONE_COLORS["bad"], "skipped": UNKNOWN_TONE}


def status_label(status: str) -> str:
    return status.replace("_", " ") if status else "not verified"


class LeadDelegate(QStyledItemDelegate):
    """Paints a two-line lead row."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(option.rect.width() or 300, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        row = index.data(LeadRole.Row)
        painter.save()
        style = option.widget.style() if option.widget else None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        if style:  # selection / hover background in the platform's style
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(text_color)
        muted.setAlphaF(0.65)

        rect = option.rect.adjusted(PADDING, 0, -PADDING, 0)
        if row is not None:
            self._paint_review_mark(painter, option.rect, row.review_state)
            right = rect.right()
            badge_text = status_label(row.email_status)
            badge_font = QFont(option.font)
            badge_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.8))
            badge_metrics = QFontMetrics(badge_font)
            badge_w = badge_metrics.horizontalAdvance(badge_text) + 14
            badge = QRect(right - badge_w, rect.top() + 9, badge_w, badge_metrics.height() + 4)
            self._paint_badge(painter, badge, badge_text, row.email_status, badge_font)
            right = badge.left() - 8
            if row.vip:
                star_font = QFont(option.font)
                star_font.setPointSizeF(option.font.pointSizeF() * 1.15)
                painter.setFont(star_font)
                painter.setPen(QColor(VIP))
                star = QRect(right - 18, rect.top() + 6, 18, badge.height() + 4)
                painter.drawText(star, Qt.AlignmentFlag.AlignCenter, "★")
                right = star.left() - 4

            name_font = QFont(option.font)
            name_font.setBold(True)
            painter.setFont(name_font)
            painter.setPen(text_color)
            name = row.full_name or row.email or "(no name)"
            name_rect = QRect(rect.left(), rect.top() + 8, right - rect.left(), QFontMetrics(name_font).height())
            painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(name_font).elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()))

            painter.setFont(option.font)
            painter.setPen(muted)
            headline = row.job_title
            if row.company_name and row.company_name.lower() not in headline.lower():
                headline = f"{headline} · {row.company_name}" if headline else row.company_name
            headline = headline or "—"
            line2 = QRect(rect.left(), name_rect.bottom() + 4, rect.width(), QFontMetrics(option.font).height())
            painter.drawText(line2, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             QFontMetrics(option.font).elidedText(headline, Qt.TextElideMode.ElideRight, line2.width()))

        separator = QColor(palette.color(QPalette.ColorRole.Mid))
        separator.setAlphaF(0.35)
        painter.setPen(separator)
        painter.drawLine(option.rect.left() + PADDING, option.rect.bottom(), option.rect.right(), option.rect.bottom())
        painter.restore()

    @staticmethod
    def _paint_badge(painter: QPainter, rect: QRect, text: str, status: str, font: QFont) -> None:
        color = QColor(TONE_COLORS.get(EMAIL_STATUS_TONES.get(status), UNKNOWN_TONE))
        fill = QColor(color)
        fill.setAlphaF(0.14)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _paint_review_mark(painter: QPainter, rect: QRect, state: str) -> None:
        color = REVIEW_COLORS.get(state)
        if color:  # a slim coloured edge: approved / rejected / skipped at a glance
            painter.fillRect(QRect(rect.left(), rect.top() + 6, 3, rect.height() - 12), QColor(color))
