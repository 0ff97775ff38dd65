"""Phrase templates and what fills them: which placeholders a template may use, whether a
manager's text is a valid template, and the values of a moment and a customer.

    {greeting}  the time-of-day greeting, by the language's own CLDR day periods
    {address}   the form of address the language uses (counter.address)
    {store}     the store's name            {staff}  the staff member's name
    {since}     time since the last visit, CLDR relative time ("3 hafta önce")
    {note}      the last rapport note       {need}   what the customer came for last time

A template is filled only when every placeholder it uses has a value, and it is checked
again when filled, so a broken placeholder never reaches a customer.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates

from counter import articles
from counter.address import NameParts, form_of_address
from counter.errors import Problem
from counter.i18n import N_, Translator, base_language
from counter.phrase_catalog import DAY_PERIOD_GREETINGS, OTHER_GREETING

PLACEHOLDERS = ("greeting", "address", "store", "staff", "since", "note", "need")


@dataclass(frozen=True)
class PhraseContext:
    """What the phrases may draw on besides the customer's name."""

    store_name: str = ""
    staff_name: str = ""
    last_visit_at: int | None = None
    last_note: str = ""
    last_need: str = ""
    returning: bool = False


# templates ---------------------------------------------------------------------------------
def template_problems(text: str) -> list[Problem]:
    """What is wrong with a phrase template's braces and placeholders (empty: nothing)."""
    example: dict[str, str | int] = {"example": "{address}"}
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            Problem(
                "text",
                N_(
                    "A brace is not closed or not opened: write placeholders as a name in "
                    "braces, like {example}."
                ),
                example,
            )
        ]
    problems = []
    allowed = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        shown = (
            "{"
            + field
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if field in PLACEHOLDERS and not spec and not conversion:
            continue
        if field in PLACEHOLDERS or not re.fullmatch(r"\w+", field) or field.isdigit():
            problems.append(
                Problem(
                    "text",
                    N_("Write {placeholder} as a plain name in braces, like {example}."),
                    {"placeholder": shown, **example},
                )
            )
        else:
            problems.append(
                Problem(
                    "text",
                    N_(
                        "{placeholder} is not something Counter can fill in. Use one of: {allowed}."
                    ),
                    {"placeholder": shown, "allowed": allowed},
                )
            )
    return problems


def placeholders_in(text: str) -> list[str]:
    """The placeholders a valid template uses."""
    return [field for _l, field, _s, _c in string.Formatter().parse(text) if field]


def render(template: str, values: dict[str, str], language: str) -> str | None:
    """The filled-in phrase, or None when the template is broken or a value is missing."""
    if template_problems(template):
        return None
    names = placeholders_in(template)
    if any(not values.get(name) for name in names):
        return None
    # "A(z) {store}" is "Az 1 Stop Shop" but "A Corner Pharmacy": settled once filled.
    template = articles.prepare(template, language)
    return articles.resolve(template.format_map({name: values[name] for name in names}), language)


# values --------------------------------------------------------------------------------------
def placeholder_values(
    translator: Translator,
    name: NameParts,
    context: PhraseContext,
    period: str,
    now: int,
    *,
    latin_address: bool = False,
    address_language: str | None = None,
) -> dict[str, str]:
    """Every placeholder's value for a customer at a moment, in the translator's language
    ('' where there is none). ``period``: :func:`greeting_period`'s. ``latin_address``: the
    name in Latin letters; ``address_language``: address them as this language does (a
    gloss in the UI language names the customer as the phrase does)."""
    language = base_language(address_language or translator.language)
    return {
        "greeting": day_greeting(translator, period),
        "address": form_of_address(name, language, latin=latin_address),
        "store": context.store_name.strip(),
        "staff": context.staff_name.strip(),
        "since": translator.relative(context.last_visit_at, now)
        if context.last_visit_at is not None
        else "",
        "note": context.last_note.strip(),
        "need": context.last_need.strip(),
    }


# the greeting of the hour --------------------------------------------------------------------
# The hour from which the small hours greet as morning, per language. CLDR's day periods
# call the hours before dawn "night" (Turkish until 06:00, Hungarian "hajnal" from 04:00, and
# English "morning" from midnight), but no language greets "good night": it is said when
# parting ("İyi geceler", "Dobrú noc", "Jó éjszakát", "Good night"). So a night hour greets
# like the evening before it until this hour, and like the morning after it from then on.
# Shops, bakeries and markets open before dawn, and that is how people there speak:
MORNING_FROM_HOUR: dict[str, int] = {
    # "Good morning" from 04:00 (early shifts); "Good evening" to someone still up at 01:00,
    # although CLDR's English "morning" starts at midnight.
    "en": 4,
    # "Günaydın" from 04:00 (the morning call to prayer, the early bazaar); "İyi akşamlar"
    # after midnight: CLDR's night runs to 06:00 and gave "İyi akşamlar" at 05:13.
    "tr": 4,
    # "Dobré ráno" from 04:00, where CLDR's "ráno" starts; "Dobrý večer" after midnight.
    "sk": 4,
    # "Jó reggelt" from 04:00, CLDR's "hajnal" (dawn); "Jó estét" in the "éjjel" before it.
    "hu": 4,
    # नमस्ते at every hour: the split changes nothing said, only the period id reported.
    "hi": 4,
}
DEFAULT_MORNING_FROM_HOUR = 4


def _is_night(period: str) -> bool:
    return period.startswith("night")


@lru_cache(maxsize=64)
def _periods_around_night(locale: Locale, morning_from: int) -> tuple[str, str]:
    """(the language's last period before its night, its first period after the small hours):
    the greetings a night hour borrows."""

    def at(hour: int, minute: int = 0) -> str:
        return babel_dates.get_period_id(time(hour, minute), type="selection", locale=locale)

    evening = next(
        (
            period
            for minute in range(23 * 60 + 59, 12 * 60 - 1, -1)
            if not _is_night(period := at(*divmod(minute, 60)))
        ),
        "",
    )
    morning = next(
        (
            period
            for minute in range(morning_from * 60, 12 * 60)
            if not _is_night(period := at(*divmod(minute, 60)))
        ),
        "",
    )
    return evening, morning


def greeting_period(translator: Translator, epoch: int) -> str:
    """The day period whose greeting fits a moment in this language: CLDR's own, except that
    the night borrows the evening before it or, from the language's morning hour, the morning
    after it (``MORNING_FROM_HOUR``)."""
    moment = translator.local(epoch)
    period = translator.day_period(epoch)
    morning_from = MORNING_FROM_HOUR.get(
        base_language(translator.language), DEFAULT_MORNING_FROM_HOUR
    )
    evening, morning = _periods_around_night(translator.locale, morning_from)
    if morning_from <= moment.hour < 12:
        return morning if _is_night(period) and morning else period
    if moment.hour < morning_from and (_is_night(period) or period.startswith("morning")):
        return evening or period
    if _is_night(period):
        return evening or period
    return period


def day_greeting(translator: Translator, period: str) -> str:
    """The greeting of a day period (:func:`greeting_period`) in the translator's language."""
    return translator.pgettext(*DAY_PERIOD_GREETINGS.get(period, OTHER_GREETING))
