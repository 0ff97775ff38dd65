"""Map a file's columns to customer fields: guess the mapping from the headers people write (in
English, Turkish, Slovak and Hungarian), take one from the command line, and read a row's
values by field (full names split, titles, forms of address and language names understood).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from babel import Locale

from counter.cell_guard import GUARD, unguard
from counter.customers import CustomerInput
from counter.errors import Problem, ValidationError
from counter.i18n import N_, SUPPORTED_LANGUAGES
from counter.importing.reading import SourceTable
from counter.names import split_full_name
from counter.search import fold
from counter.storage.customer_sql import CUSTOMER_FIELDS

# Where a column can go: a customer field, or a full name split into given + family name
# (Hungarian puts the family name first, "Kovács Anna", hence its own target), offered after
# the family name.
_FULL_NAMES = ("full_name", "full_name_family_first")
_AFTER_NAMES = CUSTOMER_FIELDS.index("family_name") + 1
FIELDS = (*CUSTOMER_FIELDS[:_AFTER_NAMES], *_FULL_NAMES, *CUSTOMER_FIELDS[_AFTER_NAMES:])
FIELD_LABELS = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "full_name": N_("Full name (given name first)"),
    "full_name_family_first": N_("Full name (family name first)"),
    "native_name": N_("Name in own script"),
    "language": N_("Language"),
    "formality": N_("Address (formal/informal)"),
    "title": N_("Title"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "card": N_("Loyalty card"),
    "rapport_notes": N_("Rapport notes"),
}

# Column headers people use, in English, Turkish, Slovak and Hungarian (compared folded).
_HEADER_WORDS = {
    "given_name": "given name, first name, firstname, forename, given, ad, adi, isim, meno, "
    "krstne meno, keresztnev, utonev",
    "family_name": "family name, last name, lastname, surname, family, soyad, soyadi, "
    "soy isim, priezvisko, vezeteknev, csaladnev",
    "full_name": "name, full name, customer, customer name, ad soyad, adi soyadi, isim soyisim, "
    "musteri, musteri adi, meno a priezvisko, cele meno, zakaznik, meno zakaznika",
    "full_name_family_first": "nev, teljes nev, ugyfel, ugyfel neve, vasarlo",
    "native_name": "native name, name in own script, native, yerel ad, povodne meno, eredeti nev",
    "language": "language, lang, preferred language, dil, tercih edilen dil, jazyk, nyelv",
    "formality": "formality, address, form of address, hitap sekli, oslovenie, megszolitas modja",
    "title": "title, salutation, honorific, unvan, hitap, titul, megszolitas",
    "phone": "phone, phone number, telephone, tel, mobile, mobile phone, cell, gsm, telefon, "
    "telefon no, telefon numarasi, cep, cep telefonu, mobil, telefonne cislo, telefonszam",
    "email": "email, e mail, e mail address, email address, mail, e posta, eposta, "
    "e posta adresi, e mail cim, emailova adresa",
    "card": "card, loyalty card, card number, card no, kart, kart no, sadakat karti, "
    "musteri karti, karta, cislo karty, vernostna karta, kartya, kartyaszam, husegkartya",
    "rapport_notes": "notes, note, comments, comment, remarks, rapport notes, not, notlar, "
    "aciklama, poznamka, poznamky, megjegyzes, megjegyzesek",
}
_HEADER_INDEX = {
    fold(word): name for name, words in _HEADER_WORDS.items() for word in words.split(", ")
}
_TITLE_WORDS = {
    "mr": "mr, mister, sir, bay, bey, pan, ur, herr",
    "ms": "ms, mrs, miss, madam, bayan, hanim, pani, asszony, no, frau",
    "mx": "mx",
}
_TITLES = {fold(w): key for key, words in _TITLE_WORDS.items() for w in words.split(", ")}
_FORMALITY_WORDS = {
    "formal": "formal, resmi, vykanie, magazas, f",
    "informal": "informal, samimi, tykanie, tegezes, i",
}
_FORMALITIES = {fold(w): key for key, words in _FORMALITY_WORDS.items() for w in words.split(", ")}
_NAMED_LANGUAGES = (
    *SUPPORTED_LANGUAGES,
    *("ar", "bn", "de", "es", "fr", "it", "pl", "pt", "ro", "ru", "uk", "ur", "zh"),
)
PREVIEW_ROWS = 20

Mapping = list[str]  # one field name (or '' to ignore) per column


def guess_mapping(headers: Sequence[str]) -> Mapping:
    """A field for every column whose header a person would recognise; each field once."""
    mapping: Mapping = []
    taken: set[str] = set()
    for header in headers:
        name = _HEADER_INDEX.get(fold(header), "")
        if name in taken:
            name = ""
        taken.add(name)
        mapping.append(name)
    return mapping


def parse_mapping(text: str, headers: Sequence[str]) -> Mapping:
    """``"Ad=given_name,Soyad=family_name,3=phone"``: a column (header or 1-based number) per
    field, over the guessed mapping. Unknown columns or fields are a :class:`ValidationError`."""
    mapping = guess_mapping(headers)
    folded = [fold(h) for h in headers]
    problems = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        column, _sep, name = part.rpartition("=")
        name = name.strip()
        if name not in (*FIELDS, ""):
            problems.append(Problem("mapping", N_("Unknown field “{field}”."), {"field": name}))
            continue
        column = column.strip()
        if column.isdigit() and 1 <= int(column) <= len(headers):
            index = int(column) - 1
        elif fold(column) in folded:
            index = folded.index(fold(column))
        else:
            problems.append(
                Problem("mapping", N_("There is no column “{column}”."), {"column": column})
            )
            continue
        if name:
            mapping = ["" if m == name else m for m in mapping]
        mapping[index] = name
    if problems:
        raise ValidationError(problems)
    return mapping


def check_mapping(mapping: Mapping) -> None:
    names = {"given_name", "family_name", "full_name", "full_name_family_first", "native_name"}
    if not names & set(mapping):
        raise ValidationError(
            [Problem("mapping", N_("Choose at least one column with the customers' names."))]
        )


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code in _NAMED_LANGUAGES:
        for shown_in in ("en", "tr", "sk", "hu", code):
            name = Locale.parse(code).get_display_name(shown_in)
            if name:
                names[fold(name)] = code
    return names


@lru_cache(maxsize=1024)
def _language_code(text: str) -> str:
    key = fold(text)
    return _language_names().get(key, text)


@lru_cache(maxsize=1024)
def _title(text: str) -> str:
    return _TITLES.get(fold(text), text)


@lru_cache(maxsize=1024)
def _formality(text: str) -> str:
    return _FORMALITIES.get(fold(text), text)


def provided_fields(cells: Sequence[str], mapping: Mapping) -> dict[str, str]:
    """The non-empty values a row gives, by customer field (several columns of one field are
    joined with a space; full names split into given and family name). The apostrophe Counter
    puts before text a spreadsheet would run as a formula (:mod:`counter.cell_guard`) is taken
    off: an export reads back as it was."""
    out: dict[str, str] = {}
    for value, name in zip(cells, mapping, strict=False):
        value = value.strip()
        if not name or not value:
            continue
        if value[0] == GUARD:
            value = unguard(value)
        if name in ("full_name", "full_name_family_first"):
            given, family = split_full_name(value, family_first=name == "full_name_family_first")
            for key, part in (("given_name", given), ("family_name", family)):
                if part:
                    out[key] = f"{out[key]} {part}" if key in out else part
            continue
        if name == "title":
            value = _title(value)
        elif name == "formality":
            value = _formality(value)
        elif name == "language":
            value = _language_code(value)
        out[name] = f"{out[name]} {value}" if name in out else value
    return out


def row_input(cells: Sequence[str], mapping: Mapping) -> CustomerInput:
    return CustomerInput(**provided_fields(cells, mapping))


def preview(table: SourceTable, mapping: Mapping, limit: int = PREVIEW_ROWS) -> list[Any]:
    """The first rows as the import would read them: (line, CustomerInput)."""
    shown = []
    for line, cells in table.rows():
        shown.append((line, row_input(cells, mapping)))
        if len(shown) >= limit:
            break
    return shown
