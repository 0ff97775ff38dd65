"""Manage ▸ Store setup ▸ Hub and the background sync, as a person uses them, on the real
throw-away PostgreSQL: the fields filled in, the real buttons clicked, two counter windows on
two SQLite files joined to one hub. Waits are for a condition (qtbot.waitUntil), never a
fixed sleep: the sync thread is woken by the hub's NOTIFY."""

from __future__ import annotations

import os
import stat
import time

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter import sync
from counter.customers import CustomerInput, create_customer
from counter.hub import schema
from counter.hub.connection import PasswordStore, connect
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_database, staff_sql
from counter.visits import check_in
from tests.ui.conftest import own_settings, ui_language  # noqa: F401
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.sync_status import HubSync, SyncState, SyncStatusLabel
from ui.tasks import TaskRunner

PASSWORD = "Tr0ub4dor-&-3-hub"
WAIT_MS = 15000


@pytest.fixture
def store_login(hub, role_name):
    """A store's hub login with a password (as `counter hub init --role` makes it)."""
    role = role_name("store")
    with connect(hub) as conn:
        schema.create_counter_login(conn, role, PASSWORD)
    return role


@pytest.fixture
def counters(qtbot, qapp, tmp_path, pg_cluster):
    """counters.open("a") -> a shown MainWindow on its own SQLite file, with a manager signed
    in and its background sync attached (passwords in a user-only file under tmp_path)."""
    opened = []
    language = UiLanguage()  # the windows' own: nothing switches it after they are gone
    language.set_language("en")

    class Counters:
        passwords = PasswordStore(tmp_path / "config", use_keyring=False)

        def open(self, name: str, *, customers: tuple[str, ...] = ()) -> MainWindow:
            path = tmp_path / f"{name}.db"
            db = open_database(path)
            now = int(time.time())
            staff = staff_sql.insert_staff(db, f"Manager {name}", "manager", "not-a-pin", now - 100)
            ids = [
                create_customer(
                    db, CustomerInput(given, "Yılmaz"), now=now - 50, phone_region="TR"
                ).id
                for given in customers
            ]
            settings = load_settings(db)
            db.close()
            runner = TaskRunner(lambda: open_database(path, migrate=False))
            window = MainWindow(runner, settings, language, db_path=path)
            window.customer_ids = ids
            window.signed_in.set(Session(staff, f"Manager {name}", "manager", now))
            qtbot.addWidget(window)
            hub_sync = HubSync(
                lambda: open_database(path, migrate=False), self.passwords, every_s=2.0
            )
            window.attach_hub_sync(hub_sync)
            window.show()
            qtbot.waitExposed(window)
            opened.append((window, runner, hub_sync))
            return window

    yield Counters()
    for window, runner, hub_sync in opened:
        window.queue.poll_timer.stop()
        hub_sync.shutdown()
        runner.shutdown()


def hub_tab(window):
    window.session_actions.tab_actions["setup"].trigger()
    manager = window.session_actions.manager_window
    assert manager is not None
    manager.show_tab("hub")
    assert manager.setup_tabs.currentWidget() is manager.hub
    return manager.hub


def fill(view, pg_cluster, dbname, user, password, store="Main street"):
    view.host.setText("127.0.0.1")
    view.port.setText(str(pg_cluster.port))
    view.dbname.setText(dbname)
    view.user.setText(user)
    view.password.setText(password)
    view.tls.setCurrentIndex(view.tls.findData("disable"))  # the test cluster has no TLS
    view.store.setText(store)


def click(qtbot, button):
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.LeftButton)


def join_by_hand(qtbot, window, pg_cluster, hub_db, login):
    view = hub_tab(window)
    qtbot.waitUntil(lambda: view.join_button.isVisible())
    fill(view, pg_cluster, hub_db, login, PASSWORD)
    click(qtbot, view.join_button)
    qtbot.waitUntil(lambda: view.message.text().startswith("Joined."), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: view.state_box.isVisible())
    return view


