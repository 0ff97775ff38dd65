"""Who is at the counter: sign-in with a name and a PIN, lockout after wrong PINs, first start.

PINs and manager passwords are stored only as argon2id hashes (argon2-cffi). Five wrong PINs
in a row lock that person's sign-in for five minutes; the count lives in the database, so a
restart does not reset it. Manager-only functions take a :class:`Session` and call
:func:`require_manager`, which also re-reads the staff row: a manager who was deactivated or
demoted loses access at once, and a hand-made ``Session`` for a non-manager gets nothing.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from counter import audit
from counter.errors import PermissionDenied, Problem, ValidationError
from counter.i18n import N_, is_known_language
from counter.roles import ROLES, Session, require_manager
from counter.storage import settings_sql, staff_sql, write_transaction
from counter.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "ROLES",
    "Session",
    "SignInLocked",
    "hash_pin",
    "needs_setup",
    "require_manager",
    "set_up_store",
    "sign_in",
    "validate_pin",
]

MAX_FAILURES = 5
LOCK_SECONDS = 5 * 60
STAFF_PIN_LENGTH = (4, 12)  # digits
MANAGER_PIN_LENGTH = (4, 128)  # any characters: a PIN or a password
MAX_NAME = 80

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@cache
def _hasher() -> PasswordHasher:
    """Configuration, not state: argon2id with the library's recommended parameters. Made
    when a PIN is first checked or set (argon2 is not needed to open the window)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


class SignInLocked(ValidationError):
    """Too many wrong PINs: nobody can sign in as this person until ``until`` (epoch s)."""

    def __init__(self, name: str, until: int):
        super().__init__(
            [
                Problem(
                    "pin",
                    N_("Too many wrong PINs. {name} can try again in a few minutes."),
                    {"name": name},
                )
            ]
        )
        self.until = until


def hash_pin(pin: str) -> str:
    return _hasher().hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    """Whether ``pin`` is the one hashed in ``pin_hash`` (an empty hash matches nothing)."""
    if not pin_hash:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def validate_pin(pin: str, role: str) -> list[Problem]:
    """Staff PINs are 4-12 digits; a manager may use a longer password of any characters."""
    if role == "manager":
        low, high = MANAGER_PIN_LENGTH
        if not low <= len(pin) <= high:
            return [
                Problem(
                    "pin",
                    N_("A manager PIN or password has {low} to {high} characters."),
                    {"low": low, "high": high},
                )
            ]
        return []
    low, high = STAFF_PIN_LENGTH
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        return [Problem("pin", N_("A PIN has {low} to {high} digits."), {"low": low, "high": high})]
    return []


def clean_name(name: str) -> tuple[str, list[Problem]]:
    name = clean_line(name)  # a name of only invisible characters is no name
    if not name:
        return name, [Problem("name", N_("Enter a name."))]
    if len(name) > MAX_NAME:
        return name, [
            Problem("name", N_("Keep names under {count} characters."), {"count": MAX_NAME})
        ]
    return name, []


def sign_in(db: Database, staff_id: int, pin: str, *, now: int) -> Session:
    """Check ``pin`` for ``staff_id``; a :class:`Session` on success, else a
    :class:`ValidationError` (wrong PIN) or :class:`SignInLocked`."""
    row = staff_sql.get_staff(db, staff_id)
    if row is None or not row["active"]:
        raise ValidationError([Problem("staff", N_("Choose your name from the list."))])
    if row["locked_until"] is not None and row["locked_until"] > now:
        raise SignInLocked(row["name"], row["locked_until"])
    if not row["pin_hash"]:
        raise ValidationError(
            [
                Problem(
                    "pin",
                    N_("{name} has no PIN yet. Ask a manager to set one."),
                    {"name": row["name"]},
                )
            ]
        )
    # Hash outside the write lock: argon2 is slow on purpose.
    ok = pin_matches(row["pin_hash"], pin)
    new_hash = hash_pin(pin) if ok and _hasher().check_needs_rehash(row["pin_hash"]) else ""
    with write_transaction(db):
        if ok:
            staff_sql.record_success(db, staff_id)
            if new_hash:
                staff_sql.set_pin_hash(db, staff_id, new_hash)
        else:
            state = staff_sql.record_failure(
                db, staff_id, max_failures=MAX_FAILURES, locked_until=now + LOCK_SECONDS
            )
            locked = state["locked_until"] is not None and state["locked_until"] > now
            if locked:
                audit.record(
                    db, at=now, staff_id=None, action="sign_in_locked", subject=f"staff:{staff_id}"
                )
    if ok:
        return Session(staff_id, row["name"], row["role"], now)
    if locked:
        raise SignInLocked(row["name"], state["locked_until"])
    raise ValidationError(
        [
            Problem(
                "pin",
                N_("Wrong PIN (try {attempt} of {max})."),
                {"attempt": state["failed_sign_ins"], "max": MAX_FAILURES},
            )
        ]
    )


def needs_setup(db: Database) -> bool:
    """First start: no active manager who can sign in yet."""
    return staff_sql.count_managers_with_pin(db) == 0


def set_up_store(
    db: Database,
    *,
    store_name: str,
    store_language: str,
    manager_name: str,
    pin: str,
    now: int,
) -> Session:
    """First start: the store's name and language and the first manager, in one transaction.
    Refused once a manager exists: this is not a way to make a second one."""
    if not needs_setup(db):
        raise PermissionDenied("the store is already set up")
    problems: list[Problem] = []
    store_name = " ".join(store_name.split())
    if not store_name:
        problems.append(Problem("store_name", N_("Enter the store's name.")))
    elif len(store_name) > MAX_NAME:
        problems.append(
            Problem("store_name", N_("Keep names under {count} characters."), {"count": MAX_NAME})
        )
    if not store_language or not is_known_language(store_language):
        problems.append(Problem("store_language", N_("Choose a language from the list.")))
    manager_name, name_problems = clean_name(manager_name)
    problems += [Problem("manager_name", p.msgid, p.params) for p in name_problems]
    problems += validate_pin(pin, "manager")
    if problems:
        raise ValidationError(problems)
    pin_hash = hash_pin(pin)
    with write_transaction(db):
        settings_sql.put_setting(db, "store_name", store_name)
        settings_sql.put_setting(db, "store_language", store_language)
        staff_id = staff_sql.insert_staff(db, manager_name, "manager", pin_hash, now)
        audit.record(db, at=now, staff_id=staff_id, action="store_set_up")
    return Session(staff_id, manager_name, "manager", now)
