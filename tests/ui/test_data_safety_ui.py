"""Backups, restore, start-up problems, read-only mode and the idle lock, through the real
widgets."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from counter.auth import set_up_store
from counter.backup import list_backups, make_backup
from counter.customers import CustomerInput, create_customer
from counter.integrity import Health, Trouble, Way, problem
from counter.settings import load_settings
from counter.storage import open_database
from counter.storage.backup_sql import dump
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow
from ui.restore_dialog import RestoreDialog
from ui.startup_check import resolve_startup
from ui.startup_dialog import StartupDialog


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """Message boxes answer at once and are remembered, instead of waiting for a click."""
    shown = []

    def box(answer):
        def show(_parent, title, text, *args, **kwargs):
            shown.append((title, text))
            return answer

        return show

    monkeypatch.setattr(QMessageBox, "information", box(QMessageBox.Ok))
    monkeypatch.setattr(QMessageBox, "warning", box(QMessageBox.Yes))
    return shown


@pytest.fixture
def people(db, now):
    for given in ("Şükrü", "Ayşe", "Győző"):
        create_customer(db, CustomerInput(given, "Test"), now=now, phone_region="TR")


def make_window(qtbot, runner, db, ui_language, now, **kwargs):
    clock = {"now": now}
    window = MainWindow(
        runner, load_settings(db), ui_language, clock=lambda: clock["now"], **kwargs
    )
    window.clock_value = clock
    qtbot.addWidget(window)
    window.show()
    return window


# restore -----------------------------------------------------------------------------------
def test_the_restore_dialog_previews_and_restores(qtbot, runner, db, now, people, tmp_path):
    folder = tmp_path / "backups"
    make_backup(db, folder, now=now - 86400, kind="daily")
    before = dump(db.conn)
    make_backup(db, folder, now=now)
    create_customer(db, CustomerInput("Late", "Comer"), now=now, phone_region="TR")

    dialog = RestoreDialog(runner, folder, clock=lambda: now + 60)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 2
    assert dialog.customers_value.text() == "3"  # the newest is chosen and previewed
    assert dialog.restore_button.isEnabled()
    with qtbot.waitSignal(dialog.restored) as blocker:
        dialog.restore_button.click()
    assert blocker.args[0].safety_copy.kind == "before-restore"
    assert [line for line in dump(db.conn) if "restore_backup" not in line] == before
    assert len(list_backups(folder)) == 3


def test_a_file_that_is_no_backup_cannot_be_restored(qtbot, runner, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    dialog = RestoreDialog(runner, tmp_path / "empty", clock=lambda: 0)
    qtbot.addWidget(dialog)
    assert dialog.empty.isVisibleTo(dialog)
    dialog.preview_file(junk)
    assert dialog.problem.text() == "This file is not a Counter backup."
    assert not dialog.restore_button.isEnabled()


def test_back_up_now_from_the_file_menu(qtbot, runner, db, ui_language, now, tmp_path):
    window = make_window(qtbot, runner, db, ui_language, now, db_path=tmp_path / "counter.db")
    assert window.data_actions.backup_action in window.file_menu.actions()
    window.data_actions.backup_action.trigger()
    (made,) = list_backups(tmp_path / "backups")
    assert str(made.path) in window.statusBar().currentMessage()


# start-up ----------------------------------------------------------------------------------
@pytest.mark.parametrize("trouble", list(Trouble))
def test_the_startup_dialog_offers_the_ways_forward(qtbot, trouble, tmp_path, ui_language):
    p = problem(trouble, tmp_path / "counter.db", "SQLite said: no")
    dialog = StartupDialog(p, [], tmp_path / "backups")
    qtbot.addWidget(dialog)
    assert dialog.title.text()
    assert str(tmp_path) in dialog.message.text()
    assert list(dialog.way_buttons) == list(p.ways)
    if Way.RESTORE in p.ways:
        assert not dialog.way_buttons[Way.RESTORE].isEnabled()  # no backups to restore
        assert dialog.no_backups.isVisibleTo(dialog)
    dialog.way_buttons[Way.QUIT].click()
    assert dialog.choice is Way.QUIT


def test_read_only_is_chosen_with_a_click(qtbot, tmp_path, ui_language):
    dialog = StartupDialog(problem(Trouble.NEWER_VERSION, tmp_path / "c.db"), [], tmp_path)
    qtbot.addWidget(dialog)
    dialog.way_buttons[Way.READ_ONLY].click()
    assert dialog.choice is Way.READ_ONLY


def test_start_up_restores_a_damaged_file_from_a_backup(tmp_path, db, now, people, qapp):
    path = tmp_path / "counter.db"
    made = make_backup(db, tmp_path / "backups", now=now)
    path.write_bytes(b"this is not a database" * 100)
    asked, told = [], []

    def ask(p, at):
        asked.append(p.trouble)
        return Way.RESTORE, made.path

    decision = resolve_startup(path, ask=ask, tell=told.append, clock=lambda: now)
    assert asked == [Trouble.NOT_A_DATABASE]
    assert decision is not None and decision.path == path and not decision.read_only
    restored = open_database(path)
    assert restored.execute("SELECT count(*) FROM customers").fetchone()[0] == 3
    restored.close()
    assert "kept as" in told[0]
    assert any(p.name.startswith("counter.db.damaged-") for p in tmp_path.iterdir())


def test_start_up_ways(tmp_path, qapp):
    results = iter(
        [
            Health(tmp_path / "a.db", problem(Trouble.DISK_FULL, tmp_path / "a.db")),
            Health(tmp_path / "a.db", problem(Trouble.DISK_FULL, tmp_path / "a.db")),
            Health(tmp_path / "b.db"),
        ]
    )
    answers = iter([(Way.RETRY, None), (Way.OPEN_OTHER, tmp_path / "b.db")])
    checked = []

    def check(path, full_check):
        checked.append(path.name)
        return next(results)

    decision = resolve_startup(tmp_path / "a.db", check=check, ask=lambda p, at: next(answers))
    assert checked == ["a.db", "a.db", "b.db"] and decision.path == tmp_path / "b.db"
    quit_now = resolve_startup(
        tmp_path / "a.db",
        check=lambda path, full_check: Health(path, problem(Trouble.CORRUPT, path)),
        ask=lambda p, at: (Way.QUIT, None),
    )
    assert quit_now is None
    read_only = resolve_startup(
        tmp_path / "a.db",
        check=lambda path, full_check: Health(path, problem(Trouble.READ_ONLY, path)),
        ask=lambda p, at: (Way.READ_ONLY, None),
    )
    assert read_only.read_only


# read-only mode ----------------------------------------------------------------------------
def test_read_only_mode_shows_a_banner_and_refuses_changes(
    qtbot, runner, db, ui_language, now, no_modal_boxes
):
    window = make_window(qtbot, runner, db, ui_language, now, read_only=True)
    assert window.data_actions.banner.isVisible()
    assert "Read-only" in window.data_actions.banner_label.text()
    assert window.new_customer() is None
    assert no_modal_boxes[-1][0] == "Read-only mode"
    assert not window.data_actions.import_action.isEnabled()
    assert not window.data_actions.restore_action.isEnabled()
    assert window.data_actions.import_customers() is None


def test_a_write_refused_by_sqlite_reads_as_a_message(qtbot, runner, db, ui_language, now):
    window = make_window(qtbot, runner, db, ui_language, now)
    window._task_failed(sqlite3.OperationalError("attempt to write a readonly database"))
    assert "read-only" in window.statusBar().currentMessage()
    window._task_failed(sqlite3.OperationalError("database or disk is full"))
    assert "disk is full" in window.statusBar().currentMessage()


# privacy -----------------------------------------------------------------------------------
def test_erase_from_the_customer_menu(qtbot, runner, db, ui_language, now, no_modal_boxes):
    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    customer = create_customer(db, CustomerInput("Ayşe", "Yılmaz"), now=now, phone_region="TR")
    window = make_window(qtbot, runner, db, ui_language, now)
    window.session_actions.set_session(manager)
    window.open_customer(customer.id)
    window.data_actions.erase_action.trigger()
    assert no_modal_boxes[-1][0] == "Erase Ayşe Yılmaz?"
    assert "was erased" in window.statusBar().currentMessage()
    row = db.execute("SELECT given_name, erased_at FROM customers").fetchone()
    assert tuple(row) == ("", now)
    assert window.current_customer() is None


def test_customer_data_export(qtbot, runner, db, ui_language, now, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    customer = create_customer(db, CustomerInput("Ayşe", "Yılmaz"), now=now, phone_region="TR")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    window = make_window(qtbot, runner, db, ui_language, now)
    window.session_actions.set_session(manager)
    window.open_customer(customer.id)
    window.data_actions.customer_data_action.trigger()
    assert "Ayşe" in (tmp_path / f"customer-{customer.id}.json").read_text(encoding="utf-8")
    assert (tmp_path / f"customer-{customer.id}.csv").exists()


# idle lock ---------------------------------------------------------------------------------
def test_the_idle_lock_hides_the_counter_until_a_pin(qtbot, runner, db, ui_language, now):
    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    window = make_window(qtbot, runner, db, ui_language, now)
    lock = window.idle_lock
    assert lock.watcher.minutes == 5
    qtbot.waitUntil(lambda: lock.watcher.running)  # from once the window has been painted
    window.clock_value["now"] = now + 4 * 60
    assert not lock.watcher.check() and not lock.locked
    type_text(window.search.box, "a")  # input resets the idle time
    window.clock_value["now"] = now + 8 * 60
    assert not lock.watcher.check()
    window.clock_value["now"] = now + 14 * 60
    assert lock.watcher.check()
    assert lock.locked and not window.menuBar().isEnabled()
    overlay = lock.overlay
    assert overlay.geometry() == window.centralWidget().geometry()
    assert overlay.parentWidget() is window  # over the splitter, not a pane in it
    assert overlay.staff.currentData() == manager.staff_id

    type_text(overlay.pin, "1111")
    press(overlay.pin, Qt.Key_Return)
    assert lock.locked and "Wrong PIN" in overlay.error.text()

    with qtbot.waitSignal(overlay.unlocked):
        type_text(overlay.pin, "2468")
        press(overlay.pin, Qt.Key_Return)
    assert not lock.locked and window.menuBar().isEnabled()
    assert window.session.staff_id == manager.staff_id
    assert not lock.watcher.check()  # the clock starts again from the unlock


def test_with_nobody_set_up_the_lock_is_a_privacy_screen(qtbot, runner, db, ui_language, now):
    window = make_window(qtbot, runner, db, ui_language, now)
    window.idle_lock.lock()
    assert window.idle_lock.locked and not window.idle_lock.overlay.pin.isVisibleTo(window)
    window.idle_lock.overlay.button.click()
    assert not window.idle_lock.locked


def test_idle_lock_can_be_switched_off(qtbot, runner, db, ui_language, now):
    db.execute("INSERT INTO settings (key, value) VALUES ('idle_lock_minutes', '0')")
    window = make_window(qtbot, runner, db, ui_language, now)
    window.clock_value["now"] = now + 10 * 86400
    assert not window.idle_lock.watcher.check()


# the deferred integrity check ---------------------------------------------------------------
def test_deferred_check_runs_beside_the_database_worker(
    qtbot, runner, db, ui_language, now, tmp_path, no_modal_boxes
):
    """The check reads the whole file; on its own thread it never holds up a search."""
    path = tmp_path / "big.db"
    path.write_bytes(b"this is not a database at all" * 200)
    window = make_window(qtbot, runner, db, ui_language, now)
    calls = []
    runner.run = lambda *args, **kwargs: calls.append(args)  # the worker must stay free
    with qtbot.waitSignal(window.data_actions.integrity_checked, timeout=10_000):
        window.data_actions.check_integrity_later(path)
    qtbot.waitUntil(lambda: bool(no_modal_boxes))
    assert calls == []
    assert no_modal_boxes[0][1]  # a message about the damaged file was shown


def test_deferred_check_of_a_sound_file_says_nothing(
    qtbot, runner, db, ui_language, now, tmp_path, no_modal_boxes
):
    from counter.storage import open_database

    path = tmp_path / "sound.db"
    open_database(path).close()
    window = make_window(qtbot, runner, db, ui_language, now)
    with qtbot.waitSignal(window.data_actions.integrity_checked, timeout=10_000):
        window.data_actions.check_integrity_later(path)
    assert no_modal_boxes == []


# the daily backup on start ------------------------------------------------------------------
def test_quitting_stops_a_daily_backup_mid_copy(qtbot, runner, db, ui_language, now, tmp_path):
    """A backup still copying when the app quits is cancelled (it then removes its half-written
    file) instead of dying with the process and leaving the file behind."""
    import threading

    from counter import backup
    from counter.storage import open_database as open_file

    source = tmp_path / "store.db"
    store = open_file(source)
    store.execute("CREATE TABLE filler (blob BLOB)")
    store.conn.executemany("INSERT INTO filler VALUES (?)", [(b"x" * 4000,) for _ in range(3000)])
    store.close()
    window = make_window(qtbot, runner, db, ui_language, now, db_path=source)
    copying = threading.Event()
    real = backup.run_daily_backup

    def slow(db, folder, *, now, progress):
        def pages(done, total):
            copying.set()
            threading.Event().wait(0.01)  # a big file on a slow disk
            return progress(done, total)

        return real(db, folder, now=now, progress=pages)

    reported = []
    window.data_actions.daily_backup_done.connect(reported.append)
    thread = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backup, "run_daily_backup", slow)
        thread = window.data_actions.start_daily_backup(lambda: open_file(source))
        assert copying.wait(10)
        window.data_actions.stop_daily_backup()
    assert not thread.is_alive()
    folder = window.data_actions.folder()
    assert list(folder.iterdir()) == [] and reported == []


def test_restore_lists_only_this_databases_backups(qtbot, runner, db, ui_language, now, tmp_path):
    from counter.backup import database_tag
    from counter.storage.backup_sql import backup_name

    folder = tmp_path / "backups"
    folder.mkdir()
    here, other = tmp_path / "counter.db", tmp_path / "other.db"
    names = {
        "mine": backup_name(now - 60, "daily", database_tag(here)),
        "theirs": backup_name(now - 30, "daily", database_tag(other)),
        "old": backup_name(now - 90, "manual"),
    }
    for name in names.values():
        make_backup(db, tmp_path, now=now).path.rename(folder / name)
    manager = set_up_store(
        db, store_name="Köşe", store_language="tr", manager_name="Mia", pin="2468", now=now
    )
    window = make_window(qtbot, runner, db, ui_language, now, db_path=here)
    window.session_actions.set_session(manager)
    window.data_actions.restore_action.trigger()
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None
    shown = {dialog.model.item(row).path.name for row in range(dialog.model.rowCount())}
    assert shown == {names["mine"], names["old"]}
    dialog.reject()
