"""The manager's own phrases: per language and step, add a phrase, edit or hide a catalog
phrase (table ``phrase_overrides``), as the editor lists and previews them. Text is checked
when saved (and again when shown: :mod:`counter.phrase_templates`), so a broken placeholder
never reaches a customer. Managers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter.address import NameParts
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import LOCALES_DIR, N_, Translator, base_language, is_known_language
from counter.phrase_catalog import STEPS, catalog_for, catalog_text
from counter.phrase_templates import (
    PhraseContext,
    greeting_period,
    placeholder_values,
    render,
    template_problems,
)
from counter.roles import Session, require_manager
from counter.storage import phrase_sql, write_transaction
from counter.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_TEXT = 400


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


def editor_rows(
    db: Database, language: str, step: str, *, locales_dir: Path = LOCALES_DIR
) -> list[EditorRow]:
    translator = Translator(language, locales_dir)
    rows = [r for r in phrase_sql.list_overrides(db, language) if r["step_key"] == step]
    by_msgid = {r["msgid"]: r for r in rows if r["msgid"]}
    result = []
    for phrase in catalog_for(step):
        text = catalog_text(phrase, translator)
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
    name = _SAMPLE_NAMES.get(base_language(language), _SAMPLE_NAMES["en"])
    filled = placeholder_values(translator, name, sample, greeting_period(translator, now), now)
    return render(values["text"], filled, language) or ""
