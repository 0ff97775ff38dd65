"""The manager's Checklist and Store setup tabs through their real widgets: rename, reorder,
hide and add steps per language, the offered outcomes, the store's settings (checked by the
domain, followed by the counter screen), refusals shown in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from counter import checklist, visits
from counter.i18n import Translator
from counter.outcomes import configured_outcomes
from counter.roles import Session
from counter.settings import load_settings
from counter.storage import staff_sql
from tests.ui.conftest import press, type_text
from ui.main_window import MainWindow
from ui.manager_view.checklist_editor import ChecklistEditor
from ui.manager_view.manager_window import ManagerWindow
from ui.manager_view.ordered_list import moved
from ui.manager_view.outcome_editor import OutcomeEditor
from ui.manager_view.store_settings_view import StoreSettingsView
from ui.models.checklist_steps import ChecklistStepsModel


@pytest.fixture
def boss(db, now):
    manager_id = staff_sql.insert_staff(db, "Ayşe", "manager", "pin-hash", now)
    return Session(manager_id, "Ayşe", "manager", now)


@pytest.fixture
def clerk(db, now):
    clerk_id = staff_sql.insert_staff(db, "Zeynep", "staff", "", now)
    return Session(clerk_id, "Zeynep", "staff", now)


@pytest.fixture
def editor(qtbot, runner, boss, now, ui_language):
    widget = ChecklistEditor(runner, boss, lambda: now)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def serve(db, session, now, language):
    return visits.serve_directly(
        db, walk_in_name="x", staff_id=session.staff_id, now=now, language=language
    ).visit


def choose(editor: ChecklistEditor, key: str) -> None:
    editor.table.selectRow(editor.model.row_of(key))


def labels(editor: ChecklistEditor) -> list[str]:
    model = editor.model
    return [model.index(r, ChecklistStepsModel.LABEL).data() for r in range(model.rowCount())]


# checklist ---------------------------------------------------------------------------------
def test_steps_are_listed_in_the_chosen_language(editor):
    assert editor.model.keys() == ["greet", "rapport", "needs", "solution", "thank"]
    assert labels(editor)[0] == "Greet warmly"
    editor.language.setCurrentIndex(editor.language.findData("tr"))
    turkish = Translator("tr").gettext
    assert turkish("Greet warmly") != "Greet warmly"
    assert labels(editor) == [turkish(step.label) for step in checklist.BUILTIN_STEPS.values()]
    assert editor.model.index(0, ChecklistStepsModel.HINT).data() == turkish(
        checklist.BUILTIN_STEPS["greet"].hint
    )
    assert editor.model.index(0, ChecklistStepsModel.KIND).data() == "Built-in"
    assert editor.table.currentIndex().row() == 0


def test_rename_in_turkish_labels_the_next_turkish_visit(editor, db, boss, now, qtbot):
    editor.language.setCurrentIndex(editor.language.findData("tr"))
    choose(editor, "greet")
    assert editor.label_edit.text() == ""  # built-in: its text is the placeholder
    assert editor.label_edit.placeholderText()
    type_text(editor.label_edit, "Hoş geldiniz deyin")
    type_text(editor.hint_edit, "Gülümseyin, adıyla selamlayın.")
    with qtbot.waitSignal(editor.changed):
        press(editor.label_edit, Qt.Key_Return)
    assert editor.errors.isHidden()
    assert labels(editor)[0] == "Hoş geldiniz deyin"
    assert editor.model.index(0, ChecklistStepsModel.KIND).data() == "Built-in, renamed"
    assert serve(db, boss, now, "tr").steps[0].label == "Hoş geldiniz deyin"
    assert serve(db, boss, now, "en").steps[0].label == "Greet warmly"
    step = checklist.load_checklist(db, "tr")[0]
    assert step.hint == "Gülümseyin, adıyla selamlayın."

    # Back to the built-in text: visible only for a renamed built-in step.
    assert editor.builtin_button.isVisibleTo(editor)
    with qtbot.waitSignal(editor.changed):
        editor.builtin_button.click()
    assert checklist.load_checklist(db, "tr")[0].translatable
    assert not editor.builtin_button.isVisibleTo(editor)


def test_a_new_hint_keeps_the_builtin_name_translated(editor, db, boss, now, qtbot):
    # The UI is English, the step is edited in Turkish: the name must stay the catalog's
    # Turkish one (and follow catalog updates), not become a typed copy of anything.
    editor.language.setCurrentIndex(editor.language.findData("tr"))
    choose(editor, "greet")
    type_text(editor.hint_edit, "Gülümseyin, adıyla selamlayın.")
    with qtbot.waitSignal(editor.changed):
        editor.save_button.click()
    step = checklist.load_checklist(db, "tr")[0]
    assert step.translatable and step.label == "Greet warmly"
    assert step.hint == "Gülümseyin, adıyla selamlayın." and not step.hint_translatable
    turkish = Translator("tr").gettext
    assert labels(editor)[0] == turkish("Greet warmly")
    assert editor.model.index(0, ChecklistStepsModel.KIND).data() == "Built-in"
    assert serve(db, boss, now, "tr").steps[0].label == "Greet warmly"  # a msgid: translated
    assert checklist.load_checklist(db, "en")[0].hint == checklist.BUILTIN_STEPS["greet"].hint


def test_emptying_a_renamed_label_restores_the_builtin(editor, db, boss, now, qtbot):
    checklist.rename_step(db, boss, "needs", "en", "Ask what they need", now=now)
    editor.reload()
    choose(editor, "needs")
    assert editor.label_edit.text() == "Ask what they need"
    editor.label_edit.clear()
    with qtbot.waitSignal(editor.changed):
        editor.save_button.click()
    assert checklist.load_checklist(db, "en")[2].label == "Identify needs"


def test_hidden_step_is_left_out_of_new_visits_only(editor, db, boss, now, qtbot):
    old = serve(db, boss, now, "en")
    choose(editor, "rapport")
    assert editor.hide_button.text() == "&Hide from new visits"
    with qtbot.waitSignal(editor.changed):
        editor.hide_button.click()
    assert editor.model.index(1, ChecklistStepsModel.SHOWN).data() == "Hidden"
    assert editor.hide_button.text() == "S&how on new visits"
    assert "rapport" not in [s.key for s in serve(db, boss, now + 5, "en").steps]
    assert "rapport" in [s.key for s in visits.load_visit(db, old.id).steps]
    with qtbot.waitSignal(editor.changed):
        editor.hide_button.click()
    assert not checklist.load_checklist(db, "en")[1].hidden


def test_move_up_and_down_reorders(editor, db, qtbot):
    choose(editor, "thank")
    assert not editor.down_button.isEnabled()
    with qtbot.waitSignal(editor.changed):
        editor.up_button.click()
    assert [s.key for s in checklist.load_checklist(db, "en")] == [
        "greet",
        "rapport",
        "needs",
        "thank",
        "solution",
    ]
    assert editor.selected().key == "thank"  # the moved step stays chosen
    with qtbot.waitSignal(editor.changed):
        editor.down_button.click()
    positions = {s.key: s.position for s in checklist.load_checklist(db, "en")}
    assert positions["thank"] == 5 and positions["solution"] == 4


def test_add_a_store_step_in_hindi(editor, db, boss, now, qtbot):
    editor.language.setCurrentIndex(editor.language.findData("hi"))
    editor.new_button.click()
    assert editor.save_button.text() == "&Add step"
    editor.save_button.click()  # no name yet
    assert editor.errors.text() == "Give the step a name."
    assert len(checklist.load_checklist(db, "en")) == 5
    type_text(editor.label_edit, "लॉयल्टी कार्ड बताएं")
    with qtbot.waitSignal(editor.changed):
        editor.save_button.click()
    steps = checklist.load_checklist(db, "hi")
    assert steps[-1].label == "लॉयल्टी कार्ड बताएं" and not steps[-1].builtin
    assert editor.selected().key == steps[-1].key
    assert editor.model.index(5, ChecklistStepsModel.KIND).data() == "Store's own"
    assert serve(db, boss, now, "hi").steps[-1].label == "लॉयल्टी कार्ड बताएं"


def test_a_staff_session_is_refused_in_words(qtbot, runner, db, clerk, now, ui_language):
    widget = ChecklistEditor(runner, clerk, lambda: now)
    qtbot.addWidget(widget)
    widget.table.selectRow(0)
    widget.hide_button.click()
    assert widget.errors.text() == "Only a manager can do this."
    assert not any(s.hidden for s in checklist.load_checklist(db, "en"))


def test_checklist_model_passes_the_model_tester(qtmodeltester, editor, db, boss, now):
    qtmodeltester.check(editor.model)
    checklist.set_step_hidden(db, boss, "greet", True, now=now)
    checklist.add_step(db, boss, "en", "Mention the sale", now=now)
    editor.reload()
    qtmodeltester.check(editor.model)
    assert editor.model.index(0, 0).data(Qt.AccessibleTextRole) == (
        "Step 1 of 6: Greet warmly, hidden, Built-in"
    )


def test_checklist_follows_the_ui_language(editor, ui_language):
    turkish = Translator("tr").gettext
    ui_language.set_language("tr")
    editor.retranslate()
    assert editor.up_button.text() == turkish("Move &up") != "Move &up"
    assert editor.model.headerData(1, Qt.Horizontal) == turkish("Step") != "Step"
    assert editor.model.index(0, ChecklistStepsModel.KIND).data() == turkish("Built-in")
    # The steps stay in the language being edited (English), not the UI's.
    assert labels(editor)[0] == "Greet warmly"


# outcomes ----------------------------------------------------------------------------------
@pytest.fixture
def outcomes(qtbot, runner, boss, now, ui_language):
    widget = OutcomeEditor(runner, boss, lambda: now)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_outcomes_add_move_remove(outcomes, db, qtbot):
    assert outcomes.model.rowCount() == 6
    type_text(outcomes.new_outcome, "Sipariş verildi")
    with qtbot.waitSignal(outcomes.changed):
        press(outcomes.new_outcome, Qt.Key_Return)
    assert configured_outcomes(db)[-1] == "Sipariş verildi"
    assert outcomes.new_outcome.text() == ""
    assert outcomes.message.text() == "Saved. The counter offers these from the next visit on."
    assert outcomes.model.index(6, 1).data() == "Store's own"
    with qtbot.waitSignal(outcomes.changed):
        outcomes.up_button.click()  # the new one is selected
    assert configured_outcomes(db)[-2:] == ["Sipariş verildi", "nothing_today"]
    outcomes.table.selectRow(0)
    with qtbot.waitSignal(outcomes.changed):
        outcomes.remove_button.click()
    assert configured_outcomes(db)[0] == "returned"
    # Typing a built-in's label brings the built-in back, translated where shown.
    type_text(outcomes.new_outcome, "bought")
    with qtbot.waitSignal(outcomes.changed):
        outcomes.add_button.click()
    assert configured_outcomes(db)[-1] == "bought"
    type_text(outcomes.new_outcome, "Bought")
    outcomes.add_button.click()
    assert outcomes.errors.text() == "That outcome is offered already."
    assert configured_outcomes(db).count("bought") == 1
    outcomes.new_outcome.setText("a, b")
    outcomes.add_button.click()
    assert outcomes.errors.text() == "An outcome is a short name without commas."
    assert "a, b" not in configured_outcomes(db)


def test_outcome_labels_follow_the_ui_language(outcomes, ui_language):
    turkish = Translator("tr").gettext
    ui_language.set_language("tr")
    outcomes.retranslate()
    assert outcomes.model.index(0, 0).data() == turkish("Bought") != "Bought"
    assert outcomes.title() == turkish("Outcomes offered at the end of a visit")


def test_outcomes_refuse_a_staff_session(qtbot, runner, db, clerk, now, ui_language):
    widget = OutcomeEditor(runner, clerk, lambda: now)
    qtbot.addWidget(widget)
    widget.new_outcome.setText("Sneaky")
    widget.add_button.click()
    assert widget.errors.text() == "Only a manager can do this."
    assert "Sneaky" not in configured_outcomes(db)


# store settings ----------------------------------------------------------------------------
@pytest.fixture
def store_view(qtbot, runner, boss, now, ui_language):
    widget = StoreSettingsView(runner, boss, lambda: now)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_settings_are_saved(store_view, db, qtbot):
    assert store_view.minutes["wait_amber_minutes"].value() == 3
    store_view.store_name.clear()
    type_text(store_view.store_name, "Köşe Eczanesi")
    store_view.store_language.setCurrentIndex(store_view.store_language.findData("tr"))
    store_view.phone_region.setCurrentIndex(store_view.phone_region.findData("TR"))
    store_view.minutes["wait_amber_minutes"].setValue(5)
    store_view.minutes["wait_red_minutes"].setValue(12)
    store_view.minutes["service_target_minutes"].setValue(15)
    store_view.minutes["idle_lock_minutes"].setValue(0)
    assert store_view.minutes["idle_lock_minutes"].text() == "Never"
    with qtbot.waitSignal(store_view.saved) as saved:
        store_view.save_button.click()
    settings = load_settings(db)
    assert saved.args[0] == settings
    assert (settings.store_name, settings.store_language, settings.phone_region) == (
        "Köşe Eczanesi",
        "tr",
        "TR",
    )
    assert (settings.wait_amber_minutes, settings.wait_red_minutes) == (5, 12)
    assert (settings.service_target_minutes, settings.idle_lock_minutes) == (15, 0)
    assert store_view.errors.isHidden()
    assert store_view.message.text() == "Saved. The counter screen uses these settings now."


def test_amber_after_red_is_refused_and_nothing_stored(store_view, db):
    before = load_settings(db)
    store_view.store_name.setText("Corner Shop")
    store_view.minutes["wait_amber_minutes"].setValue(10)
    store_view.minutes["wait_red_minutes"].setValue(8)
    store_view.save_button.click()
    assert store_view.errors.text() == ("The red wait must be longer than the amber wait (10 min).")
    assert load_settings(db) == before
    store_view.store_name.clear()
    store_view.minutes["wait_amber_minutes"].setValue(3)
    store_view.save_button.click()
    assert store_view.errors.text() == "Enter the store's name."
    assert load_settings(db) == before


def test_settings_refuse_a_staff_session(qtbot, runner, db, clerk, now, ui_language):
    widget = StoreSettingsView(runner, clerk, lambda: now)
    qtbot.addWidget(widget)
    widget.store_name.setText("Mine")
    widget.save_button.click()
    assert widget.errors.text() == "Only a manager can do this."
    assert load_settings(db).store_name == ""


def test_counter_screen_follows_saved_thresholds(qtbot, runner, db, boss, now, ui_language):
    main = MainWindow(runner, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(main)
    main.show()
    main.session_actions.set_session(boss)
    main.session_actions.tab_actions["setup"].trigger()
    manager = main.session_actions.manager_window
    qtbot.addWidget(manager)
    assert isinstance(manager, ManagerWindow)
    assert manager.tabs.currentWidget() is manager.setup_tabs
    view = manager.store_settings
    view.store_name.setText("Corner Shop")
    view.minutes["wait_amber_minutes"].setValue(4)
    view.minutes["wait_red_minutes"].setValue(6)
    view.minutes["idle_lock_minutes"].setValue(9)
    with qtbot.waitSignal(manager.settings_saved):
        view.save_button.click()
    assert (main.queue.model.amber_seconds, main.queue.model.red_seconds) == (240, 360)
    assert main.idle_lock.watcher.minutes == 9
    assert main.settings.store_name == "Corner Shop"
    assert main.windowTitle() == "Corner Shop — Counter"
    assert manager.windowTitle() == "Manage — Corner Shop"
    main.session_actions.tab_actions["checklist"].trigger()
    assert manager.tabs.currentWidget() is manager.checklist


def test_manager_tabs_follow_the_ui_language(qtbot, runner, db, boss, now, ui_language):
    manager = ManagerWindow(runner, boss, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(manager)
    texts = [manager.tabs.tabText(i) for i in range(manager.tabs.count())]
    assert texts[-2:] == ["Checklist", "Store setup"]
    hungarian = Translator("hu").gettext
    ui_language.set_language("hu")
    assert manager.tabs.tabText(4) == hungarian("Checklist") != "Checklist"
    assert manager.tabs.tabText(5) == hungarian("Store setup")
    assert manager.store_settings.save_button.text() == hungarian("&Save settings")
    assert manager.store_settings.choose_folder.text() == hungarian("C&hoose…")
    assert manager.outcomes.add_button.text() == hungarian("A&dd outcome")
    manager.close()


def test_visit_log_and_dashboard_follow_saved_targets(qtbot, runner, db, boss, now, ui_language):
    manager = ManagerWindow(runner, boss, load_settings(db), ui_language, clock=lambda: now)
    qtbot.addWidget(manager)
    manager.show()
    manager.show_tab("dashboard")
    assert manager.dashboard.dashboard.wait.target == 3 * 60
    manager.show_tab("log")
    manager.log.wait_over.setChecked(True)
    assert manager.log.model.filter.wait_over == 3 * 60
    manager.show_tab("setup")
    view = manager.store_settings
    view.store_name.setText("Corner Shop")
    view.minutes["wait_amber_minutes"].setValue(5)
    view.minutes["service_target_minutes"].setValue(20)
    with qtbot.waitSignal(manager.settings_saved):
        view.save_button.click()
    assert manager.log.model.filter.wait_over == 5 * 60  # the checked filter, applied again
    assert manager.log.current_filter().service_over is None
    assert manager.log.wait_over.text() == "Waited over 5 min"
    assert manager.log.service_over.text() == "Service over 20 min"
    assert manager.dashboard.dashboard.wait.target == 5 * 60
    assert manager.dashboard.dashboard.service.target == 20 * 60
    manager.close()


def test_backup_folder_chosen_saved_and_back_to_default(
    qtbot, runner, db, boss, now, ui_language, tmp_path, monkeypatch
):
    view = StoreSettingsView(runner, boss, lambda: now, db_path=tmp_path / "counter.db")
    qtbot.addWidget(view)
    view.store_name.setText("Corner Shop")
    assert view.backup_folder.text() == ""
    assert not view.default_folder.isEnabled()
    assert view.backup_state.text() == (
        f"Default: backups go to {tmp_path / 'backups'}, beside the database."
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    asked = []

    def choose(parent, title, start):
        asked.append((title, start))
        return str(usb)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose)
    view.choose_folder.click()
    assert asked == [("Folder for backups", str(tmp_path / "backups"))]
    assert view.backup_folder.text() == str(usb)
    assert view.default_folder.isEnabled()
    assert view.backup_state.text() == "Backups go to the folder above."
    with qtbot.waitSignal(view.saved) as saved:
        view.save_button.click()
    assert load_settings(db).backup_folder == str(usb) == saved.args[0].backup_folder

    view.default_folder.click()
    assert view.backup_folder.text() == ""
    with qtbot.waitSignal(view.saved):
        view.save_button.click()
    assert load_settings(db).backup_folder == ""


def test_a_backup_folder_that_cannot_be_used_is_refused_in_words(
    store_view, db, ui_language, tmp_path
):
    before = load_settings(db)
    store_view.store_name.setText("Corner Shop")
    store_view.backup_folder.setText("backups")
    store_view.save_button.click()
    assert store_view.errors.text() == "Enter the full path of a folder, or use the default."
    file = tmp_path / "notes.txt"
    file.write_text("x")
    store_view.backup_folder.setText(str(file))
    store_view.save_button.click()
    assert store_view.errors.text() == f"{file} is a file, not a folder."
    assert load_settings(db) == before
    # Without the database's place, the default is still said in words.
    assert store_view.backup_state.text() == "Backups go to the folder above."
    store_view.default_folder.click()
    assert store_view.backup_state.text() == (
        "Default: backups go to a folder beside the database."
    )


def test_moved_swaps_neighbours_and_stops_at_the_ends():
    assert moved(["a", "b", "c"], "b", -1) == ["b", "a", "c"]
    assert moved(["a", "b", "c"], "b", 1) == ["a", "c", "b"]
    assert moved(["a", "b", "c"], "a", -1) is None
    assert moved(["a", "b", "c"], "c", 1) is None
    assert moved(["a", "b"], "gone", 1) is None
