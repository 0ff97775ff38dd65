"""The shared cleaning of typed and pasted text."""

import sqlite3
import unicodedata

import pytest

from counter.text import clean_line, clean_lines, clean_text, has_visible, length_problem


def test_clean_line_separates_words_at_control_characters():
    assert clean_line("phone\nscreen\tcracked\x00 ") == "phone screen cracked"


def test_lone_surrogates_are_dropped_so_the_text_can_be_stored():
    cleaned = clean_line("scr\ud800een")
    assert cleaned == "screen"
    sqlite3.connect(":memory:").execute("SELECT ?", [cleaned])  # would raise on a surrogate
    assert clean_text("Ay\udfffşe") == "Ayşe"


def test_clean_text_keeps_lines_only_when_asked():
    assert clean_text("a\nb\x07", multiline=True) == "a\nb"
    assert clean_text("a\nb") == "a b"  # the same rule as every one-line field


def test_length_problem():
    assert length_problem("need", "x" * 5, 5) is None
    assert length_problem("need", "x" * 6, 5).params == {"count": 5}


# one rule for every field --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("\x1b[0;31mAyşe\x1b[0m", "Ayşe"),  # the whole escape goes, not just ESC
        ("\x1b[1;4;38;5;196mAnna", "Anna"),
        ("Ay\x1b[1mşe", "Ayşe"),  # as the terminal showed it
        ("\x1b]0;window title\x07Bob", "Bob"),  # OSC, ended by BEL
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),  # a hyperlink, ended by ST
        ("\x1b(BAnna\x1b7", "Anna"),
        ("Anna\x1b", "Anna"),
        ("phone\nscreen\r\ncracked", "phone screen cracked"),  # separators: a space
        ("Ay\x00şe\x07\x7f", "Ayşe"),  # other controls: dropped
        ("A\x9bB", "AB"),  # a lone C1 byte takes nothing with it
        ("\u200bAnna\u200f", "Anna"),  # invisible edges trimmed
        ("\ufeffAn\ufeffna", "Anna"),
        ("Anna\u00a0\u3000Kovács", "Anna Kovács"),
        ("क्\u200dष", "क्\u200dष"),  # the joiner inside stays
        ("\u2066Anna\u2069 שלום", "Anna\u2069 שלום"),
        ("S\u0327u\u0308kru\u0308", "Şükrü"),
    ],
)
def test_one_line_rule(typed, clean):
    assert clean_line(typed) == clean
    assert clean_text(typed) == clean


@pytest.mark.parametrize(
    "typed",
    ["\u200b", "\u200b\u200c\u200d", "\u200e\u200f\u2066\u2069", "\u00a0\u3000 \t",
     "\ufeff", "\u3164", "\u115f\u1160", "\u2800", "\u0301\u0301", "\x1b[0m", "\x00\x07"],
)  # fmt: skip
def test_a_line_of_only_invisible_characters_is_empty(typed):
    assert "\x1b" in typed or not has_visible(typed)
    assert clean_line(typed) == ""
    assert clean_text(typed, multiline=True) == ""


def test_multi_line_fields_follow_the_same_rule_per_line():
    typed = "\x1b[31mfirst\x1b[0m\r\n\r\n\r\n\u200b\n\tsecond\x00 line\tend\u2028third\n\n"
    assert clean_lines(typed) == "first\n\nsecond line\tend\nthird"


def test_every_caller_cleans_alike():
    """Customers, visits, follow-ups, settings, staff: the same text, the same result."""
    from counter.auth import clean_name

    typed = "\x1b[0;31mphone\nscreen\x00\u200b"
    assert clean_name(typed)[0] == clean_line(typed) == "phone screen"


def _clean_line_by_the_rule(text):
    """The rule step by step, with none of clean_line's short cuts for usual text."""
    from counter import text as module

    line = unicodedata.normalize(
        "NFC", module._trim(module._squeeze(module._control_to_space(module._prepared(text))))
    )
    return line if has_visible(line) else ""


def test_the_short_cuts_for_usual_text_follow_the_rule():
    """clean_line takes short cuts for printable text (an import cleans millions of names):
    every character of the Basic Multilingual Plane, alone and between letters, comes out as
    the rule makes it."""
    for code in range(0xD800):  # below the surrogates; the rest of the plane below
        ch = chr(code)
        for typed in (ch, f" {ch} ", f"{ch}a", f"a {ch}", f"{ch}\u0301", f"Ş{ch}"):
            assert clean_line(typed) == _clean_line_by_the_rule(typed), typed
    for code in range(0xE000, 0x10000, 3):
        ch = chr(code)
        for typed in (ch, f"{ch}a", f"a {ch}"):
            assert clean_line(typed) == _clean_line_by_the_rule(typed), typed
