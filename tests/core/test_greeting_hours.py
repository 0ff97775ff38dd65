"""The time-of-day greeting at every minute of the day, in every language: the small hours
before dawn greet as morning where people do, and no hour gets a greeting from the wrong end
of the day (CLDR's "night" runs to 06:00 in Turkish and gave "İyi akşamlar" at 05:13)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from counter.customers import CustomerInput, create_customer
from counter.i18n import SUPPORTED_LANGUAGES, available_languages
from counter.phrase_overrides import preview
from counter.phrase_suggestions import suggest_for_customer
from counter.phrase_templates import MORNING_FROM_HOUR
from counter.storage import settings_sql
from tests.i18n.build import ensure_compiled

MIDNIGHT = int(datetime(2026, 11, 24, tzinfo=UTC).timestamp())

# What each language says, sorted by which end of the day it belongs to.
MORNING = {"en": "Good morning", "tr": "Günaydın", "sk": "Dobré ráno", "hu": "Jó reggelt kívánok"}
DAYTIME = {"en": "Good afternoon", "tr": "İyi günler", "sk": "Dobrý deň", "hu": "Jó napot kívánok"}
EVENING = {
    "en": "Good evening",
    "tr": "İyi akşamlar",
    "sk": "Dobrý večer",
    "hu": "Jó estét kívánok",
}
ANY_HOUR = {"hi": "नमस्ते"}


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    ensure_compiled()


def greeting(language: str, minute: int, tz=UTC) -> str:
    return preview("{greeting}", language, now=MIDNIGHT + minute * 60, tz=tz)


def test_every_language_has_a_decision_for_the_small_hours():
    assert set(SUPPORTED_LANGUAGES) <= set(MORNING_FROM_HOUR)
    assert set(available_languages()) <= set(MORNING_FROM_HOUR)
    assert set(available_languages()) <= set(MORNING) | set(ANY_HOUR)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_a_sensible_greeting_at_every_minute(language):
    said = {minute: greeting(language, minute) for minute in range(24 * 60)}
    if language in ANY_HOUR:
        assert set(said.values()) == {ANY_HOUR[language]}
        return
    morning, daytime, evening = MORNING[language], DAYTIME[language], EVENING[language]
    assert set(said.values()) <= {morning, daytime, evening}
    for minute, text in said.items():
        hour, clock = minute // 60, f"{minute // 60:02d}:{minute % 60:02d}"
        if hour < 4:  # still the night before: "good night" is said when parting
            assert text == evening, clock
        elif hour < 9:  # dawn and early morning: shops and markets open
            assert text == morning, clock
        elif hour < 12:
            assert text in (morning, daytime), clock
        elif hour < 18:
            assert text == daytime, clock
        else:
            assert text == evening, clock
    # The morning greeting stops once, the evening starts once: no flicker between them.
    changes = [m for m in range(1, 24 * 60) if said[m] != said[m - 1]]
    assert len(changes) == 3 or (len(changes) == 4 and language == "tr"), changes


@pytest.mark.parametrize(
    ("language", "expected"),
    [("tr", "Günaydın"), ("en", "Good morning"), ("hu", "Jó reggelt kívánok")],
)
def test_05_13_is_morning_in_the_stores_time_zone(language, expected):
    # 05:13 in Istanbul is 02:13 UTC: the store's clock decides, not UTC's.
    istanbul = ZoneInfo("Europe/Istanbul")
    assert greeting(language, 2 * 60 + 13, tz=istanbul) == expected
    assert greeting(language, 5 * 60 + 13, tz=UTC) == expected


def test_the_phrase_panel_greets_a_turkish_customer_at_05_13_with_gunaydin(db):
    settings_sql.put_setting(db, "store_name", "Köşe Eczanesi")
    settings_sql.put_setting(db, "store_language", "tr")
    customer = create_customer(
        db, CustomerInput("Ayşe", "Yılmaz", "", "tr", title="ms"), now=MIDNIGHT, phone_region="TR"
    )
    result = suggest_for_customer(
        db, customer.id, "greet", now=MIDNIGHT + 5 * 3600 + 13 * 60, ui_language="en", tz=UTC
    )
    assert result.phrases
    assert all(p.text.startswith("Günaydın") for p in result.phrases)
    assert all(p.gloss.startswith("Good morning") for p in result.phrases)
