"""The main window: menus, shortcuts and the counter screen's panels wired together."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QWidget

from counter.customers import Customer, CustomerProfile, load_profile
from counter.errors import NotFound
from counter.i18n import Translator, available_languages
from counter.roles import Session
from counter.settings import StoreSettings, save_setting
from ui.counter_view.phrase_panel import PhrasePanel
from ui.counter_view.profile_panel import ProfilePanel
from ui.counter_view.queue_panel import QueuePanel
from ui.counter_view.search_panel import SearchPanel
from ui.counter_view.visit_actions import VisitActions
from ui.counter_view.visit_panel import VisitPanel
from ui.data_actions import DataActions
from ui.error_text import error_text
from ui.i18n import UiLanguage, _
from ui.idle_lock import IdleLock
from ui.session_actions import SessionActions
from ui.tasks import Runner

if TYPE_CHECKING:  # dialogs are imported when first opened, not before the first paint
    from ui.counter_view.customer_dialog import CustomerDialog
    from ui.manager_view.phrase_editor import PhraseEditor


class MainWindow(QMainWindow):
    def __init__(
        self,
        runner: Runner,
        settings: StoreSettings,
        language: UiLanguage,
        clock: Callable[[], int] = lambda: int(time.time()),
        parent: QWidget | None = None,
        *,
        db_path: Path | None = None,  # where backups go by default (None: no file, e.g. tests)
        read_only: bool = False,  # opened read-only: show a banner, refuse every change
    ):
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.language = language
        self.clock = clock
        # Who is serving at this counter; visits and follow-ups are attributed to them.
        self.staff_id: int | None = None
        self.session: Session | None = None  # set by sign-in (ui/session_actions.py)
        self.setObjectName("mainWindow")

        self.search = SearchPanel(runner, self)
        self.profile = ProfilePanel(self)
        # The queue under the search, the visit being served under the profile.
        self.queue = QueuePanel(
            runner,
            clock=clock,
            amber_minutes=settings.wait_amber_minutes,
            red_minutes=settings.wait_red_minutes,
            parent=self,
        )
        self.visit_panel = VisitPanel(
            runner, clock=clock, staff_id=lambda: self.visit_actions.staff_id(), parent=self
        )
        left = QSplitter(Qt.Vertical, self)
        left.addWidget(self.search)
        left.addWidget(self.queue)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)
        # What to say, for the customer on screen and the checklist's current step.
        self.phrases = PhrasePanel(
            runner, clock=clock, staff_id=lambda: self.visit_actions.staff_id(), parent=self
        )
        self.visit_panel.step_changed.connect(self.phrases.set_step)
        # Who and what to say side by side: stacked, three panels leave the phrases no room.
        self.customer_row = QSplitter(Qt.Horizontal, self)
        self.customer_row.addWidget(self.profile)
        self.customer_row.addWidget(self.phrases)
        self.customer_row.setStretchFactor(0, 1)
        self.customer_row.setStretchFactor(1, 1)
        self.customer_row.setChildrenCollapsible(False)
        right = QSplitter(Qt.Vertical, self)
        right.addWidget(self.customer_row)
        right.addWidget(self.visit_panel)
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        right.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.resize(1100, 680)

        self.search.customer_chosen.connect(self.open_customer)
        self.profile.edit_requested.connect(lambda _id: self.edit_customer())
        self.phrases.copied.connect(
            lambda text: self.statusBar().showMessage(_("Copied: {text}").format(text=text), 4000)
        )
        runner.failed.connect(self._task_failed)
        language.changed.connect(lambda _code: self.retranslate())

        self._build_actions()
        self.visit_actions = VisitActions(self)
        self.session_actions = SessionActions(self)
        self.data_actions = DataActions(self, db_path)
        self.data_actions.set_read_only(read_only)
        self.idle_lock = IdleLock(self, settings.idle_lock_minutes)
        # The panels and the idle lock wrote their texts when built: only what has none yet
        # (measuring the search columns twice, for one, cost start-up time).
        self._retranslate_own()
        self.visit_actions.retranslate()
        self.session_actions.retranslate()
        self.data_actions.retranslate()
        self.search.focus_search()

    # actions -----------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.New)
        self.new_action.triggered.connect(self.new_customer)
        self.edit_action = QAction(self)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.edit_action.triggered.connect(self.edit_customer)
        self.find_action = QAction(self)
        self.find_action.setShortcuts([QKeySequence.Find, QKeySequence("F3")])
        self.find_action.triggered.connect(self.search.focus_search)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.Quit)
        self.quit_action.triggered.connect(self.close)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setShortcut(QKeySequence.HelpContents)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)

        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.quit_action)
        self.customer_menu = self.menuBar().addMenu("")
        for action in (self.find_action, self.new_action, self.edit_action):
            self.customer_menu.addAction(action)
        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        self._languages_named = False
        for code in available_languages():
            action = QAction(code, self)
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        # Each name is written in its own language: every locale's CLDR data is read, so
        # only when the menu is first opened (tens of ms at start-up otherwise).
        self.language_menu.aboutToShow.connect(self.name_languages)
        self.manage_menu = self.menuBar().addMenu("")
        self.phrases_action = QAction(self)
        self.phrases_action.setObjectName("managePhrases")
        # Phrase admin is a manager's: a staff session is asked for a manager's PIN first.
        self.phrases_action.triggered.connect(
            lambda: self.session_actions.with_manager(self.edit_phrases)
        )
        self.manage_menu.addAction(self.phrases_action)
        self.help_menu = self.menuBar().addMenu("")
        self.help_menu.addAction(self.shortcuts_action)

    def name_languages(self) -> None:
        """Each language's name in that language ("Türkçe"); they never change with the UI."""
        if self._languages_named:
            return
        for code, action in self.language_actions.items():
            action.setText(Translator(code).language_name(code))
        self._languages_named = True

    def retranslate(self) -> None:
        self._retranslate_own()
        self.search.retranslate()
        self.profile.retranslate()
        self.phrases.retranslate()
        self.queue.retranslate()
        self.visit_panel.retranslate()
        self.visit_actions.retranslate()
        self.session_actions.retranslate()
        self.data_actions.retranslate()
        self.idle_lock.retranslate()

    def _retranslate_own(self) -> None:
        """The window's title, menus and actions."""
        store = self.settings.store_name
        self.setWindowTitle(f"{store} — Counter" if store else "Counter")
        self.file_menu.setTitle(_("&File"))
        self.customer_menu.setTitle(_("&Customer"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.manage_menu.setTitle(_("&Manage"))
        self.phrases_action.setText(_("&Phrases…"))
        self.new_action.setText(_("&New customer…"))
        self.edit_action.setText(_("&Edit customer…"))
        self.find_action.setText(_("&Find customer"))
        self.quit_action.setText(_("&Quit"))
        self.shortcuts_action.setText(_("&Keyboard shortcuts"))
        if self.language.code in self.language_actions:
            self.language_actions[self.language.code].setChecked(True)

    # customers ---------------------------------------------------------------------------
    def open_customer(self, customer_id: int) -> None:
        self.runner.run(
            lambda db: load_profile(db, customer_id),
            self._show_profile,
            self._open_failed,
            key="profile",
        )

    def _show_profile(self, profile: CustomerProfile) -> None:
        self.profile.show_profile(profile, self.clock())
        self.phrases.show_customer(profile.customer.id)
        self.edit_action.setEnabled(True)

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.statusBar().showMessage(_("That customer no longer exists."), 5000)
            self.profile.clear()
            self.phrases.clear()
        else:
            self._task_failed(error)

    def current_customer(self) -> Customer | None:
        return self.profile.profile.customer if self.profile.profile else None

    def new_customer(self) -> CustomerDialog | None:
        if self.data_actions.refuse_if_read_only():
            return None
        dialog = self._dialog(None, self.search.box.text())
        dialog.open()
        return dialog

    def edit_customer(self) -> CustomerDialog | None:
        customer = self.current_customer()
        if customer is None:
            self.statusBar().showMessage(_("Open a customer first."), 4000)
            return None
        if self.data_actions.refuse_if_read_only():
            return None
        dialog = self._dialog(customer, "")
        dialog.open()
        return dialog

    def _dialog(self, customer: Customer | None, text: str) -> CustomerDialog:
        from ui.counter_view.customer_dialog import CustomerDialog

        dialog = CustomerDialog(
            self.runner,
            phone_region=self.settings.phone_region,
            now_fn=self.clock,
            customer=customer,
            initial_text=text,
            parent=self,
        )
        dialog.saved.connect(self._customer_saved)
        dialog.finished.connect(lambda _result: self.search.focus_search(select_all=False))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    def _customer_saved(self, customer: Customer) -> None:
        self.statusBar().showMessage(_("Saved {name}.").format(name=customer.full_name()), 4000)
        self.open_customer(customer.id)
        self.search.refresh()

    # language and manager tools ---------------------------------------------------------
    def apply_settings(self, settings: StoreSettings) -> None:
        """A manager saved the store's settings: the queue's timers and the idle lock follow."""
        self.settings = settings
        self.queue.model.set_thresholds(settings.wait_amber_minutes, settings.wait_red_minutes)
        self.idle_lock.set_minutes(settings.idle_lock_minutes)

    def choose_language(self, code: str) -> None:
        """Switch the UI language now and remember it for the next start."""
        self.language.set_language(code)
        self.runner.run(lambda db: save_setting(db, "ui_language", code), key="ui_language")

    def edit_phrases(self, session: Session) -> PhraseEditor:
        from ui.manager_view.phrase_editor import PhraseEditor

        editor = PhraseEditor(
            self.runner,
            session,
            language=self.language.code,
            clock=self.clock,
            store_name=self.settings.store_name,
            parent=self,
        )
        editor.saved.connect(self.phrases.refresh)
        editor.finished.connect(editor.deleteLater)
        editor.open()
        return editor

    # help and errors ---------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        rows = [
            ("Ctrl+F / F3", _("Find a customer")),
            ("↓ ↑ Enter", _("Move through the results and open one")),
            ("Esc", _("Clear the search")),
            ("Ctrl+N", _("New customer from what you typed")),
            ("Ctrl+E", _("Edit the customer on screen")),
            *self.visit_actions.shortcut_rows(),
            *self.session_actions.shortcut_rows(),
            ("Alt+1 … Alt+3", _("Copy a suggested phrase")),
            ("Ctrl+Q", _("Quit")),
        ]
        text = "\n".join(f"{keys}\t{what}" for keys, what in rows)
        QMessageBox.information(self, _("Keyboard shortcuts"), text)

    def _task_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(error_text(error), 10000)
