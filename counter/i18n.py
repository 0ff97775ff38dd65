"""Translations and locale-aware formatting, without touching builtins.

A :class:`Translator` is one language: gettext lookups over ``locales/<lang>/LC_MESSAGES/
counter.mo`` and Babel formatting (dates, numbers, relative times, lists) with CLDR data.
Callers hold the translator they need and pass it on: the UI has one for its own language,
phrase building makes one for the customer's language.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from babel import units as babel_units

from counter import articles

DOMAIN = "counter"


def _locales_dir() -> Path:
    """An installed wheel carries compiled catalogs inside the package (``counter/locales``,
    put there by the build hook); a checkout has them in the repository's ``locales/``."""
    packaged = Path(__file__).resolve().parent / "locales"
    return packaged if packaged.is_dir() else packaged.parent.parent / "locales"


LOCALES_DIR = _locales_dir()
SOURCE_LANGUAGE = "en"
# Languages with a catalog in locales/ (English is the source language and needs none).
SUPPORTED_LANGUAGES = ("en", "tr", "sk", "hu", "hi")
NOW_SECONDS = 60  # relative(): closer than this either way is "now"


def clock_text(seconds: float) -> str:
    """A stopwatch, the same in every language: 0:07, 4:30, 1:02:05. Never rounded up: what a
    wait is compared with a threshold by is what is shown."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


# A gettext function: a msgid in, its translation out.
Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later, where the language is known."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a string with a context (msgctxt) for extraction; look it up later with
    ``pgettext(context, message)``."""
    return context, message


def available_languages(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """English plus every language with a catalog folder: a new language is a new catalog."""
    # A checkout has the .po sources; a wheel only the compiled .mo files.
    found = {p.parent.parent.name for p in locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.[pm]o")}
    return [SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE})]


@lru_cache(maxsize=512)
def is_known_language(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def base_language(code: str) -> str:
    """The language of a code without its region or script ("hu" for "hu_HU")."""
    try:
        return Locale.parse(code).language
    except (ValueError, TypeError):
        return code.split("_")[0]


@lru_cache(maxsize=32)
def _catalog(language: str, locales_dir: Path) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=locales_dir, languages=[language], fallback=True)


class Translator:
    """One language's gettext catalog and CLDR formatting."""

    def __init__(self, language: str, locales_dir: Path = LOCALES_DIR, tz: tzinfo | None = None):
        self.language = language
        self.locale = Locale.parse(language)
        self.tz = tz
        self._catalog = _catalog(language, locales_dir)

    @property
    def has_catalog(self) -> bool:
        return (
            self.language == SOURCE_LANGUAGE or type(self._catalog) is not gettext.NullTranslations
        )

    @property
    def right_to_left(self) -> bool:
        return self.locale.text_direction == "rtl"

    # gettext -------------------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._catalog.npgettext(context, singular, plural, n)

    def fill(self, message: str, /, **params: object) -> str:
        """A translated message with its named placeholders filled, and what depends on the
        filled-in words settled: Hungarian "a(z) {line}" is "az 1." but "a 2."."""
        return articles.resolve(
            articles.prepare(message, self.language).format(**params), self.language
        )

    # formatting ----------------------------------------------------------------------------
    def _local(self, epoch: int) -> datetime:
        return datetime.fromtimestamp(epoch, tz=UTC).astimezone(self.tz)

    def local(self, epoch: int) -> datetime:
        """A moment on the wall clock of this translator's time zone."""
        return self._local(epoch)

    def date(self, epoch: int, format: str = "medium") -> str:
        return babel_dates.format_date(self._local(epoch).date(), format, locale=self.locale)

    def datetime(self, epoch: int, format: str = "medium") -> str:
        return babel_dates.format_datetime(self._local(epoch), format, locale=self.locale)

    def time(self, epoch: int, format: str = "short") -> str:
        return babel_dates.format_time(self._local(epoch), format, locale=self.locale)

    # dt.date, not date: inside this class ``date`` is the method Translator.date.
    def day(self, day: dt.date, format: str = "medium") -> str:
        return babel_dates.format_date(day, format, locale=self.locale)

    def day_skeleton(self, day: dt.date, skeleton: str) -> str:
        """A day in the language's own order for a CLDR skeleton: "MMMd" -> "17 Nov",
        "Nov 17" or "nov. 17."."""
        return babel_dates.format_skeleton(skeleton, day, locale=self.locale)

    def relative(self, epoch: int, now: int) -> str:
        """ "3 weeks ago" / "in 2 days", by the language's own plural and relative-time rules;
        within a minute either way, the language's "now" (never "in 0 seconds": a visit
        stamped a moment ago, or by a counter whose clock runs a little ahead)."""
        if abs(epoch - now) < NOW_SECONDS:
            return self.now_word()
        return babel_dates.format_timedelta(
            timedelta(seconds=epoch - now), add_direction=True, locale=self.locale
        )

    def now_word(self) -> str:
        """ "now" / "most" / "şimdi": CLDR's relative second 0."""
        try:
            return str(self.locale._data["date_fields"]["second"]["relative"][0])
        except (KeyError, TypeError):
            return babel_dates.format_timedelta(
                timedelta(0), add_direction=True, locale=self.locale
            )

    def duration(
        self, seconds: int, format: Literal["narrow", "short", "medium", "long"] = "short"
    ) -> str:
        """ "4 min" / "1 h": a length of time without direction."""
        return babel_dates.format_timedelta(
            timedelta(seconds=seconds), format=format, threshold=1.0, locale=self.locale
        )

    def exact_duration(
        self, seconds: float, format: Literal["long", "short", "narrow"] = "short"
    ) -> str:
        """ "2 min, 39 sec" / "1 hour, 5 seconds": a length of time to the second, where
        :meth:`duration` would say "3 min" for 2:39. Use it wherever a duration is shown next
        to a target or a threshold, so the number read and the colour agree."""
        seconds = max(0, int(seconds))
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        amounts = [(hours, "hour"), (minutes, "minute"), (secs, "second")]
        parts = [
            babel_units.format_unit(n, f"duration-{unit}", format, locale=self.locale)
            for n, unit in amounts
            if n
        ] or [babel_units.format_unit(0, "duration-second", format, locale=self.locale)]
        style: Literal["unit", "unit-short", "unit-narrow"] = (
            "unit" if format == "long" else "unit-short" if format == "short" else "unit-narrow"
        )
        try:
            return babel_lists.format_list(parts, style=style, locale=self.locale)
        except KeyError:
            # Babel has only the two-item unit pattern for some languages (Slovak, Hindi).
            text = parts[-1]
            for part in reversed(parts[:-1]):
                text = babel_lists.format_list([part, text], style=style, locale=self.locale)
            return text

    def number(self, value: float | int) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return babel_numbers.format_percent(value, locale=self.locale)

    def list(self, items: list[str]) -> str:
        return babel_lists.format_list(items, locale=self.locale) if items else ""

    def language_name(self, code: str) -> str:
        """A language's name written in this translator's language ("Türkçe" in Turkish)."""
        try:
            name = Locale.parse(code).get_display_name(self.locale) or code
        except (ValueError, UnknownLocaleError):
            return code
        return name[:1].upper() + name[1:]

    def day_period(self, epoch: int) -> str:
        """The CLDR day period id ("morning1", "evening1", ...) for a moment, in this language."""
        return babel_dates.get_period_id(self._local(epoch), type="selection", locale=self.locale)
