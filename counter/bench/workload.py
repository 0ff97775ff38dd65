"""What staff type at the counter, keystroke by keystroke, to find the customers of a bench
file: names the way people actually type them (without accents, with accents, family name
first, Hindi names in Latin letters or in Devanagari), phone tails and scanned cards.

Every keystroke is a search: "m", "me", "meh", ... "mehmet y", "mehmet yi", ...
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from counter import demo_data as data
from counter.search import fold

# Devanagari word -> the Latin spelling a typist would use ("राहुल" -> "Rahul").
_LATIN_OF = {deva: latin for group in data.NAMES["hi"].values() for deva, latin in group}


def typed_name(customer: dict[str, Any], rng: random.Random) -> str:
    """One way a person would type this customer's name."""
    given, family, native = customer["given_name"], customer["family_name"], customer["native_name"]
    if native and (not given or rng.random() < 0.4):
        if rng.random() < 0.5:
            return str(native)
        return " ".join(_LATIN_OF.get(word, word) for word in native.split()).lower()
    roll = rng.random()
    first_word = given.split()[0] if given else ""
    if roll < 0.55:
        return fold(f"{first_word} {family}")  # "sukru yilmaz": no accents, lower case
    if roll < 0.80:
        return f"{first_word} {family}".strip()  # as written: "Şükrü Yılmaz"
    return fold(f"{family} {first_word}")  # family name first


def keystrokes(text: str) -> list[str]:
    """The text in the box after each keystroke."""
    return [text[:i] for i in range(1, len(text) + 1)]


def name_sequences(customers: Sequence[dict[str, Any]], seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    return [keystrokes(typed_name(c, rng)) for c in customers]


def number_sequences(customers: Sequence[dict[str, Any]], seed: int) -> list[list[str]]:
    """Phone tails typed digit by digit (the last four), and cards as a scanner types them."""
    rng = random.Random(seed)
    sequences = []
    for c in customers:
        if c["card"] and rng.random() < 0.3:
            sequences.append(keystrokes(c["card"]))
        elif c["phone_digits"]:
            sequences.append(keystrokes(c["phone_digits"][-4:]))
    return sequences
