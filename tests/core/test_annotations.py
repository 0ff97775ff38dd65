"""Annotations that resolve to what they say (mypy checks them in `make test`; this keeps the
one that read as a method at run time honest for tools that evaluate them, like dataclasses
and typing.get_type_hints)."""

from __future__ import annotations

import datetime
import typing

from counter.i18n import Translator


def test_translator_day_takes_a_date_not_the_date_method():
    # Inside the class body ``date`` is the method Translator.date: an annotation written
    # ``day: date`` named that method, not datetime.date.
    hints = typing.get_type_hints(Translator.day, localns=dict(vars(Translator)))
    assert hints["day"] is datetime.date
    hints = typing.get_type_hints(Translator.day_skeleton, localns=dict(vars(Translator)))
    assert hints["day"] is datetime.date
