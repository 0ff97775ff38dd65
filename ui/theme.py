"""Colours that stay readable on a light, a dark and a high-contrast palette.

No widget writes a colour of its own: it asks for a role (``DANGER`` for an error or a time
over its target, ``WARNING`` for an amber note, ``SUCCESS``, ``MUTED`` for secondary text, a
``NOTE`` box, the queue's amber and red timers, the charts' series) and gets the colour for
the palette in use. Each colour starts from a hue chosen for light or for dark backgrounds and
is then made lighter or darker until it reads against the background it is drawn on: 4.5:1 for
text (WCAG AA), 3:1 for bars and lines, 7:1 on a high-contrast palette.

The app follows the system's palette, at start and when it changes (``follow``); ``apply``
sets a light, dark or high-contrast Fusion palette instead (``counter run --theme``, or the
``COUNTER_THEME`` environment variable). The printed report is paper: ``paper()`` gives the
light colours whatever the screen shows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:  # named where used, not at start-up: see ui/early_start.py
    from PySide6.QtWidgets import QStyle

THEMES = ("system", "light", "dark", "high-contrast")
ENV_VAR = "COUNTER_THEME"

TEXT = 4.5  # WCAG AA, normal text
GRAPHIC = 3.0  # WCAG AA, large text and the parts of a chart
HIGH = 7.0  # WCAG AAA, asked of every text on a high-contrast palette

# Roles: a text colour on the window or a table's base
DANGER, WARNING, SUCCESS, MUTED = "danger", "warning", "success", "muted"
# Chart series
BLUE, TEAL, AMBER, RED, GREY = "blue", "teal", "amber", "red", "grey"

# (on light, on dark) starting points; ``readable`` then moves them until they read.
_TEXT_HUES = {
    DANGER: ("#b00020", "#ff8a80"),
    WARNING: ("#8a4b00", "#ffb74d"),
    SUCCESS: ("#1b7a3a", "#81c995"),
    MUTED: ("#5f6368", "#b4b8be"),
}
_SERIES_HUES = {
    BLUE: ("#3b6ea8", "#7eaee6"),
    TEAL: ("#2a8c82", "#5cc4b8"),
    AMBER: ("#c98a1b", "#e8b04a"),
    RED: ("#b3261e", "#ff8a80"),
    GREY: ("#8a8f98", "#a6abb3"),
}


# -- measuring ---------------------------------------------------------------------------
def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2.x)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.ColorRole.Window)) < luminance(
        palette.color(QPalette.ColorRole.WindowText)
    )


def is_high_contrast(palette: QPalette) -> bool:
    """Black on white or white on black (a light palette such as Fusion's measures 18:1)."""
    return (
        contrast(
            palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
        )
        >= 19.5
    )


def readable(colour: QColor, background: QColor, minimum: float = TEXT) -> QColor:
    """``colour``, made darker (on a light background) or lighter (on a dark one) in small
    steps until it has ``minimum`` contrast against ``background``; its hue stays."""
    colour = QColor(colour)
    if contrast(colour, background) >= minimum:
        return colour
    lighter = luminance(background) < 0.18
    # PySide6's stubs type the returned tuple as object
    h, s, lightness, a = cast("tuple[float, float, float, float]", colour.getHslF())
    h = max(h, 0.0)  # grey has no hue (-1)
    for _step in range(100):
        lightness = min(1.0, lightness + 0.01) if lighter else max(0.0, lightness - 0.01)
        colour = QColor.fromHslF(h, s, lightness, a)
        if contrast(colour, background) >= minimum or lightness in (0.0, 1.0):
            break
    return colour


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    t = share_of_b
    return QColor.fromRgbF(
        a.redF() * (1 - t) + b.redF() * t,
        a.greenF() * (1 - t) + b.greenF() * t,
        a.blueF() * (1 - t) + b.blueF() * t,
    )


# -- the colours of one palette ----------------------------------------------------------
@dataclass(frozen=True)
class Colours:
    """Every colour the app draws with, for one palette. Text roles read on both the
    window and a table's base; each pair (``note_text`` on ``note_background``...) reads."""

    window: QColor
    base: QColor
    text: QColor
    danger: QColor
    warning: QColor
    success: QColor
    muted: QColor
    note_background: QColor  # the complaint path, the phrase notice, the banner
    note_text: QColor
    note_border: QColor
    timer_amber: QColor  # the queue's wait timers past their thresholds
    timer_amber_text: QColor
    timer_red: QColor
    timer_red_text: QColor
    chart_background: QColor
    chart_text: QColor
    chart_grid: QColor
    series: dict[str, QColor]
    high_contrast: bool = False

    def role(self, name: str) -> QColor:
        return getattr(self, name)

    def css(self, name: str) -> str:
        """A colour for a style sheet or an HTML span: ``#rrggbb``."""
        return self.role(name).name()


def colours(palette: QPalette | None = None) -> Colours:
    """The colours for ``palette`` (the application's by default)."""
    if palette is None:
        palette = QGuiApplication.palette()
    key = palette.cacheKey()
    cached = _cache.get(key)
    if cached is not None and cached[0] == _palette_colours(palette):
        return cached[1]
    made = _make(palette)
    if len(_cache) > 16:
        _cache.clear()
    _cache[key] = (_palette_colours(palette), made)
    return made


_cache: dict[int, tuple[tuple[int, ...], Colours]] = {}


def _palette_colours(palette: QPalette) -> tuple[int, ...]:
    roles = (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.Text,
    )
    return tuple(palette.color(r).rgba() for r in roles)


def _make(palette: QPalette) -> Colours:
    dark = is_dark(palette)
    high = is_high_contrast(palette)
    window, base = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    need = HIGH if high else TEXT

    def on_both(start: str) -> QColor:
        # Readable on the window and on a table's base: check against the nearer one of them.
        colour = readable(QColor(start), window, need)
        return readable(colour, base, need)

    texts = {role: on_both(pair[1] if dark else pair[0]) for role, pair in _TEXT_HUES.items()}
    if dark:
        note_background = mix(window, QColor("#ffa726"), 0.18 if not high else 0.0)
        note_border = QColor("#ffa726")
        note_text = readable(QColor("#ffe0b2"), note_background, need)
    else:
        note_background = mix(window, QColor("#fff4e5"), 0.85 if not high else 0.0)
        note_border = QColor("#e08a00")
        note_text = readable(QColor("#4a2f00"), note_background, need)
    note_border = readable(note_border, note_background, GRAPHIC)
    # Amber and red timers: one pair each, readable in themselves and against the table.
    timer_amber = QColor("#ffd166") if not dark else QColor("#f0b429")
    timer_amber_text = readable(QColor("#3d2c00"), timer_amber, need)
    timer_red = QColor("#c62828") if not dark else QColor("#ef5350")
    timer_red_text = QColor("#ffffff") if not dark else QColor("#1a0000")
    timer_red_text = readable(timer_red_text, timer_red, need)
    chart_background = base
    series = {
        role: readable(QColor(pair[1] if dark else pair[0]), chart_background, GRAPHIC)
        for role, pair in _SERIES_HUES.items()
    }
    return Colours(
        window=window,
        base=base,
        text=text,
        danger=texts[DANGER],
        warning=texts[WARNING],
        success=texts[SUCCESS],
        muted=texts[MUTED],
        note_background=note_background,
        note_text=note_text,
        note_border=note_border,
        timer_amber=timer_amber,
        timer_amber_text=timer_amber_text,
        timer_red=timer_red,
        timer_red_text=timer_red_text,
        chart_background=chart_background,
        chart_text=readable(text, chart_background, need),
        chart_grid=mix(chart_background, text, 0.25),
        series=series,
        high_contrast=high,
    )


def paper() -> Colours:
    """The colours of a printed page: light, whatever the screen uses."""
    return colours(light_palette())


# -- palettes ------------------------------------------------------------------------------
def light_palette() -> QPalette:
    from PySide6.QtWidgets import QStyleFactory

    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def dark_palette() -> QPalette:
    p = QPalette()
    colours_ = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#2f3134",
        QPalette.ColorRole.ToolTipBase: "#3c3f43",
        QPalette.ColorRole.ToolTipText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#3a3d41",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.BrightText: "#ff8a80",
        QPalette.ColorRole.Light: "#4a4d52",
        QPalette.ColorRole.Midlight: "#404347",
        QPalette.ColorRole.Mid: "#2f3134",
        QPalette.ColorRole.Dark: "#1a1b1e",
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Highlight: "#4c8ee6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.LinkVisited: "#c58af9",
    }
    for role, value in colours_.items():
        p.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868b"))
    return p


