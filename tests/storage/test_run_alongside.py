"""run_alongside: a read on a second connection and thread, or inline where that would not
see what the caller sees."""

from __future__ import annotations

import threading

import pytest

from counter.storage import open_database, open_memory_database, write_transaction
from counter.storage.connection import database_file, run_alongside


def _count(reader) -> tuple[int, str]:
    rows = reader.execute("SELECT count(*) FROM staff").fetchone()[0]
    return rows, threading.current_thread().name


def _add_staff(db, name: str) -> None:
    db.execute("INSERT INTO staff (name, created_at) VALUES (?, 0)", [name])


def test_a_file_is_read_on_another_thread_with_its_own_connection(tmp_path):
    db = open_database(tmp_path / "store.db")
    try:
        _add_staff(db, "Ayşe")
        seen = []

        def read(reader):
            seen.append(reader)
            with pytest.raises(Exception, match="readonly"):
                _add_staff(reader, "Emma")
            return _count(reader)

        rows, thread = run_alongside(db, read)()
        assert rows == 1 and thread.startswith("counter-reader")
        assert seen[0] is not db
    finally:
        db.close()


def test_inside_a_transaction_it_runs_inline_and_sees_the_uncommitted_rows(tmp_path):
    db = open_database(tmp_path / "store.db")
    try:
        with write_transaction(db):
            _add_staff(db, "Şükrü")
            rows, thread = run_alongside(db, _count)()
        assert rows == 1 and thread == threading.current_thread().name
    finally:
        db.close()


def test_an_in_memory_database_runs_inline():
    db = open_memory_database()
    assert database_file(db) is None
    _add_staff(db, "Priya")
    assert run_alongside(db, _count)() == (1, threading.current_thread().name)


def test_its_error_reaches_the_caller_when_it_waits(tmp_path):
    db = open_database(tmp_path / "store.db")
    try:
        wait = run_alongside(db, lambda reader: reader.execute("SELECT nope FROM staff"))
        with pytest.raises(Exception, match="no such column"):
            wait()
    finally:
        db.close()
