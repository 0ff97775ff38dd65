"""What start-up does with the database file before the window opens: check it and, while
something is wrong, ask what to do (:mod:`ui.startup_dialog`, loaded only then: a sound start
never shows it, and its widgets' Python types cost start-up time, see ui/early_start.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter.integrity import Health, StartupProblem, Way, check_database
from ui.early_start import full_check_wanted
from ui.error_text import error_text
from ui.i18n import _


@dataclass(frozen=True)
class StartupDecision:
    path: Path
    read_only: bool = False
    full_check_done: bool = True


Ask = Callable[[StartupProblem, Path], tuple[Way, Path | None]]


def resolve_startup(
    path: Path,
    *,
    check: Callable[..., Health] = check_database,
    ask: Ask | None = None,  # None: the startup dialog (ui/startup_dialog.py)
    tell: Callable[[str], None] | None = None,  # None: a message box
    clock: Callable[[], int] = lambda: int(time.time()),
) -> StartupDecision | None:
    """Check ``path`` and, while something is wrong, ask what to do. None: quit."""
    while True:
        full = full_check_wanted(path)
        health = check(path, full_check=full)
        if health.ok:
            return StartupDecision(path, full_check_done=full)
        assert health.problem is not None
        if ask is None or tell is None:
            from ui import startup_dialog

            ask = ask or startup_dialog.ask_with_dialog
            tell = tell or startup_dialog.tell_with_box
        way, chosen = ask(health.problem, path)
        if way is Way.QUIT:
            return None
        if way is Way.READ_ONLY:
            return StartupDecision(path, read_only=True)
        if way is Way.OPEN_OTHER and chosen is not None:
            path = chosen
        elif way is Way.RESTORE and chosen is not None:
            from counter.backup import replace_file_with_backup

            try:
                aside = replace_file_with_backup(chosen, path, now=clock())
            except Exception as error:  # the dialog comes back with the problem
                tell(
                    _("The backup could not be restored: {reason}").format(reason=error_text(error))
                )
            else:
                if aside is not None:
                    tell(
                        _("The backup is back in place. The old file was kept as {path}.").format(
                            path=aside
                        )
                    )
        # Way.RETRY, or a way that was not completed: check again.
