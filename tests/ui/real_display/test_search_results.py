"""Issue 18, item 5, with real key presses: the search results take the focus (↓ or Tab from
the box), ↑/↓ move there, Enter opens the focused result, and typing there goes on with the
search in the box."""

from __future__ import annotations

from counter.customers import CustomerInput, create_customer


def test_down_into_the_results_and_enter_opens_the_focused_one(
    window, qtbot, keys, db, people, now
):
    for given, family in (("Andrea", "Novák"), ("Antal", "Szabó")):
        create_customer(db, CustomerInput(given, family, language="hu"), now=now, phone_region="HU")
    search = window.search
    search.focus_search()
    with qtbot.waitSignal(search.results_shown, check_params_cb=lambda t: t == "an"):
        keys.type("an")  # Anna, Andrea, Antal
    assert search.model.rowCount() == 3
    keys.press("Down")
    assert search.view.hasFocus()
    assert search.current_row() == 0 and search.view.currentIndex().row() == 0
    keys.press("Down")
    assert search.current_row() == 1 and search.view.currentIndex().row() == 1
    second = search.model.hit(1)
    with qtbot.waitSignal(search.customer_chosen) as chosen:
        keys.press("Return")
    assert chosen.args == [second.id]
    qtbot.waitUntil(
        lambda: (
            window.profile.profile is not None and window.profile.profile.customer.id == second.id
        )
    )

    search.focus_search(select_all=False)
    keys.press("Tab")  # Tab from the box: the results
    assert search.view.hasFocus()
    with qtbot.waitSignal(search.results_shown, check_params_cb=lambda t: t == "ann"):
        keys.type("n")  # typed in the list: the search goes on in the box
    assert search.box.hasFocus() and search.box.text() == "ann"
    assert search.model.rowCount() == 1
    keys.press("Down")
    assert search.view.hasFocus()
    with qtbot.waitSignal(search.customer_chosen) as chosen:
        keys.press("KP_Enter")
    assert chosen.args == [people["anna"]]
    keys.press("Up")  # on the first row: back to the box
    assert search.box.hasFocus() and search.box.text() == "ann"
