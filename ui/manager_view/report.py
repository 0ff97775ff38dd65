"""The printable report: the dashboard of a period as an A4 PDF (Qt's PDF writer), in the UI
language. Page 1: headline numbers and visits over time; page 2: outcomes, checklist steps,
complaints and the staff comparison; page 3, when given: how customers felt (their answers on
the customer screen)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from counter import feedback
from counter.checklist import step_label
from counter.dashboard import Dashboard
from counter.errors import Problem, ValidationError
from counter.feedback import SatisfactionReport
from ui import theme
from ui.i18n import N_, _, current
from ui.manager_view.dashboard_content import (
    build_charts,
    complaints_text,
    kpi_tiles,
    staff_columns,
)
from ui.manager_view.satisfaction import build_charts as satisfaction_charts
from ui.manager_view.satisfaction import fmt_average, reasons_text, summary_text
from ui.manager_view.satisfaction import staff_columns as satisfaction_staff_columns

RESOLUTION = 300  # dots per inch of the PDF's coordinate system (output stays vector)
CHART_DPI = 100  # charts are laid out as on a screen of this density, then scaled onto the page


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _document(writer: QPdfWriter, body: str, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # point sizes in the PDF's resolution
    paper = theme.paper()  # a page is light whatever the screen's palette
    muted, bad = paper.css(theme.MUTED), paper.css(theme.DANGER)
    head = theme.mix(paper.base, paper.text, 0.07).name()
    doc.setDefaultStyleSheet(
        "body { font-size: 10pt; } h1 { font-size: 18pt; margin: 0; } "
        f".sub {{ color: {muted}; }} td.k {{ color: {muted}; }} td.v {{ font-size: 15pt; }} "
        f"td.bad {{ color: {bad}; font-size: 15pt; }} th {{ background: {head}; }} "
        "table.grid td, table.grid th { padding: 4px; }"
    )
    doc.setHtml(f"<body>{body}</body>")
    doc.setTextWidth(width)
    return doc


def _draw_doc(painter: QPainter, doc: QTextDocument, x: float, y: float) -> float:
    painter.save()
    painter.translate(x, y)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = theme.light_palette()  # black ink on paper, not the screen's palette
    doc.documentLayout().draw(painter, context)
    painter.restore()
    return y + doc.size().height()


def _draw_chart(painter: QPainter, chart: QChart, rect: QRectF) -> None:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.setPalette(theme.light_palette())
    scale = CHART_DPI / RESOLUTION
    view.resize(round(rect.width() * scale), round(rect.height() * scale))
    view.show()  # lays the chart out; never on screen
    view.render(painter, rect, view.viewport().rect())
    view.close()
    view.deleteLater()


def _kpi_html(d: Dashboard) -> str:
    cells = []
    for title, value, note, bad in kpi_tiles(d):
        color = f"color:{theme.paper().css(theme.DANGER)};" if bad else ""
        cells.append(
            f"<td width='25%'><p class='sub' style='margin:0'>{_e(title)}</p>"
            f"<p style='margin:0; font-size:16pt; font-weight:bold; {color}'>{_e(value)}</p>"
            f"<p class='sub' style='margin:0'>{_e(note) or '&nbsp;'}</p></td>"
        )
    rows = [cells[i : i + 4] for i in range(0, len(cells), 4)]
    return (
        "<table width='100%' cellspacing='6' cellpadding='6'>"
        + "".join(f"<tr>{''.join(r)}</tr>" for r in rows)
        + "</table>"
    )


def _table_html(title: str, columns, items) -> str:
    head = "".join(f"<th align='left'>{_e(_(c.header))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td align='{'right' if c.numeric else 'left'}'>{_e(c.show(s))}</td>" for c in columns
        )
        + "</tr>"
        for s in items
    )
    return (
        f"<h3>{_e(title)}</h3>"
        "<table class='grid' width='100%' cellspacing='0' border='0.5'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def _rows_html(title: str, head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A small grid: the first column text, the others numbers."""
    cells = "".join(
        f"<th align='{'left' if i == 0 else 'right'}'>{_e(h)}</th>" for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td align='{'left' if i == 0 else 'right'}'>{_e(v)}</td>" for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<h3>{_e(title)}</h3><table class='grid' width='100%' cellspacing='0' border='0.5'>"
        f"<tr>{cells}</tr>{body}</table>"
    )


