"""Import customers from a CSV or XLSX file: read it (guessing the encoding and the separator),
map its columns to customer fields, validate every row with :func:`counter.customers.validate`,
spot duplicates by phone, e-mail or card, and write everything in ONE transaction.

All or nothing: a row with a problem (unless the person chose to skip such rows), a cancel, a
full disk or any other failure rolls the whole import back. Every problem is reported with the
file's own line number (the header is line 1) so it can be fixed in the spreadsheet.
"""

from __future__ import annotations

import csv
import gc
import io
import math
import os
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from babel import Locale

from counter import audit
from counter.cell_guard import GUARD, unguard
from counter.customers import CustomerInput, validate
from counter.errors import Problem, ValidationError
from counter.i18n import N_, SUPPORTED_LANGUAGES
from counter.progress import Progress, tick
from counter.search import fold
from counter.storage import customer_sql, transfer_sql, write_transaction
from counter.storage.customer_sql import CUSTOMER_COLUMNS

if TYPE_CHECKING:
    from sqlite_utils import Database

# Where a column can go. ``full_name`` is split into given + family name; Hungarian puts the
# family name first ("Kovács Anna"), hence its own target.
FIELDS = (
    "given_name",
    "family_name",
    "full_name",
    "full_name_family_first",
    "native_name",
    "language",
    "formality",
    "title",
    "phone",
    "email",
    "card",
    "rapport_notes",
)
FIELD_LABELS = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "full_name": N_("Full name (given name first)"),
    "full_name_family_first": N_("Full name (family name first)"),
    "native_name": N_("Name in own script"),
    "language": N_("Language"),
    "formality": N_("Address (formal/informal)"),
    "title": N_("Title"),
    "phone": N_("Phone"),
    "email": N_("E-mail"),
    "card": N_("Loyalty card"),
    "rapport_notes": N_("Rapport notes"),
}

# Column headers people use, in English, Turkish, Slovak and Hungarian (compared folded).
_HEADER_WORDS = {
    "given_name": "given name, first name, firstname, forename, given, ad, adi, isim, meno, "
    "krstne meno, keresztnev, utonev",
    "family_name": "family name, last name, lastname, surname, family, soyad, soyadi, "
    "soy isim, priezvisko, vezeteknev, csaladnev",
    "full_name": "name, full name, customer, customer name, ad soyad, adi soyadi, isim soyisim, "
    "musteri, musteri adi, meno a priezvisko, cele meno, zakaznik, meno zakaznika",
    "full_name_family_first": "nev, teljes nev, ugyfel, ugyfel neve, vasarlo",
    "native_name": "native name, name in own script, native, yerel ad, povodne meno, eredeti nev",
    "language": "language, lang, preferred language, dil, tercih edilen dil, jazyk, nyelv",
    "formality": "formality, address, form of address, hitap sekli, oslovenie, megszolitas modja",
    "title": "title, salutation, honorific, unvan, hitap, titul, megszolitas",
    "phone": "phone, phone number, telephone, tel, mobile, mobile phone, cell, gsm, telefon, "
    "telefon no, telefon numarasi, cep, cep telefonu, mobil, telefonne cislo, telefonszam",
    "email": "email, e mail, e mail address, email address, mail, e posta, eposta, "
    "e posta adresi, e mail cim, emailova adresa",
    "card": "card, loyalty card, card number, card no, kart, kart no, sadakat karti, "
    "musteri karti, karta, cislo karty, vernostna karta, kartya, kartyaszam, husegkartya",
    "rapport_notes": "notes, note, comments, comment, remarks, rapport notes, not, notlar, "
    "aciklama, poznamka, poznamky, megjegyzes, megjegyzesek",
}
_HEADER_INDEX = {
    fold(word): name for name, words in _HEADER_WORDS.items() for word in words.split(", ")
}
_TITLE_WORDS = {
    "mr": "mr, mister, sir, bay, bey, pan, ur, herr",
    "ms": "ms, mrs, miss, madam, bayan, hanim, pani, asszony, no, frau",
    "mx": "mx",
}
_TITLES = {fold(w): key for key, words in _TITLE_WORDS.items() for w in words.split(", ")}
_FORMALITY_WORDS = {
    "formal": "formal, resmi, vykanie, magazas, f",
    "informal": "informal, samimi, tykanie, tegezes, i",
}
_FORMALITIES = {fold(w): key for key, words in _FORMALITY_WORDS.items() for w in words.split(", ")}
_NAMED_LANGUAGES = (*SUPPORTED_LANGUAGES, "ar", "bn", "de", "es", "fr", "it", "pl", "pt", "ro")
_NAMED_LANGUAGES += ("ru", "uk", "ur", "zh")

