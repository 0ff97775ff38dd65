"""Many stores, one office: the chain-wide dashboard and visit log, read from the hub.

Who may read what is decided twice. On the hub, by PostgreSQL: a store's login reads only its
store's rows (row-level security, migration h001), an office login (a member of
``counter_office``, ``counter hub office-role NAME``) reads every store but never a staff
member's PIN hash (h002). Here, by :func:`open_scope`: an office login's scope is every store;
any other login is a store's, and then only a signed-in manager of that counter may look, and
only at that store. Asking for a store outside the scope raises PermissionDenied before any
SQL runs.

A store manager's own-store views (``counter.dashboard``, ``counter.visit_log``) keep reading
the local file and work offline; these functions need the hub. The figures mean the same as
the local dashboard's (a test compares one store's): ended visits that arrived in the period,
wait = service started - arrived, service = ended - started, percentiles linear between ranks
(``counter.durations``, shared with the local dashboard), returning = the customer had an
earlier visit at that store that was not discarded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlite_utils import Database

from counter import feedback
from counter.address import NameParts, full_name
from counter.durations import Durations, Targets, minute_top, minutes_needed
from counter.errors import NotFound, PermissionDenied
from counter.hub import office_sql
from counter.roles import require_manager
from counter.visit_log import VisitRow
from counter.visit_timeline import VisitFollowUp, VisitTimeline, timeline_events

PAGE_SIZE = 200


@dataclass(frozen=True)
class StoreInfo:
    """A store as the office sees it, with its settings as they apply (its own, else the
    hub's defaults for new stores)."""

    id: int
    name: str
    language: str
    wait_amber_minutes: int
    wait_red_minutes: int
    service_target_minutes: int

    @property
    def targets(self) -> Targets:
        return Targets(wait=self.wait_amber_minutes * 60, service=self.service_target_minutes * 60)


@dataclass(frozen=True)
class OfficeScope:
    """What this hub login may read: ``office`` logins every store, a store's login its own."""

    login: str
    office: bool
    stores: tuple[StoreInfo, ...]

    def store_ids(self, wanted: Sequence[int] = ()) -> tuple[int, ...]:
        """The stores asked for (all of the scope's when none): PermissionDenied for one
        outside it."""
        mine = tuple(s.id for s in self.stores)
        if not wanted:
            return mine
        outside = set(wanted) - set(mine)
        if outside:
            raise PermissionDenied(f"this hub login may not read store(s) {sorted(outside)}")
        return tuple(dict.fromkeys(wanted))

    def store(self, store_id: int) -> StoreInfo:
        for s in self.stores:
            if s.id == store_id:
                return s
        raise PermissionDenied(f"this hub login may not read store {store_id}")


def open_scope(
    conn: psycopg.Connection,
    *,
    db: Database | None = None,
    session: object = None,
    store_id: int | None = None,
    _checked_store: int | None = None,
) -> OfficeScope:
    """The scope of the hub login ``conn`` is signed in with. An office login needs nothing
    else. A store's login needs the counter's file ``db``, a manager's ``session`` on it
    (:func:`counter.roles.require_manager`) and the counter's ``store_id`` (sync state): then
    the scope is that store alone, whatever else the login could see."""
    user, office = office_sql.login(conn)
    stores = tuple(
        StoreInfo(
            id=r["store_id"],
            name=r["name"],
            language=r["language"],
            wait_amber_minutes=r["wait_amber_minutes"],
            wait_red_minutes=r["wait_red_minutes"],
            service_target_minutes=r["service_target_minutes"],
        )
        for r in office_sql.store_targets(conn)
    )
    if office:
        return OfficeScope(user, True, stores)
    if _checked_store is not None:  # link_request checked the manager on the counter
        store_id = _checked_store
    elif db is None:
        raise PermissionDenied("a store's hub login reads through a manager's session")
    else:
        require_manager(db, session)
    own = tuple(s for s in stores if s.id == store_id)
    if store_id is None or not own:
        raise PermissionDenied("this counter's store is not this hub login's")
    return OfficeScope(user, False, own)


# dashboard: the per-store comparison ----------------------------------------------------------
@dataclass(frozen=True)
class StoreAnswers:
    """The customers' answers on the customer screen at one store (ended visits whose
    customer was asked), as the store's own dashboard counts them (counter.feedback)."""

    asked: int = 0  # answered + not answered in time
    faces: dict[int, int] = field(default_factory=dict)  # face 1-5 -> answers

    @property
    def answered(self) -> int:
        return sum(self.faces.values())

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def overall(self) -> feedback.Mean:
        return feedback.Mean(self.answered, sum(face * n for face, n in self.faces.items()))

    @property
    def poor(self) -> int:
        return sum(n for face, n in self.faces.items() if feedback.is_poor(face))

    @property
    def poor_share(self) -> float | None:
        return self.poor / self.answered if self.answered else None


@dataclass(frozen=True)
class StoreStats:
    """One store's row of the comparison, against that store's own targets."""

    store: StoreInfo
    visits: int
    wait: Durations
    service: Durations
    steps_done: int
    steps_total: int
    complaints: int
    returning: int
    known_customer_visits: int
    overdue_follow_ups: int
    answers: StoreAnswers = field(default_factory=StoreAnswers)

    @property
    def steps_share(self) -> float | None:
        return self.steps_done / self.steps_total if self.steps_total else None

    @property
    def complaint_share(self) -> float | None:
        return self.complaints / self.visits if self.visits else None

    @property
    def returning_share(self) -> float | None:
        return self.returning / self.visits if self.visits else None


def store_comparison(
    conn: psycopg.Connection,
    scope: OfficeScope,
    *,
    start: int,
    end: int,
    now: int,
    store_ids: Sequence[int] = (),
    use_summary: bool = True,
) -> list[StoreStats]:
    """Every store of the scope (or those asked for) side by side for arrivals in [start, end),
    ordered by store name. From the hub's daily summary for the whole UTC days of the period
    and the visits themselves for the part days at either end; percentiles from minute
    histograms with the exact seconds of the minutes that decide them (as the local
    dashboard's summary does), those seconds from the summary's per-second counts of those
    minutes (h004), never from the whole days' visits. ``use_summary=False``: every figure
    from the visits (the oracle the tests compare with)."""
    ids = scope.store_ids(store_ids)
    if use_summary:
        rows = _summary_rows(conn, scope, ids, start, end, now)
    else:
        rows = {r["store_id"]: r for r in office_sql.store_comparison(conn, start, end, ids, now)}
    answers = store_answers(conn, scope, start=start, end=end, store_ids=ids)
    result = []
    for store in scope.stores:
        r = rows.get(store.id)
        if store.id not in ids or r is None:
            continue

        def durations(kind: str, r: dict[str, Any] = r) -> Durations:
            median, p90 = r[f"{kind}_median"], r[f"{kind}_p90"]
            return Durations(
                count=r[f"{kind}s"],
                median=float(median) if median is not None else None,
                p90=float(p90) if p90 is not None else None,
                target=r[f"{kind}_target"],
                within_target=r[f"{kind}_within"],
            )

        result.append(
            StoreStats(
                store=store,
                visits=r["visits"],
                wait=durations("wait"),
                service=durations("service"),
                steps_done=r["steps_done"],
                steps_total=r["steps_total"],
                complaints=r["complaints"],
                returning=r["returning"],
                known_customer_visits=r["known"],
                overdue_follow_ups=r["overdue"],
                answers=answers.get(store.id, StoreAnswers()),
            )
        )
    return result


def store_answers(
    conn: psycopg.Connection,
    scope: OfficeScope,
    *,
    start: int,
    end: int,
    store_ids: Sequence[int] = (),
) -> dict[int, StoreAnswers]:
    """Per store of the scope (or those asked for): the answers of ended visits that arrived
    in [start, end). A store whose customers were never asked is left out."""
    asked: dict[int, int] = {}
    faces: dict[int, dict[int, int]] = {}
    days, _parts, hours, raw = _summary_ranges(start, end)
    for store_id, face, visits in office_sql.answers_by_store(
        conn, scope.store_ids(store_ids), days or (0, 0), hours, raw
    ):
        asked[store_id] = asked.get(store_id, 0) + visits
        if face in feedback.FACES:
            faces.setdefault(store_id, {})[face] = visits
    return {
        store_id: StoreAnswers(
            n, {face: faces.get(store_id, {}).get(face, 0) for face in feedback.FACES}
        )
        for store_id, n in asked.items()
    }


_DAY, _HOUR = 86_400, 3_600
# The summary's minute slots (hub migration h004): slot m + 2 holds minute m of 0..1440, slot
# 1 every minute below 0, slot 1443 every minute above a day. The two catch-alls stand in the
# histogram as these minutes (their order is all that counts, unless one decides a figure:
# then its visits are read).
_BELOW, _ABOVE = -(10**9), 10**9
_CATCH_ALL = (_BELOW, _ABOVE)
_LAST_SLOT = 1443
_COUNTS = ("visits", "complaints", "returning_visits", "known", "steps_done", "steps_total")


def _split(start: int, end: int, size: int) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """[start, end) as whole units of ``size`` seconds [first, end) and the parts left at
    either end (seconds)."""
    first, last = -(-start // size), end // size
    if first >= last:
        return None, [(start, end)] if start < end else []
    return (first, last), [(a, b) for a, b in ((start, first * size), (last * size, end)) if a < b]


_Ranges = list[tuple[int, int]]


def _summary_ranges(
    start: int, end: int
) -> tuple[tuple[int, int] | None, _Ranges, _Ranges, _Ranges]:
    """[start, end) as the whole UTC days, the part days at either end (seconds), their whole
    hours and the seconds left over: what the hub's summaries (h004, h005) and the visits
    answer."""
    days, parts = _split(start, end, _DAY)
    hours: list[tuple[int, int]] = []
    raw: list[tuple[int, int]] = []
    for a, b in parts:
        whole, rest = _split(a, b, _HOUR)
        hours += [whole] if whole else []
        raw += rest
    return days, parts, hours, raw


def _slot_minute(slot: int) -> int:
    return _BELOW if slot == 1 else _ABOVE if slot == _LAST_SLOT else slot - 2


def _summary_rows(
    conn: psycopg.Connection,
    scope: OfficeScope,
    ids: Sequence[int],
    start: int,
    end: int,
    now: int,
) -> dict[int, dict[str, Any]]:
    days, parts, hours, raw = _summary_ranges(start, end)
    overdue = office_sql.overdue_follow_ups(conn, ids, now)
    rows: dict[int, dict[str, Any]] = {
        sid: dict.fromkeys(_COUNTS, 0) | {"overdue": overdue.get(sid, 0)} for sid in ids
    }
    slots: dict[tuple[int, str], list[int]] = {}  # [slot - 1] -> visits
    for r in office_sql.period_summary(conn, ids, days or (0, 0), hours, raw):
        row = rows[r["store_id"]]
        for key in _COUNTS:
            row[key] += int(r[key] or 0)
        for kind in ("wait", "service"):
            counts = slots.setdefault((r["store_id"], kind), [])
            added = r[f"{kind}_minutes"] or ()
            if len(counts) < len(added):
                counts.extend([0] * (len(added) - len(counts)))
            for at, n in enumerate(added):
                if n:
                    counts[at] += n
    minutes: dict[str, dict[int, list[tuple[int, int]]]] = {}
    needed: dict[str, dict[int, set[int]]] = {}
    for kind in ("wait", "service"):
        minutes[kind] = {
            sid: [(_slot_minute(at + 1), n) for at, n in enumerate(slots.get((sid, kind), ())) if n]
            for sid in ids
        }
        needed[kind] = {
            sid: minutes_needed(minutes[kind][sid], _target(scope.store(sid), kind)) for sid in ids
        }
    pairs = {
        kind: [(sid, m) for sid, ms in by_store.items() for m in sorted(ms) if m not in _CATCH_ALL]
        for kind, by_store in needed.items()
    }
    exact: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for kind, store_id, seconds, visits in office_sql.deciding_seconds(conn, pairs, days, parts):
        exact.setdefault((kind, store_id), []).append((seconds, visits))
    for kind in ("wait", "service"):
        for above, sentinel in ((False, _BELOW), (True, _ABOVE)):
            deciding = [sid for sid in ids if sentinel in needed[kind][sid]]
            if deciding:
                found = office_sql.outlier_seconds(conn, kind, deciding, above, start, end)
                for store_id, seconds, visits in found:
                    exact.setdefault((kind, store_id), []).append((seconds, visits))
        for store_id in ids:
            rows[store_id]["returning"] = rows[store_id]["returning_visits"]
            target = _target(scope.store(store_id), kind)
            hist = exact.get((kind, store_id), []) + [
                (minute_top(m), n)
                for m, n in minutes[kind][store_id]
                if m not in needed[kind][store_id]
            ]
            d = Durations.of(hist, target)
            rows[store_id].update(
                {
                    f"{kind}s": d.count,
                    f"{kind}_median": d.median,
                    f"{kind}_p90": d.p90,
                    f"{kind}_target": target,
                    f"{kind}_within": d.within_target,
                }
            )
    return rows


def _target(store: StoreInfo, kind: str) -> int:
    return store.targets.wait if kind == "wait" else store.targets.service


# the chain's visit log -------------------------------------------------------------------------
@dataclass(frozen=True)
class OfficeFilter:
    """The visit log's filter across stores (ids are the hub's global ids)."""

    store_ids: tuple[int, ...] = ()  # none: every store of the scope
    start: int | None = None
    end: int | None = None
    staff_gids: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    customer_gid: str | None = None
    complaint: bool | None = None
    steps_skipped: bool | None = None
    wait_over: int | None = None
    service_over: int | None = None
    statuses: tuple[str, ...] = ("ended",)
    # A customer's name or phone searched (find_customers): the customers it matched here
    # (every counter holds every customer); None: no search, (): nobody matched.
    customer_gids: tuple[str, ...] | None = None

    def as_sql(self, store_ids: Sequence[int]) -> dict[str, Any]:
        return {**self.__dict__, "store_ids": tuple(store_ids)}


@dataclass(frozen=True)
class OfficeVisitRow:
    """One visit of the chain's log: the local log's columns and the store's."""

    gid: str
    store_id: int
    store_name: str
    arrived_at: int
    started_at: int | None
    ended_at: int | None
    status: str
    customer_gid: str | None
    customer_name: str
    customer_erased: bool
    staff_gid: str | None
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
    feedback: str = ""  # the customer's face "1"-"5", "0" asked and no answer, "" not asked
    feedback_reason: str = ""  # a built-in reason key or the store's own text
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def _customer_name(row: dict[str, Any]) -> tuple[str, bool]:
    customer = row["customer"]
    if row["customer_gid"] is None or customer is None:
        return row["walk_in_name"], False
    if customer.get("erased_at") is not None:
        return "", True
    parts = NameParts(
        given=customer.get("given_name") or "",
        family=customer.get("family_name") or "",
        native=customer.get("native_name") or "",
        title=customer.get("title") or "",
        informal=customer.get("formality") == "informal",
    )
    return full_name(parts, customer.get("language") or ""), False


def list_visits(
    conn: psycopg.Connection,
    scope: OfficeScope,
    f: OfficeFilter,
    *,
    limit: int = PAGE_SIZE,
    before: tuple[int, str] | None = None,
) -> list[OfficeVisitRow]:
    """One page of the chain's log, newest first (``before``: the last row's (arrived_at,
    gid) for the next page)."""
    names = {s.id: s.name for s in scope.stores}
    rows = office_sql.visit_page(conn, _sql_filter(scope, f), limit=limit, before=before)
    result = []
    for r in rows:
        name, erased = _customer_name(r)
        result.append(
            OfficeVisitRow(
                gid=r["gid"],
                store_id=r["store_id"],
                store_name=names.get(r["store_id"], ""),
                arrived_at=r["arrived_at"],
                started_at=r["started_at"],
                ended_at=r["ended_at"],
                status=r["status"],
                customer_gid=r["customer_gid"],
                customer_name=name,
                customer_erased=erased,
                staff_gid=r["staff_gid"],
                staff_name=r["staff_name"],
                language=r["language"],
                need=r["need"],
                solution=r["solution"],
                outcome=r["outcome"],
                complaint=r["complaint"],
                steps_total=r["steps_total"],
                steps_skipped=r["steps_skipped"],
                wait=r["wait"],
                service=r["service"],
                feedback=r["feedback"],
                feedback_reason=r.get("feedback_reason") or "",
            )
        )
    return result


def count_visits(conn: psycopg.Connection, scope: OfficeScope, f: OfficeFilter) -> int:
    return office_sql.count_visits(conn, _sql_filter(scope, f))


def _sql_filter(scope: OfficeScope, f: OfficeFilter) -> dict[str, Any]:
    """The filter for office_sql, stores checked against the scope. The office reading every
    store asks for no store at all (row-level security keeps it to what it may read): a list
    of every store would make PostgreSQL merge one index range per store instead of reading
    the newest visits in order."""
    ids = scope.store_ids(f.store_ids)
    return f.as_sql(() if scope.office and not f.store_ids else ids)


MAX_CUSTOMERS = 5000  # a name matching more customers than this is too short to narrow


def find_customers(db: Database, session: object, text: str, *, now: int) -> tuple[str, ...]:
    """The global ids of the customers ``text`` finds in this counter's file (a name in any
    script, accents optional, or a phone number's tail: the search the store's own log uses;
    customers are hub-wide, so every counter holds every one), for OfficeFilter.customer_gids.
    Manager only, and audited like the store's log narrowed to a customer. ValidationError
    when more than MAX_CUSTOMERS match."""
    from counter import audit
    from counter.errors import Problem, ValidationError
    from counter.i18n import N_
    from counter.search import parse_query
    from counter.storage import office_search_sql

    manager = require_manager(db, session)
    query = parse_query(text)
    if query.terms:
        gids = office_search_sql.customer_gids(db, fts=query.fts_prefix(), limit=MAX_CUSTOMERS + 1)
    elif query.digits:
        gids = office_search_sql.customer_gids(db, digits=query.digits, limit=MAX_CUSTOMERS + 1)
    else:
        gids = []
    if len(gids) > MAX_CUSTOMERS:
        raise ValidationError(
            [
                Problem(
                    "customer",
                    N_("More than {count} customers match: type more of the name."),
                    {"count": MAX_CUSTOMERS},
                )
            ]
        )
    audit.record(
        db,
        at=now,
        staff_id=manager.staff_id,
        action="view_customer_visits",
        detail=text.strip()[:100],
    )
    return tuple(gids)


@dataclass(frozen=True)
class OfficeStaff:
    gid: str
    store_id: int
    name: str


def list_staff(
    conn: psycopg.Connection, scope: OfficeScope, store_ids: Sequence[int] = ()
) -> list[OfficeStaff]:
    """The staff of the scope's stores (or those asked for), by name: names only."""
    return [
        OfficeStaff(r["gid"], r["store_id"], r["name"])
        for r in office_sql.staff_names(conn, scope.store_ids(store_ids))
    ]


# one visit's timeline, read from the hub --------------------------------------------------------
def _face(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def load_visit_timeline(
    conn: psycopg.Connection, scope: OfficeScope, gid: str, *, now: int
) -> VisitTimeline:
    """One visit of the chain's log as the store's own timeline shows it
    (counter.visit_timeline.load_timeline): arrival, service start, each step with who ticked or
    skipped it, the end, notes, outcome, the customer's answer and the follow-ups promised.
    NotFound when the hub has no such visit; PermissionDenied for another store's. The visit's
    ``id`` is 0 (it has no number on this counter; ``gid`` is its name). Opening it is audited
    on the counter (record_visit_look)."""
    row = office_sql.visit(conn, gid)
    if row is None:
        raise NotFound(gid)
    scope.store(row["store_id"])
    name, erased = _customer_name(row)
    visit = VisitRow(
        id=0,
        arrived_at=row["arrived_at"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        status=row["status"],
        customer_id=None,
        customer_name=name,
        customer_erased=erased,
        staff_id=None,
        staff_name=row["staff_name"],
        language=row["language"],
        need=row["need"],
        solution=row["solution"],
        outcome=row["outcome"],
        complaint=row["complaint"],
        steps_total=row["steps_total"],
        steps_skipped=row["steps_skipped"],
        wait=row["wait"],
        service=row["service"],
        feedback=_face(row["feedback"]),
        feedback_reason=row["feedback_reason"],
    )
    events = timeline_events(visit, office_sql.visit_steps(conn, gid))
    follow_ups = []
    if row["customer_gid"]:
        follow_ups = [
            VisitFollowUp(id=i, **r)
            for i, r in enumerate(office_sql.visit_follow_ups(conn, gid, row["customer_gid"]))
        ]
    return VisitTimeline(visit, events, follow_ups, row["discard_reason"])


def record_visit_look(
    db: Database, session: object, gid: str, customer_gid: str | None, *, now: int
) -> None:
    """Write the look at a visit read from the hub to this counter's audit log, as the
    store's own timeline does (the customer by this counter's number for them)."""
    from counter import audit
    from counter.storage import office_search_sql

    manager = require_manager(db, session)
    customer = office_search_sql.customer_id_of(db, customer_gid) if customer_gid else None
    audit.record(
        db,
        at=now,
        staff_id=manager.staff_id,
        action="view_visit",
        subject=f"customer:{customer}" if customer is not None else "",
        detail=f"hub visit:{gid}",
    )


# targets and settings per store ----------------------------------------------------------------
def set_store_settings(
    conn: psycopg.Connection, scope: OfficeScope, store_id: int, **values: Any
) -> StoreInfo:
    """Set a store's name as the office shows it, language and targets (minutes; None: the
    hub's default again). Returns the store as it now applies."""
    scope.store(store_id)
    unknown = set(values) - set(office_sql.SETTING_COLUMNS)
    if unknown:
        raise ValueError(f"unknown store settings {sorted(unknown)}")
    _check_minutes(values)
    with conn.transaction():
        office_sql.set_store_settings(conn, store_id, values)
    return open_scope_again(conn, scope).store(store_id)


def set_hub_defaults(conn: psycopg.Connection, scope: OfficeScope, **values: Any) -> None:
    """The settings a new store starts with (office logins only)."""
    if not scope.office:
        raise PermissionDenied("only the office sets the hub's defaults")
    unknown = set(values) - set(office_sql.SETTING_COLUMNS[1:])
    if unknown:
        raise ValueError(f"unknown store settings {sorted(unknown)}")
    _check_minutes(values)
    with conn.transaction():
        office_sql.set_defaults(conn, values)


def _check_minutes(values: dict[str, Any]) -> None:
    for key, value in values.items():
        bad = not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 24 * 60
        if key.endswith("_minutes") and value is not None and bad:
            raise ValueError(f"{key} must be whole minutes between 0 and 1440")


def open_scope_again(conn: psycopg.Connection, scope: OfficeScope) -> OfficeScope:
    """The same scope with the stores' settings read again (after a change)."""
    fresh = {r["store_id"]: r for r in office_sql.store_targets(conn)}
    return OfficeScope(
        scope.login,
        scope.office,
        tuple(
            StoreInfo(
                id=s.id,
                name=fresh[s.id]["name"],
                language=fresh[s.id]["language"],
                wait_amber_minutes=fresh[s.id]["wait_amber_minutes"],
                wait_red_minutes=fresh[s.id]["wait_red_minutes"],
                service_target_minutes=fresh[s.id]["service_target_minutes"],
            )
            for s in scope.stores
            if s.id in fresh
        ),
    )


# opening the office's views from a counter -----------------------------------------------------
@dataclass
class OfficeLink:
    """An open hub connection and what it may read; close it when the views close."""

    conn: psycopg.Connection
    scope: OfficeScope

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class LinkRequest:
    """What opening the hub from this counter needs, checked on the counter: a manager signed
    in, the counter joined. Then :func:`connect_link` talks to the hub (on a thread of its
    own: a slow hub never holds up the counter's database)."""

    url: str  # the counter's hub, without a password
    store_id: int
    office_login: str = ""


def link_request(db: Database, session: object, *, office_login: str = "") -> LinkRequest:
    """HubError("not_joined") when this counter has not joined a hub; PermissionDenied
    without a manager's session."""
    from counter.hub.connection import HubError, split_password
    from counter.storage import sync_sql

    require_manager(db, session)
    state = sync_sql.state(db)
    if not state["joined"] or not state["hub"]:
        raise HubError("not_joined", "This counter has not joined a hub.")
    return LinkRequest(split_password(state["hub"])[0], int(state["store_id"]), office_login)


def connect_link(
    request: LinkRequest, *, password_for: Callable[[str], str | None], office_password: str = ""
) -> OfficeLink:
    """The hub as the counter's own store login (``password_for(url)``: its kept password),
    reading that store only, or as the office's login reading every store. PermissionDenied
    when the office login given is not an office login, or the store login does not own the
    counter's store."""
    from counter.hub.connection import connect, with_user

    if request.office_login:
        conn = connect(with_user(request.url, request.office_login), office_password)
    else:
        conn = connect(request.url, password_for(request.url))
    try:
        scope = open_scope(conn, _checked_store=None if request.office_login else request.store_id)
        if request.office_login and not scope.office:
            raise PermissionDenied("this hub login is not the office's")
    except BaseException:
        conn.close()
        raise
    return OfficeLink(conn, scope)


def open_link(
    db: Database,
    session: object,
    *,
    password_for: Callable[[str], str | None],
    office_login: str = "",
    office_password: str = "",
) -> OfficeLink:
    """:func:`link_request` then :func:`connect_link`, on one thread."""
    request = link_request(db, session, office_login=office_login)
    return connect_link(request, password_for=password_for, office_password=office_password)
