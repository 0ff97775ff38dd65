"""The dashboard: for a period and a staff filter, the KPIs against targets, charts of visits
per day and by hour, outcomes and checklist steps, how complaints ended, and a per-staff
comparison. Every number is formatted by the UI Translator (Babel, CLDR)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.dashboard import Dashboard, load_dashboard
from counter.durations import Targets
from counter.errors import ValidationError
from counter.local_days import local_day, period
from counter.roles import Session
from counter.staff import StaffMember, list_staff
from counter.visit_filter import VisitFilter
from ui import theme
from ui.accessible import name_by_label
from ui.changes import Changes
from ui.error_text import error_text
from ui.i18n import N_, _, current
from ui.manager_view import charts
from ui.manager_view.dashboard_content import (
    build_charts,
    chart_summaries,
    complaints_text,
    kpi_tiles,
    staff_columns,
)
from ui.manager_view.period import from_qdate, to_qdate
from ui.manager_view.satisfaction import SatisfactionSection
from ui.models.list_table_model import ListTableModel
from ui.tasks import Runner

PRESETS = (
    ("7", N_("Last 7 days")),
    ("30", N_("Last 30 days")),
    ("month", N_("This month")),
    ("last_month", N_("Last month")),
    ("custom", N_("Chosen dates")),
)


def preset_days(preset: str, today: date) -> tuple[date, date]:
    if preset == "7":
        return today - timedelta(days=6), today
    if preset == "month":
        return today.replace(day=1), today
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today - timedelta(days=29), today


def period_text(first: date, last: date) -> str:
    tr = current()
    return _("{first} – {last}").format(first=tr.day(first), last=tr.day(last))


class KpiTile(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(self)
        self.value = QLabel(self)
        self.note = QLabel(self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        theme.colour_text(self.title, theme.MUTED)
        theme.colour_text(self.note, theme.MUTED)
        # Long titles ("A kiszolgálások 90%-a legfeljebb…") wrap: the row of tiles fits the
        # window in every language instead of scrolling sideways.
        self.title.setWordWrap(True)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def show_kpi(self, title: str, value: str, note: str, bad: bool) -> None:
        self.title.setText(title)
        self.value.setText(value)
        theme.colour_text(self.value, theme.DANGER if bad else None)
        self.note.setText(note)


class DashboardView(QWidget):
    loaded = Signal(object)  # Dashboard
    print_requested = Signal()

    def __init__(
        self,
        runner: Runner,
        session: Session,
        clock: Callable[[], int],
        targets: Targets,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._runner = runner
        self._session = session
        self._clock = clock
        self._targets = targets
        self._ready = False
        self.dashboard: Dashboard | None = None

        self.preset = QComboBox(self)
        for key, _msgid in PRESETS:
            self.preset.addItem("", key)
        self.preset.setCurrentIndex(1)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        today = local_day(clock(), current().tz)
        first, last = preset_days("30", today)
        self.from_date = QDateEdit(to_qdate(first), self)
        self.to_date = QDateEdit(to_qdate(last), self)
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._dates_edited)
        self.staff = QComboBox(self)
        self.staff.setObjectName("dashboardStaff")
        self.staff.addItem("", None)
        self.staff.currentIndexChanged.connect(self.refresh)
        self.print_button = QPushButton(self)
        self.print_button.setObjectName("printReport")
        # Not print_report itself: clicked(bool) would arrive as its path (see
        # tests/ui/test_signal_slots.py).
        self.print_button.clicked.connect(lambda: self.print_report())

        self.tiles = [KpiTile(self) for _ in range(8)]
        self.chart_views = {
            key: charts.chart_view(charts.bar_chart("", [], []), self)
            for key in ("per_day", "by_hour", "outcomes", "steps")
        }
        self.complaints = QLabel(self)
        self.complaints.setObjectName("complaintsSummary")
        self.complaints.setWordWrap(True)
        self.staff_title = QLabel(self)
        font = self.staff_title.font()
        font.setBold(True)
        self.staff_title.setFont(font)
        self.staff_model = ListTableModel(staff_columns(), self)
        self.staff_table = QTableView(self)
        self.staff_table.setObjectName("staffComparison")
        self.staff_table.setTabKeyNavigation(False)  # Tab leaves the table
        self.staff_table.setModel(self.staff_model)
        self.staff_table.verticalHeader().hide()
        self.staff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.staff_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.staff_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self._labels = [QLabel(self) for _ in range(3)]
        self.preset_label = QLabel(self)
        controls = QHBoxLayout()
        controls.addWidget(self.preset_label)
        controls.addWidget(self.preset)
        for label, widget in zip(
            self._labels, (self.from_date, self.to_date, self.staff), strict=True
        ):
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.print_button)

        tiles = QGridLayout()
        for i, tile in enumerate(self.tiles):
            tiles.addWidget(tile, 0, i)
        grid = QGridLayout()
        grid.addWidget(self.chart_views["per_day"], 0, 0)
        grid.addWidget(self.chart_views["by_hour"], 0, 1)
        grid.addWidget(self.chart_views["outcomes"], 1, 0)
        grid.addWidget(self.chart_views["steps"], 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.addLayout(tiles)
        inner.addLayout(grid)
        inner.addWidget(self.complaints)
        inner.addWidget(self.staff_title)
        inner.addWidget(self.staff_table)
        self.satisfaction = SatisfactionSection(runner, session, content)
        inner.addWidget(self.satisfaction)
        inner.addStretch(1)
        scroll = self.scroll_area = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(scroll, 1)
        QWidget.setTabOrder(self.print_button, scroll)  # the page, then what is on it

        self.retranslate()
        self._ready = True
        runner.run(lambda db: list_staff(db, session), self._fill_staff)
        self._shown_once = False

    def showEvent(self, event) -> None:
        # Thirty days of KPIs are the window's heaviest query: run it when the tab is first
        # looked at, not whenever the manager window opens.
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.refresh()

    def apply_changes(self, changes: Changes) -> None:
        """Visits, follow-ups, customers or staff changed (here or at a counter): the KPIs
        again, at once when on screen, else when next shown."""
        if not (changes.visits or changes.follow_ups or changes.customers or changes.staff):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._shown_once = False  # showEvent loads it

    def set_targets(self, targets: Targets) -> None:
        """The store's targets changed: the KPIs are measured against the new ones (at once
        when the dashboard has been shown, else when it first is)."""
        if targets == self._targets:
            return
        self._targets = targets
        if self._shown_once:
            self.refresh()

    # period and staff ---------------------------------------------------------------------
    def _preset_chosen(self) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        first, last = preset_days(key, local_day(self._clock(), current().tz))
        self._ready = False
        self.from_date.setDate(to_qdate(first))
        self.to_date.setDate(to_qdate(last))
        self._ready = True
        self.refresh()

    def _dates_edited(self) -> None:
        if not self._ready:
            return
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.blockSignals(False)
        self.refresh()

    def _fill_staff(self, members: list[StaffMember]) -> None:
        self.staff.blockSignals(True)
        for member in members:
            self.staff.addItem(member.name, member.id)
        self.staff.blockSignals(False)

    def current_filter(self) -> VisitFilter:
        first, last = from_qdate(self.from_date.date()), from_qdate(self.to_date.date())
        start, end = period(first, max(first, last), current().tz)
        staff_id = self.staff.currentData()
        return VisitFilter(start=start, end=end, staff_ids=(staff_id,) if staff_id else ())

    def period_label(self) -> str:
        return period_text(from_qdate(self.from_date.date()), from_qdate(self.to_date.date()))

    def staff_label(self) -> str:
        return self.staff.currentText() if self.staff.currentData() else _("Everyone")

    def refresh(self) -> None:
        if not self._ready:
            return
        session, f, targets, now, tz = (
            self._session,
            self.current_filter(),
            self._targets,
            self._clock(),
            current().tz,
        )
        self._runner.run(
            lambda db: load_dashboard(db, session, f, targets=targets, now=now, tz=tz),
            self.show_dashboard,
            self._failed,
            key="dashboard",
        )
        self.satisfaction.load(f)

    # showing ------------------------------------------------------------------------------
    def show_dashboard(self, d: Dashboard) -> None:
        self.dashboard = d
        for tile, values in zip(self.tiles, kpi_tiles(d), strict=True):
            tile.show_kpi(*values)
        summaries = chart_summaries(d)
        for key, chart in build_charts(d).items():
            view = self.chart_views[key]
            old = view.chart()
            view.setChart(chart)
            old.deleteLater()
            charts.describe(view, chart.title(), summaries[key])
        self.complaints.setText(complaints_text(d))
        self.staff_model.set_items(d.staff)
        self._fit_staff_table()
        self.loaded.emit(d)

    def _fit_staff_table(self) -> None:
        # The page scrolls, not the table: show every row.
        table = self.staff_table
        rows = sum(table.rowHeight(r) for r in range(self.staff_model.rowCount()))
        table.setFixedHeight(rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 2)

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(
            self,
            _("Dashboard"),
            error_text(error),
        )

    def print_report(self, path: str | None = None) -> str | None:
        """Save the dashboard as a PDF report (asks where, unless ``path`` is given)."""
        from ui.manager_view.report import write_report  # QtPrintSupport only when printing

        if self.dashboard is None:
            return None
        if path is None:
            path, _selected = QFileDialog.getSaveFileName(
                self, _("Save report"), "report.pdf", _("PDF files (*.pdf)")
            )
            if not path:
                return None
        try:
            write_report(
                path,
                self.dashboard,
                store_name=self.window().property("storeName") or "",
                period_label=self.period_label(),
                staff_label=self.staff_label(),
                satisfaction=self.satisfaction.report,
            )
        except ValidationError as error:
            QMessageBox.warning(self, _("Dashboard"), error_text(error))
            return None
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Report saved to {path}.").format(path=path), 8000)
        return path

    def retranslate(self) -> None:
        for i, (_key, msgid) in enumerate(PRESETS):
            self.preset.setItemText(i, _(msgid))
        for label, text in zip(self._labels, (_("&From:"), _("&To:"), _("&Staff:")), strict=True):
            label.setText(text)
        name_by_label(self.staff, self._labels[2])  # not by who is chosen
        self.preset_label.setText(_("Period:"))
        name_by_label(self.preset, self.preset_label)  # not by the period chosen
        self.scroll_area.setAccessibleName(_("Dashboard"))
        self.staff_table.setAccessibleName(_("Staff compared"))
        self.staff.setItemText(0, _("Everyone"))
        self.print_button.setText(_("&Print report (PDF)…"))
        self.staff_title.setText(_("Staff compared"))
        self.staff_model.refresh_texts()
        self.satisfaction.retranslate()
        if self.dashboard is not None:
            self.show_dashboard(self.dashboard)
