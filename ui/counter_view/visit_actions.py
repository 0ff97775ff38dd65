"""The visit flow on the counter screen: the Visit menu and its shortcuts, and the wiring
between the queue, the visit panel, the profile and the search box.

Every write's outcome goes out on the change signal (``ui.changes``): the queue reloads when
the queue changed, the profile when the customer on screen did; a step tick repaints one row
of the visit panel and nothing else. The window that owns these actions puts the Visit menu
in its menu bar and the step shortcuts on itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ui.changes import ChangeBus, Changes
from ui.counter_view.queue_panel import QueuePanel
from ui.error_text import error_text
from ui.i18n import _, current
from ui.keyboard import CTRL, CTRL_SHIFT, DIGITS, ShortcutRow, keys, mnemonic
from ui.models.queue_model import visitor_name
from ui.signed_in import SignedIn
from ui.tasks import Runner

# counter.visits is imported in each method that runs its functions, on the worker after the
# first paint, not with the window (ui/early_start.py).
if TYPE_CHECKING:  # the dialogs are imported when first opened
    from counter.customers import Customer
    from counter.follow_ups import FollowUpChange
    from counter.visits import Visit, VisitChange
    from ui.counter_view.follow_up_list import FollowUpListDialog
    from ui.counter_view.open_visits_dialog import OpenVisitsDialog
    from ui.counter_view.visit_panel import VisitPanel

STEP_SHORTCUTS = 9


def _default_staff_id(db) -> int | None:
    from counter import visits  # on the worker

    return visits.default_staff_id(db)


class VisitActions(QObject):
    def __init__(
        self,
        runner: Runner,
        clock: Callable[[], int],
        *,
        signed_in: SignedIn,
        changes: ChangeBus,
        queue: QueuePanel,
        panel: Callable[[], VisitPanel],  # the visit panel, built on first use
        current_customer: Callable[[], Customer | None],  # the customer on screen
        open_customer: Callable[[int], None],
        focus_search: Callable[[], None],
        say: Callable[[str, int], None],  # a message in the status bar, for so many ms
        parent: QWidget,  # the dialogs' parent; it also owns the actions
        # False: wait before the next customer (an unhappy answer is offered a follow-up)
        ready_for_next: Callable[[], bool] = lambda: True,
    ):
        super().__init__(parent)
        self.runner = runner
        self.clock = clock
        self.signed_in = signed_in
        self.changes = changes
        self.queue = queue
        self._panel = panel
        self._current_customer = current_customer
        self._open_customer = open_customer
        self._focus_search = focus_search
        self._status = say
        self._parent = parent
        self._ready_for_next = ready_for_next
        self.open_visits_dialog: OpenVisitsDialog | None = None
        self._fallback_staff: int | None = None
        self._starting = False  # a serve is on its way (it may wait for the database)
        self.runner.run(_default_staff_id, self._fallback_loaded)

        self.check_in_action = self._action(keys(Qt.Key.Key_I, CTRL), self.check_in)
        self.serve_now_action = self._action(
            keys(Qt.Key.Key_I, CTRL_SHIFT), self.serve_customer_now
        )
        self.serve_next_action = self._action(keys(Qt.Key.Key_N, CTRL_SHIFT), self.serve_next)
        self.walk_in_action = self._action(None, lambda: self.check_in_walk_in())
        self.end_action = QAction(parent)
        # Return (the main keyboard) and Enter (the keypad): two keys, whatever Qt's
        # translation calls them (see ui.keyboard).
        self.end_action.setShortcuts([keys(Qt.Key.Key_Return, CTRL), keys(Qt.Key.Key_Enter, CTRL)])
        self.end_action.triggered.connect(lambda: self.panel.end_visit())
        self.follow_ups_action = self._action(
            keys(Qt.Key.Key_F, CTRL_SHIFT), lambda: self.show_follow_ups()
        )
        self.open_visits_action = self._action(None, self.show_open_visits)
        self.step_actions = []
        for number, digit in enumerate(DIGITS[:STEP_SHORTCUTS], start=1):
            action = self._action(
                keys(digit, CTRL), lambda _c=False, n=number: self.panel.toggle_step_number(n)
            )
            self.step_actions.append(action)  # shortcuts that work without a menu entry

        self.menu = QMenu(parent)
        for action in (
            self.check_in_action,
            self.walk_in_action,
            self.serve_now_action,
            self.serve_next_action,
            self.end_action,
        ):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.follow_ups_action)
        self.menu.addAction(self.open_visits_action)

        self.queue.serve_requested.connect(self.serve_from_queue)
        self.queue.serve_next_requested.connect(self.serve_next)
        self.queue.walk_in_requested.connect(lambda: self.check_in_walk_in())
        self.queue.remove_requested.connect(lambda visit_id: self.remove_from_queue(visit_id))
        # Another counter wrote (a visit of the customer on screen, an edit): show it.
        self.queue.reload()

    @property
    def panel(self) -> VisitPanel:
        """The window's visit panel, built on first use (see MainWindow.DEFERRED_PANELS)."""
        return self._panel()

    def panel_built(self, panel: VisitPanel) -> None:
        panel.changed.connect(self._changed)
        panel.ended.connect(lambda _change: self._focus_search())
        panel.message.connect(self._say)
        panel.follow_up_saved.connect(self.follow_up_saved)

    def _action(self, shortcut: QKeySequence | None, slot) -> QAction:
        action = QAction(self._parent)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def retranslate(self) -> None:
        self.menu.setTitle(_("&Visit"))
        self.check_in_action.setText(_("&Check in the customer on screen"))
        self.walk_in_action.setText(_("Check in a &walk-in…"))
        self.serve_now_action.setText(_("&Serve the customer on screen now"))
        self.serve_next_action.setText(_("Serve &next in the queue"))
        self.end_action.setText(_("&End the visit"))
        self.follow_ups_action.setText(_("&Follow-ups…"))
        self.open_visits_action.setText(_("&Open visits…"))
        for number, action in enumerate(self.step_actions, start=1):
            action.setText(_("Tick step {number}").format(number=number))

    def shortcut_rows(self) -> list[ShortcutRow]:
        panel = self.panel
        queue = self.queue

        def alt(*texts: str) -> tuple[QKeySequence, ...]:
            # The letters come from the widgets as translated: Alt+K in English is Alt+E in Slovak.
            return tuple(k for k in (mnemonic(t) for t in texts) if not k.isEmpty())

        def shortcuts(action: QAction) -> tuple[QKeySequence, ...]:
            return tuple(action.shortcuts())

        return [
            ShortcutRow(
                "check_in",
                shortcuts(self.check_in_action),
                _("Check in the customer on screen (no customer: a walk-in)"),
            ),
            ShortcutRow(
                "serve_now",
                shortcuts(self.serve_now_action),
                _("Serve the customer on screen now, without queueing"),
            ),
            ShortcutRow(
                "serve_next",
                shortcuts(self.serve_next_action),
                _("Serve whoever has waited longest"),
            ),
            ShortcutRow(
                "queue_enter",
                (keys(Qt.Key.Key_Return), keys(Qt.Key.Key_Enter)),
                _("In the queue: serve the highlighted customer"),
            ),
            ShortcutRow(
                "tick",
                tuple(a.shortcut() for a in self.step_actions),
                _("Tick or untick the checklist step with that number"),
                span=True,
            ),
            ShortcutRow(
                "space",
                (keys(Qt.Key.Key_Space),),
                _("In the checklist: tick or untick the highlighted step"),
            ),
            ShortcutRow("skip", alt(panel.skip_button.text()), _("Skip the highlighted step")),
            ShortcutRow(
                "fields",
                alt(*(label.text() for label in panel.form_labels)),
                _("What they need, what you offered, the outcome"),
            ),
            ShortcutRow(
                "walk_in", alt(queue.walk_in_button.text()), _("Check in a walk-in from the queue")
            ),
            ShortcutRow(
                "complaint", alt(panel.complaint.text()), _("Switch the complaint path on or off")
            ),
            ShortcutRow("follow_up", alt(panel.follow_up_button.text()), _("Promise a follow-up")),
            ShortcutRow("end", shortcuts(self.end_action), _("End the visit")),
            ShortcutRow(
                "follow_ups", shortcuts(self.follow_ups_action), _("Show the open follow-ups")
            ),
        ]

    # who is serving ----------------------------------------------------------------------
    def _fallback_loaded(self, staff_id: int | None) -> None:
        self._fallback_staff = staff_id

    def signed_in_id(self) -> int | None:
        """Who signed in at this counter (None: nobody). Authority and the audit log use this."""
        return self.signed_in.staff_id

    def staff_id(self) -> int | None:
        """Who is serving: the signed-in person, else the first active staff member."""
        signed_in = self.signed_in_id()
        return signed_in if signed_in is not None else self._fallback_staff

    # queue -------------------------------------------------------------------------------
    def _busy_with_visit(self) -> bool:
        if self._starting:
            # The last serve waits for the database: a second one would serve someone else too.
            self._say(_("Saving… waiting for the database."))
            return True
        visit = self.panel.visit
        if visit is not None and visit.status == "in_progress":
            self._say(
                _("Finish the visit with {name} first (Ctrl+Enter).").format(
                    name=visitor_name(visit)
                )
            )
            return True
        # An unhappy answer from the last customer is offered a follow-up before the next one.
        return not self._ready_for_next()

    def check_in(self) -> None:
        from counter import visits

        customer = self._current_customer()
        if customer is None:
            self.check_in_walk_in()
            return
        customer_id, now = customer.id, self.clock()
        self.runner.run(
            lambda db: visits.check_in(db, customer_id=customer_id, now=now),
            self._checked_in,
            self._failed,
            must_land=True,
        )

    def check_in_walk_in(self, name: str | None = None) -> None:
        from counter import visits

        if name is None:
            from PySide6.QtWidgets import QInputDialog  # not at start-up: ui/early_start.py

            name, ok = QInputDialog.getText(
                self._parent, _("Walk-in"), _("Name, if they want to give one (optional):")
            )
            if not ok:
                return
        now = self.clock()
        self.runner.run(
            lambda db: visits.check_in(db, walk_in_name=name, now=now),
            self._checked_in,
            self._failed,
            must_land=True,
        )

    def _checked_in(self, change: VisitChange) -> None:
        self._changed(change)
        self._say(_("{name} is waiting.").format(name=visitor_name(change.visit)))
        self._focus_search()

    def remove_from_queue(self, visit_id: int, reason: str | None = None) -> None:
        from counter import visits

        if reason is None:
            from PySide6.QtWidgets import QInputDialog

            reason, ok = QInputDialog.getText(
                self._parent,
                _("Left the queue"),
                _("Why are they leaving the queue?"),
                text=_("Left before being served"),
            )
            if not ok:
                return
        by, now = self.signed_in_id(), self.clock()
        self.runner.run(
            lambda db: visits.discard_visit(db, visit_id, reason=reason, by=by, now=now),
            self._changed,
            self._failed,
            must_land=True,
        )

    # serving -----------------------------------------------------------------------------
    def serve_next(self) -> None:
        from counter import visits

        if self._busy_with_visit():
            return
        staff, now, language = self.staff_id(), self.clock(), current().language
        self._starting = True
        self.runner.run(
            lambda db: visits.serve_next(db, staff_id=staff, now=now, language=language),
            self._serving,
            self._serve_failed,
            must_land=True,
        )

    def serve_from_queue(self, visit_id: int) -> None:
        from counter import visits

        if self._busy_with_visit():
            return
        staff, now, language = self.staff_id(), self.clock(), current().language
        self._starting = True
        self.runner.run(
            lambda db: visits.serve(db, visit_id, staff_id=staff, now=now, language=language),
            self._serving,
            self._serve_failed,
            must_land=True,
        )

    def serve_customer_now(self) -> None:
        from counter import visits

        customer = self._current_customer()
        if customer is None:
            self._say(_("Open a customer first, or check in a walk-in."))
            return
        if self._busy_with_visit():
            return
        customer_id = customer.id
        staff, now, language = self.staff_id(), self.clock(), current().language
        self._starting = True
        self.runner.run(
            lambda db: visits.serve_directly(
                db, customer_id=customer_id, staff_id=staff, now=now, language=language
            ),
            self._serving,
            self._serve_failed,
            must_land=True,
        )

    def _serving(self, change: VisitChange) -> None:
        self._starting = False
        self.resume(change.visit)
        self._changed(change)

    def resume(self, visit: Visit) -> None:
        """Put a visit in the panel as it stands, the customer's profile beside it."""
        self.panel.show_visit(visit)
        customer = self._current_customer()
        if visit.customer_id is not None and (customer is None or customer.id != visit.customer_id):
            self._open_customer(visit.customer_id)
        self.panel.steps.setFocus(Qt.FocusReason.OtherFocusReason)

    # change notices ----------------------------------------------------------------------
    def _changed(self, change: VisitChange) -> None:
        self.changes.notify(Changes.of_visit(change))

    def follow_up_saved(self, change: FollowUpChange) -> None:
        self._say(_("Follow-up saved: {promise}").format(promise=change.follow_up.description))
        self._follow_ups_changed(change)

    def _follow_ups_changed(self, change: FollowUpChange) -> None:
        self.changes.notify(Changes.of_customer(change.customer_id, follow_ups=True))

    def _serve_failed(self, error: BaseException) -> None:
        self._starting = False
        self._failed(error)

    def _failed(self, error: BaseException) -> None:
        self._say(error_text(error))
        self.queue.reload()  # the other counter may have changed it

    def _say(self, text: str) -> None:
        self._status(text, 6000)

    # dialogs -----------------------------------------------------------------------------
    def show_follow_ups(self) -> FollowUpListDialog:
        from ui.counter_view.follow_up_list import FollowUpListDialog

        dialog = FollowUpListDialog(
            self.runner, staff_id=self.staff_id, clock=self.clock, parent=self._parent
        )
        dialog.customer_chosen.connect(self._open_customer)
        dialog.closed_one.connect(self._follow_ups_changed)
        self.changes.changed.connect(dialog.apply_changes)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_open_visits(self) -> None:
        from counter import visits

        self.runner.run(visits.open_visits, lambda found: self._offer(found, always=True))

    def offer_resume(self) -> None:
        """On start: if visits were left in progress, offer to resume them."""
        from counter import visits

        staff = self.signed_in_id()  # signed in: theirs (and nobody's); else every open visit
        self.runner.run(
            lambda db: visits.open_visits(db, staff_id=staff),
            lambda found: self._offer(found, always=False),
        )

    def _offer(self, found: list[Visit], *, always: bool) -> OpenVisitsDialog | None:
        if not found:
            if always:
                self._say(_("No visits are open."))
            return None
        from ui.counter_view.open_visits_dialog import OpenVisitsDialog

        dialog = OpenVisitsDialog(
            self.runner,
            found,
            staff_id=self.signed_in_id,
            clock=self.clock,
            parent=self._parent,
        )
        dialog.resume_requested.connect(self._resume_requested)
        dialog.closed_one.connect(self._changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.open_visits_dialog = dialog
        return dialog

    def _resume_requested(self, visit: Visit) -> None:
        from counter import visits

        if self._busy_with_visit():
            return
        # Re-read: it may have moved on at another counter since the list was made.
        self.runner.run(
            lambda db: visits.load_visit(db, visit.id),
            lambda fresh: (
                self.resume(fresh)
                if fresh.is_open
                else self._say(_("That visit was closed elsewhere."))
            ),
            self._failed,
        )
