"""``counter report --out FILE.pdf [--from DATE --to DATE]``: the dashboard's printed report
without opening a window, for managers who script it. The report is drawn by the same Qt code
as Dashboard › Print report, on an offscreen Qt platform; the numbers come from the domain
(``counter.dashboard_report``). Messages are English; exit code 0 done, 1 refused."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

from counter.errors import ValidationError
from counter.i18n import Translator, available_languages
from counter.paths import database_path


def _say(error: ValidationError) -> str:
    tr = Translator("en")
    return "\n".join(tr.gettext(p.msgid).format(**p.params) for p in error.problems)


def run_report(args: argparse.Namespace) -> int:
    from counter.dashboard_report import load_report, parse_day
    from counter.storage import open_database

    path = database_path(args.db)
    if not path.exists():
        print(f"There is no database at {path}.", file=sys.stderr)
        return 1
    out = Path(args.out)
    now = int(time.time())
    try:
        first = parse_day(args.first, "from") if args.first else None
        last = parse_day(args.last, "to") if args.last else None
        db = open_database(path)  # brought up to date first, as every command does
        try:
            data = load_report(db, first, last, now=now)
        finally:
            db.close()
        language = args.lang or data.store_language
        if language not in available_languages():
            known = ", ".join(available_languages())
            print(f"No catalog for the language {language!r} (known: {known}).", file=sys.stderr)
            return 1
        _write(out, data, language, now)
    except ValidationError as error:
        print(_say(error), file=sys.stderr)
        return 1
    except sqlite3.Error as error:  # an older file (not migrated yet), a damaged one...
        print(f"The database cannot be read: {error}", file=sys.stderr)
        return 1
    print(f"Report for {data.first.isoformat()} to {data.last.isoformat()} written to {out}")
    return 0


def _write(out: Path, data, language: str, now: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window: nothing to show
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication

    from ui.i18n import UiLanguage, _, current
    from ui.manager_view.dashboard import period_text
    from ui.manager_view.report import write_report

    _app = QApplication.instance() or QApplication([])
    previous_handler = QtCore.qInstallMessageHandler(_only_errors)
    ui_language, previous_language = UiLanguage(), current().language
    try:
        ui_language.set_language(language)
        write_report(
            out,
            data.dashboard,
            store_name=data.store_name,
            period_label=period_text(data.first, data.last),
            staff_label=_("Everyone"),
            generated_at=now,
            satisfaction=data.satisfaction,
        )
    finally:  # as it was: this also runs inside a test session's application
        ui_language.set_language(previous_language)
        QtCore.qInstallMessageHandler(previous_handler)


def _only_errors(mode, _context, message: str) -> None:
    # The offscreen platform's chatter ("does not support propagateSizeHints") is not for a
    # person running a command; a failure to write comes back as our own message.
    from PySide6.QtCore import QtMsgType

    if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        print(message, file=sys.stderr)
