"""Follow-ups: a promise made at the counter becomes a task with a due date and an owner, so
the store calls the customer before they have to call. Closing one records who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from counter.address import NameParts, full_name
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_
from counter.local_days import day_start, local_day
from counter.storage import customer_sql, staff_sql, visit_sql, write_transaction
from counter.text import clean_line, length_problem

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_DESCRIPTION = 300
MAX_NOTE = 300


@dataclass(frozen=True)
class FollowUpItem:
    id: int
    customer_id: int
    customer_name: str
    phone: str
    visit_id: int | None
    description: str
    due_at: int
    owner_id: int | None
    owner_name: str
    created_at: int
    created_by: int | None
    closed_at: int | None
    closed_by: int | None
    closed_by_name: str
    close_note: str

    def overdue(self, now: int) -> bool:
        return self.closed_at is None and self.due_at < now

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> FollowUpItem:
        parts = NameParts(row["given_name"], row["family_name"], row["native_name"])
        return cls(
            id=row["id"],
            customer_id=row["customer_id"],
            customer_name=full_name(parts, row["customer_language"]),
            phone=row["phone"],
            visit_id=row["visit_id"],
            description=row["description"],
            due_at=row["due_at"],
            owner_id=row["owner_id"],
            owner_name=row["owner_name"] or "",
            created_at=row["created_at"],
            created_by=row["created_by"],
            closed_at=row["closed_at"],
            closed_by=row["closed_by"],
            closed_by_name=row["closed_by_name"] or "",
            close_note=row["close_note"],
        )


@dataclass(frozen=True)
class FollowUpChange:
    """What a follow-up write changed: the follow-up, and whose profile shows it."""

    follow_up: FollowUpItem

    @property
    def customer_id(self) -> int:
        return self.follow_up.customer_id


@dataclass(frozen=True)
class StaffChoice:
    id: int
    name: str


def _clean(text: str, limit: int, field: str, problems: list[Problem]) -> str:
    value = clean_line(text)
    if problem := length_problem(field, value, limit):
        problems.append(problem)
    return value


def get_follow_up(db: Database, follow_up_id: int) -> FollowUpItem:
    row = visit_sql.get_follow_up(db, follow_up_id)
    if row is None:
        raise NotFound(follow_up_id)
    return FollowUpItem.from_row(row)


def create_follow_up(
    db: Database,
    *,
    customer_id: int,
    description: str,
    due_at: int,
    owner_id: int | None,
    created_by: int | None,
    now: int,
    tz: tzinfo | None,
    visit_id: int | None = None,
) -> FollowUpChange:
    """Record a promise: what will be done for whom, by when, and by whom. A due date earlier
    than the start of today in the counter's time zone ``tz`` (None: this computer's) is
    refused (it is a typing slip, not a promise)."""
    problems: list[Problem] = []
    text = _clean(description, MAX_DESCRIPTION, "description", problems)
    if not text:
        problems.append(Problem("description", N_("Say what was promised, in a few words.")))
    if due_at < day_start(local_day(now, tz), tz):
        problems.append(Problem("due_at", N_("The due date is in the past.")))
    if problems:
        raise ValidationError(problems)
    with write_transaction(db):
        row = customer_sql.get_customer(db, customer_id)
        if row is None or row["erased_at"] is not None:
            raise NotFound(customer_id)
        if owner_id is not None and staff_sql.get_staff(db, owner_id) is None:
            raise ValidationError([Problem("owner_id", N_("Choose who will do it."))])
        follow_up_id = visit_sql.insert_follow_up(
            db,
            {
                "customer_id": customer_id,
                "visit_id": visit_id,
                "owner_id": owner_id,
                "description": text,
                "due_at": due_at,
                "created_at": now,
                "created_by": created_by,
            },
        )
        item = get_follow_up(db, follow_up_id)
    return FollowUpChange(item)


def list_follow_ups(
    db: Database,
    *,
    now: int,
    overdue_only: bool = False,
    owner_id: int | None = None,
    customer_id: int | None = None,
) -> list[FollowUpItem]:
    """Open follow-ups, soonest due first; ``overdue_only`` keeps those past their due time."""
    rows = visit_sql.open_follow_ups(
        db,
        due_before=now if overdue_only else None,
        owner_id=owner_id,
        customer_id=customer_id,
    )
    return [FollowUpItem.from_row(row) for row in rows]


def close_follow_up(
    db: Database, follow_up_id: int, *, by: int | None, now: int, note: str = ""
) -> FollowUpChange:
    """Mark a promise kept (or otherwise settled), recording who closed it and when."""
    problems: list[Problem] = []
    note = _clean(note, MAX_NOTE, "note", problems)
    if problems:
        raise ValidationError(problems)
    with write_transaction(db):
        if not visit_sql.close_follow_up(db, follow_up_id, by, now, note):
            get_follow_up(db, follow_up_id)  # NotFound if it never existed
            raise ValidationError([Problem("follow_up", N_("This follow-up is already closed."))])
        item = get_follow_up(db, follow_up_id)
    return FollowUpChange(item)


def staff_choices(db: Database) -> list[StaffChoice]:
    """Who can own a follow-up: the active staff, by name."""
    return [
        StaffChoice(row["id"], row["name"]) for row in staff_sql.all_staff(db, active_only=True)
    ]
