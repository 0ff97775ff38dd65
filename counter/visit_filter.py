"""Which visits a manager means: the filter the visit log, the dashboard and an export share
(``counter.visit_log.filter_where`` turns it into one WHERE clause with
``storage.report_sql``)."""

from __future__ import annotations

from dataclasses import dataclass

# "answered": a face was tapped; "unhappy": face 1 or 2; "no_answer": asked, nothing tapped
# in time; "not_asked": the customer screen never asked about the visit.
FEEDBACK_CHOICES = ("answered", "unhappy", "no_answer", "not_asked")


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
    # The customer's answer on the customer screen: one of FEEDBACK_CHOICES ("" any visit)
    # and, when given, the reason they tapped (a built-in key or the store's own text).
    feedback: str = ""
    feedback_reason: str = ""

    def names_a_customer(self) -> bool:
        return self.customer_id is not None or bool(self.customer_text.strip())
