"""Screenshots of the data-safety dialogs: the import dialog after checking a file with
problems, and the restore dialog with its preview. Offscreen, demo data, a fixed clock:
    QT_QPA_PLATFORM=offscreen python scripts/data_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from counter.backup import BEFORE_MIGRATION, DAILY, MANUAL, make_backup
from counter.demo import fill_demo_data
from counter.storage import open_memory_database
from ui.i18n import UiLanguage
from ui.import_dialog import ImportDialog
from ui.restore_dialog import RestoreDialog
from ui.tasks import SyncTaskRunner

NOW = 1_795_512_600  # 2026-11-24 09:30 UTC
DAY = 86_400
CUSTOMERS = """Ad;Soyad;Cep Telefonu;E-posta;Kart No;Notlar
Şükrü;Yılmaz;0532 123 45 67;sukru.yilmaz@example.com;1000200030004;çay sever
Ayşe;Işık;0533 987 65 43;ayse@example;;maraton için antrenman yapıyor
Emre;Demir;0542 111 22 33;emre.demir@example.com;;
;;0555 444 33 22;;;
İlker;Doğan;12 34;ilker@example.com;;
Zeynep;Kaya;0532 123 45 67;;;
Gül;Çelik;0536 222 11 00;gul.celik@example.com;1000200030004;yeni müşteri
Hakan;Öztürk;0537 333 44 55;hakan@example.com;;
"""


def _settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def shoot(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv)
    language = UiLanguage(app)
    language.set_language("en")
    db = open_memory_database()
    fill_demo_data(db, seed=7, now=NOW)
    runner = SyncTaskRunner(db)
    written = []

    base = Path(tempfile.gettempdir()) / "counter-demo"  # a path that reads well on screen
    shutil.rmtree(base, ignore_errors=True)
    try:
        desktop = base / "Desktop"
        desktop.mkdir(parents=True)
        source = desktop / "müşteriler-2026.csv"
        source.write_bytes(CUSTOMERS.encode("cp1254"))
        dialog = ImportDialog(runner, phone_region="TR", clock=lambda: NOW)
        dialog.resize(1040, 760)
        dialog.show()
        dialog.load_file(source)
        dialog.check_button.click()
        _settle(app)
        written.append(out / "import-errors.png")
        dialog.grab().save(str(written[-1]))
        dialog.close()

        folder = base / "backups"
        for days, kind in ((6, DAILY), (5, DAILY), (3, BEFORE_MIGRATION), (2, DAILY), (1, DAILY)):
            make_backup(db, folder, now=NOW - days * DAY + 8 * 3600, kind=kind)
        make_backup(db, folder, now=NOW - 1800, kind=MANUAL)
        restore = RestoreDialog(runner, folder, clock=lambda: NOW)
        restore.resize(640, 600)
        restore.show()
        restore.view.selectRow(1)
        _settle(app)
        written.append(out / "restore.png")
        restore.grab().save(str(written[-1]))
        restore.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out):
        print(path)


if __name__ == "__main__":
    main()
