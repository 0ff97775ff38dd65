"""Write a checked file's customers: spot duplicates by phone, e-mail or card (in the database
or earlier in the file), skip or merge them, and write everything in ONE transaction.

All or nothing: a row with a problem (unless the person chose to skip such rows), a cancel, a
full disk or any other failure rolls the whole import back. Every problem is reported with the
file's own line number (the header is line 1) so it can be fixed in the spreadsheet.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.errors import Problem, ValidationError
from counter.i18n import N_
from counter.importing import checking
from counter.importing.checking import Checked, checked_rows, validated
from counter.importing.columns import Mapping, check_mapping, provided_fields
from counter.importing.reading import SourceTable
from counter.progress import Progress, tick
from counter.storage import customer_sql, transfer_sql, write_transaction
from counter.storage.customer_sql import CUSTOMER_COLUMNS, CUSTOMER_FIELDS

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_REPORTED = 1000  # problems kept in a report; the count covers them all
BATCH = 5000
# New rows are added to the search indexes every this many rows, while the workers check the
# next ones, not all at the end with the workers done (FTS5 costs about the same per row in
# steps of 50,000 as in one statement; in steps of 5,000 a third more).
INDEX_EVERY = 50_000

# Why a merge is refused, per clashing field (whole sentences: translators need no field names).
_MERGE_CLASH = {
    "card": N_("This card already belongs to another customer."),
    "phone": N_("Merging would give this customer another customer's phone number."),
    "email": N_("Merging would give this customer another customer's e-mail address."),
}


@dataclass(frozen=True)
class RowError:
    line: int
    problems: list[Problem]


@dataclass(frozen=True)
class Duplicate:
    """A row that is already a customer (in the database or earlier in the file)."""

    line: int
    matched_on: str  # phone, email or card
    customer_id: int
    first_line: int | None  # the earlier line of the file, when the match is in the file
    merged: bool


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0  # duplicates left as they were (no merge)
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED
    duplicate_count: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)  # the first MAX_REPORTED
    committed: bool = False
    dry_run: bool = False

    def add_error(self, line: int, problems: list[Problem]) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, problems))

    def add_duplicate(self, duplicate: Duplicate) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < MAX_REPORTED:
            self.duplicates.append(duplicate)


class _Rollback(Exception):
    """Leave the import's transaction without committing (a check, or rows with problems)."""


_PHONE = CUSTOMER_COLUMNS.index("phone_digits")
_EMAIL = CUSTOMER_COLUMNS.index("email")
_CARD = CUSTOMER_COLUMNS.index("card")


