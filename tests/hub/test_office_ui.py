"""The Stores tab of a joined counter's manager window: its own store with the store's login,
every store after the office signs in (through the real button and dialog)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from counter.settings import load_settings
from tests.hub.test_office import NOW, chain  # noqa: F401
from ui.i18n import UiLanguage
from ui.manager_view.stores_view import OfficeSignIn
from ui.tasks import SyncTaskRunner


@pytest.fixture
def language(qapp):
    lang = UiLanguage()
    lang.set_language("en")
    return lang


def test_stores_tab_own_store_then_the_office(
    qtbot,
    chain,  # noqa: F811
    language,
    role_name,
    tmp_path,
    monkeypatch,
):
    from ui.manager_view.manager_window import ManagerWindow

    _admin, stores, office_conn = chain
    office_login = office_conn.info.user
    north = stores["north"]
    runner = SyncTaskRunner(north["db"])
    window = ManagerWindow(runner, north["manager"], load_settings(north["db"]), language,
                           clock=lambda: NOW)  # fmt: skip
    window.show()
    assert window.stores is not None  # the counter joined a hub: the tab is there
    window.stores.password_for = lambda _url: "pw-north"
    window.tabs.setCurrentWidget(window.stores)  # opening the tab reads the hub
    view = window.stores
    assert view.link is not None and not view.link.scope.office
    assert [s.store.name for s in view.comparison] == ["north"]
    assert {r.store_name for r in view.rows} == {"north"}
    assert view.table.rowCount() == 1 and view.model.rowCount() == len(view.rows) > 0
    assert view.model.headerData(0, Qt.Horizontal) == "Store"

    def fill():
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, OfficeSignIn) and w.isVisible())  # fmt: skip
        dialog.login.setText(office_login)
        dialog.password.setText("pw-office")
        dialog.accept()

    QTimer.singleShot(0, fill)
    view.sign_in_button.click()
    assert view.link.scope.office
    assert sorted(s.store.name for s in view.comparison) == ["east", "north", "south"]
    assert {r.store_name for r in view.rows} == {"east", "north", "south"}
    # The store filter narrows the table and the log to one store.
    view.store_filter.setCurrentIndex(view.store_filter.findText("south"))
    assert [s.store.name for s in view.comparison] == ["south"]
    assert {r.store_name for r in view.rows} == {"south"}
    # Export the log as shown: the store filter holds (the real button, the file dialog
    # answered).
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "south.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    view.export_button.click()
    qtbot.waitUntil(lambda: target.exists(), timeout=5000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Store,") and len(lines) == len(view.rows) + 1
    assert all(line.startswith("south,") for line in lines[1:])
    # The printed report: the same comparison, one PDF.
    report = tmp_path / "stores.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(report), ""))
    )
    view.print_button.click()
    assert report.read_bytes().startswith(b"%PDF") and report.stat().st_size > 2000
    # A folder that cannot be written is said, never a traceback.
    assert view.print_report(tmp_path / "missing" / "x.pdf") is None
    assert view.error.isVisibleTo(view)
    # A wrong password is said in words; the views stay as they were.
    view.sign_in_as(office_login, "wrong")
    assert view.error.isVisibleTo(view) and "password" in view.error.text()
    # A store's login is not the office's.
    view.sign_in_as(stores["south"]["conn"].info.user, "pw-south")
    assert "may not read" in view.error.text()
    window.close()
    assert view.link is None


def test_no_stores_tab_on_a_counter_that_never_joined(qtbot, tmp_path, language):
    from counter.auth import set_up_store
    from counter.storage import open_database
    from ui.manager_view.manager_window import ManagerWindow

    db = open_database(tmp_path / "alone.db")
    manager = set_up_store(db, store_name="Alone", store_language="en", manager_name="M",
                           pin="482913", now=1000)  # fmt: skip
    window = ManagerWindow(SyncTaskRunner(db), manager, load_settings(db), language,
                           clock=lambda: 2000)  # fmt: skip
    assert window.stores is None
    window.close()
    db.close()


def test_the_hub_is_read_on_a_worker_of_its_own(qtbot, chain, language):  # noqa: F811
    """With the real threaded runner the hub gets its own worker: the counter's database
    worker is never the one waiting for PostgreSQL."""
    from counter.storage import open_database
    from ui.manager_view.stores_view import StoresView
    from ui.tasks import TaskRunner

    _admin, stores, office_conn = chain
    north = stores["north"]
    path = north["db"].execute("PRAGMA database_list").fetchone()[2]
    runner = TaskRunner(lambda: open_database(path))
    view = StoresView(runner, north["manager"], lambda: NOW, password_for=lambda _u: "pw-north")
    try:
        assert view.hub_runner is not runner
        view.reload()
        qtbot.waitUntil(lambda: bool(view.comparison), timeout=10_000)
        assert [s.store.name for s in view.comparison] == ["north"]
        view.sign_in_as(office_conn.info.user, "pw-office")
        qtbot.waitUntil(lambda: len(view.comparison) == 3, timeout=10_000)
    finally:
        view.close_link()
        runner.shutdown()
        view.deleteLater()


def pick(qtbot, combo, text: str) -> None:
    """Open the combo's list and click the item that reads ``text``, as a person does."""
    from PySide6.QtTest import QTest

    index = combo.findText(text)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    item = view.model().index(index, 0)
    view.scrollTo(item)
    QTest.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(item).center())
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentIndex() == index


