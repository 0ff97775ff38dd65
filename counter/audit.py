"""The audit log: every export and every time a manager looks at a customer's data is written
down (who, when, what, whose), and a manager can read it back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from counter.i18n import N_, Gettext
from counter.roles import require_manager
from counter.storage import audit_sql, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database

ACTION_LABELS: dict[str, str] = {
    "export_visits": N_("Exported visits"),
    "view_visit": N_("Opened a visit"),
    "view_customer_visits": N_("Listed a customer's visits"),
    "sign_in_locked": N_("Sign-in locked after wrong PINs"),
    "store_set_up": N_("Set up the store"),
    "staff_added": N_("Added a staff member"),
    "staff_changed": N_("Changed a staff member"),
    "pin_set": N_("Set a PIN"),
    "settings_changed": N_("Changed settings"),
    "checklist_changed": N_("Changed the checklist"),
    "discard_visit": N_("Discarded an open visit"),
    "end_open_visit": N_("Ended a visit left open"),
    "export_customer": N_("Exported one customer's data"),
    "erase_customer": N_("Erased a customer"),
    "import_customers": N_("Imported customers"),
    "export_customers": N_("Exported all customers"),
    "restore_backup": N_("Restored a backup"),
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: int
    staff_id: int | None
    staff_name: str
    action: str
    subject: str  # e.g. customer:42, visit:7, staff:3
    detail: str


def action_label(action: str, gettext: Gettext) -> str:
    msgid = ACTION_LABELS.get(action)
    return gettext(msgid) if msgid else action


def record(
    db: Database,
    *,
    at: int,
    staff_id: int | None,
    action: str,
    subject: str = "",
    detail: str = "",
) -> None:
    """Write one entry (inside the caller's transaction when there is one)."""
    with write_transaction(db):
        audit_sql.insert_entry(
            db, at=at, staff_id=staff_id, action=action, subject=subject, detail=detail
        )


def list_entries(
    db: Database, session: object, *, limit: int = 200, offset: int = 0
) -> list[AuditEntry]:
    """Newest first. Manager only."""
    require_manager(db, session)
    return [AuditEntry(**row) for row in audit_sql.list_entries(db, limit=limit, offset=offset)]


def count_entries(db: Database, session: object) -> int:
    require_manager(db, session)
    return audit_sql.count_entries(db)
