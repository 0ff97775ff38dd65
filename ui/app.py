"""Start the app: QApplication, the UI language, the database task runner, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from counter.i18n import available_languages
from counter.settings import StoreSettings, load_settings
from counter.storage import open_database
from ui.i18n import UiLanguage, _
from ui.main_window import MainWindow
from ui.tasks import TaskRunner


def choose_ui_language(requested: str | None, settings: StoreSettings) -> str:
    for code in (requested, settings.ui_language, settings.store_language):
        if code and code in available_languages():
            return code
    return "en"


def _open_settings(path: Path) -> StoreSettings:
    # Opened once on the GUI thread at start-up to migrate and read settings, then closed;
    # from here on, only the task runner's own connection touches the file.
    db = open_database(path)
    try:
        return load_settings(db)
    finally:
        db.close()


def run_app(path: Path, ui_language: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Counter")
    app.setOrganizationName("Counter")
    language = UiLanguage(app)
    try:
        settings = _open_settings(path)
    except Exception as error:
        language.set_language(choose_ui_language(ui_language, _fallback_settings()))
        QMessageBox.critical(
            None,
            _("Counter cannot open its database"),
            _("The file {path} could not be opened:\n{reason}").format(path=path, reason=error),
        )
        return 1
    language.set_language(choose_ui_language(ui_language, settings))
    runner = TaskRunner(lambda: open_database(path, migrate=False))
    window = MainWindow(runner, settings, language)
    window.show()
    try:
        return app.exec()
    finally:
        runner.shutdown()


def _fallback_settings() -> StoreSettings:
    return StoreSettings("", "en", "GB", 3, 8, 10, "")
