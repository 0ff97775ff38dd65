"""Start-up stays lean (issue #7): a fresh ``counter run`` shows its window without the manager
views, charts, dialogs, import/export or phone and password libraries, imports the domain
before PySide6, and still checks the database before the window opens. Structural checks,
no timings."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame

from counter.i18n import Translator
from counter.integrity import Trouble, Way, check_database
from counter.settings import load_settings
from counter.storage import open_database
from ui import early_start
from ui.i18n import UiLanguage
from ui.main_window import MainWindow
from ui.startup_check import resolve_startup

ROOT = Path(__file__).resolve().parents[2]

# Loaded on first use only: none of these may be in a process whose window just came up.
NOT_AT_START = (
    "PySide6.QtCharts",
    "PySide6.QtPrintSupport",
    "PySide6.QtSvg",
    "openpyxl",
    "phonenumbers",
    "argon2",
    "charset_normalizer",
    "counter.importing",
    "counter.export",
    "counter.customer_export",
    "counter.visit_log",
    "counter.visit_timeline",
    "counter.dashboard",
    "counter.durations",
    "counter.follow_ups",
    "counter.phrase_suggestions",
    "counter.phrase_templates",
    "counter.phrase_overrides",
    "counter.privacy",
    "ui.manager_view.manager_window",
    "ui.manager_view.phrase_editor",
    "ui.import_dialog",
    "ui.restore_dialog",
    "ui.counter_view.customer_dialog",
    "ui.counter_view.follow_up_dialog",
    "ui.counter_view.follow_up_list",
    "ui.counter_view.open_visits_dialog",
    # The search-first window: panels the first screen shows empty come in after the paint.
    "ui.counter_view.profile_panel",
    "ui.counter_view.phrase_panel",
    "ui.counter_view.visit_panel",
    "ui.counter_view.checklist_widget",
    "ui.counter_view.visit_notes_form",
    "ui.counter_view.visit_summary",
    "counter.phrase_catalog",
    "platformdirs",  # only to find the default database: a start with --db needs none
    "psycopg",  # the hub: its sync starts in idle time after the first paint
    "keyring",
    "counter.hub",
)

_CHILD = """
import inspect, json, sys, threading

def spared():
    feature = sys.modules.get("shibokensupport.feature")
    return getattr(getattr(feature, "_mod_uses_pyside", None), "counter_spared", False)

# Modules whose source something (PySide6 deciding on __feature__) read once start-up had
# told PySide6 which modules use no Qt (ui.early_start.import_qt); None: it never did.
read = []
_getsource = inspect.getsource
def getsource(obj):
    if inspect.ismodule(obj) and spared():
        read.append(obj.__name__)
    return _getsource(obj)
inspect.getsource = getsource

class WhoImports:  # notes which thread first imports a watched module, finds nothing itself
    threads = {}

    def find_spec(self, name, path=None, target=None):
        if name in ("sqlite_utils", "dateutil", "click"):
            self.threads.setdefault(name, threading.current_thread().name)
        return None

sys.meta_path.insert(0, WhoImports())

# The modules of the process the moment the window is shown (before its first paint, before
# the database worker may start): everything in it the GUI thread or the early check loaded.
import ui.early_start
shown = []
_import_qt = ui.early_start.import_qt
def import_qt():
    _import_qt()
    import ui.ready_probe
    _watch = ui.ready_probe.watch
    def watch(window):
        shown.extend(sys.modules)
        _watch(window)
    ui.ready_probe.watch = watch
