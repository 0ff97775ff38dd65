"""The shared cleaning of typed and pasted text."""

import sqlite3

from counter.text import clean_line, clean_text, length_problem


def test_clean_line_separates_words_at_control_characters():
    assert clean_line("phone\nscreen\tcracked\x00 ") == "phone screen cracked"


def test_lone_surrogates_are_dropped_so_the_text_can_be_stored():
    cleaned = clean_line("scr\ud800een")
    assert cleaned == "screen"
    sqlite3.connect(":memory:").execute("SELECT ?", [cleaned])  # would raise on a surrogate
    assert clean_text("Ay\udfffşe") == "Ayşe"


def test_clean_text_keeps_lines_only_when_asked():
    assert clean_text("a\nb\x07", multiline=True) == "a\nb"
    assert clean_text("a\nb") == "ab"


def test_length_problem():
    assert length_problem("need", "x" * 5, 5) is None
    assert length_problem("need", "x" * 6, 5).params == {"count": 5}
