"""Local calendar days <-> epoch seconds, for the period pickers (the domain works in epochs)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QDate


def day_start(day: date, tz: tzinfo | None) -> int:
    """Epoch seconds of local midnight at the start of ``day`` (``tz`` None: this computer's)."""
    moment = datetime.combine(day, time())
    moment = moment.replace(tzinfo=tz) if tz is not None else moment.astimezone()
    return int(moment.timestamp())


def period(first: date, last: date, tz: tzinfo | None) -> tuple[int, int]:
    """[start of ``first``, start of the day after ``last``)."""
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def local_day(epoch: int, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(epoch, tz=UTC).astimezone(tz).date()


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())
