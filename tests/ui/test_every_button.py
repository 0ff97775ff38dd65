"""Every button and every action of the manager window, clicked through its real signal, on
every tab: no exception may escape (pytest-qt's capture, asserted here), no task may fail
unexpectedly, and each button does what it says. A new button without a promise below fails
the test, so it cannot go unclicked. Also the counter window's buttons and actions whose slot
once received ``clicked(bool)``/``triggered(bool)`` as an argument."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTableView,
)

import ui.i18n as ui_i18n
from counter.checklist import load_checklist
from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.feedback import REASON_LABELS, configured_reasons
from counter.i18n import Translator
from counter.outcomes import configured_outcomes
from counter.progress import Cancelled
from counter.settings import load_settings
from tests.core.report_fixtures import NOW, build_store
from ui.manager_view.manager_window import TABS, ManagerWindow
from ui.manager_view.period import to_qdate
from ui.tasks import SyncTaskRunner

EXPECTED_ERRORS = (ValidationError, PermissionDenied, NotFound, Cancelled)


class StrictRunner(SyncTaskRunner):
    """A SyncTaskRunner that remembers every task failing with anything but the errors a
    person can cause (those become messages): a TypeError there is a bug, even when the UI
    shows it politely."""

    def __init__(self, db):
        super().__init__(db)
        self.unexpected: list[BaseException] = []

    def run(self, fn, on_done=None, on_error=None, *, key=None):
        def checked(db):
            try:
                return fn(db)
            except EXPECTED_ERRORS:
                raise
            except Exception as error:
                self.unexpected.append(error)
                raise

        super().run(checked, on_done, on_error, key=key)


@pytest.fixture
def answers(monkeypatch, tmp_path):
    """File dialogs answer with a path under tmp_path; message boxes answer Yes/OK at once;
    everything they were asked is remembered."""
    asked: dict[str, list] = {"boxes": [], "files": [], "folders": []}

    def save_file(_parent, _title, suggested="", filters="", *args, **kwargs):
        name = suggested.rsplit("/", 1)[-1] or "file"
        path = tmp_path / "out" / name
        path.parent.mkdir(exist_ok=True)
        asked["files"].append(path)
        return str(path), filters.split(";;")[0]

    def folder(*_args, **_kwargs):
        path = tmp_path / "usb"
        path.mkdir(exist_ok=True)
        asked["folders"].append(path)
        return str(path)

    def box(answer):
        def show(_parent, title, text, *args, **kwargs):
            asked["boxes"].append((title, text))
            return answer

        return staticmethod(show)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_file))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(folder))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("noted by the test", True))
    )
    for name, answer in (
        ("information", QMessageBox.Ok),
        ("warning", QMessageBox.Yes),
        ("critical", QMessageBox.Ok),
        ("question", QMessageBox.Yes),
    ):
        monkeypatch.setattr(QMessageBox, name, box(answer))
    return asked


def _key(button: QAbstractButton) -> str:
    if button.objectName():
        return button.objectName()
    return f"{type(button.parent()).__name__}:{button.text().replace('&', '')}"


# Qt's own parts of a widget: clicked too (nothing may break), no promise of ours to check.
QT_PARTS = ("qt_tableview_cornerbutton", "ScrollLeftButton", "ScrollRightButton", "QLineEdit:")


def _open_dialogs() -> list[QDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QDialog) and w.isVisible() and w.objectName() != "progressDialog"
    ]


def _dialog_button(dialog: QDialog, role) -> QAbstractButton:
    box = dialog.findChild(QDialogButtonBox)
    return next(b for b in box.buttons() if box.buttonRole(b) == role)


def _select_row(table: QTableView, row: int) -> None:
    table.setFocus()
    table.selectionModel().setCurrentIndex(
        table.model().index(row, 0),
        QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows,
    )


class Promises:
    """For each button: what to set up before the click, and what must be true after it."""

    def __init__(self, window: ManagerWindow, db, tmp_path, answers):
        self.w, self.db, self.tmp, self.answers = window, db, tmp_path, answers
        self.state: dict = {}

    # set-ups --------------------------------------------------------------------------------
    def prepare(self, key: str) -> None:
        w = self.w
        if key in ("outcomeUp", "outcomeDown", "outcomeRemove"):
            _select_row(w.outcomes.table, 1)
            self.state["outcomes"] = configured_outcomes(self.db)
            self.state["outcome"] = w.outcomes.selected()
        elif key == "outcomeAdd":
            w.outcomes.new_outcome.setText("Ordered in")
        elif key in ("reasonUp", "reasonDown", "reasonRemove"):
            _select_row(w.reasons.table, 1)
            self.state["reasons"] = self._reasons()
            self.state["reason"] = w.reasons.selected()
        elif key == "reasonAdd":
            w.reasons.new_reason.setText("The price was wrong")
        elif key in ("checklistUp", "checklistDown", "checklistHide", "checklistSave"):
            _select_row(w.checklist.table, 1)
            self.state["steps"] = load_checklist(self.db, "en")
            self.state["step"] = w.checklist.selected()
            if key == "checklistSave":
                w.checklist.label_edit.setText("Welcome them in")
        elif key == "checklistBuiltin":
            # Shown for a renamed built-in step: rename one first (the Save button's job).
            _select_row(w.checklist.table, 0)
            w.checklist.label_edit.setText("Say hello")
            w.checklist.save_button.click()
            self.state["step"] = w.checklist.selected()
        elif key == "settingsDefaultFolder":
            w.store_settings.backup_folder.setText(str(self.tmp / "somewhere"))
        elif key == "settingsSave":
            w.store_settings.store_name.setText("Köşe Dükkan")
        elif key in ("StaffAdminView:Edit…", "StaffAdminView:Set PIN…"):
            _select_row(w.staff.table, 1)
            self.state["member"] = w.staff.selected()
        elif key in ("printReport",):
            w.dashboard.from_date.setDate(to_qdate(_first_day()))
            w.dashboard.to_date.setDate(to_qdate(_first_day() + timedelta(days=2)))

    # checks ---------------------------------------------------------------------------------
    def check(self, key: str) -> None:
        if key.startswith(QT_PARTS):
            return
        checks = self.checks()
        assert key in checks, f"the button {key!r} has no promise in this test: add one"
        checks[key]()

    def checks(self) -> dict:
        w, db = self.w, self.db
        return {
            "printReport": self._pdf,
            "VisitLogView:Export CSV…": lambda: self._file("visits.csv", b""),
            "VisitLogView:Export XLSX…": lambda: self._file("visits.xlsx", b"PK"),
            "VisitLogView:Had a complaint": lambda: self._filter("complaint"),
            "VisitLogView:Steps skipped": lambda: self._filter("steps_skipped"),
            "VisitLogView:Waited over 3 min": lambda: self._filter("wait_over"),
            "VisitLogView:Service over 10 min": lambda: self._filter("service_over"),
            "StaffAdminView:Add…": self._staff_added,
            "StaffAdminView:Edit…": self._staff_edited,
            "StaffAdminView:Set PIN…": self._pin_set,
            "checklistUp": lambda: self._step_moved(-1),
            "checklistDown": lambda: self._step_moved(1),
            "checklistHide": self._step_hidden,
            "checklistNew": self._new_step_form,
            "checklistSave": self._step_renamed,
            "checklistBuiltin": self._step_builtin_again,
            "outcomeUp": lambda: self._outcome_moved(-1),
            "outcomeDown": lambda: self._outcome_moved(1),
            "outcomeRemove": self._outcome_removed,
            "outcomeAdd": lambda: self._assert("Ordered in" in " ".join(configured_outcomes(db))),
            "reasonUp": lambda: self._reason_moved(-1),
            "reasonDown": lambda: self._reason_moved(1),
            "reasonRemove": lambda: self._assert(self.state["reason"] not in self._reasons()),
            "reasonReset": lambda: self._assert(self._reasons() == list(REASON_LABELS)),
            "reasonAdd": lambda: self._assert(self._reasons()[-1] == "The price was wrong"),
            "settingsChooseFolder": lambda: self._assert(
                w.store_settings.backup_folder.text() == str(self.tmp / "usb")
            ),
            "settingsDefaultFolder": lambda: self._assert(
                w.store_settings.backup_folder.text() == ""
            ),
            "settingsSave": lambda: self._assert(
                load_settings(db).store_name == "Köşe Dükkan" and "Köşe Dükkan" in w.windowTitle()
            ),
        }

    @staticmethod
    def _assert(ok: bool) -> None:
        assert ok

    def _pdf(self) -> None:
        path = self.tmp / "out" / "report.pdf"
        assert path.read_bytes().startswith(b"%PDF")
        assert str(path) in self.w.statusBar().currentMessage()

    def _file(self, name: str, magic: bytes) -> None:
        path = self.tmp / "out" / name
        assert path.exists() and path.stat().st_size > 0
        assert path.read_bytes().startswith(magic)

    def _filter(self, field: str) -> None:
        log = self.w.log
        assert getattr(log.current_filter(), field)
        assert log.model.total < 5  # the fixture's five visits, narrowed

    def _staff_dialog(self, title_start: str) -> QDialog:
        (dialog,) = _open_dialogs()
        assert dialog.windowTitle().startswith(title_start)
        return dialog

    def _staff_added(self) -> None:
        dialog = self._staff_dialog("Add staff member")
        _dialog_button(dialog, QDialogButtonBox.AcceptRole).click()  # empty: refused
        assert dialog.isVisible() and dialog.errors.text()
        dialog.name.setText("Lena")
        dialog.pin.setText("4826")
        _dialog_button(dialog, QDialogButtonBox.AcceptRole).click()
        assert not dialog.isVisible()
        names = [self.w.staff.model.item(r).name for r in range(self.w.staff.model.rowCount())]
        assert "Lena" in names

    def _staff_edited(self) -> None:
        member = self.state["member"]
        dialog = self._staff_dialog("Edit staff member")
        assert dialog.name.text() == member.name
        dialog.name.setText(member.name + " K.")
        _dialog_button(dialog, QDialogButtonBox.AcceptRole).click()
        assert not dialog.isVisible()
        row = self.db.execute("SELECT name FROM staff WHERE id = ?", [member.id]).fetchone()
        assert row[0] == member.name + " K."

    def _pin_set(self) -> None:
        member = self.state["member"]
        before = self.db.execute("SELECT pin_hash FROM staff WHERE id = ?", [member.id]).fetchone()
        dialog = self._staff_dialog("New PIN for")
        dialog.findChild(QLineEdit).setText("8642")
        _dialog_button(dialog, QDialogButtonBox.AcceptRole).click()
        assert not dialog.isVisible()
        after = self.db.execute("SELECT pin_hash FROM staff WHERE id = ?", [member.id]).fetchone()
        assert after != before

    def _keys(self) -> list[str]:
        return [s.key for s in load_checklist(self.db, "en")]

    def _step_moved(self, offset: int) -> None:
        before = [s.key for s in self.state["steps"]]
        key = self.state["step"].key
        assert self._keys().index(key) == before.index(key) + offset

    def _step_hidden(self) -> None:
        step = self.state["step"]
        now = {s.key: s for s in load_checklist(self.db, "en")}[step.key]
        assert now.hidden != step.hidden

    def _new_step_form(self) -> None:
        editor = self.w.checklist
        assert editor.selected() is None and editor.label_edit.text() == ""
        assert editor.save_button.text() == "&Add step"

    def _step_renamed(self) -> None:
        key = self.state["step"].key
        assert {s.key: s for s in load_checklist(self.db, "en")}[key].label == "Welcome them in"

    def _step_builtin_again(self) -> None:
        step = {s.key: s for s in load_checklist(self.db, "en")}[self.state["step"].key]
        assert step.translatable  # the built-in text is back

    def _outcome_moved(self, offset: int) -> None:
        before, key = self.state["outcomes"], self.state["outcome"]
        assert configured_outcomes(self.db).index(key) == before.index(key) + offset

    def _reasons(self) -> list[str]:
        return configured_reasons(self.db, self.w.reasons.chosen_language())

    def _reason_moved(self, offset: int) -> None:
        before, key = self.state["reasons"], self.state["reason"]
        assert self._reasons().index(key) == before.index(key) + offset

    def _outcome_removed(self) -> None:
        assert self.state["outcome"] not in configured_outcomes(self.db)


def _first_day():
    from tests.ui.test_manager_view import FIRST_DAY

    return FIRST_DAY


@pytest.fixture
def utc_ui(ui_language, monkeypatch):
    monkeypatch.setattr(ui_i18n, "_current", Translator("en", tz=UTC))
    return ui_language


def test_every_button_and_action_of_the_manager_window(qtbot, db, utc_ui, answers, tmp_path):
    store = build_store(db)
    runner = StrictRunner(db)
    window = ManagerWindow(
        runner,
        store.manager,
        load_settings(db),
        utc_ui,
        clock=lambda: NOW,
        db_path=tmp_path / "counter.db",
    )
    qtbot.addWidget(window)
    window.show()
    window.log.from_date.setDate(to_qdate(_first_day()))
    window.log.to_date.setDate(to_qdate(_first_day() + timedelta(days=2)))
    promises = Promises(window, db, tmp_path, answers)
    clicked: list[str] = []

    with qtbot.captureExceptions() as exceptions:
        for index, tab in enumerate(TABS):
            window.show_tab(tab)
            page = window.tabs.widget(index)
            seen: set[str] = set()
            while True:  # buttons may appear (a renamed step's "back to built-in")
                waiting = [
                    b
                    for b in page.findChildren(QAbstractButton)
                    if b.window() is window and _key(b) not in seen  # not a dialog's
                ]
                if not waiting:
                    break
                button = waiting[0]
                key = _key(button)
                seen.add(key)
                promises.prepare(key)
                if not (button.isVisibleTo(window) and button.isEnabled()):
                    assert key.startswith(QT_PARTS), f"{tab}: {key} could not be clicked"
                    continue
                if tab == "log" and key.startswith("VisitLogView:") and "over" in key:
                    window.log.complaint.setChecked(False)
                    window.log.skipped.setChecked(False)
                button.click()
                clicked.append(key)
                assert not exceptions, f"{tab}: {key}: {exceptions}"
                promises.check(key)
                for dialog in _open_dialogs():
                    dialog.reject()
            for action in page.findChildren(QAction):
                action.trigger()
                clicked.append(f"{tab}: action {action.objectName() or action.text()}")
            if tab == "log":  # a row opens its visit (Enter or a double click: activated)
                log = window.log
                with qtbot.waitSignal(log.timeline_opened) as opened:
                    log.table.activated.emit(log.model.index(0, 0))
                dialog = opened.args[0]
                assert dialog.isVisible() and dialog.windowTitle().startswith("Visit of")
                _dialog_button(dialog, QDialogButtonBox.RejectRole).click()  # Close
                assert not dialog.isVisible()
                clicked.append("log: a visit opened and closed")
        # The window's own actions last: Close (Ctrl+W) closes it.
        for action in window.findChildren(QAction, options=_direct()):
            action.trigger()
            clicked.append(f"action {action.objectName() or action.text()}")
        assert not window.isVisible()

    assert not exceptions, exceptions
    assert not runner.unexpected, runner.unexpected
    assert not [b for b in answers["boxes"] if "went wrong" in b[1]], answers["boxes"]
    assert set(promises.checks()) <= set(clicked)  # every promise was tried


def _direct():
    from PySide6.QtCore import Qt

    return Qt.FindDirectChildrenOnly


# the counter window's buttons and actions whose slot once took the signal's argument ---------
@pytest.fixture
def counter_window(qtbot, runner, db, ui_language, now):
    from ui.main_window import MainWindow

    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(main)
    main.show()
    return main


def test_mark_done_button_asks_what_happened(counter_window, db, now, answers, qtbot):
    from counter.customers import CustomerInput, create_customer
    from counter.follow_ups import create_follow_up
    from counter.roles import Session
    from counter.storage import staff_sql

    staff = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    counter_window.signed_in.set(Session(staff, "Zeynep", "staff", now))
    customer = create_customer(db, CustomerInput("Ayşe", "Kaya"), now=now, phone_region="TR")
    create_follow_up(
        db,
        customer_id=customer.id,
        description="call back",
        due_at=now + 3600,
        owner_id=staff,
        created_by=staff,
        now=now,
        tz=UTC,
    )
    listing = counter_window.visit_actions.show_follow_ups()
    listing.view.selectRow(0)
    with qtbot.captureExceptions() as exceptions:
        listing.close_button.click()
    assert not exceptions
    # clicked(bool) once arrived as the note: closed at once with the note False, never asked.
    note = db.execute("SELECT close_note FROM follow_ups").fetchone()[0]
    assert note == "noted by the test"


def test_find_action_selects_what_was_typed(counter_window, qtbot):
    box = counter_window.search.box
    box.setText("sukru")
    box.deselect()
    with qtbot.captureExceptions() as exceptions:
        counter_window.find_action.trigger()
    assert not exceptions
    assert box.selectedText() == "sukru"  # triggered(False) once meant "don't select"
