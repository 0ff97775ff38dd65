"""Small QtCharts builders shared by the dashboard and the printed report.

Numbers a person reads (values next to bars, category names) are formatted by the caller with
the UI :class:`~counter.i18n.Translator`; axes use Qt's localized number format.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ui import theme

# Series colours are roles: the colour itself comes from the palette (ui/theme.py).
BLUE, TEAL, AMBER, RED, GREY = theme.BLUE, theme.TEAL, theme.AMBER, theme.RED, theme.GREY


def _nice_max(value: float) -> float:
    """A round axis maximum just above ``value`` (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1.0
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if value <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _tick_count(top: float) -> int:
    """Ticks on round numbers from 0 to a :func:`_nice_max` value."""
    if top <= 5:
        return int(top) + 1
    while top >= 10:
        top /= 10
    return {1: 6, 2: 5, 5: 6}.get(round(top), 6)


def bar_chart(
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    *,
    color: str = BLUE,
    horizontal: bool = False,
    max_value: float | None = None,
    label_every: int = 1,
    font_size: float | None = None,
    colours: theme.Colours | None = None,
) -> QChart:
    """Bars with one category label each, or with ``label_every`` > 1 a label on every n-th
    bar only (long series of days), which leaves each label room instead of eliding it."""
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setLocalizeNumbers(True)
    chart.setProperty("seriesRole", color)
    bar_set = QBarSet(title)
    bar_set.append([float(v) for v in values])
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.setBarWidth(0.7)
    series.append(bar_set)
    chart.addSeries(series)

    category_axis: QCategoryAxis | QBarCategoryAxis
    if label_every > 1 and not horizontal:
        category_axis = QCategoryAxis()
        category_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        category_axis.setRange(-0.5, len(categories) - 0.5)
        for i, label in enumerate(categories):
            if i % label_every == 0:
                category_axis.append(label, i)
    else:
        bar_axis = QBarCategoryAxis()
        bar_axis.append(list(categories))
        category_axis = bar_axis
    category_axis.setGridLineVisible(False)
    top = max_value if max_value is not None else _nice_max(max(values, default=0))
    value_axis = QValueAxis()
    value_axis.setRange(0, top)
    value_axis.setLabelFormat("%.0f")  # "%d" prints nothing once numbers are localized
    value_axis.setTickCount(_tick_count(top))
    if font_size is not None:
        font = QFont()
        font.setPointSizeF(font_size)
        category_axis.setLabelsFont(font)
        value_axis.setLabelsFont(font)
        title_font = QFont()
        title_font.setPointSizeF(font_size + 1.5)
        title_font.setBold(True)
        chart.setTitleFont(title_font)
    else:
        title_font = chart.titleFont()
        title_font.setBold(True)
        chart.setTitleFont(title_font)
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)
    style_chart(chart, colours)
    return chart


def describe(view: QChartView, name: str, summary: str) -> None:
    """What a screen reader says for a chart: its title as the name and its values, as text,
    as the description (a picture of bars says nothing). The viewport takes focus on a click,
    so it says the same."""
    for widget in (view, view.viewport()):
        widget.setAccessibleName(name)
        widget.setAccessibleDescription(summary)


def style_chart(chart: QChart, colours: theme.Colours | None = None) -> None:
    """Background, title, labels, grid and bars in the palette's colours (``colours``: the
    application's; the printed report passes paper's)."""
    c = colours or theme.colours()
    chart.setBackgroundBrush(QBrush(c.chart_background))
    chart.setBackgroundPen(QPen(c.chart_grid))
    chart.setPlotAreaBackgroundVisible(False)
    chart.setTitleBrush(QBrush(c.chart_text))
    for axis in chart.axes():
        axis.setLabelsColor(c.chart_text)
        axis.setLinePenColor(c.chart_grid)
        axis.setGridLineColor(c.chart_grid)
    colour = c.series[chart.property("seriesRole") or BLUE]
    for series in chart.series():
        if not isinstance(series, QAbstractBarSeries):
            continue
        for bar_set in series.barSets():
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            bar_set.setLabelColor(c.chart_text)


def chart_view(chart: QChart, parent: QWidget | None = None, min_height: int = 250) -> QChartView:
    view = QChartView(chart, parent)

    def restyle() -> None:
        style_chart(view.chart())
        view.setBackgroundBrush(QBrush(theme.colours().chart_background))

    theme.follow(view, restyle)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(min_height)
    return view
