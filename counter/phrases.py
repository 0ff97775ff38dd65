"""Phrases to say now, to this customer, at this step of the visit.

The catalog phrases are gettext messages with a context per step (``phrase:greet`` ...) and
named placeholders filled from the customer record and the moment:

    {greeting}  the time-of-day greeting, by the language's own CLDR day periods
    {address}   the form of address the language uses (counter.address)
    {store}     the store's name            {staff}  the staff member's name
    {since}     time since the last visit, CLDR relative time ("3 hafta önce")
    {note}      the last rapport note       {need}   what the customer came for last time

A phrase is offered only when every placeholder it uses has a value, and only to the audience
it is written for (first visit, returning, anyone). Managers add, edit or hide phrases per
language and step (table ``phrase_overrides``); text is validated when saved and again when
shown, so a broken placeholder never reaches a customer.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel import dates as babel_dates

from counter import articles
from counter.address import NameParts, form_of_address
from counter.customers import Customer, CustomerProfile, load_profile
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import LOCALES_DIR, N_, NP_, SOURCE_LANGUAGE, Translator, is_known_language
from counter.phrase_steps import MAX_PHRASES, NO_CATALOG, NO_LANGUAGE, STEPS
from counter.roles import Session, require_manager
from counter.romanize import needs_pronunciation, pronunciation
from counter.settings import load_settings
from counter.storage import phrase_sql, staff_sql, write_transaction
from counter.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils import Database

PLACEHOLDERS = ("greeting", "address", "store", "staff", "since", "note", "need")
MIN_PHRASES = 2
MAX_TEXT = 400

ANY, FIRST, RETURNING = "any", "first", "returning"


@dataclass(frozen=True)
class CatalogPhrase:
    step: str
    msgid: str
    audience: str = ANY
    spare: bool = False  # offered only when fewer than MIN_PHRASES others fit

    @property
    def context(self) -> str:
        return f"phrase:{self.step}"


def _phrase(marked: tuple[str, str], audience: str = ANY, *, spare: bool = False) -> CatalogPhrase:
    context, msgid = marked
    return CatalogPhrase(context.removeprefix("phrase:"), msgid, audience, spare)


# In order of preference within a step: the ones that use what we know about this customer
# come first.
CATALOG: tuple[CatalogPhrase, ...] = (
    _phrase(NP_("phrase:greet", "{greeting}, {address}! How nice to see you again."), RETURNING),
    _phrase(
        NP_("phrase:greet", "{greeting}, {address}! I'm {staff} — welcome, it's nice to meet you."),
        FIRST,
    ),
    _phrase(NP_("phrase:greet", "{greeting}, {address}! Welcome to {store}.")),
    _phrase(NP_("phrase:greet", "{greeting}, {address}! Welcome."), spare=True),
    _phrase(
        NP_(
            "phrase:rapport",
            "Last time you needed help with “{need}” — is everything all right now?",
        ),
        RETURNING,
    ),
    _phrase(NP_("phrase:rapport", "Last time we talked about “{note}” — how is it going?")),
    _phrase(NP_("phrase:rapport", "We last saw you {since} — how have you been?"), RETURNING),
    _phrase(
        NP_("phrase:rapport", "Is this your first time with us? How did you hear about us?"),
        FIRST,
    ),
    _phrase(NP_("phrase:rapport", "How has your day been so far?")),
    _phrase(NP_("phrase:needs", "Is it about “{need}” again, or something new today?"), RETURNING),
    _phrase(NP_("phrase:needs", "What brings you in today?")),
    _phrase(NP_("phrase:needs", "How can I help you today, {address}?")),
    _phrase(
        NP_(
            "phrase:needs",
            "Could you tell me a little more, so that we understand exactly what you need?",
        )
    ),
    _phrase(NP_("phrase:solution", "From what you've told me, this is what I would suggest:")),
    _phrase(NP_("phrase:solution", "Take your time — there's no need to decide today.")),
    _phrase(
        NP_(
            "phrase:solution",
            "We'll look after this ourselves and call you as soon as there is news.",
        )
    ),
    _phrase(
        NP_("phrase:thank", "Thank you for coming back to us, {address} — it's always a pleasure."),
        RETURNING,
    ),
    _phrase(
        NP_(
            "phrase:thank",
            "Thank you, {address}, for the chance to help you today; "
            "we hope to see you again soon.",
        )
    ),
    _phrase(NP_("phrase:thank", "Thank you for choosing {store}, {address}.")),
    _phrase(
        NP_("phrase:complaint", "I understand why this is frustrating, {address}, and I'm sorry.")
    ),
    _phrase(
        NP_(
            "phrase:complaint", "Thank you for telling us. Could you walk me through what happened?"
        )
    ),
    _phrase(
        NP_(
            "phrase:complaint",
            "We will put this right — let me tell you exactly what we'll do, and by when.",
        )
    ),
    _phrase(NP_("phrase:farewell", "Goodbye, {address}, and take care!")),
    _phrase(NP_("phrase:farewell", "See you next time, {address}!")),
    _phrase(
        NP_(
            "phrase:farewell",
            "If you need anything, just ask for me — my name is {staff}. Goodbye!",
        )
    ),
)

# CLDR day period ids (Babel, "selection" rules) -> the greeting for that part of the day.
# Each language divides the day its own way: Hungarian has an early morning (morning1) and a
# late morning (morning2), Turkish a late afternoon (afternoon2); every catalog translates
# all ids. The night periods never greet by themselves: see greeting_period.
DAY_PERIOD_GREETINGS: dict[str, tuple[str, str]] = {
    "morning1": NP_("daypart:morning1", "Good morning"),
    "morning2": NP_("daypart:morning2", "Good morning"),
    "afternoon1": NP_("daypart:afternoon1", "Good afternoon"),
    "afternoon2": NP_("daypart:afternoon2", "Good afternoon"),
    "evening1": NP_("daypart:evening1", "Good evening"),
    "evening2": NP_("daypart:evening2", "Good evening"),
}
OTHER_GREETING = NP_("daypart:other", "Hello")

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
    morning_from = MORNING_FROM_HOUR.get(_base(translator.language), DEFAULT_MORNING_FROM_HOUR)
    evening, morning = _periods_around_night(translator.locale, morning_from)
    if morning_from <= moment.hour < 12:
        return morning if _is_night(period) and morning else period
    if moment.hour < morning_from and (_is_night(period) or period.startswith("morning")):
        return evening or period
    if _is_night(period):
        return evening or period
    return period


@dataclass(frozen=True)
class PhraseContext:
    """What the phrases may draw on besides the customer's name."""

    store_name: str = ""
    staff_name: str = ""
    last_visit_at: int | None = None
    last_note: str = ""
    last_need: str = ""
    returning: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str  # in the phrase language, ready to say
    gloss: str = ""  # the same phrase in the UI language; '' when that is the same language
    pronunciation: str = ""  # Latin-script reading when the text is in another script
    msgid: str = ""  # the catalog phrase; '' for a manager's own phrase
    kind: str = "catalog"  # "catalog" | "edited" | "custom"