MAX_CELL_CHARS = 1 << 20
MAX_REPORTED = 1000  # problems kept in a report; the count covers them all
PREVIEW_ROWS = 20
BATCH = 5000
# New rows are added to the search indexes every this many rows, while the workers check the
# next ones, not all at the end with the workers done (FTS5 costs about the same per row in
# steps of 50,000 as in one statement; in steps of 5,000 a third more).
INDEX_EVERY = 50_000
# Validation is the expensive part (phone numbers, search keys): big files spread it over
# worker processes while this one writes. Small files are not worth starting them.
PARALLEL_FROM_ROWS = 50_000
WORKER_NICENESS = 5
CHECK_CHUNK = 2000  # rows a worker checks at a time
# Rows handed to the workers ahead of the writer: more than one search-index step, so they
# keep checking while this process indexes (one step takes as long as checking ~20,000 rows).
LOOKAHEAD_ROWS = 64_000

# Why a merge is refused, per clashing field (whole sentences: translators need no field names).
_MERGE_CLASH = {
    "card": N_("This card already belongs to another customer."),
    "phone": N_("Merging would give this customer another customer's phone number."),
    "email": N_("Merging would give this customer another customer's e-mail address."),
}


# reading files ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceTable:
    """A file's header and a way to walk its rows, each with the file's own line number."""

    path: Path
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    encoding: str = ""
    delimiter: str = ""
    total: int = 0  # rows expected, for progress (an estimate for CSV)
    _rows: Callable[[], Iterator[tuple[int, list[str]]]] = field(default=lambda: iter(()))

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self._rows()


def _unreadable(msgid: str, **params: str | int) -> ValidationError:
    return ValidationError([Problem("file", msgid, params)])


# The legacy Windows code pages a spreadsheet saves "CSV" in, and the languages each was made
# for: (code page, prior, letters names in that language use often, letters they use rarely).
# Counter's own languages come first and weigh a little more (the file is from this store); the
# others are there for the foreign names an English (Windows-1252) store's file holds.
_LEGACY_LANGUAGES = (
    ("cp1254", 1.0, "çğıöşüİ", "âîû"),  # Turkish
    ("cp1250", 1.0, "áéíóöőúüű", ""),  # Hungarian
    ("cp1250", 1.0, "áäčíľňóôšťúýž", "ďéĺŕ"),  # Slovak
    ("cp1250", 0.8, "áčďéěíňóřšťúůýž", ""),  # Czech
    ("cp1250", 0.8, "ąćęłńóśźż", ""),  # Polish
    ("cp1252", 0.9, "äöüß", ""),  # German
    ("cp1252", 0.9, "àâçéèêô", "ëîïùûüÿœæ"),  # French
    ("cp1252", 0.9, "áéíñóúü", ""),  # Spanish
    ("cp1252", 0.9, "àèéìòù", "íóú"),  # Italian
    ("cp1252", 0.9, "áâãàçéêíóôõú", ""),  # Portuguese
    ("cp1252", 0.9, "åäæöøé", ""),  # Danish, Norwegian, Swedish, Finnish
)
# A letter of another language of the same code page is a foreign name in the file (a German
# name in a French list): likelier than a letter no language of that code page writes.
_COMMON, _RARE, _NEIGHBOUR, _FOREIGN_LETTER, _SIGN, _ODD_SIGN = 1.0, 0.3, 0.2, 0.02, 0.5, 0.01
# Below this (per character, geometric mean) no code page reads the file as names in a
# language it was made for: it is in another encoding, left to charset-normalizer. So is a file
# whose letters are mostly above ASCII: names in a Latin script are mostly ASCII letters, in
# Cyrillic or Greek (Windows-1251, -1253) all of them are high bytes.
_PLAUSIBLE = math.log(0.25)
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_NOT_LETTERS = bytes(b for b in range(128) if b not in _ASCII_LETTERS)
_ASCII = bytes(range(128))


def _letter_weights(common: str, rare: str) -> dict[str, float]:
    weights = {}
    for letters, weight in ((rare, _RARE), (common, _COMMON)):
        for ch in letters:
            weights[ch] = weight
            if len(ch.upper()) == 1:
                weights[ch.upper()] = weight
    return weights


