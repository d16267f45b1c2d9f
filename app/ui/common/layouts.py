"""The app's own layouts: a grid of equal columns for cards, and a wrapping flow for chips.

``ColumnGridLayout``: cards keep a readable minimum width; when the window widens, another column
appears and the cards reflow. Hidden items take no cell, so filtering is just hiding widgets.
``FlowLayout``: items keep their natural widths and wrap onto new lines.
"""

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class ColumnGridLayout(QLayout):
    """Items laid out left to right in equal columns; each row as tall as its tallest item."""

    def __init__(self, parent: QWidget | None = None, min_column_width: int = 300, spacing: int = 16):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._min_column_width = min_column_width
        self.setSpacing(spacing)

    # QLayout's item protocol -------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize(self._min_column_width, 0)
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # Ours -----------------------------------------------------------------------------------------
    def columns_for(self, width: int) -> int:
        """How many columns fit in ``width`` pixels (at least one)."""
        spacing = self.spacing()
        return max(1, (width + spacing) // (self._min_column_width + spacing))

    def set_order(self, widgets: list[QWidget]) -> None:
        """Lay the given widgets (already in this layout) out in this order."""
        rank = {id(w): i for i, w in enumerate(widgets)}
        self._items.sort(key=lambda item: rank.get(id(item.widget()), len(rank)))
        self.invalidate()

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        spacing = self.spacing()
        visible = [item for item in self._items if not item.isEmpty()]
        columns = self.columns_for(area.width())
        column_width = max(1, (area.width() - (columns - 1) * spacing) // columns)
        y = area.y()
        for start in range(0, len(visible), columns):
            row = visible[start:start + columns]
            height = max(
                item.heightForWidth(column_width) if item.hasHeightForWidth() else item.sizeHint().height()
                for item in row
            )
            if apply:
                for column, item in enumerate(row):
                    x = area.x() + column * (column_width + spacing)
                    item.setGeometry(QRect(QPoint(x, y), QSize(column_width, height)))
            y += height + spacing
        if visible:
            y -= spacing
        return y - rect.y() + margins.bottom()


class FlowLayout(QLayout):
    """Items at their natural widths, left to right, wrapping onto new lines (Qt's flow layout
    example): the tag chips."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y, line_height = rect.x(), y + line_height + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()
