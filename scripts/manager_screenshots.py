"""Regenerate the README screenshots of the manager's window from the demo data: the visit log,
one visit's timeline, the dashboard, the checklist editor, the store setup and the first page of
the printed report.

Offscreen, on an in-memory demo database with a fixed seed and clock (like screenshots.py).
Needs ``pdftoppm`` (poppler-utils) for the report page. Usage:
    python scripts/manager_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import UTC
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Remembered window sizes (ui/window_state.py): a throwaway folder, not the user's own.
os.environ.setdefault("COUNTER_SETTINGS_DIR", tempfile.mkdtemp(prefix="counter-shots-"))

from PySide6.QtWidgets import QApplication

from counter.auth import sign_in
from counter.demo import DEMO_PINS, fill_demo_data
from counter.settings import load_settings
from counter.staff import sign_in_list
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.report import write_report
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # 2026-11-24 09:30 UTC, as in screenshots.py
SIZE = (1280, 800)


def _telling_visit(db, loaded: set[int]) -> int:
    """Of the visits on the log's first page, one worth opening: a complaint, a skipped step
    and a follow-up if there is one, else as many of those as possible."""
    rows = db.execute(
        """
        SELECT v.id FROM visits v
        WHERE v.customer_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM visit_steps s WHERE s.visit_id = v.id AND s.status = 'skipped')
        ORDER BY v.complaint DESC,
                 EXISTS (SELECT 1 FROM follow_ups f WHERE f.visit_id = v.id) DESC,
                 v.arrived_at DESC
        """
    ).fetchall()
    return next(visit_id for (visit_id,) in rows if visit_id in loaded)


def shoot(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    runner = SyncTaskRunner(db)
    language = UiLanguage(app)
    language.set_language("en")
    # The demo clock is UTC so the pictures do not depend on this computer's time zone.
    import ui.i18n as ui_i18n
    from counter.i18n import Translator

    ui_i18n._current = Translator("en", tz=UTC)
    manager = next(m for m in sign_in_list(db) if m.is_manager)
    session = sign_in(db, manager.id, DEMO_PINS["manager"], now=NOW)
    window = ManagerWindow(runner, session, load_settings(db), language, clock=lambda: NOW)
    window.resize(*SIZE)
    window.show()
    written = []

    window.show_tab("log")
    window.log.skipped.setChecked(True)
    app.processEvents()
    path = out / "manager-log.png"
    window.grab().save(str(path))
    written.append(path)

    model = window.log.model
    visit_id = _telling_visit(db, {model.row_at(r).id for r in range(model.rowCount())})
    row = next(
        r for r in range(window.log.model.rowCount()) if window.log.model.row_at(r).id == visit_id
    )
    window.log.table.selectRow(row)
    dialog = window.log.open_visit(window.log.model.index(row, 0))
    dialog.resize(640, 700)
    app.processEvents()
    path = out / "manager-timeline.png"
    dialog.grab().save(str(path))
    written.append(path)
    dialog.close()

    window.resize(SIZE[0], 1000)
    window.show_tab("dashboard")
    app.processEvents()
    path = out / "manager-dashboard.png"
    window.grab().save(str(path))
    written.append(path)
    # How customers felt: the section alone, as the dashboard shows it further down.
    section = window.dashboard.satisfaction
    section.resize(SIZE[0] - 40, section.sizeHint().height())
    app.processEvents()
    path = out / "manager-satisfaction.png"
    section.grab().save(str(path))
    written.append(path)

    window.resize(*SIZE)
    for key, name in (("checklist", "manager-checklist.png"), ("setup", "manager-setup.png")):
        window.show_tab(key)
        app.processEvents()
        path = out / name
        window.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        write_report(
            pdf,
            window.dashboard.dashboard,
            store_name=window.settings.store_name,
            period_label=window.dashboard.period_label(),
            staff_label=window.dashboard.staff_label(),
            generated_at=NOW,
            satisfaction=window.dashboard.satisfaction.report,
        )
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "90",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(out / "report-page1"),
            ],
            check=True,
        )
        written.append(out / "report-page1.png")
        subprocess.run(  # the customers' answers: the page after the staff comparison
            [
                *("pdftoppm", "-png", "-r", "90", "-f", "3", "-l", "3", "-singlefile"),
                str(pdf),
                str(out / "report-satisfaction"),
            ],
            check=True,
        )
        written.append(out / "report-satisfaction.png")
    window.close()
    return written


def shoot_dark(out: Path) -> list[Path]:
    """The log and the dashboard in a dark palette (ui/theme.py), as ``--theme dark`` shows."""
    from ui import theme

    app = QApplication.instance() or QApplication(sys.argv)
    theme.apply(app, "dark")
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    language = UiLanguage(app)
    language.set_language("en")
    manager = next(m for m in sign_in_list(db) if m.is_manager)
    session = sign_in(db, manager.id, DEMO_PINS["manager"], now=NOW)
    window = ManagerWindow(
        SyncTaskRunner(db), session, load_settings(db), language, clock=lambda: NOW
    )
    window.resize(SIZE[0], 1000)
    window.show()
    written = []
    for key, name in (("dashboard", "manager-dashboard-dark.png"), ("log", "manager-log-dark.png")):
        window.show_tab(key)
        app.processEvents()
        window.grab().save(str(out / name))
        written.append(out / name)
    window.close()
    return written


STORES = ("High Street", "Riverside", "Station Road")


def shoot_stores(out: Path, ui: str = "en") -> list[Path]:
    """The Stores tab with three stores on a throw-away hub: each store's counter filled with
    demo data (its own seed) and joined with its own login, then the office signs in (``ui``:
    the UI language; files are named with it when not English)."""
    from counter.hub import local_cluster, schema
    from counter.hub.connection import connect, split_password
    from counter.hub.hub_sql import create_database
    from counter.storage import open_database
    from counter.sync import join

    app = QApplication.instance() or QApplication(sys.argv)
    try:
        cluster = local_cluster.create(prefix="counter-shots-hub-")
    except (FileNotFoundError, OSError) as error:
        print(f"manager-stores.png: not made, no PostgreSQL here ({error})", file=sys.stderr)
        return []
    opened = []
    try:
        with connect(cluster.url()) as admin:
            create_database(admin, "chain")
        with connect(cluster.url("chain")) as admin:
            schema.apply(admin)
            for i in range(len(STORES)):
                schema.create_counter_login(admin, f"store{i}", f"pw-store{i}")
            schema.create_office_login(admin, "office", "pw-office")
        tmp = Path(tempfile.mkdtemp(prefix="counter-shots-stores-"))
        first = None
        for i, name in enumerate(STORES):
            db = open_database(tmp / f"store{i}.db")
            fill_demo_data(db, customers=80, seed=7 + i, now=NOW)
            url = cluster.url("chain", user=f"store{i}", password=f"pw-store{i}")
            with connect(url) as conn:
                join(db, conn, hub=split_password(url)[0], store=name, now=NOW)
            opened.append(db)
            if first is None:
                first = db
        runner = SyncTaskRunner(first)
        language = UiLanguage(app)
        language.set_language(ui)
        manager = next(m for m in sign_in_list(first) if m.is_manager)
        session = sign_in(first, manager.id, DEMO_PINS["manager"], now=NOW)
        window = ManagerWindow(runner, session, load_settings(first), language, clock=lambda: NOW)
        window.resize(*SIZE)
        window.show()
        window.stores.password_for = lambda _url: "pw-store0"
        window.show_tab("stores")
        window.stores.sign_in_as("office", "pw-office")
        app.processEvents()
        suffix = "" if ui == "en" else f"-{ui}"
        path = out / f"manager-stores{suffix}.png"
        window.grab().save(str(path))
        pdf = tmp / "stores.pdf"
        window.stores.print_report(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                "-singlefile",
                str(pdf),
                str(out / f"stores-report{suffix}"),
            ],
            check=True,
        )
        # The chain's log narrowed: one store, its staff member, a customer's name.
        view = window.stores
        view.store_filter.setCurrentIndex(view.store_filter.findText(STORES[1]))
        view.staff_filter.setCurrentIndex(1)
        app.processEvents()
        log_path = out / f"manager-stores-log{suffix}.png"
        window.grab().save(str(log_path))
        # A visit of the chain's log opened: its timeline, read from the hub.
        row = next(i for i, r in enumerate(view.rows) if r.customer_name and r.steps_total)
        view.log.setCurrentIndex(view.model.index(row, 0))
        dialog = view.open_visit()
        app.processEvents()
        timeline_path = out / f"manager-stores-timeline{suffix}.png"
        if dialog is not None:
            dialog.grab().save(str(timeline_path))
            dialog.close()
        window.close()
        app.processEvents()
        return [path, out / f"stores-report{suffix}.png", log_path, timeline_path]
    finally:
        for db in opened:
            db.close()
        cluster.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in [*shoot(args.out), *shoot_dark(args.out), *shoot_stores(args.out)]:
        print(path)


if __name__ == "__main__":
    main()
