"""Export the chain's visit log (read from the hub, ``counter.office``) to CSV or XLSX: the
local export's columns (``counter.export``) with the store's first, the hub's visit id instead
of the local number; the same writers, so the same encoding, ISO times, formula guard and
"file appears only when complete". Audited in the counter's own audit log."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
from sqlite_utils import Database

from counter import audit
from counter.export import (
    COLUMNS,
    ExportResult,
    Progress,
    _CsvWriter,
    _XlsxWriter,
    check_fits,
    write_table,
)
from counter.feedback import face_name, reason_label
from counter.i18n import N_, Translator
from counter.office import (
    OfficeFilter,
    OfficeScope,
    OfficeVisitRow,
    StoreStats,
    count_visits,
    list_visits,
)
from counter.outcomes import outcome_label
from counter.roles import Session, require_manager

OFFICE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("store", N_("Store")),
    *(c for c in COLUMNS if c[0] not in ("customer_id", "step_staff")),
)


def _values(row: OfficeVisitRow, tr: Translator, yes: str, no: str) -> dict[str, object]:
    return {
        "store": row.store_name,
        "id": row.gid,
        "arrived_at": row.arrived_at,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "customer": row.customer_name,
        "staff": row.staff_name,
        "language": row.language,
        "need": row.need,
        "solution": row.solution,
        "outcome": outcome_label(row.outcome, tr.gettext) if row.outcome else "",
        "complaint": yes if row.complaint else no,
        "steps_skipped": row.steps_skipped,
        "steps_total": row.steps_total,
        "wait": row.wait,
        "service": row.service,
        # As the store's own export writes them: 1-5 a number, asked and unanswered in words.
        "feedback": (
            int(row.feedback)
            if row.feedback.isdigit() and row.feedback != "0"
            else face_name(0, tr.gettext)
            if row.feedback == "0"
            else None
        ),
        "feedback_reason": reason_label(row.feedback_reason, tr.gettext),
    }


def export_office_visits(
    db: Database,
    session: Session,
    conn: psycopg.Connection,
    scope: OfficeScope,
    f: OfficeFilter,
    path: str | Path,
    *,
    fmt: str,
    translator: Translator,
    now: int,
    progress: Progress | None = None,
    chunk: int = 1000,
) -> ExportResult:
    """Every visit of the chain's log matching ``f`` (newest first) to ``path``."""
    require_manager(db, session)
    path = Path(path)
    total = count_visits(conn, scope, f)
    check_fits(fmt, total)
    yes, no = translator.gettext("Yes"), translator.gettext("No")

    def pages() -> Iterator[list[dict[str, object]]]:
        before = None
        while True:
            rows = list_visits(conn, scope, f, limit=chunk, before=before)
            yield [_values(row, translator, yes, no) for row in rows]
            if len(rows) < chunk:
                return
            before = (rows[-1].arrived_at, rows[-1].gid)

    # The visit log's writers with the office's columns (the store first).
    done, cancelled = write_table(
        path, fmt, OFFICE_COLUMNS, translator, pages(), total=total, progress=progress
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
            {
                "format": fmt,
                "rows": done,
                "hub_login": scope.login,
                "stores": list(scope.store_ids(f.store_ids)),
            },
        ),
    )
    return ExportResult(path, done, cancelled=False)


# the comparison of stores ---------------------------------------------------------------------
COMPARISON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("store", N_("Store")),
    ("visits", N_("Visits")),
    ("wait_median", N_("Median wait (seconds)")),
    ("wait_p90", N_("90th percentile wait (seconds)")),
    ("wait_target", N_("Wait target (seconds)")),
    ("wait_within", N_("Waits within target")),
    ("service_median", N_("Median service (seconds)")),
    ("service_p90", N_("90th percentile service (seconds)")),
    ("service_target", N_("Service target (seconds)")),
    ("service_within", N_("Service within target")),
    ("steps_done", N_("Steps done")),
    ("complaints", N_("Complaints")),
    ("returning", N_("Returning customers")),
    ("overdue", N_("Overdue follow-ups")),
    ("asked", N_("Customers asked")),
    ("answers", N_("Answers")),
    ("answer_rate", N_("Answer rate")),
    ("average_face", N_("Average face (1–5)")),
    ("unhappy", N_("Unhappy")),
)


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _comparison_values(s: StoreStats) -> dict[str, object]:
    """Numbers a spreadsheet can sort and average: seconds, shares as fractions (0-1)."""
    answers = s.answers
    return {
        "store": s.store.name,
        "visits": s.visits,
        "wait_median": s.wait.median,
        "wait_p90": s.wait.p90,
        "wait_target": s.wait.target,
        "wait_within": _ratio(s.wait.within_share),
        "service_median": s.service.median,
        "service_p90": s.service.p90,
        "service_target": s.service.target,
        "service_within": _ratio(s.service.within_share),
        "steps_done": _ratio(s.steps_share),
        "complaints": s.complaints,
        "returning": s.returning,
        "overdue": s.overdue_follow_ups,
        "asked": answers.asked,
        "answers": answers.answered,
        "answer_rate": _ratio(answers.answer_rate),
        "average_face": _ratio(answers.overall.average),
        "unhappy": _ratio(answers.poor_share),
    }


class _ComparisonCsv(_CsvWriter):
    def row(self, values: list[object]) -> None:
        self._csv.writerow(values)


class _ComparisonXlsx(_XlsxWriter):
    def __init__(self, path: Path, translator: Translator):
        super().__init__(path, COMPARISON_COLUMNS, translator)
        self._sheet.title = translator.gettext("Stores")[:31] or "Stores"

    def row(self, values: list[object]) -> None:
        self._sheet.append([self._text(v) if isinstance(v, str) else v for v in values])


def export_store_comparison(
    db: Database,
    session: Session,
    comparison: Sequence[StoreStats],
    path: str | Path,
    *,
    fmt: str,
    translator: Translator,
) -> ExportResult:
    """The stores compared (as :func:`counter.office.store_comparison` gave them) to CSV or
    XLSX, one row a store, the customers' answers included. Figures per store, no customer's
    data: not audited. The file appears only when complete."""
    require_manager(db, session)
    check_fits(fmt, len(comparison))
    path = Path(path)
    part = path.with_name(path.name + ".part")
    writer = (
        _ComparisonCsv(part, COMPARISON_COLUMNS, translator.tz)
        if fmt == "csv"
        else _ComparisonXlsx(part, translator)
    )
    try:
        writer.header([translator.gettext(label) for _key, label in COMPARISON_COLUMNS])
        for stats in comparison:
            values = _comparison_values(stats)
            writer.row([values[key] for key, _label in COMPARISON_COLUMNS])
        writer.close(keep=True)
    except BaseException:
        writer.close(keep=False)
        part.unlink(missing_ok=True)
        raise
    os.replace(part, path)
    return ExportResult(path, len(comparison), cancelled=False)
