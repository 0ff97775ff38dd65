"""The translation catalogs: in step with the sources, complete, placeholders intact, and
Plural-Forms headers that agree with CLDR (pybabel writes wrong ones for hu, tr and hi)."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from counter.i18n import LOCALES_DIR
from counter.phrase_catalog import CATALOG, DAY_PERIOD_GREETINGS, OTHER_GREETING

ROOT = LOCALES_DIR.parent
LANGUAGES = sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/counter.po"))
# The same keywords as `make extract`.
KEYWORDS = ["N_", "NP_:1c,2", "pgettext:1c,2", "npgettext:1c,2,3"]


def _fix_plural_forms():
    spec = importlib.util.spec_from_file_location(
        "fix_plural_forms", ROOT / "scripts" / "fix_plural_forms.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _po(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / "counter.po"


def _read(path: Path, language: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _header(path: Path) -> dict[str, str]:
    """The header entry as written in the file (pybabel may wrap it over several lines)."""
    lines = path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    start = lines.index('msgstr ""') + 1
    joined = "".join(line[1:-1] for line in lines[start:] if line.startswith('"'))
    pairs = (item.split(": ", 1) for item in joined.split("\\n") if ": " in item)
    return {name: value for name, value in pairs}


def _key(message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def _messages(catalog):
    return [m for m in catalog if m.id]


def _fields(text: str) -> set[str]:
    return {field for _l, field, _s, _c in string.Formatter().parse(text) if field is not None}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str | None, str]]:
    pot = tmp_path_factory.mktemp("pot") / "counter.pot"
    args = ["pybabel", "-q", "extract", "-F", str(LOCALES_DIR / "babel.cfg")]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    args += ["--no-location", "-o", str(pot), str(ROOT / "counter"), str(ROOT / "ui")]
    CommandLineInterface().run(args)
    return {_key(m) for m in _messages(_read(pot))}


def test_languages_have_catalogs():
    assert {"tr", "sk", "hu", "hi"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_phrase_is_translated(language):
    catalog = _read(_po(language), language)
    wanted = [(p.context, p.msgid) for p in CATALOG]
    wanted += [*DAY_PERIOD_GREETINGS.values(), OTHER_GREETING]
    missing = []
    for context, msgid in wanted:
        message = catalog.get(msgid, context=context)
        if message is None or not message.string or message.fuzzy:
            missing.append(f"{context}: {msgid}")
    assert not missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_up_to_date_with_the_sources(language, extracted):
    # read_po keeps obsolete (#~) entries apart, in catalog.obsolete: iterating skips them.
    in_catalog = {_key(m) for m in _messages(_read(_po(language), language))}
    assert sorted(extracted - in_catalog, key=str) == [], "run `make update-catalogs`"
    assert sorted(in_catalog - extracted, key=str) == [], "run `make update-catalogs`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_untranslated_or_fuzzy_entries(language):
    catalog = _read(_po(language), language)
    incomplete = [
        f"{'fuzzy' if m.fuzzy else 'untranslated'}: {_key(m)[1]}"
        for m in _messages(catalog)
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple | list) else m.string)
    ]
    assert not incomplete


def placeholder_problems(catalog) -> list[str]:
    """Translations that drop, add or mangle a {placeholder}: str.format would raise or show
    the customer the wrong thing. In plural entries form 0 may leave out {count}."""
    problems = []
    for message in _messages(catalog):
        if isinstance(message.id, tuple):
            singular, plural = message.id
            forms = list(message.string)
        else:
            singular = plural = message.id
            forms = [message.string]
        for index, form in enumerate(forms):
            if not form:
                continue
            try:
                got = _fields(form)
            except ValueError as error:
                problems.append(f"{singular!r}: broken braces in {form!r} ({error})")
                continue
            wanted = _fields(singular) | _fields(plural)
            first_ok = index == 0 and _fields(singular) <= got <= wanted
            if not (first_ok or got == _fields(plural)):
                problems.append(f"{singular!r}: {sorted(got)} in {form!r}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_the_source(language):
    assert placeholder_problems(_read(_po(language), language)) == []


def test_placeholder_check_catches_mistakes():
    catalog = Catalog(locale="sk")
    catalog.add("Saved {name}.", "Uložené.")
    catalog.add("Hi {address}", "Ahoj {adresa}")
    catalog.add("Hi {address}!", "Ahoj {address!")
    catalog.add(("Last visit", "Last {count} visits"), ("Posledná", "{count}", "x", "{n}"))
    catalog.add("Fine {address}", "V poriadku {address}")
    assert len(placeholder_problems(catalog)) == 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_header_agrees_with_cldr(language):
    headers = _header(_po(language))
    assert "Plural-Forms" in headers, "no Plural-Forms header"
    assert headers["Plural-Forms"] == _fix_plural_forms().cldr_plural_forms(language)
    nplurals = int(re.search(r"nplurals=(\d+)", headers["Plural-Forms"]).group(1))
    for message in _messages(_read(_po(language), language)):
        if isinstance(message.id, tuple):
            assert len(message.string) == nplurals, message.id


def test_plural_forms_check_catches_a_pybabel_header(tmp_path):
    """pybabel's own header for Hungarian is the wrong one; the fixer rewrites it."""
    po = tmp_path / "hu" / "LC_MESSAGES" / "counter.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n')
    fixer = _fix_plural_forms()
    assert fixer.fix(po)
    assert fixer.cldr_plural_forms("hu") in po.read_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_compiles(language):
    # What `pybabel compile` checks (make catalogs): a msgid with a literal "90% s..." reads as
    # a %-format and stops the build; the .mo files then stay stale without a word here.
    catalog = _read(_po(language), language)
    problems = [
        f"{message.lineno}: {error}" for message, errors in catalog.check() for error in errors
    ]
    assert problems == []
