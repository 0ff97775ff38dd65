"""What the manager's ordered lists (checklist steps, outcomes, reasons) share: a read-only
table of whole rows, one chosen at a time, its focus visible; moving one key up or down; and
the row that adds a new key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

FOCUS_STYLE = "QTableView:focus { border: 2px solid palette(highlight); }"


def set_up_list_table(table: QTableView) -> None:
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setStyleSheet(FOCUS_STYLE)


def key_table(
    parent: QWidget, name: str, model: QAbstractItemModel, on_current: Callable[[], None]
) -> QTableView:
    """The table of a key list (object ``<name>Table``): its name stretched, its kind sized to
    fit, Tab leaving it, ``on_current`` told when the chosen row changes."""
    table = QTableView(parent)
    table.setObjectName(f"{name}Table")
    table.setTabKeyNavigation(False)  # Tab leaves the table
    table.setModel(model)
    set_up_list_table(table)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    table.selectionModel().currentRowChanged.connect(lambda *_a: on_current())
    return table


def add_row(
    parent: QWidget, name: str, max_length: int, add: Callable[[], None]
) -> tuple[QLabel, QLineEdit, QPushButton, QHBoxLayout]:
    """Label, field (object ``<name>New``) and button (``<name>Add``) that add a key: Enter in
    the field or the button calls ``add``; texts come from the owner's ``retranslate``."""
    label, field, button = QLabel(parent), QLineEdit(parent), QPushButton(parent)
    field.setObjectName(f"{name}New")
    field.setMaxLength(max_length)
    field.returnPressed.connect(lambda: add())
    label.setBuddy(field)
    button.setObjectName(f"{name}Add")
    button.clicked.connect(lambda: add())
    row = QHBoxLayout()
    row.addWidget(label)
    row.addWidget(field, 1)
    row.addWidget(button)
    return label, field, button, row


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
