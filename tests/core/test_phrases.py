"""Phrase suggestions: customers x languages x times of day x visit histories, exact strings;
the store-language fallback; manager overrides and their validation; the pronunciation line."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from counter.customers import CustomerInput, create_customer, load_profile
from counter.errors import NotFound, ValidationError
from counter.phrase_catalog import NO_CATALOG, NO_LANGUAGE, STEPS
from counter.phrase_overrides import delete_override, editor_rows, preview, save_override
from counter.phrase_suggestions import context_from_profile, suggest_for_customer
from counter.phrase_templates import template_problems
from counter.roles import Session
from counter.romanize import pronunciation
from counter.storage import phrase_sql, settings_sql, staff_sql, visit_sql, write_transaction
from tests.conftest import NOW
from tests.i18n.build import ensure_compiled

DAY = 86_400
MIDNIGHT = NOW - NOW % DAY  # 2026-11-24 00:00 UTC


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    ensure_compiled()


def at(hour: float) -> int:
    return MIDNIGHT + int(hour * 3600)


PEOPLE = {
    "ayse": CustomerInput("Ayşe", "Yılmaz", "", "tr", title="ms", rapport_notes="prefers tea"),
    "sukru": CustomerInput("Şükrü", "Öztürk", "", "tr", title="mr"),
    "gyozo": CustomerInput("Győző", "Kovács", "", "hu", title="mr"),
    "anna": CustomerInput("Anna", "Szabó", "", "hu", title="mx"),
    "jana": CustomerInput("Jana", "Nováková", "", "sk", title="ms"),
    "lubomir": CustomerInput("Ľubomír", "Novák", "", "sk", title="mr"),
    "rahul": CustomerInput("Rahul", "Sharma", "राहुल शर्मा", "hi", title="mr"),
    "clarke": CustomerInput("Emma", "Clarke", "", "en", title="ms"),
    "olivia": CustomerInput("Olivia", "Brown", "", "en", formality="informal", title="ms"),
    "hans": CustomerInput("Hans", "Müller", "", "de", title="mr"),
    "nolang": CustomerInput("Sam", "Taylor", "", "", title="mx"),
}
# Visit histories: (days ago, need) of ended visits.
HISTORIES = {
    "none": [],
    "3 weeks": [(21, "phone screen cracked")],
    "yesterday": [(1, "hay fever tablets")],
    "2 months": [(62, ""), (90, "watch battery replacement")],
    "a year": [(400, "spare key cut")],
}


@pytest.fixture
def manager(db):
    """A signed-in manager: phrase overrides are a manager's to change."""
    staff_id = staff_sql.insert_staff(db, "Gábor", "manager", "a set PIN", NOW - 400 * DAY)
    return Session(staff_id, "Gábor", "manager", NOW)


@pytest.fixture
def store(db):
    settings_sql.put_setting(db, "store_name", "Corner Pharmacy & Repairs")
    settings_sql.put_setting(db, "store_language", "en")
    return {"staff": staff_sql.insert_staff(db, "Zuzana", "staff", "", NOW - 400 * DAY)}


def make(db, store, who: str, history: str = "none") -> int:
    customer = create_customer(db, PEOPLE[who], now=NOW - 500 * DAY, phone_region="GB")
    for days, need in HISTORIES[history]:
        visit_sql.insert_visit(
            db,
            {
                "customer_id": customer.id,
                "staff_id": store["staff"],
                "status": "ended",
                "arrived_at": NOW - days * DAY,
                "need": need,
                "updated_at": NOW - days * DAY,
            },
        )
    return customer.id


def texts(db, customer_id, step, *, now, ui="en", staff=None, tz=UTC):
    result = suggest_for_customer(
        db, customer_id, step, now=now, ui_language=ui, staff_id=staff, tz=tz
    )
    return [p.text for p in result.phrases]


