"""Names a screen reader reads: a control named by the label in front of it.

Qt names most controls by their buddy label, but a combo box by its current value ("English",
"Everyone"), which says nothing about what is chosen; those are named here from their label,
in every language (call it again after a label is retranslated).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str) -> str:
    """A label's text as a name: no mnemonic ``&`` ("&&" stays one "&"), no trailing colon."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.strip().rstrip(":：").strip()


def name_by_label(widget: QWidget, label: QLabel) -> None:
    """Name ``widget`` by ``label``'s text and make the label its buddy (Alt+key focuses it)."""
    label.setBuddy(widget)
    widget.setAccessibleName(plain_label(label.text()))
