"""What the customer-facing screen says to the customer of a visit, in their language: the
store's name, a greeting that addresses them as the phrase panel does, and the question
texts. Only these: never another customer, the queue, notes, history or staff-only text
(a manager's phrase may quote rapport notes, so the screen does not show phrases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING

from counter import feedback
from counter.address import form_of_address
from counter.customers import get_customer
from counter.i18n import N_, SOURCE_LANGUAGE, Translator, available_languages
from counter.phrase_templates import day_greeting, greeting_period
from counter.settings import load_settings
from counter.visits import load_visit

if TYPE_CHECKING:
    from sqlite_utils import Database

GREETING_WITH_NAME = N_("{greeting}, {address}!")
GREETING_WITHOUT_NAME = N_("{greeting}!")
WELCOME = N_("Welcome to {store}.")


@dataclass(frozen=True)
class ScreenTexts:
    """Everything the customer screen may show for one visit, already in the customer's
    language (``language``)."""

    visit_id: int
    language: str
    store_name: str
    greeting: str  # "Günaydın, Ayşe Hanım!"
    welcome: str  # "Welcome to Corner Pharmacy." ('' when the store has no name)
    question: str
    reason_question: str
    thanks: str
    skip: str
    faces: tuple[tuple[int, str], ...]  # (face, its name for a screen reader)
    reasons: tuple[tuple[str, str], ...]  # (key or the store's text, what the customer reads)
    right_to_left: bool = False


def _language(customer_language: str, store_language: str) -> str:
    spoken = set(available_languages())
    for code in (customer_language, store_language):
        if code and code.split("_")[0] in spoken:
            return code.split("_")[0]
    return SOURCE_LANGUAGE


def screen_texts(db: Database, visit_id: int, *, now: int, tz: tzinfo | None) -> ScreenTexts:
    """The texts for the customer of ``visit_id``, in their language (else the store's)."""
    visit = load_visit(db, visit_id)
    settings = load_settings(db)
    language = _language(visit.language, settings.store_language)
    tr = Translator(language, tz=tz)
    word = day_greeting(tr, greeting_period(tr, now))
    address = ""
    if visit.customer_id is not None:
        address = form_of_address(get_customer(db, visit.customer_id).name_parts, language)
    elif visit.customer_name:
        address = visit.customer_name  # a walk-in's name, as they gave it
    greeting = (
        tr.gettext(GREETING_WITH_NAME).format(greeting=word, address=address)
        if address
        else tr.gettext(GREETING_WITHOUT_NAME).format(greeting=word)
    )
    store = settings.store_name.strip()
    return ScreenTexts(
        visit_id=visit_id,
        language=language,
        store_name=store,
        greeting=greeting,
        welcome=tr.gettext(WELCOME).format(store=store) if store else "",
        question=tr.gettext(feedback.QUESTION),
        reason_question=tr.gettext(feedback.REASON_QUESTION),
        thanks=tr.gettext(feedback.THANKS),
        skip=tr.gettext(feedback.SKIP_REASON),
        faces=tuple((f, feedback.face_name(f, tr.gettext)) for f in feedback.FACES),
        reasons=tuple(
            (key, feedback.reason_label(key, tr.gettext))
            for key in feedback.configured_reasons(db, language)
        ),
        right_to_left=tr.right_to_left,
    )
