"""Screenshot every dialog and window of the app in every UI language, to look at: clipped
labels, columns too narrow for their text, buttons on top of each other.

Uses the demo data plus a customer with a long name and e-mail, a fixed clock and a throwaway
settings folder. Runs offscreen by default; at a real X display (``DISPLAY=:N
QT_QPA_PLATFORM=xcb``) the fonts and the window manager are the real ones. Usage:
    python scripts/dialog_screenshots.py [--out build/dialogs] [--ui en tr sk hu hi]
Writes <out>/<language>/<name>.png and prints each path.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTER_SETTINGS_DIR", tempfile.mkdtemp(prefix="counter-shots-"))

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter import follow_ups, visits
from counter.auth import sign_in
from counter.customers import CustomerInput, create_customer
from counter.demo import DEMO_PINS, fill_demo_data
from counter.i18n import available_languages
from counter.integrity import Trouble, problem
from counter.settings import load_settings
from counter.staff import sign_in_list
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # 2026-11-24 09:30 UTC, as in screenshots.py
WINDOW = (1264, 760)  # a 1,280 × 800 laptop, less the window manager's frame
LONG = CustomerInput(
    "Maximiliána Krisztina",
    "Szentgyörgyi-Kovácsné Hajdú",
    language="hu",
    title="ms",
    phone="+36 30 123 4567",
    email="maximiliana.krisztina.szentgyorgyi-kovacsne@verylongdomainname-example.co.hu",
    card="1234567890123456",
    rapport_notes="Training for the Budapest marathon; prefers tea; ask about her new puppy.",
)


def settle(app: QApplication, rounds: int = 5) -> None:
    """Let deferred layout passes run (word-wrapped labels take more than one) before a grab."""
    for _ in range(rounds):
        app.sendPostedEvents()
        app.processEvents()
        QTest.qWait(15)


class Shooter:
    def __init__(self, out: Path, code: str):
        self.app = QApplication.instance() or QApplication(sys.argv)
        self.out = out / code
        self.out.mkdir(parents=True, exist_ok=True)
        self.written: list[Path] = []

    def grab(self, name: str, widget: QWidget) -> None:
        settle(self.app)
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.written.append(path)

    def shoot(self, name: str, widget: QWidget | None, close: bool = True) -> None:
        """Show ``widget`` (a dialog), grab it, close it."""
        if widget is None:
            return
        widget.show()
        self.grab(name, widget)
        if close:
            widget.close()

    def modal(self, name: str, opens: Callable[[], object]) -> None:
        """A dialog that blocks while open (QMessageBox.information, QInputDialog.getText):
        grabbed and closed from a timer once it is up. One that does not block (``open()``)
        is refused: the timer would grab, and close, whatever dialog came up next."""
        timer = QTimer()
        timer.setSingleShot(True)
        grabbed = []

        def grab_and_close() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                timer.start(50)
                return
            self.grab(name, dialog)
            grabbed.append(name)
            dialog.close()

        timer.timeout.connect(grab_and_close)
        timer.start(100)
        opens()
        if not grabbed:
            timer.stop()
            raise RuntimeError(f"{name}: the dialog did not block; shoot() it instead")


def _demo_database():
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    long = create_customer(db, LONG, now=NOW - 90 * 86400, phone_region="HU")
    return db, long.id


def _manager_session(db):
    manager = next(m for m in sign_in_list(db) if m.is_manager)
    return sign_in(db, manager.id, DEMO_PINS["manager"], now=NOW)


def shoot_language(out: Path, code: str) -> list[Path]:
    shots = Shooter(out, code)
    app = shots.app
    db, long_id = _demo_database()
    runner = SyncTaskRunner(db)
    language = UiLanguage(app)
    language.set_language(code)
    session = _manager_session(db)
    clock = [NOW]
    window = MainWindow(runner, load_settings(db), language, clock=lambda: clock[0])
    window.resize(*WINDOW)
    window.session_actions.set_session(session)
    window.show()
    window.profile, window.phrases, window.visit_panel  # noqa: B018 (built now, not when idle)
    settle(app)

    # Signing in and the first start.
    shots.shoot("sign-in", window.session_actions.sign_in())
    shots.shoot("sign-in-manager", _manager_only(window))
    shots.shoot("first-start", window.session_actions.first_start())

    # The counter screen: a long customer, then a visit with the complaint path and the
    # "Not ticked…" warning; then a visit's follow-up.
    window.open_customer(long_id)
    settle(app)
    shots.grab("counter-long-customer", window)
    window.visit_actions.check_in()
    clock[0] += 140
    window.visit_actions.serve_from_queue(visits.list_queue(db)[-1].id)
    panel = window.visit_panel
    panel.need.setText("phone screen cracked, wants it today")
    panel.save_texts()
    panel.complaint.click()
    panel.outcome.setCurrentIndex(3)
    panel.outcome.activated.emit(3)
    panel.end_button.click()
    shots.grab("counter-complaint-warning", window)
    shots.shoot("follow-up", panel.promise_follow_up())
    follow_ups.create_follow_up(
        db,
        customer_id=long_id,
        description="Call back when the replacement screen arrives from the supplier",
        due_at=NOW + 86400,
        owner_id=session.staff_id,
        created_by=session.staff_id,
        now=NOW,
        tz=None,
    )
    shots.shoot("follow-up-list", window.visit_actions.show_follow_ups())
    window.visit_actions.show_open_visits()
    shots.shoot("open-visits", window.visit_actions.open_visits_dialog)
    shots.shoot("customer-new", window.new_customer())
    shots.shoot("customer-edit", window.edit_customer())
    shots.modal("walk-in", lambda: window.visit_actions.check_in_walk_in())
    shots.shoot("shortcuts", window.show_shortcuts())  # opens without blocking
    shots.shoot("phrase-editor", window.edit_phrases(session))
    window.idle_lock.lock()
    shots.grab("idle-lock", window)
    window.idle_lock.overlay.hide()
    window.idle_lock._unlocked(session)

    # The manager's window, every tab, and one visit's timeline; the audit log with entries
    # of several kinds (an export with a filter, a staff member, settings).
    _audit_entries(db, session, code)
    manager = window.session_actions._show_manager(session, "log")
    manager.resize(*WINDOW)
    for key in ("log", "dashboard", "staff", "audit", "checklist", "setup"):
        manager.show_tab(key)
        shots.grab(f"manager-{key}", manager)
    manager.show_tab("log")
    settle(app)
    manager.log.table.selectRow(0)
    shots.shoot("visit-timeline", manager.log.open_visit())
    from ui.manager_view.staff_admin import StaffDialog

    shots.shoot("staff-dialog", StaffDialog(None, manager))
    manager.close()

    # Data safety: start-up trouble, restore, import.
    from ui.import_dialog import ImportDialog
    from ui.restore_dialog import RestoreDialog
    from ui.startup_dialog import StartupDialog

    folder = Path(tempfile.mkdtemp(prefix="counter-shots-backups-"))
    for trouble in (Trouble.CORRUPT, Trouble.NEWER_VERSION):
        name = f"startup-{trouble.name.lower().replace('_', '-')}"
        shots.shoot(name, StartupDialog(problem(trouble, folder / "counter.db"), [], folder))
    shots.shoot("restore", RestoreDialog(runner, folder, clock=lambda: NOW))
    shots.shoot("import", ImportDialog(runner, phone_region="HU", clock=lambda: NOW))
    window.close()
    db.close()
    return shots.written


def _audit_entries(db, session, code: str) -> None:
    from counter.export import export_visits
    from counter.i18n import Translator
    from counter.settings import save_store_settings
    from counter.staff import add_staff, update_staff
    from counter.visit_filter import VisitFilter

    folder = Path(tempfile.mkdtemp(prefix="counter-shots-export-"))
    wanted = VisitFilter(start=NOW - 30 * 86400, end=NOW, complaint=True, wait_over=300)
    export_visits(
        db, session, wanted, folder / "visits.csv", fmt="csv", translator=Translator(code), now=NOW
    )
    member = add_staff(db, session, name="Zsófia Kiss-Nagy", role="staff", pin="2468", now=NOW)
    update_staff(db, session, member.id, name=member.name, role="manager", active=False, now=NOW)
    save_store_settings(db, session, {"wait_amber_minutes": "4", "store_name": "Corner"}, now=NOW)


def _manager_only(window: MainWindow):
    from ui.sign_in import SignInDialog

    return SignInDialog(window.runner, window.clock, managers_only=True, parent=window)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/dialogs"))
    parser.add_argument("--ui", nargs="*", default=None, help="UI languages (default: all)")
    args = parser.parse_args()
    for code in args.ui or ["en", *sorted(c for c in available_languages() if c != "en")]:
        for path in shoot_language(args.out, code):
            print(path)


if __name__ == "__main__":
    main()
