"""No row may vanish on import: a quote that swallows lines, cells beyond the header, bytes
that are not text, an XLSX whose stated size is wrong, and a short legacy-encoded file are each
reported by line (the import refuses, as for any bad row) or read right."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook

from counter.importing.columns import guess_mapping
from counter.importing.reading import detect_encoding, open_table
from counter.importing.writing import import_customers
from tests.core.test_importer import customers, run, write

RUNAWAY = "A cell in the “{column}” column starts with a quote mark"
BEYOND = "Column {column} has no header"
NOT_TEXT = "bytes that are not text"


def msgids(report):
    return {line: [p.msgid for p in e.problems] for e in report.errors for line in [e.line]}


def only_problem(report, line, start):
    assert not report.committed
    problems = msgids(report)
    assert list(problems) == [line], problems
    assert len(problems[line]) == 1 and problems[line][0].startswith(start), problems
    return next(e for e in report.errors if e.line == line).problems[0]


def _ten_thousand(broken_line: int, broken: str, last: str = "Zeynep,Kaya,,last one") -> str:
    lines = ["given_name,family_name,phone,rapport_notes"]
    for line in range(2, 10_001):
        if line == broken_line:
            lines.append(broken)
        elif line == 10_000:
            lines.append(last)
        else:
            lines.append(f"Ayşe{line},Yılmaz,,note {line}")
    return "\n".join(lines) + "\n"


def test_an_unclosed_quote_on_line_9999_of_10000_is_reported_and_nothing_is_written(
    tmp_path, db, now
):
    path = write(tmp_path, _ten_thousand(9_999, 'Ali,Demir,,"forgot to close'))
    report = run(db, path, now)
    problem = only_problem(report, 9_999, RUNAWAY)
    assert problem.params["column"] == "rapport_notes" and problem.params["last"] == 10_000
    assert customers(db) == []


def test_a_quote_left_open_mid_file_is_reported_where_it_opens(tmp_path, db, now):
    # The cell runs on to the next quote mark (line 20's), which a closing quote cannot be.
    text = _ten_thousand(12, 'Ali,Demir,,"forgot to close')
    text = text.replace("Ayşe20,Yılmaz,,note 20", 'Ayşe20,Yılmaz,,"quoted, note"')
    report = run(db, write(tmp_path, text), now)
    problem = only_problem(report, 12, RUNAWAY)
    assert problem.params["last"] == 20
    assert customers(db) == []


def test_rows_swallowed_up_to_a_quote_that_happens_to_close_are_reported(tmp_path, db, now):
    text = (
        "given_name,family_name,phone,email,rapport_notes\n"
        'Ali,Demir,,,"forgot to close\n'
        "Zeynep,Kaya,,zeynep@example.com,likes tea\n"
        'Emre,Aydın,,,bought a 55" TV\n'
        "Deniz,Şahin,,,\n"
    )
    report = run(db, write(tmp_path, text), now)
    only_problem(report, 2, RUNAWAY)
    assert customers(db) == []


def test_notes_over_several_lines_are_still_fine(tmp_path, db, now):
    text = (
        "given_name,family_name,phone,email,rapport_notes\n"
        'Ali,Demir,,,"likes tea\nsays ""hi""\n, and more"\n'
        'Zeynep,Kaya,,,"one, two\nthree"\n'
    )
    report = run(db, write(tmp_path, text), now)
    assert report.committed and report.created == 2
    assert customers(db)[0]["rapport_notes"] == 'likes tea\nsays "hi"\n, and more'


def test_an_unclosed_quote_in_the_name_column_reports_the_quote_not_the_length(tmp_path, db, now):
    text = 'given_name,family_name\n"Tibor,Fűzfa\nAnna,Szűcs\n'
    report = run(db, write(tmp_path, text), now)
    problem = only_problem(report, 2, RUNAWAY)
    assert problem.params == {"column": "given_name", "last": 3}


def test_cells_beyond_the_header_are_reported(tmp_path, db, now):
    text = "given_name,family_name\nAnna,Kovács,+36 1 234 5678\nÉva,Szűcs,,\nPál,Tóth\n"
    report = run(db, write(tmp_path, text), now)
    problem = only_problem(report, 2, BEYOND)
    assert problem.params == {"column": 3, "cell": "+36 1 234 5678"}


def test_bytes_that_are_not_text_are_reported_by_line(tmp_path, db, now):
    # Windows-1250 by its letters; a byte that code page lacks comes far down the file.
    data = "given_name,family_name\nTibor,Fűzfa\nÉva,Szűcs\nGyőző,Tőkés\n".encode("cp1250")
    data += b"\n" * (1 << 20) + b"Anna,Sz\x81cs\n"
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    report = run(db, path, now)
    line = 5 + (1 << 20)
    problem = only_problem(report, line, "This line has " + NOT_TEXT)
    assert problem.params == {"encoding": "cp1250"}


# encodings of short files -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Tibor,Fűzfa\n", "cp1250"),
        ("Pál,Tőkés\n", "cp1250"),
        ("Győző,Kovács\n", "cp1250"),
        ("Juraj,Mačák\n", "cp1250"),
        ("Ľubomír,Šťastný\n", "cp1250"),
        ("Şükrü,Yılmaz\n", "cp1254"),
        ("İsmail,Işık\n", "cp1254"),
        ("Ahmet,Öğüt\n", "cp1254"),
        ("Hélène,Dupont\n", "cp1252"),
        ("Zoë,Weiß\n", "cp1252"),
        ("José,Peña\n", "cp1252"),
        ("Szűcs Éva,€ 20 – „jó”\n", "cp1250"),
        ("Иван,Петров\nМария,Сидорова\n", "cp1251"),
    ],
)
def test_a_short_legacy_file_is_read_in_its_own_code_page(text, encoding):
    data = text.encode(encoding)
    assert data.decode(detect_encoding(data)) == text


def test_accents_after_a_plain_first_megabyte_decide_the_code_page():
    data = (
        b"given_name,family_name\n" + b"Anna,Kovacs\n" * 100_000 + "Tibor,Fűzfa\n".encode("cp1250")
    )
    assert len(data) > 1 << 20
    assert detect_encoding(data) == "cp1250"


def test_a_short_cp1250_file_imports_with_its_accents(tmp_path, db, now):
    path = write(tmp_path, "given_name,family_name\nTibor,Fűzfa\n", "cp1250")
    assert run(db, path, now).committed
    assert customers(db)[0]["family_name"] == "Fűzfa"


# XLSX ---------------------------------------------------------------------------------------
def _xlsx_with_wrong_size(tmp_path):
    """A sheet whose <dimension> says A1:B2 while it holds rows to 4 and a third column (some
    programs write it so; openpyxl's read-only mode trusts it)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["given_name", "family_name"])
    sheet.append(["Anna", "Kovács"])
    sheet.append(["Éva", "Szűcs", "+36 1 234 5678"])
    sheet.append(["Pál", "Tóth"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    path = tmp_path / "c.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C4" />' in data
                data = data.replace(b'<dimension ref="A1:C4" />', b'<dimension ref="A1:B2" />')
            dst.writestr(item, data)
    return path


def test_an_xlsx_reads_every_row_and_reports_cells_beyond_the_header(tmp_path, db, now):
    path = _xlsx_with_wrong_size(tmp_path)
    table = open_table(path)
    assert [line for line, _cells in table.rows()] == [2, 3, 4]
    report = import_customers(db, table, guess_mapping(table.headers), phone_region="HU", now=now)
    problem = only_problem(report, 3, BEYOND)
    assert problem.params == {"column": 3, "cell": "+36 1 234 5678"}
    report = import_customers(
        db, table, guess_mapping(table.headers), phone_region="HU", now=now, skip_invalid=True
    )
    assert report.committed and report.created == 2


def test_an_xlsx_naming_a_missing_sheet_as_open_reads_its_first_sheet(tmp_path, db, now):
    """A workbook whose saved view names a sheet it does not have as the open one (openpyxl's
    ``active`` is then None) was a traceback; its first sheet is read instead."""
    book = Workbook()
    book.active.append(["given_name", "family_name"])
    book.active.append(["Anna", "Kovács"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                assert b'activeTab="0"' in data
                data = data.replace(b'activeTab="0"', b'activeTab="3"')
            dst.writestr(item, data)
    table = open_table(path)
    assert table.headers == ["given_name", "family_name"]
    report = import_customers(db, table, guess_mapping(table.headers), phone_region="HU", now=now)
    assert report.committed and customers(db)[0]["family_name"] == "Kovács"


def test_checking_processes_report_broken_rows_too(tmp_path, now):
    from counter.storage import open_memory_database

    path = write(tmp_path, _ten_thousand(9_999, 'Ali,Demir,,"forgot to close'))
    table = open_table(path)
    reports = []
    for workers in (1, 2):
        db = open_memory_database()
        reports.append(
            import_customers(
                db,
                table,
                guess_mapping(table.headers),
                phone_region="TR",
                now=now,
                workers=workers,
            )
        )
        db.close()
    assert msgids(reports[0]) == msgids(reports[1]) and list(msgids(reports[1])) == [9_999]


def test_a_header_that_swallows_the_rows_is_refused(tmp_path, db, now):
    from counter.errors import ValidationError

    path = write(tmp_path, '"given_name,family_name\nAnna,Kovács\nPál,Tóth\n')
    with pytest.raises(ValidationError) as caught:
        open_table(path)
    (problem,) = caught.value.problems
    assert problem.msgid.startswith("The header row (line 1) has a quote mark")
    assert problem.params == {"last": 3}
    # A header cell over two lines with its quotes closed is a header.
    path = write(tmp_path, 'given_name,"family\nname"\nAnna,Kovács\n')
    assert open_table(path).headers == ["given_name", "family\nname"]
