"""What to tell a person when long data work (import, backup, restore, erase) fails: the
domain's problems, a cancel, a full disk or a read-only file in plain words, never a traceback."""

from __future__ import annotations

import sqlite3

from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.integrity import Trouble, classify_error
from counter.progress import Cancelled
from ui.i18n import _


def error_text(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return "\n".join(_(p.msgid).format(**p.params) for p in error.problems)
    if isinstance(error, Cancelled):
        return _("Cancelled. Nothing was changed.")
    if isinstance(error, NotFound):
        return _("That customer no longer exists.")
    if isinstance(error, PermissionDenied):
        return _("Only a manager can do this.")
    if isinstance(error, sqlite3.Error | OSError):
        trouble = classify_error(error)
        if trouble is Trouble.DISK_FULL:
            return _("The disk is full. Nothing was changed; free some space and try again.")
        if trouble is Trouble.READ_ONLY:
            return _("Counter cannot save here: the file or folder is read-only.")
    return _("Something went wrong: {reason}").format(reason=str(error)[:200])
