"""The steps phrases are suggested for and how many are shown: what the counter screen needs
to lay out its phrase panel before any phrase is asked for (:mod:`counter.phrases` is loaded
with the first customer)."""

from __future__ import annotations

STEPS = ("greet", "rapport", "needs", "solution", "thank", "complaint", "farewell")
MAX_PHRASES = 3
# Why the phrases are not in the customer's own language.
NO_LANGUAGE, NO_CATALOG = "no_language", "no_catalog"
