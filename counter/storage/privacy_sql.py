"""SQL for a person's data: everything held about one customer, and erasing it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter.storage.customer_sql import ERASED_VALUES

if TYPE_CHECKING:
    from sqlite_utils import Database


Row = dict[str, Any]

# Blanked on erase (customer_sql.ERASED_VALUES). Kept: id, language (statistics by language),
# created_at, last_visit_at.
_ERASED_CUSTOMER = f"""
    UPDATE customers SET {", ".join(f"{c} = :erased_{c}" for c in ERASED_VALUES)},
        updated_at = :now, erased_at = :now
    WHERE id = :id AND erased_at IS NULL
"""
_ERASED_PARAMS = {f"erased_{c}": value for c, value in ERASED_VALUES.items()}
# Free text may name the person ("for her son Emre, 0532..."); times, steps, outcomes, staff
# and the complaint flag stay, so waits, service times and outcomes still add up.
_ERASED_VISITS = """
    UPDATE visits SET need = '', solution = '', walk_in_name = '', discard_reason = '',
        updated_at = :now
    WHERE customer_id = :id
"""
_ERASED_FOLLOW_UPS = (
    "UPDATE follow_ups SET description = '', close_note = '' WHERE customer_id = :id"
)


def customer_row(db: Database, customer_id: int) -> Row | None:
    rows = list(db.query("SELECT * FROM customers WHERE id = ?", [customer_id]))
    return rows[0] if rows else None


def visits_of(db: Database, customer_id: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT v.*, s.name AS staff_name FROM visits v LEFT JOIN staff s ON s.id = v.staff_id
            WHERE v.customer_id = ? ORDER BY v.arrived_at, v.id
            """,
            [customer_id],
        )
    )


def visit_steps_of(db: Database, customer_id: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT st.visit_id, st.position, st.step_key, st.label, st.status, st.at,
                   coalesce(sf.name, '') AS staff_name
            FROM visit_steps st JOIN visits v ON v.id = st.visit_id
            LEFT JOIN staff sf ON sf.id = st.staff_id
            WHERE v.customer_id = ? ORDER BY st.visit_id, st.position
            """,
            [customer_id],
        )
    )


def follow_ups_of(db: Database, customer_id: int) -> list[Row]:
    return list(
        db.query(
            """
            SELECT f.*, o.name AS owner_name FROM follow_ups f
            LEFT JOIN staff o ON o.id = f.owner_id
            WHERE f.customer_id = ? ORDER BY f.due_at, f.id
            """,
            [customer_id],
        )
    )


def audit_entries_about(db: Database, subject: str) -> list[Row]:
    return list(
        db.query(
            """
            SELECT a.at, coalesce(s.name, '') AS staff_name, a.action, a.detail
            FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
            WHERE a.subject = ? ORDER BY a.at, a.id
            """,
            [subject],
        )
    )


def erase_customer(db: Database, customer_id: int, now: int) -> bool:
    """Blank a customer's personal data and free text that may be about them. False if there
    is no such (live) customer. Run inside a write transaction."""
    params = {"id": customer_id, "now": now}
    if db.execute(_ERASED_CUSTOMER, {**params, **_ERASED_PARAMS}).rowcount != 1:
        return False
    db.execute(_ERASED_VISITS, params)
    db.execute(_ERASED_FOLLOW_UPS, params)
    return True
