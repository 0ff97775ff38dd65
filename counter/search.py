"""Finding a customer from a few typed letters, a phone tail or a scanned card.

One fold function serves both sides: what is written into ``customers.search_key`` and what the
staff member types go through :func:`fold`, so "sukru" meets "Şükrü" and "gyozo" meets "Győző".
Non-Latin names also get Latin spellings, so "rahul" finds राहुल and "sarma" finds शर्मा (one
romanizer, :mod:`counter.romanize`, serves search and the pronunciation line), and
names written with an apostrophe or a hyphen are indexed joined as well as in parts, so
"obrien" finds O'Brien and "nagykovacs" finds Nagy-Kovács.
Typed text is reduced to word tokens before it reaches FTS5, each token quoted: no FTS5 syntax
(quotes, ``*``, ``NEAR``, ``-``, parentheses) typed by a person ever reaches the query parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from counter.romanize import search_readings
from counter.storage import customer_sql

if TYPE_CHECKING:
    from sqlite_utils import Database

# The version of what customer_search_key writes. Bump it whenever the key of an existing
# customer would change (a new spelling class, a new joined form, a different fold): a
# database whose keys were written by an older version rebuilds them (``counter reindex``,
# and the start-up repair of stale keys), because the query side only finds what the key has.
#   1: folded names, ITRANS and anyascii readings of Devanagari, the e-mail's user
#   2: names with apostrophes and hyphens also joined ("obrien"); several Latin spellings
#      per Devanagari word from counter.romanize ("sharma", "sarma", "verma", "laxmi"...)
SEARCH_KEY_VERSION = 2

# Letters that do not decompose into base + accent but that people type without the accent.
_LATIN_EXTRA = str.maketrans(
    {"ı": "i", "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
# What joins the parts of one name: apostrophes (O'Brien, D’Angelo) and hyphens (Nagy-Kovács).
_JOINERS = "'’ʼ‘`´-‐‑‒–"
_JOINERS_SET = frozenset(_JOINERS)
# In ASCII the token characters are the letters and digits, and case-folding is lower().
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# Longest text worth folding: a name, a phone, a card. Pasted essays are cut, not rejected.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 6


def _is_token_char(ch: str) -> bool:
    # Letters, digits and combining marks (Devanagari vowel signs, virama, nukta) make words.
    return unicodedata.category(ch)[0] in "LNM"


@lru_cache(maxsize=4096)
def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def fold(text: str) -> str:
    """Case-fold, strip Latin diacritics, map Turkish dotless/dotted i to i, keep other scripts'
    marks intact. Returns space-separated word tokens."""
    # Word by word through a cache: an import of a million customers folds the same given and
    # family names over and over. No token spans whitespace, so the result is the same.
    return " ".join(filter(None, map(_fold_cached, text.split())))


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    if text.isascii():  # e-mail users, English names: nothing to decompose or map
        return " ".join(_ASCII_TOKEN.findall(text.lower()))
    return fold_uncached(text)


def fold_uncached(text: str) -> str:
    """:func:`fold` without the cache (the reference the property tests compare it with)."""
    text = text.replace("İ", "i").replace("I\u0307", "i")
    text = unicodedata.normalize("NFD", text.casefold().translate(_LATIN_EXTRA))
    out: list[str] = []
    base = ""
    for ch in text:
        if unicodedata.combining(ch):
            if base and _is_latin(base):
                continue  # an accent on a Latin letter: ş -> s, ő -> o
            out.append(ch)  # a Devanagari matra or virama: part of the letter
            continue
        base = ch
        out.append(ch.translate(_LATIN_EXTRA))
    folded = unicodedata.normalize("NFC", "".join(out))
    return " ".join(tokens(folded))


def tokens(text: str) -> list[str]:
    """Split into word tokens the way the FTS5 tokenizer does (letters, digits, marks)."""
    words: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def romanize_tokens(folded: str) -> list[str]:
    """Latin spellings for every non-Latin token of an already folded text."""
    extra: list[str] = []
    for word in folded.split():
        extra.extend(_romanized_word(word))
    return extra


# Word by word through a cache, like fold: an import romanizes the same few hundred native
# names' words hundreds of thousands of times (a third of a second for every thousand).
@lru_cache(maxsize=65536)
def _romanized_word(word: str) -> tuple[str, ...]:
    return tuple(token for latin in search_readings(word) for token in tokens(fold(latin)))


def joined_forms(text: str) -> list[str]:
    """Names written with an apostrophe or a hyphen, folded and joined as people also type
    them: "O'Brien" -> "obrien", "Smith-Jones-Brown" -> "smithjonesbrown", "jonesbrown" (a
    join that is the start of a longer one is left out: search matches word prefixes)."""
    joined: list[str] = []
    if _JOINERS_SET.isdisjoint(text):  # most names (an import folds millions)
        return joined
    for chunk in text.split():
        if _JOINERS_SET.isdisjoint(chunk):
            continue
        parts = fold(chunk).split()
        for start in range(len(parts) - 1):
            joined.append("".join(parts[start:]))
    return joined


def customer_search_key(*names: str, email: str = "") -> str:
    """The text indexed for a customer: folded names, joined forms of names with apostrophes
    and hyphens, Latin spellings of other scripts, the e-mail's user (``SEARCH_KEY_VERSION``
    says which of these a stored key has)."""
    key = _names_key(names)
    if email:  # its words after the names', each word once (no word holds a space)
        return " ".join(dict.fromkeys(key.split() + fold(email.split("@", 1)[0]).split()))
    return key


# Once per distinct name: a million customers share far fewer names than e-mail addresses.
@lru_cache(maxsize=1 << 16)
def _names_key(names: tuple[str, ...]) -> str:
    text = " ".join(names)
    parts = fold(text).split()
    parts.extend(joined_forms(text))
    parts.extend(romanize_tokens(" ".join(parts)))
    return " ".join(dict.fromkeys(parts))


_NOT_ASCII_DIGITS = re.compile(r"[^0-9]+")


def digits_of(text: str) -> str:
    """The ASCII digits of ``text``, in order."""
    return _NOT_ASCII_DIGITS.sub("", text)


def normalize_card(text: str) -> str:
    """Loyalty cards as scanners and people type them: upper-case letters and digits only."""
    if text.isascii() and text.isalnum():  # as scanned: nothing to drop
        return text.upper()
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


@dataclass(frozen=True)
class Query:
    """What a typed text asks for, ready for storage: never raw text."""

    terms: tuple[str, ...]  # folded word tokens, last one possibly unfinished
    digits: str  # the digits typed when the text is a phone or card number, else ''
    card: str  # the text as a card number, else ''

    @property
    def empty(self) -> bool:
        return not self.terms and not self.digits and not self.card

    def fts_exact(self) -> str:
        """Every term as a whole word: ``"ayse" "yilmaz"``."""
        return " ".join(_quote(t) for t in self.terms)

    def fts_prefix(self) -> str:
        """Every term as a word prefix: ``"ayse"* "yil"*``."""
        return " ".join(_quote(t) + "*" for t in self.terms)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse_query(text: str) -> Query:
    """Turn whatever was typed (or scanned, or pasted) into a :class:`Query`."""
    text = text[:MAX_QUERY_CHARS]
    folded = fold(text)
    terms = folded.split()
    stripped = "".join(ch for ch in text if not ch.isspace())
    digits = digits_of(text)
    looks_numeric = bool(digits) and all(ch.isdigit() or ch in "+-()./" for ch in stripped)
    card = normalize_card(text) if stripped and len(stripped) <= 40 else ""
    if looks_numeric:
        # A number matches phones and cards only; a name never contains digits.
        return Query(terms=(), digits=digits, card=card)
    # A card number mixed with letters ("AB1234") is tried as a card too.
    card = card if any(c.isdigit() for c in card) else ""
    return Query(terms=tuple(terms[:MAX_QUERY_TERMS]), digits="", card=card)


@dataclass(frozen=True)
class SearchHit:
    """One row of the result list: enough to show, not the whole record."""

    id: int
    given_name: str
    family_name: str
    native_name: str
    language: str
    phone: str
    card: str
    last_visit_at: int | None

    @property
    def phone_tail(self) -> str:
        digits = digits_of(self.phone)
        return "…" + digits[-4:] if len(digits) >= 4 else ""


DEFAULT_LIMIT = 50


def find_customers(db: Database, text: str, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Customers matching what was typed, best first. Any text is safe: never an error."""
    query = parse_query(text)
    if query.empty:
        return []
    rows = customer_sql.search_customers(
        db,
        card=query.card,
        name_queries=[query.fts_exact(), query.fts_prefix()] if query.terms else [],
        digits=query.digits,
        limit=limit,
    )
    return [SearchHit(**row) for row in rows]
