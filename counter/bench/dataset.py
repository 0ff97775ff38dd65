"""A synthetic store database for the benchmark: N customers with believable names in five
languages and scripts, M visits spread over two years, their checklist steps and follow-ups.

Built for speed (about a minute per million visits on two cores): rows are generated in
Python and written with ``executemany`` in one transaction with the journal off, indexes and
triggers are dropped during the load and recreated once at the end, and the full-text index is
rebuilt in one pass. Visits are inserted in time order, as a real store writes them.
Deterministic for a seed. A file that already holds the requested size is reused.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter import demo_data as data
from counter.search import customer_search_key, fold
from counter.storage import bench_sql, open_database, write_transaction
from counter.storage.schema import MIGRATIONS

GENERATOR_VERSION = "1"  # bump when the data changes: bench files are rebuilt
DAY = 86_400
HISTORY_DAYS = 730
CHUNK = 20_000
STEPS = (  # position, key, label as shown when the visit ran, how often skipped (per mille)
    (1, "greet", "Greet warmly", 40),
    (2, "rapport", "Build rapport", 250),
    (3, "needs", "Identify needs", 40),
    (4, "solution", "Offer a solution", 40),
    (5, "thank", "Thank by name", 120),
)
_LANGUAGES = tuple(data.LANGUAGE_WEIGHTS)
_LANGUAGE_CUM = tuple(itertools.accumulate(data.LANGUAGE_WEIGHTS.values()))
_HOUR_CUM = tuple(itertools.accumulate((3, 6, 8, 9, 10, 8, 7, 8, 9, 8, 6, 3)))  # 08:00..19:00
_WEEKDAY = (1.0, 0.95, 1.0, 1.05, 1.25, 1.35, 0.45)  # Monday first
_OUTCOME_CUM = tuple(itertools.accumulate(data.OUTCOME_WEIGHTS[o] for o in data.OUTCOMES))
_EXTRA_STAFF = (
    ("Emily Carter", "staff"),
    ("Ahmet Korkmaz", "staff"),
    ("Katarína Bieliková", "staff"),
    ("Zsófia Kiss", "staff"),
    ("Rohan Mehta", "staff"),
    ("Oliver Hughes", "staff"),
    ("Elif Aydın", "staff"),
    ("Marek Lukáč", "staff"),
    ("Eszter Fodor", "staff"),
    ("Ananya Iyer", "manager"),
    ("Daniel Evans", "staff"),
    ("Büşra Çetin", "staff"),
)


@dataclass(frozen=True)
class BenchData:
    path: Path
    customers: int
    visits: int
    now: int  # the moment the history ends; measurements use it as "now"
    seed: int
    reused: bool
    build_seconds: float


def _pick(rng: random.Random, cum: tuple[int, ...]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


# people -----------------------------------------------------------------------------------
def search_key(given: str, family: str, native: str, email: str) -> str:
    """``customer_search_key`` (which makes the names' part once per distinct names: a
    million customers share a few hundred thousand name combinations)."""
    return customer_search_key(given, family, native, email=email)


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10**n)).zfill(n)


def _phone(rng: random.Random, language: str) -> str:
    """A mobile number in E.164 with the country's mobile prefix (not validated: speed)."""
    if language == "en":
        return "+447" + _digits(rng, 9)
    if language == "tr":
        return "+9053" + _digits(rng, 8)
    if language == "sk":
        return "+4219" + _digits(rng, 8)
    if language == "hu":
        return "+36" + rng.choice(("20", "30", "70")) + _digits(rng, 7)
    return "+919" + _digits(rng, 9)


