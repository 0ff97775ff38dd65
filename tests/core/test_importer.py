"""Importing customers: encodings, separators, column mapping, duplicates and merging, every
bad row reported by its line, and all or nothing."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import Workbook

from counter.customer_export import export_customers
from counter.customers import CustomerInput, create_customer, get_customer
from counter.errors import ValidationError
from counter.importing.columns import guess_mapping, parse_mapping, preview
from counter.importing.reading import detect_encoding, open_table
from counter.importing.writing import import_customers
from counter.progress import Cancelled
from counter.search import find_customers
from counter.storage.backup_sql import dump

TR_FILE = "Ad;Soyad;Telefon;E-posta;Kart No\nŞükrü;Yılmaz;0532 123 45 67;sukru@example.com;A1\n"
SK_FILE = "Meno;Priezvisko;Telefón\nĽubomír;Novák;0905 111 222\nŠtefan;Hrušovský;\n"
HU_FILE = "Vezetéknév;Keresztnév;Telefonszám\nKovács;Győző;06 30 987 6543\nTóth;Őrs;\n"


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "customers.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(db, path, now, mapping=None, region="TR", **kwargs):
    table = open_table(path)
    return import_customers(
        db,
        table,
        mapping if mapping is not None else guess_mapping(table.headers),
        phone_region=region,
        now=now,
        **kwargs,
    )


def customers(db):
    """Every customer, without the random global id (m009): two loads give different ones."""
    rows = list(db.query("SELECT * FROM customers ORDER BY id"))
    for row in rows:
        assert row.pop("gid")  # every row has one, however it was loaded
    return rows


def fts_ok(db) -> None:
    db.execute("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")
    names = {t.name for t in db.triggers}
    assert "customers_fts_insert" in names


# reading ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (TR_FILE, "utf-8", "utf-8"),
        (TR_FILE, "utf-8-sig", "utf-8-sig"),
        (TR_FILE, "utf-16", "utf-16"),
        (TR_FILE, "cp1254", "cp1254"),
        (SK_FILE, "cp1250", "cp1250"),
        (HU_FILE, "cp1250", "cp1250"),
        ("Name,Notes\nFrançois,café crème\n", "cp1252", "cp1252"),
    ],
)
def test_encodings_are_recognised(tmp_path, text, encoding, expected):
    path = write(tmp_path, text, encoding)
    assert detect_encoding(path.read_bytes()) == expected
    table = open_table(path)
    first = next(table.rows())[1]
    separator = ";" if ";" in text.splitlines()[0] else ","
    assert first[0] == text.splitlines()[1].split(separator)[0]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators_are_recognised(tmp_path, sep):
    path = write(
        tmp_path, f"First name{sep}Last name{sep}Phone\nAnna{sep}Kovács{sep}+36301234567\n"
    )
    table = open_table(path)
    assert table.delimiter == sep
    assert table.headers == ["First name", "Last name", "Phone"]


def test_headers_in_four_languages_are_mapped(tmp_path):
    assert guess_mapping(["Ad", "Soyad", "Cep Telefonu", "E-posta", "Kart No", "Notlar"]) == [
        "given_name",
        "family_name",
        "phone",
        "email",
        "card",
        "rapport_notes",
    ]
    assert guess_mapping(["Meno", "Priezvisko", "Telefónne číslo", "Jazyk"]) == [
        "given_name",
        "family_name",
        "phone",
        "language",
    ]
    assert guess_mapping(["Vezetéknév", "Keresztnév", "Telefonszám", "Megjegyzés"]) == [
        "family_name",
        "given_name",
        "phone",
        "rapport_notes",
    ]
    assert guess_mapping(["Név", "Customer ID", "Phone", "Mobile"]) == [
        "full_name_family_first",
        "",
        "phone",
        "",  # each field once: the second phone column is left for the person to choose
    ]


def test_a_mapping_from_the_command_line(tmp_path):
    headers = ["Müşteri", "Tel", "X"]
    assert parse_mapping("3=card,Müşteri=given_name", headers) == ["given_name", "phone", "card"]
    assert parse_mapping("tel=", headers) == ["full_name", "", ""]
    with pytest.raises(ValidationError):
        parse_mapping("Nope=phone", headers)
    with pytest.raises(ValidationError):
        parse_mapping("1=shoe_size", headers)


def test_xlsx_with_numbers_for_phones_and_cards(tmp_path, db, now):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Phone", "Card", "Language", "Title"])
    sheet.append(["Ayşe Yılmaz", 905321234567, 1000200030004, "Turkish", "Hanım"])
    sheet.append(["Győző Kovács", "+36 30 987 6543", None, "magyar", "úr"])
    sheet.append([None, None, None, None, None])  # an empty row is not a row
    sheet.append(["", "", "", "", ""])
    path = tmp_path / "customers.xlsx"
    book.save(path)

    report = run(db, path, now)

    assert report.committed and report.created == 2 and report.rows == 2
    ayse, gyozo = customers(db)
    assert (ayse["given_name"], ayse["family_name"]) == ("Ayşe", "Yılmaz")
    assert ayse["phone"] == "+905321234567"  # the + a spreadsheet dropped
    assert ayse["card"] == "1000200030004"
    assert (ayse["language"], ayse["title"]) == ("tr", "ms")
    assert (gyozo["language"], gyozo["title"], gyozo["phone"]) == ("hu", "mr", "+36309876543")


def test_a_broken_xlsx_is_a_clear_message(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError) as caught:
        open_table(path)
    assert caught.value.problems[0].msgid.startswith("The spreadsheet cannot be read")


@pytest.mark.parametrize("content", [b"", b"\n\n", b";;;\n"])
def test_an_empty_file_is_a_clear_message(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError):
        open_table(path)


def test_a_missing_file_is_a_clear_message(tmp_path):
    with pytest.raises(ValidationError):
        open_table(tmp_path / "nothing.csv")


def test_preview_shows_rows_as_they_will_be_read(tmp_path):
    path = write(tmp_path, HU_FILE)
    table = open_table(path)
    rows = preview(table, guess_mapping(table.headers))
    assert rows[0] == (
        2,
        CustomerInput(given_name="Győző", family_name="Kovács", phone="06 30 987 6543"),
    )
    assert rows[1][0] == 3


def test_full_names_are_split(tmp_path, db, now):
    path = write(tmp_path, "Name;Név\nAyşe Nur Yılmaz;\n;Kovács Anna\n")
    report = run(db, path, now)
    assert report.committed, report.errors
    rows = [(c["given_name"], c["family_name"]) for c in customers(db)]
    assert rows == [("Ayşe Nur", "Yılmaz"), ("Anna", "Kovács")]


def test_full_names_split_as_the_new_customer_dialog_splits_them(tmp_path, db, now):
    """The importer and the dialog share counter.names.split_full_name."""
    path = write(tmp_path, "Name\n  Anna   Maria Kovács \nJan van der Berg\nÖdön\n")
    report = run(db, path, now)
    assert report.committed, report.errors
    rows = [(c["given_name"], c["family_name"]) for c in customers(db)]
    assert rows == [("Anna Maria", "Kovács"), ("Jan", "van der Berg"), ("Ödön", "")]


# importing -------------------------------------------------------------------------------
def test_import_in_cp1254_is_searchable(tmp_path, db, now):
    path = write(tmp_path, TR_FILE, "cp1254")
    report = run(db, path, now)
    assert report.committed and report.created == 1
    hits = find_customers(db, "sukru yilmaz")
    assert [h.given_name for h in hits] == ["Şükrü"]
    assert find_customers(db, "A1")[0].given_name == "Şükrü"
    fts_ok(db)
    entry = db.execute("SELECT action, detail FROM audit_log").fetchone()
    assert entry[0] == "import_customers" and "1 created" in entry[1]


def test_every_bad_row_is_reported_by_its_line_and_nothing_is_written(tmp_path, db, now):
    text = (
        "First name,Last name,Phone,Email\n"  # line 1
        "Anna,Kovács,+36 30 987 6543,anna@example.com\n"  # 2
        ",,,\n"  # 3: empty, not a row
        ",,+36301111111,\n"  # 4: no name
        '"Multi\nline",Name,not a phone,\n'  # 5-6: one row over two lines
        "Béla,Nagy,,not-an-email\n"  # 7
    )
    path = write(tmp_path, text)
    report = run(db, path, now, region="HU")
    assert not report.committed
    assert [(e.line, [p.field for p in e.problems]) for e in report.errors] == [
        (4, ["given_name"]),
        (5, ["phone"]),
        (7, ["email"]),
    ]
    assert customers(db) == []


def test_an_import_failing_on_row_9999_of_10000_leaves_nothing_behind(tmp_path, db, now):
    create_customer(db, CustomerInput("Zeynep", "Kaya"), now=now, phone_region="TR")
    before = dump(db.conn)
    lines = ["given_name,family_name,phone,card"]
    for i in range(10_000):
        phone = "12" if i == 9_998 else f"+90 532 {i:07d}"
        lines.append(f"Name{i},Family{i},{phone},C{i}")
    path = write(tmp_path, "\n".join(lines) + "\n")

    report = run(db, path, now)

    assert not report.committed and report.created == 9_999
    assert [e.line for e in report.errors] == [10_000]  # row 9,999 is line 10,000
    assert dump(db.conn) == before
    fts_ok(db)


def test_a_failure_while_writing_rolls_back_everything(tmp_path, db, now):
    """The disk fills up half-way (PRAGMA max_page_count): nothing of the import remains and
    the search index and its trigger are as they were."""
    before = dump(db.conn)
    lines = ["given_name,family_name,rapport_notes"]
    lines += [f"Name{i},Family{i},{'x' * 1500}" for i in range(3000)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 200}")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        run(db, path, now)
    db.execute("PRAGMA max_page_count = 1073741823")
    assert dump(db.conn) == before
    fts_ok(db)


def test_cancel_rolls_back(tmp_path, db, now):
    lines = ["given_name"] + [f"Name{i}" for i in range(2000)]
    path = write(tmp_path, "\n".join(lines))
    before = dump(db.conn)
    with pytest.raises(Cancelled):
        run(db, path, now, progress=lambda done, total: done < 1000)
    assert dump(db.conn) == before


def test_a_dry_run_writes_nothing(tmp_path, db, now):
    path = write(tmp_path, TR_FILE)
    before = dump(db.conn)
    report = run(db, path, now, dry_run=True)
    assert report.created == 1 and not report.committed and report.dry_run
    assert dump(db.conn) == before


def test_skip_invalid_imports_the_good_rows(tmp_path, db, now):
    path = write(tmp_path, "Name,Phone\nAnna Kovács,+36301234567\n,+36309999999\nBéla Nagy,\n")
    report = run(db, path, now, skip_invalid=True)
    assert report.committed and report.created == 2 and report.error_count == 1
    assert [c["given_name"] for c in customers(db)] == ["Anna", "Béla"]


def test_duplicates_by_phone_email_or_card_are_skipped(tmp_path, db, now):
    existing = create_customer(
        db,
        CustomerInput("Anna", "Kovács", phone="+36301234567", email="Anna@Example.com", card="K1"),
        now=now,
        phone_region="HU",
    )
    path = write(
        tmp_path,
        "Name,Phone,Email,Card,Notes\n"
        "Anna K,06 30 123 4567,,,likes tea\n"  # 2: same phone as Anna
        "Anna K,,anna@example.com,,\n"  # 3: same e-mail, other case
        "Anna K,,,k1,\n"  # 4: same card, typed in lower case
        "Béla Nagy,+36 20 111 2222,,,\n"  # 5: new
        "B. Nagy,+36201112222,,,\n",  # 6: same as line 5
    )
    report = run(db, path, now, region="HU")
    assert report.committed and report.created == 1 and report.skipped == 4
    found = [(d.line, d.matched_on, d.customer_id, d.first_line) for d in report.duplicates]
    assert found[:3] == [
        (2, "phone", existing.id, None),
        (3, "email", existing.id, None),
        (4, "card", existing.id, None),
    ]
    assert found[3][0] == 6 and found[3][3] == 5
    assert get_customer(db, existing.id).rapport_notes == ""  # not merged


def test_merge_fills_in_the_existing_customer(tmp_path, db, now):
    existing = create_customer(
        db, CustomerInput("Anna", "Kovács", phone="+36301234567"), now=now, phone_region="HU"
    )
    path = write(
        tmp_path,
        "Given,Family,Phone,Email,Notes\n"
        ",,06 30 123 4567,anna@example.com,likes tea\n"  # fills e-mail and notes, keeps name
        "Béla,Nagy,+36 20 111 2222,,\n"
        ",,+36 20 111 2222,,second line for Béla\n",  # merges into line 3's new customer
    )
    report = run(db, path, now, region="HU", merge=True)
    assert report.committed and (report.created, report.merged) == (1, 2)
    anna = get_customer(db, existing.id)
    assert (anna.given_name, anna.email, anna.rapport_notes) == (
        "Anna",
        "anna@example.com",
        "likes tea",
    )
    bela = customers(db)[-1]
    assert bela["rapport_notes"] == "second line for Béla"
    assert [h.id for h in find_customers(db, "bela")] == [bela["id"]]
    assert [h.id for h in find_customers(db, "anna")] == [existing.id]
    fts_ok(db)


def test_a_row_matching_two_customers_is_a_problem(tmp_path, db, now):
    create_customer(db, CustomerInput("A", phone="+36301234567"), now=now, phone_region="HU")
    create_customer(db, CustomerInput("B", card="K2"), now=now, phone_region="HU")
    path = write(tmp_path, "Name,Phone,Card\nC,+36301234567,K2\n")
    report = run(db, path, now, region="HU", merge=True)
    assert not report.committed and report.errors[0].line == 2


def test_merging_cannot_steal_another_customers_card(tmp_path, db, now):
    create_customer(db, CustomerInput("A", phone="+36301234567"), now=now, phone_region="HU")
    create_customer(db, CustomerInput("B", card="K2"), now=now, phone_region="HU")
    path = write(tmp_path, "Name,Phone,Email\nA,+36301234567,b@example.com\n")
    assert run(db, path, now, region="HU", merge=True).committed
    # A row matching A by phone that also carries B's card matches two customers: refused.
    path = write(tmp_path, "Name,Phone,Card\n,+36301234567,K2\n", name="second.csv")
    report = run(db, path, now, region="HU", merge=True)
    assert report.errors and not report.committed


def test_parallel_checking_gives_the_same_result(tmp_path, db, now):
    lines = ["given_name,family_name,phone"]
    lines += [f"Ayşe{i},Yılmaz,+90 532 {i:07d}" for i in range(3000)]
    lines[1500] = ",,"  # one bad row
    path = write(tmp_path, "\n".join(lines) + "\n")
    serial = run(db, path, now, workers=0, dry_run=True)
    parallel = run(db, path, now, workers=2, dry_run=True)
    assert (serial.created, serial.error_count) == (parallel.created, parallel.error_count)
    assert [e.line for e in serial.errors] == [e.line for e in parallel.errors]


def test_export_then_import_round_trips(tmp_path, db, now):
    for given, family, phone, card in (
        ("Şükrü", "Yılmaz", "+90 532 123 4567", "1000200030004"),
        ("Győző", "Kovács", "", ""),
        ("Rahul", "Sharma", "+91 98765 43210", ""),
        # Guarded against spreadsheet formulas on export, unguarded on import.
        ('=HYPERLINK("http://x","click")', "-2+3", "+905329876543", ""),
        ("'=already quoted", "@SUM(A1)", "", ""),
    ):
        create_customer(
            db,
            CustomerInput(
                given, family, language="tr", phone=phone, card=card, rapport_notes="a,b"
            ),
            now=now,
            phone_region="GB",
        )
    out = tmp_path / "out.csv"
    assert export_customers(db, out, now=now) == 5
    from counter.storage import open_memory_database

    other = open_memory_database()
    table = open_table(out)
    mapping = guess_mapping(table.headers)
    assert mapping[:3] == ["", "given_name", "family_name"]  # id and dates are not imported
    assert import_customers(other, table, mapping, phone_region="GB", now=now).committed
    fields = "given_name, family_name, language, phone, card, rapport_notes, search_key"
    sql = f"SELECT {fields} FROM customers ORDER BY id"
    assert list(other.query(sql)) == list(db.query(sql))
    other.close()


# big files: indexes built in bulk, search indexed in steps, checkers at low priority -------
def _bulk_file(tmp_path, rows: int):
    lines = ["given_name,family_name,phone,email,card"]
    for i in range(rows):
        email = f"p{i}@example.com" if i % 3 else ""
        lines.append(f"Ayşe{i},Yılmaz{i % 7},+90 532 {i % 900:07d},{email},C{i % 950}")
    return write(tmp_path, "\n".join(lines) + "\n")


def _lookup_indexes(db):
    return db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' "
        "ORDER BY name"
    ).fetchall()


def test_a_big_load_gives_the_same_customers_indexes_and_search(tmp_path, now, monkeypatch):
    from counter.importing import writing
    from counter.storage import open_memory_database, transfer_sql

    path = _bulk_file(tmp_path, 1200)
    plain_db = open_memory_database()
    create_customer(plain_db, CustomerInput("Zeynep", "Kaya"), now=now, phone_region="TR")
    plain = run(plain_db, path, now, merge=True, skip_invalid=True)
    monkeypatch.setattr(transfer_sql, "BULK_INDEX_FROM_ROWS", 100)
    monkeypatch.setattr(writing, "INDEX_EVERY", 250)
    monkeypatch.setattr(writing, "BATCH", 100)
    bulk_db = open_memory_database()
    create_customer(bulk_db, CustomerInput("Zeynep", "Kaya"), now=now, phone_region="TR")
    indexes = _lookup_indexes(bulk_db)
    bulk = run(bulk_db, path, now, merge=True, skip_invalid=True)

    assert bulk.committed and plain.committed and plain.merged and plain.error_count
    assert (bulk.created, bulk.merged, bulk.error_count) == (
        plain.created,
        plain.merged,
        plain.error_count,
    )
    assert customers(bulk_db) == customers(plain_db)
    assert _lookup_indexes(bulk_db) == indexes and len(indexes) >= 4
    fts_ok(bulk_db)
    for text in ("ayse1", "yilmaz3", "0000123", "C17", "p5"):
        assert find_customers(bulk_db, text) == find_customers(plain_db, text)


def _fts_configs(db):
    return [
        list(db.execute(f"SELECT k, v FROM {table}_config ORDER BY k"))
        for table in ("customers_fts", "customers_recent_fts")
    ]


@pytest.mark.parametrize("hashsize", [None, 2 << 20])
def test_a_big_load_leaves_the_search_indexes_settings_as_they_were(
    tmp_path, db, now, monkeypatch, hashsize
):
    """A big load lets the search indexes keep more in memory while it indexes; afterwards
    their settings are as they were: the value a file had, or none (the default)."""
    from counter.importing import writing
    from counter.storage import transfer_sql

    monkeypatch.setattr(transfer_sql, "BULK_INDEX_FROM_ROWS", 100)
    monkeypatch.setattr(writing, "INDEX_EVERY", 250)
    if hashsize:
        db.execute(
            "INSERT INTO customers_fts (customers_fts, rank) VALUES ('hashsize', ?)", [hashsize]
        )
    before = _fts_configs(db)
    set_during = []
    real_index = transfer_sql.BulkCustomerWriter.index_new_rows

    def index_new_rows(self):
        set_during.append(_fts_configs(db))
        real_index(self)

    monkeypatch.setattr(transfer_sql.BulkCustomerWriter, "index_new_rows", index_new_rows)
    report = run(db, _bulk_file(tmp_path, 1200), now, skip_invalid=True)
    assert report.committed and report.created > 500
    assert ["hashsize", transfer_sql.IMPORT_FTS_HASH_BYTES] in [
        list(kv) for configs in set_during[0] for kv in configs
    ]
    assert _fts_configs(db) == before
    fts_ok(db)


def test_a_cancelled_big_load_leaves_indexes_and_search_as_they_were(
    tmp_path, db, now, monkeypatch
):
    from counter.importing import writing
    from counter.storage import transfer_sql

    monkeypatch.setattr(transfer_sql, "BULK_INDEX_FROM_ROWS", 100)
    monkeypatch.setattr(writing, "INDEX_EVERY", 250)
    monkeypatch.setattr(writing, "BATCH", 100)
    path = _bulk_file(tmp_path, 1200)
    before = dump(db.conn)
    with pytest.raises(Cancelled):
        run(db, path, now, progress=lambda done, total: done < 1000)
    assert dump(db.conn) == before
    fts_ok(db)


@pytest.mark.parametrize("collector_on", [True, False])
def test_a_big_import_leaves_the_process_as_it_found_it(
    tmp_path, db, now, monkeypatch, collector_on
):
    """What a big import may tune for speed (the garbage collector) never leaks into the app's
    own process: its priority and its collector are as they were after an import, a cancelled
    one and a dry run; and the customers are all there."""
    import gc
    import os

    from counter.importing import checking

    monkeypatch.setattr(checking, "PARALLEL_FROM_ROWS", 100)
    path = _bulk_file(tmp_path, 1200)
    niceness = os.nice(0) if hasattr(os, "nice") else None
    (gc.enable if collector_on else gc.disable)()
    try:
        with pytest.raises(Cancelled):
            run(db, path, now, workers=2, progress=lambda done, total: False)
        assert gc.isenabled() is collector_on and customers(db) == []
        run(db, path, now, workers=2, dry_run=True)
        assert gc.isenabled() is collector_on and customers(db) == []
        report = run(db, path, now, workers=2, skip_invalid=True)
        assert gc.isenabled() is collector_on
    finally:
        gc.enable()
    assert report.committed and len(customers(db)) == report.created > 0
    if niceness is not None:
        assert os.nice(0) == niceness


def test_parallel_checking_reads_every_cell_as_the_serial_one(tmp_path, now):
    """Rows go to the workers as one string per row; cells holding the separator itself,
    quotes, commas and line breaks arrive as they were."""
    from counter.storage import open_memory_database

    lines = ["given_name,family_name,phone,rapport_notes"]
    lines += [f'Ayşe{i},"Yıl, maz",+90 532 {i:07d},"a ""b""\nc"' for i in range(2500)]
    lines[10] = "Unit\x1fSep,Kaya,,x\x1fy"
    lines[20] = "\x1f,,+90 532 9999999,\x1f"  # no name: a problem
    lines[30] = "Solo"
    path = write(tmp_path, "\n".join(lines) + "\n")
    serial_db, parallel_db = open_memory_database(), open_memory_database()
    serial = run(serial_db, path, now, workers=0, skip_invalid=True)
    parallel = run(parallel_db, path, now, workers=2, skip_invalid=True)
    assert serial.committed and parallel.committed and serial.error_count == 1
    assert customers(parallel_db) == customers(serial_db)
    assert [(e.line, e.problems) for e in parallel.errors] == [
        (e.line, e.problems) for e in serial.errors
    ]
