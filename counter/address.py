"""How each language writes a customer's name and addresses them.

These are rules of the languages, not UI text: Turkish puts Hanım/Bey after the given name,
Hungarian writes the family name first and uses úr/asszony, Slovak uses pán/pani with the
surname, Hindi adds जी after the name, English uses Mr/Ms/Mx with the surname or, for a
customer who prefers informal address, the given name.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLES = ("", "ms", "mr", "mx")


@dataclass(frozen=True)
class NameParts:
    given: str
    family: str
    native: str = ""  # the full name in its own script, given name first
    title: str = ""  # "ms" | "mr" | "mx" | "" (not given)
    informal: bool = False


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _native_given(name: NameParts) -> str:
    return name.native.split()[0] if name.native.strip() else name.given


def full_name(name: NameParts, language: str) -> str:
    """The name as the customer's language writes it."""
    if language == "hu":
        return _join(name.family, name.given)
    if language == "hi" and name.native.strip():
        return name.native.strip()
    return _join(name.given, name.family)


def form_of_address(name: NameParts, language: str, *, latin: bool = False) -> str:
    """What to call the customer to their face, in their language.

    ``latin``: the same form in Latin letters (राहुल जी -> "Rahul ji"), for a gloss read by
    someone who does not read the customer's script.
    """
    if not (name.given or name.family or name.native):
        return ""
    if latin and language == "hi" and name.given:
        return name.given if name.informal else f"{name.given} ji"
    if name.informal:
        return (
            _native_given(name) if language == "hi" else (name.given or full_name(name, language))
        )
    rule = _RULES.get(language, _english)
    return rule(name)


def _english(name: NameParts) -> str:
    title = {"ms": "Ms", "mr": "Mr", "mx": "Mx"}.get(name.title)
    if title and name.family:
        return f"{title} {name.family}"
    return full_name(name, "en")


def _turkish(name: NameParts) -> str:
    honorific = {"ms": "Hanım", "mr": "Bey"}.get(name.title)
    if honorific and name.given:
        return f"{name.given} {honorific}"
    return full_name(name, "tr")


def _hungarian(name: NameParts) -> str:
    honorific = {"ms": "asszony", "mr": "úr"}.get(name.title)
    if honorific and name.family:
        return f"{name.family} {honorific}"
    return full_name(name, "hu")


def _slovak(name: NameParts) -> str:
    honorific = {"ms": "pani", "mr": "pán"}.get(name.title)
    if honorific and name.family:
        return f"{honorific} {name.family}"
    return full_name(name, "sk")


def _hindi(name: NameParts) -> str:
    given = _native_given(name)
    return f"{given} जी" if given else full_name(name, "hi")


_RULES = {"en": _english, "tr": _turkish, "hu": _hungarian, "sk": _slovak, "hi": _hindi}
