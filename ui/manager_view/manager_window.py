"""The manager's window: visit log, dashboard, staff, audit log, the checklist and the store's
settings and outcomes in tabs. Opened only with a manager's session (the main window asks for
a manager PIN first); the domain checks it again on every call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from counter.durations import Targets
from counter.roles import Session
from counter.settings import StoreSettings, load_settings
from ui.changes import ChangeBus, Changes
from ui.i18n import UiLanguage, _, pgettext
from ui.manager_view.audit_view import AuditLogView
from ui.manager_view.checklist_editor import ChecklistEditor
from ui.manager_view.dashboard import DashboardView
from ui.manager_view.hub_view import HubView
from ui.manager_view.outcome_editor import OutcomeEditor
from ui.manager_view.reason_editor import ReasonEditor
from ui.manager_view.staff_admin import StaffAdminView
from ui.manager_view.store_settings_view import StoreSettingsView
from ui.manager_view.stores_view import StoresView
from ui.manager_view.visit_log import VisitLogView
from ui.sync_status import HubSync
from ui.tasks import Runner
from ui.window_state import WindowState

TABS = ("log", "dashboard", "staff", "audit", "checklist", "setup")


class _Retranslates(Protocol):
    def retranslate(self) -> None: ...


class ManagerWindow(QMainWindow):
    settings_saved = Signal(object)  # StoreSettings: the counter screen follows them

    def __init__(
        self,
        runner: Runner,
        session: Session,
        settings: StoreSettings,
        language: UiLanguage,
        clock: Callable[[], int],
        parent: QWidget | None = None,
        *,
        db_path: Path | None = None,  # the database file, for the default backup folder
        changes: ChangeBus | None = None,  # the counter screen's change signal
        hub_sync: HubSync | None = None,  # the counter's sync with its hub: the Hub tab
    ):
        super().__init__(parent)
        self.setObjectName("managerWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.settings = settings
        self.setProperty("storeName", settings.store_name)
        targets = Targets.from_settings(settings)
        self.log = VisitLogView(runner, session, clock, targets, self)
        self.dashboard = DashboardView(runner, session, clock, targets, self)
        self.staff = StaffAdminView(runner, session, clock, self)
        self.audit = AuditLogView(runner, session, self)
        self.checklist = ChecklistEditor(
            runner, session, clock, language=settings.store_language, parent=self
        )
        # The store's settings and the outcomes a visit can end with, side by side.
        # Store setup ▸ Settings | Hub (several counters): tabs of their own, made before what
        # is on them so that Tab reaches their tab bar first.
        self.setup_tabs = QTabWidget(self)
        self.setup_tabs.setObjectName("setupTabs")
        self.setup = QWidget(self)
        self.setup.setObjectName("storeSetup")
        self.store_settings = StoreSettingsView(runner, session, clock, self.setup, db_path=db_path)
        self.store_settings.saved.connect(self._settings_saved)
        self.outcomes = OutcomeEditor(runner, session, clock, self.setup)
        self.reasons = ReasonEditor(
            runner, session, clock, language=settings.store_language, parent=self.setup
        )
        lists = QVBoxLayout()
        lists.addWidget(self.outcomes, 1)
        lists.addWidget(self.reasons, 1)
        setup_layout = QHBoxLayout(self.setup)
        setup_layout.addWidget(self.store_settings, 1)
        setup_layout.addLayout(lists, 1)
        self.setup_tabs.addTab(self.setup, "")
        self.hub: HubView | None = None
        if hub_sync is not None:
            self.hub = HubView(hub_sync, clock, self.setup_tabs)
            self.setup_tabs.addTab(self.hub, "")
        pages = (self.log, self.dashboard, self.staff, self.audit, self.checklist, self.setup_tabs)
        # What retranslates.
        self.views: tuple[_Retranslates, ...] = (
            *pages[:-1],
            self.store_settings,
            self.outcomes,
            self.reasons,
        )
        if self.hub is not None:
            self.views = (*self.views, self.hub)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("managerTabs")
        for widget in pages:  # in the order of TABS
            self.tabs.addTab(widget, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        # What the manager saves here, the counter screen follows; what changes anywhere, the
        # log and the dashboard decide whether to show again.
        self._changes = changes or ChangeBus(self)
        self._changes.changed.connect(self._changes_arrived)
        self.checklist.changed.connect(lambda: self._changes.notify(Changes(settings=True)))
        self.outcomes.changed.connect(lambda: self._changes.notify(Changes(settings=True)))
        self.reasons.changed.connect(lambda: self._changes.notify(Changes(settings=True)))
        self.staff.changed.connect(lambda: self._changes.notify(Changes(staff=True)))
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence.StandardKey.Close)
        self.close_action.triggered.connect(self.close)
        self.addAction(self.close_action)
        self.window_state = WindowState(self, "manager", default_size=QSize(1200, 760))
        self.window_state.track("logColumns", self.log.table.horizontalHeader())
        self._language = language
        self._closed = False
        language.changed.connect(self._language_changed)
        # The Stores tab, on a counter that joined a hub: every store, read from the hub.
        self.stores: StoresView | None = None
        self._runner = runner
        self._clock = clock
        from counter.sync import status as sync_status

        runner.run(lambda db: sync_status(db).joined, self._joined_known)
        self.retranslate()

    def _joined_known(self, joined: bool) -> None:
        if not joined or self.stores is not None or self._closed:
            return
        self.stores = StoresView(self._runner, self.session, self._clock, self)
        self.tabs.addTab(self.stores, _("Stores"))
        self.views = (*self.views, self.stores)

    def show_tab(self, key: str) -> None:
        if key == "hub":  # Store setup ▸ Hub
            self.tabs.setCurrentIndex(TABS.index("setup"))
            if self.hub is not None:
                self.setup_tabs.setCurrentWidget(self.hub)
            return
        if key == "stores":
            if self.stores is not None:
                self.tabs.setCurrentWidget(self.stores)
                self.stores.reload()
            return
        self.tabs.setCurrentIndex(TABS.index(key))

    def _tab_changed(self, index: int) -> None:
        if index >= len(TABS):
            if self.stores is not None and self.stores.link is None:
                self.stores.reload()
            return
        if TABS[index] == "audit":
            self.audit.model.reload()

    def _settings_saved(self, settings: StoreSettings) -> None:
        self.settings = settings
        self.setProperty("storeName", settings.store_name)
        self._show_title()
        targets = Targets.from_settings(settings)
        self.log.set_targets(targets)
        self.dashboard.set_targets(targets)
        self.settings_saved.emit(settings)
        self._changes.notify(Changes(settings=True))

    def _changes_arrived(self, changes: Changes) -> None:
        self.log.apply_changes(changes)
        self.dashboard.apply_changes(changes)
        if changes.settings and changes.from_hub:  # the store's targets, set on the hub
            self.store_settings.reload()
            self._runner.run(load_settings, self._settings_from_hub, key="manager_settings")

    def _settings_from_hub(self, settings: StoreSettings) -> None:
        self.settings = settings
        self.setProperty("storeName", settings.store_name)
        self._show_title()
        targets = Targets.from_settings(settings)
        self.log.set_targets(targets)
        self.dashboard.set_targets(targets)

    def _language_changed(self, _code: str) -> None:
        self.retranslate()

    def _show_title(self) -> None:
        store = self.settings.store_name
        title = _("Manage")
        self.setWindowTitle(f"{title} — {store}" if store else title)

    def retranslate(self) -> None:
        self._show_title()
        for key, text in zip(
            TABS,
            (
                _("Visit log"),
                _("Dashboard"),
                pgettext("manager tab", "Staff"),
                _("Audit log"),
                _("Checklist"),
                _("Store setup"),
            ),
            strict=True,
        ):
            self.tabs.setTabText(TABS.index(key), text)
        self.tabs.setAccessibleName(_("Manage"))
        self.setup_tabs.setAccessibleName(_("Store setup"))
        self.setup_tabs.setTabText(0, _("Settings and outcomes"))
        if self.hub is not None:
            self.setup_tabs.setTabText(1, _("Hub"))
        if getattr(self, "stores", None) is not None and self.stores is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.stores), _("Stores"))
        self.who.setText(_("Signed in as {name} (manager)").format(name=self.session.name))
        for view in self.views:
            view.retranslate()

    def closeEvent(self, event) -> None:
        if not self._closed:  # a window closed twice (close(), then its owner) disconnects once
            self._closed = True
            self._language.changed.disconnect(self._language_changed)
            if self.stores is not None:
                self.stores.close_link()
        super().closeEvent(event)
