"""Errors the domain reports to people: a message id (marked with N_ for extraction) plus
named values, translated and formatted by whoever shows it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: which field, and why (a msgid with ``{named}`` values)."""

    field: str
    msgid: str
    # dataclasses.field: the attribute above named ``field`` shadows the bare name here.
    params: dict[str, str | int] = dataclasses.field(default_factory=dict)


class ValidationError(ValueError):
    """Input refused at the boundary; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.msgid}" for p in problems))
        self.problems = problems


class NotFound(LookupError):
    """The record asked for does not exist (or was erased)."""


class PermissionDenied(PermissionError):
    """A manager-only function was called without a signed-in manager's session."""