def test_the_chains_log_filters_pages_and_opens_a_visit(
    qtbot,
    chain,  # noqa: F811
    language,
    monkeypatch,
    tmp_path,
):
    """Every filter of the chain's log through its own control; the next page as the table
    scrolls to its end; Enter on a visit opens its timeline read from the hub."""
    from PySide6.QtCore import QDate

    from counter import office
    from counter.sync import run_once
    from tests.hub.test_office import START
    from tests.ui.conftest import press, type_text
    from ui.manager_view.manager_window import ManagerWindow

    _admin, stores, office_conn = chain
    north = stores["north"]
    from counter import feedback

    south = stores["south"]
    ended = south["db"].execute("SELECT id FROM visits WHERE status = 'ended'").fetchall()
    for i, (visit_id,) in enumerate(ended):  # south's customers answered on the screen
        feedback.record_face(south["db"], visit_id, 1 + i % 5, now=NOW)
    run_once(south["db"], south["conn"], now=NOW)
    run_once(north["db"], north["conn"], now=NOW)  # every store's customers, known here
    runner = SyncTaskRunner(north["db"])
    window = ManagerWindow(runner, north["manager"], load_settings(north["db"]), language,
                           clock=lambda: NOW)  # fmt: skip
    window.resize(1400, 900)
    window.show()
    view = window.stores
    window.tabs.setCurrentWidget(view)
    view.password_for = lambda _url: "pw-north"
    view.sign_in_as(office_conn.info.user, "pw-office")
    assert view.link is not None and view.link.scope.office
    # The period: from the first day of the visits (the default last 30 days miss two).
    default = len(view.rows)
    view.from_date.setDate(QDate(2023, 11, 14))  # START's day
    assert view.selected_period()[0] <= START
    everything = office.list_visits(office_conn, view.link.scope, view.model.filter, limit=10_000)
    assert len(view.rows) == len(everything) > default
    assert sum(s.visits for s in view.comparison) == len(everything)
    assert view.log_count.text() == f"{len(everything)} visits"

    # The customers' answers per store in the comparison, its chart and its export.
    headers = [view.table.horizontalHeaderItem(c).text().replace("\n", " ")
               for c in range(view.table.columnCount())]  # fmt: skip
    answers_column = headers.index("Answers")
    by_store = {
        view.table.item(r, 0).text(): view.table.item(r, answers_column).text()
        for r in range(view.table.rowCount())
    }
    south_answers = next(s for s in view.comparison if s.store.name == "south").answers
    assert by_store == {"north": "0", "east": "0", "south": str(south_answers.answered)}
    assert south_answers.answered == len(ended) and south_answers.asked == len(ended)
    assert view.findChild(QWidget, "storeAnswersChart") is not None
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "compared.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    view.export_comparison_button.click()
    qtbot.waitUntil(target.exists)
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Store" and "Average face (1–5)" in rows[0]
    exported = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(exported) == {"north", "south", "east"}
    assert exported["south"]["Answers"] == south_answers.answered
    assert exported["south"]["Average face (1–5)"] == round(south_answers.overall.average, 4)
    assert exported["north"]["Answer rate"] is None

    # The store, then its staff (names of that store only), then an outcome.
    pick(qtbot, view.store_filter, "south")
    assert {r.store_name for r in view.rows} == {"south"}
    assert [s.store.name for s in view.comparison] == ["south"]
    staff = [view.staff_filter.itemText(i) for i in range(1, view.staff_filter.count())]
    assert staff == ["Manager south"]
    pick(qtbot, view.staff_filter, "Manager south")
    assert view.rows and {r.staff_name for r in view.rows} == {"Manager south"}
    pick(qtbot, view.outcome_filter, "Bought")
    assert view.rows and {r.outcome for r in view.rows} == {"bought"}
    pick(qtbot, view.outcome_filter, "Any outcome")
    pick(qtbot, view.staff_filter, "Everyone")
    pick(qtbot, view.store_filter, "All stores")
    assert {r.store_name for r in view.rows} == {"east", "north", "south"}
    # Every store's staff, each with the store's name.
    assert "Manager east · east" in [
        view.staff_filter.itemText(i) for i in range(view.staff_filter.count())
    ]

    # A customer's name, typed any which way, found by this counter's own search.
    view.customer.setFocus()
    type_text(view.customer, "régular SOU")
    press(view.customer, Qt.Key_Return)
    assert view.rows and {r.customer_name for r in view.rows} == {"Regular south"}
    view.customer.clear()
    type_text(view.customer, "zzz")
    press(view.customer, Qt.Key_Return)
    assert view.rows == [] and view.log_count.text() == "0 visits"
    view.customer.clear()
    press(view.customer, Qt.Key_Return)

    # Pages as the table scrolls: Ctrl+End until everything is there, each visit once.
    view.model.page_size = 7
    view.reload_button.click()
    assert len(view.rows) == 7 and "scroll for more" in view.log_count.text()
    view.log.setFocus()
    for _ in range(20):
        if not view.model.canFetchMore():
            break
        shown = view.model.rowCount()
        press(view.log, Qt.Key_End, Qt.ControlModifier)
        qtbot.waitUntil(lambda: view.model.rowCount() > shown)  # noqa: B023
    assert [r.gid for r in view.rows] == [r.gid for r in everything]

    # Enter on a visit with steps: its timeline, read from the hub, and the look audited.
    row = next(i for i, r in enumerate(view.rows) if r.customer_name == "Regular north")
    view.log.setCurrentIndex(view.model.index(row, 0))
    with qtbot.waitSignal(view.timeline_opened) as opened:
        press(view.log, Qt.Key_Return)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: "Regular north" in dialog.view.toPlainText())
    text = dialog.view.toPlainText()
    assert "Greet" in text and "served by Manager north" in text
    assert dialog.windowTitle() == "Visit of Regular north"
    looks = (
        north["db"].execute("SELECT detail FROM audit_log WHERE action = 'view_visit'").fetchall()
    )
    assert looks[-1][0] == f"hub visit:{view.rows[row].gid}"
    dialog.close()
    window.close()
