"""What to tell a person when something they asked for fails: the domain's problems, a
locked sign-in, a cancel, a full disk or a read-only file in plain words, never a traceback;
and the red label forms show it in."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QLabel, QWidget

from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.integrity import Trouble, classify_error
from counter.progress import Cancelled
from counter.storage.connection import is_busy
from ui import theme
from ui.i18n import _, current, fill


def error_label(parent: QWidget) -> QLabel:
    """The red, word-wrapped line under a form where ``error_text`` goes; hidden until used."""
    label = QLabel(parent)
    label.setObjectName("formErrors")
    label.setWordWrap(True)
    theme.colour_text(label, theme.DANGER)
    label.hide()
    return label


def _shown(params: dict) -> dict:
    # Numbers the domain puts in a message (limits, counts) read as the UI language writes them.
    tr = current()
    return {
        key: tr.number(value) if isinstance(value, int) and not isinstance(value, bool) else value
        for key, value in params.items()
    }


def error_text(error: BaseException, *, missing: str | None = None) -> str:
    """``missing``: what to say when the record is gone (NotFound), in the caller's words."""
    from counter.auth import SignInLocked  # not at start-up: ui/early_start.py

    if isinstance(error, SignInLocked):
        return _("Too many wrong PINs. Try again after {time}.").format(
            time=current().time(error.until)
        )
    if isinstance(error, ValidationError):
        return "\n".join(fill(_(p.msgid), **_shown(p.params)) for p in error.problems)
    if isinstance(error, Cancelled):
        return _("Cancelled. Nothing was changed.")
    if isinstance(error, NotFound):
        return missing or _("It no longer exists: it was changed or removed elsewhere.")
    if isinstance(error, PermissionDenied):
        return _("Only a manager can do this.")
    if is_busy(error):
        return _(
            "Another program kept the database busy for too long. Nothing was changed; "
            "try again in a moment."
        )
    if isinstance(error, sqlite3.Error | OSError):
        trouble = classify_error(error)
        if trouble is Trouble.DISK_FULL:
            return _("The disk is full. Nothing was changed; free some space and try again.")
        if trouble is Trouble.READ_ONLY:
            return _("Counter cannot save here: the file or folder is read-only.")
    return _("Something went wrong: {reason}").format(reason=str(error)[:200])