GREET_CASES = [
    # who, history, hour (UTC), expected greet phrases
    (
        "ayse",
        "3 weeks",
        9.5,
        [
            "Günaydın Ayşe Hanım, sizi yeniden görmek ne güzel!",
            "Günaydın Ayşe Hanım, Corner Pharmacy & Repairs adına hoş geldiniz!",
        ],
    ),
    (
        "ayse",
        "3 weeks",
        11.5,
        [
            "İyi günler Ayşe Hanım, sizi yeniden görmek ne güzel!",
            "İyi günler Ayşe Hanım, Corner Pharmacy & Repairs adına hoş geldiniz!",
        ],
    ),
    (
        "sukru",
        "none",
        18.5,  # Turkish "akşamüstü" (afternoon2) already greets with İyi akşamlar
        [
            "İyi akşamlar Şükrü Bey, hoş geldiniz! Ben Zuzana, tanıştığımıza memnun oldum.",
            "İyi akşamlar Şükrü Bey, Corner Pharmacy & Repairs adına hoş geldiniz!",
        ],
    ),
    (
        "gyozo",
        "3 weeks",
        7,
        [
            "Jó reggelt kívánok, Kovács úr! Örülünk, hogy újra látjuk.",
            "Jó reggelt kívánok, Kovács úr! A Corner Pharmacy & Repairs nevében szeretettel "
            "üdvözöljük.",
        ],
    ),
    (
        "gyozo",
        "yesterday",
        10,  # Hungarian morning2: from 9 on it is "Jó napot"
        [
            "Jó napot kívánok, Kovács úr! Örülünk, hogy újra látjuk.",
            "Jó napot kívánok, Kovács úr! A Corner Pharmacy & Repairs nevében szeretettel "
            "üdvözöljük.",
        ],
    ),
    (
        "anna",
        "none",
        5,  # Hungarian dawn (night2)
        [
            "Jó reggelt kívánok, Szabó Anna! Üdvözlöm, Zuzana vagyok. Örülök, hogy megismerhetem.",
            "Jó reggelt kívánok, Szabó Anna! A Corner Pharmacy & Repairs nevében szeretettel "
            "üdvözöljük.",
        ],
    ),
    (
        "jana",
        "none",
        8,
        [
            "Dobré ráno, pani Nováková! Vitajte, volám sa Zuzana. Teší ma.",
            "Dobré ráno, pani Nováková! Corner Pharmacy & Repairs vás srdečne víta.",
        ],
    ),
    (
        "lubomir",
        "2 months",
        22.5,
        [
            "Dobrý večer, pán Novák! Teší nás, že vás opäť vidíme.",
            "Dobrý večer, pán Novák! Corner Pharmacy & Repairs vás srdečne víta.",
        ],
    ),
    (
        "rahul",
        "3 weeks",
        19,
        [
            "नमस्ते राहुल जी! आपको फिर से देखकर बहुत अच्छा लगा।",
            "नमस्ते राहुल जी! Corner Pharmacy & Repairs में आपका स्वागत है।",
        ],
    ),
    (
        "clarke",
        "a year",
        14,
        [
            "Good afternoon, Ms Clarke! How nice to see you again.",
            "Good afternoon, Ms Clarke! Welcome to Corner Pharmacy & Repairs.",
        ],
    ),
    (
        "olivia",
        "none",
        19,
        [
            "Good evening, Olivia! I'm Zuzana — welcome, it's nice to meet you.",
            "Good evening, Olivia! Welcome to Corner Pharmacy & Repairs.",
        ],
    ),
]


@pytest.mark.parametrize(("who", "history", "hour", "expected"), GREET_CASES)
def test_greeting_by_language_time_of_day_and_history(db, store, who, history, hour, expected):
    customer = make(db, store, who, history)
    assert texts(db, customer, "greet", now=at(hour), staff=store["staff"]) == expected


