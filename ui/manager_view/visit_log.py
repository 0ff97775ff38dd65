"""The visit log: filters (period, staff, outcome, language, customer, complaint, skipped
steps, over-target times, the customer's answer and its reason), a lazy table sorted by any
column, a visit's timeline on Enter or double-click, and CSV/XLSX export of exactly what is
filtered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import feedback, visit_places
from counter.durations import Targets
from counter.export import ExportResult, export_visits
from counter.i18n import SUPPORTED_LANGUAGES
from counter.local_days import local_day, period
from counter.outcomes import OUTCOME_LABELS
from counter.roles import Session
from counter.staff import StaffMember, list_staff
from counter.visit_filter import FEEDBACK_CHOICES, VisitFilter
from ui.accessible import name_by_label
from ui.changes import Changes
from ui.error_text import error_text
from ui.fit import fit_headers
from ui.i18n import _, current, ngettext
from ui.manager_view.period import from_qdate, to_qdate
from ui.manager_view.visit_timeline import VisitTimelineDialog
from ui.models.visit_log_model import PLACE_COLUMN, VisitLogModel
from ui.progress import run_with_progress
from ui.tasks import Runner

DEFAULT_DAYS = 30


class VisitLogView(QWidget):
    timeline_opened = Signal(object)  # the VisitTimelineDialog
    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        targets: Targets,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("visitLog")
        self._runner = runner
        self._session = session
        self._clock = clock
        self._targets = targets
        self._ready = False

        today = local_day(clock(), current().tz)
        self.from_date = QDateEdit(to_qdate(today - timedelta(days=DEFAULT_DAYS - 1)), self)
        self.to_date = QDateEdit(to_qdate(today), self)
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self.apply_filter)
        self.staff = QComboBox(self)
        self.staff.setObjectName("logStaff")
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("logOutcome")
        self.language = QComboBox(self)
        self.language.setObjectName("logLanguage")
        self.answer = QComboBox(self)
        self.answer.setObjectName("logAnswer")
        self.reason = QComboBox(self)
        self.reason.setObjectName("logReason")
        # A store's own reason can be long: the combo stays narrow, the list shows it whole.
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason.setMinimumContentsLength(24)
        self.customer = QLineEdit(self)
        self.customer.setObjectName("logCustomer")
        self.customer.setClearButtonEnabled(True)
        self._customer_timer = QTimer(self)
        self._customer_timer.setSingleShot(True)
        self._customer_timer.setInterval(400)
        self._customer_timer.timeout.connect(self.apply_filter)
        self.customer.textChanged.connect(lambda _t: self._customer_timer.start())
        self.customer.returnPressed.connect(self.apply_filter)
        self.complaint = QCheckBox(self)
        self.skipped = QCheckBox(self)
        self.wait_over = QCheckBox(self)
        self.service_over = QCheckBox(self)
        for box in (self.complaint, self.skipped, self.wait_over, self.service_over):
            box.toggled.connect(self.apply_filter)
        for combo in (self.staff, self.outcome, self.language, self.answer, self.reason):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.count = QLabel(self)
        self.count.setObjectName("logCount")
        self.export_csv = QPushButton(self)
        self.export_csv.clicked.connect(lambda: self.export("csv"))
        self.export_xlsx = QPushButton(self)
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))

        self.model = VisitLogModel(runner, session, clock, self)
        self.model.set_targets(targets)
        self.model.count_changed.connect(self._show_count)
        self.model.load_failed.connect(self._failed)
        self.table = QTableView(self)
        self.table.setObjectName("logTable")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(lambda column, order: self.model.sort(column, order))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((140, 180, 130, 90, 200, 150, 70, 70, 100, 130, 170)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)  # the need: the longest text
        self.table.setColumnHidden(PLACE_COLUMN, True)  # until the file says it has places
        self.table.activated.connect(lambda index: self.open_visit(index))

        self._labels: dict[str, QLabel] = {}
        row1 = QHBoxLayout()
        for key, widget in (
            ("from", self.from_date),
            ("to", self.to_date),
            ("staff", self.staff),
            ("outcome", self.outcome),
            ("language", self.language),
            ("customer", self.customer),
        ):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            row1.addWidget(label)
            row1.addWidget(widget, 2 if key == "customer" else 0)
        row2 = QHBoxLayout()
        for box in (self.complaint, self.skipped, self.wait_over, self.service_over):
            row2.addWidget(box)
        row2.addStretch(1)
        row2.addWidget(self.count)
        row2.addWidget(self.export_csv)
        row2.addWidget(self.export_xlsx)
        # The customer's answer on its own row: with the checkboxes it was too wide to fit
        # 1280 px in Turkish.
        answers = QHBoxLayout()
        for key, widget in (("answer", self.answer), ("reason", self.reason)):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            answers.addWidget(label)
            answers.addWidget(widget)
        answers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(answers)
        layout.addLayout(row2)
        layout.addWidget(self.table, 1)

        self._fill_static_combos()
        self.retranslate()
        self._ready = True
        self._stale = False  # visits changed while the log was not on screen
        runner.run(lambda db: list_staff(db, session), self._fill_staff, self._failed)
        runner.run(feedback.reasons_in_use, self._fill_reasons, self._failed)
        runner.run(visit_places.shown, self._show_places, self._failed)
        self.apply_filter()

    def apply_changes(self, changes: Changes) -> None:
        """Visits, customers or staff changed (here or at a counter): the log again from its
        first page, at once when on screen, else when next shown."""
        if changes.settings or changes.visits:  # reasons offered or given
            self._runner.run(feedback.reasons_in_use, self._fill_reasons, self._failed)
        if changes.visits:  # joining a hub, or another store's visits, brings places
            self._runner.run(visit_places.shown, self._show_places, self._failed)
        if not (changes.visits or changes.customers or changes.staff):
            return
        if self.isVisible():
            self.model.reload(recount=True)
        else:
            self._stale = True

    def _show_places(self, shown: bool) -> None:
        """The store-and-counter column, for a file that joined a hub or has several stores."""
        self.table.setColumnHidden(PLACE_COLUMN, not shown)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.model.reload(recount=True)

    # filters ------------------------------------------------------------------------------
    def _fill_static_combos(self) -> None:
        self.outcome.blockSignals(True)
        self.outcome.clear()
        self.outcome.addItem("", None)
        for key, msgid in OUTCOME_LABELS.items():
            self.outcome.addItem(_(msgid), key)
        self.outcome.blockSignals(False)
        self.language.blockSignals(True)
        self.language.clear()
        self.language.addItem("", None)
        for code in SUPPORTED_LANGUAGES:
            self.language.addItem(current().language_name(code), code)
        self.language.blockSignals(False)
        self.staff.blockSignals(True)
        if self.staff.count() == 0:
            self.staff.addItem("", None)
        self.staff.blockSignals(False)
        self.answer.blockSignals(True)
        self.answer.clear()
        self.answer.addItem("", "")
        for key in FEEDBACK_CHOICES:
            self.answer.addItem("", key)
        self.answer.blockSignals(False)
        self.reason.blockSignals(True)
        if self.reason.count() == 0:
            self.reason.addItem("", "")
        self.reason.blockSignals(False)

    def _fill_reasons(self, reasons: list[str]) -> None:
        chosen = self.reason.currentData()
        self.reason.blockSignals(True)
        while self.reason.count() > 1:
            self.reason.removeItem(1)
        for reason in reasons:
            self.reason.addItem(feedback.reason_label(reason, _), reason)
        self.reason.setCurrentIndex(max(self.reason.findData(chosen), 0))
        self.reason.blockSignals(False)

    def _fill_staff(self, members: list[StaffMember]) -> None:
        chosen = self.staff.currentData()
        self.staff.blockSignals(True)
        while self.staff.count() > 1:
            self.staff.removeItem(1)
        for member in members:
            self.staff.addItem(member.name, member.id)
        index = self.staff.findData(chosen) if chosen is not None else 0
        self.staff.setCurrentIndex(max(index, 0))
        self.staff.blockSignals(False)

    def current_filter(self) -> VisitFilter:
        start, end = period(
            from_qdate(self.from_date.date()), from_qdate(self.to_date.date()), current().tz
        )
        staff_id = self.staff.currentData()
        outcome = self.outcome.currentData()
        language = self.language.currentData()
        return VisitFilter(
            start=start,
            end=max(end, start),
            staff_ids=(staff_id,) if staff_id is not None else (),
            outcomes=(outcome,) if outcome else (),
            languages=(language,) if language else (),
            customer_text=self.customer.text().strip(),
            complaint=True if self.complaint.isChecked() else None,
            steps_skipped=True if self.skipped.isChecked() else None,
            wait_over=self._targets.wait if self.wait_over.isChecked() else None,
            service_over=self._targets.service if self.service_over.isChecked() else None,
            feedback=self.answer.currentData() or "",
            feedback_reason=self.reason.currentData() or "",
        )

    def set_targets(self, targets: Targets) -> None:
        """The store's targets changed: the over-target filters, their labels and the row
        colours follow; a filter on them is applied again with the new limits."""
        self._targets = targets
        self.model.set_targets(targets)
        self._show_target_labels()
        if self.wait_over.isChecked() or self.service_over.isChecked():
            self.apply_filter()

    def apply_filter(self) -> None:
        if not self._ready:
            return
        self._customer_timer.stop()
        f = self.current_filter()
        if f != self.model.filter:
            self.count.setText(_("Counting…"))
            self.model.set_filter(f)

    def _show_count(self, total: int) -> None:
        self.count.setText(
            ngettext("{count} visit", "{count} visits", total).format(count=current().number(total))
        )

    # actions ------------------------------------------------------------------------------
    def open_visit(self, index: QModelIndex | None = None) -> VisitTimelineDialog | None:
        index = index if index is not None else self.table.currentIndex()
        visit = self.model.row_at(index.row()) if index.isValid() else None
        if visit is None:
            return None
        dialog = VisitTimelineDialog(
            self._runner, self._session, visit.id, self._clock, self._targets, self
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.timeline_opened.emit(dialog)
        return dialog

    def export_dialog(self) -> None:
        """Ask where to save; the file type chosen (or typed) decides CSV or XLSX."""
        csv_filter, xlsx_filter = _("CSV files (*.csv)"), _("Excel workbooks (*.xlsx)")
        chosen, selected = QFileDialog.getSaveFileName(
            self,
            _("Export visits"),
            str(Path.home() / "visits.csv"),
            f"{csv_filter};;{xlsx_filter}",
        )
        if not chosen:
            return
        if chosen.lower().endswith((".csv", ".xlsx")):
            fmt = chosen.rsplit(".", 1)[1].lower()
        else:
            fmt = "xlsx" if selected == xlsx_filter else "csv"
            chosen = f"{chosen}.{fmt}"
        self.export(fmt, chosen)

    def export(self, fmt: str, path: str | Path | None = None) -> None:
        if path is None:
            pattern = _("CSV files (*.csv)") if fmt == "csv" else _("Excel workbooks (*.xlsx)")
            suggested = str(Path.home() / f"visits.{fmt}")
            chosen, _selected = QFileDialog.getSaveFileName(
                self, _("Export visits"), suggested, pattern
            )
            if not chosen:
                return
            path = chosen if chosen.lower().endswith(f".{fmt}") else f"{chosen}.{fmt}"
        session, f, now, tr = self._session, self.current_filter(), self._clock(), current()
        target = Path(path)
        run_with_progress(
            self,
            self._runner,
            _("Exporting visits…"),
            lambda db, progress: export_visits(
                db, session, f, target, fmt=fmt, translator=tr, now=now, progress=progress
            ),
            self._export_done,
            self._failed,
        )

    def _export_done(self, result: ExportResult) -> None:
        window = self.window()
        if result.cancelled:
            message = _("Export cancelled; no file was written.")
        else:
            message = ngettext(
                "Exported {count} visit to {path}.",
                "Exported {count} visits to {path}.",
                result.rows,
            ).format(count=current().number(result.rows), path=str(result.path))
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 10000)
        self.exported.emit(result)

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, _("Visit log"), error_text(error))

    def _show_target_labels(self) -> None:
        tr = current()
        self.wait_over.setText(
            _("Waited over {duration}").format(duration=tr.duration(self._targets.wait))
        )
        self.service_over.setText(
            _("Service over {duration}").format(duration=tr.duration(self._targets.service))
        )

    def retranslate(self) -> None:
        texts = {
            "from": _("&From:"),
            "to": _("&To:"),
            "staff": _("&Staff:"),
            "outcome": _("&Outcome:"),
            "language": _("&Language:"),
            "customer": _("C&ustomer:"),
            "answer": _("Customer's a&nswer:"),
            "reason": _("&Reason:"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        for key in ("staff", "outcome", "language", "answer", "reason"):
            name_by_label(getattr(self, key), self._labels[key])  # not by what is chosen
        self.table.setAccessibleName(_("Visits"))
        self.customer.setPlaceholderText(_("Name or last digits of a phone number"))
        self.staff.setItemText(0, _("Everyone"))
        self.outcome.setItemText(0, _("Any outcome"))
        self.language.setItemText(0, _("Any language"))
        answer_texts = {
            "": _("Any visit"),
            "answered": _("Answered"),
            "unhappy": _("Unhappy (1–2)"),
            "no_answer": _("No answer"),
            "not_asked": _("Not asked"),
        }
        for i in range(self.answer.count()):
            self.answer.setItemText(i, answer_texts[self.answer.itemData(i)])
        self.reason.setItemText(0, _("Any reason"))
        for i in range(1, self.reason.count()):
            self.reason.setItemText(i, feedback.reason_label(self.reason.itemData(i), _))
        for i in range(1, self.outcome.count()):
            self.outcome.setItemText(i, _(OUTCOME_LABELS[self.outcome.itemData(i)]))
        for i in range(1, self.language.count()):
            self.language.setItemText(i, current().language_name(self.language.itemData(i)))
        self.complaint.setText(_("Had a complaint"))
        self.skipped.setText(_("Steps skipped"))
        self._show_target_labels()
        self.export_csv.setText(_("Export &CSV…"))
        self.export_xlsx.setText(_("Export &XLSX…"))
        if self.model.total or self.model.rowCount():
            self._show_count(self.model.total)
        self.model.refresh_texts()
        fit_headers(self.table)  # no title cut ("Kihagyott lépések")
