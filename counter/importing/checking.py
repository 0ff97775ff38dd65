"""Check every row of a file with :func:`counter.customers.validate`, in file order. A big file
is checked by worker processes while the importing process writes; they are started with
``spawn`` (forking a process that runs Qt and threads is not safe), so everything they run is a
module-level function of this module and all they receive and return is plain data.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from operator import itemgetter
from typing import Any, NamedTuple

from counter.customers import CustomerInput, validate
from counter.errors import Problem, ValidationError
from counter.importing.columns import Mapping, provided_fields
from counter.importing.reading import BadRow, SourceTable
from counter.storage.customer_sql import CUSTOMER_COLUMNS

# Validation is the expensive part (phone numbers, search keys): big files spread it over
# worker processes while this one writes. Small files are not worth starting them.
PARALLEL_FROM_ROWS = 50_000
CHECK_CHUNK = 2000  # rows a worker checks at a time
# Rows handed to the workers ahead of the writer: more than one search-index step, so they
# keep checking while this process indexes (one step takes as long as checking ~20,000 rows).
LOOKAHEAD_ROWS = 64_000


# A validated row's values as a tuple in CUSTOMER_COLUMNS order.
_in_column_order = itemgetter(*CUSTOMER_COLUMNS)


def default_workers(rows: int) -> int:
    """Checking processes for a file of about ``rows`` rows: none below
    :data:`PARALLEL_FROM_ROWS`, otherwise one per core up to four."""
    return min(os.cpu_count() or 1, 4) if rows >= PARALLEL_FROM_ROWS else 0


class Checked(NamedTuple):
    """One checked row (a named tuple: a million of them are made and dropped per import)."""

    line: int
    cells: list[str]
    values: tuple[Any, ...] | None  # CUSTOMER_COLUMNS order
    problems: list[Problem] | None
    # A row without a name but otherwise valid: its values (with a stand-in name) still say
    # which customer it is, and merging fills in that customer (who has a name).
    nameless: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class _Nameless:
    values: tuple[Any, ...]
    problems: list[Problem]


def validated(provided: dict[str, str], region: str) -> dict[str, str]:
    try:
        return validate(CustomerInput(**provided), phone_region=region)
    except ValidationError as error:
        # Spreadsheets drop the "+" of international numbers: 905321234567 is +90 532...
        phone = provided.get("phone", "")
        if not (phone.isdigit() and len(phone) > 10 and not phone.startswith("0")):
            raise
        if any(p.field != "phone" for p in error.problems):
            raise
        return validate(CustomerInput(**{**provided, "phone": "+" + phone}), phone_region=region)


def _check_chunk(chunk: list[tuple[int, list[str]]], mapping: Mapping, region: str) -> list[Any]:
    """Per row: the column values (a tuple) or the problems (a list). Plain data: this is
    what comes back from a worker process."""
    return _check_cells([cells for _line, cells in chunk], mapping, region)


# A worker is sent each row's cells joined by this (a control character, which a cell holds
# only in a broken file: such a row is sent as its list): one string to pickle instead of one
# per cell (50,000 rows: 0.05 s of the writer's process instead of 0.12-0.15 s).
_CELL_SEP = "\x1f"


def _packed(chunk: list[tuple[int, list[str]]]) -> list[str | list[str]]:
    out: list[str | list[str]] = []
    for _line, cells in chunk:
        if cells.__class__ is BadRow:
            out.append(cells)
            continue
        joined = _CELL_SEP.join(cells)
        out.append(joined if joined.count(_CELL_SEP) == len(cells) - 1 else cells)
    return out


def _check_packed(packed: list[str | list[str]], mapping: Mapping, region: str) -> list[Any]:
    """:func:`_check_chunk` in a worker process, for rows from :func:`_packed`."""
    rows = [row.split(_CELL_SEP) if isinstance(row, str) else row for row in packed]
    return _check_cells(rows, mapping, region)


def _check_cells(rows: list[list[str]], mapping: Mapping, region: str) -> list[Any]:
    out: list[Any] = []
    for cells in rows:
        if cells.__class__ is BadRow:
            out.append(cells.problems)
            continue
        provided = provided_fields(cells, mapping)
        try:
            values = validated(provided, region)
        except ValidationError as error:
            out.append(_nameless(provided, region, error.problems))
        else:
            out.append(_in_column_order(values))
    return out


def _nameless(
    provided: dict[str, str], region: str, problems: list[Problem]
) -> list[Problem] | _Nameless:
    if [p.field for p in problems] != ["given_name"] or "given_name" in provided:
        return problems
    try:
        values = validated({**provided, "given_name": "-"}, region)
    except ValidationError:
        return problems
    return _Nameless(_in_column_order(values), problems)


def _chunks(rows: Iterable[tuple[int, list[str]]], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _paired(chunk: list[Any], outcomes: list[Any]) -> Iterator[Checked]:
    for (line, cells), outcome in zip(chunk, outcomes, strict=True):
        if isinstance(outcome, tuple):
            yield Checked(line, cells, outcome, None)
        elif isinstance(outcome, _Nameless):
            yield Checked(line, cells, None, outcome.problems, outcome.values)
        else:
            yield Checked(line, cells, None, outcome)


def checked_rows(
    table: SourceTable, mapping: Mapping, region: str, workers: int
) -> Iterator[Checked]:
    """Every row checked, in file order."""
    if workers <= 1:
        for chunk in _chunks(table.rows(), 1000):
            yield from _paired(chunk, _check_chunk(chunk, mapping, region))
        return
    # spawn, not fork: forking a process that runs Qt and threads is not safe. The checkers
    # keep the app's priority: at niceness 5 they gave way to every other program, and beside
    # two busy processes a 1,000,000-row import took 80 s instead of 56; typing in the window
    # during an import was no slower with them at 0 (the writer thread, sharing the window's
    # interpreter, sets that pace).
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending: deque[tuple[list[Any], Future[Any]]] = deque()
        try:
            ahead = max(2 * workers, LOOKAHEAD_ROWS // CHECK_CHUNK)
            for chunk in _chunks(table.rows(), CHECK_CHUNK):
                pending.append((chunk, pool.submit(_check_packed, _packed(chunk), mapping, region)))
                if len(pending) > ahead:
                    done, future = pending.popleft()
                    yield from _paired(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from _paired(done, future.result())
        finally:
            for _chunk, future in pending:
                future.cancel()
