"""Articles that depend on the word after them, settled once that word is known.

Hungarian says "a" before a consonant sound and "az" before a vowel sound. Translators write
"a(z)" before a placeholder ("A(z) {store} nevében...", "mint a(z) {line}. sorban"), and a
manager may write "A {store}"; once the placeholder is filled, :func:`resolve` picks the one
that is said: "Az 1 Stop Shop" (egy), "az 5. sorban" (ötödik), "a 2. sorban", "az SZTK"
(esz-té-ká), "a MÁV" (read as a word), "az Élelmiszer Kft.", "a Corner Pharmacy".
Other languages pass through unchanged.
"""

from __future__ import annotations

import re

_HU_VOWELS = frozenset("aáeéiíoóöőuúüű")
# Letters whose Hungarian name starts with a vowel sound: ef, el, em, en, er, es, iksz,
# ipszilon (and the vowels). SZ (esz), LY (elipszilon) and NY (eny) start like S, L and N.
_HU_VOWEL_LETTER_NAMES = frozenset("aáeéiíoóöőuúüűflmnrsxy")
_HU_DIGRAPHS = ("dzs", "cs", "dz", "gy", "ly", "ny", "sz", "ty", "zs")
# Consonant pairs a word can start with: "SPAR" and "STOP" are read as words, not spelled.
_HU_ONSETS = frozenset(
    {"bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kr", "pl", "pr", "sk", "sl", "sm", "sn"}
    | {"sp", "st", "sv", "tr", "sch", "str", "spr", "szt", "szk", "szp"}
)

# The article a translator or a manager wrote before a placeholder: "a(z)", "a", "az".
_TEMPLATE_ARTICLE = re.compile(r"(?<![\w(])([Aa])(?:\(z\)|z)?(?=\s+[„“\"'(«]?\{)")
# "a(z)" in a filled-in text, and the word after it.
_OPEN_ARTICLE = re.compile(r"(?<![\w(])([Aa])\(z\)(\s+[„“\"'(«]?)(?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")
# A number as Hungarian writes it: groups of three after a space, a dot or a comma.
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3}(?!\d))*")


def prepare(template: str, language: str) -> str:
    """Mark every article before a placeholder as open ("a(z)"), to be settled by
    :func:`resolve` once the placeholder is filled."""
    if _base(language) != "hu":
        return template
    return _TEMPLATE_ARTICLE.sub(lambda m: m.group(1) + "(z)", template)


def resolve(text: str, language: str) -> str:
    """Settle every open article ("a(z)") of a filled-in text by the sound after it."""
    if _base(language) != "hu" or "(z)" not in text:
        return text

    def settle(match: re.Match[str]) -> str:
        article = match.group(1)
        following = text[match.end() :]
        return (article + "z" if hungarian_vowel_sound(following) else article) + match.group(2)

    return _OPEN_ARTICLE.sub(settle, text)


def hungarian_vowel_sound(text: str) -> bool:
    """Whether Hungarian reads ``text`` starting with a vowel sound (so it takes "az")."""
    number = _NUMBER.match(text)
    if number:
        return _number_starts_with_vowel(number.group(0))
    word = _WORD.match(text)
    if not word:
        return False
    word_text = word.group(0)
    first = word_text[0].lower()
    if _is_initialism(word_text):
        return first in _HU_VOWEL_LETTER_NAMES  # spelled out: "az SZTK", "a BKV"
    return first in _HU_VOWELS


def _number_starts_with_vowel(written: str) -> bool:
    """egy (1), öt (5), ötven, ötszáz, ezer (1 000), egymillió: "az"; the others "a"."""
    digits = "".join(ch for ch in written if ch.isdigit())
    if digits.startswith("0"):
        return False  # nulla
    leading = digits[: len(digits) % 3 or 3]  # the group read first: "1" of "1 000"
    return leading == "1" or leading.startswith("5")


def _is_initialism(word: str) -> bool:
    """An all-capital word read letter by letter ("SZTK", "MTI", "B") rather than as a word
    ("MÁV", "NAV", "SPAR")."""
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters or not letters.isupper() or letters != word[: len(letters)]:
        return False
    if len(letters) == 1:
        return True
    lower = letters.lower()
    first = next((d for d in _HU_DIGRAPHS if lower.startswith(d)), lower[0])
    rest = lower[len(first) :]
    if first[0] in _HU_VOWELS or not rest:
        return first[0] not in _HU_VOWELS and not rest
    if rest[0] in _HU_VOWELS:
        return False  # MÁV, NAV, MOL: consonant, vowel...
    onset = first + rest[0]
    return not (onset in _HU_ONSETS and len(rest) > 1 and rest[1] in _HU_VOWELS)


def _base(language: str) -> str:
    return language.replace("-", "_").split("_")[0].lower()