def _person(rng: random.Random, language: str) -> tuple[str, str, str, str]:
    """(given, family, native, title): demo names, recombined with second given names and
    double family names so a million people are not a few thousand clones."""
    names = data.NAMES[language]
    female = rng.random() < 0.5
    pool = names["female" if female else "male"]
    given = rng.choice(pool)
    if language == "sk":
        index = rng.randrange(len(names["family_male"]))
        family = names["family_female" if female else "family_male"][index]
    else:
        family = rng.choice(names["family"])
    native = ""
    roll = rng.random()
    if language == "hi":
        if roll < 0.12:  # a middle name, as many Indian names have
            middle = rng.choice(names["family"])
            native = f"{given[0]} {middle[0]} {family[0]}"
            given, family = f"{given[1]}", f"{middle[1]} {family[1]}"
        else:
            native = f"{given[0]} {family[0]}"
            given, family = given[1], family[1]
        if rng.random() < 0.1:
            given = family = ""  # only the Devanagari name on record: found by romanization
    elif roll < {"tr": 0.15, "en": 0.25, "hu": 0.08, "sk": 0.05}[language]:
        second = rng.choice(pool)
        if second != given:
            given = f"{given} {second}"
    elif roll > 0.96 and language in ("en", "hu"):
        other = rng.choice(names["family"])
        if other != family:
            family = f"{family}-{other}"
    title = "mx" if rng.random() < 0.03 else ("ms" if female else "mr")
    return given, family, native, title


def _customer_rows(
    rng: random.Random,
    languages: list[int],
    first_visit: list[int],
    last_visit: list[int],
    now: int,
) -> Iterator[tuple[Any, ...]]:
    start = now - HISTORY_DAYS * DAY
    for index, lang_index in enumerate(languages):
        customer_id = index + 1
        language = _LANGUAGES[lang_index]
        given, family, native, title = _person(rng, language)
        phone = _phone(rng, language) if rng.random() < 0.9 else ""
        digits = phone[1:]
        email = ""
        if rng.random() < 0.4 and (given or family):
            user = ".".join(fold(p).replace(" ", "") for p in (given, family) if p)
            suffix = str(rng.randrange(1, 99)) if rng.random() < 0.3 else ""
            email = f"{user}{suffix}@example.com"
        # Unique 12-digit cards: a permutation of the ids (the multiplier is coprime to 10^11).
        card = f"2{(customer_id * 7_919_993 + 104_729) % 10**11:011d}" if rng.random() < 0.6 else ""
        first = first_visit[index]
        if first:
            created = first - int(rng.uniform(0, 30 * DAY))
        else:
            created = start + int(rng.uniform(0, HISTORY_DAYS * DAY))
        yield (
            customer_id,
            given,
            family,
            native,
            language,
            "informal" if rng.random() < 0.12 else "formal",
            title,
            phone,
            digits,
            digits[::-1],
            email,
            card,
            rng.choice(data.RAPPORT_NOTES) if rng.random() < 0.3 else "",
            search_key(given, family, native, email),
            created,
            max(created, last_visit[index] or created),
            last_visit[index] or None,
        )


# visits -----------------------------------------------------------------------------------
def _first_day(now: int) -> int:
    """The history's first day (days since 1970): it ends with the last day whose closing
    time (20:00 UTC) is not after ``now``, so every arrival is in the past."""
    return (now - 20 * 3600) // DAY - (HISTORY_DAYS - 1)


def _visits_per_day(total: int, days: int, now: int) -> list[int]:
    """Exactly ``total`` visits over ``days`` days: busier at weekends, growing over time."""
    first_day = _first_day(now)
    weights = [
        _WEEKDAY[(first_day + d + 3) % 7] * (1.0 + 0.3 * d / days)  # 1970-01-01 was a Thursday
        for d in range(days)
    ]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    remainders = sorted(range(days), key=lambda d: weights[d] * scale - counts[d], reverse=True)
    for d in remainders[: total - sum(counts)]:
        counts[d] += 1
    return counts


@dataclass
class _VisitState:
    first_visit: list[int]
    last_visit: list[int]
    follow_ups: list[tuple[Any, ...]]


