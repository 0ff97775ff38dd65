"""Roles: the signed-in :class:`Session` and the check that manager-only functions make.

Every manager-only domain function (review, export, settings, staff, phrase and checklist
admin, erasing data) takes a session and calls :func:`require_manager` first. The check
re-reads the staff row, so a manager who was deactivated or demoted loses access at once and a
hand-made ``Session`` for a non-manager gets nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter.errors import PermissionDenied
from counter.storage import staff_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

ROLES = ("staff", "manager")


@dataclass(frozen=True)
class Session:
    """A signed-in staff member. Made by ``counter.auth.sign_in`` / ``set_up_store``."""

    staff_id: int
    name: str
    role: str
    signed_in_at: int

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def require_manager(db: Database, session: object) -> Session:
    """The session, if it belongs to an active manager; :class:`PermissionDenied` otherwise."""
    if not isinstance(session, Session) or session.role != "manager":
        raise PermissionDenied("a manager's session is required")
    row = staff_sql.get_staff(db, session.staff_id)
    if row is None or not row["active"] or row["role"] != "manager" or not row["pin_hash"]:
        raise PermissionDenied("a manager's session is required")
    return session
