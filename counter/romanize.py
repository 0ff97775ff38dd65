"""Devanagari in Latin letters, once for both uses: the pronunciation line a staff member
reads aloud, and the spellings search indexes so that what people type finds a Hindi name.

Hindi gets a readable romanization (Hunterian consonants, macrons on long vowels) with
Hindi's schwa deletion, so राहुल reads "rāhul" and आपका "āpkā", not the Sanskrit "rāhula"
and "āpakā" a letter-by-letter transliteration (ITRANS, IAST) gives. Other scripts fall
back to anyascii. Latin text (store names, notes) passes through unchanged.

The same analysis, letter by letter, lists how else people write each sound (श as "sh" or
"s", व as "v" or "w", ा as "a" or "aa", ज्ञ as "gy", "gn" or "jn", क्ष as "ksh", "ks" or
"x" ...): :func:`spellings` combines them, with and without the deleted schwas, and
:func:`search_readings` gives ``counter.search`` the Latin forms of a word in any script (these
spellings for Devanagari, anyascii for the rest): this module is the one place where text in
another script becomes Latin letters.
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
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_NON_LATIN_LETTER = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff]")
_NON_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf]")


# How else people write a sound in Latin letters, most usual first (the first is also the
# plain-ASCII form of what the pronunciation line says). By letter (with its nukta) ...
_CONSONANT_SPELLINGS: dict[tuple[str, bool], tuple[str, ...]] = {
    ("श", False): ("sh", "s"),  # Sharma / Sarma
    ("ष", False): ("sh", "s"),  # Sushma / Susma
    ("व", False): ("v", "w"),  # Vikas / Wikas; after a consonant "w" first: Shweta
    ("छ", False): ("chh", "ch"),  # Chhaya / Chaya
    ("घ", False): ("gh", "g"),  # Ghosh / Gosh
    ("क", True): ("q", "k", "qu"),  # Qureshi / Kureshi, Siddiqui
    ("ज", True): ("z", "j"),  # Zoya / Joya
    ("फ", True): ("f", "ph"),  # Farhan / Pharhan
    ("ग", True): ("gh", "g"),
    ("ड", True): ("r", "d"),  # Chopra / Chopda
    ("ढ", True): ("rh", "dh"),
}
# ... and two-letter clusters written as one sound.
_CLUSTERS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("क", "ष"): ("ksh", ("ksh", "ks", "x")),  # Lakshmi / Laksmi / Laxmi
    ("क", "स"): ("ks", ("ks", "x")),  # Saksena / Saxena
    ("ज", "ञ"): ("gy", ("gy", "gn", "jn")),  # Gyan / Gnan / Jnan: ज्ञ is said "gy" in Hindi
}
# Vowels by what is said: the long ones doubled or not, diphthongs as people hear them.
_VOWEL_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ā": ("a", "aa"),  # Aarti / Arti: doubled in a name's first syllable only (Aakash)
    "ī": ("i", "ee"),  # Deepak / Dipak
    "ū": ("u", "oo"),  # Pooja / Puja
    "ai": ("ai", "e", "ae"),  # Jain, Qureshi
    "au": ("au", "ou", "o"),  # Gaurav / Gourav, Chauhan / Chohan
    "ri": ("ri", "ru", "r"),  # Krishna / Krushna
}
# ... and at the end of a word: Reddy, Chaudhary; Dubey, Pandey.
_FINAL_VOWEL_SPELLINGS = {"ī": ("i", "ee", "y"), "e": ("e", "ey")}
# The inherent vowel before r + consonant is often written "e": Verma, Banerjee, Mukherjee.
_BEFORE_R_CLUSTER = ("a", "e")


@dataclass
class _Unit:
    consonant: str | None  # Latin value; None for an independent vowel
    vowel: str | None  # None: no vowel (virama, or a deleted schwa)
    letter: str = ""  # the Devanagari consonant (without nukta)
    nukta: bool = False
    virama: bool = False
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
            unit = _Unit(latin, "a", letter=ch, nukta=nukta, inherent=True)
            nxt = chars[i + 1] if i + 1 < len(chars) else ""
            if nxt == _VIRAMA:
                unit.vowel, unit.inherent, unit.virama = None, False, True
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
    for before, after in itertools.pairwise(units):
        if isinstance(before, _Unit) and isinstance(after, _Unit):
            after.after_consonant = before.consonant is not None and before.vowel is None
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


@dataclass(frozen=True)
class _Slot:
    said: str  # what the pronunciation line writes
    spellings: tuple[str, ...]  # how people type it, most usual first
    vowel: bool = False


def _ascii(said: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", said) if ch.isascii())


def _slots(word: str, *, delete_schwa: bool) -> list[_Slot]:
    """A Devanagari word as a row of sounds, each with what is said and how it is spelled."""
    parts = _units(word)
    letters = [p for p in parts if isinstance(p, _Unit)]
    if letters and delete_schwa:
        _delete_schwas(letters)
    slots: list[_Slot] = []
    consumed = False  # the consonant was written with the one before it (a cluster)
    for index, part in enumerate(parts):
        if isinstance(part, str):
            slots.append(_Slot(part, (_ascii(part),)))
            continue
        nxt = parts[index + 1] if index + 1 < len(parts) else None
        nxt = nxt if isinstance(nxt, _Unit) else None
        if not consumed and part.consonant is not None:
            cluster = _CLUSTERS.get((part.letter, nxt.letter)) if part.virama and nxt else None
            if cluster is not None and nxt is not None and not nxt.nukta and not part.nukta:
                slots.append(_Slot(*cluster))
                consumed = True
            else:
                consonant = part.consonant
                options = _CONSONANT_SPELLINGS.get((part.letter, part.nukta), (consonant,))
                if consonant == "v" and part.after_consonant:
                    consonant, options = "w", ("w", "v")  # स्वागत is said "swāgat"
                elif consonant == "v" and (not slots or part.vowel is None):
                    options = ("v",)  # "w" is written inside a name (Tiwari), not at its ends
                elif consonant == "q" and part.vowel in ("u", "ū"):
                    options = ("q", "k")  # Qureshi, not "Quureshi"
                slots.append(_Slot(consonant, options))
        else:
            consumed = False
        if part.vowel is not None:
            options = _VOWEL_SPELLINGS.get(part.vowel, (_ascii(part.vowel),))
            last = nxt is None and not part.nasal and not part.visarga
            if last and part.vowel in _FINAL_VOWEL_SPELLINGS:
                options = _FINAL_VOWEL_SPELLINGS[part.vowel]
            elif part.vowel == "ā" and any(slot.vowel for slot in slots):
                options = ("a",)  # not the first syllable: "Sharma", seldom "Sharmaa"
            elif part.inherent and nxt is not None and nxt.letter == "र" and nxt.virama:
                options = _BEFORE_R_CLUSTER
            slots.append(_Slot(part.vowel, options, vowel=True))
        if part.nasal:
            following = next((p for p in parts[index + 1 :] if isinstance(p, _Unit)), None)
            after = following.consonant if following is not None else None
            if after in _LABIALS:
                slots.append(_Slot("m", ("m", "n")))  # Sambhav / Sanbhav
            elif after in ("k", "kh", "g", "gh", "h"):
                slots.append(_Slot("n", ("n", "ng")))  # Singh, Sangam
            else:
                slots.append(_Slot("n", ("n",)))
        if part.visarga:
            slots.append(_Slot("h", ("h", "")))
    return slots


def _latin_word(word: str) -> str:
    return "".join(slot.said for slot in _slots(word, delete_schwa=True))


# How many places in one word may be spelled the less usual way, and how many spellings of
# one word search indexes at most: enough for "Sarma", "Laxmi", "Banerjee"; few enough that
# the index stays small (every extra spelling is a token in the full-text index).
MAX_VARIATIONS = 2
MAX_SPELLINGS = 24


def _spellings_of_slots(slots: list[_Slot], variations: int) -> list[str]:
    choices = [i for i, slot in enumerate(slots) if len(slot.spellings) > 1]
    found: list[str] = []
    for count in range(variations + 1):
        for where in itertools.combinations(choices, count):
            for picks in itertools.product(*(slots[i].spellings[1:] for i in where)):
                chosen = dict(zip(where, picks, strict=True))
                found.append(
                    "".join(chosen.get(i, slot.spellings[0]) for i, slot in enumerate(slots))
                )
    return found


def _word_spellings(word: str) -> list[str]:
    said = _slots(word, delete_schwa=True)
    full = _slots(word, delete_schwa=False)  # every inherent vowel written: "Kamalesh"
    by_variations: list[str] = []
    for variations in range(MAX_VARIATIONS + 1):
        for slots in (said, full):
            by_variations.extend(_spellings_of_slots(slots, variations))
    cleaned = ("".join(ch for ch in s.lower() if ch.isalnum()) for s in by_variations)
    found = list(dict.fromkeys(s for s in cleaned if s))
    # Search matches word prefixes: "kumaar" need not be indexed beside "kumaara". The first
    # (the pronunciation) stays, so typing it in full is an exact match.
    kept = [
        s
        for i, s in enumerate(found)
        if i == 0 or not any(other != s and other.startswith(s) for other in found)
    ]
    return kept[:MAX_SPELLINGS]


def spellings(word: str) -> list[str]:
    """The Latin spellings people type for a word with Devanagari in it, most usual first:
    the pronunciation in plain letters ("rahul" for राहुल), then other spellings of its
    sounds, with and without Hindi's schwa deletion ("sharma", "sarma", "sharmaa" ... for
    शर्मा; "verma" for वर्मा). Lower-case ASCII letters and digits; [] without Devanagari."""
    word = unicodedata.normalize("NFC", word)
    pieces = [p for p in re.split(r"([\u0900-\u097f]+)", word) if p]
    if not any(_DEVANAGARI_WORD.fullmatch(p) for p in pieces):
        return []
    options = [
        _word_spellings(p) if _DEVANAGARI_WORD.fullmatch(p) else [_ascii(anyascii(p)).lower()]
        for p in pieces
    ]
    combined = ("".join(parts) for parts in itertools.product(*options))
    cleaned = ("".join(ch for ch in s if ch.isalnum()) for s in combined)
    return list(dict.fromkeys(s for s in itertools.islice(cleaned, MAX_SPELLINGS * 4) if s))[
        :MAX_SPELLINGS
    ]


def search_readings(word: str) -> list[str]:
    """The Latin forms search indexes for one word (a search token): :func:`spellings` for a
    word with Devanagari in it, anyascii's reading for a word in any other script that is not
    Latin ("ivan" for Иван, "wang" for 王), [] for a Latin word. The caller folds them."""
    if _DEVANAGARI.search(word):
        return spellings(word)
    if _NON_LATIN_LETTER.search(word):
        return [anyascii(word)]
    return []


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
