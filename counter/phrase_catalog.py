"""The phrases Counter ships: for each step of a visit, gettext messages with a context per
step (``phrase:greet`` ...) and named placeholders (:mod:`counter.phrase_templates` fills
them), each written for an audience (first visit, returning, anyone); and the time-of-day
greetings the ``{greeting}`` placeholder says.

Light on purpose: the counter screen lays out its phrase panel from :data:`STEPS` and
:data:`MAX_PHRASES` before any phrase is asked for (:mod:`counter.phrase_suggestions` is
loaded with the first customer).
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.i18n import NP_, SOURCE_LANGUAGE, Translator, base_language

STEPS = ("greet", "rapport", "needs", "solution", "thank", "complaint", "farewell")
MAX_PHRASES = 3  # shown for a step
# Why the phrases are not in the customer's own language.
NO_LANGUAGE, NO_CATALOG = "no_language", "no_catalog"

ANY, FIRST, RETURNING = "any", "first", "returning"


@dataclass(frozen=True)
class CatalogPhrase:
    step: str
    msgid: str
    audience: str = ANY
    spare: bool = False  # offered only when too few others fit (phrase_suggestions.MIN_PHRASES)

    @property
    def context(self) -> str:
        return f"phrase:{self.step}"


def _phrase(marked: tuple[str, str], audience: str = ANY, *, spare: bool = False) -> CatalogPhrase:
    context, msgid = marked
    return CatalogPhrase(context.removeprefix("phrase:"), msgid, audience, spare)


# In order of preference within a step: the ones that use what we know about this customer
# come first.
CATALOG: tuple[CatalogPhrase, ...] = (
    _phrase(NP_("phrase:greet", "{greeting}, {address}! How nice to see you again."), RETURNING),
    _phrase(
        NP_("phrase:greet", "{greeting}, {address}! I'm {staff} — welcome, it's nice to meet you."),
        FIRST,
    ),
    _phrase(NP_("phrase:greet", "{greeting}, {address}! Welcome to {store}.")),
    _phrase(NP_("phrase:greet", "{greeting}, {address}! Welcome."), spare=True),
    _phrase(
        NP_(
            "phrase:rapport",
            "Last time you needed help with “{need}” — is everything all right now?",
        ),
        RETURNING,
    ),
    _phrase(NP_("phrase:rapport", "Last time we talked about “{note}” — how is it going?")),
    _phrase(NP_("phrase:rapport", "We last saw you {since} — how have you been?"), RETURNING),
    _phrase(
        NP_("phrase:rapport", "Is this your first time with us? How did you hear about us?"),
        FIRST,
    ),
    _phrase(NP_("phrase:rapport", "How has your day been so far?")),
    _phrase(NP_("phrase:needs", "Is it about “{need}” again, or something new today?"), RETURNING),
    _phrase(NP_("phrase:needs", "What brings you in today?")),
    _phrase(NP_("phrase:needs", "How can I help you today, {address}?")),
    _phrase(
        NP_(
            "phrase:needs",
            "Could you tell me a little more, so that we understand exactly what you need?",
        )
    ),
    _phrase(NP_("phrase:solution", "From what you've told me, this is what I would suggest:")),
    _phrase(NP_("phrase:solution", "Take your time — there's no need to decide today.")),
    _phrase(
        NP_(
            "phrase:solution",
            "We'll look after this ourselves and call you as soon as there is news.",
        )
    ),
    _phrase(
        NP_("phrase:thank", "Thank you for coming back to us, {address} — it's always a pleasure."),
        RETURNING,
    ),
    _phrase(
        NP_(
            "phrase:thank",
            "Thank you, {address}, for the chance to help you today; "
            "we hope to see you again soon.",
        )
    ),
    _phrase(NP_("phrase:thank", "Thank you for choosing {store}, {address}.")),
    _phrase(
        NP_("phrase:complaint", "I understand why this is frustrating, {address}, and I'm sorry.")
    ),
    _phrase(
        NP_(
            "phrase:complaint", "Thank you for telling us. Could you walk me through what happened?"
        )
    ),
    _phrase(
        NP_(
            "phrase:complaint",
            "We will put this right — let me tell you exactly what we'll do, and by when.",
        )
    ),
    _phrase(NP_("phrase:farewell", "Goodbye, {address}, and take care!")),
    _phrase(NP_("phrase:farewell", "See you next time, {address}!")),
    _phrase(
        NP_(
            "phrase:farewell",
            "If you need anything, just ask for me — my name is {staff}. Goodbye!",
        )
    ),
)

# CLDR day period ids (Babel, "selection" rules) -> the greeting for that part of the day.
# Each language divides the day its own way: Hungarian has an early morning (morning1) and a
# late morning (morning2), Turkish a late afternoon (afternoon2); every catalog translates
# all ids. The night periods never greet by themselves: see
# counter.phrase_templates.greeting_period.
DAY_PERIOD_GREETINGS: dict[str, tuple[str, str]] = {
    "morning1": NP_("daypart:morning1", "Good morning"),
    "morning2": NP_("daypart:morning2", "Good morning"),
    "afternoon1": NP_("daypart:afternoon1", "Good afternoon"),
    "afternoon2": NP_("daypart:afternoon2", "Good afternoon"),
    "evening1": NP_("daypart:evening1", "Good evening"),
    "evening2": NP_("daypart:evening2", "Good evening"),
}
OTHER_GREETING = NP_("daypart:other", "Hello")


def catalog_for(step: str) -> list[CatalogPhrase]:
    return [p for p in CATALOG if p.step == step]


def catalog_text(phrase: CatalogPhrase, translator: Translator) -> str:
    """The catalog phrase in the translator's language; '' when it is not translated."""
    text = translator.pgettext(phrase.context, phrase.msgid)
    if base_language(translator.language) != SOURCE_LANGUAGE and text == phrase.msgid:
        return ""
    return text
