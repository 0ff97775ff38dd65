"""The dashboard's "How customers felt" section: the customers' own answers on the customer
screen for the dashboard's period and staff filter. The share of each face and the answer rate,
the average by day and by staff member, how the average moves with the wait and with each
checklist step done or not, and the reasons given. Numbers through the UI Translator."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import feedback
from counter.checklist import step_label
from counter.feedback import SatisfactionReport, StaffSatisfaction, load_satisfaction
from counter.roles import Session
from counter.visit_filter import VisitFilter
from ui.error_text import error_text
from ui.i18n import N_, _, current
from ui.manager_view import charts
from ui.manager_view.dashboard_content import values_text
from ui.models.list_table_model import Column, ListTableModel
from ui.tasks import Runner

if TYPE_CHECKING:  # QtCharts loads when a chart is built, not with this module
    from PySide6.QtCharts import QChart


def fmt_average(mean: feedback.Mean) -> str:
    average = mean.average
    return "—" if average is None else current().number(round(average, 1))


def staff_columns() -> list[Column]:
    def share_poor(s: StaffSatisfaction) -> str:
        if not s.answers.visits:
            return "—"
        return current().percent(s.poor / s.answers.visits)

    return [
        Column(N_("Staff member"), lambda s: s.name or _("(nobody recorded)")),
        Column(N_("Answers"), lambda s: current().number(s.answers.visits), numeric=True),
        Column(N_("Average face (1–5)"), lambda s: fmt_average(s.answers), numeric=True),
        Column(N_("Unhappy"), share_poor, numeric=True),
    ]


def summary_text(report: SatisfactionReport) -> str:
    f = report.figures
    tr = current()
    if not f.asked:
        return _("No customer was asked in this period (Visit ▸ Customer screen).")
    return _(
        "{answered} of {asked} customers asked answered ({rate}); average face {average} of 5."
    ).format(
        answered=tr.number(f.answered),
        asked=tr.number(f.asked),
        rate=tr.percent(f.answer_rate or 0),
        average=fmt_average(f.overall),
    )


def influences_text(report: SatisfactionReport) -> str:
    """How the average moves with the wait and with each step done or not."""
    f = report.figures
    lines = []
    for band, mean in zip(feedback.WAIT_BANDS, f.by_wait, strict=True):
        if mean.visits:
            lines.append(
                _("{band}: {average} ({count} answers)").format(
                    band=_(band), average=fmt_average(mean), count=current().number(mean.visits)
                )
            )
    for key, (done, missed) in sorted(f.by_step.items()):
        if done.visits and missed.visits:
            lines.append(
                _("{step}: {done} when done, {missed} when not").format(
                    step=step_label(key, f.step_labels.get(key, key), _),
                    done=fmt_average(done),
                    missed=fmt_average(missed),
                )
            )
    return "\n".join(lines)


def reasons_text(report: SatisfactionReport) -> str:
    reasons = report.figures.reasons
    if not reasons:
        return ""
    parts = [
        _("{reason}: {count}").format(
            reason=feedback.reason_label(reason, _), count=current().number(n)
        )
        for reason, n in reasons
    ]
    return _("Reasons given: {reasons}").format(reasons=current().list(parts))


def build_charts(report: SatisfactionReport) -> dict[str, QChart]:
    f = report.figures
    tr = current()
    faces = charts.bar_chart(  # horizontal bars draw bottom-up: very happy on top
        _("Answers by face"),
        [
            f"{_(feedback.FACE_NAMES[face])} · {tr.percent(f.share(face) or 0)}"
            for face in feedback.FACES
        ],
        [f.faces[face] for face in feedback.FACES],
        color=charts.TEAL,
        horizontal=True,
    )
    days = list(f.by_day)
    by_day = charts.bar_chart(
        _("Average face per day"),
        [tr.day_skeleton(d, "MMMd") for d in days],
        [round(f.by_day[d].average or 0, 2) for d in days],
        color=charts.BLUE,
        max_value=5,
        label_every=max(1, -(-len(days) // 10)),
    )
    return {"faces": faces, "by_day": by_day}


def chart_summaries(report: SatisfactionReport) -> dict[str, str]:
    """The two charts (``build_charts``) as text, for their accessible descriptions."""
    f = report.figures
    tr = current()
    faces = [(_(feedback.FACE_NAMES[face]), tr.number(n)) for face, n in f.faces.items()]
    days = [
        (tr.day_skeleton(d, "MMMd"), fmt_average(mean))
        for d, mean in f.by_day.items()
        if mean.average is not None
    ]
    return {"faces": values_text(faces), "by_day": values_text(days)}


class SatisfactionSection(QWidget):
    loaded = Signal(object)  # SatisfactionReport

    def __init__(self, runner: Runner, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("satisfaction")
        self._runner = runner
        self._session = session
        self.report: SatisfactionReport | None = None
        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setObjectName("satisfactionSummary")
        self.summary.setWordWrap(True)
        self.chart_views = {
            key: charts.chart_view(charts.bar_chart("", [], []), self)
            for key in ("faces", "by_day")
        }
        self.influences = QLabel(self)
        self.influences.setObjectName("satisfactionInfluences")
        self.influences.setWordWrap(True)
        self.reasons = QLabel(self)
        self.reasons.setObjectName("satisfactionReasons")
        self.reasons.setWordWrap(True)
        self.staff_model = ListTableModel(staff_columns(), self)
        self.staff_table = QTableView(self)
        self.staff_table.setObjectName("satisfactionByStaff")
        self.staff_table.setModel(self.staff_model)
        self.staff_table.verticalHeader().hide()
        self.staff_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staff_table.setTabKeyNavigation(False)
        header = self.staff_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        grid = QGridLayout()
        grid.addWidget(self.chart_views["faces"], 0, 0)
        grid.addWidget(self.chart_views["by_day"], 0, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        layout.addWidget(self.influences)
        layout.addWidget(self.reasons)
        layout.addWidget(self.staff_table)
        self.retranslate()

    def load(self, f: VisitFilter, on_failed: Callable[[BaseException], None] | None = None):
        """The answers of the dashboard's period and staff filter."""
        if f.start is None or f.end is None:
            return
        session, start, end, tz = self._session, f.start, f.end, current().tz
        staff_id = f.staff_ids[0] if len(f.staff_ids) == 1 else None
        self._runner.run(
            lambda db: load_satisfaction(db, session, start, end, tz=tz, staff_id=staff_id),
            self.show_report,
            on_failed or self._failed,
            key="satisfaction",
        )

    def show_report(self, report: SatisfactionReport) -> None:
        self.report = report
        self.summary.setText(summary_text(report))
        answered = bool(report.figures.answered)
        for key, chart in build_charts(report).items():
            view = self.chart_views[key]
            old = view.chart()
            view.setChart(chart)
            old.deleteLater()
            view.setVisible(answered)
            charts.describe(view, chart.title(), chart_summaries(report)[key])
        self.influences.setText(influences_text(report))
        self.reasons.setText(reasons_text(report))
        self.staff_model.set_items(report.staff)
        self.staff_table.setVisible(bool(report.staff))
        self._fit_table()
        self.loaded.emit(report)

    def _fit_table(self) -> None:
        table = self.staff_table
        rows = sum(table.rowHeight(r) for r in range(self.staff_model.rowCount()))
        table.setFixedHeight(rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 2)

    def _failed(self, error: BaseException) -> None:
        self.summary.setText(error_text(error))

    def retranslate(self) -> None:
        self.title.setText(_("How customers felt"))
        self.staff_table.setAccessibleName(_("Customers' answers by staff member"))
        self.staff_model.refresh_texts()
        if self.report is not None:
            self.show_report(self.report)