def high_contrast_palette() -> QPalette:
    p = QPalette()
    colours_ = {
        QPalette.ColorRole.Window: "#000000",
        QPalette.ColorRole.WindowText: "#ffffff",
        QPalette.ColorRole.Base: "#000000",
        QPalette.ColorRole.AlternateBase: "#1a1a1a",
        QPalette.ColorRole.ToolTipBase: "#000000",
        QPalette.ColorRole.ToolTipText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#c0c0c0",
        QPalette.ColorRole.Text: "#ffffff",
        QPalette.ColorRole.Button: "#000000",
        QPalette.ColorRole.ButtonText: "#ffffff",
        QPalette.ColorRole.BrightText: "#ffff00",
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#c0c0c0",
        QPalette.ColorRole.Mid: "#808080",
        QPalette.ColorRole.Dark: "#ffffff",
        QPalette.ColorRole.Shadow: "#ffffff",
        QPalette.ColorRole.Highlight: "#ffff00",
        QPalette.ColorRole.HighlightedText: "#000000",
        QPalette.ColorRole.Link: "#ffff00",
        QPalette.ColorRole.LinkVisited: "#00ffff",
    }
    for role, value in colours_.items():
        p.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return p


def palette_for(name: str) -> QPalette | None:
    return {
        "light": light_palette,
        "dark": dark_palette,
        "high-contrast": high_contrast_palette,
    }.get(name, lambda: None)()


