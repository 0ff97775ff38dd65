"""Property-based tests (Hypothesis): the fold function and the customer storage round trip."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from counter.customers import CustomerInput, create_customer, get_customer, validate
from counter.errors import ValidationError
from counter.search import find_customers, fold, fold_uncached, tokens
from counter.storage import open_memory_database

# Letters from the scripts Counter's customers write in, plus everything else now and then.
NAME_ALPHABET = st.sampled_from(
    list("abcçdefgğhıijklmnoöprsştuüvyzABCÇĞIİÖŞÜ áäčďéíĺľňóôŕšťúýžőű-'")
    + list("राहुलशर्माकिीुूेैोौंःँ्")
    + ["\u0301", "\u0307", "\u200d"]
)
names = st.text(NAME_ALPHABET, min_size=0, max_size=30)
anything = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


@given(anything)
def test_fold_is_the_same_with_and_without_the_cache(text):
    assert fold(text) == fold_uncached(text)


@given(anything)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(anything)
def test_fold_gives_lower_case_word_tokens(text):
    folded = fold(text)
    assert folded == " ".join(tokens(folded))
    assert folded == folded.casefold() or not folded.isascii()
    assert "  " not in folded and folded == folded.strip()


@given(names)
def test_fold_strips_latin_accents_and_turkish_i(text):
    folded = fold(text)
    for ch in "çğışöüáäčďéíĺľňóôŕšťúýžőű":
        assert ch not in folded
    assert "İ".lower() not in folded


@given(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=12))
def test_plain_latin_words_fold_to_themselves(word):
    assert fold(word.upper()) == word


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    given_name=names,
    family_name=names,
    native_name=names,
    notes=st.text(max_size=200),
    card=st.text(st.sampled_from("AB12cd -"), max_size=20),
    language=st.sampled_from(["", "en", "tr", "sk", "hu", "hi"]),
    title=st.sampled_from(["", "ms", "mr", "mx"]),
    formality=st.sampled_from(["formal", "informal"]),
)
def test_what_is_stored_is_what_validate_promised(
    given_name, family_name, native_name, notes, card, language, title, formality
):
    data = CustomerInput(
        given_name=given_name,
        family_name=family_name,
        native_name=native_name,
        language=language,
        formality=formality,
        title=title,
        card=card,
        rapport_notes=notes,
    )
    try:
        values = validate(data, phone_region="TR")
    except ValidationError:
        return
    db = open_memory_database()
    try:
        customer = create_customer(db, data, now=1, phone_region="TR")
        stored = get_customer(db, customer.id)
        for field in (
            "given_name",
            "family_name",
            "native_name",
            "language",
            "formality",
            "title",
            "card",
            "rapport_notes",
        ):
            assert getattr(stored, field) == values[field]
        assert unicodedata.is_normalized("NFC", stored.given_name)
        # The round trip goes on through the edit form: stored values validate to themselves.
        assert validate(stored.to_input(), phone_region="TR") == values
        # And the person can be found again by their folded name.
        # (As stored: a name part that shows nothing, a lone vowel sign, is cleaned away.)
        word = fold(f"{values['given_name']} {values['family_name']}").split()
        assume(word)
        assert customer.id in [h.id for h in find_customers(db, word[0], limit=5)]
    finally:
        db.close()


@given(st.text(st.characters(max_codepoint=127), max_size=60))
def test_fold_of_ascii_text_takes_the_short_way_to_the_same_result(text):
    assert fold(text) == fold_uncached(text)
