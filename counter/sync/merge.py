"""Merging two versions of one synced row: field-level last-writer-wins by clock, erasure wins.

Pure functions, run by the hub when it accepts an upload and by every counter when it applies
a download: the same rule everywhere, commutative, associative and idempotent, so replicas that
saw the same changes hold the same row whatever the order. See counter/sync/tables.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counter.sync.hlc import ZERO, Clock
from counter.sync.tables import ERASED_CUSTOMER, ERASED_TEXT

Data = dict[str, Any]
Clocks = dict[str, Clock]


def as_clocks(raw: Mapping[str, Any] | None) -> Clocks:
    return {k: (int(v[0]), str(v[1])) for k, v in (raw or {}).items()}


def merge_clocks(a: Clocks, b: Clocks) -> Clocks:
    out = dict(a)
    for k, v in b.items():
        if v > out.get(k, ZERO):
            out[k] = v
    return out


def merge_row(
    table: str,
    a: Mapping[str, Any],
    a_clocks: Clocks,
    b: Mapping[str, Any],
    b_clocks: Clocks,
    *,
    customer_erased: bool = False,
) -> tuple[Data, Clocks]:
    """The merge of versions ``a`` and ``b`` (fields, with each field's clock). For visits and
    follow-ups ``customer_erased`` says the customer they belong to has been erased."""
    data = dict(a)
    clocks = dict(a_clocks)
    for name, value in b.items():
        if name == "erased_at" and table == "customers":
            continue
        theirs = b_clocks.get(name, ZERO)
        if name not in data or theirs > clocks.get(name, ZERO):
            data[name] = value
            clocks[name] = theirs
    if table == "customers":
        stamps = [e for e in (a.get("erased_at"), b.get("erased_at")) if e is not None]
        data["erased_at"] = min(stamps) if stamps else None
        clocks["erased_at"] = max(a_clocks.get("erased_at", ZERO), b_clocks.get("erased_at", ZERO))
        if data["erased_at"] is not None:
            data.update(ERASED_CUSTOMER)
    elif customer_erased and table in ERASED_TEXT:
        data.update(ERASED_TEXT[table])
    return data, clocks


def change_clocks(fields: Mapping[str, Any], hlc: int, counter: str) -> Clocks:
    """The clocks of one local change: every field it wrote, at its clock."""
    return dict.fromkeys(fields, (hlc, counter))