_PAGE_LETTERS: dict[str, dict[str, float]] = {}
for _encoding, _prior, _common, _rare in _LEGACY_LANGUAGES:
    for _ch in _letter_weights(_common + _rare, ""):
        _PAGE_LETTERS.setdefault(_encoding, {})[_ch] = _NEIGHBOUR
_LANGUAGE_WEIGHTS = [
    (encoding, math.log(prior), {**_PAGE_LETTERS[encoding], **_letter_weights(common, rare)})
    for encoding, prior, common, rare in _LEGACY_LANGUAGES
]


def _char_weight(ch: str, letters: dict[str, float]) -> float:
    if ch in letters:
        return letters[ch]
    category = unicodedata.category(ch)
    if category[0] == "L":
        return _FOREIGN_LETTER
    if category[0] == "P" or category in ("Sc", "Sm", "Zs") or ch in "°§©®µ":
        return _SIGN
    if category[0] in "SN":
        return _ODD_SIGN  # ¾ ¤ ˇ ˝ ...: text decoded with the wrong table
    return 1e-6  # a control character


def _legacy_guess(data: bytes) -> tuple[str | None, float]:
    """The legacy code page whose letters make the most likely names, and how plausible that
    is (mean log weight per character). Each byte above 127 is one letter in these code
    pages: the bytes above ASCII are taken from the whole file (in one pass, so a file whose
    first megabyte is plain ASCII is still judged by its accents) and each table scores their
    counts."""
    high = data.translate(None, _ASCII)[: 1 << 20]
    if not high:
        return None, 0.0
    counts = {b: n for b in range(128, 256) if (n := high.count(bytes((b,))))}
    total = len(high)
    latin = len(high) <= len(data.translate(None, _NOT_LETTERS)) - len(high)
    best, best_score = None, -math.inf
    for encoding, prior, letters in _LANGUAGE_WEIGHTS:
        score = prior
        for byte, n in counts.items():
            try:
                weight = _char_weight(bytes((byte,)).decode(encoding), letters)
            except UnicodeDecodeError:  # a byte this code page lacks: a damaged file, or
                weight = _ODD_SIGN  # another code page (its rows are reported if chosen)
            score += n * math.log(weight)
        if score > best_score:
            best, best_score = encoding, score
    return best, best_score / total if latin else -math.inf


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or the legacy code page whose letters
    make the most likely names in the languages it was made for: Windows-1254 (Turkish),
    -1250 (Slovak, Hungarian, Czech, Polish), -1252 (English and Western European). Letters
    that several code pages share score by how often each language writes them ("Fűzfa", not
    "Fûzfa"), so even a one-line file is read right. Anything else is left to
    charset-normalizer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    sample = data[: 1 << 20]
    best, plausibility = _legacy_guess(data)
    if best is not None and plausibility >= _PLAUSIBLE:
        return best
    from charset_normalizer import from_bytes  # only for the unusual files

    match = from_bytes(sample).best()
    if match is not None:
        return match.encoding
    if best is not None:
        return best
    raise _unreadable(N_("The file's text encoding could not be recognised."))


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(",;\t|", key=first.count)


class BadRow(list[str]):
    """A row's cells together with what is wrong with the row itself (a quote that swallows
    lines, cells beyond the header, bytes that are not text): reported by its line like a row
    whose fields do not validate, instead of being checked field by field."""

    __slots__ = ("problems",)

    def __init__(self, cells: Iterable[str], problems: list[Problem]):
        super().__init__(cells)
        self.problems = problems


def _row_problem(msgid: str, **params: str | int) -> Problem:
    return Problem("row", msgid, params)


def _beyond_header(cells: Sequence[str], columns: int) -> Problem | None:
    """Text in a column the header does not name would be dropped without a word."""
    for index in range(columns, len(cells)):
        if cells[index].strip():
            return _row_problem(
                N_(
                    "Column {column} has no header, so “{cell}” on this line would be lost. "
                    "Give the column a header, or look for a missing quote mark or a "
                    "separator too many."
                ),
                column=index + 1,
                cell=cells[index].strip()[:60],
            )
    return None


