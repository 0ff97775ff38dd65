"""Hungarian "a" or "az" before a filled-in word, by how the word is said: "Az 1 Stop Shop
nevében" (egy), "a 2. sorban", "az SZTK" (esz-té-ká), "a MÁV". Every Hungarian message that
puts an article before a placeholder is settled once it is filled."""

from __future__ import annotations

import re
from datetime import UTC

import pytest
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from counter.address import NameParts
from counter.articles import hungarian_vowel_sound, prepare, resolve
from counter.i18n import LOCALES_DIR, Translator
from counter.phrase_overrides import preview
from counter.phrase_suggestions import suggest_phrases
from counter.phrase_templates import PhraseContext
from tests.i18n.build import ensure_compiled


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    ensure_compiled()


def article(word: str) -> str:
    return "az" if hungarian_vowel_sound(word) else "a"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # numbers, as they are read: egy, öt, ötven, ötszáz, ezer, egymillió take "az"
        ("1 Stop Shop", "az"),
        ("1", "az"),
        ("5", "az"),
        ("50", "az"),
        ("500", "az"),
        ("5000", "az"),
        ("1000", "az"),
        ("1 000", "az"),
        ("1\u00a0000", "az"),
        ("1.500", "az"),
        ("1 000 000", "az"),
        ("1,5", "az"),  # egy egész öt
        ("2", "a"),
        ("10", "a"),  # tíz
        ("15", "a"),  # tizenöt
        ("100", "a"),  # száz
        ("150", "a"),
        ("10 000", "a"),  # tízezer
        ("0", "a"),  # nulla
        ("3M", "a"),
        # words
        ("egy", "az"),
        ("öt", "az"),
        ("ezer", "az"),
        ("Élelmiszer", "az"),
        ("Optika", "az"),
        ("Corner", "a"),
        ("Kovács", "a"),
        ("Spar", "a"),
        # acronyms spelled out by letter names (esz, em, iksz ...) or read as words
        ("SZTK", "az"),  # esz-té-ká
        ("MTI", "az"),  # em-té-i
        ("SMS", "az"),  # es-em-es
        ("X", "az"),  # iksz
        ("F", "az"),  # ef
        ("BKV", "a"),  # bé-ká-vé
        ("TV", "a"),  # té-vé
        ("B2B", "a"),
        ("OTP", "az"),
        ("MÁV", "a"),  # read as a word
        ("NAV", "a"),
        ("SPAR", "a"),
        ("LIDL", "a"),
        ("IKEA", "az"),
    ],
)
def test_the_article_follows_the_sound(word, expected):
    assert article(word) == expected


_ONES = ["", "egy", "kettő", "három", "négy", "öt", "hat", "hét", "nyolc", "kilenc"]
_TENS = ["", "tíz", "húsz", "harminc", "negyven", "ötven", "hatvan", "hetven", "nyolcvan"]
_TENS += ["kilencven"]


def said(n: int) -> str:
    """How Hungarian reads a whole number (the test's own oracle, first words only)."""
    if n == 0:
        return "nulla"
    if n >= 1_000_000:
        return said(n // 1_000_000) + "millió"
    if n >= 1000:
        return ("" if n // 1000 == 1 else said(n // 1000)) + "ezer"
    if n >= 100:
        return ("" if n // 100 == 1 else said(n // 100)) + "száz"
    if n >= 10:
        return _TENS[n // 10] + _ONES[n % 10]
    return _ONES[n]


@given(st.integers(min_value=0, max_value=999_999_999))
def test_numbers_take_the_article_of_their_reading(n):
    expected = "az" if said(n)[0] in "aáeéiíoóöőuúüű" else "a"
    assert article(str(n)) == expected, said(n)
    assert article(format_decimal(n, locale="hu")) == expected  # 1 000 with a no-break space
    assert article(f"{n}. sorban") == expected  # ordinals: első, ötödik, második


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("A(z) {store} nevében", "1 Stop Shop", "Az 1 Stop Shop nevében"),
        ("A(z) {store} nevében", "Corner", "A Corner nevében"),
        ("A {store} nevében", "Élelmiszer", "Az Élelmiszer nevében"),  # a manager's own
        ("Az {store} nevében", "Corner", "A Corner nevében"),
        ("mint a(z) „{store}”", "SZTK", "mint az „SZTK”"),
        ("Vár a {store}!", "5 Pont", "Vár az 5 Pont!"),
        ("Kávé {store}", "1", "Kávé 1"),  # no article: nothing changes
        ("Ma a(z) {store}", "/home/anna", "Ma a(z) /home/anna"),  # not a word: left open
    ],
)
def test_prepare_and_resolve(template, value, expected):
    assert resolve(prepare(template, "hu").format(store=value), "hu") == expected


def test_other_languages_are_left_alone():
    assert resolve(prepare("A {store} a(z)", "en").format(store="1"), "en") == "A 1 a(z)"


def _hungarian_messages_with_an_article_before_a_placeholder():
    with (LOCALES_DIR / "hu" / "LC_MESSAGES" / "counter.po").open("rb") as f:
        catalog = read_po(f)
    pattern = re.compile(r"(?<![\w(])[Aa](?:\(z\)|z)?\s+[„“\"'(«]?\{(\w+)\}")
    found = []
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            if text and pattern.search(text):
                found.append(text)
    return found


def test_the_catalog_has_such_messages():
    # the store's name in two phrases, the line of a file, a folder
    assert len(_hungarian_messages_with_an_article_before_a_placeholder()) >= 9


@pytest.mark.parametrize("text", _hungarian_messages_with_an_article_before_a_placeholder())
@pytest.mark.parametrize(("value", "expected"), [("1", "az"), ("2", "a"), ("SZTK", "az")])
def test_every_hungarian_article_before_a_placeholder_is_settled(text, value, expected):
    names = {name for name in re.findall(r"\{(\w+)\}", text)}
    filled = Translator("hu").fill(text, **dict.fromkeys(names, value))
    assert "(z)" not in filled
    spoken = re.findall(r"(?<![\w(])([Aa]z?)\s+[„“\"'(«]?" + re.escape(value), filled)
    assert spoken and all(a.lower() == expected for a in spoken), filled


@pytest.mark.parametrize(
    ("store", "expected"),
    [
        ("1 Stop Shop", "Az 1 Stop Shop nevében"),
        ("SZTK Patika", "Az SZTK Patika nevében"),
        ("Corner Pharmacy", "A Corner Pharmacy nevében"),
        ("5 Elem Bolt", "Az 5 Elem Bolt nevében"),
    ],
)
def test_the_greeting_says_az_before_a_store_read_with_a_vowel(store, expected):
    result = suggest_phrases(
        NameParts("Anna", "Kovács", title="ms"),
        "hu",
        "greet",
        now=1_795_512_600,
        context=PhraseContext(store_name=store, staff_name="Zuzana"),
        store_language="hu",
        ui_language="hu",
        tz=UTC,
    )
    assert any(expected in p.text for p in result.phrases), [p.text for p in result.phrases]
    assert preview("A(z) {store} köszönti!", "hu", now=1_795_512_600, store_name=store).startswith(
        expected.split(" nevében")[0]
    )
