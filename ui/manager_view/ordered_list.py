"""What the manager's ordered lists (checklist steps, outcomes) share: a read-only table of
whole rows, one chosen at a time, its focus visible; and moving one key up or down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView, QWidget

FOCUS_STYLE = "QTableView:focus { border: 2px solid palette(highlight); }"


def set_up_list_table(table: QTableView) -> None:
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setStyleSheet(FOCUS_STYLE)


def move_buttons(
    parent: QWidget, name: str, move: Callable[[int], None]
) -> tuple[QPushButton, QPushButton]:
    """The "move up" and "move down" buttons (objects ``<name>Up``/``<name>Down``) calling
    ``move(-1)`` and ``move(1)``; their texts are set in the owner's ``retranslate``."""
    up, down = QPushButton(parent), QPushButton(parent)
    up.setObjectName(f"{name}Up")
    down.setObjectName(f"{name}Down")
    up.clicked.connect(lambda: move(-1))
    down.clicked.connect(lambda: move(1))
    return up, down


def moved(keys: list[str], key: str, offset: int) -> list[str] | None:
    """``keys`` with ``key`` moved ``offset`` places (-1 up, 1 down); None when it cannot go."""
    if key not in keys:
        return None
    row = keys.index(key)
    target = row + offset
    if not 0 <= target < len(keys):
        return None
    order = list(keys)
    order[row], order[target] = order[target], order[row]
    return order