def _runaway_quote(
    raw: str, cells: Sequence[str], headers: Sequence[str], delimiter: str, last: int
) -> Problem | None:
    """A row read over several lines because a quoted cell holds line breaks. Fine when the
    quotes are well formed and the lines it holds are not rows of the file; otherwise a quote
    mark was left open and the cell swallowed the rows after it."""
    try:
        well_formed = (
            len(list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True)))
            == 1
        )
    except csv.Error:  # the file ends inside the quote, or text follows a closing quote
        well_formed = False
    # A line inside the cell with as many separators as a row (3 at least: notes with a
    # comma or two across lines are common in files with few columns).
    row_like = max(3, len(headers) - 1)
    swallowing = None
    for index, cell in enumerate(cells):
        if "\n" in cell or "\r" in cell:
            swallowing = index
            inner = cell.splitlines()[1:]
            if well_formed and not any(line.count(delimiter) >= row_like for line in inner):
                continue
            break
    else:
        if well_formed:
            return None
    if swallowing is None:
        swallowing = 0
    return _row_problem(
        N_(
            'A cell in the “{column}” column starts with a quote mark (") on this line that '
            "is not closed where the cell should end, so it swallows the lines up to line "
            "{last}. Add the missing quote mark, or remove the stray one, and import again."
        ),
        column=headers[swallowing] if swallowing < len(headers) else f"#{swallowing + 1}",
        last=last,
    )


def _read_csv(path: Path) -> SourceTable:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(N_("The file cannot be read: {reason}"), reason=str(error)) from None
    # Notes pasted into a spreadsheet can be long; a cell over this is refused with its line.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding)
        damaged = False
    except UnicodeDecodeError:  # the guess came from the file's start; rows with bytes that
        text = data.decode(encoding, errors="replace")  # are not text are reported below
        damaged = True
    del data
    if encoding == "utf-16":
        text = text.lstrip("\ufeff")
    delimiter = _sniff_delimiter(text)
    header_source = io.StringIO(text, newline="")
    header_reader = csv.reader(header_source, delimiter=delimiter)
    raw_headers = next(header_reader, None)
    if not raw_headers or not any(h.strip() for h in raw_headers):
        raise _unreadable(N_("The file is empty or has no header row."))
    headers = _header_names(raw_headers)
    if header_reader.line_num > 1 and _runaway_quote(
        text[: header_source.tell()], raw_headers, headers, delimiter, header_reader.line_num
    ):  # the header swallowed rows: they would all vanish
        raise _unreadable(
            N_(
                'The header row (line 1) has a quote mark (") that is not closed, so it runs '
                "on to line {last}. Add the missing quote mark and import again."
            ),
            last=header_reader.line_num,
        )
    columns = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        source = io.StringIO(text, newline="")
        reader = csv.reader(source, delimiter=delimiter, strict=False)
        next(reader, None)
        start = reader.line_num + 1
        offset = source.tell()  # where the row being read starts in ``text``
        try:
            for row in reader:
                end = reader.line_num
                if "".join(row).strip():
                    # Cheap tests first: most rows are one line with no more cells than the
                    # header, and files without broken bytes skip the last test.
                    if end != start or len(row) > columns or damaged:
                        problem = (
                            (
                                end != start
                                and _runaway_quote(
                                    text[offset : source.tell()], row, headers, delimiter, end
                                )
                            )
                            or (len(row) > columns and _beyond_header(row, columns))
                            or (damaged and _not_text(row, encoding))
                        )
                        if problem:
                            row = BadRow(row, [problem])
                    yield start, row
                start = end + 1
                offset = source.tell()
        except csv.Error as error:  # a cell over the size limit
            raise _unreadable(
                N_("The file cannot be read from line {line} on: {reason}"),
                line=start,
                reason=str(error),
            ) from None

    lines = text.count("\n") + (not text.endswith("\n"))
    return SourceTable(path, "csv", headers, encoding, delimiter, lines - 1, rows)


def _not_text(cells: Sequence[str], encoding: str) -> Problem | None:
    if any("\ufffd" in cell for cell in cells):
        return _row_problem(
            N_(
                "This line has bytes that are not text in the file's encoding ({encoding}); "
                "they would be lost. Save the file as UTF-8 and import again."
            ),
            encoding=encoding,
        )
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e17:
        return str(int(value))  # 905321234567.0: a phone or card typed as a number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> SourceTable:
    from openpyxl import load_workbook  # only when someone imports a spreadsheet

    def open_sheet():
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # zipfile, XML and openpyxl errors alike
            raise _unreadable(
                N_("The spreadsheet cannot be read: {reason}"), reason=str(error)[:200]
            ) from None
        sheet = book.active
        # The size a sheet states (<dimension>) is often wrong in files other programs write,
        # and openpyxl's read-only mode drops the rows and columns beyond it without a word.
        # The stated size is kept as the least width and the expected row count.
        stated = (sheet.max_row or 1, sheet.max_column or 0)
        sheet.reset_dimensions()
        return book, sheet, stated

    book, sheet, (max_row, max_column) = open_sheet()
    try:
        first = next(sheet.iter_rows(values_only=True), None)
    finally:
        book.close()
    total = max(0, max_row - 1)
    if not first or not any(_cell_text(v).strip() for v in first):
        raise _unreadable(N_("The file is empty or has no header row."))
    raw = [_cell_text(v) for v in first]
    headers = _header_names(raw + [""] * (max_column - len(raw)))
    columns = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        book, sheet, _stated = open_sheet()
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if line == 1:
                    continue
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    if len(cells) > columns and (problem := _beyond_header(cells, columns)):
                        cells = BadRow(cells, [problem])
                    yield line, cells
        finally:
            book.close()

    return SourceTable(path, "xlsx", headers, total=total, _rows=rows)


