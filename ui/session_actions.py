"""Who is signed in at this counter, and the manager's tools.

Ctrl+L opens the sign-in dialog (switch staff in two keystrokes plus the PIN). Signing in sets
``MainWindow.staff_id`` and ``MainWindow.session``. The Manage menu's Visit log, Dashboard,
Export, Staff and Audit log open the manager window, after a manager's PIN when the person
signed in is not a manager (the domain checks the session again on every call); so do
Checklist and Store setup, whose saved settings the counter screen follows at once. The first
start, with no manager yet, asks for the store and the first manager instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from counter.auth import needs_setup
from counter.roles import Session
from counter.settings import StoreSettings, load_settings
from ui.i18n import _
from ui.keyboard import ShortcutRow, keys
from ui.sign_in import FirstStartDialog, SignInDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.manager_view.manager_window import ManagerWindow


class SessionActions(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.runner = window.runner
        self.manager_window: ManagerWindow | None = None
        self.dialog: SignInDialog | FirstStartDialog | None = None
        if not hasattr(window, "session"):
            window.session = None

        self.switch_action = QAction(window)
        self.switch_action.setObjectName("switchStaff")
        self.switch_action.setShortcut(keys(Qt.Key_L, Qt.ControlModifier))
        self.switch_action.triggered.connect(lambda: self.sign_in())
        window.addAction(self.switch_action)
        window.file_menu.insertAction(window.file_menu.actions()[0], self.switch_action)
        window.file_menu.insertSeparator(window.file_menu.actions()[1])

        menu: QMenu | None = getattr(window, "manage_menu", None)
        if menu is None:  # nobody made the Manage menu yet
            menu = window.menuBar().insertMenu(window.help_menu.menuAction(), QMenu(window)).menu()
            window.manage_menu = menu
        elif menu.actions():
            menu.addSeparator()
        self.tab_actions: dict[str, QAction] = {}
        for key in ("log", "dashboard", "export", "staff", "audit", "checklist", "setup"):
            action = QAction(window)
            action.setObjectName(f"manage_{key}")
            action.triggered.connect(lambda _c=False, k=key: self.open_manager(k))
            menu.addAction(action)
            self.tab_actions[key] = action

        self.who = QLabel(window)
        self.who.setObjectName("signedInAs")
        window.statusBar().addPermanentWidget(self.who)

    # signing in --------------------------------------------------------------------------
    def start(self, then: Callable[[], None] | None = None) -> None:
        """On start: the first-start dialog when there is no manager yet, else sign-in.
        ``then`` runs once that dialog is closed (either way)."""

        def decided(setup: bool) -> None:
            dialog = self.first_start() if setup else self.sign_in()
            if then is not None:
                dialog.finished.connect(lambda _result: then())

        self.runner.run(needs_setup, decided, key="needs-setup")

    def first_start(self) -> FirstStartDialog:
        settings = self.window.settings
        dialog = FirstStartDialog(
            self.runner,
            self.window.clock,
            store_name=settings.store_name,
            store_language=settings.store_language,
            parent=self.window,
        )
        dialog.signed_in.connect(self._set_up)
        return self._open(dialog)

    def _set_up(self, session: Session) -> None:
        self.set_session(session)
        self.runner.run(load_settings, self._settings_loaded)

    def _settings_loaded(self, settings: StoreSettings) -> None:
        self.window.apply_settings(settings)
        if not settings.ui_language and settings.store_language != self.window.language.code:
            self.window.language.set_language(settings.store_language)
        else:
            self.window.retranslate()

    def sign_in(self) -> SignInDialog:
        """Ctrl+L: sign in, or switch to another staff member."""
        dialog = SignInDialog(
            self.runner,
            self.window.clock,
            preselect=self.window.staff_id,
            parent=self.window,
        )
        dialog.signed_in.connect(self.set_session)
        return self._open(dialog)

    def _open(self, dialog):
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def set_session(self, session: Session | None) -> None:
        self.window.session = session
        self.window.staff_id = session.staff_id if session else None
        self.retranslate()
        if session is not None:
            self.window.statusBar().showMessage(
                _("Signed in: {name}").format(name=session.name), 4000
            )

    # manager tools -----------------------------------------------------------------------
    def with_manager(self, callback: Callable[[Session], None]) -> SignInDialog | None:
        """Call ``callback`` with a manager's session: the signed-in one, or after a manager
        signs in for this (the counter stays signed in as whoever it was)."""
        session = self.window.session
        if session is not None and session.is_manager:
            callback(session)
            return None
        dialog = SignInDialog(
            self.runner, self.window.clock, managers_only=True, parent=self.window
        )
        dialog.signed_in.connect(callback)
        return self._open(dialog)

    def open_manager(self, key: str = "log") -> SignInDialog | None:
        return self.with_manager(lambda session: self._show_manager(session, key))

    def _show_manager(self, session: Session, key: str) -> ManagerWindow:
        from ui.manager_view.manager_window import ManagerWindow  # QtCharts only when needed

        current = self.manager_window
        if current is None or current.session.staff_id != session.staff_id:
            if current is not None:
                current.close()
            current = ManagerWindow(
                self.runner,
                session,
                self.window.settings,
                self.window.language,
                self.window.clock,
                db_path=self.window.data_actions.db_path,
            )
            current.destroyed.connect(lambda _o=None: self._manager_closed(current))
            current.settings_saved.connect(self._settings_loaded)
            self.manager_window = current
        current.show_tab("log" if key == "export" else key)
        current.show()
        current.raise_()
        current.activateWindow()
        if key == "export":
            current.log.export_dialog()
        return current

    def _manager_closed(self, closed) -> None:
        if self.manager_window is closed:
            self.manager_window = None

    def retranslate(self) -> None:
        self.switch_action.setText(_("&Sign in / switch staff…"))
        texts = {
            "log": _("Visit &log"),
            "dashboard": _("&Dashboard"),
            "export": _("E&xport visits…"),
            "staff": _("S&taff"),
            "audit": _("&Audit log"),
            "checklist": _("C&hecklist"),
            "setup": _("Store s&etup"),
        }
        for key, text in texts.items():
            self.tab_actions[key].setText(text)
        session = self.window.session
        if session is None:
            self.who.setText(_("Nobody signed in (Ctrl+L)"))
        elif session.is_manager:
            self.who.setText(_("{name} (manager)").format(name=session.name))
        else:
            self.who.setText(session.name)

    def shortcut_rows(self) -> list[ShortcutRow]:
        return [
            ShortcutRow(
                "sign_in", tuple(self.switch_action.shortcuts()), _("Sign in or switch staff")
            )
        ]
