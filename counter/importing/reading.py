"""Read a customer file: a CSV (guessing its text encoding and separator) or an XLSX sheet.
Its header names the columns; its rows are walked lazily, each with the file's own line number
(the header is line 1) so a problem can be fixed in the spreadsheet. A row broken in the file
itself (a quote that swallows lines, cells beyond the header, bytes that are not text) comes as
a :class:`BadRow` carrying its problem, reported like a row whose fields do not validate.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import cast

from counter.errors import Problem, ValidationError
from counter.i18n import N_

MAX_CELL_CHARS = 1 << 20  # a longer cell is refused with its line


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
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.worksheet import Worksheet

    def open_sheet() -> tuple[Workbook, Worksheet, tuple[int, int]]:
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # zipfile, XML and openpyxl errors alike
            raise _unreadable(
                N_("The spreadsheet cannot be read: {reason}"), reason=str(error)[:200]
            ) from None
        # The sheet open when the file was saved; the first one with cells if that is not one
        # (a chart, or a file stating a sheet it lacks as active: openpyxl gives None).
        sheets = [book.active, *book.worksheets]
        active = next((s for s in sheets if isinstance(s, ReadOnlyWorksheet)), None)
        if active is None:
            book.close()
            raise _unreadable(N_("The file is empty or has no header row."))
        # The size a sheet states (<dimension>) is often wrong in files other programs write,
        # and openpyxl's read-only mode drops the rows and columns beyond it without a word.
        # The stated size is kept as the least width and the expected row count.
        stated = (active.max_row or 1, active.max_column or 0)
        active.reset_dimensions()
        # (openpyxl's stubs type a read-only sheet's iter_rows on the full Worksheet.)
        return book, cast(Worksheet, active), stated

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