def _header_names(raw: list[str]) -> list[str]:
    return [h.strip().lstrip("\ufeff") or f"#{i + 1}" for i, h in enumerate(raw)]


def open_table(path: str | Path) -> SourceTable:
    """Read a CSV or XLSX file's header; rows are read when walked."""
    path = Path(path)
    if not path.is_file():
        raise _unreadable(N_("There is no file at {path}."), path=str(path))
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path)


# mapping columns -------------------------------------------------------------------------
Mapping = list[str]  # one field name (or '' to ignore) per column


def guess_mapping(headers: Sequence[str]) -> Mapping:
    """A field for every column whose header a person would recognise; each field once."""
    mapping: Mapping = []
    taken: set[str] = set()
    for header in headers:
        name = _HEADER_INDEX.get(fold(header), "")
        if name in taken:
            name = ""
        taken.add(name)
        mapping.append(name)
    return mapping


def parse_mapping(text: str, headers: Sequence[str]) -> Mapping:
    """``"Ad=given_name,Soyad=family_name,3=phone"``: a column (header or 1-based number) per
    field, over the guessed mapping. Unknown columns or fields are a :class:`ValidationError`."""
    mapping = guess_mapping(headers)
    folded = [fold(h) for h in headers]
    problems = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        column, _sep, name = part.rpartition("=")
        name = name.strip()
        if name not in (*FIELDS, ""):
            problems.append(Problem("mapping", N_("Unknown field “{field}”."), {"field": name}))
            continue
        column = column.strip()
        if column.isdigit() and 1 <= int(column) <= len(headers):
            index = int(column) - 1
        elif fold(column) in folded:
            index = folded.index(fold(column))
        else:
            problems.append(
                Problem("mapping", N_("There is no column “{column}”."), {"column": column})
            )
            continue
        if name:
            mapping = ["" if m == name else m for m in mapping]
        mapping[index] = name
    if problems:
        raise ValidationError(problems)
    return mapping


def check_mapping(mapping: Mapping) -> None:
    names = {"given_name", "family_name", "full_name", "full_name_family_first", "native_name"}
    if not names & set(mapping):
        raise ValidationError(
            [Problem("mapping", N_("Choose at least one column with the customers' names."))]
        )


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code in _NAMED_LANGUAGES:
        for shown_in in ("en", "tr", "sk", "hu", code):
            name = Locale.parse(code).get_display_name(shown_in)
            if name:
                names[fold(name)] = code
    return names


@lru_cache(maxsize=1024)
def _language_code(text: str) -> str:
    key = fold(text)
    return _language_names().get(key, text)


@lru_cache(maxsize=1024)
def _title(text: str) -> str:
    return _TITLES.get(fold(text), text)


@lru_cache(maxsize=1024)
def _formality(text: str) -> str:
    return _FORMALITIES.get(fold(text), text)


def _split_name(text: str, family_first: bool) -> tuple[str, str]:
    words = text.split()
    if len(words) < 2:
        return text.strip(), ""
    if family_first:
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def provided_fields(cells: Sequence[str], mapping: Mapping) -> dict[str, str]:
    """The non-empty values a row gives, by customer field (several columns of one field are
    joined with a space; full names split into given and family name). The apostrophe Counter
    puts before text a spreadsheet would run as a formula (:mod:`counter.cell_guard`) is taken
    off: an export reads back as it was."""
    out: dict[str, str] = {}
    for value, name in zip(cells, mapping, strict=False):
        value = value.strip()
        if not name or not value:
            continue
        if value[0] == GUARD:
            value = unguard(value)
        if name in ("full_name", "full_name_family_first"):
            given, family = _split_name(value, name == "full_name_family_first")
            for key, part in (("given_name", given), ("family_name", family)):
                if part:
                    out[key] = f"{out[key]} {part}" if key in out else part
            continue
        if name == "title":
            value = _title(value)
        elif name == "formality":
            value = _formality(value)
        elif name == "language":
            value = _language_code(value)
        out[name] = f"{out[name]} {value}" if name in out else value
    return out


