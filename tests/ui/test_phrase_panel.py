"""The phrase panel in the main window: the right words for a Turkish customer in the morning,
a Hindi customer in the evening and a new Slovak customer; copying with Alt+1..3; following
the visit checklist's step; switching the UI language at run time; a right-to-left layout;
the manager's phrase editor."""

from __future__ import annotations

from datetime import UTC

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from counter.customers import CustomerInput, create_customer
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import phrase_sql, settings_sql, staff_sql, visit_sql
from tests.conftest import NOW
from tests.i18n.build import ensure_compiled
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow
from ui.manager_view.phrase_editor import PhraseEditor

DAY = 86_400
MIDNIGHT = NOW - NOW % DAY


def at(hour: float) -> int:
    return MIDNIGHT + int(hour * 3600)


@pytest.fixture(scope="module", autouse=True)
def catalogs():
    ensure_compiled()


@pytest.fixture
def people(db):
    settings_sql.put_setting(db, "store_name", "Corner Pharmacy & Repairs")
    staff = staff_sql.insert_staff(db, "Zuzana", "staff", "", NOW - 400 * DAY)
    ids = {}
    for key, data in {
        "ayse": CustomerInput("Ayşe", "Yılmaz", "", "tr", title="ms"),
        "rahul": CustomerInput("Rahul", "Sharma", "राहुल शर्मा", "hi", title="mr"),
        "jana": CustomerInput("Jana", "Nováková", "", "sk", title="ms"),
        "hans": CustomerInput("Hans", "Müller", "", "de", title="mr"),
    }.items():
        ids[key] = create_customer(db, data, now=NOW - 400 * DAY, phone_region="GB").id
    for key in ("ayse", "rahul"):
        visit_sql.insert_visit(
            db,
            {
                "customer_id": ids[key],
                "staff_id": staff,
                "status": "ended",
                "arrived_at": NOW - 21 * DAY,
                "need": "phone screen cracked",
                "updated_at": NOW - 21 * DAY,
            },
        )
    return ids


@pytest.fixture
def clock():
    return {"now": at(9.5)}


@pytest.fixture
def window(qtbot, runner, db, people, ui_language, clock):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: clock["now"])
    main.phrases.tz = UTC
    qtbot.addWidget(main)
    main.resize(1180, 700)
    main.show()
    qtbot.waitExposed(main)
    return main


def shown(panel):
    return [row.text.text() for row in panel.rows if row.isVisibleTo(panel)]


def test_turkish_customer_in_the_morning(window, people):
    window.open_customer(people["ayse"])
    panel = window.phrases
    assert panel.current_step() == "greet"
    assert shown(panel) == [
        "Günaydın Ayşe Hanım, sizi yeniden görmek ne güzel!",
        "Günaydın Ayşe Hanım, Corner Pharmacy & Repairs adına hoş geldiniz!",
    ]
    assert panel.rows[0].gloss.text() == "Good morning, Ayşe Hanım! How nice to see you again."
    assert panel.rows[0].gloss.isVisibleTo(panel)
    assert not panel.rows[0].pronunciation.isVisibleTo(panel)
    assert panel.language.text() == "in Turkish"
    assert not panel.notice.isVisibleTo(panel)


def test_hindi_customer_in_the_evening(window, people, clock):
    clock["now"] = at(19)
    window.open_customer(people["rahul"])
    row = window.phrases.rows[0]
    assert row.text.text() == "नमस्ते राहुल जी! आपको फिर से देखकर बहुत अच्छा लगा।"
    assert row.pronunciation.text() == "Namaste Rāhul jī! Āpko phir se dekhkar bahut achchhā lagā."
    assert row.pronunciation.isVisibleTo(window.phrases)
    assert row.gloss.text() == "Good evening, Rahul ji! How nice to see you again."


