"""Progress and cancel for long work (import, backup, restore).

The convention the whole app uses (see ``ui/progress.py``, ``counter.export``): long work takes
``progress(done, total)`` and calls it now and then; the callback answers False to ask the work
to stop (it may also raise :class:`Cancelled` itself). Work stopped this way rolls back:
nothing of it remains.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    """The person pressed Cancel; everything the work had done was undone."""


def tick(progress: Progress | None, done: int, total: int) -> None:
    """Report progress; raise :class:`Cancelled` if the callback says stop."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled
