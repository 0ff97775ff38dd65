"""Names a screen reader reads, in every screen of tests/ui/atspi_app.py and in other UI
languages than English: every control Tab reaches has a name, a combo box is named and
described by its label (not by what is chosen), and every chart says its values. The AT-SPI walk
(tests/ui/test_atspi_walk.py) checks the same through a real assistive-technology client."""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from tests.ui import atspi_app
from ui.accessible import plain_label


def test_plain_label_drops_the_mnemonic_and_the_colon():
    assert plain_label("&Staff:") == "Staff"
    assert plain_label("S&tep:") == "Step"
    assert plain_label("Marks && Spencer:") == "Marks & Spencer"
    assert plain_label("Nom :") == "Nom"
    assert plain_label("名前：") == "名前"


def _buddy_of(widget: QWidget) -> QLabel | None:
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget:
            return label
    return None


def combo_problems(combo: QComboBox, where: str) -> list[str]:
    """A combo box is named by its label, in the language on screen (else Qt falls back on the
    label), and described by it (AT-SPI names a combo box by its value: ui/accessible.py)."""
    buddy = _buddy_of(combo)
    if buddy is None:
        return [f"{where}: no label (AT-SPI has no 'labelled by' relation)"]
    label = plain_label(buddy.text())
    wrong = []
    if combo.accessibleName() and combo.accessibleName() != label:
        wrong.append(f"{where}: named «{combo.accessibleName()}», label «{buddy.text()}»")
    if combo.accessibleDescription() != label:
        wrong.append(f"{where}: described «{combo.accessibleDescription()}», label «{label}»")
    return wrong


def check(window: QWidget) -> list[str]:
    wrong = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = f"{type(widget).__name__}({widget.objectName()})"
        iface = QAccessible.queryAccessibleInterface(widget)
        focusable = iface is not None and iface.state().focusable
        named = iface is not None and iface.text(QAccessible.Text.Name).strip()
        if focusable and widget.focusProxy() is None and not named:
            wrong.append(f"{where}: no name")
        if isinstance(widget, QComboBox):
            wrong += combo_problems(widget, where)
        if isinstance(widget, QChartView):
            summary = widget.accessibleDescription()
            if not widget.accessibleName() or not any(ch.isdigit() for ch in summary):
                wrong.append(f"{where}: chart «{widget.accessibleName()}» says «{summary}»")
    return wrong


@pytest.mark.parametrize("code", ["tr", "hi"])
def test_every_screen_names_its_controls_in_the_ui_language(qapp, code):
    problems: dict[str, list[str]] = {}
    charts: list[str] = []

    def ready(app, state, *windows):
        atspi_app.settle(app)
        for window in windows:
            problems[state] = check(window)
            charts.extend(
                view.accessibleName()
                for view in window.findChildren(QChartView)
                if view.isVisible()
            )

    atspi_app.main(ready=ready, language_code=code)
    assert len(problems) >= 20
    wrong = {state: found for state, found in problems.items() if found}
    assert not wrong, wrong
    assert len(charts) == 6 and "Visits per day" not in charts, charts  # in the UI language


def test_combo_boxes_the_walk_does_not_open_are_labelled_too(qtbot, runner, now, ui_language):
    from counter.roles import Session
    from ui.idle_lock import IdleLockOverlay
    from ui.manager_view.stores_view import StoresView

    host = QWidget()
    qtbot.addWidget(host)
    overlay = IdleLockOverlay(QWidget(host), verify=lambda *_args: None)
    overlay.set_staff([(1, "Zeynep"), (2, "Mehmet")])
    assert combo_problems(overlay.staff, "idle lock") == []
    stores = StoresView(runner, Session(1, "Manager", "manager", now), lambda: now)
    qtbot.addWidget(stores)
    assert combo_problems(stores.store_filter, "stores") == []
