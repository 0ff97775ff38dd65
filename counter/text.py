"""Cleaning what people type or paste before it is validated and stored.

One rule for every field (customers, visits, follow-ups, staff, settings, checklist, phrases):
- a terminal escape sequence (``\\x1b[0;31m``, a title-setting OSC...) goes whole, never
  leaving ``[0;31m`` behind;
- a control character that separates (a pasted newline or tab, CR, VT, FF, NEL) becomes a
  space, so "phone\\nscreen" stays two words; any other (NUL, BEL, backspace, DEL, the C1
  controls) is dropped, so "Ay\\x00şe" is "Ayşe"; a multi-line field (notes) keeps its line
  breaks (CR LF, CR, NEL, U+2028/2029 each become one ``\\n``) and the tabs inside a line;
- runs of spaces become one space, and a line is trimmed of spaces and of the invisible
  characters that mean nothing at its edges (zero-width spaces, direction marks, the BOM);
- lone surrogates (a broken paste, which cannot even be stored as UTF-8) and BOMs inside the
  text are dropped; joiners, non-joiners and combining marks inside are kept (Indic names
  need them);
- a line with nothing visible in it (only spaces, zero-width or direction marks, fillers,
  combining marks with no letter) is empty, so every "enter a name" check sees it as such;
- the result is NFC.

A customer's name that was only invisible characters is refused with its own message
(``counter.customers``) rather than the one for a name left empty.
"""

from __future__ import annotations

import re
import unicodedata

from counter.errors import Problem
from counter.i18n import N_

# ECMA-48 sequences as terminals read them, introduced by ESC: CSI (ESC [, parameters,
# intermediates, a final byte), OSC/DCS/SOS/PM/APC strings up to BEL or ST (or the end of the
# text), and the two- and three-character escapes (ESC 7, ESC ( B). The 8-bit C1 forms are
# left to the control rule (dropped alone): in pasted text a C1 byte is far more often a
# mis-decoded letter than a terminal's, and must not take the letters after it along.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Blank "letters" some systems use as filler: Hangul fillers, the braille blank, the
# combining grapheme joiner; with whitespace and format characters (zero-width spaces, bidi
# marks, the BOM, tag characters), what a person cannot see.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")


def _invisible(ch: str) -> bool:
    return ch.isspace() or ch in _BLANKS or unicodedata.category(ch) in ("Cf", "Cc", "Zs")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me") or "\ufe00" <= ch <= "\ufe0f"


def has_visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces, zero-width and direction marks,
    fillers, or combining marks with no letter to sit on."""
    return any(not _invisible(ch) and not _is_mark(ch) for ch in text)


def _trim(line: str) -> str:
    start, end = 0, len(line)
    while start < end and _invisible(line[start]):
        start += 1
    while end > start and _invisible(line[end - 1]):
        end -= 1
    return line[start:end]


def _squeeze(text: str) -> str:
    # Every kind of white space (tabs, NBSP, ideographic space) counts; format characters
    # inside (a ZWJ in क्‍ष) are not white space and stay.
    return " ".join(text.split())


def _prepared(text: str) -> str:
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    return "".join(ch for ch in text if ch != "\ufeff" and unicodedata.category(ch) != "Cs")


def clean_line(text: str) -> str:
    """One line of text (a name, a need, a label): see the module's rule."""
    if text.isprintable() and _BLANKS.isdisjoint(text):  # the usual case: nothing odd
        line = " ".join(text.split())
        if line.isascii():
            # Printable ASCII is already NFC, and once its spaces are squeezed and trimmed
            # whatever is left is visible (an import cleans millions of these).
            return line
        line = unicodedata.normalize("NFC", line)
        # A letter or digit shows (the blank fillers that are letters are not in the text).
        if line[0].isalnum():
            return line
    else:
        line = unicodedata.normalize("NFC", _trim(_squeeze(_control_to_space(_prepared(text)))))
    return line if has_visible(line) else ""


def _control_to_space(text: str) -> str:
    return "".join(
        (" " if ch.isspace() else "") if unicodedata.category(ch) == "Cc" else ch for ch in text
    )


def clean_lines(text: str) -> str:
    """Text that may have several lines (notes): each line cleaned as by :func:`clean_line`,
    tabs kept, at most one empty line in a row, none at the start or the end."""
    if text.isprintable() and _BLANKS.isdisjoint(text):  # one line, nothing odd
        return clean_line(text)
    prepared = _LINE_BREAKS.sub("\n", _prepared(text))
    lines: list[str] = []
    for raw in prepared.split("\n"):
        line = _trim("\t".join(_squeeze(_control_to_space(part)) for part in raw.split("\t")))
        line = line if has_visible(line) else ""
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return unicodedata.normalize("NFC", "\n".join(lines))


def clean_text(text: str, *, multiline: bool = False) -> str:
    """:func:`clean_lines` if ``multiline``, else :func:`clean_line`."""
    return clean_lines(text) if multiline else clean_line(text)


def length_problem(field: str, value: str, limit: int) -> Problem | None:
    if len(value) <= limit:
        return None
    return Problem(field, N_("Keep this under {count} characters."), {"count": limit})
