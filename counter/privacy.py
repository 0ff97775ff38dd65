"""A customer's rights over their data: a copy of everything held about them (JSON for
machines, CSV for people), and erasure. Both are manager-only and both are written in the
audit log (who, when, which customer; never the person's data itself).

Erasing keeps the statistics right: the customer row stays as an anonymous shell (its id, the
language, when it was created and last seen) so visits keep pointing at "a customer" and waits,
service times, outcomes and return rates still add up. What is gone: names, phone, e-mail,
card, notes, the search key (so search can never find them), and the free text of their visits
and follow-ups (need, solution, notes), which staff often write about the person. Copies in
older backups remain until those backups rotate out.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter import audit, auth
from counter.cell_guard import safe_writer
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_
from counter.roles import Session, require_manager
from counter.storage import privacy_sql, staff_sql, write_transaction
from counter.storage.customer_sql import CUSTOMER_FIELDS

if TYPE_CHECKING:
    from sqlite_utils import Database

_CUSTOMER_FIELDS = ("id", *CUSTOMER_FIELDS, "created_at", "updated_at", "last_visit_at")
_VISIT_FIELDS = (
    "id",
    "arrived_at",
    "started_at",
    "ended_at",
    "status",
    "staff_name",
    "language",
    "need",
    "solution",
    "outcome",
    "complaint",
    "feedback",  # the customer's own answer: 1-5, 0 asked and not answered, empty not asked
    "feedback_reason",
    "feedback_at",
)
_FOLLOW_UP_FIELDS = ("id", "description", "due_at", "created_at", "closed_at", "owner_name")


@dataclass(frozen=True)
class CustomerData:
    """Everything about one customer, as plain data (timestamps are epoch seconds UTC)."""

    customer: dict[str, Any]
    visits: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    audit: list[dict[str, Any]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "customer": self.customer,
                "visits": self.visits,
                "follow_ups": self.follow_ups,
                "audit_log": self.audit,
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_csv(self) -> str:
        """One readable file: a section per kind of record, each with its own header (text a
        spreadsheet would run as a formula guarded, see :mod:`counter.cell_guard`)."""
        out = io.StringIO()
        writer = safe_writer(out)
        writer.writerow(["customer"])
        writer.writerow(_CUSTOMER_FIELDS)
        writer.writerow([self.customer.get(f, "") for f in _CUSTOMER_FIELDS])
        for title, fields, rows in (
            ("visits", (*_VISIT_FIELDS, "steps"), self.visits),
            ("follow_ups", _FOLLOW_UP_FIELDS, self.follow_ups),
            ("audit_log", ("at", "staff_name", "action", "detail"), self.audit),
        ):
            writer.writerow([])
            writer.writerow([title])
            writer.writerow(fields)
            for row in rows:
                writer.writerow([_cell(row.get(f, "")) for f in fields])
        return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list):  # a visit's steps
        return "; ".join(f"{s['step_key']}={s['status']}@{s['at'] or ''}" for s in value)
    return "" if value is None else value


def _subject(customer_id: int) -> str:
    return f"customer:{customer_id}"


def customer_data(db: Database, session: Session, customer_id: int, *, now: int) -> CustomerData:
    """A copy of everything held about a customer (manager only; audited as an export)."""
    require_manager(db, session)
    row = privacy_sql.customer_row(db, customer_id)
    if row is None or row["erased_at"] is not None:
        raise NotFound(customer_id)
    steps: dict[int, list[dict[str, Any]]] = {}
    for step in privacy_sql.visit_steps_of(db, customer_id):
        steps.setdefault(step["visit_id"], []).append(
            {k: step[k] for k in ("step_key", "label", "status", "at", "staff_name")}
        )
    visits = [
        {**{f: v[f] for f in _VISIT_FIELDS}, "steps": steps.get(v["id"], [])}
        for v in privacy_sql.visits_of(db, customer_id)
    ]
    follow_ups = [
        {f: r[f] for f in _FOLLOW_UP_FIELDS} for r in privacy_sql.follow_ups_of(db, customer_id)
    ]
    history = privacy_sql.audit_entries_about(db, _subject(customer_id))
    audit.record(
        db,
        at=now,
        staff_id=session.staff_id,
        action="export_customer",
        subject=_subject(customer_id),
    )
    return CustomerData({f: row[f] for f in _CUSTOMER_FIELDS}, visits, follow_ups, history)


def erase_customer(db: Database, session: Session, customer_id: int, *, now: int) -> None:
    """Erase a customer's personal data for good (manager only; audited). Their visits stay,
    anonymous, so the statistics do not change."""
    require_manager(db, session)
    with write_transaction(db):
        if not privacy_sql.erase_customer(db, customer_id, now):
            raise NotFound(customer_id)
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="erase_customer",
            subject=_subject(customer_id),
        )


def unlock_read_only(db: Database, staff_id: int, pin: str, *, now: int) -> Session:
    """The idle lock's check on a database opened read-only, where ``auth.sign_in`` cannot
    count wrong PINs (it writes): the PIN is checked, nothing is recorded."""
    row = staff_sql.get_staff(db, staff_id)
    if row is None or not row["active"] or not auth.pin_matches(row["pin_hash"], pin):
        raise ValidationError([Problem("pin", N_("Wrong PIN."))])
    return Session(staff_id, row["name"], row["role"], now)
