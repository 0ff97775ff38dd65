"""Which visits a manager means: the filter the visit log, the dashboard and an export share
(``counter.reports`` reads with it; ``storage.report_sql`` turns it into one WHERE clause)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VisitFilter:
    """Which visits: every field narrows; the defaults mean "all ended visits"."""

    start: int | None = None  # arrived_at >= start (epoch s)
    end: int | None = None  # arrived_at < end
    staff_ids: tuple[int, ...] = ()
    outcomes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # the language the visit was held in
    customer_id: int | None = None
    customer_text: str = ""  # a name (any script, accents optional) or a phone number's tail
    complaint: bool | None = None
    steps_skipped: bool | None = None
    skipped_step: str = ""  # with steps_skipped=True: this step in particular
    wait_over: int | None = None  # waited longer than this many seconds
    service_over: int | None = None
    statuses: tuple[str, ...] = ("ended",)

    def names_a_customer(self) -> bool:
        return self.customer_id is not None or bool(self.customer_text.strip())
