"""Customer records: validation at the boundary, create/update, and the profile a counter
person sees (name, how to address them, notes, open follow-ups, recent visits)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Literal

from counter.address import TITLES, NameParts, form_of_address, full_name
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_, is_known_language
from counter.search import customer_search_key, digits_of, normalize_card
from counter.storage import customer_sql, visit_sql, write_transaction
from counter.text import clean_text

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_NAME = 100
MAX_EMAIL = 254
MAX_CARD = 40
MAX_NOTES = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class CustomerInput:
    """What a person typed into the customer form (or a file held): raw, unvalidated text."""

    given_name: str = ""
    family_name: str = ""
    native_name: str = ""
    language: str = ""
    formality: str = "formal"
    title: str = ""
    phone: str = ""
    email: str = ""
    card: str = ""
    rapport_notes: str = ""


@dataclass(frozen=True)
class Customer:
    id: int
    given_name: str
    family_name: str
    native_name: str
    language: str
    formality: str
    title: str
    phone: str
    email: str
    card: str
    rapport_notes: str
    created_at: int
    updated_at: int
    last_visit_at: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Customer:
        return cls(**{f.name: row[f.name] for f in fields(cls)})

    @property
    def name_parts(self) -> NameParts:
        return NameParts(
            given=self.given_name,
            family=self.family_name,
            native=self.native_name,
            title=self.title,
            informal=self.formality == "informal",
        )

    def full_name(self, language: str | None = None) -> str:
        return full_name(self.name_parts, language or self.language)

    def address(self, language: str | None = None) -> str:
        return form_of_address(self.name_parts, language or self.language)

    def to_input(self) -> CustomerInput:
        return CustomerInput(**{f.name: getattr(self, f.name) for f in fields(CustomerInput)})


@dataclass(frozen=True)
class VisitSummary:
    id: int
    arrived_at: int
    status: str
    need: str
    solution: str
    outcome: str
    complaint: bool
    staff_name: str


@dataclass(frozen=True)
class FollowUp:
    id: int
    description: str
    due_at: int
    created_at: int
    owner_name: str

    def overdue(self, now: int) -> bool:
        return self.due_at < now


@dataclass(frozen=True)
class CustomerProfile:
    customer: Customer
    visits: list[VisitSummary]
    follow_ups: list[FollowUp]


def format_phone(e164: str) -> str:
    """A stored E.164 number as people read it: "+90 532 123 45 67"."""
    if not e164:
        return ""
    import phonenumbers  # its metadata loads when a number is first shown, not at start-up

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@lru_cache(maxsize=1)
def _phonenumbers() -> Any:
    """phonenumbers, imported on first use (its metadata is large: never at start-up), with its
    compiled metadata patterns kept: otherwise every number looks each of a dozen patterns up in
    the ``re`` module's own small cache again (a third of the time an import validates)."""
    import phonenumbers

    enable_pattern_cache = getattr(phonenumbers, "enable_pattern_cache", None)
    if enable_pattern_cache is not None:  # phonenumbers 9.0.43 on
        enable_pattern_cache()
    return phonenumbers


# A number written as E.164 ("+905321234567": what Counter exports and most files hold): a plus,
# then digits only, the first not 0. The national prefix check below needs at least 4 digits
# after the country code, and phonenumbers refuses more than 17.
_PLAIN_INTERNATIONAL = re.compile(r"\+[1-9][0-9]{6,16}")


@cache
def _national_prefix(country_code: int) -> re.Pattern[str] | Literal[False] | None:
    """The pattern phonenumbers strips as a national prefix in numbers of this country
    code (None: it strips nothing), or False when it has no data for the code."""
    phonenumbers = _phonenumbers()
    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    if metadata is None:
        return False
    prefix = metadata.national_prefix_for_parsing
    return re.compile(prefix) if prefix else None


def _plain_international(raw: str) -> Any:
    """``phonenumbers.parse(raw)`` for a number in :data:`_PLAIN_INTERNATIONAL` form that holds
    nothing parse would rework (a national prefix after the country code, leading zeros), so
    parse's answer is the country code and the digits after it as they stand; None for any
    other number (then parse itself reads it). An import checks a million numbers: half of
    phonenumbers' time per number is parse finding out that such a number is as written.
    tests/core/test_phone_numbers.py compares the two for every country code."""
    phonenumbers = _phonenumbers()
    digits = raw[1:]
    for size in (1, 2, 3):  # as parse extracts a country code
        code = int(digits[:size])
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return None
    national = digits[size:]
    prefix = _national_prefix(code)
    if national[0] == "0" or prefix is False:
        return None
    if prefix is not None and prefix.match(national):
        return None
    return phonenumbers.PhoneNumber(country_code=code, national_number=int(national))


