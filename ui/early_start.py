"""What start-up does before Qt loads (issues #7, #15): import what the counter screen uses
that is not Qt, and start the database check (and the settings' read) on a thread. Imports no
Qt, on purpose.

- ``PRAGMA quick_check`` reads the whole file inside SQLite, which releases the GIL: on its
  own thread it runs while the interpreter imports the UI, instead of after it. The window
  still waits for its verdict, so a damaged file is caught before anything uses it.
- PySide6 reads the source of every module that runs an ``import`` after it is loaded
  (a function's own import too, and the standard library's), once per module, to learn whether
  the module may use its ``__feature__`` switches (it looks for the word "PySide6"): some 150
  modules and 15-20 ms of CPU before the window is painted and while the worker loads
  sqlite-utils. :func:`import_qt` answers for the modules known not to use Qt without reading
  them (see :func:`spare_source_reads`).
- PySide6 builds the Python type of a Qt class, and every enum of it, the first time Python
  names the class: an import, an ``isinstance``, an object Qt hands to Python (``style()``,
  ``findChild`` walking the application's children, an app-wide event filter). The ``Qt``
  namespace alone is ~13 ms, the style ~4 ms. Classes the first screen does not show (the
  style, dialogs, forms, combo and text boxes) are named where they are used, not at the top
  of a module the first screen imports (tests/ui/test_startup_imports.py lists them).
- Start-up creates a few hundred thousand objects that live as long as the app (modules,
  classes, Qt enums, widgets); the cyclic garbage collector scanned them over and over
  (40-60 ms). It is paused until the window is shown, then those objects are frozen out of
  its sight (:func:`gc.freeze`) and it runs as usual on everything made afterwards.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from counter.integrity import Health, check_database
from counter.settings import StoreSettings, read_settings_file

# What the counter screen imports that is not Qt before its first paint
# (tests/ui/test_startup_imports.py keeps the list whole): the domain it uses, and logging. The
# domain it only calls through the database worker (visits, customers, sign-in, the search) is
# imported there, after the paint; html comes with the panels built after it.
BEFORE_QT = (
    "counter.address",
    "counter.errors",
    "counter.i18n",
    "counter.integrity",
    "counter.progress",
    "counter.roles",
    "counter.settings",
    "logging",
)

# quick_check reads the whole file; above this size start-up skips it and the window runs it
# on a thread once open (DataActions.check_integrity_later).
FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024


def import_before_qt() -> None:
    for name in BEFORE_QT:
        importlib.import_module(name)


# Packages that never use Qt: Counter's domain (tests/core/test_layering.py keeps it so) and
# the libraries it and the worker load. With the standard library, PySide6's own check would
# find no "PySide6" in their source and answer the same.
NO_QT_PACKAGES = frozenset(
    {
        "counter",
        "babel",
        "anyascii",
        "sqlite_utils",
        "sqlite_fts4",
        "click",
        "click_default_group",
        "dateutil",
        "pluggy",
        "tabulate",
        "platformdirs",
        "phonenumbers",
        "openpyxl",
        "et_xmlfile",
        "argon2",
        "_argon2_cffi_bindings",
        "cffi",
        "charset_normalizer",
        "psycopg",
        "psycopg_binary",
        "keyring",
        "jaraco",
        "six",
    }
)


def import_qt() -> None:
    """Load PySide6, then spare it reading the source of modules that do not use Qt."""
    import PySide6.QtCore  # noqa: F401  (loads shiboken and its import hook)

    spare_source_reads()


def spare_source_reads() -> bool:
    """Answer PySide6's per-module "does it use PySide?" question (``_mod_uses_pyside`` in
    ``shibokensupport.feature``: it reads the module's whole source) without reading anything
    for the standard library and :data:`NO_QT_PACKAGES` (no) and Counter's ``ui`` (yes); any
    other module is asked as before. The answer only says whether a module may opt into
    ``__feature__`` switches, which Counter never uses. False (nothing changed) on a PySide6
    without that function."""
    feature = sys.modules.get("shibokensupport.feature")
    check: Callable[[ModuleType], bool] | None = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or check is None or getattr(check, "counter_spared", False):
        return False
    known = NO_QT_PACKAGES | sys.stdlib_module_names

    def uses_pyside(module: ModuleType) -> bool:
        name = getattr(module, "__name__", "")
        top = name.partition(".")[0] if isinstance(name, str) else ""
        if top == "ui":
            return True
        return False if top in known else check(module)

    uses_pyside.counter_spared = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


def resume_collector() -> None:
    """Once the window is up: what start-up made stays out of the collector's scans."""
    gc.freeze()
    gc.enable()


def full_check_wanted(path: Path) -> bool:
    """Whether start-up runs ``PRAGMA quick_check`` on ``path`` before the window opens."""
    try:
        return not path.exists() or path.stat().st_size <= FULL_CHECK_MAX_BYTES
    except OSError:
        return True


class EarlyCheck:
    """:func:`counter.integrity.check_database` for one file, started now on a thread, and
    when the file is sound, its settings read there too (opening the file parses its schema,
    some 3 ms that SQLite spends outside the interpreter lock, beside the UI's imports).

    :meth:`check` has ``check_database``'s signature, for ``resolve_startup(check=...)``: its
    first call for this file waits for the thread's answer; any other call (a retry, another
    file) checks afresh. :meth:`settings` is ``read_settings_file``'s: the settings read on
    the thread, once, for the file checked there; else read now."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.full_check = full_check_wanted(self.path)
        self._health: Health | None = None
        self._error: BaseException | None = None
        self._settings: StoreSettings | None = None
        self._used = False
        self._thread = threading.Thread(target=self._run, name="counter-early-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._health = check_database(self.path, full_check=self.full_check)
        except BaseException as error:  # handed to the caller of check(), as if it ran there
            self._error = error
            return
        if self._health.ok:
            # The file is checked and migrated; any trouble here is met again, and told,
            # when the window reads the settings itself.
            with contextlib.suppress(Exception):
                self._settings = read_settings_file(self.path)

    def settings(self, path: Path) -> StoreSettings:
        """The settings of ``path``: as read on the thread when it is the file checked there
        (and found sound on the first check), else read now."""
        found, self._settings = self._settings, None
        if found is not None and Path(path) == self.path and self._used:
            return found
        return read_settings_file(path)

    def check(self, path: Path, *, full_check: bool = True, **kwargs) -> Health:
        if self._used or kwargs or Path(path) != self.path or full_check != self.full_check:
            return check_database(path, full_check=full_check, **kwargs)
        self._used = True
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._health is not None
        return self._health
