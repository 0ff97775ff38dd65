"""Who is signed in at this counter, and the manager's tools.

Ctrl+L opens the sign-in dialog (switch staff in two keystrokes plus the PIN). Signing in sets
who is signed in (``ui.signed_in.SignedIn``). The Manage menu's Visit log, Dashboard,
Export, Staff and Audit log open the manager window, after a manager's PIN when the person
signed in is not a manager (the domain checks the session again on every call); so do
Checklist and Store setup, whose saved settings the counter screen follows at once (a change
notice, ``ui.changes``). The first start, with no manager yet, asks for the store and the
first manager instead. The window that owns these actions puts them in its menus.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from counter.roles import Session
from counter.settings import StoreSettings
from ui.changes import ChangeBus, Changes
from ui.i18n import UiLanguage, _
from ui.keyboard import ShortcutRow, keys
from ui.signed_in import SignedIn
from ui.tasks import Runner
from ui.window_state import last_signed_in, remember_sign_in

if TYPE_CHECKING:
    from ui.manager_view.manager_window import ManagerWindow
    from ui.sign_in import FirstStartDialog, SignInDialog
    from ui.sync_status import HubSync


def _needs_setup(db) -> bool:
    from counter.auth import needs_setup  # on the worker, after the first paint

    return needs_setup(db)


class SessionActions(QObject):
    def __init__(
        self,
        runner: Runner,
        clock: Callable[[], int],
        *,
        signed_in: SignedIn,
        changes: ChangeBus,
        settings: Callable[[], StoreSettings],  # the store's settings as the screen has them
        language: UiLanguage,
        say: Callable[[str, int], None],  # a message in the status bar, for so many ms
        db_path: Path | None,
        parent: QWidget,  # the dialogs' parent; it also owns the actions
    ):
        super().__init__(parent)
        self.runner = runner
        self.clock = clock
        self.signed_in = signed_in
        self.changes = changes
        self._settings = settings
        self._language = language
        self._say = say
        self._db_path = db_path
        self._parent = parent
        self.manager_window: ManagerWindow | None = None
        self.hub_sync: HubSync | None = None  # the Hub tab's worker (ui/sync_status.py)
        self.dialog: SignInDialog | FirstStartDialog | None = None

        self.switch_action = QAction(parent)
        self.switch_action.setObjectName("switchStaff")
        self.switch_action.setShortcut(keys(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier))
        self.switch_action.triggered.connect(lambda: self.sign_in())
        self.tab_actions: dict[str, QAction] = {}
        for key in ("log", "dashboard", "export", "staff", "audit", "checklist", "setup"):
            action = QAction(parent)
            action.setObjectName(f"manage_{key}")
            action.triggered.connect(lambda _c=False, k=key: self.open_manager(k))
            self.tab_actions[key] = action

        self.who = QLabel(parent)  # for the status bar: who is signed in
        self.who.setObjectName("signedInAs")
        signed_in.changed.connect(self._signed_in_changed)

    # signing in --------------------------------------------------------------------------
    def start(self, then: Callable[[], None] | None = None) -> None:
        """On start: the first-start dialog when there is no manager yet, else sign-in.
        ``then`` runs once that dialog is closed (either way)."""

        def decided(setup: bool) -> None:
            dialog = self.first_start() if setup else self.sign_in()
            if then is not None:
                dialog.finished.connect(lambda _result: then())

        self.runner.run(_needs_setup, decided, key="needs-setup")

    def first_start(self) -> FirstStartDialog:
        from ui.sign_in import FirstStartDialog  # shown once the worker has answered

        settings = self._settings()
        dialog = FirstStartDialog(
            self.runner,
            self.clock,
            store_name=settings.store_name,
            store_language=settings.store_language,
            parent=self._parent,
        )
        dialog.signed_in.connect(self._set_up)
        return self._open(dialog)

    def _set_up(self, session: Session) -> None:
        self.set_session(session)
        self.changes.notify(Changes(settings=True, staff=True))  # the store and its manager

    def sign_in(self) -> SignInDialog:
        """Ctrl+L: sign in, or switch to another staff member."""
        from ui.sign_in import SignInDialog  # shown once the worker has answered

        # Whoever is signed in, else whoever signed in last at this counter (not the first
        # name in the list).
        signed_in = self.signed_in.staff_id
        dialog = SignInDialog(
            self.runner,
            self.clock,
            preselect=signed_in if signed_in is not None else last_signed_in(),
            # Nobody signed in (the start of the day): the last person here types their PIN
            # at once; switching staff starts at the names.
            pin_first=signed_in is None,
            parent=self._parent,
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
        self.signed_in.set(session)

    def _signed_in_changed(self, session: Session | None) -> None:
        self.retranslate()
        if session is not None:
            remember_sign_in(session.staff_id)
            self._say(_("Signed in: {name}").format(name=session.name), 4000)

    # manager tools -----------------------------------------------------------------------
    def with_manager(self, callback: Callable[[Session], object]) -> SignInDialog | None:
        """Call ``callback`` with a manager's session: the signed-in one, or after a manager
        signs in for this (the counter stays signed in as whoever it was)."""
        session = self.signed_in.session
        if session is not None and session.is_manager:
            callback(session)
            return None
        from ui.sign_in import SignInDialog

        dialog = SignInDialog(self.runner, self.clock, managers_only=True, parent=self._parent)
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
                self._settings(),
                self._language,
                self.clock,
                db_path=self._db_path,
                changes=self.changes,
                hub_sync=self.hub_sync,
            )
            current.destroyed.connect(lambda _o=None: self._manager_closed(current))
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
        session = self.signed_in.session
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