def row_input(cells: Sequence[str], mapping: Mapping) -> CustomerInput:
    return CustomerInput(**provided_fields(cells, mapping))


def preview(table: SourceTable, mapping: Mapping, limit: int = PREVIEW_ROWS) -> list[Any]:
    """The first rows as the import would read them: (line, CustomerInput)."""
    shown = []
    for line, cells in table.rows():
        shown.append((line, row_input(cells, mapping)))
        if len(shown) >= limit:
            break
    return shown


# validating rows (possibly in worker processes) ------------------------------------------
class _Checked(NamedTuple):
    """One checked row (a named tuple: a million of them are made and dropped per import)."""

    line: int
    cells: list[str]
    values: tuple[Any, ...] | None  # CUSTOMER_COLUMNS order
    problems: list[Problem] | None
    # A row without a name but otherwise valid: its values (with a stand-in name) still say
    # which customer it is, and merging fills in that customer (who has a name).
    nameless: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class _Nameless:
    values: tuple[Any, ...]
    problems: list[Problem]


def _validated(provided: dict[str, str], region: str) -> dict[str, str]:
    try:
        return validate(CustomerInput(**provided), phone_region=region)
    except ValidationError as error:
        # Spreadsheets drop the "+" of international numbers: 905321234567 is +90 532...
        phone = provided.get("phone", "")
        if not (phone.isdigit() and len(phone) > 10 and not phone.startswith("0")):
            raise
        if any(p.field != "phone" for p in error.problems):
            raise
        return validate(CustomerInput(**{**provided, "phone": "+" + phone}), phone_region=region)


def _check_chunk(chunk: list[tuple[int, list[str]]], mapping: Mapping, region: str) -> list[Any]:
    """Per row: the column values (a tuple) or the problems (a list). Plain data: this is
    what comes back from a worker process."""
    return _check_cells([cells for _line, cells in chunk], mapping, region)


# A worker is sent each row's cells joined by this (a control character, which a cell holds
# only in a broken file: such a row is sent as its list): one string to pickle instead of one
# per cell (50,000 rows: 0.05 s of the writer's process instead of 0.12-0.15 s).
_CELL_SEP = "\x1f"


def _packed(chunk: list[tuple[int, list[str]]]) -> list[str | list[str]]:
    out: list[str | list[str]] = []
    for _line, cells in chunk:
        if cells.__class__ is BadRow:
            out.append(cells)
            continue
        joined = _CELL_SEP.join(cells)
        out.append(joined if joined.count(_CELL_SEP) == len(cells) - 1 else cells)
    return out


def _check_packed(packed: list[str | list[str]], mapping: Mapping, region: str) -> list[Any]:
    """:func:`_check_chunk` in a worker process, for rows from :func:`_packed`."""
    rows = [row.split(_CELL_SEP) if isinstance(row, str) else row for row in packed]
    return _check_cells(rows, mapping, region)


def _check_cells(rows: list[list[str]], mapping: Mapping, region: str) -> list[Any]:
    out: list[Any] = []
    for cells in rows:
        if cells.__class__ is BadRow:
            out.append(cells.problems)
            continue
        provided = provided_fields(cells, mapping)
        try:
            values = _validated(provided, region)
        except ValidationError as error:
            out.append(_nameless(provided, region, error.problems))
        else:
            out.append(tuple(values[c] for c in CUSTOMER_COLUMNS))
    return out


def _nameless(
    provided: dict[str, str], region: str, problems: list[Problem]
) -> list[Problem] | _Nameless:
    if [p.field for p in problems] != ["given_name"] or "given_name" in provided:
        return problems
    try:
        values = _validated({**provided, "given_name": "-"}, region)
    except ValidationError:
        return problems
    return _Nameless(tuple(values[c] for c in CUSTOMER_COLUMNS), problems)


