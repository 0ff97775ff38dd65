"""One rule for splitting a full name typed or imported as one text into given and family name,
used by the new-customer dialog (from the search text) and the importer (a "full name" column).
"""

from __future__ import annotations

from typing import NamedTuple


class SplitName(NamedTuple):
    given: str
    family: str


def split_full_name(text: str, *, family_first: bool = False) -> SplitName:
    """Split ``text`` into given and family name; spaces around and between words do not count.

    Given name first (the default): the LAST word is the family name and everything before it
    the given name, because that is what a person expects in the languages Counter serves: a
    name of three words or more most often has a compound or middle given name and one family
    name ("Ayşe Nur Yılmaz", "Rahul Kumar Sharma", "Anna Maria Kovács", "John Paul Smith");
    double family names are mostly joined by a hyphen ("Szabó-Kovács") and stay one word.
    Particles written in small letters before the last word ("Jan van der Berg", "María de la
    Cruz", "Ahmad bin Said") belong to the family name. What the rule gets wrong (two family
    names without a hyphen, "Gabriel García Márquez") is one edit in the form or one column
    mapped as given and family name.

    ``family_first`` (Hungarian "Kovács Anna", Vietnamese "Nguyen Van An", Chinese): the
    FIRST word is the family name, the rest the given name.

    A single word is a given name (people are greeted by it); an empty text gives two empty
    names.
    """
    words = text.split()
    if len(words) < 2:
        return SplitName(" ".join(words), "")
    if family_first:
        return SplitName(" ".join(words[1:]), words[0])
    start = len(words) - 1
    # Particles only in a name written with capitals: "ayse nur yilmaz" typed in small letters
    # has none.
    if not words[-1].islower():
        while start > 1 and words[start - 1].islower():
            start -= 1
    return SplitName(" ".join(words[:start]), " ".join(words[start:]))
