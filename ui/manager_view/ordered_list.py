"""What the manager's ordered lists (checklist steps, outcomes) share: a read-only table of
whole rows, one chosen at a time, its focus visible; and moving one key up or down."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

FOCUS_STYLE = "QTableView:focus { border: 2px solid palette(highlight); }"


def set_up_list_table(table: QTableView) -> None:
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.setStyleSheet(FOCUS_STYLE)


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