def _chunks(rows: Iterable[tuple[int, list[str]]], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _paired(chunk: list[Any], outcomes: list[Any]) -> Iterator[_Checked]:
    for (line, cells), outcome in zip(chunk, outcomes, strict=True):
        if isinstance(outcome, tuple):
            yield _Checked(line, cells, outcome, None)
        elif isinstance(outcome, _Nameless):
            yield _Checked(line, cells, None, outcome.problems, outcome.values)
        else:
            yield _Checked(line, cells, None, outcome)


def _start_worker() -> None:
    """A checking process gives way to this one: the writer (one connection, one core) is the
    import's critical path, and the UI shares its process; checkers take whatever CPU is left
    (on two cores two checkers and the writer otherwise get two thirds of a core each)."""
    with suppress(AttributeError, OSError):  # no os.nice on Windows
        os.nice(WORKER_NICENESS)


def _checked_rows(
    table: SourceTable, mapping: Mapping, region: str, workers: int
) -> Iterator[_Checked]:
    """Every row checked, in file order."""
    if workers <= 1:
        for chunk in _chunks(table.rows(), 1000):
            yield from _paired(chunk, _check_chunk(chunk, mapping, region))
        return
    # spawn, not fork: forking a process that runs Qt and threads is not safe.
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_start_worker
    ) as pool:
        pending: deque[tuple[list[Any], Future[Any]]] = deque()
        try:
            ahead = max(2 * workers, LOOKAHEAD_ROWS // CHECK_CHUNK)
            for chunk in _chunks(table.rows(), CHECK_CHUNK):
                pending.append((chunk, pool.submit(_check_packed, _packed(chunk), mapping, region)))
                if len(pending) > ahead:
                    done, future = pending.popleft()
                    yield from _paired(done, future.result())
            while pending:
                done, future = pending.popleft()
                yield from _paired(done, future.result())
        finally:
            for _chunk, future in pending:
                future.cancel()


# importing -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    line: int
    problems: list[Problem]


@dataclass(frozen=True)
class Duplicate:
    """A row that is already a customer (in the database or earlier in the file)."""

    line: int
    matched_on: str  # phone, email or card
    customer_id: int
    first_line: int | None  # the earlier line of the file, when the match is in the file
    merged: bool


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0  # duplicates left as they were (no merge)
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED
    duplicate_count: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)  # the first MAX_REPORTED
    committed: bool = False
    dry_run: bool = False

    def add_error(self, line: int, problems: list[Problem]) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, problems))

    def add_duplicate(self, duplicate: Duplicate) -> None:
        self.duplicate_count += 1
        if len(self.duplicates) < MAX_REPORTED:
            self.duplicates.append(duplicate)


class _Rollback(Exception):
    """Leave the import's transaction without committing (a check, or rows with problems)."""


_MERGE_FIELDS = tuple(f.name for f in fields(CustomerInput))
_PHONE = CUSTOMER_COLUMNS.index("phone_digits")
_EMAIL = CUSTOMER_COLUMNS.index("email")
_CARD = CUSTOMER_COLUMNS.index("card")