def _visit_rows(
    rng: random.Random,
    customers: int,
    visits: int,
    languages: list[int],
    staff: list[int],
    state: _VisitState,
    now: int,
) -> Iterator[tuple[Any, ...]]:
    # Regulars and once-a-year customers: a log-normal share of the visits for each customer.
    cum = list(itertools.accumulate(rng.lognormvariate(0, 1.0) for _ in range(customers)))
    total_weight = cum[-1]
    staff_cum = tuple(itertools.accumulate(3 if i % 5 else 1 for i in range(len(staff))))
    day0 = _first_day(now) * DAY
    visit_id = 0
    open_from = visits - 9  # the last few arrivals are still in the queue or being served
    for day, count in enumerate(_visits_per_day(visits, HISTORY_DAYS, now)):
        base = day0 + day * DAY
        arrivals = sorted(
            base + (8 + _pick(rng, _HOUR_CUM)) * 3600 + int(rng.random() * 3600)
            for _ in range(count)
        )
        for arrived in arrivals:
            visit_id += 1
            index = bisect.bisect(cum, rng.random() * total_weight)
            walk_in = rng.random() < 0.04
            customer_id = None if walk_in else index + 1
            language = _LANGUAGES[languages[index]]
            staff_id = staff[_pick(rng, staff_cum)]
            wait = int(rng.expovariate(1 / 150))
            started: int | None = arrived + wait
            ended: int | None = arrived + wait + 60 + int(rng.gammavariate(4.0, 150.0))
            status, discard = "ended", ""
            if visit_id > open_from:
                status = "waiting" if visit_id > visits - 6 else "in_progress"
                started = None if status == "waiting" else arrived + 30
                ended = None
            elif rng.random() < 0.01:
                status, discard, started = "discarded", "customer left", None
            outcome = data.OUTCOMES[_pick(rng, _OUTCOME_CUM)] if status == "ended" else ""
            complaint = outcome == "complaint_resolved" or rng.random() < 0.03
            if customer_id is not None:
                if not state.first_visit[index]:
                    state.first_visit[index] = arrived
                state.last_visit[index] = arrived
                if status == "ended" and ended is not None and rng.random() < 0.08:
                    due = ended + int(rng.uniform(1, 14)) * DAY
                    closed = due < now - 2 * DAY and rng.random() < 0.85
                    state.follow_ups.append(
                        (
                            customer_id,
                            visit_id,
                            rng.choice(staff),
                            rng.choice(data.FOLLOW_UP_PROMISES),
                            due,
                            ended,
                            staff_id,
                            due - DAY if closed else None,
                            rng.choice(staff) if closed else None,
                        )
                    )
            yield (
                visit_id,
                customer_id,
                staff_id if status != "waiting" else None,
                status,
                arrived,
                started,
                ended,
                language,
                rng.choice(data.NEEDS) if status != "waiting" else "",
                rng.choice(data.SOLUTIONS) if status == "ended" else "",
                outcome,
                int(complaint) if status == "ended" else 0,
                discard,
                ended or started or arrived,
            )


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


# the file -----------------------------------------------------------------------------------
def matches(
    path: Path,
    customers: int,
    visits: int,
    progress: Callable[[str], None] = lambda _msg: None,
) -> dict[str, str] | None:
    """The bench file's metadata when it holds exactly this size, complete; else None. A
    file from an older schema is migrated in place first, as a store's would be, without the
    backup copy a store's file gets (this one is synthetic, and gigabytes)."""
    if not path.exists():
        return None
    wanted = {"customers": str(customers), "visits": str(visits), "version": GENERATOR_VERSION}
    db = open_database(path, migrate=False)
    try:
        meta = bench_sql.read_meta(db)
        if meta.get("complete") != "1" or any(meta.get(k) != v for k, v in wanted.items()):
            return None
        pending = [m.name for m in MIGRATIONS.pending(db)]
        if pending:
            progress(f"migrating the bench file: {', '.join(pending)}")
            MIGRATIONS.apply(db)
    finally:
        db.close()
    return meta


