"""Phone numbers written as E.164 are read without phonenumbers.parse when parse would only
find the country code and keep the digits after it as they stand: the answer (the stored
number, or "not a valid number") must be parse's own, for every country code."""

from __future__ import annotations

import contextlib
import random

import phonenumbers
import pytest

from counter.customers import _normalize_phone


def _by_parse(raw: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _ours(raw: str, region: str) -> str | None:
    try:
        return _normalize_phone(raw, region)
    except phonenumbers.NumberParseException:
        return None


def _numbers() -> list[str]:
    """For every country code: random digits of every length, and digits starting with
    what parse may strip or rework (national prefixes, carrier codes, leading zeros)."""
    pick = random.Random(20261206)
    starts = ["", "0", "00", "1", "01", "06", "8", "80", "9", "15", "7", "2", "5"]
    out = []
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        for length in range(2, 18 - len(str(code))):
            for start in starts:
                if len(start) >= length:
                    continue
                rest = "".join(pick.choice("0123456789") for _ in range(length - len(start)))
                out.append(f"+{code}{start}{rest}")
        for metadata_region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]:
            example = phonenumbers.example_number(metadata_region)
            if example is not None:  # a valid number of each region, and its neighbours
                digits = f"{example.country_code}{example.national_number}"
                out.append(f"+{digits}")
                out.append(f"+{digits[:-1]}{(int(digits[-1]) + 1) % 10}")
    # Codes that are not country codes, and numbers that start like several.
    out += ["+2", "+28123456789", "+999123456789", "+0123456789", "+80012345678"]
    return out


NUMBERS = _numbers()


@pytest.mark.parametrize("region", ["GB", "US"])
def test_plain_international_numbers_read_as_parse_reads_them(region):
    assert len(NUMBERS) > 20_000
    differ = [(raw, _ours(raw, region), _by_parse(raw, region)) for raw in NUMBERS]
    differ = [d for d in differ if d[1] != d[2]]
    assert differ == []
    assert sum(_by_parse(raw, region) is not None for raw in NUMBERS) > 1000  # valid ones too


@pytest.mark.parametrize(
    "raw",
    [
        "+905321234567",  # the usual case: as written
        "+4407700900123",  # GB's national 0 after the country code: parse drops it
        "+390612345678",  # Italy's leading zero is part of the number
        "+112125551234",  # NANP's national prefix 1 after the country code
        "+79161234567",
        "+5491112345678",  # Argentina's mobile 9
        "+36 30 123 4567",  # spaces: parse reads it
        "+٩٠٥٣٢١٢٣٤٥٦٧",  # Arabic-Indic digits: parse reads it
    ],
)
def test_numbers_parse_reworks_are_left_to_parse(raw):
    assert _ours(raw, "GB") == _by_parse(raw, "GB")


def _numbers_of_every_kind() -> list[phonenumbers.PhoneNumber]:
    """An example number of every kind (mobile, fixed line, toll free, premium rate, pager...)
    of every region and non-geographic code, each with its neighbours (last digit changed, one
    digit more, one less), and every number above as parse reads it."""
    pick = random.Random(7)
    examples = []
    kinds = [getattr(phonenumbers.PhoneNumberType, n) for n in dir(phonenumbers.PhoneNumberType)]
    kinds = [k for k in kinds if isinstance(k, int)]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            if (example := phonenumbers.example_number_for_type(region, kind)) is not None:
                examples.append(example)
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        if (example := phonenumbers.example_number_for_non_geo_entity(code)) is not None:
            examples.append(example)
    out = []
    for example in examples:
        national = str(example.national_number)
        for digits in (
            national,
            national[:-1] + str((int(national[-1]) + 1) % 10),
            national + str(pick.randrange(10)),
            national[:-1],
            str(pick.randrange(1, 10)) + national[1:],
        ):
            if digits:
                out.append(
                    phonenumbers.PhoneNumber(
                        country_code=example.country_code,
                        national_number=int(digits),
                        italian_leading_zero=example.italian_leading_zero,
                    )
                )
    for raw in NUMBERS:
        with contextlib.suppress(phonenumbers.NumberParseException):
            out.append(phonenumbers.parse(raw, "GB"))
    return out


def test_a_number_is_valid_exactly_when_phonenumbers_says_so():
    """counter.customers._is_valid_number tries the kinds of number in another order than
    phonenumbers.is_valid_number (mobile first): the same answer for every number."""
    from counter.customers import _is_valid_number

    numbers = _numbers_of_every_kind()
    assert len(numbers) > 40_000
    answers = [phonenumbers.is_valid_number(n) for n in numbers]
    assert [_is_valid_number(n) for n in numbers] == answers
    assert 5_000 < sum(answers) < len(numbers) - 5_000  # valid and invalid ones alike


def test_a_phonenumbers_whose_internals_moved_still_decides_validity(monkeypatch):
    """The short cut uses phonenumbers' private helpers; a release that renamed one (an
    AttributeError) gets phonenumbers' own check, with the same answers."""
    import phonenumbers

    from counter import customers

    def moved(_number):
        return phonenumbers.phonenumberutil._a_helper_that_moved  # raises AttributeError

    texts = ("+447911123456", "+4479111", "020 7946 0018")
    numbers = [phonenumbers.parse(text, "GB") for text in texts]
    monkeypatch.setattr(customers, "_valid_by_kinds", moved)
    assert [customers._is_valid_number(n) for n in numbers] == [True, False, True]
    assert customers._normalize_phone("+44 7911 123456", "GB") == "+447911123456"