def file_bytes(path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            data += part.read_bytes()
    return data


def test_fill_the_hub_tab_test_then_join_and_the_password_stays_out_of_the_file(
    qtbot, counters, pg_cluster, hub_db, store_login, tmp_path
):
    window = counters.open("a", customers=("Ayşe",))
    view = hub_tab(window)
    qtbot.waitUntil(lambda: view.join_button.isVisible())
    assert not window.sync_status.isVisible()  # not joined: the status bar says nothing

    # A wrong password: plain words, nothing joined, nothing kept.
    fill(view, pg_cluster, hub_db, store_login, "not-the-password")
    click(qtbot, view.test_button)
    qtbot.waitUntil(lambda: view.errors.isVisible(), timeout=WAIT_MS)
    assert view.errors.text() == "The hub refused the password."
    click(qtbot, view.join_button)
    qtbot.waitUntil(lambda: view.errors.isVisible() and not view.message.text(), timeout=WAIT_MS)
    assert view.errors.text() == "The hub refused the password."
    db = open_database(tmp_path / "a.db", migrate=False)
    assert not sync.status(db).joined
    db.close()
    assert not counters.passwords.file.exists()  # a password the hub refused is not kept

    # A port nobody listens on: "cannot be reached".
    view.password.setText(PASSWORD)
    view.port.setText("1")
    click(qtbot, view.test_button)
    qtbot.waitUntil(lambda: view.errors.isVisible(), timeout=WAIT_MS)
    assert view.errors.text().startswith("The hub cannot be reached.")

    # The right password: the test says so, Join uploads this counter's customer.
    view.port.setText(str(pg_cluster.port))
    click(qtbot, view.test_button)
    qtbot.waitUntil(lambda: view.message.text().startswith("The hub answered"), timeout=WAIT_MS)
    click(qtbot, view.join_button)
    qtbot.waitUntil(lambda: view.message.text().startswith("Joined."), timeout=WAIT_MS)
    assert not view.password.text()  # not left in the form
    qtbot.waitUntil(lambda: view.state_box.isVisible())
    assert "Main street" in view.state.text()
    assert not view.host.isEnabled() and not view.join_button.isVisible()
    qtbot.waitUntil(lambda: window.sync_status.text().startswith("Synced"), timeout=WAIT_MS)

    with connect(pg_cluster.url(hub_db)) as conn:
        held = conn.execute("SELECT count(*) FROM counter.rows WHERE tbl = 'customers'").fetchone()[
            0
        ]
    assert held == 1

    # The password: in the user-only file, never in the SQLite file (or its WAL).
    kept = counters.passwords.file
    assert PASSWORD in kept.read_text()
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert PASSWORD.encode() not in file_bytes(tmp_path / "a.db")
    assert b"not-the-password" not in file_bytes(tmp_path / "a.db")

    # The manager's window closed: the sync goes on, and its news no longer reach the tab.
    window.session_actions.manager_window.close()
    qtbot.waitUntil(lambda: window.session_actions.manager_window is None)
    window.hub_sync.state_changed.emit(SyncState(joined=True, waiting=1))
    assert window.sync_status.isVisible()


def test_a_check_in_at_one_counter_shows_in_the_other_counters_queue(
    qtbot, counters, pg_cluster, hub_db, store_login
):
    a = counters.open("a", customers=("Ayşe",))
    b = counters.open("b")
    b.queue.poll_timer.stop()  # only the sync may bring it: not the same-file poll
    join_by_hand(qtbot, a, pg_cluster, hub_db, store_login)
    join_by_hand(qtbot, b, pg_cluster, hub_db, store_login)
    assert b.queue.model.rowCount() == 0

    customer = a.customer_ids[0]
    a.open_customer(customer)
    qtbot.waitUntil(lambda: a.current_customer() is not None, timeout=WAIT_MS)
    a.activateWindow()
    a.visit_actions.check_in_action.trigger()
    qtbot.waitUntil(lambda: a.queue.model.rowCount() == 1, timeout=WAIT_MS)

    # A's write wakes A's sync; A's upload wakes B through NOTIFY; B's download tells B's
    # change bus, and the queue reads itself again.
    qtbot.waitUntil(lambda: b.queue.model.rowCount() == 1, timeout=WAIT_MS)
    assert "Ayşe" in b.queue.model.index(0, 0).data()
    qtbot.waitUntil(lambda: b.sync_status.text().startswith("Synced"), timeout=WAIT_MS)


def test_joined_a_check_in_by_another_window_on_the_same_file_shows_in_the_queue(
    qtbot, counters, pg_cluster, hub_db, store_login, tmp_path
):
    """Two windows on one file are one counter to the hub: the other window's check-in never
    comes back as a download, so the queue's same-file poll goes on once joined; the sync's
    own bookkeeping (it writes the file every round) no longer reloads the open profile."""
    b = counters.open("b", customers=("Ayşe",))
    join_by_hand(qtbot, b, pg_cluster, hub_db, store_login)
    qtbot.waitUntil(lambda: b.queue.joined, timeout=WAIT_MS)
    reloads: list[int] = []
    b.queue.changed_elsewhere.connect(lambda: reloads.append(1))
    b.hub_sync.sync_now()  # a round of sync writes its cursor and time into the file
    # A poll re-reads the list only when another connection committed since the last one:
    # here the sync's round (the list, unchanged, is shown again).
    with qtbot.waitSignal(b.queue.shown, timeout=WAIT_MS):
        b.queue.poll()
    assert reloads == [] and b.queue.model.rowCount() == 0

    other = open_database(tmp_path / "b.db", migrate=False)  # the other window's connection
    try:
        check_in(other, customer_id=b.customer_ids[0], now=int(time.time()))
    finally:
        other.close()
    qtbot.waitUntil(lambda: b.queue.model.rowCount() == 1, timeout=WAIT_MS)  # the 3 s poll
    assert "Ayşe" in b.queue.model.index(0, 0).data()
    assert reloads == [1]  # the queue moved: the open profile is read again


def test_a_refused_password_says_so_loses_nothing_and_a_new_one_heals_it(
    qtbot, counters, pg_cluster, hub_db, store_login, tmp_path
):
    a = counters.open("a", customers=("Ayşe",))
    view = join_by_hand(qtbot, a, pg_cluster, hub_db, store_login)
    qtbot.waitUntil(lambda: a.sync_status.text().startswith("Synced"), timeout=WAIT_MS)

    with connect(pg_cluster.url(hub_db)) as conn:  # the hub's password is changed
        conn.execute(f"ALTER ROLE \"{store_login}\" PASSWORD 'a-new-one-42'")
        conn.execute(  # and drops the sessions that logged in with the old one
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
            [store_login],
        )
    a.open_customer(a.customer_ids[0])
    qtbot.waitUntil(lambda: a.current_customer() is not None, timeout=WAIT_MS)
    a.visit_actions.check_in_action.trigger()
    qtbot.waitUntil(lambda: a.sync_status.text() == "The hub refused the password", timeout=WAIT_MS)
    assert a.sync_status.isVisible()
    qtbot.waitUntil(lambda: a.hub_sync.state.waiting > 0, timeout=WAIT_MS)
    db = open_database(tmp_path / "a.db", migrate=False)
    assert db.execute("SELECT count(*) FROM visits").fetchone()[0] == 1  # kept here
    db.close()
    assert "The hub refused the password." in view.state.text()

    view.password.setText("a-new-one-42")
    click(qtbot, view.password_button)
    qtbot.waitUntil(lambda: view.message.text().startswith("The password is kept"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: a.sync_status.text().startswith("Synced"), timeout=WAIT_MS)
    assert a.hub_sync.state.waiting == 0
    assert b"a-new-one-42" not in file_bytes(tmp_path / "a.db")


def test_the_status_bar_words(qtbot, ui_language):  # noqa: F811
    class Fake:
        clock = staticmethod(lambda: 1000)
        state = SyncState()

        class _Sig:
            def connect(self, _slot):
                pass

        state_changed = _Sig()

    from PySide6.QtWidgets import QMainWindow

    main = QMainWindow()
    qtbot.addWidget(main)
    label = SyncStatusLabel(Fake(), ui_language, main.statusBar())
    base = SyncState(joined=True, hub="store@backoffice:5432/counter", store="Main")
    words = {
        "synced": SyncState(**{**base.__dict__, "last_sync_at": 992}),
        "minutes": SyncState(**{**base.__dict__, "last_sync_at": 1000 - 125}),
        "syncing": SyncState(**{**base.__dict__, "syncing": True, "last_sync_at": 990}),
        "offline": SyncState(**{**base.__dict__, "problem": "unreachable", "waiting": 12}),
        "password": SyncState(**{**base.__dict__, "problem": "password", "waiting": 1}),
    }
    assert label.text_for(words["synced"]) == "Synced 8 s ago"
    assert label.text_for(words["minutes"]) == "Synced 2 min ago"
    assert label.text_for(words["syncing"]) == "Syncing…"
    assert label.text_for(words["offline"]) == "Offline — 12 changes waiting, nothing is lost"
    assert label.text_for(words["password"]) == "The hub refused the password"
    label.show_state(words["offline"])
    assert label.isVisibleTo(main) and "Nothing is lost" in label.toolTip()
    label.show_state(SyncState())
    assert not label.isVisibleTo(main)
    ui_language.set_language("tr")
    label.show_state(words["offline"])
    assert "12" in label.text()
    assert label.text() != "Offline — 12 changes waiting, nothing is lost"
    QApplication.processEvents()


def test_a_search_answers_while_this_counters_sync_thread_downloads(
    qtbot, counters, pg_cluster, hub_db, store_login
):
    """The first download runs on the sync thread with its own connection: the counter
    screen's database worker keeps answering searches meanwhile (measured, not assumed)."""
    from counter.search import find_customers

    a = counters.open("a", customers=tuple(f"Emre{i}" for i in range(1500)))
    join_by_hand(qtbot, a, pg_cluster, hub_db, store_login)
    b = counters.open("b", customers=("Zeynep",))
    view = hub_tab(b)
    qtbot.waitUntil(lambda: view.join_button.isVisible())
    fill(view, pg_cluster, hub_db, store_login, PASSWORD)
    click(qtbot, view.join_button)
    latencies, during = [], 0
    while not view.message.text().startswith("Joined."):
        answered: list = []
        started = time.monotonic()
        b.runner.run(lambda db: find_customers(db, "zeynep"), answered.append)
        qtbot.waitUntil(lambda answered=answered: bool(answered), timeout=WAIT_MS)
        latencies.append(time.monotonic() - started)
        during += not view.message.text().startswith("Joined.")
        assert [hit.id for hit in answered[0]]  # the answer is right, too
    print(f"{during} searches during the join, slowest {max(latencies) * 1000:.0f} ms")
    assert during >= 1  # at least one search ran while the download did
    assert max(latencies) < 0.5, latencies
    qtbot.waitUntil(lambda: b.hub_sync.state.last_sync_at is not None, timeout=WAIT_MS)


def test_cancel_during_join_loses_nothing_and_the_background_sync_finishes(
    qtbot, counters, pg_cluster, hub_db, store_login
):
    a = counters.open("a", customers=("Ayşe", "Emre"))
    view = hub_tab(a)
    qtbot.waitUntil(lambda: view.join_button.isVisible())
    fill(view, pg_cluster, hub_db, store_login, PASSWORD)
    click(qtbot, view.join_button)
    dialog = view.progress_dialog
    assert dialog is not None
    dialog.canceled.emit()  # the Cancel button's signal: asked before the first batch goes up
    qtbot.waitUntil(lambda: view.message.text().startswith("Stopped."), timeout=WAIT_MS)
    assert "Nothing is lost" in view.message.text()
    qtbot.waitUntil(lambda: view.state_box.isVisible(), timeout=WAIT_MS)

    def on_hub() -> int:
        with connect(pg_cluster.url(hub_db)) as conn:
            return conn.execute(
                "SELECT count(*) FROM counter.rows WHERE tbl = 'customers'"
            ).fetchone()[0]

    # The rest goes up in the background: both customers reach the hub.
    qtbot.waitUntil(lambda: on_hub() == 2, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: a.sync_status.text().startswith("Synced"), timeout=WAIT_MS)