def _remove(path: Path) -> None:
    db = open_database(path, migrate=False)
    try:
        if db.table_names() and not bench_sql.is_bench_file(db):
            raise FileExistsError(f"{path} is not a bench database; not replacing it")
    finally:
        db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build(
    path: Path,
    *,
    customers: int,
    visits: int,
    seed: int = 7,
    now: int | None = None,
    fts_via_triggers: bool = False,
    progress: Callable[[str], None] = lambda _msg: None,
) -> BenchData:
    """Build the bench file at ``path`` (replacing an older bench file, never anything else)."""
    path = Path(path)
    started = time.perf_counter()
    if path.exists():
        _remove(path)
    if now is None:  # today, after closing time: every arrival of the history is before it
        now = int(time.time()) // DAY * DAY + 20 * 3600
    rng = random.Random(seed)
    db = open_database(path)
    try:
        bench_sql.write_meta(db, {"complete": "0"})
        saved = bench_sql.begin_bulk_load(db, keep_fts_triggers=fts_via_triggers)
        with write_transaction(db):
            staff_rows = [
                (m["name"], m["role"], "bench" if m["role"] == "manager" else "", now - 800 * DAY)
                for m in data.STAFF
            ]
            staff_rows += [
                (name, role, "bench" if role == "manager" else "", now - 800 * DAY)
                for name, role in _EXTRA_STAFF
            ]
            bench_sql.insert_staff(db, staff_rows)
            staff = bench_sql.staff_ids(db)
            languages = [_pick(rng, _LANGUAGE_CUM) for _ in range(customers)]
            state = _VisitState([0] * customers, [0] * customers, [])
            rows = _visit_rows(rng, customers, visits, languages, staff, state, now)
            for n, chunk in enumerate(_chunks(rows), start=1):
                bench_sql.insert_visits(db, chunk)
                if n % 25 == 0:
                    progress(f"visits: {n * CHUNK:,} of {visits:,}")
            progress("visit steps")
            bench_sql.fill_visit_steps(db, STEPS)
            progress(f"follow-ups: {len(state.follow_ups):,}")
            bench_sql.insert_follow_ups(db, state.follow_ups)
            rows = _customer_rows(rng, languages, state.first_visit, state.last_visit, now)
            for n, chunk in enumerate(_chunks(rows), start=1):
                bench_sql.insert_customers(db, chunk)
                if n % 25 == 0:
                    progress(f"customers: {n * CHUNK:,} of {customers:,}")
            progress("indexes, triggers and the full-text index")
            bench_sql.end_bulk_load(db, saved, rebuild_search=not fts_via_triggers)
            progress("baseline copy of the visits with text dates")
            bench_sql.build_text_date_visits(db)
        bench_sql.restore_pragmas(db)
        with write_transaction(db):
            bench_sql.write_meta(
                db,
                {
                    "customers": str(customers),
                    "visits": str(visits),
                    "version": GENERATOR_VERSION,
                    "seed": str(seed),
                    "now": str(now),
                    "build_seconds": f"{time.perf_counter() - started:.1f}",
                    "complete": "1",
                },
            )
    finally:
        db.close()
    return BenchData(path, customers, visits, now, seed, False, time.perf_counter() - started)


def build_or_reuse(
    path: Path,
    *,
    customers: int,
    visits: int,
    seed: int = 7,
    progress: Callable[[str], None] = lambda _msg: None,
) -> BenchData:
    meta = matches(Path(path), customers, visits, progress)
    if meta is not None:
        return BenchData(
            Path(path), customers, visits, int(meta["now"]), int(meta["seed"]), True, 0.0
        )
    return build(Path(path), customers=customers, visits=visits, seed=seed, progress=progress)


def expected_size_mb(customers: int, visits: int) -> int:
    """A rough file size, for telling people what they are about to wait for."""
    return math.ceil((customers * 330 + visits * 460) / 1e6)


def people_for_csv(count: int, seed: int) -> Iterator[dict[str, str]]:
    """Customers as a spreadsheet would hold them, for the import measurement: the same kind
    of names as the bench file, readable phone numbers, unique e-mails and cards."""
    rng = random.Random(seed)
    for n in range(1, count + 1):
        language = _LANGUAGES[_pick(rng, _LANGUAGE_CUM)]
        given, family, native, title = _person(rng, language)
        phone = _phone(rng, language) if rng.random() < 0.9 else ""
        email = ""
        if rng.random() < 0.4 and (given or family):
            user = ".".join(fold(p).replace(" ", "") for p in (given, family) if p)
            email = f"{user}.{n}@example.com"
        yield {
            "given_name": given,
            "family_name": family,
            "native_name": native,
            "language": language,
            "title": title,
            "phone": phone,
            "email": email,
            "card": f"7{(n * 7_919_993 + 104_729) % 10**11:011d}" if rng.random() < 0.6 else "",
            "rapport_notes": rng.choice(data.RAPPORT_NOTES) if rng.random() < 0.3 else "",
        }
