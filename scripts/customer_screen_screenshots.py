"""Screenshots of the customer screen beside the counter screen, in Turkish and in Hindi: the
staff member's window with the visit just ended (the need, the steps, the outcome) and the
window turned towards the customer asking "How did we do today?" in the customer's language;
then the customer's unhappy answer as the staff member sees it, with the reason.

Offscreen, on an in-memory demo database with a fixed seed and clock. Usage:
    python scripts/customer_screen_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COUNTER_SETTINGS_DIR", tempfile.mkdtemp(prefix="counter-shots-"))

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from counter import visits
from counter.demo import fill_demo_data
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # 2026-11-24 09:30 UTC
COUNTER_SIZE = (1100, 760)
CUSTOMER_SIZE = (760, 560)  # a small second screen, turned towards the customer
GAP = 24


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.sendPostedEvents()
        app.processEvents()
        QTest.qWait(20)


def _customer(db, language: str) -> int:
    return db.execute(
        """SELECT c.id FROM customers c JOIN visits v ON v.customer_id = c.id
           WHERE c.language = ? AND c.formality = 'formal' AND c.title IN ('ms', 'mr')
           GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1""",
        [language],
    ).fetchone()[0]


def side_by_side(left: QWidget, right: QWidget) -> QImage:
    """The two windows as they stand: the counter's on the left, the customer's on the right,
    on a neutral desk colour."""
    a, b = left.grab(), right.grab()
    width = a.width() + GAP * 3 + b.width()
    height = max(a.height(), b.height()) + GAP * 2
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#d5d8dc"))
    painter = QPainter(image)
    painter.drawPixmap(QPoint(GAP, GAP), a)
    painter.drawPixmap(QPoint(GAP * 2 + a.width(), GAP + (a.height() - b.height()) // 2), b)
    painter.end()
    return image


def shoot(out: Path, languages: list[str]) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv)
    written = []
    for code in languages:
        db = open_memory_database()
        fill_demo_data(db, seed=7, now=NOW)
        language = UiLanguage(app)
        language.set_language(code)  # a store where staff and customer share the language
        clock = [NOW]
        window = MainWindow(
            SyncTaskRunner(db), load_settings(db), language, clock=lambda c=clock: c[0]
        )
        staff_id, name = db.execute(
            "SELECT id, name FROM staff WHERE role = 'staff' ORDER BY id"
        ).fetchone()
        window.signed_in.set(Session(staff_id, name, "staff", NOW))
        window.resize(*COUNTER_SIZE)
        window.show()
        window.customer_screen.action.trigger()  # Visit ▸ Customer screen
        screen = window.customer_screen.controller.window
        screen.resize(*CUSTOMER_SIZE)
        customer_id = _customer(db, code)
        visit = visits.check_in(db, customer_id=customer_id, now=NOW - 140).visit
        window.visit_actions.serve_from_queue(visit.id)
        panel = window.visit_panel
        for number in (1, 2, 3):
            clock[0] += 40
            panel.toggle_step_number(number)
        panel.need.setText({"tr": "telefon ekranı kırık", "hi": "फ़ोन की स्क्रीन टूटी"}[code])
        panel.save_texts()
        clock[0] += 200
        visits.set_outcome(db, visit.id, "repaired", now=clock[0])
        panel.outcome.setCurrentIndex(panel.outcome.findData("repaired"))
        _settle(app)
        greeting = side_by_side(window, screen)  # while served: the customer is greeted
        panel.end_visit()  # steps not ticked are confirmed once
        panel.end_visit()
        _settle(app)
        path = out / f"customer-screen-{code}.png"
        side_by_side(window, screen).save(str(path))
        written.append(path)
        path = out / f"customer-screen-greeting-{code}.png"
        greeting.save(str(path))
        written.append(path)
        # The customer taps an unhappy face and a reason: the staff member sees it at once.
        QTest.mouseClick(screen.faces[1], Qt.MouseButton.LeftButton)
        QTest.mouseClick(screen.reason_buttons[0], Qt.MouseButton.LeftButton)
        _settle(app)
        path = out / f"customer-screen-answer-{code}.png"
        side_by_side(window, screen).save(str(path))
        written.append(path)
        window.customer_screen.action.trigger()
        window.close()
        db.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--lang", nargs="*", default=["tr", "hi"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out, args.lang):
        print(path)


if __name__ == "__main__":
    main()
