"""What the Stores tab and the stores report both show: the comparison's columns and cells,
and the wait chart (like dashboard_content for the store's own dashboard)."""

from __future__ import annotations

from counter import office
from counter.i18n import clock_text
from ui.i18n import _, current
from ui.manager_view import charts
from ui.manager_view.dashboard_content import fmt_duration, fmt_share
from ui.manager_view.satisfaction import fmt_average


def comparison_headers() -> list[str]:
    nine_in_ten = current().percent(0.9)
    return [
        _("Store"),
        _("Visits"),
        _("Median wait"),
        _("{share} waited at most").format(share=nine_in_ten),
        _("Waits within target"),
        _("Median service"),
        _("{share} served within").format(share=nine_in_ten),
        _("Service within target"),
        _("Steps done"),
        _("Complaints"),
        _("Returning customers"),
        _("Overdue follow-ups"),
        # The customers' answers on the customer screen, as the store's dashboard shows them.
        _("Answers"),
        _("Answer rate"),
        _("Average face (1–5)"),
        _("Unhappy"),
    ]


def comparison_cells(s: office.StoreStats) -> list[tuple[str, bool]]:
    """One store's row as (text, over its target) in :func:`comparison_headers` order: the
    tab and the printed report show the same."""
    tr = current()
    return [
        (s.store.name, False),
        (tr.number(s.visits), False),
        (fmt_duration(s.wait.median), _over(s.wait.median, s.wait.target)),
        (fmt_duration(s.wait.p90), _over(s.wait.p90, s.wait.target)),
        (fmt_share(s.wait.within_share), False),
        (fmt_duration(s.service.median), _over(s.service.median, s.service.target)),
        (fmt_duration(s.service.p90), _over(s.service.p90, s.service.target)),
        (fmt_share(s.service.within_share), False),
        (fmt_share(s.steps_share), False),
        (tr.number(s.complaints), False),
        (tr.number(s.returning), False),
        (tr.number(s.overdue_follow_ups), False),
        (tr.number(s.answers.answered), False),
        (fmt_share(s.answers.answer_rate), False),
        (fmt_average(s.answers.overall), False),
        (fmt_share(s.answers.poor_share), False),
    ]


def wait_chart(comparison: list[office.StoreStats]):
    """Each store's median wait in minutes, its own target beside its name."""
    return charts.bar_chart(
        _("Median wait against each store's target (minutes)"),
        [f"{s.store.name} · {clock_text(s.wait.target)}" for s in comparison],
        [(s.wait.median or 0) / 60 for s in comparison],
        horizontal=True,
    )


def answers_chart(comparison: list[office.StoreStats]):
    """Each store's average face (1-5) and how many answered, beside its name."""
    return charts.bar_chart(
        _("Average face per store (1–5)"),
        [f"{s.store.name} · {current().number(s.answers.answered)}" for s in comparison],
        [round(s.answers.overall.average or 0, 2) for s in comparison],
        color=charts.TEAL,
        horizontal=True,
        max_value=5,
    )


def _over(value: float | None, target: int) -> bool:
    return value is not None and value > target
