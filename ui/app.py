"""Start the app: QApplication, the UI language, the database task runner, the main window."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtWidgets import QApplication

from counter.i18n import available_languages
from counter.integrity import Health
from counter.settings import StoreSettings, read_settings_file
from counter.storage import open_database
from counter.storage.connection import open_read_only
from ui import ready_probe
from ui import theme as ui_theme
from ui.i18n import UiLanguage, _
from ui.main_window import MainWindow
from ui.search_repair import repair_search_keys
from ui.startup_check import resolve_startup
from ui.tasks import TaskRunner


def choose_ui_language(requested: str | None, settings: StoreSettings) -> str:
    for code in (requested, settings.ui_language, settings.store_language):
        if code and code in available_languages():
            return code
    return "en"


class _AfterFirstPaint:
    """The worker's way to open the database, held back until the window is painted: opening
    loads sqlite-utils (some 40-120 ms of imports), which on a thread of its own would compete
    for the interpreter lock with building and painting the window. Tasks queued meanwhile
    wait in the runner's queue; :meth:`release` lets them go."""

    HOLD_AT_MOST_S = 5.0  # never hang the worker if the window somehow never paints

    def __init__(self, open_db: Callable[[], Any]):
        self._open_db = open_db
        self._painted = threading.Event()

    def release(self) -> None:
        self._painted.set()

    def __call__(self) -> Any:
        self._painted.wait(self.HOLD_AT_MOST_S)
        return self._open_db()


def run_app(
    path: Path,
    ui_language: str | None = None,
    *,
    theme: str | None = None,  # "light", "dark", "high-contrast"; else $COUNTER_THEME/system
    check: Callable[..., Health] | None = None,  # ui.early_start.EarlyCheck.check, if started
    # ui.early_start.EarlyCheck.settings, if started: the settings it read beside the check
    read_settings: Callable[[Path], StoreSettings] = read_settings_file,
    shown: Callable[[], None] | None = None,  # called once the main window is shown
) -> int:
    app = cast(QApplication, QApplication.instance() or QApplication(sys.argv))
    app.setApplicationName("Counter")
    app.setOrganizationName("Counter")
    ui_theme.apply(app, ui_theme.requested(theme))  # before any widget picks its colours
    language = UiLanguage(app)
    # Start-up checks (damaged, foreign, newer, read-only, full disk) before anything else;
    # their dialog speaks the requested language, the store's is not known yet.
    language.set_language(choose_ui_language(ui_language, _fallback_settings()))
    decision = resolve_startup(path) if check is None else resolve_startup(path, check=check)
    if decision is None:
        return 1
    path, read_only = decision.path, decision.read_only
    try:
        # Plain sqlite3 (sqlite-utils is not loaded yet): resolve_startup has checked the file
        # and migrated it if it had to. From here on, only the task runner's own connection
        # touches the file.
        settings = read_settings(path)
    except Exception as error:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(
            None,
            _("Counter cannot open its database"),
            _("The file {path} could not be opened:\n{reason}").format(path=path, reason=error),
        )
        return 1
    language.set_language(choose_ui_language(ui_language, settings))
    opener = _AfterFirstPaint(
        (lambda: open_read_only(path)) if read_only else lambda: open_database(path, migrate=False)
    )
    runner = TaskRunner(opener)
    window = MainWindow(runner, settings, language, db_path=path, read_only=read_only)
    window.show()
    ready_probe.watch(window)  # counter bench: report when the window is up (env var)
    window.after_first_paint(opener.release)
    if shown is not None:
        shown()
    if not read_only:
        # Sign in first (or set up the store on the first start); then, with who is serving
        # known, offer to resume a visit left open by a crash.
        window.session_actions.start(then=window.visit_actions.offer_resume)
    # The day's backup and the quick_check of a big file run on threads of their own for
    # seconds: they start once the window is painted and start-up's database work is done,
    # not while the window paints and answers its first search (two cores, shared).
    if not read_only:
        # Customers written by another tool get their search keys (a look at an empty
        # table when there are none).
        window.when_idle(lambda: repair_search_keys(window))
        window.when_idle(
            lambda: window.data_actions.start_daily_backup(
                lambda: open_database(path, migrate=False)
            )
        )
    if not read_only:
        # Several counters: sync with the hub on a thread and connection of its own.
        window.when_idle(lambda: _start_hub_sync(window, path))
    if not decision.full_check_done:
        window.when_idle(lambda: window.data_actions.check_integrity_later(path))
    window.when_idle(lambda: _set_icon(app))  # the SVG renderer loads after the first paint
    try:
        return app.exec()
    finally:
        window.data_actions.stop_daily_backup()
        if window.hub_sync is not None:
            window.hub_sync.shutdown()
        runner.shutdown()


def _start_hub_sync(window: MainWindow, path: Path) -> None:
    from counter.hub.connection import PasswordStore
    from counter.paths import config_path
    from ui.sync_status import HubSync

    window.attach_hub_sync(
        HubSync(
            lambda: open_database(path, migrate=False),
            PasswordStore(config_path()),
            window.clock,
            window,
        )
    )


ICON = Path(__file__).resolve().parent / "resources" / "counter.svg"


def _set_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(ICON)))
    app.setDesktopFileName("counter")  # Wayland and docks match the window to counter.desktop


def _fallback_settings() -> StoreSettings:
    return StoreSettings("", "en", "GB", 3, 8, 10, "")
