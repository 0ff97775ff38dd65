"""What a screen reader reads and where Tab goes.

A control is named by the label in front of it (its buddy). Qt on Linux gives a combo box its
current value as its AT-SPI name ("English", "Everyone") and its label through the
"labelled by" relation, which Orca reads; Windows and macOS read ``accessibleName``. So a combo
box gets both here, from its label, in the language on screen (call ``name_by_label`` again
after the label is retranslated).
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