def test_new_slovak_customer(window, people):
    window.open_customer(people["jana"])
    assert shown(window.phrases) == [
        "Dobrý deň, pani Nováková! Vitajte, volám sa Zuzana. Teší ma.",
        "Dobrý deň, pani Nováková! Corner Pharmacy & Repairs vás srdečne víta.",
    ]
    window.phrases.step.setCurrentIndex(window.phrases.step.findData("rapport"))
    assert shown(window.phrases) == [
        "Ste u nás prvýkrát? Ako ste sa o nás dozvedeli?",
        "Ako sa vám dnes darí?",
    ]


def test_no_catalog_notice(window, people):
    window.open_customer(people["hans"])
    panel = window.phrases
    assert panel.notice.isVisibleTo(panel)
    assert panel.notice.text() == "Shown in the store's language: no German phrases yet."
    assert (
        shown(panel)[0] == "Good morning, Mr Müller! I'm Zuzana — welcome, it's nice to meet you."
    )


def test_alt_number_copies_a_phrase(window, people, qtbot):
    window.open_customer(people["ayse"])
    with qtbot.waitSignal(window.phrases.copied) as blocker:
        qtbot.keyClick(window, Qt.Key_2, Qt.AltModifier)
    expected = "Günaydın Ayşe Hanım, Corner Pharmacy & Repairs adına hoş geldiniz!"
    assert blocker.args == [expected]
    assert QGuiApplication.clipboard().text() == expected
    window.phrases.rows[0].copy.click()
    assert QGuiApplication.clipboard().text().startswith("Günaydın Ayşe Hanım, sizi")
    assert window.phrases.copy_phrase(3) == ""  # only two greetings: nothing to copy


def test_follows_the_visit_checklist_step(window, people):
    window.open_customer(people["ayse"])
    window.visit_panel.step_changed.emit("needs")
    assert window.phrases.current_step() == "needs"
    assert shown(window.phrases)[0] == (
        "Yine “phone screen cracked” konusunda mı, yoksa bugün başka bir şey mi var?"
    )
    window.visit_panel.step_changed.emit("my_custom_step")  # no phrases for it: stay
    assert window.phrases.current_step() == "needs"
    window.visit_panel.step_changed.emit("")  # the visit is over: greet whoever comes next
    assert window.phrases.current_step() == "greet"


def _labels(window):
    panel = window.phrases
    return {
        "title": panel.title.text(),
        "step label": panel.step_label.text(),
        "steps": [panel.step.itemText(i) for i in range(panel.step.count())],
        "copy": [row.copy.text() for row in panel.rows],
        "copy tip": panel.rows[0].copy.toolTip(),
        "language": panel.language.text(),
        "notice": panel.notice.text(),
        "gloss": panel.rows[0].gloss.text(),
        "manage": window.manage_menu.title(),
        "phrases action": window.phrases_action.text(),
    }


def test_switching_the_ui_to_hungarian_changes_every_label(window, people, db, qtbot):
    window.open_customer(people["hans"])  # the notice shows too
    before = _labels(window)
    action = window.language_actions["hu"]
    with qtbot.waitSignal(window.language.changed):
        action.trigger()
    after = _labels(window)
    unchanged = [name for name in before if before[name] == after[name]]
    assert unchanged == []
    assert after["notice"] == (
        "Az üzlet nyelvén jelenik meg, mert ezen a nyelven még nincsenek mondatok: Német."
    )
    assert after["gloss"] == (
        "Jó reggelt kívánok, Mr Müller! Üdvözlöm, Zuzana vagyok. Örülök, hogy megismerhetem."
    )
    assert load_settings(db).ui_language == "hu"
    box = QDialogButtonBox(QDialogButtonBox.Close)
    assert box.button(QDialogButtonBox.Close).text() == "Bezárás"  # Qt's own, from qtbase_hu


