"""Export the filtered visit log to CSV or XLSX: headers in the caller's language, ISO 8601
timestamps, streamed from one cursor in chunks (constant memory), with progress and cancel.

The file appears only when complete: rows go to ``<name>.part`` first, renamed at the end, and
the partial file is removed on cancel or error. Every finished export is audited.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from counter import audit, visit_places
from counter.cell_guard import needs_guard, safe_writer
from counter.errors import Problem, ValidationError
from counter.feedback import face_name, reason_label
from counter.i18n import N_, Translator
from counter.outcomes import outcome_label
from counter.roles import Session, require_manager
from counter.visit_filter import VisitFilter
from counter.visit_log import VisitRow, count_matching, iter_visit_rows

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from sqlite_utils import Database

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows, less the header
CHUNK = 1000

Progress = Callable[[int, int], bool]  # (done, total) -> keep going?

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", N_("Visit")),
    ("arrived_at", N_("Arrived")),
    ("started_at", N_("Service started")),
    ("ended_at", N_("Ended")),
    ("customer_id", N_("Customer number")),
    ("customer", N_("Customer")),
    ("staff", N_("Served by")),
    ("step_staff", N_("Steps ticked by")),
    ("language", N_("Language")),
    ("need", N_("Need")),
    ("solution", N_("Solution")),
    ("outcome", N_("Outcome")),
    ("complaint", N_("Complaint")),
    ("steps_skipped", N_("Steps skipped")),
    ("steps_total", N_("Steps")),
    ("wait", N_("Wait (seconds)")),
    ("service", N_("Service (seconds)")),
    ("feedback", N_("Customer's answer (1–5)")),
    ("feedback_reason", N_("Reason given")),
)
# Where each visit was made: only for a file that joined a hub or holds several stores
# (counter.visit_places.shown), so a lone counter's export stays as it was.
PLACE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("store", N_("Store")),
    ("counter", N_("Service counter")),  # not "Counter": that msgid is the app's name
)
_TIMES = ("arrived_at", "started_at", "ended_at")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class ExportResult:
    path: Path | None  # None when cancelled
    rows: int
    cancelled: bool


def _values(row: VisitRow, tr: Translator, yes: str, no: str) -> dict[str, object]:
    return {
        "id": row.id,
        "arrived_at": row.arrived_at,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "customer_id": row.customer_id,
        "customer": row.customer_name,
        "staff": row.staff_name,
        "step_staff": row.step_staff,
        "language": row.language,
        "need": row.need,
        "solution": row.solution,
        "outcome": outcome_label(row.outcome, tr.gettext) if row.outcome else "",
        "complaint": yes if row.complaint else no,
        "steps_skipped": row.steps_skipped,
        "steps_total": row.steps_total,
        "wait": row.wait,
        "service": row.service,
        # 1-5 as a number a spreadsheet can average; asked and unanswered in words.
        "feedback": (
            row.feedback
            if row.feedback
            else face_name(0, tr.gettext)
            if row.feedback == 0
            else None
        ),
        "feedback_reason": reason_label(row.feedback_reason, tr.gettext),
        "store": row.store_name,
        "counter": row.counter_name,
    }


def _filter_summary(f: VisitFilter) -> str:
    default = VisitFilter()
    changed = {
        fl.name: getattr(f, fl.name)
        for fl in fields(f)
        if getattr(f, fl.name) != getattr(default, fl.name)
    }
    return json.dumps(changed, ensure_ascii=False, sort_keys=True)


def check_fits(fmt: str, total: int) -> None:
    """ValidationError when ``total`` rows will not fit the format (a spreadsheet's rows)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "xlsx" and total > XLSX_MAX_ROWS:
        raise ValidationError(
            [
                Problem(
                    "format",
                    N_(
                        "A spreadsheet holds at most {count} rows. Choose a shorter period "
                        "or export CSV."
                    ),
                    {"count": XLSX_MAX_ROWS},
                )
            ]
        )


def write_table(
    path: Path,
    fmt: str,
    columns: tuple[tuple[str, str], ...],
    translator: Translator,
    chunks: Iterable[Sequence[dict[str, object]]],
    *,
    total: int,
    progress: Progress | None,
) -> tuple[int, bool]:
    """Rows (each a dict by column key, in ``chunks``) to ``path`` as CSV or XLSX, under the
    columns' translated titles: written to a ``.part`` file first, which becomes ``path`` only
    when complete. ``progress(done, total)`` is called before the first row and after each
    chunk; returning False cancels and no file is left. Returns (rows written, cancelled)."""
    part = path.with_name(path.name + ".part")
    writer = (
        _CsvWriter(part, columns, translator.tz)
        if fmt == "csv"
        else _XlsxWriter(part, columns, translator)
    )
    done = 0
    cancelled = progress is not None and not progress(0, total)
    try:
        if not cancelled:
            writer.header([translator.gettext(label) for _key, label in columns])
            for rows in chunks:
                for values in rows:
                    writer.row([values[key] for key, _label in columns])
                done += len(rows)
                if progress is not None and not progress(done, total):
                    cancelled = True
                    break
        writer.close(keep=not cancelled)
    except BaseException:
        writer.close(keep=False)
        part.unlink(missing_ok=True)
        raise
    if cancelled:
        part.unlink(missing_ok=True)
    else:
        os.replace(part, path)
    return done, cancelled


def export_visits(
    db: Database,
    session: Session,
    f: VisitFilter,
    path: str | Path,
    *,
    fmt: str,
    translator: Translator,
    now: int,
    sort: str = "arrived",
    descending: bool = False,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> ExportResult:
    """Write every visit matching ``f`` to ``path``. ``progress(done, total)`` is called before
    the first row and after each chunk; returning False cancels (the file is not written)."""
    require_manager(db, session)
    path = Path(path)
    total = count_matching(db, f)
    check_fits(fmt, total)
    columns = COLUMNS + PLACE_COLUMNS if visit_places.shown(db) else COLUMNS
    yes, no = translator.gettext("Yes"), translator.gettext("No")
    chunks = (
        [_values(row, translator, yes, no) for row in rows]
        for rows in iter_visit_rows(db, f, sort=sort, descending=descending, chunk=chunk)
    )
    done, cancelled = write_table(
        path, fmt, columns, translator, chunks, total=total, progress=progress
    )
    if cancelled:
        return ExportResult(None, done, cancelled=True)
    audit.record(
        db,
        at=now,
        staff_id=session.staff_id,
        action="export_visits",
        subject=path.name,
        detail=json.dumps(
            {"format": fmt, "rows": done, "filter": json.loads(_filter_summary(f))},
            ensure_ascii=False,
        ),
    )
    return ExportResult(path, done, cancelled=False)


class _CsvWriter:
    """UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding), comma
    separated, ISO 8601 times with the UTC offset; text a spreadsheet would run as a formula is
    guarded (:mod:`counter.cell_guard`)."""

    def __init__(self, path: Path, columns: tuple[tuple[str, str], ...], tz: tzinfo | None = None):
        self._columns = columns
        self._file = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._csv = safe_writer(self._file)
        self._tz = tz

    def header(self, labels: list[str]) -> None:
        self._csv.writerow(labels)

    def row(self, values: list[object]) -> None:
        out: list[object] = []
        for key_index, value in enumerate(values):
            key = self._columns[key_index][0]
            if isinstance(value, int | float) and key in _TIMES:
                local = datetime.fromtimestamp(value, tz=UTC).astimezone(self._tz)
                out.append(local.isoformat(timespec="seconds"))
            else:
                out.append(value)
        self._csv.writerow(out)

    def close(self, keep: bool) -> None:
        if not self._file.closed:
            self._file.close()


class _XlsxWriter:
    """openpyxl's write-only workbook: rows stream to disk. Times are real date-time cells in
    local time with an ISO format, so they sort and filter. Text is always a text cell, never a
    formula or an error value ("=1+1", "#N/A"); one a spreadsheet would read as a formula once
    edited also gets the quote-prefix style (Excel's own hidden apostrophe), not a visible one."""

    def __init__(self, path: Path, columns: tuple[tuple[str, str], ...], translator: Translator):
        self._columns = columns
        self._path = path
        self._tz = translator.tz
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title=translator.gettext("Visits")[:31] or "Visits")
        self._sheet.freeze_panes = "A2"
        widths = {
            "customer": 26,
            "staff": 20,
            "need": 34,
            "solution": 34,
            "outcome": 20,
            "feedback_reason": 26,
            "store": 20,
            "counter": 14,
        }
        for index, (key, _label) in enumerate(columns):
            letter = _column_letter(index)
            self._sheet.column_dimensions[letter].width = widths.get(
                key, 20 if key in _TIMES else 12
            )

    def header(self, labels: list[str]) -> None:
        bold = Font(bold=True)
        cells = []
        for label in labels:
            cell = self._text(label)
            cell.font = bold
            cells.append(cell)
        self._sheet.append(cells)

    def row(self, values: list[object]) -> None:
        out: list[object] = []
        for key_index, value in enumerate(values):
            key = self._columns[key_index][0]
            if value is None:
                out.append(None)
            elif key in _TIMES and isinstance(value, int | float):
                local = datetime.fromtimestamp(value, tz=UTC).astimezone(self._tz)
                cell = WriteOnlyCell(self._sheet, value=local.replace(tzinfo=None))
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
                out.append(cell)
            elif isinstance(value, str):
                out.append(self._text(value))
            else:
                out.append(value)
        self._sheet.append(out)

    def _text(self, text: str) -> Cell:
        cell = WriteOnlyCell(self._sheet, value=_ILLEGAL_XML.sub("", text))
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
        if needs_guard(text):
            cell.quotePrefix = True
        return cell

    def close(self, keep: bool) -> None:
        if keep:
            self._book.save(self._path)
        else:
            self._book.close()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
