"""The user interface's language: one current :class:`counter.i18n.Translator`, Qt's own
translations (dialog buttons) and the layout direction, switchable while the app runs.

Widgets call ``_()`` when they (re)build their text and connect to ``language.changed`` to
re-translate; ``N_`` marks strings translated later.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from counter.i18n import N_, Translator

__all__ = ["N_", "UiLanguage", "_", "current", "fill", "ngettext", "pgettext"]

_current = Translator("en")


def current() -> Translator:
    return _current


def _(message: str) -> str:
    return _current.gettext(message)


def fill(message: str, /, **params: object) -> str:
    """``message`` (already translated) with its placeholders filled, as the UI language says
    it: Hungarian articles before a placeholder follow the filled-in word (Translator.fill)."""
    return _current.fill(message, **params)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


class UiLanguage(QObject):
    """Switches the UI language; ``changed`` tells every widget to re-translate itself."""

    changed = Signal(str)

    # Qt's own translations installed on the application, whichever UiLanguage installed
    # them: an app speaks one language, so a second switcher (a dialog's, a test's) must not
    # leave the first one's Turkish key names behind when it switches to English.
    _qt_translators: list[QTranslator] = []  # noqa: RUF012 (shared on purpose)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    @property
    def code(self) -> str:
        return _current.language

    def set_language(self, code: str) -> None:
        global _current
        _current = Translator(code)
        self._install_qt_translations(code)
        app = QApplication.instance()
        locale = QLocale(code)
        if isinstance(app, QApplication):
            # Qt's own CLDR data, as Babel's Translator.right_to_left says: asking Babel would
            # load the language's whole CLDR data at start-up, for the fallback language too.
            app.setLayoutDirection(locale.textDirection())
        QLocale.setDefault(locale)
        self.changed.emit(code)

    def _install_qt_translations(self, code: str) -> None:
        app = QApplication.instance()
        if app is None:
            return
        for translator in UiLanguage._qt_translators:
            app.removeTranslator(translator)
        UiLanguage._qt_translators.clear()
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(app)  # the app's: it outlives the switcher that made it
        if translator.load(QLocale(code), "qtbase", "_", path):
            app.installTranslator(translator)
            UiLanguage._qt_translators.append(translator)
