"""Phrases to say now, to this customer, at this step of the visit: two or three of the
catalog's and the manager's own (:mod:`counter.phrase_catalog`, :mod:`counter.phrase_overrides`),
in the customer's language when Counter has phrases in it, else the store's; each filled in
(:mod:`counter.phrase_templates`), with a gloss in the staff member's language and a Latin
reading of a phrase in another script.

A phrase is offered only when every placeholder it uses has a value, and only to the audience
it is written for (first visit, returning, anyone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter.address import NameParts
from counter.customers import Customer, CustomerProfile, load_profile
from counter.i18n import LOCALES_DIR, SOURCE_LANGUAGE, Translator, base_language, is_known_language
from counter.phrase_catalog import (
    ANY,
    CATALOG,
    FIRST,
    MAX_PHRASES,
    NO_CATALOG,
    NO_LANGUAGE,
    RETURNING,
    STEPS,
    CatalogPhrase,
    catalog_text,
)
from counter.phrase_templates import PhraseContext, greeting_period, placeholder_values, render
from counter.romanize import needs_pronunciation, pronunciation
from counter.settings import load_settings
from counter.storage import phrase_sql, staff_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

MIN_PHRASES = 2  # spare catalog phrases fill up to this many


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
    step: str, translator: Translator, overrides: list[dict[str, Any]]
) -> list[_Candidate]:
    """The phrases the translator's language has for a step: the manager's own first, then
    the catalog's (edited or hidden by the manager where they said so; untranslated ones left
    out)."""
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
        text = catalog_text(phrase, translator)
        if text:
            found.append(_Candidate(text, phrase, "catalog"))
    return found


# suggesting ----------------------------------------------------------------------------------
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
        if _candidates(step, translator, grouped.get(code, [])):
            language = code
            break
        if code == requested:
            fallback = NO_CATALOG
    translator = Translator(language, locales_dir, tz)
    period = greeting_period(translator, now)
    values = placeholder_values(translator, customer, context, period, now)

    ui = Translator(ui_language, locales_dir, tz)
    same_language = base_language(ui_language) == base_language(language)
    ui_overrides = {r["msgid"]: r for r in grouped.get(ui_language, []) if r["msgid"]}
    ui_values = placeholder_values(
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
    for candidate in _candidates(step, translator, grouped.get(language, [])):
        if not _fits(candidate, context):
            continue
        text = render(candidate.template, values, language)
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
            gloss = render(ui_template, ui_values, ui_language) or ""
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
        fallback=fallback if base_language(language) != base_language(requested or "") else "",
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