# The kinds of number phonenumbers tells apart, most usual first: a number is valid when it
# fits its country's general pattern and the pattern of at least one kind.
_NUMBER_KINDS = (
    "fixed_line",
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


def _has_a_kind(national: str, metadata: Any) -> bool:
    """``phonenumbers``' number type of ``national`` is not UNKNOWN: the same tests as its
    ``_number_type_helper``, in the order that answers soonest for usual numbers (a mobile
    number is otherwise tested against eight rare kinds and the fixed line first)."""
    util = _phonenumbers().phonenumberutil
    matches = util._is_number_matching_desc
    if not matches(national, metadata.general_desc):
        return False
    # The helper tests mobile patterns only when they differ from the fixed-line ones.
    if not metadata.same_mobile_and_fixed_line_pattern and matches(national, metadata.mobile):
        return True
    return any(matches(national, getattr(metadata, kind)) for kind in _NUMBER_KINDS)


def _is_valid_number(number: Any) -> bool:
    """``phonenumbers.is_valid_number(number)``, with each number type test replaced by
    :func:`_has_a_kind` (half the time for an import's numbers; tests/core/test_phone_numbers.py
    compares the two for example numbers of every kind in every region and their neighbours).
    It uses phonenumbers' internals: a release that moved them gets its own check instead."""
    try:
        return _valid_by_kinds(number)
    except AttributeError:
        return bool(_phonenumbers().is_valid_number(number))


def _valid_by_kinds(number: Any) -> bool:
    phonenumbers = _phonenumbers()
    util = phonenumbers.phonenumberutil
    metadata_for = phonenumbers.PhoneMetadata.metadata_for_region
    national = phonenumbers.national_significant_number(number)
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(number.country_code)
    if regions is None:
        return False
    region = None
    kinds_fit = None  # the region's kinds already tested (True: they fit)
    if len(regions) == 1:
        region = regions[0]
    else:  # as region_code_for_number: the first region whose leading digits or kinds fit
        for candidate in regions:
            metadata = metadata_for(candidate.upper(), None)
            if metadata is None:
                continue
            if metadata.leading_digits is not None:
                if util.re_compile(metadata.leading_digits).match(national):
                    region = candidate
                    break
            elif _has_a_kind(national, metadata):
                region, kinds_fit = candidate, metadata
                break
    if region is None:
        return False
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        number.country_code, region.upper()
    )
    if metadata is None or (
        region != util.REGION_CODE_FOR_NON_GEO_ENTITY
        and number.country_code != util.country_code_for_valid_region(region)
    ):
        return False
    # (is_valid_number tests the kinds again: the same test of the same metadata.)
    return kinds_fit is metadata or _has_a_kind(national, metadata)


