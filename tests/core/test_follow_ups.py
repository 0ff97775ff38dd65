"""Follow-ups: a promise with a due date and an owner; open and overdue lists; closing records
who and when; the customer's profile shows the open ones."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from counter import follow_ups, visits
from counter.customers import CustomerInput, create_customer, load_profile
from counter.errors import NotFound, ValidationError
from counter.local_days import day_start, local_day
from counter.storage import staff_sql

DAY = 86_400


@pytest.fixture
def people(db, now):
    zeynep = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    anna = staff_sql.insert_staff(db, "Anna", "manager", "", now)
    customer = create_customer(
        db,
        CustomerInput("Győző", "Kovács", language="hu", phone="+36 30 987 6543"),
        now=now,
        phone_region="HU",
    )
    return {"zeynep": zeynep, "anna": anna, "customer": customer.id}


def promise(db, people, now, text="call when the part arrives", due_in=2 * DAY, **kw):
    return follow_ups.create_follow_up(
        db,
        customer_id=people["customer"],
        description=text,
        due_at=now + due_in,
        owner_id=people["zeynep"],
        created_by=people["zeynep"],
        now=now,
        **{"tz": UTC, **kw},
    ).follow_up


def test_create_from_a_visit_and_see_it_on_the_profile(db, now, people):
    visit = visits.serve_directly(
        db, customer_id=people["customer"], staff_id=people["zeynep"], now=now, language="en"
    ).visit
    item = promise(db, people, now, visit_id=visit.id)
    assert item.customer_name == "Kovács Győző" and item.owner_name == "Zeynep"
    assert item.visit_id == visit.id and item.phone == "+36309876543"
    assert not item.overdue(now) and item.overdue(now + 3 * DAY)
    profile = load_profile(db, people["customer"])
    assert [f.description for f in profile.follow_ups] == ["call when the part arrives"]


def test_validation(db, now, people):
    with pytest.raises(ValidationError) as error:
        promise(db, people, now, text="  ", due_in=-2 * DAY)
    assert [p.field for p in error.value.problems] == ["description", "due_at"]
    with pytest.raises(NotFound):
        follow_ups.create_follow_up(
            db,
            customer_id=999,
            description="x",
            due_at=now,
            owner_id=None,
            created_by=None,
            now=now,
            tz=UTC,
        )
    with pytest.raises(ValidationError):
        follow_ups.create_follow_up(
            db,
            customer_id=people["customer"],
            description="x",
            due_at=now,
            owner_id=999,
            created_by=None,
            now=now,
            tz=UTC,
        )
    # Later today is fine, even if the hour has passed: the day is not over.
    promise(db, people, now, due_in=-60)


def test_open_and_overdue_lists(db, now, people):
    late = promise(db, people, now - 5 * DAY, text="late", due_in=DAY)
    soon = promise(db, people, now, text="soon", due_in=DAY)
    mine = promise(db, people, now, text="anna's", due_in=3 * DAY)
    db.execute("UPDATE follow_ups SET owner_id = ? WHERE id = ?", [people["anna"], mine.id])
    assert [f.id for f in follow_ups.list_follow_ups(db, now=now)] == [late.id, soon.id, mine.id]
    assert [f.id for f in follow_ups.list_follow_ups(db, now=now, overdue_only=True)] == [late.id]
    assert [f.id for f in follow_ups.list_follow_ups(db, now=now, owner_id=people["anna"])] == [
        mine.id
    ]


def test_close_records_who_and_when(db, now, people):
    item = promise(db, people, now)
    change = follow_ups.close_follow_up(
        db, item.id, by=people["anna"], now=now + 100, note="called, part ordered"
    )
    closed = change.follow_up
    assert change.customer_id == people["customer"]
    assert (closed.closed_at, closed.closed_by_name, closed.close_note) == (
        now + 100,
        "Anna",
        "called, part ordered",
    )
    assert not closed.overdue(now + 10 * DAY)
    assert follow_ups.list_follow_ups(db, now=now) == []
    assert load_profile(db, people["customer"]).follow_ups == []
    with pytest.raises(ValidationError):
        follow_ups.close_follow_up(db, item.id, by=people["anna"], now=now + 200)
    with pytest.raises(NotFound):
        follow_ups.close_follow_up(db, 4242, by=people["anna"], now=now)


def test_staff_choices(db, people):
    assert [s.name for s in follow_ups.staff_choices(db)] == ["Anna", "Zeynep"]


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - a system without time zone data
        pytest.skip(f"no time zone data for {name}")


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("zone_name", "now_text", "start_text"),
    [
        # Istanbul is UTC+3 all year: its day starts at 21:00 UTC the day before.
        ("Europe/Istanbul", "2026-11-24T01:30+03:00", "2026-11-23T21:00Z"),
        ("Europe/Istanbul", "2026-11-24T23:59+03:00", "2026-11-23T21:00Z"),
        # Los Angeles is behind UTC: late in its day, UTC has already moved on.
        ("America/Los_Angeles", "2026-11-24T17:00-08:00", "2026-11-24T08:00Z"),
        ("America/Los_Angeles", "2026-11-25T00:30-08:00", "2026-11-25T08:00Z"),
        # The day summer time ends (25 hours long) starts at the summer offset.
        ("America/Los_Angeles", "2026-11-01T23:00-08:00", "2026-11-01T07:00Z"),
    ],
)
def test_start_of_day_is_local_midnight(zone_name, now_text, start_text):
    tz = zone(zone_name)
    assert day_start(local_day(epoch(now_text), tz), tz) == epoch(start_text)


@pytest.mark.parametrize(
    ("zone_name", "now_text", "due_text", "accepted"),
    [
        # Just after local midnight in Istanbul (still the day before in UTC): yesterday's
        # end is past, though it lies after the start of the UTC day.
        ("Europe/Istanbul", "2026-11-24T00:30+03:00", "2026-11-23T23:59:59+03:00", False),
        ("Europe/Istanbul", "2026-11-24T00:30+03:00", "2026-11-24T23:59:59+03:00", True),
        # Early evening in Los Angeles (already tomorrow in UTC): earlier today is still today.
        ("America/Los_Angeles", "2026-11-24T17:00-08:00", "2026-11-24T15:00-08:00", True),
        ("America/Los_Angeles", "2026-11-24T17:00-08:00", "2026-11-23T23:59:59-08:00", False),
        # Just after local midnight in Los Angeles: yesterday is over.
        ("America/Los_Angeles", "2026-11-25T00:30-08:00", "2026-11-24T23:59:59-08:00", False),
        ("America/Los_Angeles", "2026-11-25T00:30-08:00", "2026-11-25T23:59:59-08:00", True),
    ],
)
def test_due_date_checked_against_the_local_day(
    db, people, zone_name, now_text, due_text, accepted
):
    now, due_at = epoch(now_text), epoch(due_text)
    if accepted:
        assert promise(db, people, now, due_in=due_at - now, tz=zone(zone_name)).due_at == due_at
    else:
        with pytest.raises(ValidationError) as error:
            promise(db, people, now, due_in=due_at - now, tz=zone(zone_name))
        assert [p.field for p in error.value.problems] == ["due_at"]