@dataclass(frozen=True)
class Suggestions:
    step: str
    language: str  # the language the phrases are in
    requested_language: str  # the customer's preferred language ('' = not given)
    fallback: str  # '' | NO_LANGUAGE | NO_CATALOG: why language != requested_language
    day_period: str
    phrases: tuple[Phrase, ...]


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


def _render(template: str, values: dict[str, str], language: str) -> str | None:
    """The filled-in phrase, or None when the template is broken or a value is missing."""
    if template_problems(template):
        return None
    names = placeholders_in(template)
    if any(not values.get(name) for name in names):
        return None
    # "A(z) {store}" is "Az 1 Stop Shop" but "A Corner Pharmacy": settled once filled.
    template = articles.prepare(template, language)
    return articles.resolve(template.format_map({name: values[name] for name in names}), language)


def _base(language: str) -> str:
    try:
        return Locale.parse(language).language
    except (ValueError, TypeError):
        return language.split("_")[0]


def _latin_gloss_address(address: str) -> bool:
    return needs_pronunciation(address)


def _pronunciation(text: str, address: str) -> str:
    """The romanized phrase, with the customer's name capitalized wherever it falls."""
    said = pronunciation(text)
    name = pronunciation(address)
    if said and name:
        said = said.replace(name[:1].lower() + name[1:], name)
    return said


# choosing the language -----------------------------------------------------------------------
def _overrides_by_language(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["language"], []).append(row)
    return grouped


@dataclass(frozen=True)
class _Candidate:
    template: str
    phrase: CatalogPhrase | None  # None: the manager's own phrase
    kind: str


