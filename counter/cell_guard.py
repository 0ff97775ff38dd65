"""Text a spreadsheet would run as a formula (CSV injection, OWASP): every CSV Counter writes
goes through :func:`safe_writer`, which puts an apostrophe before such a cell so it is shown as
text. The importer takes that apostrophe off again (:func:`unguard`), so an export reads back
as it was.

A cell is risky when its first character, after any leading spaces, control or invisible
characters (which a spreadsheet or a later clean-up may drop), is ``= + - @`` (or their
full-width forms), a tab or a carriage return. Apostrophes are skipped too, so that guarding
and unguarding are exact inverses. A phone number such as ``+905321234567`` is guarded as well:
it stays text with its ``+`` instead of turning into the number 905321234567.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from typing import Any

GUARD = "'"
_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
# Skipped before looking for a trigger: separators, control, format (zero-width, bidi
# marks, BOM), private-use and unassigned characters.
_SKIPPED_CATEGORIES = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cn"))


def needs_guard(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    for ch in text:
        if ch in _TRIGGERS:
            return True
        if ch.isalnum():
            return False
        if ch == GUARD or ch.isspace() or unicodedata.category(ch) in _SKIPPED_CATEGORIES:
            continue
        return False
    return False


def guard(text: str) -> str:
    """``text`` as a spreadsheet shows it as text (an apostrophe before a risky cell)."""
    return GUARD + text if needs_guard(text) else text


def unguard(text: str) -> str:
    """The cell as it was before :func:`guard` (read back from a file Counter wrote)."""
    if text.startswith(GUARD) and needs_guard(text[1:]):
        return text[1:]
    return text


def safe_cell(value: object) -> object:
    """A value for a CSV cell: ``None`` as empty, text guarded, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return guard(value)
    return value


class SafeCsvWriter:
    """:func:`csv.writer` whose every text cell is guarded."""

    def __init__(self, file: Any, **fmtparams: Any):
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(file: Any, **fmtparams: Any) -> SafeCsvWriter:
    """The one way Counter writes CSV: like :func:`csv.writer`, with every text cell safe to
    open in a spreadsheet."""
    return SafeCsvWriter(file, **fmtparams)