ui.early_start.import_qt = import_qt
from ui.main import main
code = main(["--db", sys.argv[1], "run"])
print("modules " + json.dumps(list(sys.modules)))
print("threads " + json.dumps(WhoImports.threads))
print("read " + json.dumps(read if spared() else None))
print("shown " + json.dumps(shown))
qt = [sys.modules[m] for m in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")]
print("types " + json.dumps([n for m in qt for n, v in vars(m).items() if isinstance(v, type)]))
sys.exit(code)
"""


def _modules_at_first_window(path: Path, settings: Path | None = None) -> list[str]:
    """``sys.modules`` of a real start (``ui.main``) when its first window is up, in the
    order the modules were first imported (``settings``: the COUNTER_SETTINGS_DIR)."""
    return _start(path, settings)[0]


def _start(path: Path, settings: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """:func:`_modules_at_first_window`, and which thread first imported sqlite-utils and
    its dependencies."""
    return _start_and_reads(path, settings)[:2]


def _start_and_reads(
    path: Path, settings: Path | None = None
) -> tuple[list[str], dict[str, str], list[str] | None]:
    """:func:`_start`, and the modules whose source was read (by PySide6, asking each module
    that imports something whether it uses PySide6)."""
    found = _start_in_child(path, settings)
    return found["modules"], found["threads"], found["read"]


def _start_in_child(path: Path, settings: Path | None = None) -> dict:
    """What a real start's process holds once its first window is up: its modules, the
    threads that imported sqlite-utils, the sources PySide6 read, the Qt classes whose Python
    types exist."""
    env = {
        **os.environ,
        **({"COUNTER_SETTINGS_DIR": str(settings)} if settings is not None else {}),
        "QT_QPA_PLATFORM": "offscreen",
        "COUNTER_READY_PROBE": "1",  # quit once the window is up and idle
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
    }
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = {
        line.split(" ", 1)[0]: json.loads(line.split(" ", 1)[1])
        for line in done.stdout.splitlines()
        if line.startswith(("modules ", "threads ", "read ", "types ", "shown "))
    }
    assert len(found) == 5, done.stdout + done.stderr
    return found


def test_the_first_window_loads_nothing_it_does_not_show(tmp_path):
    path = tmp_path / "counter.db"
    open_database(path).close()
    modules = _modules_at_first_window(path)
    assert "ui.main_window" in modules and "PySide6.QtWidgets" in modules
    assert sorted(set(modules) & set(NOT_AT_START)) == []


# The domain the first screen does not use before its paint: loaded by the database worker
# when it first runs their functions (the queue, the sign-in), after the paint; their imports
# and dataclasses cost the GUI thread ~10 ms before it.
NOT_BEFORE_THE_PAINT = (
    "counter.visits",
    "counter.customers",
    "counter.checklist",
    "counter.outcomes",
    "counter.auth",
    "counter.staff",
    "counter.audit",
    "counter.backup",
    "counter.search",  # with its romanizer: the worker imports it for the first search
    "counter.romanize",
)


def test_the_window_is_shown_before_the_domain_it_does_not_use_yet_is_imported(tmp_path):
    path = tmp_path / "counter.db"
    open_database(path).close()
    shown = _start_in_child(path)["shown"]
    assert "ui.main_window" in shown and "counter.settings" in shown
    assert sorted(set(shown) & set(NOT_BEFORE_THE_PAINT)) == []
    # What the window does use of the domain comes before PySide6, imported while the early
    # check runs on its thread: a module missing from BEFORE_QT shows up here.
    qt = shown.index("PySide6")
    late = [m for m in shown[qt:] if m.split(".")[0] in ("counter", "anyascii")]
    assert late == []


def test_babel_loads_after_the_first_paint_once_the_search_columns_are_measured(tmp_path):
    # The search list's date column is as wide as the longest "3 weeks ago" of the language:
    # Babel's words. The first start ever measures them before its first paint and remembers
    # the widths; later starts put them back and load Babel only after the paint.
    path = tmp_path / "counter.db"
    open_database(path).close()
    settings = tmp_path / "settings"
    first = _modules_at_first_window(path, settings)
    assert "babel.dates" in first
    again = _modules_at_first_window(path, settings)
    assert "ui.main_window" in again
    assert [m for m in again if m.split(".")[0] == "babel"] == []


# Qt classes the first screen does not show: PySide6 builds a class's Python type and all its
# enums the first time Python names it (an import, an isinstance, an object handed to Python),
# some 0.2-4 ms each; a dialog's or the style's classes are named where they are used.
NOT_BUILT_AT_START = (
    "QStyle",
    "QCommonStyle",
    "QStyleFactory",
    "QProxyStyle",
    "QDialog",
    "QDialogButtonBox",
    "QMessageBox",
    "QFileDialog",
    "QInputDialog",
    "QProgressDialog",
    "QFormLayout",
    "QComboBox",
    "QTextEdit",
    "QPlainTextEdit",
    "QAbstractSpinBox",
)


def test_the_first_window_builds_no_python_type_of_a_class_it_does_not_use(tmp_path):
    path = tmp_path / "counter.db"
    open_database(path).close()
    settings = tmp_path / "settings"
    _start_in_child(path, settings)  # the first start ever measures the search columns
    types = _start_in_child(path, settings)["types"]
    assert "QMainWindow" in types and "QTableView" in types and "Qt" in types
    assert sorted(set(types) & set(NOT_BUILT_AT_START)) == []


def test_pyside_reads_the_source_of_no_module_that_does_not_use_it(tmp_path):
    # PySide6 asks every module that imports something whether it uses PySide6 by reading
    # its whole source (to allow its __feature__ switches): the standard library, the domain
    # and their libraries are answered without reading, and Counter's ui modules too.
    path = tmp_path / "counter.db"
    open_database(path).close()
    modules, _threads, read = _start_and_reads(path)
    assert "ui.main_window" in modules and "counter.settings" in modules
    assert read is not None  # ui.early_start.import_qt told PySide6
    assert [m for m in read if m.split(".")[0] in {"counter", "ui", "babel", "sqlite_utils"}] == []
    assert [m for m in read if m.split(".")[0] in sys.stdlib_module_names] == []


def test_pyside_is_told_what_it_would_have_found(qapp):
    # The answers given without reading are the ones PySide6's own check gives.
    import shibokensupport.feature as feature  # loaded with PySide6

    import counter.search
    import ui.main_window

    early_start.spare_source_reads()
    asked = feature._mod_uses_pyside
    assert getattr(asked, "counter_spared", False)
    original = asked.__closure__[0].cell_contents  # PySide6's own, kept for other modules
    for module in (counter.search, json, ui.main_window):
        assert asked(module) == original(module)
    assert not early_start.spare_source_reads()  # once is enough


def test_sqlite_utils_loads_on_the_database_worker_after_the_first_paint(tmp_path):
    # A file with nothing to migrate: start-up checks it and reads the settings with plain
    # sqlite3; the worker opens it through sqlite-utils once the window is painted (its
    # opener waits for MainWindow.after_first_paint), so the imports run neither on the GUI
    # thread nor on the early check's, while the window is built.
    path = tmp_path / "counter.db"
    open_database(path).close()
    modules, threads = _start(path)
    assert "ui.main_window" in modules
    assert threads == {
        "sqlite_utils": "counter-db-worker",
        "click": "counter-db-worker",
        "dateutil": "counter-db-worker",
    }


def test_a_file_to_migrate_is_migrated_before_the_window(tmp_path):
    # The one start that loads sqlite-utils before the window: migrations are pending (the
    # early check migrates, after a backup, on its own thread).
    from counter.storage import health_sql
    from counter.storage.schema import apply_migrations

    path = tmp_path / "counter.db"
    db = open_database(path, migrate=False)
    apply_migrations(db, stop_before=health_sql.MIGRATION_NAMES[-1])
    db.close()
    _modules, threads = _start(path)
    assert threads["sqlite_utils"] == "counter-early-check"
    conn = sqlite3.connect(path)
    try:
        assert health_sql.all_applied(conn)
    finally:
        conn.close()


def test_the_early_check_is_the_check_start_up_would_have_made(tmp_path):
    path = tmp_path / "counter.db"
    early = early_start.EarlyCheck(path)
    assert early.full_check  # a new file, or a small one: quick_check before the window
    health = early.check(path, full_check=True)
    assert health.ok and path.exists()  # created and migrated, as check_database does
    assert health == check_database(path)


def test_the_settings_read_beside_the_early_check_are_the_files_own(tmp_path):
    from counter.settings import read_settings_file, save_setting

    path = tmp_path / "counter.db"
    db = open_database(path)
    save_setting(db, "ui_language", "hu")
    db.close()
    other = tmp_path / "other.db"
    open_database(other).close()
    early = early_start.EarlyCheck(path)
    assert early.check(path, full_check=True).ok
    settings = early.settings(path)
    assert settings == read_settings_file(path) and settings.ui_language == "hu"
    # Read on the thread once: asked again, or for another file, it reads the file now.
    save_setting(open_database(path), "ui_language", "tr")
    assert early.settings(path).ui_language == "tr"
    assert early.settings(other) == read_settings_file(other)


def test_a_file_damaged_after_the_early_check_is_checked_again(tmp_path):
    path = tmp_path / "counter.db"
    open_database(path).close()
    early = early_start.EarlyCheck(path)
    assert early.check(path, full_check=True).ok
    path.write_bytes(b"this is not a database" * 100)
    # A retry (the dialog's "Try again") or another file is never answered from the thread.
    again = early.check(path, full_check=True)
    assert not again.ok and again.problem.trouble is Trouble.NOT_A_DATABASE


def test_a_damaged_file_found_early_still_stops_the_start(tmp_path, qapp):
    path = tmp_path / "counter.db"
    path.write_bytes(b"this is not a database" * 100)
    early = early_start.EarlyCheck(path)
    asked = []

    def ask(problem, at):
        asked.append(problem.trouble)
        return Way.QUIT, None

    assert resolve_startup(path, check=early.check, ask=ask) is None
    assert asked == [Trouble.NOT_A_DATABASE]


def test_big_files_are_checked_after_the_window_opens(tmp_path, monkeypatch):
    path = tmp_path / "counter.db"
    open_database(path).close()
    monkeypatch.setattr(early_start, "FULL_CHECK_MAX_BYTES", path.stat().st_size - 1)
    assert not early_start.full_check_wanted(path)
    early = early_start.EarlyCheck(path)
    assert not early.full_check
    assert early.check(path, full_check=False).ok


def test_the_language_menu_names_each_language_in_itself_when_opened(
    qtbot, runner, db, ui_language
):
    window = MainWindow(runner, load_settings(db), ui_language)
    qtbot.addWidget(window)
    window.language_menu.aboutToShow.emit()
    names = {code: action.text() for code, action in window.language_actions.items()}
    assert names["en"] == "English" and names["tr"] == "Türkçe" and names["hu"] == "Magyar"
    window.language_menu.aboutToShow.emit()  # named once; opening again changes nothing
    assert {code: a.text() for code, a in window.language_actions.items()} == names


def test_the_first_window_builds_no_lock_screen_and_every_text_is_written_once(
    qtbot, runner, db, ui_language
):
    window = MainWindow(runner, load_settings(db), ui_language)
    qtbot.addWidget(window)
    # The idle lock's panel is built when the counter first locks, not at start.
    assert window.findChild(QFrame, "idleLock") is None and not window.idle_lock.locked
    # Texts the window's own retranslate no longer writes at start are there all the same.
    assert window.session_actions.switch_action.text() == "&Sign in / switch staff…"
    assert window.visit_actions.menu.title() == "&Visit"
    assert window.data_actions.backup_action.text() == "&Back up now"
    assert window.search.box.placeholderText() and window.search.status.text()
    overlay = window.idle_lock.overlay
    assert window.findChild(QFrame, "idleLock") is overlay and overlay.isHidden()
    assert overlay.button.text() == "Unlock" and overlay.parentWidget() is window


def test_input_is_watched_from_once_the_window_is_painted(qtbot, runner, db, ui_language):
    window = MainWindow(runner, load_settings(db), ui_language)
    qtbot.addWidget(window)
    watcher = window.idle_lock.watcher
    window.show()
    # Not during show(): the app-wide filter would make PySide6 set up the Python types of
    # every Qt class whose objects the first paint touches, before that paint.
    assert not watcher.running
    qtbot.waitUntil(lambda: watcher.running)
    window.hide()
    assert not watcher.running
    window.show()
    window.hide()  # hidden again before the event loop ran: it does not start watching
    looked = []
    QTimer.singleShot(0, lambda: looked.append(True))  # runs after the lock's own look
    qtbot.waitUntil(lambda: looked == [True])
    assert not watcher.running


@pytest.mark.parametrize(
    ("code", "rtl"), [("en", False), ("hi", False), ("ar", True), ("he", True)]
)
def test_the_layout_direction_follows_the_language_as_babel_says(qapp, code, rtl):
    # Read from Qt's CLDR data (Babel would load the language's whole CLDR data to say it).
    language = UiLanguage()
    try:
        language.set_language(code)
        assert (qapp.layoutDirection() == Qt.RightToLeft) is rtl
        assert Translator(code).right_to_left is rtl
    finally:
        language.set_language("en")
    assert qapp.layoutDirection() == Qt.LeftToRight


def test_the_bench_probe_watches_the_window_not_every_object(qtbot, monkeypatch):
    # An application-wide Python filter would make PySide6 build the Python type of every
    # Qt class whose objects pass by, and so slow down the start-up it measures.
    from PySide6.QtWidgets import QApplication, QMainWindow

    from ui import ready_probe

    monkeypatch.setenv(ready_probe.ENV_VAR, "1")
    reported = []
    monkeypatch.setattr(ready_probe, "_report", lambda: reported.append(True))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    ready_probe.watch(window)
    assert QApplication.instance().findChildren(ready_probe._Probe) == []
    qtbot.waitUntil(lambda: reported == [True])
