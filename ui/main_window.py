"""The main window: menus, shortcuts and the counter screen's panels wired together.

It builds the pieces and hands each only what it uses (the runner, the clock, who is signed
in, the change signal, a way to show a message); the pieces never reach back into the window.
After every write the change signal says what changed, and each view decides whether to
reload (``_changes_arrived`` for the profile, the search and the store's settings)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from counter.errors import NotFound
from counter.i18n import Translator, available_languages
from counter.roles import Session
from counter.settings import StoreSettings, load_settings, save_setting
from ui.changes import ChangeBus, Changes
from ui.counter_view.queue_panel import QueuePanel
from ui.counter_view.search_panel import SearchPanel
from ui.counter_view.visit_actions import VisitActions
from ui.customer_screen.actions import CustomerScreenActions
from ui.data_actions import DataActions
from ui.error_text import error_text
from ui.i18n import UiLanguage, _
from ui.idle_lock import IdleLock
from ui.keyboard import ShortcutRow, TypingGuard, key_text, keys
from ui.session_actions import SessionActions
from ui.signed_in import SignedIn
from ui.tasks import Runner
from ui.window_state import WindowState
from ui.write_status import WriteStatus

if TYPE_CHECKING:  # dialogs are imported when first opened, not before the first paint
    from PySide6.QtWidgets import QMessageBox

    from counter.customers import Customer, CustomerProfile
    from ui.counter_view.customer_dialog import CustomerDialog
    from ui.counter_view.phrase_panel import PhrasePanel
    from ui.counter_view.profile_panel import ProfilePanel
    from ui.counter_view.visit_panel import VisitPanel
    from ui.manager_view.phrase_editor import PhraseEditor
    from ui.sync_status import HubSync, SyncStatusLabel

# Panels the first screen shows empty (no customer open, no visit running): a placeholder with
# the panel's own empty-state text stands in until the panel is built, on first use or in the
# event loop's idle time right after the first paint, one panel per turn of the loop.
DEFERRED_PANELS = ("profile", "phrases", "visit_panel")


def _load_profile(db, customer_id: int) -> CustomerProfile:
    from counter.customers import load_profile  # on the worker, not with the window

    return load_profile(db, customer_id)


class _Placeholder(QWidget):
    """What an unbuilt panel shows: its empty-state text where the panel puts it (centred; the
    phrases under their bold title, top left)."""

    def __init__(self, name: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName(f"{name}Placeholder")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title: QLabel | None = None
        if name == "phrases":
            self.title = QLabel(self)
            font = self.title.font()
            font.setBold(True)
            self.title.setFont(font)
            layout.addWidget(self.title)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        if self.title is None:
            self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        else:
            layout.addStretch(1)


def _placeholder_text(name: str) -> str:
    if name == "profile":
        return _("Find a customer on the left, or press Ctrl+N to add one.")
    if name == "phrases":
        return _("Open a customer to see what to say.")
    return _(
        "No visit in progress.\n\nCtrl+I checks in the customer on screen, "
        "Ctrl+Shift+N serves whoever has waited longest, "
        "Ctrl+Shift+I serves the customer on screen now."
    )


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
        self.signed_in = SignedIn(self)  # set by sign-in (ui/session_actions.py)
        self.changes = ChangeBus(self)  # what each write changed (ui/changes.py)
        self.hub_sync: HubSync | None = None  # set by attach_hub_sync when the file is synced
        self.setObjectName("mainWindow")
        self._runner_busy = False
        self._build_when_idle = False
        runner.busy_changed.connect(self._runner_busy_changed)

        # The search columns' widths as measured at the last start (no Babel before the first
        # paint); measured again in idle time after it (see when_idle below).
        self.search = SearchPanel(runner, self, remembered_widths=True)
        # The queue under the search, the visit being served under the profile.
        self.queue = QueuePanel(
            runner,
            clock=clock,
            amber_minutes=settings.wait_amber_minutes,
            red_minutes=settings.wait_red_minutes,
            parent=self,
        )
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.search)
        left.addWidget(self.queue)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)
        # Who and what to say side by side: stacked, three panels leave the phrases no room.
        # The profile, the phrases and the visit panel are built later (DEFERRED_PANELS).
        self._panels: dict[str, QWidget] = {}
        self._placeholders = {name: _Placeholder(name, self) for name in DEFERRED_PANELS}
        self.customer_row = QSplitter(Qt.Orientation.Horizontal, self)
        self.customer_row.addWidget(self._placeholders["profile"])
        self.customer_row.addWidget(self._placeholders["phrases"])
        self.customer_row.setStretchFactor(0, 1)
        self.customer_row.setStretchFactor(1, 1)
        self.customer_row.setChildrenCollapsible(False)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.customer_row)
        right.addWidget(self._placeholders["visit_panel"])
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 3)
        right.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        # How the room is shared at the first show. Left to itself a splitter shares it by its
        # widgets' size hints (times their stretch factors), and the placeholders' hints are
        # not the panels': these are the shares the built panels ask for (English, default
        # font), so the first frame is laid out as the finished window and nothing moves
        # when the panels come in. Later resizes keep the proportions.
        splitter.setSizes([670, 1563])
        right.setSizes([580, 168])
        self.customer_row.setSizes([274, 247])
        # Size and splitters as this person left them (ui/window_state.py), else a size that
        # fits the screen.
        self.window_state = WindowState(self, "main", default_size=QSize(1240, 760))
        for name, widget in (("columns", splitter), ("left", left), ("right", right)):
            self.window_state.track(name, widget)
        self.window_state.track("customerRow", self.customer_row)

        self.search.customer_chosen.connect(self.open_customer)
        runner.failed.connect(self._task_failed)
        language.changed.connect(lambda _code: self.retranslate())
        self.write_status = WriteStatus(runner, language, self.statusBar())  # writes that wait

        self._build_actions()
        self.visit_actions = VisitActions(
            runner,
            clock,
            signed_in=self.signed_in,
            changes=self.changes,
            queue=self.queue,
            panel=lambda: self.visit_panel,
            current_customer=self.current_customer,
            open_customer=self.open_customer,
            focus_search=self.search.focus_search,
            say=self.say,
            parent=self,
            ready_for_next=lambda: self.customer_screen.ready_for_next(),
        )
        self.session_actions = SessionActions(
            runner,
            clock,
            signed_in=self.signed_in,
            changes=self.changes,
            settings=lambda: self.settings,
            language=language,
            say=self.say,
            db_path=db_path,
            parent=self,
        )
        self.data_actions = DataActions(
            runner,
            clock,
            changes=self.changes,
            settings=lambda: self.settings,
            as_manager=self.session_actions.with_manager,
            current_customer=self.current_customer,
            say=self.say,
            db_path=db_path,
            parent=self,
        )
        self.data_actions.set_read_only(read_only)
        self.idle_lock = IdleLock(
            self,
            runner,
            clock,
            settings.idle_lock_minutes,
            signed_in=self.signed_in,
            read_only=lambda: self.data_actions.read_only,
        )
        self.idle_lock.unlocked.connect(lambda: self.search.focus_search())
        self.customer_screen = CustomerScreenActions(
            self,
            runner,
            staff_id=lambda: self.visit_actions.staff_id(),
            clock=clock,
            say=lambda text: self.say(text, 8000),
        )
        self.idle_lock.did_lock.connect(self.customer_screen.blank)
        self.customer_screen.follow_up_saved.connect(self.visit_actions.follow_up_saved)
        self.customer_screen.answered.connect(
            lambda answer: self.changes.notify(
                Changes.of_customer(answer.customer_id, visits=True)
                if answer.customer_id is not None
                else Changes(visits=True, customer_ids=frozenset())
            )
        )
        self.signed_in.changed.connect(self.customer_screen.staff_changed)
        self._place_actions()
        self.changes.changed.connect(self._changes_arrived)
        self.queue.changed_elsewhere.connect(lambda: self._reload_profile())
        # The panels and the idle lock wrote their texts when built: only what has none yet
        # (measuring the search columns twice, for one, cost start-up time).
        self._retranslate_own()
        self.visit_actions.retranslate()
        self.session_actions.retranslate()
        self.data_actions.retranslate()
        self._retranslate_placeholders()
        self.order_tabs()
        self.search.focus_search()
        # Typing never reaches the visit: see ui.keyboard.
        self.typing_guard = TypingGuard(
            self, self.search.start_typing, lambda: not self.idle_lock.locked
        )
        self._idle_work: list[Callable[[], object]] = []
        self._idle_done = False
        self._on_first_paint: list[Callable[[], object]] | None = []  # None: painted
        self._first_paint_watch = _FirstPaint(self, self._first_painted)
        self.when_idle(self.search.fit_columns)

    @property
    def session(self) -> Session | None:
        return self.signed_in.session

    @property
    def staff_id(self) -> int | None:
        return self.signed_in.staff_id

    def attach_hub_sync(self, hub_sync: HubSync) -> None:
        """Keep this counter in sync with its hub (ui/sync_status.py): the status bar says how
        it goes, a write here is uploaded soon, a download that changed rows reloads what
        shows them, and the manager's Store setup gets its Hub tab."""
        from ui.sync_status import SyncStatusLabel

        self.hub_sync = hub_sync
        self.session_actions.hub_sync = hub_sync
        self.sync_status: SyncStatusLabel = SyncStatusLabel(
            hub_sync, self.language, self.statusBar()
        )
        # What a download changed, and only that, reloads (the kinds of rows, the customers).
        hub_sync.downloaded.connect(lambda result: self.changes.notify(Changes.of_download(result)))
        # Joined, downloads say what they changed; the queue's poll for other connections'
        # commits (two windows on one file) goes on, but no longer reloads the profile after
        # every sync's own bookkeeping.
        hub_sync.state_changed.connect(lambda state: self.queue.set_joined(state.joined))
        self.changes.changed.connect(lambda changes: None if changes.from_hub else hub_sync.soon())
        hub_sync.start()

    def say(self, text: str, ms: int = 6000) -> None:
        """A message in the status bar for ``ms`` milliseconds."""
        self.statusBar().showMessage(text, ms)

    # panels built after the first paint ---------------------------------------------------
    @property
    def profile(self) -> ProfilePanel:
        return self._panel("profile")  # type: ignore[return-value]

    @property
    def phrases(self) -> PhrasePanel:
        return self._panel("phrases")  # type: ignore[return-value]

    @property
    def visit_panel(self) -> VisitPanel:
        return self._panel("visit_panel")  # type: ignore[return-value]

    def panel_built(self, name: str) -> bool:
        return name in self._panels

    def _panel(self, name: str) -> QWidget:
        panel = self._panels.get(name)
        if panel is None:
            panel = self._panels[name] = self._build_panel(name)
            placeholder = self._placeholders.pop(name)
            splitter = placeholder.parentWidget()
            assert isinstance(splitter, QSplitter)
            index = splitter.indexOf(placeholder)
            policy = placeholder.sizePolicy()  # the stretch factor set on the placeholder
            splitter.replaceWidget(index, panel)
            splitter.setStretchFactor(
                index,
                policy.horizontalStretch()
                if splitter.orientation() == Qt.Orientation.Horizontal
                else policy.verticalStretch(),
            )
            placeholder.deleteLater()
            if name == "visit_panel":
                self.visit_actions.panel_built(cast("VisitPanel", panel))
            self.order_tabs()
        return panel

    def order_tabs(self) -> None:
        """Tab goes through the screen in reading order: the search box, the queue and its
        buttons (the left column), then the profile, the phrases and the visit (the right
        one), and from the last back to the search box. A panel built later joins in place."""
        chain = [*self.search.tab_order(), *self.queue.tab_order()]
        for name in DEFERRED_PANELS:
            if name in self._panels:
                chain += self._panels[name].tab_order()  # type: ignore[attr-defined]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _build_panel(self, name: str) -> QWidget:
        if name == "profile":
            from ui.counter_view.profile_panel import ProfilePanel

            profile = ProfilePanel(self, runner=self.runner, clock=self.clock)
            profile.edit_requested.connect(lambda _id: self.edit_customer())
            profile.gone.connect(lambda customer_id: self._open_failed(NotFound(customer_id)))
            return profile
        staff_id = lambda: self.visit_actions.staff_id()  # noqa: E731
        if name == "phrases":
            from ui.counter_view.phrase_panel import PhrasePanel

            phrases = PhrasePanel(self.runner, clock=self.clock, staff_id=staff_id, parent=self)
            phrases.copied.connect(
                lambda text: self.statusBar().showMessage(
                    _("Copied: {text}").format(text=text), 4000
                )
            )
            return phrases
        from ui.counter_view.visit_panel import VisitPanel

        visit_panel = VisitPanel(self.runner, clock=self.clock, staff_id=staff_id, parent=self)
        # What to say follows the checklist's current step (building the phrases if need be).
        visit_panel.step_changed.connect(lambda step: self.phrases.set_step(step))
        visit_panel.shown.connect(self.customer_screen.visit_shown)
        visit_panel.ended.connect(self.customer_screen.visit_ended)
        return visit_panel

    def _runner_busy_changed(self, busy: bool) -> None:
        self._runner_busy = busy
        if not busy and self._build_when_idle:
            self._build_when_idle = False
            QTimer.singleShot(0, self, self._idle_step)

    def after_first_paint(self, work: Callable[[], object]) -> None:
        """Run ``work`` once, as soon as the window's first paint is done (before the idle
        work, and whether or not the database worker is busy); at once if it is done."""
        if self._on_first_paint is None:
            work()
        else:
            self._on_first_paint.append(work)

    def _first_painted(self) -> None:
        work, self._on_first_paint = self._on_first_paint or [], None
        for step in work:
            step()
        self._idle_step()

    def when_idle(self, work: Callable[[], object]) -> None:
        """Run ``work`` once the window is painted, after the deferred panels, in the event
        loop's idle time while the database worker has nothing to do (see _idle_step)."""
        self._idle_work.append(work)
        if self._idle_done:  # the first round is over: start another
            self._idle_done = False
            QTimer.singleShot(0, self, self._idle_step)

    def _idle_step(self) -> None:
        """One deferred panel or one piece of ``when_idle`` work per turn of the event loop,
        so input is handled in between, and only while the database worker has nothing to
        do: a search typed at once is answered first (building a panel holds the interpreter
        the worker needs too)."""
        if self._runner_busy:
            self._build_when_idle = True  # resumed by busy_changed(False)
            return
        name = next((n for n in DEFERRED_PANELS if n not in self._panels), None)
        if name is not None:
            self._panel(name)
        elif self._idle_work:
            self._idle_work.pop(0)()
        else:
            self._idle_done = True
            return
        QTimer.singleShot(0, self, self._idle_step)

    def _retranslate_placeholders(self) -> None:
        for name, placeholder in self._placeholders.items():
            placeholder.label.setText(_placeholder_text(name))
            if placeholder.title is not None:
                placeholder.title.setText(_("What to say"))

    # actions -----------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_customer)
        self.edit_action = QAction(self)
        self.edit_action.setShortcut(keys(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier))
        self.edit_action.triggered.connect(self.edit_customer)
        self.find_action = QAction(self)
        self.find_action.setShortcuts(
            [*QKeySequence.keyBindings(QKeySequence.StandardKey.Find), keys(Qt.Key.Key_F3)]
        )
        self.find_action.triggered.connect(lambda: self.search.focus_search())
        self.quit_action = QAction(self)
        # The platform's quit key; some platforms (and offscreen) have none: Ctrl+Q then.
        quit_key = QKeySequence(QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcut(
            keys(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
            if quit_key.isEmpty()
            else quit_key
        )
        self.quit_action.triggered.connect(self.close)
        self.reload_action = QAction(self)
        self.reload_action.setShortcut(keys(Qt.Key.Key_F5))
        self.reload_action.triggered.connect(lambda: self.reload())
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)

        self.file_menu = self.menuBar().addMenu("")
        self.file_menu.addAction(self.quit_action)
        self.customer_menu = self.menuBar().addMenu("")
        for action in (self.find_action, self.new_action, self.edit_action, self.reload_action):
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

    def _place_actions(self) -> None:
        """The visit, sign-in and data-safety actions in the menus, the status bar and on the
        window (shortcuts that work without a menu entry)."""
        visit, session, data = self.visit_actions, self.session_actions, self.data_actions
        self.menuBar().insertMenu(self.language_menu.menuAction(), visit.menu)
        visit.menu.addSeparator()
        visit.menu.addAction(self.customer_screen.action)
        for action in (*visit.step_actions, session.switch_action):
            self.addAction(action)
        quit_action = self.quit_action
        for action in (data.backup_action, data.restore_action):
            self.file_menu.insertAction(quit_action, action)
        self.file_menu.insertSeparator(quit_action)
        for action in (data.import_action, data.export_action):
            self.file_menu.insertAction(quit_action, action)
        self.file_menu.insertSeparator(quit_action)
        self.file_menu.insertAction(quit_action, session.switch_action)
        self.file_menu.insertSeparator(quit_action)
        self.customer_menu.addSeparator()
        self.customer_menu.addAction(data.customer_data_action)
        self.customer_menu.addAction(data.erase_action)
        self.manage_menu.addSeparator()
        for action in session.tab_actions.values():
            self.manage_menu.addAction(action)
        self.statusBar().addPermanentWidget(session.who)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, data.banner)

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
        self.queue.retranslate()
        for panel in self._panels.values():  # the others write their texts when built
            panel.retranslate()  # type: ignore[attr-defined]
        self._retranslate_placeholders()
        self.visit_actions.retranslate()
        self.session_actions.retranslate()
        self.data_actions.retranslate()
        self.idle_lock.retranslate()
        self.customer_screen.retranslate()

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
        self.reload_action.setText(_("Re&load the customer and the queue"))
        self.quit_action.setText(_("&Quit"))
        self.shortcuts_action.setText(_("&Keyboard shortcuts"))
        if self.language.code in self.language_actions:
            self.language_actions[self.language.code].setChecked(True)

    # customers ---------------------------------------------------------------------------
    def open_customer(self, customer_id: int) -> None:
        self.runner.run(
            lambda db: _load_profile(db, customer_id),
            self._show_profile,
            self._open_failed,
            key="profile",
        )

    def _changes_arrived(self, changes: Changes) -> None:
        """What this window shows itself: the profile on screen, the search results, the
        phrases and the store's settings (the queue, the follow-up list and the manager's
        window look for themselves)."""
        self.queue.apply_changes(changes)
        customer = self.current_customer()
        if (
            customer is not None
            and changes.concerns(customer.id)
            and self._profile_outdated(changes)
        ):
            self._refresh_profile(customer.id)
        if changes.customers:
            self.search.refresh()
        if changes.settings:
            if self.panel_built("phrases"):
                self.phrases.refresh()
            self.runner.run(load_settings, self._settings_loaded, key="settings")

    def _profile_outdated(self, changes: Changes) -> bool:
        """Whether the profile on screen must be read again for ``changes``. A need typed or an
        outcome chosen only updates the open visit's history row, unless the history does not
        list that visit yet (served without queueing)."""
        if changes.visits or changes.follow_ups or changes.customers:
            return True
        if not changes.visit_details or changes.visit is None:
            return False
        return not (self.panel_built("profile") and self.profile.show_visit(changes.visit))

    def _reload_profile(self) -> None:
        """Another counter committed: the profile on screen is read again."""
        if self.panel_built("profile"):
            self.profile.reload()

    def _refresh_profile(self, customer_id: int) -> None:
        """The customer on screen again; one erased or gone meanwhile leaves the screen."""

        def failed(error: BaseException) -> None:
            if isinstance(error, NotFound):
                self._forget_customer()
            else:
                self._task_failed(error)

        self.runner.run(lambda db: _load_profile(db, customer_id), self._show_profile, failed)

    def _forget_customer(self) -> None:
        for name in ("profile", "phrases"):
            if self.panel_built(name):
                self._panels[name].clear()  # type: ignore[attr-defined]
        self.edit_action.setEnabled(False)

    def _show_profile(self, profile: CustomerProfile) -> None:
        self.profile.show_profile(profile, self.clock())
        self.phrases.show_customer(profile.customer.id)
        self.edit_action.setEnabled(True)

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            self.statusBar().showMessage(_("That customer no longer exists."), 5000)
            self._forget_customer()
        else:
            self._task_failed(error)

    def reload(self) -> None:
        """F5: read the customer on screen and the queue again."""
        if self.panel_built("profile"):
            self.profile.reload()
        self.queue.reload()

    def current_customer(self) -> Customer | None:
        if not self.panel_built("profile"):
            return None  # nobody opened yet
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
        on_screen = self.current_customer()
        self.changes.notify(Changes.of_customer(customer.id, customers=True))
        if on_screen is None or on_screen.id != customer.id:  # else the notice reloaded it
            self.open_customer(customer.id)

    # language and manager tools ---------------------------------------------------------
    def apply_settings(self, settings: StoreSettings) -> None:
        """A manager saved the store's settings: the queue's timers and the idle lock follow."""
        self.settings = settings
        self.queue.model.set_thresholds(settings.wait_amber_minutes, settings.wait_red_minutes)
        self.idle_lock.set_minutes(settings.idle_lock_minutes)

    def _settings_loaded(self, settings: StoreSettings) -> None:
        """The store's settings as saved (the first start, or a manager): applied, and the
        store's language taken up when nobody chose a UI language."""
        self.apply_settings(settings)
        if not settings.ui_language and settings.store_language != self.language.code:
            self.language.set_language(settings.store_language)
        else:
            self.retranslate()

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
        editor.saved.connect(lambda: self.changes.notify(Changes(settings=True)))
        editor.finished.connect(editor.deleteLater)
        editor.open()
        return editor

    # help and errors ---------------------------------------------------------------------
    def shortcut_rows(self) -> list[ShortcutRow]:
        """Every shortcut of the counter screen, as the F1 help lists them, from the actions'
        own keys (so the help, the menus and what fires never disagree)."""
        return [
            ShortcutRow("find", tuple(self.find_action.shortcuts()), _("Find a customer")),
            ShortcutRow(
                "results",
                (
                    keys(Qt.Key.Key_Down),
                    keys(Qt.Key.Key_Up),
                    keys(Qt.Key.Key_Return),
                    keys(Qt.Key.Key_Enter),
                ),
                _("Move through the results and open one"),
                label="↓ ↑ " + key_text(keys(Qt.Key.Key_Return)),
            ),
            ShortcutRow("clear", (keys(Qt.Key.Key_Escape),), _("Clear the search")),
            ShortcutRow(
                "new", tuple(self.new_action.shortcuts()), _("New customer from what you typed")
            ),
            ShortcutRow(
                "edit", tuple(self.edit_action.shortcuts()), _("Edit the customer on screen")
            ),
            ShortcutRow(
                "reload",
                tuple(self.reload_action.shortcuts()),
                _("Reload the customer and the queue"),
            ),
            *self.visit_actions.shortcut_rows(),
            *self.session_actions.shortcut_rows(),
            ShortcutRow(
                "copy",
                tuple(s.key() for s in self.phrases.shortcuts),
                _("Copy a suggested phrase"),
                span=True,
            ),
            ShortcutRow(
                "help", tuple(self.shortcuts_action.shortcuts()), _("This list of shortcuts")
            ),
            ShortcutRow("quit", tuple(self.quit_action.shortcuts()), _("Quit")),
        ]

    def shortcut_row(self, name: str) -> ShortcutRow:
        return next(row for row in self.shortcut_rows() if row.name == name)

    def show_shortcuts(self) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox

        text = "\n".join(f"{row.keys_text()}\t{row.what}" for row in self.shortcut_rows())
        box = QMessageBox(QMessageBox.Icon.Information, _("Keyboard shortcuts"), text, parent=self)
        box.setObjectName("shortcutHelp")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _task_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(error_text(error), 10000)


class _FirstPaint(QObject):
    """Calls ``then`` once the window's first paint is done and the event loop is idle: after
    the first Paint event of the window, a zero-time timer (it runs once pending events are
    handled). A window shown but never painted (started minimised) gets there a second after
    it was shown; a window never shown never builds the deferred panels unless they are used."""

    FALLBACK_MS = 1000

    def __init__(self, window: QWidget, then: Callable[[], None]):
        super().__init__(window)
        self._window = window
        self._then = then
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and not self._done:
            if event.type() == QEvent.Type.Paint:
                self._fire()
            elif event.type() == QEvent.Type.Show:
                QTimer.singleShot(self.FALLBACK_MS, self, self._fire)
        return False

    def _fire(self) -> None:
        if not self._done:
            self._done = True
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._window, self._then)
