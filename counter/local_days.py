"""Local calendar days <-> epoch seconds: the domain stores UTC epochs, people think in the
days of the counter's own time zone (``tz``; None: this computer's)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def day_start(day: date, tz: tzinfo | None) -> int:
    """Epoch seconds of local midnight at the start of ``day``."""
    moment = datetime.combine(day, time())
    # A naive midnight read as local time gets that day's offset (summer time), not now's.
    moment = moment.replace(tzinfo=tz) if tz is not None else moment.astimezone()
    return int(moment.timestamp())


def period(first: date, last: date, tz: tzinfo | None) -> tuple[int, int]:
    """[start of ``first``, start of the day after ``last``)."""
    return day_start(first, tz), day_start(last + timedelta(days=1), tz)


def local_day(epoch: int, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(epoch, tz=UTC).astimezone(tz).date()
