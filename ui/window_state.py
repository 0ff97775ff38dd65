"""Window size, splitter positions and column widths, and who signed in last, remembered at
this computer (the person's own QSettings file, not the shared database: two counters on one
file keep their own layouts and each preselects its own last staff member).

A window makes one ``WindowState(window, "main")``, hands it the splitters and the headers a
person may drag (``track``); it puts back what was saved when made and saves when the window
closes. ``COUNTER_SETTINGS_DIR`` moves the file elsewhere (the tests point it at a temporary
folder, so they never touch the real one).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

ENV = "COUNTER_SETTINGS_DIR"


def settings_store() -> QSettings:
    """The person's own settings: an INI file in their config folder, or in
    ``$COUNTER_SETTINGS_DIR``."""
    folder = os.environ.get(ENV)
    if folder:
        return QSettings(str(Path(folder) / "Counter.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Counter", "Counter")


def last_signed_in() -> int | None:
    """The staff id that last signed in at this counter (None: nobody yet)."""
    value = settings_store().value("signIn/lastStaffId")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None  # a hand-edited file


def remember_sign_in(staff_id: int) -> None:
    store = settings_store()
    store.setValue("signIn/lastStaffId", staff_id)
    store.sync()


def fit_to_screen(window: QWidget, size: QSize) -> QSize:
    """``size``, made no larger than the screen's free area (a 1,280 × 800 laptop)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return size
    free = screen.availableGeometry().size()
    # Leave room for the title bar and frame the window manager adds around it.
    return size.boundedTo(QSize(max(free.width() - 16, 400), max(free.height() - 40, 300)))


class WindowState(QObject):
    def __init__(self, window: QWidget, key: str, *, default_size: QSize | None = None):
        super().__init__(window)
        self._key = key
        # The window is this object's parent, never held here: a reference from Python would
        # keep a closed (deleted) window's wrapper alive.
        self._tracked: dict[str, QSplitter | QHeaderView] = {}
        geometry = self._value("geometry")
        restored = geometry is not None and window.restoreGeometry(geometry)
        if not restored and default_size is not None:
            window.resize(fit_to_screen(window, default_size))
        window.installEventFilter(self)

    def track(self, name: str, widget: QSplitter | QHeaderView) -> None:
        """Remember ``widget``'s sizes (a splitter) or column widths (a header) as ``name``."""
        self._tracked[name] = widget
        if isinstance(widget, QHeaderView):
            # Only the widths a person dragged: a header's whole state would also bring back
            # resize modes and a sort order the view sets itself.
            sizes = settings_store().value(f"{self._key}/{name}")
            if isinstance(sizes, str):
                sizes = sizes.split(",")
            if isinstance(sizes, list):
                for section, size in enumerate(sizes[: widget.count()]):
                    if widget.sectionResizeMode(section) == QHeaderView.ResizeMode.Interactive:
                        # A hand-edited file: a width that is not a number keeps the default.
                        with contextlib.suppress(TypeError, ValueError):
                            widget.resizeSection(section, max(20, int(size)))
            return
        state = self._value(name)
        if state is not None:
            widget.restoreState(state)

    def save(self) -> None:
        store = settings_store()
        window = self.parent()
        assert isinstance(window, QWidget)
        store.setValue(f"{self._key}/geometry", window.saveGeometry())
        for name, widget in self._tracked.items():
            if isinstance(widget, QHeaderView):
                sizes = [str(widget.sectionSize(i)) for i in range(widget.count())]
                store.setValue(f"{self._key}/{name}", ",".join(sizes))
            else:
                store.setValue(f"{self._key}/{name}", widget.saveState())
        store.sync()

    def _value(self, name: str) -> QByteArray | None:
        value = settings_store().value(f"{self._key}/{name}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.save()
        return False
