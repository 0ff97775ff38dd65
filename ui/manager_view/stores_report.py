"""The printable stores report: the office's comparison of every store for a period as an A4
PDF (same layout helpers as the store's own report, ``ui.manager_view.report``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from counter import office
from counter.errors import Problem, ValidationError
from ui.i18n import N_, _, current
from ui.manager_view.report import RESOLUTION, _document, _draw_chart, _draw_doc, _e
from ui.manager_view.stores_content import (
    answers_chart,
    comparison_cells,
    comparison_headers,
    wait_chart,
)


def write_stores_report(
    path: str | Path,
    comparison: list[office.StoreStats],
    *,
    period_label: str,
    generated_at: int | None = None,
) -> Path:
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(_("Stores compared"))
    writer.setCreator("Counter")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
        )
    )
    painter = QPainter(writer)
    if not painter.isActive():
        raise ValidationError(
            [Problem("file", N_("Counter cannot write the file {path}."), {"path": str(path)})]
        )
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        sub = period_label
        if generated_at is not None:
            sub += " · " + _("printed {when}").format(
                when=current().datetime(generated_at, "short")
            )
        # Sixteen columns on a landscape page: a smaller type keeps each word whole.
        small = "font-size:8pt"
        head = "".join(
            f"<th align='left' style='{small}'>{_e(h)}</th>" for h in comparison_headers()
        )
        red = f" style='{small}; color:#b3261e'"
        plain = f" style='{small}'"
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td align='{'right' if i else 'left'}'{red if late else plain}>{_e(text)}</td>"
                for i, (text, late) in enumerate(comparison_cells(s))
            )
            + "</tr>"
            for s in comparison
        )
        body = (
            f"<h1>{_e(_('Stores compared'))}</h1><p class='sub'>{_e(sub)}</p>"
            "<table class='grid' width='100%' cellspacing='0' border='0.5'>"
            f"<tr>{head}</tr>{rows}</table>"
        )
        y = _draw_doc(painter, _document(writer, body, page.width()), 0, 0) + RESOLUTION * 0.2
        half = page.width() / 2
        height = page.height() - y
        _draw_chart(painter, wait_chart(comparison), QRectF(0, y, half, height))
        _draw_chart(painter, answers_chart(comparison), QRectF(half, y, half, height))
    finally:
        painter.end()
    return path