def _normalize_phone(raw: str, region: str) -> str:
    phonenumbers = _phonenumbers()

    number = None
    if _PLAIN_INTERNATIONAL.fullmatch(raw):
        number = _plain_international(raw)
    if number is None:
        number = phonenumbers.parse(raw, region)
    if not _is_valid_number(number):
        raise phonenumbers.NumberParseException(0, "invalid")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def validate(data: CustomerInput, *, phone_region: str) -> dict[str, str]:
    """Normalize a form's input into column values, or raise :class:`ValidationError` listing
    every problem at once."""
    problems: list[Problem] = []
    values = {
        "given_name": clean_text(data.given_name),
        "family_name": clean_text(data.family_name),
        "native_name": clean_text(data.native_name),
        "language": clean_text(data.language).replace("-", "_"),
        "formality": data.formality,
        "title": data.title,
        "email": clean_text(data.email),
        "card": normalize_card(data.card),
        "rapport_notes": clean_text(data.rapport_notes, multiline=True),
        "phone": "",
        "phone_digits": "",
        "phone_rev": "",
    }
    if not (values["given_name"] or values["family_name"] or values["native_name"]):
        typed = (data.given_name, data.family_name, data.native_name)
        if any(name.strip() for name in typed):  # zero-width spaces, direction marks...
            msgid = N_(
                "This name is made only of invisible characters (zero-width spaces, direction "
                "marks). Type the name."
            )
        else:
            msgid = N_("Enter at least a given or a family name.")
        problems.append(Problem("given_name", msgid))
    for name in ("given_name", "family_name", "native_name"):
        if len(values[name]) > MAX_NAME:
            problems.append(
                Problem(name, N_("Keep names under {count} characters."), {"count": MAX_NAME})
            )
    if values["language"] and not is_known_language(values["language"]):
        problems.append(Problem("language", N_("Choose a language from the list.")))
    if values["formality"] not in ("formal", "informal"):
        problems.append(Problem("formality", N_("Choose formal or informal address.")))
    if values["title"] not in TITLES:
        problems.append(Problem("title", N_("Choose a title from the list.")))
    if values["email"] and (len(values["email"]) > MAX_EMAIL or not _EMAIL.match(values["email"])):
        problems.append(Problem("email", N_("This does not look like an e-mail address.")))
    if len(values["card"]) > MAX_CARD:
        problems.append(
            Problem(
                "card", N_("A card number has at most {count} characters."), {"count": MAX_CARD}
            )
        )
    if len(values["rapport_notes"]) > MAX_NOTES:
        problems.append(
            Problem(
                "rapport_notes", N_("Keep notes under {count} characters."), {"count": MAX_NOTES}
            )
        )
    raw_phone = clean_text(data.phone)
    if raw_phone:
        import phonenumbers

        try:
            values["phone"] = _normalize_phone(raw_phone[:64], phone_region)
        except phonenumbers.NumberParseException:
            problems.append(
                Problem(
                    "phone",
                    N_(
                        "This is not a valid phone number. Include the country code "
                        "for numbers from abroad, e.g. +90 532 123 45 67."
                    ),
                )
            )
        else:
            values["phone_digits"] = digits_of(values["phone"])
            values["phone_rev"] = values["phone_digits"][::-1]
    if problems:
        raise ValidationError(problems)
    values["search_key"] = customer_search_key(
        values["given_name"], values["family_name"], values["native_name"], email=values["email"]
    )
    return values


def _check_card_free(db: Database, card: str, customer_id: int | None) -> None:
    if not card:
        return
    for row in customer_sql.find_by_phone_or_card(db, "", card, ""):
        if row["id"] != customer_id:
            raise ValidationError(
                [Problem("card", N_("This card already belongs to another customer."))]
            )


def create_customer(db: Database, data: CustomerInput, *, now: int, phone_region: str) -> Customer:
    values = validate(data, phone_region=phone_region)
    with write_transaction(db):
        _check_card_free(db, values["card"], None)
        customer_id = customer_sql.insert_customer(db, values, now)
    return get_customer(db, customer_id)


def update_customer(
    db: Database, customer_id: int, data: CustomerInput, *, now: int, phone_region: str
) -> Customer:
    values = validate(data, phone_region=phone_region)
    with write_transaction(db):
        _check_card_free(db, values["card"], customer_id)
        if not customer_sql.update_customer(db, customer_id, values, now):
            raise NotFound(customer_id)
    return get_customer(db, customer_id)


def get_customer(db: Database, customer_id: int) -> Customer:
    row = customer_sql.get_customer(db, customer_id)
    if row is None or row["erased_at"] is not None:
        raise NotFound(customer_id)
    return Customer.from_row(row)


def load_profile(db: Database, customer_id: int, *, visit_limit: int = 20) -> CustomerProfile:
    """Everything the counter screen shows about one customer, in one call."""
    customer = get_customer(db, customer_id)
    visits = [
        VisitSummary(
            id=r["id"],
            arrived_at=r["arrived_at"],
            status=r["status"],
            need=r["need"],
            solution=r["solution"],
            outcome=r["outcome"],
            complaint=bool(r["complaint"]),
            staff_name=r["staff_name"] or "",
        )
        for r in customer_sql.recent_visits(db, customer_id, visit_limit)
    ]
    follow_ups = [
        FollowUp(
            id=r["id"],
            description=r["description"],
            due_at=r["due_at"],
            created_at=r["created_at"],
            owner_name=r["owner_name"] or "",
        )
        for r in visit_sql.open_follow_ups(db, customer_id=customer_id)
    ]
    return CustomerProfile(customer, visits, follow_ups)