@pytest.mark.parametrize("language", ["hu", "hi"])
def test_right_to_left_layout_survives_and_nothing_clips(
    window, people, ui_language, tmp_path, language
):
    ui_language.set_language(language)
    QApplication.instance().setLayoutDirection(Qt.RightToLeft)
    try:
        window.open_customer(people["rahul"])
        for _ in range(3):
            QApplication.processEvents()
        window.grab().save(str(tmp_path / f"rtl-{language}.png"))
        profile, phrases = window.profile, window.phrases
        # Mirrored: the phrases sit left of the profile now.
        assert (
            phrases.mapTo(window, phrases.rect().topLeft()).x()
            < profile.mapTo(window, profile.rect().topLeft()).x()
        )
        for label in phrases.findChildren(QLabel):
            if label.isVisibleTo(phrases) and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()), label.objectName()
        for row in phrases.rows:
            if row.isVisibleTo(phrases):
                assert row.copy.width() >= row.copy.sizeHint().width(), row.copy.text()
    finally:
        QApplication.instance().setLayoutDirection(Qt.LeftToRight)


# the manager's editor ------------------------------------------------------------------------
def _editor(window, db) -> PhraseEditor:
    manager = staff_sql.insert_staff(db, "Gábor", "manager", "a set PIN", NOW)
    window.signed_in.set(Session(manager, "Gábor", "manager", NOW))
    window.phrases_action.trigger()
    editor = window.findChild(PhraseEditor, "phraseEditor")
    assert editor is not None and editor.isVisible()
    return editor


def test_editor_refuses_unknown_placeholders_and_saves_good_ones(window, people, db, qtbot):
    window.open_customer(people["ayse"])
    editor = _editor(window, db)
    editor.language.setCurrentIndex(editor.language.findData("tr"))
    editor.step.setCurrentIndex(editor.step.findData("greet"))
    editor.new_phrase()
    type_text(editor.text, "Hoş geldiniz {adres}!")
    assert "{adres} is not something Counter can fill in" in editor.preview.text()
    editor.save()
    assert editor.errors.isVisible()
    assert editor.errors.text() == (
        "{adres} is not something Counter can fill in. Use one of: {greeting}, {address}, "
        "{store}, {staff}, {since}, {note}, {need}."
    )
    assert phrase_sql.list_overrides(db, "tr") == []

    editor.text.setPlainText("Hoş geldiniz {address}!")
    assert editor.preview.text() == "Hoş geldiniz Ayşe Hanım!"
    with qtbot.waitSignal(editor.saved):
        editor.save()
    assert not editor.errors.isVisible()
    assert shown(window.phrases)[0] == "Hoş geldiniz Ayşe Hanım!"


def test_editor_hides_and_restores_a_catalog_phrase(window, people, db, qtbot, qtmodeltester):
    window.open_customer(people["ayse"])
    editor = _editor(window, db)
    qtmodeltester.check(editor.model)
    editor.language.setCurrentIndex(editor.language.findData("tr"))
    editor.step.setCurrentIndex(editor.step.findData("greet"))
    assert editor.model.index(0, 1).data() == "From the catalog"
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    assert editor.text.toPlainText() == "{greeting} {address}, sizi yeniden görmek ne güzel!"
    editor.hidden.setChecked(True)
    with qtbot.waitSignal(editor.saved):
        press(editor.save_button, Qt.Key_Space, text=" ")
    assert editor.model.index(0, 1).data() == "Hidden"
    assert shown(window.phrases) == [
        "Günaydın Ayşe Hanım, Corner Pharmacy & Repairs adına hoş geldiniz!",
        "Günaydın Ayşe Hanım, hoş geldiniz!",  # the spare steps in
    ]
    assert editor.revert_button.isVisible()
    with qtbot.waitSignal(editor.saved):
        editor.revert()
    assert editor.model.index(0, 1).data() == "From the catalog"
    assert len(shown(window.phrases)) == 2
    assert shown(window.phrases)[0] == "Günaydın Ayşe Hanım, sizi yeniden görmek ne güzel!"


def test_a_staff_session_is_asked_for_a_manager_pin_first(window, people, db, qtbot):
    from ui.sign_in import SignInDialog

    staff = db.execute("SELECT id FROM staff WHERE role = 'staff' LIMIT 1").fetchone()[0]
    window.signed_in.set(Session(staff, "Zuzana", "staff", NOW))
    window.phrases_action.trigger()
    assert window.findChild(PhraseEditor, "phraseEditor") is None
    dialog = window.findChild(SignInDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
