"""Generic checks that every text on a window reads against what it is drawn on (WCAG 2.x
contrast: 4.5:1, 3:1 for large text and for a chart's bars), and that nothing stays a bright
box on a dark palette: labels (their own colour, and each coloured span of a rich text),
table cells with a colour of their own, a text browser's coloured spans, and charts."""

from __future__ import annotations

import re

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTextEdit, QWidget

from ui.theme import GRAPHIC, TEXT, contrast, luminance

SPAN_COLOUR = re.compile(r"color:\s*(#[0-9a-fA-F]{6})")
BRIGHT = 0.3  # a background this light on a dark palette glares


def background_of(widget: QWidget) -> QColor:
    """What the widget's text is painted on: the first of it and its parents that paints a
    background (a style sheet's, an item view's base, a window's)."""
    w: QWidget | None = widget
    while w is not None:
        if w.autoFillBackground() or w.isWindow() or "background" in w.styleSheet():
            return w.palette().color(w.backgroundRole())
        w = w.parentWidget()
    return widget.palette().color(QPalette.Window)


def _large(widget: QWidget) -> bool:
    font = widget.font()
    points = font.pointSizeF()
    return points >= 18 or (font.bold() and points >= 14)


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel) else ""
    return f"{type(widget).__name__} {widget.objectName()!r} {text[:40]!r}"


def _shown(top: QWidget) -> list[QWidget]:
    return [w for w in top.findChildren(QWidget) if w.isVisibleTo(top)] + [top]


def _colour(value, default: QColor) -> QColor:
    if value is None:
        return default
    return value.color() if isinstance(value, QBrush) else QColor(value)


def text_problems(top: QWidget) -> list[str]:
    problems: list[str] = []

    def check(what: str, fg: QColor, bg: QColor, minimum: float) -> None:
        ratio = contrast(fg, bg)
        if ratio < minimum:
            problems.append(f"{what}: {fg.name()} on {bg.name()} is {ratio:.2f}:1 < {minimum}")

    for w in _shown(top):
        if isinstance(w, QLabel) and w.text():
            bg = background_of(w)
            minimum = GRAPHIC if _large(w) else TEXT
            check(_name(w), w.palette().color(w.foregroundRole()), bg, minimum)
            for colour in SPAN_COLOUR.findall(w.text()):
                check(f"{_name(w)} span", QColor(colour), bg, minimum)
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            base = w.palette().color(QPalette.Base)
            text = w.palette().color(QPalette.Text)
            for row in range(min(model.rowCount(), 60)):
                for column in range(model.columnCount()):
                    index = model.index(row, column)
                    fg, bg = index.data(Qt.ForegroundRole), index.data(Qt.BackgroundRole)
                    if fg is None and bg is None:
                        continue
                    fg = _colour(fg, text)
                    bg = _colour(bg, base)
                    check(f"{w.objectName()} cell {row},{column}", fg, bg, TEXT)
        elif isinstance(w, QTextEdit):
            base = w.viewport().palette().color(QPalette.Base)
            for colour in SPAN_COLOUR.findall(w.toHtml()):
                check(f"{w.objectName()} span", QColor(colour), base, TEXT)
        elif isinstance(w, QChartView) and w.chart() is not None:
            chart = w.chart()
            bg = chart.backgroundBrush().color()
            check(f"chart {chart.title()!r} title", chart.titleBrush().color(), bg, TEXT)
            for axis in chart.axes():
                check(f"chart {chart.title()!r} labels", axis.labelsColor(), bg, TEXT)
            for series in chart.series():
                for bar_set in series.barSets():
                    check(f"chart {chart.title()!r} bars", bar_set.color(), bg, GRAPHIC)
    return problems


def bright_boxes(top: QWidget) -> list[str]:
    """On a dark palette: labels with a background of their own, and charts, that are light."""
    if luminance(top.palette().color(QPalette.Window)) >= BRIGHT:
        return []
    problems = []
    for w in _shown(top):
        if isinstance(w, QLabel) and "background" in w.styleSheet():
            colour = w.palette().color(w.backgroundRole())
            if luminance(colour) >= BRIGHT:
                problems.append(f"{_name(w)}: background {colour.name()}")
        elif isinstance(w, QChartView) and w.chart() is not None:
            colour = w.chart().backgroundBrush().color()
            if luminance(colour) >= BRIGHT:
                problems.append(f"chart {w.chart().title()!r}: background {colour.name()}")
    return problems
