"""Cleaning what people type or paste before it is validated and stored."""

from __future__ import annotations

import unicodedata

from counter.errors import Problem
from counter.i18n import N_


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Drop control characters (NUL, escape codes...) a paste or a file may carry and lone
    surrogates (a broken paste cannot even be stored as UTF-8); keep the joiners and marks
    Indic names need. ``multiline`` keeps newlines and tabs."""
    if text.isprintable():  # the usual case, and no control character in it: skip the scan
        return unicodedata.normalize("NFC", text).strip()
    kept = (
        ch
        for ch in text
        if unicodedata.category(ch) not in ("Cc", "Cs") or (multiline and ch in "\n\t")
    )
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def clean_line(text: str) -> str:
    """One line of text: control characters (a pasted newline, a tab) become spaces, runs of
    white space one space, lone surrogates are dropped."""
    kept = "".join(
        " " if category == "Cc" else ch
        for ch in text
        if (category := unicodedata.category(ch)) != "Cs"
    )
    return " ".join(unicodedata.normalize("NFC", kept).split())


def length_problem(field: str, value: str, limit: int) -> Problem | None:
    if len(value) <= limit:
        return None
    return Problem(field, N_("Keep this under {count} characters."), {"count": limit})
