"""Start-up probe for ``counter bench``: when ``COUNTER_READY_PROBE`` is set, the process
prints the moment its first window is on screen and the event loop is idle, then quits.

Used alike by the app and by the bare window it is compared with, so both are timed to the
same point: :func:`watch` right after the window's ``show()``. Imports nothing of Counter's:
the bare window must not pay for its modules.

It watches that one native window, not the whole application: an application-wide Python
event filter sees every event of every object, and PySide6 then builds the Python type (and
its enum classes) of each Qt class whose objects pass by (the table's scroll bars, the line
edit's internals...), work the app would not do otherwise: it added some 15-20 ms of CPU to
the app's measured start-up and next to nothing to the bare window's.

With ``COUNTER_READY_PROBE=search`` the app also submits a search for "a" through the window's
task runner the moment it is ready and prints when the answer is back: a window whose database
worker is still busy with start-up work is on screen but not yet usable at the counter.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

ENV_VAR = "COUNTER_READY_PROBE"
MARK = "counter-ready"
SEARCH_MARK = "counter-first-search"


class _Probe(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and isinstance(watched, QWindow):
            watched.removeEventFilter(self)
            # Zero-time timer: runs once the expose (and its paint) and all posted events are
            # handled, i.e. when the window would answer a keystroke.
            QTimer.singleShot(0, _report)
        return False


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (``exec``), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # not Linux: ru_maxrss (bytes on macOS)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _print(mark: str) -> None:
    print(f"{mark} {time.time():.6f} {peak_rss_mb():.1f}", file=sys.stdout, flush=True)


def _report() -> None:
    _print(MARK)
    runners = [w.runner for w in QApplication.topLevelWidgets() if hasattr(w, "runner")]
    if os.environ.get(ENV_VAR) != "search" or not runners:
        QCoreApplication.quit()
        return

    def search(db: object) -> object:
        from counter.search import find_customers  # on the worker, as the window's search

        return find_customers(db, "a")  # type: ignore[arg-type]

    def answered(_result: object) -> None:
        _print(SEARCH_MARK)
        QCoreApplication.quit()

    runners[0].run(search, answered, answered, key="ready-probe")


def watch(window: QWidget) -> None:
    """Call right after ``window.show()``: report once its native window is exposed (and
    painted, and the event loop idle). No-op unless the environment asks for the probe."""
    if not os.environ.get(ENV_VAR):
        return
    handle = window.windowHandle()
    if handle is None:  # never shown: nothing will be exposed
        return
    if handle.isExposed():  # a platform that exposed it at once: the paint is queued
        QTimer.singleShot(0, _report)
        return
    handle.installEventFilter(_Probe(handle))
