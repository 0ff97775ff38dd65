"""A small, hand-built store whose every KPI is known: five ended visits over three days.

Times are UTC (tests pass ``tz=UTC``). The period starts Tuesday 2026-11-17 00:00.

visit  day time   staff  customer  lang  wait  service  outcome             not done
v1     d0  09:10  Sam    Şükrü     tr      60      300  bought
v2     d0  09:40  Sam    Emma      en     120      600  repaired            rapport (skipped)
v3     d0  14:05  Ana    Şükrü     tr     240      900  complaint_resolved  thank (pending)
v4     d1  10:00  Ana    walk-in   hu      30      200  informed
v5     d2  16:30  Sam    Rahul     hi     600     1200  nothing_today       rapport, thank
(v3 and v5 had a complaint.)

Around them: Şükrü's earlier visit (before the period, so v1 is a returning visit), Rahul's
discarded visit before v5 (does not make him returning), one visit still in progress, one
after the period. Follow-ups: Sam and Ana each have one open and overdue at NOW.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.auth import hash_pin
from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.storage import staff_sql, visit_sql, write_transaction

DAY = 86_400
NOW = 1_795_512_600  # Tuesday 2026-11-24 09:30 UTC
START = NOW - NOW % DAY - 7 * DAY  # Tuesday 2026-11-17 00:00 UTC
END = START + 3 * DAY
STEPS = ("greet", "rapport", "needs", "solution", "thank")
LABELS = {
    "greet": "Greet warmly",
    "rapport": "Build rapport",
    "needs": "Identify needs",
    "solution": "Offer a solution",
    "thank": "Thank by name",
}
MANAGER_PIN = "9999"
STAFF_PIN = "1234"

# Hashing is slow on purpose: hash each PIN once per test session.
_HASHES: dict[str, str] = {}


def pin_hash(pin: str) -> str:
    if pin not in _HASHES:
        _HASHES[pin] = hash_pin(pin)
    return _HASHES[pin]


@dataclass
class Store:
    manager: Session
    staff_session: Session
    sam: int
    ana: int
    mia: int
    customers: dict[str, int]
    visits: dict[str, int]


def add_visit(
    db,
    *,
    staff: int | None,
    customer: int | None,
    arrived: int,
    wait: int | None,
    service: int | None,
    outcome: str = "",
    complaint: bool = False,
    language: str = "en",
    not_done: dict[str, str] | None = None,
    status: str = "ended",
    need: str = "",
    walk_in_name: str = "",
) -> int:
    started = arrived + wait if wait is not None else None
    ended = started + service if started is not None and service is not None else None
    with write_transaction(db):
        visit_id = visit_sql.insert_visit(
            db,
            {
                "customer_id": customer,
                "walk_in_name": walk_in_name,
                "staff_id": staff,
                "status": status,
                "arrived_at": arrived,
                "started_at": started,
                "ended_at": ended,
                "language": language,
                "need": need,
                "outcome": outcome,
                "complaint": int(complaint),
                "updated_at": ended or arrived,
            },
        )
        if started is not None:
            not_done = not_done or {}
            rows = []
            for position, key in enumerate(STEPS, start=1):
                status_ = not_done.get(key, "done")
                at = None if status_ == "pending" else started + position * 10
                rows.append((visit_id, position, key, LABELS[key], status_, at))
            visit_sql.insert_visit_steps(db, rows)
    return visit_id


def build_store(db) -> Store:
    with write_transaction(db):
        mia = staff_sql.insert_staff(db, "Mia", "manager", pin_hash(MANAGER_PIN), START - 90 * DAY)
        sam = staff_sql.insert_staff(db, "Sam", "staff", pin_hash(STAFF_PIN), START - 90 * DAY)
        ana = staff_sql.insert_staff(db, "Ana", "staff", pin_hash(STAFF_PIN), START - 90 * DAY)
    customers = {}
    for given, family, native, language in (
        ("Şükrü", "Yılmaz", "", "tr"),
        ("Emma", "Brown", "", "en"),
        ("Rahul", "Sharma", "राहुल शर्मा", "hi"),
    ):
        customers[given] = create_customer(
            db,
            CustomerInput(given, family, native, language, title="mr"),
            now=START - 60 * DAY,
            phone_region="GB",
        ).id
    h = 3600
    visits = {
        "before": add_visit(
            db,
            staff=sam,
            customer=customers["Şükrü"],
            arrived=START - 10 * DAY,
            wait=10,
            service=100,
            outcome="bought",
            language="tr",
        ),
        "rahul_discarded": add_visit(
            db,
            staff=sam,
            customer=customers["Rahul"],
            arrived=START - 5 * DAY,
            wait=None,
            service=None,
            status="discarded",
            language="hi",
        ),
        "v1": add_visit(
            db,
            staff=sam,
            customer=customers["Şükrü"],
            arrived=START + 9 * h + 600,
            wait=60,
            service=300,
            outcome="bought",
            language="tr",
            need="screen protector",
        ),
        "v2": add_visit(
            db,
            staff=sam,
            customer=customers["Emma"],
            arrived=START + 9 * h + 2400,
            wait=120,
            service=600,
            outcome="repaired",
            language="en",
            not_done={"rapport": "skipped"},
            need="cracked screen",
        ),
        "v3": add_visit(
            db,
            staff=ana,
            customer=customers["Şükrü"],
            arrived=START + 14 * h + 300,
            wait=240,
            service=900,
            outcome="complaint_resolved",
            complaint=True,
            language="tr",
            not_done={"thank": "pending"},
            need="charger stopped working",
        ),
        "v4": add_visit(
            db,
            staff=ana,
            customer=None,
            walk_in_name="Tourist",
            arrived=START + DAY + 10 * h,
            wait=30,
            service=200,
            outcome="informed",
            language="hu",
        ),
        "v5": add_visit(
            db,
            staff=sam,
            customer=customers["Rahul"],
            arrived=START + 2 * DAY + 16 * h + 1800,
            wait=600,
            service=1200,
            outcome="nothing_today",
            complaint=True,
            language="hi",
            not_done={"rapport": "skipped", "thank": "skipped"},
        ),
        "open": add_visit(
            db,
            staff=ana,
            customer=customers["Emma"],
            arrived=START + 2 * DAY + 11 * h,
            wait=50,
            service=None,
            status="in_progress",
        ),
        "after": add_visit(
            db,
            staff=sam,
            customer=customers["Emma"],
            arrived=END + 2 * h,
            wait=5,
            service=50,
            outcome="bought",
        ),
    }
    with write_transaction(db):
        for owner, due, closed in (
            (sam, NOW - DAY, None),
            (ana, NOW + DAY, None),
            (sam, NOW - 5 * DAY, NOW - 6 * DAY),
            (ana, NOW - 2 * 3600, None),
        ):
            visit_sql.insert_follow_up(
                db,
                {
                    "customer_id": customers["Şükrü"],
                    "visit_id": visits["v3"],
                    "owner_id": owner,
                    "description": "call back about the charger",
                    "due_at": due,
                    "created_at": START + 15 * 3600,
                    "created_by": ana,
                    "closed_at": closed,
                    "closed_by": owner if closed else None,
                },
            )
    return Store(
        manager=Session(mia, "Mia", "manager", NOW),
        staff_session=Session(sam, "Sam", "staff", NOW),
        sam=sam,
        ana=ana,
        mia=mia,
        customers=customers,
        visits=visits,
    )
