"""The customer search result list: name (as their language writes it), phone tail, last visit.

Lazy: a search fills one screen of rows, and scrolling to the end asks for more
(``canFetchMore``/``fetchMore``; the panel that owns the search answers ``more_wanted``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from counter.address import NameParts, full_name
from ui.i18n import _, current, pgettext

if TYPE_CHECKING:  # the search itself runs on the worker (ui/counter_view/search_panel.py)
    from counter.search import SearchHit

Index = QModelIndex | QPersistentModelIndex


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)


class SearchResultsModel(QAbstractTableModel):
    """Painting asks ``data()`` for a dozen roles per cell on every keystroke, so it answers
    from plain ints and a per-row cache of finished texts, filled only for rows on screen."""

    NAME, PHONE, LAST_VISIT = range(3)
    HitRole = Qt.ItemDataRole.UserRole + 1
    more_wanted = Signal(int)  # fetchMore(): the rows after this many, please

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._texts: list[tuple[str, str, str, str | None] | None] = []
        self._now = int(time.time())
        self._more = False  # the search may have more rows than those shown
        self._fetching = False
        self._roles = frozenset({_DISPLAY, _TOOLTIP, _ACCESSIBLE, int(self.HitRole)})

    def set_hits(self, hits: list[SearchHit], now: int | None = None, *, more: bool = False):
        """New results; ``more``: the search stopped at its limit, there may be others."""
        self.beginResetModel()
        self._hits = list(hits)
        self._texts = [None] * len(self._hits)
        self._now = int(time.time()) if now is None else now
        self._more, self._fetching = more, False
        self.endResetModel()

    def add_hits(self, hits: list[SearchHit], *, more: bool) -> None:
        """The rows ``more_wanted`` asked for (those already shown are skipped)."""
        known = {hit.id for hit in self._hits}
        new = [hit for hit in hits if hit.id not in known]
        if new:
            first = len(self._hits)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._hits += new
            self._texts += [None] * len(new)
            self.endInsertRows()
        self._more = more and bool(new)
        self._fetching = False

    def more_failed(self) -> None:
        self._fetching = False

    @property
    def may_have_more(self) -> bool:
        return self._more

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if self.canFetchMore(parent):
            self._fetching = True
            self.more_wanted.emit(len(self._hits))

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != _DISPLAY or orientation != Qt.Orientation.Horizontal:
            return None
        return (
            (_("Name"), _("Phone"), pgettext("column", "Last visit"))[section]
            if 0 <= section < 3
            else None
        )

    def _row_texts(self, row: int) -> tuple[str, str, str, str | None]:
        texts = self._texts[row]
        if texts is None:
            hit = self._hits[row]
            if hit.last_visit_at is None:
                last = _("never")
            else:
                last = current().relative(hit.last_visit_at, self._now)
            tip = " · ".join(p for p in (hit.native_name, hit.phone, hit.card) if p) or None
            texts = self._texts[row] = (_display_name(hit), hit.phone_tail, last, tip)
        return texts

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in self._roles:
            return None  # most calls: fonts, colours, alignment, decoration...
        row = index.row()
        if not 0 <= row < len(self._hits) or not index.isValid():
            return None
        if role == self.HitRole:
            return self._hits[row]
        column = index.column()
        if role == _DISPLAY:
            return self._row_texts(row)[column] if 0 <= column < 3 else None
        if role == _ACCESSIBLE:
            # Every cell of the row says the whole row: the list moves by rows, and a screen
            # reader announces the cell the focus lands on.
            return self.row_speech(row)
        if column == self.NAME:
            return self._row_texts(row)[3]
        return None

    def row_speech(self, row: int) -> str:
        """A result as a screen reader says it: "Anna Kovács, phone ending 4567, last visit
        3 weeks ago" (computed only when asked: painting never asks for it)."""
        name, _tail, last, _tip = self._row_texts(row)
        hit = self._hits[row]
        phone = hit.phone_tail.lstrip("…")
        if hit.last_visit_at is None:
            visit = _("no visits yet")
        else:
            visit = _("last visit {when}").format(when=last)
        if phone:
            return _("{name}, phone ending {digits}, {visit}").format(
                name=name, digits=phone, visit=visit
            )
        return _("{name}, {visit}").format(name=name, visit=visit)

    def refresh_texts(self) -> None:
        """Language changed: headers and relative dates are re-read."""
        self._texts = [None] * len(self._hits)
        if self._hits:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._hits) - 1, 2))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)


def _display_name(hit: SearchHit) -> str:
    name = full_name(NameParts(hit.given_name, hit.family_name, hit.native_name), hit.language)
    latin = full_name(NameParts(hit.given_name, hit.family_name), "en")
    if hit.native_name and latin and latin != name:
        return f"{name} ({latin})"
    return name or latin