class _Importer:
    def __init__(
        self,
        db: Database,
        mapping: Mapping,
        region: str,
        now: int,
        merge: bool,
        report: ImportReport,
        expected_rows: int = 0,
    ):
        self.db, self.mapping, self.region, self.now = db, mapping, region, now
        self.merge, self.report = merge, report
        # Who holds each phone, e-mail and card: one dict per kind of key (a million rows
        # look up three keys each; a dict per kind needs no (kind, key) tuple per look-up).
        self.by_phone: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_card: dict[str, int] = {}
        self.owners = {"phone": self.by_phone, "email": self.by_email, "card": self.by_card}
        for cid, phone, email, card in transfer_sql.existing_keys(db):
            for kind, key in (("phone", phone), ("email", email), ("card", card)):
                if key:
                    self.owners[kind][key] = cid
        self.writer = transfer_sql.BulkCustomerWriter(db, expected_rows)
        self.first_new = transfer_sql.next_customer_id(db)
        self.next_id = self.first_new
        self.new_lines: list[int] = []  # the file's line of each new customer, in id order
        self.batch: list[tuple[Any, ...]] = []

    def _owner(self, key: tuple[str, str]) -> int | None:
        return self.owners[key[0]].get(key[1])

    def _line_of_new(self, cid: int) -> int | None:
        return self.new_lines[cid - self.first_new] if cid >= self.first_new else None

    @staticmethod
    def _key_values(values: Sequence[str]) -> tuple[str, str, str]:
        """The phone, e-mail and card a row is matched on ('' where it has none): the one
        rule for what counts as the same key."""
        email = values[_EMAIL]
        return values[_PHONE], email.lower() if email else email, values[_CARD]

    @classmethod
    def _keys(cls, values: Sequence[str]) -> list[tuple[str, str]]:
        return [
            (kind, key)
            for kind, key in zip(("phone", "email", "card"), cls._key_values(values), strict=True)
            if key
        ]

    def add(self, row: Checked) -> None:
        values = row.values
        if values is None:
            if not (self.merge and row.nameless and self._merge_nameless(row)):
                self.report.add_error(row.line, row.problems or [])
            return
        # Most rows are new customers: their keys are looked up and taken here, without the
        # general path's lists and tuples.
        phone, email, card = self._key_values(values)
        if not (
            (phone and phone in self.by_phone)
            or (email and email in self.by_email)
            or (card and card in self.by_card)
        ):
            cid = self.next_id
            self.next_id += 1
            self.new_lines.append(row.line)
            if phone:
                self.by_phone[phone] = cid
            if email:
                self.by_email[email] = cid
            if card:
                self.by_card[card] = cid
            self.batch.append((cid, *values, self.now, self.now))
            self.report.created += 1
            if len(self.batch) >= BATCH:
                self.flush()
            return
        keys = self._keys(values)
        matches: dict[int, str] = {}
        for key in keys:
            owner = self._owner(key)
            if owner is not None:
                matches.setdefault(owner, key[0])
        if len(matches) > 1:
            self.report.add_error(
                row.line,
                [
                    Problem(
                        "phone",
                        N_(
                            "This row matches more than one existing customer (phone, e-mail "
                            "or card); fix it by hand."
                        ),
                    )
                ],
            )
            return
        ((target, matched_on),) = matches.items()  # one customer (new rows left above)
        if self.merge and not self._merge(target, row):
            return  # reported as a row with a problem
        self.report.add_duplicate(
            Duplicate(row.line, matched_on, target, self._line_of_new(target), self.merge)
        )
        if self.merge:
            self.report.merged += 1
        else:
            self.report.skipped += 1

    def _merge_nameless(self, row: Checked) -> bool:
        """A row with no name is fine when it only adds to one existing customer."""
        assert row.nameless is not None
        owners = [(k[0], self._owner(k)) for k in self._keys(row.nameless)]
        targets = {owner for _kind, owner in owners if owner is not None}
        if len(targets) != 1:
            return False
        (target,) = targets
        if not self._merge(target, row):
            return True  # reported by _merge
        matched_on = next(kind for kind, owner in owners if owner is not None)
        self.report.add_duplicate(
            Duplicate(row.line, matched_on, target, self._line_of_new(target), True)
        )
        self.report.merged += 1
        return True

    def _merge(self, target: int, row: Checked) -> bool:
        """Fill the existing customer with this row's non-empty values; False (and a row
        problem) if the result would not be a valid customer."""
        if target >= self.first_new:
            self.flush()
            self.writer.index_new_rows()  # the update trigger expects indexed rows
        current = customer_sql.get_customer(self.db, target)
        assert current is not None
        merged = {name: current[name] for name in CUSTOMER_FIELDS}
        merged.update(provided_fields(row.cells, self.mapping))
        try:
            values = validated(merged, self.region)
        except ValidationError as error:
            self.report.add_error(row.line, error.problems)
            return False
        new_values = tuple(values[c] for c in CUSTOMER_COLUMNS)
        for key in self._keys(new_values):
            owner = self._owner(key)
            if owner is not None and owner != target:
                self.report.add_error(row.line, [Problem(key[0], _MERGE_CLASH[key[0]])])
                return False
        customer_sql.update_customer(self.db, target, values, self.now)
        for kind, value in self._keys(new_values):
            self.owners[kind][value] = target
        return True

    def flush(self) -> None:
        self.writer.insert_many(self.batch)
        self.batch = []
        if self.writer.unindexed_rows() >= INDEX_EVERY:
            self.writer.index_new_rows()


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """The cyclic garbage collector off while a big file is imported (on again after, as it
    was): a million rows make and drop millions of tuples and lists, and every full collection
    walks the millions of duplicate keys held meanwhile (an eighth of the writer's time in a
    1M import). The import makes no reference cycles; whatever the UI makes is collected after."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def import_customers(
    db: Database,
    table: SourceTable,
    mapping: Mapping,
    *,
    phone_region: str,
    now: int,
    merge: bool = False,
    skip_invalid: bool = False,
    dry_run: bool = False,
    staff_id: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every row of ``table`` in one transaction and report what happened.

    Duplicates (same phone, e-mail or card as a customer or an earlier row) are skipped, or
    with ``merge`` the existing customer gets the row's non-empty values. Rows with problems
    stop the whole import (nothing is written; the report lists them all) unless
    ``skip_invalid``. ``dry_run`` checks everything and writes nothing. When ``progress``
    answers False the import is rolled back and :class:`counter.progress.Cancelled` raised.
    """
    check_mapping(mapping)
    if workers is None:
        workers = checking.default_workers(table.total)
    report = ImportReport(dry_run=dry_run)
    total = max(table.total, 1)
    try:
        with _collector_paused(table.total >= checking.PARALLEL_FROM_ROWS), write_transaction(db):
            importer = _Importer(db, mapping, phone_region, now, merge, report, table.total)
            for row in checked_rows(table, mapping, phone_region, workers):
                report.rows += 1
                importer.add(row)
                if report.rows % 500 == 0:
                    tick(progress, min(report.rows, total), total)
            importer.flush()
            importer.writer.finish()
            if dry_run or (report.error_count and not skip_invalid):
                raise _Rollback
            audit.record(
                db,
                at=now,
                staff_id=staff_id,
                action="import_customers",
                subject=f"file:{table.path.name}",
                detail=f"{report.created} created, {report.merged} merged, "
                f"{report.skipped} duplicates skipped, {report.error_count} rows with problems",
            )
    except _Rollback:
        return report
    if progress is not None:
        progress(total, total)  # done: a late "stop" changes nothing now
    report.committed = True
    return report
