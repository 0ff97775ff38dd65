"""The SQL the office's views run on the hub (PostgreSQL), next to the sync SQL in hub_sql.

Reads ``counter.visit_facts`` (one typed row per visit, kept by the hub's trigger when a visit
or a step is merged, migration h002) and the per-store settings. Row-level security decides
what a login sees: a store's login its own store, an office login (counter_office) every
store; these functions never widen that, and ``counter.office`` checks the stores asked for
against the login's scope before calling them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import dict_row

Row = dict[str, Any]


def login(conn: psycopg.Connection) -> tuple[str, bool]:
    """(the login's name, whether it is an office login)."""
    row = conn.execute(
        "SELECT current_user, pg_has_role(current_user, 'counter_office', 'MEMBER')"
    ).fetchone()
    assert row is not None  # a SELECT without FROM has its one row
    return str(row[0]), bool(row[1])


def store_targets(conn: psycopg.Connection) -> list[Row]:
    """Every store this login may read, with its settings as they apply (its own, else the
    hub's defaults)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """SELECT store_id, name, hub_name, language, wait_amber_minutes, wait_red_minutes,
                      service_target_minutes
               FROM counter.store_targets ORDER BY name, store_id"""
        ).fetchall()


SETTING_COLUMNS = (
    "display_name",
    "language",
    "wait_amber_minutes",
    "wait_red_minutes",
    "service_target_minutes",
)


def set_store_settings(conn: psycopg.Connection, store_id: int, values: dict[str, Any]) -> None:
    """Set some of a store's settings (None: back to the hub's default). Row-level security
    refuses another store's row to a store's login."""
    columns = [c for c in SETTING_COLUMNS if c in values]
    if not columns:
        return
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    conn.execute(
        f"""INSERT INTO counter.store_settings (store_id, {names}) VALUES (%s, {marks})
            ON CONFLICT (store_id) DO UPDATE SET {updates}""",
        [store_id, *(values[c] for c in columns)],
    )


def set_defaults(conn: psycopg.Connection, values: dict[str, Any]) -> None:
    columns = [c for c in SETTING_COLUMNS[1:] if c in values]
    if columns:
        conn.execute(
            f"UPDATE counter.settings_defaults SET {', '.join(f'{c} = %s' for c in columns)}",
            [values[c] for c in columns],
        )


def store_comparison(
    conn: psycopg.Connection, start: int, end: int, store_ids: Sequence[int], now: int
) -> list[Row]:
    """Per store: ended visits arrived in [start, end), median and 90th percentile of wait and
    service (linear between ranks, as PERCENTILE.INC), how many within the store's targets,
    steps done of all, complaints, returning customers, known customers, and follow-ups
    open past due at ``now``. One index-only range scan of visit_facts (visit_facts_dashboard)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            WITH t AS (
                SELECT store_id, wait_amber_minutes * 60 AS wait_target,
                       service_target_minutes * 60 AS service_target
                FROM counter.store_targets WHERE store_id = ANY(%(stores)s)
            ), f AS (
                SELECT f.store_id, count(*) AS visits,
                       count(f.wait) AS waits,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.wait) AS wait_median,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY f.wait) AS wait_p90,
                       count(*) FILTER (WHERE f.wait <= t.wait_target) AS wait_within,
                       count(f.service) AS services,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY f.service) AS service_median,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY f.service) AS service_p90,
                       count(*) FILTER (WHERE f.service <= t.service_target) AS service_within,
                       coalesce(sum(f.steps_done), 0) AS steps_done,
                       coalesce(sum(f.steps_total), 0) AS steps_total,
                       count(*) FILTER (WHERE f.complaint) AS complaints,
                       count(*) FILTER (WHERE f.returning_customer) AS returning,
                       count(f.customer_gid) AS known
                FROM counter.visit_facts f JOIN t USING (store_id)
                WHERE f.arrived_at >= %(start)s AND f.arrived_at < %(end)s
                  AND f.status = 'ended'
                GROUP BY f.store_id
            ), o AS (
                SELECT store_id, count(*) AS overdue FROM counter.rows
                WHERE tbl = 'follow_ups' AND store_id = ANY(%(stores)s)
                  AND data ->> 'closed_at' IS NULL AND (data ->> 'due_at')::bigint < %(now)s
                GROUP BY store_id
            )
            SELECT t.store_id, t.wait_target, t.service_target,
                   coalesce(f.visits, 0) AS visits, coalesce(f.waits, 0) AS waits,
                   f.wait_median, f.wait_p90, coalesce(f.wait_within, 0) AS wait_within,
                   coalesce(f.services, 0) AS services, f.service_median, f.service_p90,
                   coalesce(f.service_within, 0) AS service_within,
                   coalesce(f.steps_done, 0) AS steps_done,
                   coalesce(f.steps_total, 0) AS steps_total,
                   coalesce(f.complaints, 0) AS complaints,
                   coalesce(f.returning, 0) AS returning, coalesce(f.known, 0) AS known,
                   coalesce(o.overdue, 0) AS overdue
            FROM t LEFT JOIN f USING (store_id) LEFT JOIN o USING (store_id)
            """,
            {"stores": list(store_ids), "start": start, "end": end, "now": now},
        ).fetchall()


def answers_by_store(
    conn: psycopg.Connection,
    stores: Sequence[int],
    days: tuple[int, int],
    hours: Sequence[tuple[int, int]],
    raw: Sequence[tuple[int, int]],
) -> list[tuple[int, int, int]]:
    """(store, face, visits) of the ended visits whose customer was asked on the customer
    screen: face 1-5, 0 for no answer in time. From the daily answers (hub migration h005) for
    UTC days [days[0], days[1]), the hourly ones for the ``hours`` [first, end) ranges and the
    visits themselves for the ``raw`` [start, end) seconds, as period_summary reads."""
    params: dict[str, Any] = {"stores": list(stores), "d0": days[0], "d1": days[1]}
    in_hours = _ranges("hour", hours, params, "h")
    in_raw = _ranges("f.arrived_at", raw, params, "r")
    rows = conn.execute(
        f"""
        SELECT store_id, face - 1, sum(n)::bigint FROM (
            SELECT store_id, k.face, k.n
            FROM counter.answer_days, unnest(faces) WITH ORDINALITY AS k(n, face)
            WHERE store_id = ANY(%(stores)s) AND day >= %(d0)s AND day < %(d1)s
            UNION ALL
            SELECT store_id, k.face, k.n
            FROM counter.answer_hours, unnest(faces) WITH ORDINALITY AS k(n, face)
            WHERE store_id = ANY(%(stores)s) AND {in_hours}
            UNION ALL
            SELECT f.store_id, f.feedback::integer + 1, count(*)
            FROM counter.visit_facts f
            WHERE f.store_id = ANY(%(stores)s) AND {in_raw}
              AND f.status = 'ended' AND f.feedback ~ '^[0-5]$'
            GROUP BY 1, 2
        ) a
        WHERE n IS NOT NULL AND n <> 0
        GROUP BY 1, 2
        """,
        params,
    ).fetchall()
    return [(int(r[0]), int(r[1]), int(r[2])) for r in rows if int(r[2])]


def _ranges(
    column: str, ranges: Sequence[tuple[int, int]], params: dict[str, Any], name: str
) -> str:
    """``column`` in one of the [a, b) ``ranges``, as placeholders (the same text for the same
    number of ranges: PostgreSQL plans it once)."""
    parts = []
    for k, (a, b) in enumerate(ranges):
        params[f"{name}{k}a"], params[f"{name}{k}b"] = int(a), int(b)
        parts.append(f"({column} >= %({name}{k}a)s AND {column} < %({name}{k}b)s)")
    return "(" + (" OR ".join(parts) or "false") + ")"


def period_summary(
    conn: psycopg.Connection,
    stores: Sequence[int],
    days: tuple[int, int],
    hours: Sequence[tuple[int, int]],
    raw: Sequence[tuple[int, int]],
) -> list[Row]:
    """Rows to add up per store: ended visits, complaints, returning, known, steps done and
    total, and the wait_minutes / service_minutes slot counts (see hub migration h004; None:
    none), from the daily summary for UTC days [days[0], days[1]), the hourly one for the
    ``hours`` [first, end) ranges and the visits themselves for the ``raw`` [start, end)
    seconds: about 30 + 46 rows a store for 30 days, however many visits they hold."""
    params: dict[str, Any] = {"stores": list(stores), "d0": days[0], "d1": days[1]}
    in_hours = _ranges("hour", hours, params, "h")
    in_raw = _ranges("f.arrived_at", raw, params, "r")
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"""
            SELECT store_id, visits, complaints, returning_visits, known, steps_done,
                   steps_total, wait_minutes, service_minutes
            FROM counter.visit_days
            WHERE store_id = ANY(%(stores)s) AND day >= %(d0)s AND day < %(d1)s
            UNION ALL
            SELECT store_id, visits, complaints, returning_visits, known, steps_done,
                   steps_total, wait_minutes, service_minutes
            FROM counter.visit_hours
            WHERE store_id = ANY(%(stores)s) AND {in_hours}
            UNION ALL
            SELECT f.store_id, count(*), count(*) FILTER (WHERE f.complaint),
                   count(*) FILTER (WHERE f.returning_customer), count(f.customer_gid),
                   sum(f.steps_done), sum(f.steps_total),
                   counter.add_counts('{{0}}', array_agg(counter.minute_slot(f.wait_minute)),
                                      array_agg(1)),
                   counter.add_counts('{{0}}',
                                      array_agg(counter.minute_slot(f.service_minute)),
                                      array_agg(1))
            FROM counter.visit_facts f
            WHERE f.store_id = ANY(%(stores)s) AND f.status = 'ended'
              AND {in_raw}
            GROUP BY f.store_id
            """,
            params,
        ).fetchall()


def overdue_follow_ups(conn: psycopg.Connection, stores: Sequence[int], now: int) -> dict[int, int]:
    """Per store: follow-ups still open past due at ``now``: the summary's count per due day
    (h004) for the days before today and per due second for today."""
    return {
        int(r[0]): int(r[1])
        for r in conn.execute(
            """SELECT store_id, sum(n) FROM (
                   SELECT store_id, open AS n FROM counter.follow_ups_due
                   WHERE store_id = ANY(%(stores)s) AND day < %(today)s
                   UNION ALL
                   SELECT store_id, open FROM counter.follow_ups_due_at
                   WHERE store_id = ANY(%(stores)s) AND due_at >= %(today)s * 86400
                     AND due_at < %(now)s
               ) o GROUP BY store_id""",
            {"stores": list(stores), "today": now // 86400, "now": now},
        ).fetchall()
    }


def outlier_seconds(
    conn: psycopg.Connection, kind: str, stores: Sequence[int], above: bool, start: int, end: int
) -> list[tuple[int, int, int]]:
    """(store, seconds, visits) of the ended visits arrived in [start, end) whose wait or
    service (``kind``) is over a day (``above``) or below 0: the summary's slots 1443 and 1,
    few visits, read from the visits when one of them decides a figure."""
    if kind not in ("wait", "service"):
        raise ValueError(kind)
    if not stores:
        return []
    test = f"f.{kind}_minute > 1440" if above else f"f.{kind}_minute < 0"
    return [
        (int(r[0]), int(r[1]), int(r[2]))
        for r in conn.execute(
            f"""SELECT f.store_id, f.{kind}, count(*) FROM counter.visit_facts f
                WHERE f.store_id = ANY(%s) AND {test} AND f.status = 'ended'
                  AND f.arrived_at >= %s AND f.arrived_at < %s
                GROUP BY 1, 2""",
            [list(stores), start, end],
        ).fetchall()
    ]


def deciding_seconds(
    conn: psycopg.Connection,
    pairs: Mapping[str, Sequence[tuple[int, int]]],
    days: tuple[int, int] | None,
    parts: Sequence[tuple[int, int]],
) -> list[tuple[str, int, int, int]]:
    """(kind, store, seconds, visits) of the ended visits whose wait or service (``kind``)
    falls in one of that kind's (store, minute) ``pairs``: for UTC days [days[0], days[1])
    from the minutes' counts by second in the summary (h004, 60 a day per minute), for the
    ``parts`` [start, end) at either end from the visits themselves (an index range per
    minute). One query; a second may come in several rows (add them up)."""
    pieces: list[str] = []
    params: dict[str, Any] = {}
    if days is not None:
        params.update(d0=days[0], d1=days[1])
    for kind in ("wait", "service"):
        wanted = pairs.get(kind) or ()
        if not wanted:
            continue
        params[f"{kind}_stores"] = [p[0] for p in wanted]
        params[f"{kind}_minutes"] = [p[1] for p in wanted]
        p = f"unnest(%({kind}_stores)s::bigint[], %({kind}_minutes)s::bigint[]) p(store_id, minute)"
        if days is not None:
            # 60 sums, then unnest those: unnesting every day's counts costs ten times as much
            pieces.append(
                f"""SELECT '{kind}', s.store_id,
                           CASE WHEN s.minute > 0 THEN 60 * (s.minute - 1) + u.at
                                ELSE s.minute END, u.visits
                    FROM (SELECT p.store_id, p.minute, ARRAY[{_SIXTY_SUMS}] AS counts
                          FROM {p} JOIN counter.visit_minutes m
                            ON m.store_id = p.store_id AND m.kind = '{kind}'
                           AND m.minute = p.minute AND m.day >= %(d0)s AND m.day < %(d1)s
                          GROUP BY 1, 2) s
                    CROSS JOIN LATERAL unnest(s.counts) WITH ORDINALITY AS u(visits, at)
                    WHERE u.visits <> 0"""
            )
        for k, (a, b) in enumerate(parts):
            params[f"p{k}a"], params[f"p{k}b"] = int(a), int(b)
            pieces.append(
                f"""SELECT '{kind}', f.store_id, f.{kind}, count(*)
                    FROM {p} JOIN counter.visit_facts f
                      ON f.store_id = p.store_id AND f.{kind}_minute = p.minute
                     AND f.status = 'ended' AND f.arrived_at >= %(p{k}a)s
                     AND f.arrived_at < %(p{k}b)s
                    GROUP BY 1, 2, 3"""
            )
    if not pieces:
        return []
    return [
        (str(r[0]), int(r[1]), int(r[2]), int(r[3]))
        for r in conn.execute(
            " UNION ALL ".join(f"({piece})" for piece in pieces), params
        ).fetchall()
    ]


_SIXTY_SUMS = ", ".join(f"sum(m.seconds[{at}])" for at in range(1, 61))


def naive_store_comparison(
    conn: psycopg.Connection, start: int, end: int, store_ids: Sequence[int]
) -> list[Row]:
    """The bench's baseline: the same figures by GROUP BY over the raw merged visits (jsonb in
    counter.rows), without visit_facts."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            WITH v AS (
                SELECT store_id, (data ->> 'started_at')::bigint - (data ->> 'arrived_at')::bigint
                           AS wait,
                       (data ->> 'ended_at')::bigint - (data ->> 'started_at')::bigint
                           AS service,
                       coalesce(data ->> 'complaint', '0') NOT IN ('0', 'false', '') AS complaint
                FROM counter.rows
                WHERE tbl = 'visits' AND store_id = ANY(%(stores)s)
                  AND (data ->> 'arrived_at')::bigint >= %(start)s
                  AND (data ->> 'arrived_at')::bigint < %(end)s
                  AND data ->> 'status' = 'ended'
            )
            SELECT store_id, count(*) AS visits,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY wait) AS wait_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY wait) AS wait_p90,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY service) AS service_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY service) AS service_p90,
                   count(*) FILTER (WHERE complaint) AS complaints
            FROM v GROUP BY store_id
            """,
            {"stores": list(store_ids), "start": start, "end": end},
        ).fetchall()


def _where(f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """One WHERE clause over visit_facts ``v`` from the filter's fields (see
    counter.office.OfficeFilter; no store_ids: every store this login may read, which
    row-level security decides). Every combination reads newest first from visit_facts_log
    or visit_facts_store_log (every filter's column included: no visit read to test one), or
    from the staff, customer, wait or service index when that filter is the rare one."""
    stores = list(f["store_ids"])
    clauses: list[str] = ["true"]
    params: dict[str, Any] = {}
    if len(stores) == 1:
        clauses = ["v.store_id = %(stores)s"]
        params["stores"] = stores[0]
    elif stores:
        clauses = ["v.store_id = ANY(%(stores)s)"]
        params["stores"] = stores
    for field, clause in (
        ("start", "v.arrived_at >= %(start)s"),
        ("end", "v.arrived_at < %(end)s"),
        ("wait_over", "v.wait > %(wait_over)s"),
        ("service_over", "v.service > %(service_over)s"),
        ("customer_gid", "v.customer_gid = %(customer_gid)s"),
    ):
        if f.get(field) is not None:
            clauses.append(clause)
            params[field] = f[field]
    if f.get("customer_gids") is not None:  # a name searched: the customers it matched
        clauses.append("v.customer_gid = ANY(%(customer_gids)s)")
        params["customer_gids"] = list(f["customer_gids"])
    for field, column in (
        ("staff_gids", "staff_gid"),
        ("outcomes", "outcome"),
        ("languages", "language"),
        ("statuses", "status"),
    ):
        values = list(f.get(field) or ())
        if len(values) == 1:  # equality: the (column, arrived_at) index reads in order
            clauses.append(f"v.{column} = %({field})s")
            params[field] = values[0]
        elif values:
            clauses.append(f"v.{column} = ANY(%({field})s)")
            params[field] = values
    if f.get("complaint") is not None:
        clauses.append("v.complaint" if f["complaint"] else "NOT v.complaint")
    if f.get("steps_skipped") is not None:
        clauses.append("v.steps_skipped > 0" if f["steps_skipped"] else "v.steps_skipped = 0")
    return " AND ".join(clauses), params


def visit_page(
    conn: psycopg.Connection,
    f: dict[str, Any],
    *,
    limit: int,
    before: tuple[int, str] | None = None,
) -> list[Row]:
    """One page of the chain's visit log, newest first; ``before`` (arrived_at, gid) of the
    last row of the previous page for the next one (keyset: as fast on page 500 as on 1).
    The page's visits are found first by their ids alone, so an index that includes every
    filter's column answers it without reading the visits it passes over (h004)."""
    where, params = _where(f)
    if before is not None:
        where += " AND (v.arrived_at, v.gid) < (%(before_at)s, %(before_gid)s)"
        params.update(before_at=before[0], before_gid=before[1])
    params["limit"] = limit
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"""
            SELECT v.gid, v.store_id, v.arrived_at, v.started_at, v.ended_at, v.status,
                   v.staff_gid, coalesce(sn.name, '') AS staff_name, v.customer_gid,
                   v.language, v.outcome, v.complaint, v.steps_total, v.steps_skipped,
                   v.wait, v.service, v.feedback,
                   coalesce(r.data ->> 'need', '') AS need,
                   coalesce(r.data ->> 'solution', '') AS solution,
                   coalesce(r.data ->> 'walk_in_name', '') AS walk_in_name,
                   coalesce(r.data ->> 'feedback_reason', '') AS feedback_reason,
                   c.data AS customer
            FROM (SELECT f.* FROM (SELECT v.gid FROM counter.visit_facts v WHERE {where}
                                   ORDER BY v.arrived_at DESC, v.gid DESC LIMIT %(limit)s) k
                  JOIN counter.visit_facts f ON f.gid = k.gid) v
            LEFT JOIN counter.rows r ON r.tbl = 'visits' AND r.gid = v.gid
            LEFT JOIN counter.rows c ON c.tbl = 'customers' AND c.gid = v.customer_gid
            LEFT JOIN counter.staff_names sn ON sn.gid = v.staff_gid
            ORDER BY v.arrived_at DESC, v.gid DESC
            """,
            params,
        ).fetchall()


