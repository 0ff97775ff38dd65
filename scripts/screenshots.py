"""Regenerate the README screenshots of the counter screen from the demo data.

Runs offscreen (QT_QPA_PLATFORM=offscreen) on an in-memory demo database with a fixed seed and
a fixed clock, so the pictures only change when the app does. Usage:
    python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Remembered window sizes (ui/window_state.py): a throwaway folder, not the user's own.
os.environ.setdefault("COUNTER_SETTINGS_DIR", tempfile.mkdtemp(prefix="counter-shots-"))

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter.demo import fill_demo_data
from counter.settings import load_settings
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # 2026-11-24 09:30 UTC
SIZE = (1180, 700)
VISIT_SIZE = (1180, 860)  # the queue and a visit need a full-height window


def _settle(app: QApplication) -> None:
    """Let deferred layout passes run (word-wrapped labels take more than one) before a grab."""
    for _ in range(5):
        app.sendPostedEvents()
        app.processEvents()
        QTest.qWait(20)


def _most_visited(db, language: str) -> int:
    row = db.execute(
        """
        SELECT c.id FROM customers c JOIN visits v ON v.customer_id = c.id
        WHERE c.language = ? AND c.rapport_notes != '' AND c.formality = 'formal'
          AND c.title IN ('ms', 'mr')
        GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1
        """,
        [language],
    ).fetchone()
    return row[0]


def shoot(
    out: Path, ui_languages: list[str], suffix: str = "", customers=("tr", "hu", "hi")
) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    runner = SyncTaskRunner(db)
    language = UiLanguage(app)
    written = []
    for ui_code in ui_languages:
        language.set_language(ui_code)
        window = MainWindow(runner, load_settings(db), language, clock=lambda: NOW)
        window.resize(*SIZE)
        window.show()
        for customer_language in customers:
            customer_id = _most_visited(db, customer_language)
            customer = db.execute(
                "SELECT given_name, native_name FROM customers WHERE id = ?", [customer_id]
            ).fetchone()
            window.search.box.setText(customer[0][:4])
            window.open_customer(customer_id)
            _settle(app)
            ui_suffix = "" if ui_code == "en" else f"-ui-{ui_code}"
            path = out / f"counter-{customer_language}{ui_suffix}{suffix}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
    return written


def shoot_visit(out: Path, suffix: str = "") -> list[Path]:
    """A visit in progress (checklist half done) beside a queue whose timers run amber and red."""
    from counter import visits

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    language = UiLanguage(app)
    language.set_language("en")
    clock = [NOW]
    window = MainWindow(SyncTaskRunner(db), load_settings(db), language, clock=lambda: clock[0])
    window.resize(*VISIT_SIZE)
    window.show()
    for customer_language, waited in (("hu", 560), ("hi", 250), ("en", 40)):
        customer_id = _most_visited(db, customer_language)
        visits.check_in(db, customer_id=customer_id, now=NOW - waited)
    visits.check_in(db, walk_in_name="Man with a red scarf", now=NOW - 200)
    served = visits.check_in(db, customer_id=_most_visited(db, "tr"), now=NOW - 130).visit
    window.visit_actions.serve_from_queue(served.id)
    panel = window.visit_panel
    for number, need in ((1, ""), (2, ""), (3, "phone screen cracked")):
        clock[0] += 35
        panel.toggle_step_number(number)
        if need:
            panel.need.setText(need)
            panel.save_texts()
    clock[0] += 20
    window.queue.model.tick()
    panel._update_timers()
    panel.complaint.click()  # the complaint path's note box
    _settle(app)
    written = [out / f"visit{suffix}.png", out / f"queue{suffix}.png"]
    window.grab().save(str(written[0]))
    window.queue.grab().save(str(written[1]))
    window.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--ui", nargs="*", default=["en"], help="UI languages to shoot")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in [*shoot(args.out, args.ui), *shoot_visit(args.out)]:
        print(path)
    # The same screens in a dark palette (ui/theme.py), as `counter run --theme dark` shows.
    from ui import theme

    theme.apply(QApplication.instance(), "dark")
    for path in [*shoot(args.out, ["en"], "-dark", ("hu",)), *shoot_visit(args.out, "-dark")]:
        print(path)


if __name__ == "__main__":
    main()
