"""What a screen reader reads and where Tab goes.

A control is named by the label in front of it (its buddy). Qt on Linux gives a combo box its
current value as its AT-SPI name ("English", "Everyone") and its label through the
"labelled by" relation, which Orca reads; Windows and macOS read ``accessibleName``. So a combo
box gets both here, from its label, in the language on screen, and the label again as its
description, which every AT-SPI client reads, also one that follows no relations (call
``name_by_label`` again after the label is retranslated).

Why not make the label the AT-SPI name: PySide6 can install an accessibility factory
(``QAccessible.installFactory`` with a Python callable returning a ``QAccessibleWidget``
subclass), but Qt's own combo box interface is private, and on Linux the name is how its value
reaches a screen reader: ``QAccessibleComboBox::text`` answers ``Name`` with the value under
``Q_OS_UNIX`` ("on Linux we use relations for this, name is text", qtbase
src/widgets/accessible/complexwidgets.cpp), the combo box has no Value interface, and when the
value changes the bridge sends only "accessible-name" changed and "selection changed" ("Combo
Box with AT-SPI likes to be special", src/gui/accessible/linux/atspiadaptor.cpp, the
``QAccessible::ValueChanged`` case). A combo box named "Language" would never be heard to change
to "Turkish" while its list is closed. GTK combo boxes follow the same convention.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:  # the first screen has no form: named where used (ui/early_start.py)
    from PySide6.QtWidgets import QFormLayout


def plain_label(text: str) -> str:
    """A label's text as a name: no mnemonic ``&`` ("&&" stays one "&"), no trailing colon."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：").strip()


def name_by_label(widget: QWidget, label: QLabel) -> None:
    """Name ``widget`` by ``label``'s text and make the label its buddy (Alt+key focuses it);
    a combo box also gets the label as its description (see the module's docstring)."""
    label.setBuddy(widget)
    text = plain_label(label.text())
    widget.setAccessibleName(text)
    if widget.inherits("QComboBox"):
        widget.setAccessibleDescription(text)


def name_form_combos(form: QFormLayout) -> None:
    """``name_by_label`` for every combo box of ``form`` that has a label in its row."""
    from PySide6.QtWidgets import QFormLayout

    for row in range(form.rowCount()):
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        combo = field.widget() if field is not None else None
        text = label.widget() if label is not None else None
        if combo is not None and combo.inherits("QComboBox") and isinstance(text, QLabel):
            name_by_label(combo, text)


def focus_chain(widget: QWidget) -> list[QWidget]:
    """``widget`` and its descendants that Tab can reach, in their present tab order."""
    found: list[QWidget] = []
    current = widget
    while True:
        if (current is widget or widget.isAncestorOf(current)) and _takes_tab(current):
            found.append(current)
        following = current.nextInFocusChain()
        if following is widget or following is None:
            return found
        current = following


def order_tabs(*widgets: QWidget) -> None:
    """Tab goes through these widgets in this order, each keeping the order inside it: the
    order they are on screen, whatever order they were built in."""
    sequence = [part for widget in widgets for part in focus_chain(widget)]
    for first, second in pairwise(sequence):
        QWidget.setTabOrder(first, second)


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None