def _candidates(
    language: str, step: str, translator: Translator, overrides: list[dict[str, Any]]
) -> list[_Candidate]:
    """The phrases a language has for a step: the manager's own first, then the catalog's
    (edited or hidden by the manager where they said so; untranslated ones left out)."""
    found = [
        _Candidate(row["text"], None, "custom")
        for row in overrides
        if not row["msgid"] and not row["hidden"]
    ]
    by_msgid = {row["msgid"]: row for row in overrides if row["msgid"]}
    for phrase in CATALOG:
        if phrase.step != step:
            continue
        row = by_msgid.get(phrase.msgid)
        if row is not None:
            if not row["hidden"] and row["text"]:
                found.append(_Candidate(row["text"], phrase, "edited"))
            continue
        text = translator.pgettext(phrase.context, phrase.msgid)
        if _base(language) == SOURCE_LANGUAGE or text != phrase.msgid:
            found.append(_Candidate(text, phrase, "catalog"))
    return found


def _has_phrases(
    language: str, step: str, translator: Translator, overrides: list[dict[str, Any]]
) -> bool:
    return bool(_candidates(language, step, translator, overrides))


# building ------------------------------------------------------------------------------------
def _values(
    translator: Translator,
    name: NameParts,
    context: PhraseContext,
    period: str,
    now: int,
    *,
    latin_address: bool = False,
    address_language: str | None = None,
) -> dict[str, str]:
    greeting = DAY_PERIOD_GREETINGS.get(period, OTHER_GREETING)
    language = _base(address_language or translator.language)
    return {
        "greeting": translator.pgettext(*greeting),
        "address": form_of_address(name, language, latin=latin_address),
        "store": context.store_name.strip(),
        "staff": context.staff_name.strip(),
        "since": translator.relative(context.last_visit_at, now)
        if context.last_visit_at is not None
        else "",
        "note": context.last_note.strip(),
        "need": context.last_need.strip(),
    }


def _fits(candidate: _Candidate, context: PhraseContext) -> bool:
    audience = candidate.phrase.audience if candidate.phrase else ANY
    return (
        audience == ANY
        or (audience == FIRST and not context.returning)
        or (audience == RETURNING and context.returning)
    )


def suggest_phrases(
    customer: NameParts,
    customer_language: str,
    step: str,
    *,
    now: int,
    context: PhraseContext,
    store_language: str,
    ui_language: str,
    overrides: Sequence[dict[str, Any]] = (),
    tz: tzinfo | None = None,
    locales_dir: Path = LOCALES_DIR,
) -> Suggestions:
    """Two or three phrases for ``step``, in the customer's language when Counter has phrases
    for it, else in the store's language (and ``fallback`` says why)."""
    if step not in STEPS:
        raise ValueError(step)
    grouped = _overrides_by_language([r for r in overrides if r["step_key"] == step])
    requested = customer_language.strip()
    fallback = "" if requested else NO_LANGUAGE
    chain = [c for c in (requested, store_language, SOURCE_LANGUAGE) if c and is_known_language(c)]
    language = SOURCE_LANGUAGE
    for code in chain:
        translator = Translator(code, locales_dir, tz)
        if _has_phrases(code, step, translator, grouped.get(code, [])):
            language = code
            break
        if code == requested:
            fallback = NO_CATALOG
    translator = Translator(language, locales_dir, tz)
    period = greeting_period(translator, now)
    values = _values(translator, customer, context, period, now)

    ui = Translator(ui_language, locales_dir, tz)
    same_language = _base(ui_language) == _base(language)
    ui_overrides = {r["msgid"]: r for r in grouped.get(ui_language, []) if r["msgid"]}
    ui_values = _values(
        ui,
        customer,
        context,
        period,
        now,
        latin_address=_latin_gloss_address(values["address"]),
        address_language=language,
    )

    chosen: list[Phrase] = []
    spares: list[Phrase] = []
    for candidate in _candidates(language, step, translator, grouped.get(language, [])):
        if not _fits(candidate, context):
            continue
        text = _render(candidate.template, values, language)
        if text is None:
            continue
        gloss = ""
        if not same_language and candidate.phrase is not None:
            row = ui_overrides.get(candidate.phrase.msgid)
            ui_template = (
                row["text"]
                if row and row["text"]
                else ui.pgettext(candidate.phrase.context, candidate.phrase.msgid)
            )
            gloss = _render(ui_template, ui_values, ui_language) or ""
        phrase = Phrase(
            text=text,
            gloss=gloss if gloss != text else "",
            pronunciation=_pronunciation(text, values["address"]),
            msgid=candidate.phrase.msgid if candidate.phrase else "",
            kind=candidate.kind,
        )
        is_spare = candidate.phrase is not None and candidate.phrase.spare
        (spares if is_spare else chosen).append(phrase)
    if len(chosen) < MIN_PHRASES:
        chosen.extend(spares)
    return Suggestions(
        step=step,
        language=language,
        requested_language=requested,
        fallback=fallback if _base(language) != _base(requested or "") else "",
        day_period=period,
        phrases=tuple(chosen[:MAX_PHRASES]),
    )


