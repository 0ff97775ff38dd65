"""The SQL a counter runs on the hub for its store's targets and settings (name as the office
shows it, language, wait thresholds, service target): ``counter.store_settings`` (the store's
own, NULL: the hub's default) and ``counter.store_targets`` (as they apply), migration h002.
Row-level security keeps a store's login to its own store's row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg.rows import dict_row

COLUMNS = (
    "display_name",
    "language",
    "wait_amber_minutes",
    "wait_red_minutes",
    "service_target_minutes",
)


def applied(conn: psycopg.Connection, store_id: int) -> dict[str, Any] | None:
    """The store's settings as they apply (its own, else the hub's defaults); display_name
    only when the store has one of its own (NULL: the counters keep theirs)."""
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """SELECT ss.display_name, t.language, t.wait_amber_minutes, t.wait_red_minutes,
                      t.service_target_minutes
               FROM counter.store_targets t
               LEFT JOIN counter.store_settings ss ON ss.store_id = t.store_id
               WHERE t.store_id = %s""",
            [store_id],
        ).fetchone()


def put(
    conn: psycopg.Connection,
    store_id: int,
    values: Mapping[str, Any],
    *,
    keep: frozenset[str] = frozenset(),
) -> None:
    """Set the store's own ``values`` (hub columns); a column in ``keep`` is only set where
    the store has none of its own yet."""
    columns = [c for c in COLUMNS if c in values]
    if not columns:
        return
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    updates = ", ".join(
        f"{c} = coalesce(s.{c}, EXCLUDED.{c})" if c in keep else f"{c} = EXCLUDED.{c}"
        for c in columns
    )
    conn.execute(
        f"""INSERT INTO counter.store_settings AS s (store_id, {names}) VALUES (%s, {marks})
            ON CONFLICT (store_id) DO UPDATE SET {updates}""",
        [store_id, *(values[c] for c in columns)],
    )
