"""Widgets that fit a laptop screen whatever the language or the customer record says.

A window grows when one of its widgets asks for more room than it has. Three things asked: a
label that does not wrap (a long e-mail, a long name, a hint in Hungarian), a row of buttons
that cannot break, and a column of panels whose contents are taller than the window. These
ask for little, and show everything by wrapping, eliding (the whole text in the tooltip) or
scrolling instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QTableView,
    QWidget,
    QWidgetItem,
)

MIN_CHARS = 16  # a FitLabel never asks for less than this many average characters
MAX_DIALOG_WIDTH = 900  # fit_dialog never makes a dialog wider (a 1,280 px screen)


class FitLabel(QLabel):
    """Plain text that wraps at spaces; a word wider than the label (an e-mail address, a
    card number) is elided in the middle, and then the tooltip shows the whole text. It asks
    for no more than ``min_chars`` characters of width, so it never widens its window.

    ``text()`` is the whole text, as given."""

    def __init__(self, parent: QWidget | None = None, *, min_chars: int = MIN_CHARS):
        super().__init__(parent)
        self._full = ""
        self._min_chars = min_chars
        self._fitted_width = -1
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:
        self._full = text
        self._fitted_width = -1
        self._fit()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is painted (elided where a word did not fit)."""
        return super().text()

    def elided(self) -> bool:
        return super().text() != self._full

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        limit = self.fontMetrics().averageCharWidth() * self._min_chars
        margins = self.contentsMargins()
        width = min(hint.width(), limit + margins.left() + margins.right())
        return QSize(width, max(hint.height(), self.fontMetrics().height()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin() - self.indent() * 0
        if width == self._fitted_width and super().text() != "":
            return
        self._fitted_width = width
        metrics = self.fontMetrics()
        shown = self._full
        if self.isVisible() and width > metrics.averageCharWidth() * 3:
            lines = []
            for line in self._full.split("\n"):
                words = [
                    metrics.elidedText(word, Qt.TextElideMode.ElideMiddle, width)
                    if metrics.horizontalAdvance(word) > width
                    else word
                    for word in line.split(" ")
                ]
                lines.append(" ".join(words))
            shown = "\n".join(lines)
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fitted_width = -1
        self._fit()


class FlowLayout(QLayout):
    """Widgets in a row that wraps onto the next line when the row is too narrow (Qt's Flow
    Layout example): a row of buttons in Hungarian never widens the window. An item added
    with ``add_stretch()`` pushes the items after it to the right end of their line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None  # index of the first right-aligned item
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def add_stretch(self) -> None:
        self._right_from = len(self._items)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if 0 <= index < len(self._items):
            if self._right_from is not None and index < self._right_from:
                self._right_from -= 1
            return self._items.pop(index)
        return None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        width, height = 0, 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self.spacing() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        spacing = self.spacing()
        lines: list[list[tuple[QLayoutItem, QSize, bool]]] = [[]]
        x = 0
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            hint = (
                item.sizeHint().boundedTo(QSize(area.width(), 1 << 20))
                if area.width() > 0
                else item.sizeHint()
            )
            right = self._right_from is not None and index >= self._right_from
            if lines[-1] and x + hint.width() > area.width():
                lines.append([])
                x = 0
            lines[-1].append((item, hint, right))
            x += hint.width() + spacing
        y = area.y()
        for line in lines:
            if not line:
                continue
            height = max(hint.height() for _item, hint, _r in line)
            if apply:
                right_width = sum(h.width() + spacing for _i, h, r in line if r) - spacing
                x = area.x()
                right_x = area.right() + 1 - max(right_width, 0)
                for item, hint, right in line:
                    if right and x <= right_x:
                        x = max(x, right_x)
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                    x += hint.width() + spacing
            y += height + spacing
        return y - spacing - area.y() + margins.top() + margins.bottom() if y > area.y() else 0


class VerticalScroll(QScrollArea):
    """A panel's page that scrolls up and down when the window is shorter than its contents,
    instead of pushing the window taller or squeezing its rows on top of each other. Across,
    it asks for what its contents ask (they are made to ask for little; see FitLabel).

    Up and down it asks for the height its contents need at its width, up to
    ``max_minimum_height`` (0: only a few lines): a visit claims its room from the window
    up to that height, and scrolls beyond it."""

    def __init__(
        self, content: QWidget, parent: QWidget | None = None, *, max_minimum_height: int = 0
    ):
        super().__init__(parent)
        self._max_minimum_height = max_minimum_height
        self.setObjectName(f"{content.objectName() or 'page'}Scroll")
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page's own widgets take the focus
        self.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        content.installEventFilter(self)

    def _bar_width(self) -> int:
        from PySide6.QtWidgets import QStyle  # not at import: see ui/early_start.py

        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a language switch changed what the contents ask for
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        bar = self._bar_width()
        if content is None:
            return QSize(bar, 60)
        width = content.minimumSizeHint().width()
        height = 60
        if self._max_minimum_height:
            layout = content.layout()
            needed = content.minimumSizeHint().height()
            if layout is not None and layout.hasHeightForWidth():
                needed = max(
                    needed, layout.totalHeightForWidth(max(width, self.viewport().width()))
                )
            height = max(height, min(needed, self._max_minimum_height))
        return QSize(width + bar + 2 * self.frameWidth(), height + 2 * self.frameWidth())

    def sizeHint(self) -> QSize:
        content = self.widget()
        bar = self._bar_width()
        hint = content.sizeHint() if content is not None else QSize(0, 0)
        return QSize(hint.width() + bar + 2 * self.frameWidth(), hint.height())


def fit_dialog(dialog: QWidget, min_width: int = 0) -> None:
    """A dialog wide enough for its window title (a window manager cuts a title that does not
    fit, "Follow-up for Szentgyörgyi-Kov…") and for each line edit's placeholder; call after
    the texts are set (and again after a language switch or a longer title). Never wider
    than ``MAX_DIALOG_WIDTH``: a title longer than that is cut, and the dialog still fits.

    The width goes into the dialog's layout (a spacer), not into ``setMinimumWidth``: a
    minimum set on the dialog would stop its layout from growing it for a wider field."""
    font = dialog.font()
    font.setBold(True)  # most window managers draw the title bold
    # The icon and the close, maximise and minimise buttons around the title.
    width = max(min_width, QFontMetrics(font).horizontalAdvance(dialog.windowTitle()) + 140)
    for edit in dialog.findChildren(QLineEdit):
        text = edit.placeholderText()
        if text:
            needed = edit.fontMetrics().horizontalAdvance(text) + 24
            edit.setMinimumWidth(min(needed, MAX_DIALOG_WIDTH - 200))
    layout = dialog.layout()
    if layout is None:
        return
    spacer = getattr(dialog, "_title_spacer", None)
    margins = layout.contentsMargins()
    inner = max(0, min(width, MAX_DIALOG_WIDTH) - margins.left() - margins.right())
    if spacer is None:
        spacer = QSpacerItem(inner, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
        layout.addItem(spacer)
        dialog._title_spacer = spacer  # type: ignore[attr-defined]  # kept on the dialog between fits
    else:
        spacer.changeSize(inner, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
    layout.invalidate()
    if dialog.isVisible():  # else it takes its size when shown (never resized before that)
        layout.activate()
        dialog.adjustSize()


def fit_headers(view: QAbstractItemView | QHeaderView) -> None:
    """Columns a person or the code sized (Interactive or Fixed) no narrower than their
    title ("Kihagyott lépések"); call after setting the widths and after a language switch."""
    if isinstance(view, QHeaderView):
        header = view
    elif isinstance(view, QTableView):
        header = view.horizontalHeader()
    else:
        return
    for section in range(header.count()):
        if header.sectionResizeMode(section) in (
            QHeaderView.ResizeMode.Interactive,
            QHeaderView.ResizeMode.Fixed,
        ):
            needed = header.sectionSizeHint(section)
            if header.sectionSize(section) < needed:
                header.resizeSection(section, needed)


def centre_on_parent(dialog: QWidget) -> None:
    """Put ``dialog`` in the middle of its parent window. Qt centres a dialog when first
    shown, but at start-up the window may not be placed yet, and a dialog that grows after
    (a list that arrives later) grows to the right and down: call again then."""
    parent = dialog.parentWidget()
    window = parent.window() if parent is not None else None
    if window is None or not window.isVisible():
        return
    frame = dialog.frameGeometry()
    frame.moveCenter(window.frameGeometry().center())
    screen = window.screen()
    if screen is not None:  # never off the screen's free area
        free = screen.availableGeometry()
        frame.moveLeft(max(free.left(), min(frame.left(), free.right() - frame.width())))
        frame.moveTop(max(free.top(), min(frame.top(), free.bottom() - frame.height())))
    dialog.move(frame.topLeft())


def fit_height(window: QWidget) -> None:
    """Make a shown window as tall as its wrapped texts and wrapping button rows need at its
    width (a top-level window is sized before it knows its final width; call from its
    ``showEvent``)."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalMinimumSize().height()
    if needed > window.height():
        window.resize(window.width(), needed)
