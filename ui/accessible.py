"""Names a screen reader reads: a control named by the label in front of it.

Qt names most controls by their buddy label, but a combo box by its current value ("English",
"Everyone"), which says nothing about what is chosen; those are named here from their label,
in every language (call it again after a label is retranslated).
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str) -> str:
    """A label's text as a name: no mnemonic ``&`` ("&&" stays one "&"), no trailing colon."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：").strip()


def name_by_label(widget: QWidget, label: QLabel) -> None:
    """Name ``widget`` by ``label``'s text and make the label its buddy (Alt+key focuses it)."""
    label.setBuddy(widget)
    widget.setAccessibleName(plain_label(label.text()))


def focus_chain(widget: QWidget) -> list[QWidget]:
    """``widget`` and its descendants that Tab can reach, in their present tab order."""
    found: list[QWidget] = []
    current = widget
    while True:
        if (current is widget or widget.isAncestorOf(current)) and _takes_tab(current):
            found.append(current)
        current = current.nextInFocusChain()
        if current is widget or current is None:
            return found


def order_tabs(*widgets: QWidget) -> None:
    """Tab goes through these widgets in this order, each keeping the order inside it: the
    order they are on screen, whatever order they were built in."""
    sequence = [part for widget in widgets for part in focus_chain(widget)]
    for first, second in pairwise(sequence):
        QWidget.setTabOrder(first, second)


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None
