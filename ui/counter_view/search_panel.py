"""Search as you type: a box and its result list, both driven from the keyboard.

In the box, Enter opens the highlighted customer, ↑ and Page Up/Down move the highlight, Esc
clears. ↓ (or Tab) takes the focus into the list on the highlighted row, so a screen reader
says the result ("Anna Kovács, phone ending 4567, last visit 3 weeks ago"); there ↑/↓ move,
Enter opens, ↑ on the first row or Esc goes back to the box, and letters typed (or Backspace)
go on editing the search in the box. A barcode scanner types the card number and presses
Enter: if that Enter arrives before the results for the full number, the first result is
opened as soon as it lands.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.fit import FitLabel
from ui.i18n import _, current, ngettext
from ui.models.search_results import SearchResultsModel
from ui.tasks import Runner
from ui.window_state import settings_store

if TYPE_CHECKING:
    from counter.search import SearchHit

# A search first asks for the rows that fit on screen (a short prefix stops walking the
# index sooner), then for pages of this many as the list is scrolled, up to the last.
MORE_PAGE = 50
MAX_RESULTS = 500

# Ages whose relative-date texts are the longest in most languages ("11 months ago"...).
_SAMPLE_DAYS = (0, 1, 2, 6, 13, 21, 28, 45, 300, 330, 400, 700)


def _find(db, text: str, limit: int) -> list[SearchHit]:
    # Imported on the worker that runs the search, with its romanizer and tables: the window
    # does not need them to show itself (ui/early_start.py).
    from counter.search import find_customers

    return find_customers(db, text, limit=limit)


class SearchPanel(QWidget):
    customer_chosen = Signal(int)
    results_shown = Signal(str)  # the text whose results are now on screen

    def __init__(
        self,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        remembered_widths: bool = False,  # the window's first paint: see fit_columns
    ):
        super().__init__(parent)
        self._runner = runner
        self._remembered_widths = remembered_widths
        self._shown_text = ""
        self._open_when_ready = False

        self.box = QLineEdit(self)
        self.box.setClearButtonEnabled(True)
        self.box.setObjectName("searchBox")
        self.model = SearchResultsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("searchResults")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab and ↓ from the box reach it (a screen reader then reads the focused result).
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        # Always there, so the columns do not jump (and the whole list is not laid out
        # again) each time the first results of a search appear or the box is cleared.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(SearchResultsModel.NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed widths measured once per language (see fit_columns): sizing columns to their
        # contents would format and measure every row on every keystroke.
        header.setSectionResizeMode(SearchResultsModel.PHONE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(SearchResultsModel.LAST_VISIT, QHeaderView.ResizeMode.Fixed)
        self.status = FitLabel(self)  # wraps: a long hint never widens the window
        self.status.setObjectName("searchStatus")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)

        self.box.textChanged.connect(self._search)
        self.model.more_wanted.connect(self._search_more)
        self.box.installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda index: self._choose(index.row()))
        self.retranslate()

    def retranslate(self) -> None:
        self.box.setPlaceholderText(_("Name, phone or card — type or scan"))
        self.box.setAccessibleName(_("Find a customer"))
        self.view.setAccessibleName(_("Matching customers"))
        self.model.refresh_texts()
        remembered, self._remembered_widths = self._remembered_widths, False
        if not (remembered and self._use_remembered_widths()):
            self.fit_columns()
        self._update_status()

    def _widths_key(self) -> tuple[str, str]:
        """Where this language's widths are remembered, and what they were measured with: the
        fonts (not the style's margins: asking the style before the first paint would build
        its Python type, see ui/early_start.py; the idle-time measuring catches a new
        style)."""
        header = self.view.horizontalHeader()
        font = f"{self.view.font().key()}/{header.font().key()}"
        return f"searchColumns/{current().language}", font

    def _use_remembered_widths(self) -> bool:
        """Put back the widths :meth:`fit_columns` measured at an earlier start, in this
        language and font: measuring needs the relative dates, and so Babel and its CLDR data
        (some 25 ms) before the window's first paint. The window measures again in idle time
        after it (a new Counter may word a date differently)."""
        key, font = self._widths_key()
        value = settings_store().value(key)
        parts = value.split("|") if isinstance(value, str) else []
        if len(parts) != 3 or parts[0] != font or not all(p.isdigit() for p in parts[1:]):
            return False
        header = self.view.horizontalHeader()
        header.resizeSection(SearchResultsModel.PHONE, int(parts[1]))
        header.resizeSection(SearchResultsModel.LAST_VISIT, int(parts[2]))
        return True

    def fit_columns(self) -> None:
        """Widths that fit the header and the longest phone tail and relative date this
        language writes ("3 weeks ago", "3 hete", "3 hafta önce"...); remembered at this
        computer for the next start's first paint."""
        from PySide6.QtWidgets import QStyle

        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        pad = 2 * self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 16
        now = int(time.time())
        samples = {
            SearchResultsModel.PHONE: ["…00000"],
            SearchResultsModel.LAST_VISIT: [
                _("never"),
                *(current().relative(now - days * 86400, now) for days in _SAMPLE_DAYS),
            ],
        }
        for column, texts in samples.items():
            title = self.model.headerData(column, Qt.Orientation.Horizontal) or ""
            width = max(metrics.horizontalAdvance(t) for t in texts) + pad
            width = max(width, header.fontMetrics().horizontalAdvance(title) + pad)
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        key, font = self._widths_key()
        widths = [header.sectionSize(c) for c in samples]
        value = "|".join([font, *map(str, widths)])
        store = settings_store()
        if store.value(key) != value:
            store.setValue(key, value)

    # searching ---------------------------------------------------------------------------
    def rows_on_screen(self) -> int:
        """How many result rows the list shows without scrolling (at least 10)."""
        row = max(1, self.view.verticalHeader().defaultSectionSize())
        return max(10, min(MAX_RESULTS, -(-self.view.viewport().height() // row) + 1))

    def _search(self, text: str) -> None:
        self._open_when_ready = False
        limit = self.rows_on_screen()
        self._runner.run(
            lambda db: _find(db, text, limit),
            lambda hits: self._show(text, hits, limit),
            key="search",
        )

    def _search_more(self, shown: int) -> None:
        text, limit = self._shown_text, min(MAX_RESULTS, shown + MORE_PAGE)
        if text != self.box.text() or shown >= limit:
            self.model.more_failed()  # a new search is on its way (or this is the last page)
            return
        self._runner.run(
            lambda db: _find(db, text, limit),
            # No on_error: a failure is reported like any other task's; the list keeps what
            # it has, and the next search asks again.
            lambda hits: self._show_more(text, hits, limit),
            key="search",
        )

    def _show(self, text: str, hits: list[SearchHit], limit: int) -> None:
        if text != self.box.text():
            return  # an older answer; the newer one is on its way
        self._shown_text = text
        more = len(hits) >= limit and limit < MAX_RESULTS
        self.model.set_hits(hits, int(time.time()), more=more)
        if hits:
            self.view.selectRow(0)
        self._update_status()
        self.results_shown.emit(text)
        if self._open_when_ready:
            self._open_when_ready = False
            self._choose(0)

    def _show_more(self, text: str, hits: list[SearchHit], limit: int) -> None:
        if text != self._shown_text or text != self.box.text():
            self.model.more_failed()
            return
        self.model.add_hits(hits, more=len(hits) >= limit and limit < MAX_RESULTS)
        self._update_status()

    def _update_status(self) -> None:
        text = self.box.text().strip()
        count = self.model.rowCount()
        if not text:
            self.status.setText(_("Start typing to find a customer. Ctrl+N adds a new one."))
        elif count == 0 and self._shown_text == self.box.text():
            self.status.setText(
                _("No customer found. Press Ctrl+N to add “{text}”.").format(text=text[:40])
            )
        elif self.model.may_have_more:
            self.status.setText(
                ngettext(
                    "{count}+ customer found: scroll for more or type more",
                    "{count}+ customers found: scroll for more or type more",
                    count,
                ).format(count=count)
            )
        else:
            self.status.setText(
                ngettext("{count} customer found", "{count} customers found", count).format(
                    count=count
                )
            )

    # keyboard ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._list_key(event)
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self.focus_results()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self._move(key)
                return True
            # The keypad's Enter carries the keypad modifier (and so may a scanner's).
            plain = (
                event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                == Qt.KeyboardModifier.NoModifier
            )
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
                self._enter()
                return True
            if key == Qt.Key.Key_Escape and self.box.text():
                self.box.clear()
                return True
        return super().eventFilter(watched, event)

    def _list_key(self, event: QKeyEvent) -> bool:
        """A key pressed in the result list (letters never get here: ui.keyboard.TypingGuard
        hands them to :meth:`start_typing`, which goes on with the search)."""
        key = event.key()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain != Qt.KeyboardModifier.NoModifier:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.current_row())
            return True
        if key == Qt.Key.Key_Up and self.current_row() <= 0:
            self._back_to_box()
            return True
        if key == Qt.Key.Key_Escape:
            self._back_to_box()
            return True
        if key == Qt.Key.Key_Backspace:
            self._back_to_box()
            self.box.backspace()
            return True
        return False

    def focus_results(self) -> None:
        """The focus into the result list, on the highlighted row (the first if none)."""
        count = self.model.rowCount()
        if not count:
            return
        row = max(0, self.current_row())
        self.view.setFocus(Qt.FocusReason.TabFocusReason)
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, SearchResultsModel.NAME),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(self.model.index(row, 0))

    def _move(self, key: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        step = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: 10,
            Qt.Key.Key_PageUp: -10,
        }[Qt.Key(key)]
        row = max(0, min(count - 1, self.current_row() + step))
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))

    def _enter(self) -> None:
        if self._shown_text != self.box.text():
            self._open_when_ready = True  # a scanner was faster than the search
            return
        self._choose(self.current_row())

    def current_row(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _choose(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is not None:
            self.customer_chosen.emit(hit.id)

    def focus_search(self, select_all: bool = True) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if select_all:
            self.box.selectAll()

    def _back_to_box(self) -> None:
        """From the result list to the box, the cursor after the text (nothing selected, so
        what is typed next goes on with the search)."""
        self.box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.box.deselect()
        self.box.end(False)

    def start_typing(self, text: str) -> None:
        """Text typed elsewhere on the counter screen starts a new search with it; typed in
        the result list, it goes on with the search on screen. The focus moves to the box, so
        the rest of what is typed (spaces too) follows."""
        if self.view.hasFocus():
            text = self.box.text() + text
        self.box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.box.setText(text)

    def tab_order(self) -> list[QWidget]:
        return [self.box, self.view]

    def refresh(self) -> None:
        """Data changed elsewhere (a customer was saved): search the same text again."""
        self._search(self.box.text())