class _Importer:
    def __init__(
        self,
        db: Database,
        mapping: Mapping,
        region: str,
        now: int,
        merge: bool,
        report: ImportReport,
        expected_rows: int = 0,
    ):
        self.db, self.mapping, self.region, self.now = db, mapping, region, now
        self.merge, self.report = merge, report
        self.by_key: dict[tuple[str, str], int] = {}
        for cid, phone, email, card in transfer_sql.existing_keys(db):
            for kind, key in (("phone", phone), ("email", email), ("card", card)):
                if key:
                    self.by_key[(kind, key)] = cid
        self.writer = transfer_sql.BulkCustomerWriter(db, expected_rows)
        self.first_new = transfer_sql.next_customer_id(db)
        self.next_id = self.first_new
        self.line_of_new: dict[int, int] = {}
        self.batch: list[tuple[Any, ...]] = []

    @staticmethod
    def _keys(values: Sequence[str]) -> list[tuple[str, str]]:
        keys = []
        if phone := values[_PHONE]:
            keys.append(("phone", phone))
        if email := values[_EMAIL]:
            keys.append(("email", email.lower()))
        if card := values[_CARD]:
            keys.append(("card", card))
        return keys

    def add(self, row: _Checked) -> None:
        if row.values is None:
            if not (self.merge and row.nameless and self._merge_nameless(row)):
                self.report.add_error(row.line, row.problems or [])
            return
        keys = self._keys(row.values)
        matches = {}
        for key in keys:
            if key in self.by_key:
                matches.setdefault(self.by_key[key], key[0])
        if len(matches) > 1:
            self.report.add_error(
                row.line,
                [
                    Problem(
                        "phone",
                        N_(
                            "This row matches more than one existing customer (phone, e-mail "
                            "or card); fix it by hand."
                        ),
                    )
                ],
            )
            return
        if matches:
            ((target, matched_on),) = matches.items()
            if self.merge and not self._merge(target, row):
                return  # reported as a row with a problem
            self.report.add_duplicate(
                Duplicate(row.line, matched_on, target, self.line_of_new.get(target), self.merge)
            )
            if self.merge:
                self.report.merged += 1
            else:
                self.report.skipped += 1
            return
        cid = self.next_id
        self.next_id += 1
        self.line_of_new[cid] = row.line
        for key in keys:
            self.by_key[key] = cid
        self.batch.append((cid, *row.values, self.now, self.now))
        self.report.created += 1
        if len(self.batch) >= BATCH:
            self.flush()

    def _merge_nameless(self, row: _Checked) -> bool:
        """A row with no name is fine when it only adds to one existing customer."""
        assert row.nameless is not None
        targets = {self.by_key[k] for k in self._keys(row.nameless) if k in self.by_key}
        if len(targets) != 1:
            return False
        (target,) = targets
        if not self._merge(target, row):
            return True  # reported by _merge
        matched_on = next(k[0] for k in self._keys(row.nameless) if k in self.by_key)
        self.report.add_duplicate(
            Duplicate(row.line, matched_on, target, self.line_of_new.get(target), True)
        )
        self.report.merged += 1
        return True

    def _merge(self, target: int, row: _Checked) -> bool:
        """Fill the existing customer with this row's non-empty values; False (and a row
        problem) if the result would not be a valid customer."""
        if target >= self.first_new:
            self.flush()
            self.writer.index_new_rows()  # the update trigger expects indexed rows
        current = customer_sql.get_customer(self.db, target)
        assert current is not None
        merged = {name: current[name] for name in _MERGE_FIELDS}
        merged.update(provided_fields(row.cells, self.mapping))
        try:
            values = _validated(merged, self.region)
        except ValidationError as error:
            self.report.add_error(row.line, error.problems)
            return False
        new_values = tuple(values[c] for c in CUSTOMER_COLUMNS)
        for key in self._keys(new_values):
            owner = self.by_key.get(key)
            if owner is not None and owner != target:
                self.report.add_error(row.line, [Problem(key[0], _MERGE_CLASH[key[0]])])
                return False
        customer_sql.update_customer(self.db, target, values, self.now)
        for key in self._keys(new_values):
            self.by_key[key] = target
        return True

    def flush(self) -> None:
        self.writer.insert_many(self.batch)
        self.batch = []
        if self.writer.unindexed_rows() >= INDEX_EVERY:
            self.writer.index_new_rows()


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """The cyclic garbage collector off while a big file is imported (on again after, as it
    was): a million rows make and drop millions of tuples and lists, and every full collection
    walks the millions of duplicate keys held meanwhile (an eighth of the writer's time in a
    1M import). The import makes no reference cycles; whatever the UI makes is collected after."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def import_customers(
    db: Database,
    table: SourceTable,
    mapping: Mapping,
    *,
    phone_region: str,
    now: int,
    merge: bool = False,
    skip_invalid: bool = False,
    dry_run: bool = False,
    staff_id: int | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import every row of ``table`` in one transaction and report what happened.

    Duplicates (same phone, e-mail or card as a customer or an earlier row) are skipped, or
    with ``merge`` the existing customer gets the row's non-empty values. Rows with problems
    stop the whole import (nothing is written; the report lists them all) unless
    ``skip_invalid``. ``dry_run`` checks everything and writes nothing. When ``progress``
    answers False the import is rolled back and :class:`counter.progress.Cancelled` raised.
    """
    check_mapping(mapping)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if table.total >= PARALLEL_FROM_ROWS else 0
    report = ImportReport(dry_run=dry_run)
    total = max(table.total, 1)
    try:
        with _collector_paused(table.total >= PARALLEL_FROM_ROWS), write_transaction(db):
            importer = _Importer(db, mapping, phone_region, now, merge, report, table.total)
            for row in _checked_rows(table, mapping, phone_region, workers):
                report.rows += 1
                importer.add(row)
                if report.rows % 500 == 0:
                    tick(progress, min(report.rows, total), total)
            importer.flush()
            importer.writer.finish()
            if dry_run or (report.error_count and not skip_invalid):
                raise _Rollback
            audit.record(
                db,
                at=now,
                staff_id=staff_id,
                action="import_customers",
                subject=f"file:{table.path.name}",
                detail=f"{report.created} created, {report.merged} merged, "
                f"{report.skipped} duplicates skipped, {report.error_count} rows with problems",
            )
    except _Rollback:
        return report
    if progress is not None:
        progress(total, total)  # done: a late "stop" changes nothing now
    report.committed = True
    return report