def requested(name: str | None) -> str:
    """The theme asked for on the command line, else by ``COUNTER_THEME``, else the system's."""
    for candidate in (name, os.environ.get(ENV_VAR)):
        if candidate and candidate.strip().lower() in THEMES:
            return candidate.strip().lower()
    return "system"


def _clear_indicators_style(fusion: QStyle) -> QStyle:
    """``fusion`` with clearer indicator edges (see the class). The class is made here, when a
    theme is applied: the system's palette never needs it, and a Python subclass of a Qt style
    made at import cost every start-up some 2-4 ms of CPU (PySide6 builds its types)."""
    from PySide6.QtWidgets import QProxyStyle, QStyle

    class _ClearIndicators(QProxyStyle):
        """Fusion, with the edge of a check box, a radio button and a text field at 3:1 against
        what it is drawn on (Fusion draws it a shade darker than the window: invisible on a dark
        or high-contrast palette, 2.3:1 on a light one), so an unticked step, a filter or the
        PIN field can be seen."""

        _EDGED = (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        )

        def drawPrimitive(self, element, option, painter, widget=None) -> None:
            super().drawPrimitive(element, option, painter, widget)
            field = element == QStyle.PrimitiveElement.PE_FrameLineEdit
            if element not in self._EDGED and not field:
                return
            base = option.palette.color(QPalette.ColorRole.Base)
            edge = readable(
                mix(base, option.palette.color(QPalette.ColorRole.Text), 0.45), base, GRAPHIC
            )
            if field:
                if (
                    not option.state & QStyle.StateFlag.State_HasFocus
                ):  # else Fusion's focus ring shows
                    painter.save()
                    painter.setPen(QPen(edge, 1))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5))
                    painter.restore()
                return
            side = min(option.rect.width(), option.rect.height())
            box = QRectF(option.rect.x(), option.rect.y(), side, side).adjusted(
                0.5, 0.5, -1.5, -1.5
            )
            box.moveCenter(QRectF(option.rect).center())
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(edge, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
                painter.drawEllipse(box)
            else:
                painter.drawRoundedRect(box, 1, 1)
            painter.restore()

    return _ClearIndicators(fusion)


def apply(app: QApplication, name: str) -> None:
    """Use a light, dark or high-contrast Fusion palette; "system" leaves the system's."""
    palette = palette_for(name)
    if palette is None:
        return
    from PySide6.QtWidgets import QStyleFactory

    app.setStyle(_clear_indicators_style(QStyleFactory.create("Fusion")))
    if name == "dark" and hasattr(app.styleHints(), "setColorScheme"):
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    elif name == "light" and hasattr(app.styleHints(), "setColorScheme"):
        app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    app.setPalette(palette)


# -- following changes ---------------------------------------------------------------------
class _Watcher(QObject):
    """Says when the application's palette changes: the desktop switched to dark, or
    ``apply`` was called. (Not an event filter on the application: that would run Python for
    every event of every widget.)"""

    changed = Signal()

    def __init__(self, app: QGuiApplication):
        super().__init__(app)
        if hasattr(app, "paletteChanged"):  # deprecated in Qt 6 but still sent
            app.paletteChanged.connect(lambda _palette: self.changed.emit())
        else:  # pragma: no cover - a later Qt without it
            app.installEventFilter(self)
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt 6.5
            hints.colorSchemeChanged.connect(lambda _scheme: self.changed.emit())
        if hasattr(hints, "accessibility"):  # Qt 6.10: the desktop's high-contrast setting
            hints.accessibility().contrastPreferenceChanged.connect(
                lambda _preference: self.changed.emit()
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is QGuiApplication.instance() and event.type() in (
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.ThemeChange,
        ):
            self.changed.emit()
        return False


def _watcher() -> _Watcher | None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return None
    # Kept on the application object, not looked up with findChild: that hands Python every
    # child of the application, the style among them, and builds their types before the
    # first paint (ui/early_start.py).
    found = getattr(app, "_counter_palette_watcher", None)
    if found is None:
        found = _Watcher(app)
        app._counter_palette_watcher = found  # type: ignore[attr-defined]
    return found


class _Hook(QObject):
    def __init__(self, owner: QObject, callback: Callable[[], None]):
        super().__init__(owner)
        self._callback = callback

    def fire(self) -> None:
        self._callback()


def follow(owner: QObject, callback: Callable[[], None]) -> None:
    """Call ``callback`` now and again whenever the palette changes, while ``owner`` lives."""
    callback()
    watcher = _watcher()
    if watcher is not None:
        hook = _Hook(owner, callback)
        watcher.changed.connect(hook.fire)


def colour_text(widget: QWidget, role: str | None, extra_css: str = "") -> None:
    """Write ``widget``'s text in a role's colour (None: the palette's own), now and after
    every palette change. ``extra_css`` (declarations such as ``font-weight: bold``) joins."""
    widget.setProperty("themeRole", role or "")
    widget.setProperty("themeCss", extra_css)
    if not widget.property("themeFollowed"):
        widget.setProperty("themeFollowed", True)
        follow(widget, lambda: _restyle(widget))
    else:
        _restyle(widget)


def _restyle(widget: QWidget) -> None:
    role = widget.property("themeRole")
    extra = widget.property("themeCss") or ""
    parts = [f"color: {colours().css(role)}"] if role else []
    if extra:
        parts.append(extra)
    widget.setStyleSheet("; ".join(parts))


def note_css(selector: str, extra: str = "") -> Callable[[], str]:
    """The style sheet of a note box (the complaint path, the phrase notice)."""

    def css() -> str:
        c = colours()
        return (
            f"{selector} {{ background: {c.note_background.name()}; color: {c.note_text.name()};"
            f" {extra} }}"
        ).replace("BORDER", c.note_border.name())

    return css


def style_sheet(widget: QWidget, css: Callable[[], str]) -> None:
    """A style sheet built from the colours, rebuilt when the palette changes."""
    follow(widget, lambda: widget.setStyleSheet(css()))
