"""The nasty-input corpus typed (or pasted, when long) into every text field of the customer
dialog and into the search box: stored data or a clear message, never a crash, never half
a customer."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from counter.customers import get_customer
from tests.fixtures.nasty_inputs import ALL, IDS, TYPABLE_LIMIT
from tests.ui.conftest import type_text
from ui.counter_view.customer_dialog import CustomerDialog
from ui.counter_view.search_panel import SearchPanel

TEXT_FIELDS = ("given", "family", "native", "phone", "email", "card", "notes")


def put(widget, text: str) -> None:
    if len(text) <= TYPABLE_LIMIT:
        type_text(widget, text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)  # a paste
    else:
        widget.setPlainText(text)


def count(db) -> int:
    return db.execute("SELECT count(*) FROM customers").fetchone()[0]


@pytest.mark.parametrize(("name", "text"), ALL, ids=IDS)
def test_every_field_of_the_customer_dialog(qtbot, runner, db, now, name, text, ui_language):
    failures = []
    runner.failed.connect(failures.append)
    for field in TEXT_FIELDS:
        dialog = CustomerDialog(runner, phone_region="TR", now_fn=lambda: now)
        qtbot.addWidget(dialog)
        if field != "given":
            dialog.given.setText("Anna")
        put(getattr(dialog, field), text)
        before = count(db)
        saved = []
        dialog.saved.connect(saved.append)
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        if saved:
            assert count(db) == before + 1
            assert get_customer(db, saved[0].id) == saved[0]
        else:
            assert count(db) == before, field
            assert dialog.errors.isVisibleTo(dialog), field
            message = dialog.errors.text()
            assert message and "Traceback" not in message and "{" not in message, message
        dialog.close()
    assert failures == []
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")


@pytest.mark.parametrize(("name", "text"), ALL, ids=IDS)
def test_the_search_box(qtbot, runner, name, text, ui_language):
    failures = []
    runner.failed.connect(failures.append)
    panel = SearchPanel(runner)
    qtbot.addWidget(panel)
    put(panel.box, text)
    assert failures == []
    assert panel.status.text()
    panel.box.clear()
    assert failures == []
