"""The counter screen fits a 1,280 × 800 laptop in every UI language, whatever the customer's
record says, and never resizes itself; its size, splitters and columns are remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSize
from PySide6.QtWidgets import QApplication, QLabel, QSplitter

from counter import visits
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from ui.fit import FitLabel
from ui.main_window import MainWindow

LANGUAGES = ("en", "tr", "sk", "hu", "hi")
LAPTOP = QSize(1280, 800)
LONG_EMAIL = "maximiliana.krisztina.szentgyorgyi-kovacsne@verylongdomainname-example.co.hu"


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        qtbot.wait(5)


@pytest.fixture
def long_customer(db, now):
    staff = staff_sql.insert_staff(db, "Gábor Szilágyi-Nagykovács", "staff", "", now - 1000)
    customer = create_customer(
        db,
        CustomerInput(
            "Maximiliána Krisztina",
            "Szentgyörgyi-Kovácsné Hajdú",
            language="hu",
            title="ms",
            phone="+36 30 123 4567",
            email=LONG_EMAIL,
            card="1234567890123456",
        ),
        now=now - 5000,
        phone_region="HU",
    )
    return staff, customer.id


def _fits(window: MainWindow) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= LAPTOP.width() and hint.height() <= LAPTOP.height(), hint


@pytest.mark.parametrize("code", LANGUAGES)
def test_window_fits_a_laptop_and_never_resizes_itself(
    qtbot, db, runner, ui_language, now, long_customer, code
):
    staff, customer_id = long_customer
    ui_language.set_language(code)
    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    window.signed_in.set(Session(staff, "Staff", "staff", now))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.visit_panel  # every deferred panel built, as after the first paint
    window.profile, window.phrases  # noqa: B018
    settle(qtbot)
    size = window.size()
    assert size.width() <= LAPTOP.width() and size.height() <= LAPTOP.height()
    _fits(window)

    window.open_customer(customer_id)
    settle(qtbot)
    assert window.profile.contact.text().count(LONG_EMAIL) == 1  # whole, for copying
    _fits(window)
    assert window.size() == size

    window.visit_actions.check_in()
    window.visit_actions.serve_from_queue(visits.list_queue(db)[0].id)
    panel.need.setText("phone screen cracked")
    panel.save_texts()
    panel.complaint.click()  # the complaint path on
    panel.outcome.setCurrentIndex(2)
    panel.outcome.activated.emit(2)
    panel.end_button.click()  # "Not ticked: …" shown
    settle(qtbot)
    assert panel.complaint_box.isVisible() and panel.end_note.isVisible()
    _fits(window)
    assert window.size() == size

    # Nothing on the visit lies on top of anything else: the checklist shows every row
    # above its buttons (the complaint path and the warning scroll instead).
    steps, page = panel.steps, panel.visit_page
    bottom = steps.mapTo(page, QPoint(0, steps.height())).y()
    assert bottom <= panel.done_button.mapTo(page, QPoint(0, 0)).y()
    rows = steps.verticalHeader().length()
    assert steps.viewport().height() >= rows
    # The warning was scrolled into view.
    end_top = panel.end_note.mapTo(panel.body_scroll.viewport(), QPoint(0, 0)).y()
    assert 0 <= end_top < panel.body_scroll.viewport().height()

    for other in LANGUAGES:  # switching the language at run time does not grow it either
        ui_language.set_language(other)
        settle(qtbot)
        _fits(window)
        assert window.size() == size


def test_fit_label_wraps_and_elides_what_cannot_wrap(qtbot):
    label = FitLabel()
    qtbot.addWidget(label)
    label.setText(f"+36 30 123 4567 · {LONG_EMAIL}")
    label.resize(200, 100)
    label.show()
    qtbot.waitExposed(label)
    assert label.minimumSizeHint().width() < 200
    assert label.elided() and "…" in label.shown_text()
    assert label.toolTip() == label.text() == f"+36 30 123 4567 · {LONG_EMAIL}"
    label.resize(1200, 100)
    settle(qtbot)
    assert not label.elided() and label.toolTip() == ""


def test_size_splitters_and_columns_are_remembered(qtbot, db, runner, ui_language, now):
    settings = load_settings(db)
    first = MainWindow(runner, settings, ui_language, clock=lambda: now)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(760, 640)  # within the offscreen 800 × 800 screen
    columns = first.centralWidget()
    assert isinstance(columns, QSplitter)
    columns.setSizes([300, 450])
    settle(qtbot)
    saved_sizes = columns.sizes()
    first.close()

    second = MainWindow(runner, settings, ui_language, clock=lambda: now)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.size() == QSize(760, 640)
    assert second.centralWidget().sizes() == saved_sizes
    second.close()


def test_visit_log_column_widths_are_remembered(qtbot, db, runner, ui_language, now):
    from counter.auth import set_up_store
    from ui.manager_view.manager_window import ManagerWindow

    session = set_up_store(
        db, store_name="Shop", store_language="en", manager_name="Sarah", pin="4321", now=now
    )
    settings = load_settings(db)
    first = ManagerWindow(runner, session, settings, ui_language, lambda: now)
    first.show()
    header = first.log.table.horizontalHeader()
    header.resizeSection(1, 321)
    first.close()  # deletes itself

    second = ManagerWindow(runner, session, settings, ui_language, lambda: now)
    qtbot.addWidget(second)
    assert second.log.table.horizontalHeader().sectionSize(1) == 321


def test_no_label_on_the_counter_screen_widens_it(qtbot, db, runner, ui_language, now):
    """Every label that does not wrap is short: a text that could grow (a name, an e-mail, a
    hint) is a FitLabel or wraps."""
    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(window)
    window.profile, window.phrases, window.visit_panel  # noqa: B018
    for label in window.centralWidget().findChildren(QLabel):
        if label.wordWrap() or isinstance(label, FitLabel):
            continue
        label_name = label.objectName() or label.text()
        assert label.minimumSizeHint().width() < 320, label_name
