"""Long work with a progress bar and a Cancel button.

Domain functions that take long accept ``progress(done, total) -> bool`` (False = stop). A
:class:`ProgressRelay` is that callback: called on the worker thread, it posts progress to the
GUI thread through a Qt signal (queued across threads) and answers with the Cancel button's
state, which it reads from a thread-safe flag.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # named where used, not at start-up: see ui/early_start.py
    from PySide6.QtWidgets import QProgressDialog

from ui.i18n import _
from ui.tasks import Runner


class ProgressRelay(QObject):
    progressed = Signal(int, int)  # done, total

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._cancel = threading.Event()
        self._last_percent = -1  # touched on the worker thread only

    def __call__(self, done: int, total: int) -> bool:
        # At most ~100 signals per run, however many chunks: the GUI repaints, not drowns.
        percent = done * 100 // total if total else 100
        if percent != self._last_percent or done == total:
            self._last_percent = percent
            self.progressed.emit(done, total)
        return not self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


def run_with_progress(
    parent: QWidget,
    runner: Runner,
    label: str,
    work: Callable[[Any, ProgressRelay], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> QProgressDialog:
    """Run ``work(db, progress)`` on the task runner behind a modal progress dialog."""
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(label, _("Cancel"), 0, 100, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(label)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    relay = ProgressRelay(dialog)
    dialog.canceled.connect(relay.cancel)

    def show(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    relay.progressed.connect(show)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        dialog.canceled.disconnect(relay.cancel)
        dialog.close()
        dialog.deleteLater()
        callback(value)

    runner.run(
        lambda db: work(db, relay),
        lambda result: finish(on_done, result),
        lambda error: finish(on_error, error),
    )
    return dialog
