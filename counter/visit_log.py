"""The manager's visit log: which visits match a filter, one page at a time.

Manager only: every function that shows rows takes the manager's
:class:`~counter.roles.Session`. The log is paged in SQL (LIMIT/OFFSET, sorted by any
column), never loaded whole; exports read it in chunks. Durations: wait = service started -
arrived, service = ended - service started, in seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.address import NameParts, full_name
from counter.roles import Session, require_manager
from counter.search import parse_query
from counter.storage import report_sql
from counter.visit_filter import VisitFilter

if TYPE_CHECKING:
    from sqlite_utils import Database

SORT_KEYS = tuple(report_sql.SORT_EXPRESSIONS)
PAGE_SIZE = 200


def filter_where(f: VisitFilter) -> tuple[str, list[Any]]:
    """The filter as one SQL WHERE clause over the visits and its parameters; the customer's
    text is read as a name (any script, a prefix of each word) or a phone number's tail."""
    fts = digits = ""
    if f.customer_text.strip():
        query = parse_query(f.customer_text)
        if query.terms:
            fts = query.fts_prefix()
        elif query.digits:
            digits = query.digits
        else:
            fts = '""'  # matches nothing: text that is neither a name nor a number
    return report_sql.visit_where(f, customer_fts=fts, customer_digits=digits)


@dataclass(frozen=True)
class VisitRow:
    id: int
    arrived_at: int
    started_at: int | None
    ended_at: int | None
    status: str
    customer_id: int | None
    customer_name: str  # as the customer's language writes it; the walk-in's name; '' if erased
    customer_erased: bool
    staff_id: int | None
    staff_name: str
    language: str
    need: str
    solution: str
    outcome: str
    complaint: bool
    steps_total: int
    steps_skipped: int
    wait: int | None
    service: int | None
    # Who ticked or skipped its steps, in the order they first did ("Ana, Béla"): a visit
    # resumed by someone else has two. Only exports read it (iter_visit_rows).
    step_staff: str = ""
    feedback: int | None = None  # the customer's face 1-5; 0 asked, no answer; None not asked
    feedback_reason: str = ""  # a built-in reason key or the store's own text

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> VisitRow:
        erased = row["customer_erased_at"] is not None
        if row["customer_id"] is None:
            name = row["walk_in_name"]
        elif erased:
            name = ""
        else:
            parts = NameParts(
                given=row["given_name"],
                family=row["family_name"],
                native=row["native_name"],
                title=row["title"],
                informal=row["formality"] == "informal",
            )
            name = full_name(parts, row["customer_language"])
        return cls(
            id=row["id"],
            arrived_at=row["arrived_at"],
            started_at=row["started_at"],
            ended_at=row["ended_at"],
            status=row["status"],
            customer_id=row["customer_id"],
            customer_name=name,
            customer_erased=erased,
            staff_id=row["staff_id"],
            staff_name=row["staff_name"],
            language=row["language"],
            need=row["need"],
            solution=row["solution"],
            outcome=row["outcome"],
            complaint=bool(row["complaint"]),
            steps_total=row["steps_total"],
            steps_skipped=row["steps_skipped"],
            wait=row["wait"],
            service=row["service"],
            step_staff=row.get("step_staff") or "",
            feedback=row.get("feedback"),
            feedback_reason=row.get("feedback_reason") or "",
        )


def count_visits(db: Database, session: Session, f: VisitFilter, *, now: int) -> int:
    """How many visits match. Narrowing to one customer is a look at their data: audited."""
    require_manager(db, session)
    if f.names_a_customer():
        subject = f"customer:{f.customer_id}" if f.customer_id is not None else ""
        audit.record(
            db,
            at=now,
            staff_id=session.staff_id,
            action="view_customer_visits",
            subject=subject,
            detail=f.customer_text.strip()[:100],
        )
    return report_sql.count_visits(db, *filter_where(f))


def list_visits(
    db: Database,
    session: Session,
    f: VisitFilter,
    *,
    sort: str = "arrived",
    descending: bool = True,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> list[VisitRow]:
    """One page of the log, sorted by ``sort`` (one of :data:`SORT_KEYS`)."""
    require_manager(db, session)
    if sort not in report_sql.SORT_EXPRESSIONS:
        raise ValueError(f"unknown sort key {sort!r}")
    where, params = filter_where(f)
    rows = report_sql.visit_page(
        db, where, params, sort=sort, descending=descending, limit=limit, offset=offset
    )
    return [VisitRow.from_row(r) for r in rows]


def iter_visit_rows(
    db: Database, f: VisitFilter, *, sort: str, descending: bool, chunk: int = 1000
) -> Iterator[list[VisitRow]]:
    """Chunks of :class:`VisitRow` for the whole filtered log (exports; check the session
    first)."""
    where, params = filter_where(f)
    for rows in report_sql.iter_visits(
        db, where, params, sort=sort, descending=descending, chunk=chunk
    ):
        yield [VisitRow.from_row(r) for r in rows]


def count_matching(db: Database, f: VisitFilter) -> int:
    """Like :func:`count_visits` without the audit entry (exports write their own)."""
    return report_sql.count_visits(db, *filter_where(f))