RAPPORT_CASES = [
    (
        "ayse",
        "3 weeks",
        [
            "Geçen sefer “phone screen cracked” konusunda yardıma ihtiyacınız vardı; şimdi her "
            "şey yolunda mı?",
            "Geçen sefer “prefers tea” hakkında konuşmuştuk; nasıl gidiyor?",
            "Sizi en son 3 hafta önce görmüştük; nasılsınız?",
        ],
    ),
    (
        "lubomir",
        "2 months",
        [
            "Minule ste potrebovali pomôcť s „watch battery replacement“ – je už všetko v "
            "poriadku?",
            "Naposledy ste u nás boli pred 2 mesiacmi. Ako sa máte?",
            "Ako sa vám dnes darí?",
        ],
    ),
    (
        "gyozo",
        "3 weeks",
        [
            "Legutóbb ebben kért segítséget: „phone screen cracked”. Azóta minden rendben van?",
            "Legutóbb 3 héttel ezelőtt járt nálunk. Hogy van?",
            "Hogy telik a napja?",
        ],
    ),
    (
        "gyozo",
        "yesterday",
        [
            "Legutóbb ebben kért segítséget: „hay fever tablets”. Azóta minden rendben van?",
            "Legutóbb 1 nappal ezelőtt járt nálunk. Hogy van?",
            "Hogy telik a napja?",
        ],
    ),
    (
        "rahul",
        "a year",
        [
            "पिछली बार आपको “spare key cut” में मदद चाहिए थी — क्या अब सब ठीक है?",
            "आपसे पिछली मुलाक़ात 1 वर्ष पहले हुई थी — आजकल सब कैसा चल रहा है?",
            "आपका दिन कैसा जा रहा है?",
        ],
    ),
    (
        "jana",
        "none",
        [
            "Ste u nás prvýkrát? Ako ste sa o nás dozvedeli?",
            "Ako sa vám dnes darí?",
        ],
    ),
    (
        "clarke",
        "3 weeks",
        [
            "Last time you needed help with “phone screen cracked” — is everything all right now?",
            "We last saw you 3 weeks ago — how have you been?",
            "How has your day been so far?",
        ],
    ),
]


@pytest.mark.parametrize(("who", "history", "expected"), RAPPORT_CASES)
def test_rapport_draws_on_the_last_need_note_and_time_since(db, store, who, history, expected):
    customer = make(db, store, who, history)
    assert texts(db, customer, "rapport", now=at(10)) == expected


@pytest.mark.parametrize(
    ("who", "step", "expected"),
    [
        (
            "ayse",
            "thank",
            [
                "Yine bize geldiğiniz için teşekkür ederiz, Ayşe Hanım; sizi görmek her zaman "
                "çok güzel.",
                "Ayşe Hanım, bugün size yardımcı olmamıza fırsat verdiğiniz için teşekkür ederiz; "
                "sizi yine bekleriz.",
                "Corner Pharmacy & Repairs olarak bizi tercih ettiğiniz için teşekkür ederiz, "
                "Ayşe Hanım.",
            ],
        ),
        (
            "gyozo",
            "needs",
            [
                "Ismét ebben az ügyben jött: „phone screen cracked”, "
                "vagy ma valami másban segíthetünk?",
                "Mi járatban van ma nálunk?",
                "Miben segíthetek ma, Kovács úr?",
            ],
        ),
        (
            "lubomir",
            "complaint",
            [
                "Chápem, že je to pre vás nepríjemné, pán Novák, a veľmi ma to mrzí.",
                "Ďakujem, že ste nám to povedali. Môžete mi opísať, čo sa stalo?",
                "Napravíme to – poviem vám presne, čo urobíme a dokedy.",
            ],
        ),
        (
            "rahul",
            "farewell",
            [
                "नमस्ते राहुल जी, अपना ख़याल रखिए!",
                "फिर मिलेंगे, राहुल जी!",
                "किसी भी ज़रूरत के लिए मुझसे पूछ लीजिएगा — मेरा नाम Zuzana है। नमस्ते!",
            ],
        ),
    ],
)
def test_other_steps(db, store, who, step, expected):
    customer = make(db, store, who, "3 weeks")
    assert texts(db, customer, step, now=at(10), staff=store["staff"]) == expected


def test_every_step_offers_two_or_three_phrases_in_every_language(db, store):
    customers = [make(db, store, who, h) for who in PEOPLE for h in ("none", "3 weeks")]
    for customer in customers:
        for step in STEPS:
            found = texts(db, customer, step, now=at(10), staff=store["staff"])
            assert 2 <= len(found) <= 3, (customer, step, found)
            assert not any("{" in text or "}" in text for text in found)


