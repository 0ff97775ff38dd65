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
