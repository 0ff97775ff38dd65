"""The search list is lazy: one screen of rows first, more as it is scrolled, all of them in
the end; the status line says when there may be more."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from counter.customers import CustomerInput, create_customer
from tests.ui.conftest import type_text
from ui.counter_view.search_panel import MORE_PAGE, SearchPanel

CUSTOMERS = 130


@pytest.fixture
def panel(qtbot, runner, db, ui_language, now):
    for i in range(CUSTOMERS):
        create_customer(
            db, CustomerInput("Anna", f"Kovács {i:03}", language="hu"), now=now, phone_region="HU"
        )
    create_customer(db, CustomerInput("Zoltán", "Nagy", language="hu"), now=now, phone_region="HU")
    widget = SearchPanel(runner)
    qtbot.addWidget(widget)
    widget.resize(440, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scroll_to_end(panel, qtbot) -> None:
    QApplication.processEvents()  # the view lays out the rows it was given
    bar = panel.view.verticalScrollBar()
    bar.setValue(bar.maximum())


def test_the_first_answer_fills_one_screen_and_says_there_are_more(panel):
    type_text(panel.box, "anna")
    first = panel.model.rowCount()
    assert first == panel.rows_on_screen() < CUSTOMERS
    assert panel.model.canFetchMore()
    assert panel.status.text() == f"{first}+ customers found: scroll for more or type more"


def test_scrolling_to_the_end_loads_the_next_page_until_every_match_is_there(panel, qtbot):
    type_text(panel.box, "anna")
    first = panel.model.rowCount()
    scroll_to_end(panel, qtbot)
    assert panel.model.rowCount() == first + MORE_PAGE
    for _page in range(CUSTOMERS // MORE_PAGE + 1):
        scroll_to_end(panel, qtbot)
    assert not panel.model.canFetchMore()
    ids = [panel.model.hit(row).id for row in range(panel.model.rowCount())]
    assert len(ids) == len(set(ids)) == CUSTOMERS  # every Anna once, no Zoltán
    assert panel.status.text() == f"{CUSTOMERS} customers found"


def test_a_new_search_starts_again_from_one_screen(panel, qtbot):
    type_text(panel.box, "anna")
    scroll_to_end(panel, qtbot)
    type_text(panel.box, " k")
    assert panel.model.rowCount() == panel.rows_on_screen()
    panel.box.setText("zoltan")
    assert panel.model.rowCount() == 1 and not panel.model.canFetchMore()
    assert panel.status.text() == "1 customer found"


def test_a_taller_window_asks_for_more_rows(panel, qtbot):
    type_text(panel.box, "anna")
    before = panel.model.rowCount()
    panel.resize(440, 1400)
    qtbot.waitUntil(lambda: panel.model.rowCount() > before)
    assert panel.rows_on_screen() > before


def test_paged_model_passes_the_model_tester(panel, qtmodeltester):
    type_text(panel.box, "anna")
    qtmodeltester.check(panel.model)  # fetches more rows as it goes


def test_a_page_that_fails_is_reported_and_the_rows_shown_stay(panel, qtbot, runner, monkeypatch):
    import ui.counter_view.search_panel as search_panel

    type_text(panel.box, "anna")
    first = panel.model.rowCount()

    def failing(db, text, limit):
        raise OSError("disk I/O error")

    monkeypatch.setattr(search_panel, "_find", failing)
    with qtbot.waitSignal(runner.failed) as blocker:
        scroll_to_end(panel, qtbot)
    assert isinstance(blocker.args[0], OSError)
    assert panel.model.rowCount() == first
