"""Staff members: the sign-in list (anyone) and staff admin (managers only): add people, set
PINs, change roles, deactivate, lift a lockout. The store always keeps one manager who can
sign in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.auth import ROLES, clean_name, hash_pin, validate_pin
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_
from counter.roles import Session, require_manager
from counter.storage import staff_sql, write_transaction

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class StaffMember:
    id: int
    name: str
    role: str
    active: bool
    has_pin: bool
    locked_until: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StaffMember:
        return cls(
            id=row["id"],
            name=row["name"],
            role=row["role"],
            active=bool(row["active"]),
            has_pin=bool(row["pin_hash"]),
            locked_until=row["locked_until"],
        )

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    def locked(self, now: int) -> bool:
        return self.locked_until is not None and self.locked_until > now


def sign_in_list(db: Database) -> list[StaffMember]:
    """Who can be chosen in the sign-in dialog: active staff, by name."""
    return [StaffMember.from_row(r) for r in staff_sql.all_staff(db, active_only=True)]


def list_staff(db: Database, session: Session) -> list[StaffMember]:
    """Everyone, including deactivated people. Manager only."""
    require_manager(db, session)
    return [StaffMember.from_row(r) for r in staff_sql.all_staff(db, active_only=False)]


def _get(db: Database, staff_id: int) -> dict[str, Any]:
    row = staff_sql.get_staff(db, staff_id)
    if row is None:
        raise NotFound(staff_id)
    return row


def add_staff(
    db: Database, session: Session, *, name: str, role: str, pin: str, now: int
) -> StaffMember:
    require_manager(db, session)
    name, problems = clean_name(name)
    if role not in ROLES:
        problems.append(Problem("role", N_("Choose a role from the list.")))
    else:
        problems += validate_pin(pin, role)
    if problems:
        raise ValidationError(problems)
    pin_hash = hash_pin(pin)
    with write_transaction(db):
        staff_id = staff_sql.insert_staff(db, name, role, pin_hash, now)
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="staff_added",
            subject=f"staff:{staff_id}",
            detail=role,
        )
    return StaffMember.from_row(_get(db, staff_id))


def set_pin(db: Database, session: Session, staff_id: int, pin: str, *, now: int) -> None:
    """A new PIN (and the lockout lifted). Manager only."""
    require_manager(db, session)
    row = _get(db, staff_id)
    problems = validate_pin(pin, row["role"])
    if problems:
        raise ValidationError(problems)
    pin_hash = hash_pin(pin)
    with write_transaction(db):
        staff_sql.set_pin_hash(db, staff_id, pin_hash)
        audit.record(
            db, at=now, staff_id=session.staff_id, action="pin_set", subject=f"staff:{staff_id}"
        )


def update_staff(
    db: Database,
    session: Session,
    staff_id: int,
    *,
    name: str,
    role: str,
    active: bool,
    now: int,
) -> StaffMember:
    """Rename, change role, (de)activate. Refuses to leave the store without a manager who can
    sign in. Manager only."""
    require_manager(db, session)
    row = _get(db, staff_id)
    name, problems = clean_name(name)
    if role not in ROLES:
        problems.append(Problem("role", N_("Choose a role from the list.")))
    elif role == "manager" and not row["pin_hash"]:
        problems.append(Problem("role", N_("Set a manager PIN or password first.")))
    if problems:
        raise ValidationError(problems)
    with write_transaction(db):
        stays_manager = role == "manager" and active
        if not stays_manager and staff_sql.count_managers_with_pin(db, excluding=staff_id) == 0:
            raise ValidationError(
                [Problem("role", N_("The store needs at least one manager who can sign in."))]
            )
        staff_sql.update_staff(db, staff_id, name=name, role=role, active=active)
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="staff_changed",
            subject=f"staff:{staff_id}",
            detail=f"{role}, {'active' if active else 'inactive'}",
        )
    return StaffMember.from_row(_get(db, staff_id))