def context_from_profile(
    profile: CustomerProfile, now: int, *, store_name: str = "", staff_name: str = ""
) -> PhraseContext:
    """The context for a customer's phrases: their visits before this one, their notes."""
    earlier = [v for v in profile.visits if v.status == "ended" and v.arrived_at <= now]
    earlier.sort(key=lambda v: v.arrived_at, reverse=True)
    notes = [line.strip() for line in profile.customer.rapport_notes.splitlines() if line.strip()]
    return PhraseContext(
        store_name=store_name,
        staff_name=staff_name,
        last_visit_at=earlier[0].arrived_at if earlier else None,
        last_note=notes[-1] if notes else "",
        last_need=next((v.need for v in earlier if v.need.strip()), ""),
        returning=bool(earlier),
    )


def _staff_name(db: Database, staff_id: int | None) -> str:
    if staff_id is None:
        return ""
    return str((staff_sql.get_staff(db, staff_id) or {}).get("name", ""))


def suggest_for_customer(
    db: Database,
    customer_id: int,
    step: str,
    *,
    now: int,
    ui_language: str,
    staff_id: int | None = None,
    tz: tzinfo | None = None,
    locales_dir: Path = LOCALES_DIR,
) -> Suggestions:
    """Everything the phrase panel needs for one customer and step, in one call."""
    profile = load_profile(db, customer_id)
    settings = load_settings(db)
    customer: Customer = profile.customer
    languages = list(
        dict.fromkeys(
            c
            for c in (customer.language, settings.store_language, SOURCE_LANGUAGE, ui_language)
            if c
        )
    )
    return suggest_phrases(
        customer.name_parts,
        customer.language,
        step,
        now=now,
        context=context_from_profile(
            profile, now, store_name=settings.store_name, staff_name=_staff_name(db, staff_id)
        ),
        store_language=settings.store_language,
        ui_language=ui_language,
        overrides=phrase_sql.overrides_for(db, languages, step),
        tz=tz,
        locales_dir=locales_dir,
    )


# the manager's overrides ---------------------------------------------------------------------
@dataclass(frozen=True)
class EditorRow:
    """One phrase as the manager's editor lists it, for one language and step."""

    step: str
    msgid: str  # '' for the manager's own phrase
    catalog_text: str  # the catalog's text in this language ('' when untranslated or custom)
    text: str  # what customers get (the override's text, else the catalog's)
    hidden: bool
    override_id: int | None

    @property
    def kind(self) -> str:
        if not self.msgid:
            return "custom"
        if self.hidden:
            return "hidden"
        return "edited" if self.override_id is not None else "catalog"


def catalog_for(step: str) -> list[CatalogPhrase]:
    return [p for p in CATALOG if p.step == step]


def editor_rows(
    db: Database, language: str, step: str, *, locales_dir: Path = LOCALES_DIR
) -> list[EditorRow]:
    translator = Translator(language, locales_dir)
    rows = [r for r in phrase_sql.list_overrides(db, language) if r["step_key"] == step]
    by_msgid = {r["msgid"]: r for r in rows if r["msgid"]}
    result = []
    for phrase in catalog_for(step):
        text = translator.pgettext(phrase.context, phrase.msgid)
        if _base(language) != SOURCE_LANGUAGE and text == phrase.msgid:
            text = ""
        row = by_msgid.get(phrase.msgid)
        result.append(
            EditorRow(
                step=step,
                msgid=phrase.msgid,
                catalog_text=text,
                text=(row["text"] or text) if row else text,
                hidden=bool(row["hidden"]) if row else False,
                override_id=row["id"] if row else None,
            )
        )
    result.extend(
        EditorRow(step, "", "", r["text"], bool(r["hidden"]), r["id"])
        for r in rows
        if not r["msgid"]
    )
    return result


