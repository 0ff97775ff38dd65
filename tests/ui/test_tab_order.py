"""Tab follows the screen: top to bottom, left to right within a row, a column at a time, on
the counter screen (with and without a visit), the customer screen, every tab of the manager
window and its dialogs; whichever order the panels happened to be built in."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.ui import atspi_app


def tab_chain(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits in ``window``, in order, as Qt's focusNextPrevChild walks them."""
    found, current = [], window.nextInFocusChain()
    while current is not window and current not in found:
        if (
            current.focusPolicy() & Qt.FocusPolicy.TabFocus
            and current.isVisible()
            and current.isEnabled()
            and current.focusProxy() is None
            and window.isAncestorOf(current)
        ):
            found.append(current)
        current = current.nextInFocusChain()
    if not found:
        return found
    # Tab goes round: start at the top left, as a reader does.
    first = min(found, key=lambda w: (_rect(w, window).top() // 8, _rect(w, window).left()))
    start = found.index(first)
    return found[start:] + found[:start]


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _describe(widget: QWidget, window: QWidget) -> str:
    r = _rect(widget, window)
    name = widget.accessibleName() or getattr(widget, "text", lambda: "")()
    return f"{type(widget).__name__}({widget.objectName()} «{name}») at {r.x()},{r.y()}"


def out_of_order(window: QWidget) -> list[str]:
    """Each step of the chain that goes back up (not into a new column to the right) or back
    left on the same row."""
    chain = tab_chain(window)
    wrong = []
    for before, after in pairwise(chain):
        b, a = _rect(before, window), _rect(after, window)
        up = a.bottom() < b.top() and a.left() <= b.right()
        same_row = a.top() < b.bottom() and a.bottom() > b.top()
        left = same_row and a.right() <= b.left() and not b.contains(a) and not a.contains(b)
        if up or left:
            wrong.append(f"{_describe(before, window)} → {_describe(after, window)}")
    return wrong


@pytest.fixture
def walked(qapp):
    screens: dict[str, list[str]] = {}
    dialogs: list[QDialog] = []

    def ready(app, state, *windows):
        atspi_app.settle(app)
        for window in windows:
            screens[f"{state}: {window.windowTitle()}"] = out_of_order(window)
            assert tab_chain(window), state

    atspi_app.main(ready=ready)
    for dialog in dialogs:
        dialog.close()
    QApplication.processEvents()
    return screens


def test_tab_follows_the_screen(walked):
    assert len(walked) >= 20, list(walked)
    wrong = {screen: steps for screen, steps in walked.items() if steps}
    assert not wrong, "\n".join(f"{screen}:\n  " + "\n  ".join(s) for screen, s in wrong.items())
