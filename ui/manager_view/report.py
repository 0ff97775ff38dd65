"""The printable report: the dashboard of a period as an A4 PDF (Qt's PDF writer), in the UI
language. Page 1: headline numbers and visits over time; page 2: outcomes, checklist steps,
complaints and the staff comparison."""

from __future__ import annotations

import html
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

from counter.errors import Problem, ValidationError
from counter.reports import Dashboard
from ui import theme
from ui.i18n import N_, _, current
from ui.manager_view.dashboard_content import (
    build_charts,
    complaints_text,
    kpi_tiles,
    staff_columns,
)

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
    view.setRenderHint(QPainter.Antialiasing)
    view.setAttribute(Qt.WA_DontShowOnScreen)
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


def write_report(
    path: str | Path,
    d: Dashboard,
    *,
    store_name: str,
    period_label: str,
    staff_label: str,
    generated_at: int | None = None,
) -> Path:
    """Write the report; returns the path."""
    path = Path(path)
    tr = current()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(_("Visit report"))
    writer.setCreator("Counter")
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait, QMarginsF(15, 15, 15, 15))
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
    finally:
        painter.end()
    return path