def staff_names(conn: psycopg.Connection, store_ids: Sequence[int]) -> list[Row]:
    """(gid, store_id, name) of the staff of these stores, by name: the log's staff filter.
    Names only (counter.staff_names), never a PIN hash."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """SELECT gid, store_id, coalesce(name, '') AS name FROM counter.staff_names
               WHERE store_id = ANY(%s) ORDER BY name, store_id, gid""",
            [list(store_ids)],
        ).fetchall()


def visit(conn: psycopg.Connection, gid: str) -> Row | None:
    """One visit as a row of the log (visit_page's columns) with its discard reason."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            SELECT v.gid, v.store_id, v.arrived_at, v.started_at, v.ended_at, v.status,
                   v.staff_gid, coalesce(sn.name, '') AS staff_name, v.customer_gid,
                   v.language, v.outcome, v.complaint, v.steps_total, v.steps_skipped,
                   v.wait, v.service, v.feedback,
                   coalesce(r.data ->> 'need', '') AS need,
                   coalesce(r.data ->> 'solution', '') AS solution,
                   coalesce(r.data ->> 'walk_in_name', '') AS walk_in_name,
                   coalesce(r.data ->> 'feedback_reason', '') AS feedback_reason,
                   coalesce(r.data ->> 'discard_reason', '') AS discard_reason,
                   c.data AS customer
            FROM counter.visit_facts v
            LEFT JOIN counter.rows r ON r.tbl = 'visits' AND r.gid = v.gid
            LEFT JOIN counter.rows c ON c.tbl = 'customers' AND c.gid = v.customer_gid
            LEFT JOIN counter.staff_names sn ON sn.gid = v.staff_gid
            WHERE v.gid = %s
            """,
            [gid],
        ).fetchone()


def visit_steps(conn: psycopg.Connection, gid: str) -> list[Row]:
    """A visit's steps in checklist order, with who ticked or skipped each ('' for nobody)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            SELECT r.data ->> 'step_key' AS step_key,
                   coalesce(r.data ->> 'label', '') AS label,
                   coalesce(r.data ->> 'status', '') AS status,
                   (r.data ->> 'at')::bigint AS at,
                   coalesce((r.data ->> 'position')::integer, 0) AS position,
                   coalesce(sn.name, '') AS staff_name
            FROM counter.rows r
            LEFT JOIN counter.staff_names sn ON sn.gid = r.data ->> 'staff_id'
            WHERE r.tbl = 'visit_steps' AND r.data ->> 'visit_id' = %s
            ORDER BY 5, 1
            """,
            [gid],
        ).fetchall()


def visit_follow_ups(conn: psycopg.Connection, gid: str, customer_gid: str) -> list[Row]:
    """The follow-ups promised at a visit (found through the customer's index)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            SELECT coalesce(r.data ->> 'description', '') AS description,
                   (r.data ->> 'due_at')::bigint AS due_at,
                   (r.data ->> 'created_at')::bigint AS created_at,
                   (r.data ->> 'closed_at')::bigint AS closed_at,
                   coalesce(r.data ->> 'close_note', '') AS close_note,
                   coalesce(o.name, '') AS owner_name, coalesce(cb.name, '') AS closed_by_name
            FROM counter.rows r
            LEFT JOIN counter.staff_names o ON o.gid = r.data ->> 'owner_id'
            LEFT JOIN counter.staff_names cb ON cb.gid = r.data ->> 'closed_by'
            WHERE r.tbl = 'follow_ups' AND r.data ->> 'customer_id' = %s
              AND r.data ->> 'visit_id' = %s
            ORDER BY 2, r.gid
            """,
            [customer_gid, gid],
        ).fetchall()


def count_visits(conn: psycopg.Connection, f: dict[str, Any]) -> int:
    where, params = _where(f)
    row = conn.execute(
        f"SELECT count(*) FROM counter.visit_facts v WHERE {where}", params
    ).fetchone()
    assert row is not None  # count(*) has its one row
    return int(row[0])


def bench_seed(
    conn: psycopg.Connection, *, stores: int, visits_per_store: int, start: int, end: int
) -> list[int]:
    """``counter bench --only office``: ``stores`` stores of ``visits_per_store`` visits each,
    arrivals spread evenly over [start, end), generated on the server (generate_series, a
    hash of the row number for every "random" field: the same data every run) straight into
    counter.rows (jsonb, what the naive baseline reads) and counter.visit_facts (what the
    trigger would have made of it: the trigger is off for this bulk load, as replicas load).
    Sending 20,000,000 rows over COPY from Python would only measure Python. Returns the
    store ids. Owner (superuser) only: a throw-away bench database."""
    generated = """
        SELECT s.id AS store_id, 'v' || s.id || '-' || i AS gid,
               %(start)s::bigint + (i - 1) * (%(end)s::bigint - %(start)s) / %(n)s AS arrived,
               (hashint8(i * 7 + s.id) & 1023) %% 900 AS wait,
               60 + (hashint8(i * 11 + s.id) & 4095) %% 1800 AS service,
               CASE WHEN (hashint8(i * 13 + s.id) & 63) = 0 THEN 'discarded' ELSE 'ended' END
                   AS status,
               (hashint8(i * 17 + s.id) & 63) < 2 AS complaint,
               (ARRAY['bought', 'informed', 'repaired', 'returned', 'nothing_today'])
                   [1 + (hashint8(i * 19 + s.id) & 1023) %% 5] AS outcome,
               'st' || s.id || '-' || (hashint8(i * 23 + s.id) & 1023) %% 10 AS staff,
               CASE WHEN (hashint8(i * 29 + s.id) & 3) = 0 THEN NULL
                    ELSE 'cu' || (hashint8(i * 31 + s.id) & 1048575) %% 200000 END AS customer,
               (ARRAY['en', 'tr', 'hu', 'sk', 'hi'])[1 + (hashint8(i * 37 + s.id) & 1023) %% 5]
                   AS language,
               CASE WHEN (hashint8(i * 41 + s.id) & 15) = 0 THEN 1 ELSE 0 END AS skipped,
               (hashint8(i * 43 + s.id) & 1) = 0 AS came_before
        FROM unnest(%(ids)s::bigint[]) AS s(id), generate_series(1, %(n)s) AS i
    """
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        ids = [
            int(r[0])
            for r in conn.execute(
                """INSERT INTO counter.stores (name, role)
                   SELECT 'Store ' || s, ('bench_store_' || s)::name
                   FROM generate_series(1, %s) s RETURNING id""",
                [stores],
            ).fetchall()
        ]
        params = {"ids": ids, "n": visits_per_store, "start": start, "end": end}
        conn.execute(
            """INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks)
               SELECT 'staff', 'st' || s.id || '-' || k, s.id, 'bench',
                      jsonb_build_object('name', 'Staff ' || k, 'role', 'staff'), '{}'
               FROM unnest(%(ids)s::bigint[]) AS s(id), generate_series(0, 9) AS k""",
            params,
        )
        conn.execute(
            f"""INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks)
                SELECT 'visits', gid, store_id, 'bench', jsonb_build_object(
                    'arrived_at', arrived, 'started_at', arrived + wait,
                    'ended_at', arrived + wait + service, 'status', status,
                    'staff_id', staff, 'customer_id', customer, 'language', language,
                    'outcome', outcome, 'complaint', complaint::int, 'need', '',
                    'solution', '', 'walk_in_name', ''), '{{}}'
                FROM ({generated}) g""",
            params,
        )
        # The customers the visits name (200,000, shared by every store): the log shows
        # their names.
        conn.execute(
            """INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks)
               SELECT 'customers', 'cu' || k,
                      (%(ids)s::bigint[])[1 + k %% cardinality(%(ids)s::bigint[])], 'bench',
                      jsonb_build_object('given_name', 'Given ' || k, 'family_name',
                                         'Family ' || k, 'language', 'en'), '{}'
               FROM generate_series(0, 199999) AS k""",
            params,
        )
        # A follow-up for one visit in 16 (one in 16 of them still open): what the overdue
        # count reads among.
        conn.execute(
            f"""INSERT INTO counter.rows (tbl, gid, store_id, counter_gid, data, clocks)
                SELECT 'follow_ups', 'f' || gid, store_id, 'bench', jsonb_build_object(
                    'visit_id', gid, 'customer_id', customer, 'due_at', arrived + 3 * 86400,
                    'closed_at', CASE WHEN (hashint8(arrived) & 15) = 0 THEN NULL
                                      ELSE arrived + 86400 END,
                    'description', ''), '{{}}'
                FROM ({generated}) g WHERE (hashint8(arrived + 1) & 15) = 0""",
            params,
        )
        conn.execute(
            f"""INSERT INTO counter.visit_facts
                    (gid, store_id, arrived_at, started_at, ended_at, status, staff_gid,
                     customer_gid, language, outcome, complaint, steps_total, steps_done,
                     steps_skipped, returning_customer)
                SELECT gid, store_id, arrived, arrived + wait, arrived + wait + service,
                       status, staff, customer, language, outcome, complaint, 5, 5 - skipped,
                       skipped, customer IS NOT NULL AND came_before
                FROM ({generated}) g""",
            params,
        )
        conn.execute("SELECT counter.rebuild_office_summary()")
        conn.execute("SELECT counter.rebuild_answers()")
    conn.execute("VACUUM ANALYZE counter.rows")
    conn.execute("VACUUM ANALYZE counter.visit_facts")
    conn.execute("VACUUM ANALYZE counter.visit_days")
    conn.execute("VACUUM ANALYZE counter.visit_minutes")
    conn.execute("VACUUM ANALYZE counter.visit_hours")
    return ids
