"""A domain problem's numbers are written as the UI language writes them."""

from __future__ import annotations

from counter.errors import Problem, ValidationError
from counter.i18n import Translator
from ui.error_text import error_text


def test_numbers_in_problems_go_through_babel(ui_language):
    error = ValidationError(
        [Problem("notes", "At most {count} characters ({name}).", {"count": 2000, "name": "x"})]
    )
    assert error_text(error) == "At most 2,000 characters (x)."
    ui_language.set_language("hu")
    assert error_text(error) == f"At most {Translator('hu').number(2000)} characters (x)."
    assert "2000" not in error_text(error)


def test_hungarian_articles_follow_the_number_filled_in(ui_language, qapp):
    from ui.import_dialog import _duplicate_text

    ui_language.set_language("hu")
    msgid = "The file cannot be read from line {line} on: {reason}"
    said = {
        line: error_text(ValidationError([Problem("file", msgid, {"line": line, "reason": "x"})]))
        for line in (1, 2, 5, 1000, 10_000)
    }
    assert said[1] == "A fájl az 1. sortól nem olvasható: x"
    assert said[2] == "A fájl a 2. sortól nem olvasható: x"
    assert said[5].startswith("A fájl az 5.")
    assert said[1000].startswith("A fájl az 1")  # ezredik, written "1 000."
    assert said[10_000].startswith("A fájl a 10")  # tízezredik
    assert _duplicate_text("email", 1) == "Ugyanaz az e-mail-cím, mint az 1. sorban."
    assert _duplicate_text("card", 3) == "Ugyanaz a hűségkártya, mint a 3. sorban."