def _satisfaction_html(report: SatisfactionReport) -> list[str]:
    """The answers' tables, each a block of its own (a page break falls between blocks)."""
    f = report.figures
    tr = current()
    blocks = []
    waits = [
        (_(band), tr.number(mean.visits), fmt_average(mean))
        for band, mean in zip(feedback.WAIT_BANDS, f.by_wait, strict=True)
    ]
    blocks.append(
        _rows_html(_("Answers by wait"), (_("Wait"), _("Answers"), _("Average face (1–5)")), waits)
    )
    steps = [
        (
            step_label(key, f.step_labels.get(key, key), _),
            fmt_average(done),
            tr.number(done.visits),
            fmt_average(missed),
            tr.number(missed.visits),
        )
        for key, (done, missed) in sorted(f.by_step.items())
    ]
    if steps:
        blocks.append(
            _rows_html(
                _("Answers by checklist step"),
                (
                    _("Step"),
                    _("Average when done"),
                    _("Answers"),
                    _("Average when not done"),
                    _("Answers"),
                ),
                steps,
            )
        )
    reasons = reasons_text(report)
    if reasons:
        blocks.append(f"<p>{_e(reasons)}</p>")
    if report.staff:
        blocks.append(
            _table_html(
                _("Customers' answers by staff member"),
                satisfaction_staff_columns(),
                report.staff,
            )
        )
    return blocks


def _staff_html(d: Dashboard) -> str:
    columns = staff_columns()
    head = "".join(f"<th align='left'>{_e(_(c.header))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td align='{'right' if c.numeric else 'left'}'>{_e(c.show(s))}</td>" for c in columns
        )
        + "</tr>"
        for s in d.staff
    )
    return (
        f"<h3>{_e(_('Staff compared'))}</h3>"
        "<table class='grid' width='100%' cellspacing='0' border='0.5'>"
        f"<tr>{head}</tr>{body}</table>"
    )


def _satisfaction_pages(
    writer: QPdfWriter, painter: QPainter, page: QRectF, gap: float, report: SatisfactionReport
) -> None:
    """How customers felt: the summary, the faces and the days as charts, then the tables;
    a table that does not fit below goes on a new page."""
    writer.newPage()
    title = f"<h2>{_e(_('How customers felt'))}</h2><p>{_e(summary_text(report))}</p>"
    y = _draw_doc(painter, _document(writer, title, page.width()), 0, 0) + gap
    if not report.figures.answered:
        return
    chart_set = satisfaction_charts(report)
    # The days get the full width: at half a page their dates were cut to "N…".
    for key, share in (("faces", 0.2), ("by_day", 0.22)):
        height = page.height() * share
        _draw_chart(painter, chart_set[key], QRectF(0, y, page.width(), height))
        y += height + gap
    for block in _satisfaction_html(report):
        doc = _document(writer, block, page.width())
        if y > 0 and y + doc.size().height() > page.height():
            writer.newPage()
            y = 0.0
        y = _draw_doc(painter, doc, 0, y)


def write_report(
    path: str | Path,
    d: Dashboard,
    *,
    store_name: str,
    period_label: str,
    staff_label: str,
    generated_at: int | None = None,
    satisfaction: SatisfactionReport | None = None,
) -> Path:
    """Write the report; returns the path."""
    path = Path(path)
    tr = current()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(_("Visit report"))
    writer.setCreator("Counter")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
        )
    )
    painter = QPainter(writer)
    if not painter.isActive():  # QPdfWriter says nothing when the file cannot be created
        raise ValidationError(
            [Problem("file", N_("Counter cannot write the file {path}."), {"path": str(path)})]
        )
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        gap = RESOLUTION * 0.15
        title = _("Visit report")
        if store_name:
            title = _("{title} — {store}").format(title=title, store=store_name)
        sub = _("{period} · staff: {staff}").format(period=period_label, staff=staff_label)
        if generated_at is not None:
            sub += " · " + _("printed {when}").format(when=tr.datetime(generated_at, "short"))
        head = _document(writer, f"<h1>{_e(title)}</h1><p class='sub'>{_e(sub)}</p>", page.width())
        y = _draw_doc(painter, head, 0, 0)
        y = _draw_doc(painter, _document(writer, _kpi_html(d), page.width()), 0, y) + gap
        chart_set = build_charts(d, colours=theme.paper())
        day_height = page.height() * 0.30
        _draw_chart(painter, chart_set["per_day"], QRectF(0, y, page.width(), day_height))
        y += day_height + gap
        half = (page.width() - gap) / 2
        rest = page.height() - y
        _draw_chart(painter, chart_set["by_hour"], QRectF(0, y, half, rest))
        _draw_chart(painter, chart_set["outcomes"], QRectF(half + gap, y, half, rest))

        writer.newPage()
        y = 0.0
        steps_height = page.height() * 0.28
        _draw_chart(painter, chart_set["steps"], QRectF(0, y, page.width(), steps_height))
        y += steps_height + gap
        complaints = f"<h3>{_e(_('Complaints'))}</h3><p>{_e(complaints_text(d))}</p>"
        y = _draw_doc(painter, _document(writer, complaints, page.width()), 0, y) + gap
        _draw_doc(painter, _document(writer, _staff_html(d), page.width()), 0, y)
        if satisfaction is not None and satisfaction.figures.asked:  # a store that never asks
            _satisfaction_pages(writer, painter, page, gap, satisfaction)
    finally:
        painter.end()
    return path