def test_hindi_has_a_pronunciation_line_and_an_english_gloss(db, store):
    customer = make(db, store, "rahul", "3 weeks")
    result = suggest_for_customer(
        db, customer, "greet", now=at(13), ui_language="en", tz=ZoneInfo("Asia/Kolkata")
    )
    assert result.day_period == "evening1"  # 18:30 in India
    first = result.phrases[0]
    assert first.text == "नमस्ते राहुल जी! आपको फिर से देखकर बहुत अच्छा लगा।"
    assert first.pronunciation == "Namaste Rāhul jī! Āpko phir se dekhkar bahut achchhā lagā."
    assert first.gloss == "Good evening, Rahul ji! How nice to see you again."


def test_gloss_is_in_the_ui_language_and_absent_when_the_same(db, store):
    customer = make(db, store, "ayse", "3 weeks")
    in_hungarian = suggest_for_customer(db, customer, "rapport", now=at(9), ui_language="hu")
    assert [p.gloss for p in in_hungarian.phrases] == [
        "Legutóbb ebben kért segítséget: „phone screen cracked”. Azóta minden rendben van?",
        "Legutóbb erről beszélgettünk: „prefers tea”. Hogy alakul?",
        "Legutóbb 3 héttel ezelőtt járt nálunk. Hogy van?",
    ]
    assert all(p.pronunciation == "" for p in in_hungarian.phrases)
    in_turkish = suggest_for_customer(db, customer, "rapport", now=at(9), ui_language="tr")
    assert [p.gloss for p in in_turkish.phrases] == ["", "", ""]


def test_no_catalog_falls_back_to_the_store_language_and_says_so(db, store):
    customer = make(db, store, "hans", "3 weeks")
    result = suggest_for_customer(db, customer, "greet", now=at(10), ui_language="en", tz=UTC)
    assert (result.language, result.requested_language, result.fallback) == ("en", "de", NO_CATALOG)
    assert result.phrases[0].text == "Good morning, Mr Müller! How nice to see you again."
    settings_sql.put_setting(db, "store_language", "tr")
    result = suggest_for_customer(db, customer, "greet", now=at(10), ui_language="en", tz=UTC)
    assert (result.language, result.fallback) == ("tr", NO_CATALOG)
    assert result.phrases[0].text == "Günaydın Hans Bey, sizi yeniden görmek ne güzel!"
    assert result.phrases[0].gloss == "Good morning, Hans Bey! How nice to see you again."


def test_no_language_gets_the_store_language_and_says_so(db, store):
    customer = make(db, store, "nolang")
    settings_sql.put_setting(db, "store_language", "sk")
    result = suggest_for_customer(db, customer, "needs", now=at(10), ui_language="en", tz=UTC)
    assert (result.language, result.fallback) == ("sk", NO_LANGUAGE)
    assert result.phrases[0].text == "Čo vás k nám dnes privádza?"


def test_without_store_name_or_staff_the_phrases_needing_them_stay_out(db):
    customer = create_customer(db, PEOPLE["jana"], now=NOW, phone_region="GB")
    assert texts(db, customer.id, "greet", now=at(8)) == [
        "Dobré ráno, pani Nováková! Vitajte u nás."
    ]


def test_an_in_progress_visit_is_not_the_last_visit(db, store):
    customer = make(db, store, "clarke", "3 weeks")
    visit_sql.insert_visit(
        db,
        {
            "customer_id": customer,
            "status": "in_progress",
            "arrived_at": NOW - 60,
            "updated_at": NOW,
        },
    )
    context = context_from_profile(load_profile(db, customer), NOW)
    assert context.returning
    assert context.last_visit_at == NOW - 21 * DAY
    assert context.last_need == "phone screen cracked"


def test_unknown_customer(db):
    with pytest.raises(NotFound):
        suggest_for_customer(db, 999, "greet", now=NOW, ui_language="en")


