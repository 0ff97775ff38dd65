"""Who is signed in at this counter: the one place that knows, with a signal when it changes.

Sign-in (``ui/session_actions.py``) and unlocking the idle lock set it; visits, follow-ups and
the audit log are attributed to ``staff_id``; the status bar shows the name.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from counter.roles import Session


class SignedIn(QObject):
    changed = Signal(object)  # the new Session, or None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.session: Session | None = None

    @property
    def staff_id(self) -> int | None:
        return self.session.staff_id if self.session is not None else None

    def set(self, session: Session | None) -> None:
        self.session = session
        self.changed.emit(session)
