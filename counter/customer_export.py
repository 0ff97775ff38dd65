"""Export every customer to a CSV file that :mod:`counter.importing` reads back (same column
names), streamed from one cursor; the file appears only when complete. Audited."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from counter import audit
from counter.cell_guard import safe_writer
from counter.progress import Progress, tick
from counter.storage import customer_sql, transfer_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = ("id", *customer_sql.CUSTOMER_FIELDS, "created_at", "last_visit_at")
_INDEX = [transfer_sql.EXPORT_COLUMNS.index(c) for c in COLUMNS]


def export_customers(
    db: Database,
    out: Path,
    *,
    now: int,
    staff_id: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Write all live customers to ``out`` (UTF-8 with BOM, so spreadsheet programs read the
    accents right; text a spreadsheet would run as a formula guarded, see
    :mod:`counter.cell_guard`). Returns how many were written."""
    out = Path(out)
    part = out.with_name(out.name + ".part")
    total = max(customer_sql.count_customers(db), 1)
    written = 0
    try:
        with open(part, "w", encoding="utf-8-sig", newline="") as f:
            writer = safe_writer(f)
            writer.writerow(COLUMNS)
            for row in transfer_sql.iter_customers(db):
                writer.writerow([row[i] for i in _INDEX])
                written += 1
                if written % 1000 == 0:
                    tick(progress, written, total)
        os.replace(part, out)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    audit.record(
        db,
        at=now,
        staff_id=staff_id,
        action="export_customers",
        subject=f"file:{out.name}",
        detail=f"{written} customers",
    )
    return written