def validate_override(
    *, language: str, step: str, msgid: str, text: str, hidden: bool
) -> dict[str, Any]:
    """Clean and check what a manager typed; raise ValidationError listing every problem."""
    text = clean_line(text)
    problems: list[Problem] = []
    if not language or not is_known_language(language):
        problems.append(Problem("language", N_("Choose a language from the list.")))
    if step not in STEPS:
        problems.append(Problem("step", N_("Choose a step from the list.")))
    elif msgid and msgid not in {p.msgid for p in catalog_for(step)}:
        problems.append(
            Problem(
                "msgid",
                N_("This phrase is no longer in the catalog; add it as a new phrase instead."),
            )
        )
    if not text and not (hidden and msgid):
        problems.append(Problem("text", N_("Write the phrase, or hide it instead.")))
    elif len(text) > MAX_TEXT:
        problems.append(
            Problem("text", N_("Keep a phrase under {count} characters."), {"count": MAX_TEXT})
        )
    else:
        problems.extend(template_problems(text))
    if problems:
        raise ValidationError(problems)
    return {
        "language": language,
        "step_key": step,
        "msgid": msgid,
        "text": text,
        "hidden": int(hidden),
    }


def save_override(
    db: Database,
    session: Session,
    *,
    language: str,
    step: str,
    msgid: str = "",
    text: str = "",
    hidden: bool = False,
    now: int,
    override_id: int | None = None,
) -> int | None:
    """Add a phrase (``msgid=''``), or edit or hide a catalog phrase, in one language.
    Managers only.

    Returns the override's id, or None when an edit put a catalog phrase back as it was.
    ``override_id`` picks which of the manager's own phrases to change.
    """
    require_manager(db, session)
    values = validate_override(language=language, step=step, msgid=msgid, text=text, hidden=hidden)
    values.update(updated_at=now, updated_by=session.staff_id)
    with write_transaction(db):
        if msgid:
            existing = phrase_sql.find_catalog_override(db, language, step, msgid)
            catalog = Translator(language).pgettext(f"phrase:{step}", msgid)
            if not values["hidden"] and values["text"] == catalog:
                if existing is not None:
                    phrase_sql.delete_override(db, existing["id"])
                return None
            if existing is not None:
                phrase_sql.update_override(db, existing["id"], values)
                return int(existing["id"])
            return phrase_sql.insert_override(db, values)
        if override_id is not None:
            row = phrase_sql.get_override(db, override_id)
            if row is None or row["msgid"]:
                raise NotFound(override_id)
            phrase_sql.update_override(db, override_id, values)
            return override_id
        return phrase_sql.insert_override(db, values)


def delete_override(db: Database, session: Session, override_id: int) -> None:
    """Remove a manager's own phrase, or put a catalog phrase back as the catalog has it.
    Managers only."""
    require_manager(db, session)
    with write_transaction(db):
        if not phrase_sql.delete_override(db, override_id):
            raise NotFound(override_id)


_SAMPLE_NAMES = {
    "en": NameParts("Emma", "Clarke", title="ms"),
    "tr": NameParts("Ayşe", "Yılmaz", title="ms"),
    "sk": NameParts("Ján", "Novák", title="mr"),
    "hu": NameParts("Anna", "Kovács", title="ms"),
    "hi": NameParts("Rahul", "Sharma", "राहुल शर्मा", title="mr"),
}


def preview(
    text: str,
    language: str,
    *,
    now: int,
    store_name: str = "",
    staff_name: str = "",
    tz: tzinfo | None = None,
) -> str:
    """A template filled with a sample customer, as the manager's editor shows it."""
    values = validate_override(language=language, step=STEPS[0], msgid="", text=text, hidden=False)
    translator = Translator(language, tz=tz)
    sample = PhraseContext(
        store_name=store_name or "Counter",
        staff_name=staff_name or "Sam",
        last_visit_at=now - 21 * 86_400,
        last_note="training for a marathon",
        last_need="phone screen cracked",
        returning=True,
    )
    name = _SAMPLE_NAMES.get(_base(language), _SAMPLE_NAMES["en"])
    filled = _values(translator, name, sample, greeting_period(translator, now), now)
    return _render(values["text"], filled, language) or ""
