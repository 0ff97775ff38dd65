"""A pronunciation line for phrases in a non-Latin script: what a staff member who cannot
read the script says aloud.

Hindi gets a readable romanization (Hunterian consonants, macrons on long vowels) with
Hindi's schwa deletion, so राहुल reads "rāhul" and आपका "āpkā", not the Sanskrit "rāhula"
and "āpakā" a letter-by-letter transliteration (ITRANS, IAST) gives. Other scripts fall
back to anyascii. Latin text (store names, notes) passes through unchanged.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_LATIN_CONSONANTS = (
    "k kh g gh n ch chh j jh n t th d dh n t th d dh n p ph b bh m y r l v sh sh s h l"
)
_CONSONANTS = dict(
    zip("कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहळ", _LATIN_CONSONANTS.split(" "), strict=True)
)
# With a nukta (combining or precomposed): the Perso-Arabic and flapped sounds of Hindi.
_NUKTA_CONSONANTS = {"क": "q", "ख": "kh", "ग": "gh", "ज": "z", "फ": "f", "ड": "r", "ढ": "rh"}
_PRECOMPOSED = {
    "\u0958": "क",
    "\u0959": "ख",
    "\u095a": "ग",
    "\u095b": "ज",
    "\u095c": "ड",
    "\u095d": "ढ",
    "\u095e": "फ",
}
_VOWELS = {
    "अ": "a",
    "आ": "ā",
    "इ": "i",
    "ई": "ī",
    "उ": "u",
    "ऊ": "ū",
    "ऋ": "ri",
    "ए": "e",
    "ऐ": "ai",
    "ओ": "o",
    "औ": "au",
    "ऑ": "o",
    "ऍ": "e",
}
_MATRAS = {
    "ा": "ā",
    "ि": "i",
    "ी": "ī",
    "ु": "u",
    "ू": "ū",
    "ृ": "ri",
    "े": "e",
    "ै": "ai",
    "ो": "o",
    "ौ": "au",
    "ॉ": "o",
    "ॅ": "e",
}
_NASALS = {"ं", "ँ"}
_VISARGA = "ः"
_SIGNS = {"।": ".", "॥": ".", "ऽ": "", "ॐ": "om"}
_DIGITS = {chr(0x0966 + i): str(i) for i in range(10)}
_LABIALS = ("p", "ph", "b", "bh", "m")
_DEVANAGARI_WORD = re.compile(r"[\u0900-\u097f]+")
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")


@dataclass
class _Unit:
    consonant: str | None  # Latin value; None for an independent vowel
    vowel: str | None  # None: no vowel (virama, or a deleted schwa)
    inherent: bool = False
    nasal: bool = False
    visarga: bool = False
    after_consonant: bool = False  # the previous unit ended in a bare consonant (a cluster)


def _units(word: str) -> list[_Unit | str]:
    units: list[_Unit | str] = []
    chars = list(word)
    i = 0
    while i < len(chars):
        ch = _PRECOMPOSED.get(chars[i], chars[i])
        nukta = chars[i] in _PRECOMPOSED
        if ch in _CONSONANTS:
            if i + 1 < len(chars) and chars[i + 1] == _NUKTA:
                nukta = True
                i += 1
            latin = _NUKTA_CONSONANTS.get(ch, _CONSONANTS[ch]) if nukta else _CONSONANTS[ch]
            unit = _Unit(latin, "a", inherent=True)
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if nxt == _VIRAMA:
                unit.vowel, unit.inherent = None, False
                i += 1
            elif nxt in _MATRAS:
                unit.vowel, unit.inherent = _MATRAS[nxt], False
                i += 1
            units.append(unit)
        elif ch in _VOWELS:
            units.append(_Unit(None, _VOWELS[ch]))
        elif ch in _NASALS or ch == _VISARGA:
            last = units[-1] if units and isinstance(units[-1], _Unit) else None
            if last is not None:
                last.nasal = last.nasal or ch in _NASALS
                last.visarga = last.visarga or ch == _VISARGA
        else:
            units.append(_SIGNS.get(ch, _DIGITS.get(ch, ch)))
        i += 1
    for before, unit in itertools.pairwise(units):
        if isinstance(before, _Unit) and isinstance(unit, _Unit):
            unit.after_consonant = before.consonant is not None and before.vowel is None
    return units


def _delete_schwas(units: list[_Unit]) -> None:
    """Hindi drops the inherent vowel at the end of a word and in V C ə C V (Ohala's rule,
    applied right to left so no three consonants pile up)."""
    last = units[-1]
    keep_after_cluster = last.after_consonant and last.consonant in ("r", "y", "v")  # mitra
    if len(units) > 1 and last.inherent and not last.nasal and not keep_after_cluster:
        last.vowel = None
    for i in range(len(units) - 2, 0, -1):
        unit, before, after = units[i], units[i - 1], units[i + 1]
        if (
            unit.inherent
            and not unit.nasal
            and not unit.visarga
            and before.vowel is not None
            and after.consonant is not None
            and after.vowel is not None
        ):
            unit.vowel = None


def _latin_word(word: str) -> str:
    parts = _units(word)
    letters = [p for p in parts if isinstance(p, _Unit)]
    if letters:
        _delete_schwas(letters)
    out: list[str] = []
    for index, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        consonant = part.consonant or ""
        if consonant == "v" and part.after_consonant:
            consonant = "w"  # स्वागत is said "swāgat"
        out.append(consonant + (part.vowel or ""))
        if part.nasal:
            nxt = next((p for p in parts[index + 1 :] if isinstance(p, _Unit)), None)
            out.append("m" if nxt is not None and nxt.consonant in _LABIALS else "n")
        if part.visarga:
            out.append("h")
    return "".join(out)


def _capitalize_sentences(text: str) -> str:
    return re.sub(r"(^|[.!?]\s+)(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


def needs_pronunciation(text: str) -> bool:
    """True when the text has letters outside the Latin script."""
    return any(
        _NON_LATIN.match(ch) and unicodedata.category(ch)[0] in "LM"
        for ch in unicodedata.normalize("NFC", text)
    )


def pronunciation(text: str) -> str:
    """The text as a Latin-script reader should say it; '' when it is Latin already."""
    if not needs_pronunciation(text):
        return ""
    text = unicodedata.normalize("NFC", text)
    romanized = _DEVANAGARI_WORD.sub(lambda m: _latin_word(m.group(0)), text)
    if _NON_LATIN.search(romanized):
        romanized = "".join(
            anyascii(ch) if _NON_LATIN.match(ch) and unicodedata.category(ch)[0] in "LM" else ch
            for ch in romanized
        )
    return _capitalize_sentences(romanized)
