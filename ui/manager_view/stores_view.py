"""The Stores tab of a counter that joined a hub: every store side by side and the chain's
visit log, read from the hub (``counter.office``). Opened with the counter's own store login
it shows that store only; "Office sign-in…" reads every store with the office's hub login
(``counter hub office-role``), whose password is asked for and never kept. The store's own
tabs keep reading the local file and work offline; this one needs the hub."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
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
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import office
from counter.hub.connection import HubError
from counter.i18n import clock_text
from counter.outcomes import outcome_label
from counter.roles import Session
from ui.error_text import error_label, error_text
from ui.i18n import _, current, ngettext
from ui.manager_view import charts
from ui.manager_view.stores_content import (
    answers_chart,
    comparison_cells,
    comparison_headers,
    wait_chart,
)
from ui.progress import run_with_progress
from ui.tasks import Runner, TaskRunner

DAY = 86_400


def _password_store():
    from counter.hub.connection import PasswordStore
    from counter.paths import config_path

    return PasswordStore(config_path())


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
        self.password.setEchoMode(QLineEdit.Password)
        form.addRow(_("Office's hub login"), self.login)
        form.addRow(_("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class StoresView(QWidget):
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
        self.rows: list[office.OfficeVisitRow] = []

        self.status = QLabel(self)
        self.status.setObjectName("storesStatus")
        self.status.setWordWrap(True)
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setObjectName("officeSignInButton")
        self.sign_in_button.clicked.connect(self.office_sign_in)
        self.store_filter = QComboBox(self)
        self.store_filter.setObjectName("storeFilter")
        self.store_filter.currentIndexChanged.connect(self._filter_changed)
        self.reload_button = QPushButton(self)
        self.reload_button.setObjectName("storesReload")
        self.reload_button.clicked.connect(self._refresh_clicked)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("storesExport")
        self.export_button.clicked.connect(self.export_dialog)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("storesPrint")
        self.print_button.clicked.connect(self.print_dialog)
        self.error = error_label(self)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.store_filter)
        top.addWidget(self.reload_button)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        top.addWidget(self.sign_in_button)

        self.table = QTableWidget(self)
        self.table.setObjectName("storeComparison")
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.chart_holder = QWidget(self)
        self.chart_layout = QVBoxLayout(self.chart_holder)
        self.chart_layout.setContentsMargins(0, 0, 0, 0)
        self.log = QTableWidget(self)
        self.log.setObjectName("chainVisitLog")
        self.log.setEditTriggers(QTableWidget.NoEditTriggers)
        self.log.setTabKeyNavigation(False)
        self.log.verticalHeader().hide()
        self.log.horizontalHeader().setStretchLastSection(True)
        lower = QSplitter(Qt.Horizontal, self)
        lower.addWidget(self.log)
        lower.addWidget(self.chart_holder)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        lower.setSizes([860, 380])
        self.chart_holder.setMinimumWidth(300)
        split = QSplitter(Qt.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        self.retranslate()

    # connecting ---------------------------------------------------------------------------
    def connect_own_store(self) -> None:
        """The hub as this counter's store login: its own store only."""
        self._open(office_login="", password="")

    def office_sign_in(self) -> None:
        dialog = OfficeSignIn(self)
        if dialog.exec() != QDialog.Accepted or not dialog.login.text().strip():
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
        elif isinstance(error, office.PermissionDenied):
            text = _("This hub login may not read these stores.")
        else:
            text = error_text(error)
        self.error.setText(text)
        self.error.show()

    # loading ------------------------------------------------------------------------------
    def _refresh_clicked(self) -> None:
        self.reload()

    def _filter_changed(self, _index: int) -> None:
        self.reload()

    def selected_stores(self) -> tuple[int, ...]:
        store_id = self.store_filter.currentData()
        return () if store_id is None else (store_id,)

    def reload(self) -> None:
        link = self.link
        if link is None:
            self.connect_own_store()
            return
        now = self.clock()
        start, stores = now - 30 * DAY, self.selected_stores()

        def load(_db):
            comparison = office.store_comparison(
                link.conn, link.scope, start=start, end=now, now=now, store_ids=stores
            )
            rows = office.list_visits(
                link.conn, link.scope, office.OfficeFilter(store_ids=stores, start=start)
            )
            return comparison, rows

        self.hub_runner.run(load, self._loaded, self._failed, key="stores")

    def _loaded(self, result) -> None:
        self.error.hide()
        self.comparison, self.rows = result
        self._fill_comparison()
        self._fill_log()
        self._fill_chart()

    def _fill_comparison(self) -> None:
        headers = comparison_headers()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.comparison))
        for row, s in enumerate(self.comparison):
            for column, (text, late) in enumerate(comparison_cells(s)):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if late:
                    item.setForeground(Qt.darkRed)
                    item.setToolTip(
                        _("Over this store's target of {time}").format(
                            time=clock_text(s.wait.target if column < 5 else s.service.target)
                        )
                    )
                self.table.setItem(row, column, item)

    def _fill_chart(self) -> None:
        while self.chart_layout.count():
            old = self.chart_layout.takeAt(0).widget()
            if old is not None:
                old.deleteLater()
        for name, chart in (
            ("storeChart", wait_chart(self.comparison)),
            ("storeAnswersChart", answers_chart(self.comparison)),
        ):
            view = charts.chart_view(chart, self.chart_holder, min_height=200)
            view.setObjectName(name)
            self.chart_layout.addWidget(view)

    def _fill_log(self) -> None:
        headers = [
            _("Store"),
            _("Arrived"),
            _("Customer"),
            _("Staff"),
            _("Outcome"),
            _("Wait"),
            _("Service"),
            _("Complaint"),
        ]
        self.log.setColumnCount(len(headers))
        self.log.setHorizontalHeaderLabels(headers)
        self.log.setRowCount(len(self.rows))
        tr = current()
        for row, v in enumerate(self.rows):
            customer = v.customer_name or (_("(erased)") if v.customer_erased else _("Walk-in"))
            values = [
                v.store_name,
                tr.datetime(v.arrived_at, "short"),
                customer,
                v.staff_name,
                outcome_label(v.outcome, _) if v.outcome else "",
                "" if v.wait is None else clock_text(v.wait),
                "" if v.service is None else clock_text(v.service),
                _("Yes") if v.complaint else "",
            ]
            for column, text in enumerate(values):
                self.log.setItem(row, column, QTableWidgetItem(text))
        self.log.resizeColumnsToContents()

    # export -------------------------------------------------------------------------------
    def export_dialog(self) -> None:
        """The chain's log as shown (the store filter, the last 30 days), to CSV or XLSX."""
        if self.link is None:
            return
        csv_filter, xlsx_filter = _("CSV files (*.csv)"), _("Excel workbooks (*.xlsx)")
        chosen, selected = QFileDialog.getSaveFileName(
            self, _("Export visits"), str(Path.home() / "stores.csv"),
            f"{csv_filter};;{xlsx_filter}",
        )  # fmt: skip
        if not chosen:
            return
        if chosen.lower().endswith((".csv", ".xlsx")):
            fmt = chosen.rsplit(".", 1)[1].lower()
        else:
            fmt = "xlsx" if selected == xlsx_filter else "csv"
            chosen = f"{chosen}.{fmt}"
        self.export(fmt, Path(chosen))

    def export(self, fmt: str, path: Path) -> None:
        from counter.office_export import export_office_visits

        link, session, tr, now = self.link, self.session, current(), self.clock()
        if link is None:
            return
        f = office.OfficeFilter(store_ids=self.selected_stores(), start=now - 30 * DAY)
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
        period = f"{tr.date(now - 30 * DAY)} – {tr.date(now)}"
        try:
            written = write_stores_report(path, self.comparison, period_label=period,
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
        self.table.setAccessibleName(_("Stores"))
        self.log.setAccessibleName(_("Visit log"))
        self.sign_in_button.setText(_("Office sign-in…"))
        self.reload_button.setText(_("Refresh"))
        self.export_button.setText(_("Export visits"))
        self.print_button.setText(_("&Print report (PDF)…"))
        if self.link is None:
            self.status.setText(_("Every store's last 30 days, read from the hub."))
        elif self.link.scope.office:
            self.status.setText(
                ngettext(
                    "The office: {count} store, last 30 days, read from the hub.",
                    "The office: {count} stores, last 30 days, read from the hub.",
                    len(self.link.scope.stores),
                ).format(count=current().number(len(self.link.scope.stores)))
            )
        else:
            self.status.setText(
                _(
                    "This store only (its own hub login), last 30 days. Sign in as the office "
                    "to compare every store."
                )
            )
        if self.store_filter.count():
            self.store_filter.setItemText(0, _("All stores"))
        if self.comparison or self.rows:
            self._fill_comparison()
            self._fill_log()

    def close_link(self) -> None:
        link, self.link = self.link, None
        if link is not None:
            self.hub_runner.run(lambda _db: link.close())
        if self.hub_runner is not self.runner:
            self.hub_runner.shutdown(wait=False)