# overrides ---------------------------------------------------------------------------------
THANK_SOURCE = "Thank you for choosing {store}, {address}."


def test_manager_adds_edits_and_hides_phrases(db, store, manager):
    customer = make(db, store, "ayse", "3 weeks")
    added = save_override(
        db, manager, language="tr", step="thank", text="Çok teşekkürler {address}!", now=NOW
    )
    save_override(
        db,
        manager,
        language="tr",
        step="thank",
        msgid=THANK_SOURCE,
        text="{store} ailesi olarak teşekkür ederiz, {address}.",
        now=NOW,
    )
    save_override(
        db,
        manager,
        language="tr",
        step="thank",
        msgid="Thank you for coming back to us, {address} — it's always a pleasure.",
        hidden=True,
        now=NOW,
    )
    result = suggest_for_customer(db, customer, "thank", now=at(10), ui_language="en")
    assert [(p.text, p.kind, p.gloss) for p in result.phrases] == [
        ("Çok teşekkürler Ayşe Hanım!", "custom", ""),
        (
            "Ayşe Hanım, bugün size yardımcı olmamıza fırsat verdiğiniz için teşekkür ederiz; "
            "sizi yine bekleriz.",
            "catalog",
            "Thank you, Ayşe Hanım, for the chance to help you today; we hope to see you again "
            "soon.",
        ),
        (
            "Corner Pharmacy & Repairs ailesi olarak teşekkür ederiz, Ayşe Hanım.",
            "edited",
            "Thank you for choosing Corner Pharmacy & Repairs, Ayşe Hanım.",
        ),
    ]
    rows = editor_rows(db, "tr", "thank")
    assert [row.kind for row in rows] == ["hidden", "catalog", "edited", "custom"]
    assert rows[-1].override_id == added
    # Other languages are untouched.
    assert texts(db, make(db, store, "clarke", "3 weeks"), "thank", now=at(10))[0] == (
        "Thank you for coming back to us, Ms Clarke — it's always a pleasure."
    )


def test_edit_back_to_the_catalog_text_removes_the_override(db, store, manager):
    save_override(
        db, manager, language="hu", step="thank", msgid=THANK_SOURCE, text="Köszönjük!", now=NOW
    )
    assert len(phrase_sql.list_overrides(db, "hu")) == 1
    catalog_text = "A(z) {store} nevében köszönjük a látogatását, {address}."
    assert (
        save_override(
            db, manager, language="hu", step="thank", msgid=THANK_SOURCE, text=catalog_text, now=NOW
        )
        is None
    )
    assert phrase_sql.list_overrides(db, "hu") == []


def test_edit_and_delete_a_custom_phrase(db, store, manager):
    phrase_id = save_override(
        db, manager, language="sk", step="greet", text="Ahoj, {address}!", now=NOW
    )
    assert (
        save_override(
            db,
            manager,
            language="sk",
            step="greet",
            text="Vitajte, {address}!",
            now=NOW + 1,
            override_id=phrase_id,
        )
        == phrase_id
    )
    assert phrase_sql.get_override(db, phrase_id)["text"] == "Vitajte, {address}!"
    delete_override(db, manager, phrase_id)
    with pytest.raises(NotFound):
        delete_override(db, manager, phrase_id)


def test_phrases_for_a_language_without_a_catalog(db, store, manager):
    customer = make(db, store, "hans", "3 weeks")
    save_override(db, manager, language="de", step="greet", text="Guten Tag, {address}!", now=NOW)
    result = suggest_for_customer(db, customer, "greet", now=at(10), ui_language="en")
    assert (result.language, result.fallback) == ("de", "")
    assert [p.text for p in result.phrases] == ["Guten Tag, Mr Müller!"]


def problems(db, **kwargs):
    manager_id = staff_sql.insert_staff(db, "Gábor", "manager", "a set PIN", NOW)
    manager = Session(manager_id, "Gábor", "manager", NOW)
    with pytest.raises(ValidationError) as caught:
        save_override(db, manager, **{"language": "tr", "step": "greet", "now": NOW, **kwargs})
    return [(p.field, p.msgid, p.params) for p in caught.value.problems]


