"""The manager's window: visit log, dashboard, staff and audit log in tabs. Opened only with a
manager's session (the main window asks for a manager PIN first); the domain checks it again
on every call."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from counter.reports import Targets
from counter.roles import Session
from counter.settings import StoreSettings
from ui.i18n import UiLanguage, _, pgettext
from ui.manager_view.audit_view import AuditLogView
from ui.manager_view.dashboard import DashboardView
from ui.manager_view.staff_admin import StaffAdminView
from ui.manager_view.visit_log import VisitLogView
from ui.tasks import Runner

TABS = ("log", "dashboard", "staff", "audit")


class ManagerWindow(QMainWindow):
    def __init__(
        self,
        runner: Runner,
        session: Session,
        settings: StoreSettings,
        language: UiLanguage,
        clock: Callable[[], int],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("managerWindow")
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.session = session
        self.settings = settings
        self.setProperty("storeName", settings.store_name)
        targets = Targets.from_settings(settings)
        self.log = VisitLogView(runner, session, clock, targets, self)
        self.dashboard = DashboardView(runner, session, clock, targets, self)
        self.staff = StaffAdminView(runner, session, clock, self)
        self.audit = AuditLogView(runner, session, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("managerTabs")
        for widget in (self.log, self.dashboard, self.staff, self.audit):
            self.tabs.addTab(widget, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.who = QLabel(self)
        self.statusBar().addPermanentWidget(self.who)
        self.close_action = QAction(self)
        self.close_action.setShortcut(QKeySequence.Close)
        self.close_action.triggered.connect(self.close)
        self.addAction(self.close_action)
        self.resize(1200, 760)
        self._language = language
        language.changed.connect(self._language_changed)
        self.retranslate()

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(key))

    def _tab_changed(self, index: int) -> None:
        if TABS[index] == "audit":
            self.audit.model.reload()

    def _language_changed(self, _code: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        store = self.settings.store_name
        title = _("Manage")
        self.setWindowTitle(f"{title} — {store}" if store else title)
        for key, text in zip(
            TABS,
            (_("Visit log"), _("Dashboard"), pgettext("manager tab", "Staff"), _("Audit log")),
            strict=True,
        ):
            self.tabs.setTabText(TABS.index(key), text)
        self.who.setText(_("Signed in as {name} (manager)").format(name=self.session.name))
        for view in (self.log, self.dashboard, self.staff, self.audit):
            view.retranslate()

    def closeEvent(self, event) -> None:
        self._language.changed.disconnect(self._language_changed)
        super().closeEvent(event)
