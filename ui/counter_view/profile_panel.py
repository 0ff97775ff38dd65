"""Who is in front of you: name as their language writes it, how to address them, language,
contact, rapport notes, open follow-ups and the last visits.

It stays current: relative times ("2 minutes ago") are written again every TICK_MS without a
query, the visit being served updates its history row as it changes (``show_visit``), and
``reload()`` reads the customer again (F5, a write elsewhere, another counter's commit)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.customers import CustomerProfile, VisitSummary, format_phone, load_profile
from counter.errors import NotFound
from counter.i18n import available_languages
from counter.visits import Visit
from ui import theme
from ui.fit import FitLabel, VerticalScroll
from ui.i18n import _, current, ngettext
from ui.models.visit_history import VisitHistoryModel
from ui.tasks import Runner

TICK_MS = 15_000  # how often "2 minutes ago" and a wait are written again


class ProfilePanel(QWidget):
    edit_requested = Signal(int)
    gone = Signal(int)  # the customer on screen no longer exists (erased elsewhere)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        runner: Runner | None = None,  # for reload(); without one, reload() does nothing
        clock: Callable[[], int] = lambda: int(time.time()),
    ):
        super().__init__(parent)
        self.profile: CustomerProfile | None = None
        self._runner = runner
        self._clock = clock
        self._now = clock()
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)

        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("profileEmpty")

        page = QWidget(self)
        page.setObjectName("profilePage")
        # Names, the address line and the contact line wrap (an e-mail too long for the panel
        # is elided, whole in the tooltip): a long record never widens the window.
        self.name = FitLabel(page)
        self.name.setObjectName("profileName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.name.setFont(font)
        self.latin_name = FitLabel(page)
        self.latin_name.setObjectName("profileLatinName")
        self.address = FitLabel(page)
        self.address.setObjectName("profileAddress")
        font = self.address.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.address.setFont(font)
        self.edit_button = QPushButton(page)
        self.edit_button.setObjectName("editCustomer")
        self.edit_button.clicked.connect(self._edit)

        self.details = QFormLayout()
        self.details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.language = FitLabel(page)
        self.contact = FitLabel(page)
        self.contact.setObjectName("profileContact")
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes = QLabel(page)
        self.notes.setWordWrap(True)
        self.notes.setObjectName("profileNotes")
        self.follow_ups = QLabel(page)
        self.follow_ups.setWordWrap(True)
        self.follow_ups.setObjectName("profileFollowUps")
        self.follow_ups.setTextFormat(Qt.TextFormat.RichText)
        self._labels = [QLabel(page) for _ in range(4)]
        for label, value in zip(
            self._labels, (self.language, self.contact, self.notes, self.follow_ups), strict=True
        ):
            label.setBuddy(value)
            self.details.addRow(label, value)

        self.history_title = FitLabel(page)
        self.history_model = VisitHistoryModel(self)
        self.history = QTableView(page)
        self.history.setObjectName("visitHistory")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(VisitHistoryModel.WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VisitHistoryModel.NEED, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            VisitHistoryModel.OUTCOME, QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(
            VisitHistoryModel.STAFF, QHeaderView.ResizeMode.ResizeToContents
        )

        layout = QVBoxLayout(page)
        layout.addWidget(self.name)
        layout.addWidget(self.latin_name)
        layout.addWidget(self.address)
        layout.addLayout(self.details)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignRight)
        QWidget.setTabOrder(self.history, self.edit_button)  # the history, then the button

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.empty)
        # Taller than the room left beside a visit: the page scrolls, the window stays.
        self.page_scroll = VerticalScroll(page, self)
        self.stack.addWidget(self.page_scroll)
        self.retranslate()
        theme.follow(self, self.tick)  # "Overdue" in the palette's red

    def retranslate(self) -> None:
        self.empty.setText(_("Find a customer on the left, or press Ctrl+N to add one."))
        self.edit_button.setText(_("&Edit customer…"))
        self.edit_button.setToolTip(_("Edit this customer (Ctrl+E)"))
        for label, text in zip(
            self._labels,
            (_("Language:"), _("Contact:"), _("Rapport notes:"), _("Open follow-ups:")),
            strict=True,
        ):
            label.setText(text)
        self.history.setAccessibleName(_("Visit history"))
        self.history_model.refresh_texts()
        if self.profile is not None:
            self.show_profile(self.profile, self._now)

    def tab_order(self) -> list[QWidget]:
        return [self.history, self.edit_button]

    def clear(self) -> None:
        self.profile = None
        self.tick_timer.stop()
        self.stack.setCurrentIndex(0)

    # staying current ---------------------------------------------------------------------
    def reload(self) -> None:
        """Read the customer on screen again (something was written, here or elsewhere)."""
        if self.profile is None or self._runner is None:
            return
        customer_id = self.profile.customer.id
        self._runner.run(
            lambda db: load_profile(db, customer_id),
            lambda profile: self._reloaded(customer_id, profile),
            lambda error: self._reload_failed(customer_id, error),
            # Not "profile": a reload must never replace a customer being opened (latest wins
            # per key); a reload answered after another customer opened is ignored.
            key="profile-reload",
        )

    def _reloaded(self, customer_id: int, profile: CustomerProfile) -> None:
        if self.profile is not None and self.profile.customer.id == customer_id:
            self.show_profile(profile, self._clock())

    def _reload_failed(self, customer_id: int, error: BaseException) -> None:
        if isinstance(error, NotFound) and self.profile is not None:
            if self.profile.customer.id == customer_id:
                self.clear()
                self.gone.emit(customer_id)
            return
        if self._runner is not None:
            self._runner.failed.emit(error)  # reported like any other task's failure

    def tick(self) -> None:
        """Relative times and waits move on; nothing is read from the database."""
        if self.profile is None:
            return
        self._now = self._clock()
        self.history_model.tick(self._now)
        self.follow_ups.setText(self._follow_up_html(self.profile, self._now))

    def show_visit(self, visit: Visit) -> bool:
        """The open visit of the customer on screen changed: its history row shows it now (the
        need as it is typed, the outcome chosen). False if the row is not there."""
        if self.profile is None or visit.customer_id != self.profile.customer.id:
            return False
        summary = VisitSummary(
            id=visit.id,
            arrived_at=visit.arrived_at,
            status=visit.status,
            need=visit.need,
            solution=visit.solution,
            outcome=visit.outcome,
            complaint=visit.complaint,
            staff_name=visit.staff_name,
        )
        return self.history_model.update_visit(summary)

    def show_profile(self, profile: CustomerProfile, now: int | None = None) -> None:
        now = self._clock() if now is None else now
        self._now = now
        self.profile = profile
        customer = profile.customer
        tr = current()
        self.name.setText(customer.full_name())
        latin = customer.full_name("en") if customer.native_name else ""
        self.latin_name.setText(latin if latin and latin != customer.full_name() else "")
        self.latin_name.setVisible(bool(self.latin_name.text()))
        self.address.setText(_("Address as: {address}").format(address=customer.address()))
        if customer.language:
            language = tr.language_name(customer.language)
            if customer.language not in available_languages():
                language += " " + _("(no phrases in this language yet)")
        else:
            language = _("not given — the store's language is used")
        self.language.setText(language)
        contact = [p for p in (format_phone(customer.phone), customer.email) if p]
        if customer.card:
            contact.append(_("card {number}").format(number=customer.card))
        self.contact.setText(" · ".join(contact) or "—")
        self.notes.setText(customer.rapport_notes or "—")
        self.follow_ups.setText(self._follow_up_html(profile, now))
        count = len(profile.visits)
        if count:
            self.history_title.setText(
                ngettext("Last visit", "Last {count} visits", count).format(count=count)
            )
        else:
            self.history_title.setText(_("First visit — no history yet."))
        self.history_model.set_visits(profile.visits, now)
        self.stack.setCurrentIndex(1)
        self.tick_timer.start()

    def _follow_up_html(self, profile: CustomerProfile, now: int) -> str:
        if not profile.follow_ups:
            return "—"
        tr = current()
        lines = []
        for follow_up in profile.follow_ups:
            when = tr.relative(follow_up.due_at, now)
            text = html.escape(f"{follow_up.description} — {when}")
            if follow_up.overdue(now):
                colour = theme.colours().css(theme.DANGER)
                text = f"<b style='color:{colour}'>" + html.escape(_("Overdue:")) + "</b> " + text
            lines.append(text)
        return "<br>".join(lines)

    def _edit(self) -> None:
        if self.profile is not None:
            self.edit_requested.emit(self.profile.customer.id)