ALLOWED = "{greeting}, {address}, {store}, {staff}, {since}, {note}, {need}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Merhaba {adres}!",
            [
                (
                    "text",
                    "{placeholder} is not something Counter can fill in. Use one of: {allowed}.",
                    {"placeholder": "{adres}", "allowed": ALLOWED},
                )
            ],
        ),
        (
            "Merhaba {address!",
            [
                (
                    "text",
                    "A brace is not closed or not opened: write placeholders as a name in "
                    "braces, like {example}.",
                    {"example": "{address}"},
                )
            ],
        ),
        (
            "Merhaba address}",
            [
                (
                    "text",
                    "A brace is not closed or not opened: write placeholders as a name in "
                    "braces, like {example}.",
                    {"example": "{address}"},
                )
            ],
        ),
        (
            "Merhaba {} {0} {address:>999999} {address.upper} {store!r}",
            [
                (
                    "text",
                    "Write {placeholder} as a plain name in braces, like {example}.",
                    {"placeholder": shown, "example": "{address}"},
                )
                for shown in ("{}", "{0}", "{address:>999999}", "{address.upper}", "{store!r}")
            ],
        ),
        ("   ", [("text", "Write the phrase, or hide it instead.", {})]),
        ("x" * 401, [("text", "Keep a phrase under {count} characters.", {"count": 400})]),
    ],
)
def test_placeholders_are_validated_when_saved(db, text, expected):
    assert problems(db, text=text) == expected
    assert phrase_sql.list_overrides(db, "tr") == []


def test_other_fields_are_validated(db):
    assert [p[0] for p in problems(db, language="xx-nope", step="greeting", text="Hi")] == [
        "language",
        "step",
    ]
    assert problems(db, msgid="Not a catalog phrase", text="Hi")[0][0] == "msgid"


def test_escaped_braces_are_fine():
    assert template_problems("{{Welcome}} {address}") == []


def test_a_broken_override_written_behind_our_back_is_never_shown(db, store):
    customer = make(db, store, "ayse", "3 weeks")
    with write_transaction(db):
        phrase_sql.insert_override(
            db,
            {
                "language": "tr",
                "step_key": "greet",
                "msgid": "",
                "text": "Merhaba {adres}! {",
                "hidden": 0,
                "updated_at": NOW,
                "updated_by": None,
            },
        )
    found = texts(db, customer, "greet", now=at(9.5))
    assert found and not any("adres" in text for text in found)


def test_preview_uses_a_sample_customer():
    assert preview("{greeting}, {address}!", "hu", now=at(10), tz=UTC) == (
        "Jó napot kívánok, Kovács asszony!"
    )
    assert preview("A(z) {store} köszönti!", "hu", now=at(10), store_name="Optika Plusz") == (
        "Az Optika Plusz köszönti!"
    )
    with pytest.raises(ValidationError):
        preview("{oops}", "en", now=NOW)


# pronunciation -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("राहुल", "Rāhul"),
        ("आपका स्वागत है।", "Āpkā swāgat hai."),
        ("धन्यवाद", "Dhanyavād"),
        ("मित्र", "Mitra"),  # the final vowel stays after a cluster ending in र
        ("समझ", "Samajh"),
        ("करना", "Karnā"),
        ("मैं ठीक हूँ", "Main thīk hūn"),
        ("ज़रूरी फ़ोन", "Zarūrī fon"),
        ("Corner Pharmacy", ""),
        ("Ayşe Hanım", ""),
    ],
)
def test_pronunciation(text, said):
    assert pronunciation(text) == said


def test_only_a_manager_changes_phrases(db, store):
    from counter.errors import PermissionDenied

    staff = Session(store["staff"], "Zuzana", "staff", NOW)
    with pytest.raises(PermissionDenied):
        save_override(db, staff, language="tr", step="greet", text="Merhaba {address}!", now=NOW)
    with pytest.raises(PermissionDenied):
        delete_override(db, None, 1)
    assert db.execute("SELECT count(*) FROM phrase_overrides").fetchone()[0] == 0
