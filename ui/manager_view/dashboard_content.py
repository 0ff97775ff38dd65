"""What the dashboard and its printed report both show, formatted in the UI language: the KPI
tiles, the charts, the per-staff table's columns and how complaints ended."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from counter.checklist import step_label
from counter.dashboard import Dashboard, StaffStats
from counter.durations import Durations
from counter.i18n import clock_text
from counter.outcomes import outcome_label
from ui import theme
from ui.i18n import N_, _, current, ngettext, pgettext
from ui.manager_view import charts
from ui.models.list_table_model import Column

if TYPE_CHECKING:  # QtCharts loads when a chart is built, not with this module
    from PySide6.QtCharts import QChart


def fmt_duration(seconds: float | None) -> str:
    """A median or percentile to the second, as a stopwatch like the visit log's (short
    enough for a tile in every language): the value shown is the value compared with the
    target (a rounded "3 min" was red for 3:23 against a 3 min target)."""
    return "—" if seconds is None else clock_text(round(seconds))


def fmt_share(share: float | None) -> str:
    return "—" if share is None else current().percent(share)


def staff_columns() -> list[Column]:
    tr = current

    def name(s: StaffStats) -> str:
        return s.name or _("(nobody recorded)")

    return [
        Column(N_("Staff"), name),
        Column(N_("Visits"), lambda s: tr().number(s.visits), numeric=True),
        Column(N_("Median wait"), lambda s: fmt_duration(s.wait.median), numeric=True),
        Column(N_("Median service"), lambda s: fmt_duration(s.service.median), numeric=True),
        Column(
            N_("Service within target"),
            lambda s: fmt_share(s.service.within_share),
            numeric=True,
        ),
        Column(N_("Steps done"), lambda s: fmt_share(s.steps_share), numeric=True),
        Column(N_("Complaints"), lambda s: tr().number(s.complaints), numeric=True),
        Column(
            N_("Returning"),
            lambda s: fmt_share(s.returning / s.visits if s.visits else None),
            numeric=True,
        ),
        Column(N_("Overdue follow-ups"), lambda s: tr().number(s.overdue_follow_ups), numeric=True),
    ]


def kpi_tiles(d: Dashboard) -> list[tuple[str, str, str, bool]]:
    """(title, value, note, bad) for each headline number."""
    tr = current()

    def duration_tile(title: str, durations: Durations, which: str) -> tuple[str, str, str, bool]:
        value = durations.median if which == "median" else durations.p90
        note = _("target {duration}").format(duration=tr.duration(durations.target))
        over = value is not None and round(value) > durations.target
        return title, fmt_duration(value), note, over

    return [
        (_("Visits"), tr.number(d.visits), "", False),
        duration_tile(_("Median wait"), d.wait, "median"),
        duration_tile(_("{share} waited at most").format(share=tr.percent(0.9)), d.wait, "p90"),
        duration_tile(_("Median service"), d.service, "median"),
        duration_tile(_("{share} served within").format(share=tr.percent(0.9)), d.service, "p90"),
        (
            _("Returning customers"),
            fmt_share(d.returning_share),
            ngettext("{count} visit", "{count} visits", d.returning).format(
                count=tr.number(d.returning)
            ),
            False,
        ),
        (
            _("Complaints"),
            tr.number(d.complaints),
            fmt_share(d.complaint_share),
            d.complaints > 0,
        ),
        (_("Overdue follow-ups"), tr.number(d.overdue_follow_ups), "", d.overdue_follow_ups > 0),
    ]


def build_charts(
    d: Dashboard, font_size: float | None = None, colours: theme.Colours | None = None
) -> dict[str, QChart]:
    """The dashboard's charts (QChart objects), titled and labelled in the UI language, in
    the palette's colours (or ``colours``: paper's, for the printed report)."""
    tr = current()
    per_day = charts.bar_chart(
        _("Visits per day"),
        [tr.day_skeleton(day, "MMMd") for day, _n in d.days],
        [n for _day, n in d.days],
        color=charts.BLUE,
        label_every=math.ceil(len(d.days) / 10),
        font_size=font_size,
        colours=colours,
    )
    first_hour = next((h for h, n in enumerate(d.by_hour) if n), 8)
    last_hour = max((h for h, n in enumerate(d.by_hour) if n), default=19)
    hours = range(min(first_hour, 8), max(last_hour, 19) + 1)
    by_hour = charts.bar_chart(
        _("Visits by hour of day"),
        [tr.number(h) for h in hours],
        [d.by_hour[h] for h in hours],
        color=charts.TEAL,
        font_size=font_size,
        colours=colours,
    )
    outcome_items = list(d.outcomes.items())[::-1]  # horizontal bars draw bottom-up
    outcomes = charts.bar_chart(
        _("Outcomes"),
        [
            f"{outcome_label(k, _) if k else _('(none)')} · {fmt_share(n / d.visits)}"
            for k, n in outcome_items
        ],
        [n for _k, n in outcome_items],
        color=charts.BLUE,
        horizontal=True,
        font_size=font_size,
        colours=colours,
    )
    step_items = d.steps[::-1]
    steps = charts.bar_chart(
        _("Checklist steps done, share of visits"),
        [f"{step_label(s.step_key, s.label, _)} · {fmt_share(s.share)}" for s in step_items],
        [round(100 * (s.share or 0)) for s in step_items],
        color=charts.AMBER,
        horizontal=True,
        max_value=100,
        font_size=font_size,
        colours=colours,
    )
    return {"per_day": per_day, "by_hour": by_hour, "outcomes": outcomes, "steps": steps}


def values_text(pairs: list[tuple[str, str]]) -> str:
    """A chart's values as a sentence a screen reader reads: "Nov 3: 4, Nov 4: 7 and …"."""
    if not pairs:
        return _("No data in this period.")
    return current().list(
        [pgettext("chart value", "{label}: {value}").format(label=k, value=v) for k, v in pairs]
    )


def chart_summaries(d: Dashboard) -> dict[str, str]:
    """The dashboard's charts (``build_charts``) as text, for their accessible descriptions."""
    tr = current()
    return {
        "per_day": values_text([(tr.day_skeleton(day, "MMMd"), tr.number(n)) for day, n in d.days]),
        "by_hour": values_text(
            [
                (f"{tr.number(h)}–{tr.number(h + 1)}", tr.number(n))
                for h, n in enumerate(d.by_hour)
                if n
            ]
        ),
        "outcomes": values_text(
            [
                (
                    outcome_label(k, _) if k else _("(none)"),
                    f"{tr.number(n)} ({fmt_share(n / d.visits)})",
                )
                for k, n in d.outcomes.items()
            ]
            if d.visits
            else []
        ),
        "steps": values_text(
            [(step_label(s.step_key, s.label, _), fmt_share(s.share)) for s in d.steps]
        ),
    }


def complaints_text(d: Dashboard) -> str:
    tr = current()
    if not d.complaints:
        return _("No complaints in this period.")
    endings = [
        _("{outcome}: {count}").format(
            outcome=outcome_label(k, _) if k else _("(none)"), count=tr.number(n)
        )
        for k, n in d.complaint_outcomes.items()
    ]
    return ngettext(
        "{count} complaint; how it ended: {endings}",
        "{count} complaints; how they ended: {endings}",
        d.complaints,
    ).format(count=tr.number(d.complaints), endings=tr.list(endings))
