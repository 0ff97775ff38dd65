"""What ``counter report`` prints: the dashboard of a period for everyone, as the manager's
window shows it, with the store's name and language. The command line acts as the store's
first manager: whoever can run it on this machine can read the database file anyway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from counter.dashboard import Dashboard, load_dashboard
from counter.durations import Targets
from counter.errors import Problem, ValidationError
from counter.feedback import SatisfactionReport, load_satisfaction
from counter.i18n import N_
from counter.local_days import local_day, period
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from counter.visit_filter import VisitFilter

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_DAYS = 30  # the dashboard's own default period


@dataclass(frozen=True)
class ReportData:
    dashboard: Dashboard
    store_name: str
    store_language: str
    first: date
    last: date
    satisfaction: SatisfactionReport | None = None  # the customers' answers of the period


def parse_day(text: str, field: str) -> date:
    """A date written YYYY-MM-DD; a clear problem otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            [
                Problem(
                    field,
                    N_("“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-24."),
                    {"text": text},
                )
            ]
        ) from None


def report_days(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The period asked for: up to ``last`` (today if not given) from ``first`` (the
    dashboard's 30 days if not given)."""
    last = last or (max(first, today) if first else today)
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationError([Problem("from", N_("The first day comes after the last day."))])
    return first, last


def acting_manager(db: Database, now: int) -> Session:
    row = staff_sql.first_active_manager(db)
    if row is None:
        raise ValidationError(
            [Problem("staff", N_("This database has no manager yet: set up the store first."))]
        )
    return Session(row["id"], row["name"], "manager", now)


def load_report(
    db: Database,
    first: date | None,
    last: date | None,
    *,
    now: int,
    tz: tzinfo | None = None,
) -> ReportData:
    first, last = report_days(first, last, local_day(now, tz))
    settings = load_settings(db)
    start, end = period(first, last, tz)
    dashboard = load_dashboard(
        db,
        acting_manager(db, now),
        VisitFilter(start=start, end=end),
        targets=Targets.from_settings(settings),
        now=now,
        tz=tz,
    )
    answers = load_satisfaction(db, acting_manager(db, now), start, end, tz=tz)
    return ReportData(dashboard, settings.store_name, settings.store_language, first, last, answers)
