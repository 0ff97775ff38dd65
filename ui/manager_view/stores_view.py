"""The Stores tab of a counter that joined a hub: every store side by side and the chain's
visit log, read from the hub (``counter.office``). Opened with the counter's own store login
it shows that store only; "Office sign-in…" reads every store with the office's hub login
(``counter hub office-role``), whose password is asked for and never kept. The store's own
tabs keep reading the local file and work offline; this one needs the hub."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import office
from counter.errors import PermissionDenied, ValidationError
from counter.hub.connection import HubError
from counter.i18n import clock_text
from counter.local_days import local_day, period
from counter.outcomes import OUTCOME_LABELS
from counter.roles import Session
from ui.accessible import name_by_label
from ui.error_text import error_label, error_text
from ui.i18n import _, current, ngettext
from ui.manager_view import charts
from ui.manager_view.period import from_qdate, to_qdate
from ui.manager_view.stores_content import (
    answers_chart,
    comparison_cells,
    comparison_headers,
    wait_chart,
)
from ui.manager_view.visit_timeline import VisitTimelineDialog
from ui.models.office_log_model import OfficeLogModel
from ui.progress import run_with_progress
from ui.tasks import Runner, TaskRunner

DAY = 86_400
DEFAULT_DAYS = 30  # the period first shown, as the store's own log


def _password_store():
    from counter.hub.connection import PasswordStore
    from counter.paths import config_path

    return PasswordStore(config_path())


def _two_lines(title: str) -> str:
    """A title of several words on two lines, a long one (Hungarian) on three."""
    if len(title) < 12 or " " not in title:
        return title
    lines = 2 if len(title) <= 28 else 3
    return "\n".join(
        textwrap.wrap(
            title, width=-(-len(title) // lines) + 2, break_long_words=False, break_on_hyphens=False
        )
    )


class OfficeSignIn(QDialog):
    """The office's hub login and its password (asked each time, never kept)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("officeSignIn")
        self.setWindowTitle(_("Office sign-in"))
        form = QFormLayout(self)
        self.login = QLineEdit(self)
        self.login.setObjectName("officeLogin")
        self.password = QLineEdit(self)
        self.password.setObjectName("officePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Office's hub login"), self.login)
        form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class StoresView(QWidget):
    timeline_opened = Signal(object)  # the VisitTimelineDialog of a visit read from the hub

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        parent: QWidget | None = None,
        *,
        password_for: Callable[[str], str | None] | None = None,
        hub_runner: Runner | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("storesView")
        self.runner = runner
        # The hub's own worker (no database of this counter on it); tests pass the inline one.
        if hub_runner is None:
            hub_runner = (
                TaskRunner(lambda: None, self) if isinstance(runner, TaskRunner) else runner
            )
        self.hub_runner = hub_runner
        self.session = session
        self.clock = clock
        self.password_for = password_for or (lambda url: _password_store().get(url))
        self.link: office.OfficeLink | None = None
        self.comparison: list[office.StoreStats] = []
        self.staff_members: list[office.OfficeStaff] = []
        self._ready = False

        self.status = QLabel(self)
        self.status.setObjectName("storesStatus")
        self.status.setWordWrap(True)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setObjectName("officeSignInButton")
        self.sign_in_button.clicked.connect(self.office_sign_in)
        self.store_filter = QComboBox(self)
        self.store_filter.setObjectName("storeFilter")
        self.store_filter.currentIndexChanged.connect(self._filter_changed)
        # The period of the comparison and the log: the store's own log's pickers.
        today = local_day(clock(), current().tz)
        self.from_date = QDateEdit(to_qdate(today - timedelta(days=DEFAULT_DAYS - 1)), self)
        self.from_date.setObjectName("storesFrom")
        self.to_date = QDateEdit(to_qdate(today), self)
        self.to_date.setObjectName("storesTo")
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._filter_changed)
        # The log's own filters.
        self.staff_filter = QComboBox(self)
        self.staff_filter.setObjectName("officeStaff")
        self.staff_filter.addItem("", None)
        self.staff_filter.currentIndexChanged.connect(self._log_filter_changed)
        self.outcome_filter = QComboBox(self)
        self.outcome_filter.setObjectName("officeOutcome")
        self.outcome_filter.addItem("", None)
        for key in OUTCOME_LABELS:
            self.outcome_filter.addItem("", key)
        self.outcome_filter.currentIndexChanged.connect(self._log_filter_changed)
        self.customer = QLineEdit(self)
        self.customer.setObjectName("officeCustomer")
        self.customer.setClearButtonEnabled(True)
        self._customer_timer = QTimer(self)
        self._customer_timer.setSingleShot(True)
        self._customer_timer.setInterval(400)
        self._customer_timer.timeout.connect(self._log_filter_changed)
        self.customer.textChanged.connect(lambda _t: self._customer_timer.start())
        self.customer.returnPressed.connect(self._log_filter_changed)
        self.log_count = QLabel(self)
        self.log_count.setObjectName("officeLogCount")
        self.reload_button = QPushButton(self)
        self.reload_button.setObjectName("storesReload")
        self.reload_button.clicked.connect(self._refresh_clicked)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("storesExport")
        self.export_button.clicked.connect(self.export_dialog)
        self.export_comparison_button = QPushButton(self)
        self.export_comparison_button.setObjectName("storesExportComparison")
        self.export_comparison_button.clicked.connect(self.export_comparison_dialog)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("storesPrint")
        self.print_button.clicked.connect(self.print_dialog)
        self.error = error_label(self)
        self._labels: dict[str, QLabel] = {}

        def labelled(row: QHBoxLayout, key: str, widget: QWidget, stretch: int = 0) -> None:
            label = QLabel(self)
            self._labels[key] = label
            row.addWidget(label)
            row.addWidget(widget, stretch)

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.sign_in_button)
        filters = QHBoxLayout()
        labelled(filters, "from", self.from_date)
        labelled(filters, "to", self.to_date)
        labelled(filters, "store", self.store_filter)
        filters.addStretch(1)
        filters.addWidget(self.reload_button)
        filters.addWidget(self.export_button)
        filters.addWidget(self.export_comparison_button)
        filters.addWidget(self.print_button)
        log_filters = QHBoxLayout()
        labelled(log_filters, "staff", self.staff_filter)
        labelled(log_filters, "outcome", self.outcome_filter)
        labelled(log_filters, "customer", self.customer, 1)
        log_filters.addWidget(self.log_count)

        self.table = QTableWidget(self)
        self.table.setObjectName("storeComparison")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.chart_holder = QWidget(self)
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.model = OfficeLogModel(self.hub_runner, self)
        self.model.loaded.connect(self._log_loaded)
        self.model.load_failed.connect(self._failed)
        self.log = QTableView(self)
        self.log.setObjectName("chainVisitLog")
        self.log.setModel(self.model)
        self.log.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.log.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.log.setTabKeyNavigation(False)
        self.log.setAlternatingRowColors(True)
        self.log.setWordWrap(False)
        self.log.verticalHeader().hide()
        self.log.horizontalHeader().setStretchLastSection(True)
        self.log.activated.connect(lambda index: self.open_visit(index))
        log_box = QWidget(self)
        log_layout = QVBoxLayout(log_box)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.addLayout(log_filters)
        log_layout.addWidget(self.log, 1)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.addWidget(log_box)
        lower.addWidget(self.chart_holder)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        lower.setSizes([860, 380])
        self.chart_holder.setMinimumWidth(300)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        self.retranslate()
        self._ready = True

    # connecting ---------------------------------------------------------------------------
    def connect_own_store(self) -> None:
        """The hub as this counter's store login: its own store only."""
        self._open(office_login="", password="")

    def office_sign_in(self) -> None:
        dialog = OfficeSignIn(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.login.text().strip():
            return
        self.sign_in_as(dialog.login.text().strip(), dialog.password.text())

    def sign_in_as(self, login: str, password: str) -> None:
        self._open(office_login=login, password=password)

    def _open(self, *, office_login: str, password: str) -> None:
        """Checked on the counter (a manager, a joined counter), then the hub is opened on the
        hub's own worker: a slow or unreachable hub never holds up the counter's database."""
        session, password_for, hub = self.session, self.password_for, self.hub_runner

        def connect(request: office.LinkRequest) -> None:
            hub.run(
                lambda _db: office.connect_link(
                    request, password_for=password_for, office_password=password
                ),
                self._linked,
                self._failed,
            )

        self.runner.run(
            lambda db: office.link_request(db, session, office_login=office_login),
            connect,
            self._failed,
        )

    def _linked(self, link: office.OfficeLink) -> None:
        if self.link is not None:
            old = self.link
            self.hub_runner.run(lambda _db: old.close())
        self.link = link
        self.store_filter.blockSignals(True)
        self.store_filter.clear()
        self.store_filter.addItem(_("All stores"), None)
        for store in link.scope.stores:
            self.store_filter.addItem(store.name, store.id)
        self.store_filter.blockSignals(False)
        self.staff_members = []
        self._fill_staff()
        self.hub_runner.run(
            lambda _db: office.list_staff(link.conn, link.scope),
            self._staff_loaded,
            self._failed,
        )
        self.retranslate()
        self.reload()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, HubError):
            if error.kind == "not_joined":
                text = _("This counter has not joined a hub: the Stores tab reads the hub.")
            elif error.kind == "password":
                text = _("The hub refused the password.")
            else:
                text = _("The hub cannot be reached. The other tabs work from this computer.")
        elif isinstance(error, PermissionDenied):
            text = _("This hub login may not read these stores.")
        elif isinstance(error, ValidationError):
            text = "\n".join(_(p.msgid).format(**p.params) for p in error.problems)
        else:
            text = error_text(error)
        self.error.setText(text)
        self.error.show()

    # loading ------------------------------------------------------------------------------
    def _refresh_clicked(self) -> None:
        self.reload()

    def _filter_changed(self, *_args) -> None:
        """The period or the store: the comparison and the log again."""
        if not self._ready:
            return
        self._fill_staff()
        self.reload()

    def _log_filter_changed(self, *_args) -> None:
        """Staff, outcome or customer: the log again, the comparison stays."""
        if self._ready and self.link is not None:
            self._load_log()

    def selected_stores(self) -> tuple[int, ...]:
        store_id = self.store_filter.currentData()
        return () if store_id is None else (store_id,)

    def selected_period(self) -> tuple[int, int]:
        """[start, end) of the days picked, in this computer's time zone."""
        start, end = period(
            from_qdate(self.from_date.date()), from_qdate(self.to_date.date()), current().tz
        )
        return start, max(start, end)

    def log_filter(self) -> office.OfficeFilter:
        """The log's filter as picked, without the customer's name (see _load_log)."""
        start, end = self.selected_period()
        staff, outcome = self.staff_filter.currentData(), self.outcome_filter.currentData()
        return office.OfficeFilter(
            store_ids=self.selected_stores(),
            start=start,
            end=end,
            staff_gids=(staff,) if staff else (),
            outcomes=(outcome,) if outcome else (),
        )

    @property
    def rows(self) -> list[office.OfficeVisitRow]:
        """The log's visits loaded so far."""
        return self.model.rows

    def reload(self) -> None:
        link = self.link
        if link is None:
            self.connect_own_store()
            return
        now = self.clock()
        (start, end), stores = self.selected_period(), self.selected_stores()
        self.hub_runner.run(
            lambda _db: office.store_comparison(
                link.conn, link.scope, start=start, end=end, now=now, store_ids=stores
            ),
            self._loaded,
            self._failed,
            key="stores",
        )
        self._load_log()

    def _load_log(self) -> None:
        """The log's first page; a customer's name is first looked up in this counter's own
        customers (the hub's log narrows to the ones it finds)."""
        self._customer_timer.stop()
        f, text = self.log_filter(), self.customer.text().strip()
        self.log_count.setText(_("Counting…"))
        if not text:
            self.model.set_source(self.link, f)
            return
        session, now = self.session, self.clock()

        def found(gids: tuple[str, ...]) -> None:
            if self.customer.text().strip() == text and self.link is not None:
                self.model.set_source(self.link, replace(f, customer_gids=gids))

        self.runner.run(
            lambda db: office.find_customers(db, session, text, now=now),
            found,
            self._failed,
            key="office-customers",
        )

    def _loaded(self, comparison: list[office.StoreStats]) -> None:
        self.error.hide()
        self.comparison = comparison
        self._fill_comparison()
        self._fill_chart()

    def _log_loaded(self, shown: int) -> None:
        self.error.hide()
        self.log.resizeColumnsToContents()
        more = self.model.canFetchMore()
        text = (
            ngettext(
                "{count} visit shown; scroll for more",
                "{count} visits shown; scroll for more",
                shown,
            )
            if more
            else ngettext("{count} visit", "{count} visits", shown)
        )
        self.log_count.setText(text.format(count=current().number(shown)))

    def _staff_loaded(self, members: list[office.OfficeStaff]) -> None:
        self.staff_members = members
        self._fill_staff()

    def _fill_staff(self) -> None:
        """The staff of the store picked (every store's, with the store's name, when all)."""
        chosen = self.staff_filter.currentData()
        stores = set(self.selected_stores())
        names = {s.id: s.name for s in self.link.scope.stores} if self.link else {}
        several = not stores and len(names) > 1
        self.staff_filter.blockSignals(True)
        while self.staff_filter.count() > 1:
            self.staff_filter.removeItem(1)
        for member in self.staff_members:
            if stores and member.store_id not in stores:
                continue
            text = member.name or _("(nobody recorded)")
            if several:
                text = _("{name} · {store}").format(name=text, store=names.get(member.store_id, ""))
            self.staff_filter.addItem(text, member.gid)
        self.staff_filter.setCurrentIndex(max(self.staff_filter.findData(chosen), 0))
        self.staff_filter.blockSignals(False)

    # a visit ------------------------------------------------------------------------------
    def open_visit(self, index: QModelIndex | None = None) -> VisitTimelineDialog | None:
        """The visit's timeline read from the hub (Enter or a double click in the log), as
        the store's own log shows it; the look is written to this counter's audit log."""
        index = index if index is not None else self.log.currentIndex()
        visit = self.model.row_at(index.row()) if index.isValid() else None
        link = self.link
        if visit is None or link is None:
            return None
        session, runner, now = self.session, self.runner, self.clock()
        gid, customer = visit.gid, visit.customer_gid
        try:
            targets = link.scope.store(visit.store_id).targets
        except PermissionDenied:
            targets = None
        dialog = VisitTimelineDialog(
            self.hub_runner,
            session,
            0,
            self.clock,
            targets,
            self,
            load=lambda _db: office.load_visit_timeline(link.conn, link.scope, gid, now=now),
            on_loaded=lambda _timeline: runner.run(
                lambda db: office.record_visit_look(db, session, gid, customer, now=now),
                None,
                self._failed,
            ),
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.timeline_opened.emit(dialog)
        return dialog

    def _fill_comparison(self) -> None:
        headers = comparison_headers()
        self.table.setColumnCount(len(headers))
        # Two lines a title: sixteen columns of one-line titles do not fit a laptop's width.
        self.table.setHorizontalHeaderLabels([_two_lines(h) for h in headers])
        self.table.setRowCount(len(self.comparison))
        for row, s in enumerate(self.comparison):
            for column, (text, late) in enumerate(comparison_cells(s)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if late:
                    item.setForeground(Qt.GlobalColor.darkRed)
                    item.setToolTip(
                        _("Over this store's target of {time}").format(
                            time=clock_text(s.wait.target if column < 5 else s.service.target)
                        )
                    )
                self.table.setItem(row, column, item)

    def _fill_chart(self) -> None:
        while self.chart_layout.count():
            item = self.chart_layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        for name, chart in (
            ("storeChart", wait_chart(self.comparison)),
            ("storeAnswersChart", answers_chart(self.comparison)),
        ):
            view = charts.chart_view(chart, self.chart_holder, min_height=200)
            view.setObjectName(name)
            self.chart_layout.addWidget(view)

    # export -------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        """The chain's log as shown (period, store, staff, outcome, customer), to CSV or XLSX."""
        if self.link is None:
            return
        chosen = self._save_name(_("Export visits"), "stores.csv")
        if chosen is not None:
            self.export(*chosen)

    def export(self, fmt: str, path: Path) -> None:
        """The log as shown (period, store, staff, outcome and customer)."""
        from counter.office_export import export_office_visits

        link, session, tr, now = self.link, self.session, current(), self.clock()
        if link is None:
            return
        f = self.model.filter
        run_with_progress(
            self,
            self.runner,
            _("Exporting visits…"),
            lambda db, progress: export_office_visits(
                db,
                session,
                link.conn,
                link.scope,
                f,
                path,
                fmt=fmt,
                translator=tr,
                now=now,
                progress=progress,
            ),
            self._exported,
            self._failed,
        )

    def _save_name(self, title: str, suggested: str) -> tuple[str, Path] | None:
        """Ask where to save a CSV or XLSX file: (format, path), or None when cancelled."""
        csv_filter, xlsx_filter = _("CSV files (*.csv)"), _("Excel workbooks (*.xlsx)")
        chosen, selected = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / suggested), f"{csv_filter};;{xlsx_filter}"
        )
        if not chosen:
            return None
        if chosen.lower().endswith((".csv", ".xlsx")):
            return chosen.rsplit(".", 1)[1].lower(), Path(chosen)
        fmt = "xlsx" if selected == xlsx_filter else "csv"
        return fmt, Path(f"{chosen}.{fmt}")

    def export_comparison_dialog(self) -> None:
        """The stores compared, as shown (period and store), to CSV or XLSX."""
        if not self.comparison:
            return
        chosen = self._save_name(_("Export comparison"), "stores-compared.csv")
        if chosen is not None:
            self.export_comparison(*chosen)

    def export_comparison(self, fmt: str, path: Path) -> None:
        from counter.office_export import export_store_comparison

        session, tr, comparison = self.session, current(), list(self.comparison)
        self.runner.run(
            lambda db: export_store_comparison(
                db, session, comparison, path, fmt=fmt, translator=tr
            ),
            self._comparison_exported,
            self._failed,
        )

    def _comparison_exported(self, result) -> None:
        self.last_export = result
        message = ngettext(
            "Exported {count} store to {path}.", "Exported {count} stores to {path}.", result.rows
        ).format(count=current().number(result.rows), path=str(result.path))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 10000)

    def print_dialog(self) -> None:
        if not self.comparison:
            return
        chosen, _selected = QFileDialog.getSaveFileName(
            self, _("Save report"), str(Path.home() / "stores.pdf"), _("PDF files (*.pdf)")
        )
        if chosen:
            self.print_report(Path(chosen if chosen.lower().endswith(".pdf") else f"{chosen}.pdf"))

    def print_report(self, path: Path) -> Path | None:
        from ui.manager_view.stores_report import write_stores_report

        now = self.clock()
        tr = current()
        first, last = from_qdate(self.from_date.date()), from_qdate(self.to_date.date())
        period_label = f"{tr.day(first)} – {tr.day(max(first, last))}"
        try:
            written = write_stores_report(path, self.comparison, period_label=period_label,
                                          generated_at=now)  # fmt: skip
        except Exception as error:  # a folder that cannot be written: said, never a traceback
            self._failed(error)
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                _("Report saved to {path}.").format(path=str(written)), 10000
            )
        return written

    def _exported(self, result) -> None:
        self.last_export = result
        if result.cancelled:
            message = _("Export cancelled; no file was written.")
        else:
            message = ngettext(
                "Exported {count} visit to {path}.",
                "Exported {count} visits to {path}.",
                result.rows,
            ).format(count=current().number(result.rows), path=str(result.path))
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 10000)

    # words --------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = {
            "from": _("&From:"),
            "to": _("&To:"),
            "store": _("Sto&re:"),
            "staff": _("&Staff:"),
            "outcome": _("&Outcome:"),
            "customer": _("C&ustomer:"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        for key, widget in (
            ("from", self.from_date),
            ("to", self.to_date),
            ("store", self.store_filter),
            ("staff", self.staff_filter),
            ("outcome", self.outcome_filter),
            ("customer", self.customer),
        ):
            name_by_label(widget, self._labels[key])
        self.customer.setPlaceholderText(_("Name or last digits of a phone number"))
        self.staff_filter.setItemText(0, _("Everyone"))
        self.outcome_filter.setItemText(0, _("Any outcome"))
        for i in range(1, self.outcome_filter.count()):
            self.outcome_filter.setItemText(i, _(OUTCOME_LABELS[self.outcome_filter.itemData(i)]))
        self.table.setAccessibleName(_("Stores"))
        self.log.setAccessibleName(_("Visit log"))
        self.sign_in_button.setText(_("Office sign-in…"))
        self.reload_button.setText(_("Refresh"))
        self.export_button.setText(_("Export visits"))
        self.export_comparison_button.setText(_("Export comparison"))
        self.print_button.setText(_("&Print report (PDF)…"))
        if self.link is None:
            self.status.setText(_("Every store, read from the hub."))
        elif self.link.scope.office:
            self.status.setText(
                ngettext(
                    "The office: {count} store, read from the hub.",
                    "The office: {count} stores, read from the hub.",
                    len(self.link.scope.stores),
                ).format(count=current().number(len(self.link.scope.stores)))
            )
        else:
            self.status.setText(
                _(
                    "This store only (its own hub login). Sign in as the office to compare "
                    "every store."
                )
            )
        if self.store_filter.count():
            self.store_filter.setItemText(0, _("All stores"))
        if self._ready:
            self._fill_staff()
        self.model.retranslate()
        if self.comparison:
            self._fill_comparison()
            self._fill_chart()

    def close_link(self) -> None:
        link, self.link = self.link, None
        if link is not None:
            self.hub_runner.run(lambda _db: link.close())
        if self.hub_runner is not self.runner:
            self.hub_runner.shutdown(wait=False)
