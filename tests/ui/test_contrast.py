"""Every text reads on a light, a dark and a high-contrast palette (WCAG 4.5:1; 3:1 for large
text and chart bars): the theme's own pairs, and what the counter screen and the manager's
window actually paint with a colour set ("Overdue", the end-visit note, the complaint path, the
queue's amber and red timers, the end-of-visit summary, the dashboard's tiles and charts).
Nothing stays a bright box on a dark palette; the printed report stays paper-light."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTextEdit

from counter import follow_ups, visits
from counter.settings import load_settings
from tests.core.report_fixtures import NOW, build_store
from tests.ui.contrast_checks import bright_boxes, text_problems
from ui import theme
from ui.main_window import MainWindow
from ui.manager_view.manager_window import ManagerWindow

PALETTES = ("light", "dark", "high-contrast")


@pytest.fixture
def palette(qapp, request):
    """The app under a Fusion palette (light, dark or high contrast), restored afterwards."""
    style, saved = qapp.style().name(), QPalette(qapp.palette())
    theme.apply(qapp, request.param)
    QApplication.processEvents()
    yield request.param
    qapp.setStyle(style)
    qapp.setPalette(saved)
    QApplication.processEvents()


def _pairs(c: theme.Colours) -> list[tuple[str, object, object, float]]:
    need = theme.HIGH if c.high_contrast else theme.TEXT
    pairs = []
    for role in (theme.DANGER, theme.WARNING, theme.SUCCESS, theme.MUTED):
        pairs.append((f"{role} on window", c.role(role), c.window, need))
        pairs.append((f"{role} on base", c.role(role), c.base, need))
    pairs += [
        ("note", c.note_text, c.note_background, need),
        ("note border", c.note_border, c.note_background, theme.GRAPHIC),
        ("amber timer", c.timer_amber_text, c.timer_amber, theme.TEXT),
        ("red timer", c.timer_red_text, c.timer_red, theme.TEXT),
        ("chart text", c.chart_text, c.chart_background, need),
    ]
    pairs += [(f"{k} bars", v, c.chart_background, theme.GRAPHIC) for k, v in c.series.items()]
    return pairs


@pytest.mark.parametrize("name", PALETTES)
def test_every_themed_pair_reads(qapp, name):
    colours = theme.colours(theme.palette_for(name))
    assert colours.high_contrast == (name == "high-contrast")
    low = [
        (what, round(theme.contrast(fg, bg), 2))
        for what, fg, bg, need in _pairs(colours)
        if theme.contrast(fg, bg) < need
    ]
    assert low == []


def test_paper_is_light_whatever_the_screen(qapp):
    theme.apply(qapp, "dark")
    try:
        paper = theme.paper()
        assert theme.luminance(paper.chart_background) > 0.8
        assert all(theme.contrast(fg, bg) >= need for _w, fg, bg, need in _pairs(paper))
    finally:
        theme.apply(qapp, "light")


def test_the_theme_is_chosen_by_option_then_environment(monkeypatch):
    monkeypatch.delenv(theme.ENV_VAR, raising=False)
    assert theme.requested(None) == "system"
    monkeypatch.setenv(theme.ENV_VAR, "Dark")
    assert theme.requested(None) == "dark"
    assert theme.requested("high-contrast") == "high-contrast"
    monkeypatch.setenv(theme.ENV_VAR, "purple")
    assert theme.requested(None) == "system"


def test_the_command_line_takes_a_theme():
    from counter.cli import build_parser

    args = build_parser().parse_args(["run", "--theme", "high-contrast"])
    assert args.theme == "high-contrast"


def _settle(qtbot) -> None:
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
        qtbot.wait(5)


@pytest.fixture
def store(db):
    store = build_store(db)
    customer = store.customers["Emma"]
    follow_ups.create_follow_up(
        db,
        customer_id=customer,
        description="Call back about the screen",
        due_at=NOW - 2 * 86400,
        owner_id=store.sam,
        created_by=store.sam,
        now=NOW - 3 * 86400,
        tz=None,
    )
    # Two waiting long enough for an amber and a red timer.
    visits.check_in(db, customer_id=store.customers["Şükrü"], now=NOW - 5 * 60)
    visits.check_in(db, walk_in_name="Man with a red scarf", now=NOW - 20 * 60)
    return store


@pytest.mark.parametrize("palette", PALETTES, indirect=True)
def test_counter_screen_reads(qtbot, db, runner, ui_language, store, palette):
    window = MainWindow(runner, load_settings(db), ui_language, clock=lambda: NOW)
    qtbot.addWidget(window)
    window.session_actions.set_session(store.staff_session)
    window.resize(1280, 800)
    window.show()
    window.open_customer(store.customers["Emma"])
    _settle(qtbot)
    assert "Overdue" in window.profile.follow_ups.text()
    levels = {window.queue.model.level(r) for r in range(window.queue.model.rowCount())}
    assert {"amber", "red"} <= levels

    window.visit_actions.check_in()
    window.visit_actions.serve_from_queue(visits.list_queue(db)[0].id)
    panel = window.visit_panel
    panel.complaint.click()
    panel.end_button.click()  # "Choose an outcome first": the end-visit note
    _settle(qtbot)
    assert panel.complaint_box.isVisible() and panel.end_note.isVisible()
    assert text_problems(window) == []
    assert bright_boxes(window) == []

    panel.outcome.setCurrentIndex(1)
    panel.outcome.activated.emit(1)
    panel.end_button.click()  # "Not ticked: ... Press again"
    _settle(qtbot)
    assert text_problems(window) == []
    panel.end_button.click()
    _settle(qtbot)
    assert panel.stack.currentWidget() is panel.summary
    assert "color:" in panel.summary.text.text()
    assert text_problems(window) == []

    follow_ups_dialog = window.visit_actions.show_follow_ups()  # overdue rows in red
    _settle(qtbot)
    model = follow_ups_dialog.findChild(QAbstractItemView).model()
    assert any(
        model.index(r, c).data(Qt.ForegroundRole) is not None
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    )
    assert text_problems(follow_ups_dialog) == []
    follow_ups_dialog.close()


@pytest.mark.parametrize("palette", PALETTES, indirect=True)
def test_manager_window_reads(qtbot, db, runner, ui_language, store, palette):
    window = ManagerWindow(runner, store.manager, load_settings(db), ui_language, lambda: NOW)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    for key in ("log", "dashboard"):
        window.show_tab(key)
        _settle(qtbot)
        assert text_problems(window) == [], key
        assert bright_boxes(window) == [], key
    assert any(t.value.styleSheet() for t in window.dashboard.tiles), "no tile over target"
    window.show_tab("log")
    log = window.log
    row = next(  # a visit over its targets, with a complaint: red lines on its timeline
        r for r in range(log.model.rowCount()) if log.model.row_at(r).complaint
    )
    dialog = log.open_visit(log.model.index(row, 0))
    _settle(qtbot)
    assert theme.colours().css(theme.DANGER) in dialog.findChild(QTextEdit).toHtml()
    assert text_problems(dialog) == []
    dialog.close()


def test_colours_follow_a_palette_change(qtbot, db, runner, ui_language, store, qapp):
    """The desktop switches to dark while Counter runs: texts and charts follow."""
    window = ManagerWindow(runner, store.manager, load_settings(db), ui_language, lambda: NOW)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    window.show_tab("dashboard")
    _settle(qtbot)
    style, saved = qapp.style().name(), QPalette(qapp.palette())
    try:
        for name in ("dark", "light"):
            qapp.setPalette(theme.palette_for(name))  # as the system would, not by apply()
            _settle(qtbot)
            assert text_problems(window) == [], name
            assert bright_boxes(window) == [], name
    finally:
        qapp.setStyle(style)
        qapp.setPalette(saved)
