"""``counter import``, ``export``, ``backup`` and ``restore``: the data-safety commands that
need no window. Messages are English; the exit code says how it went (0 done, 1 refused)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from counter.errors import Problem, ValidationError
from counter.i18n import Translator

if TYPE_CHECKING:
    from sqlite_utils import Database

COMMANDS = ("import", "export", "backup", "restore")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = commands.add_parser("import", help="import customers from a CSV or XLSX file")
    imp.add_argument("file", help="the CSV or XLSX file")
    imp.add_argument(
        "--mapping",
        default="",
        help="columns to fields over the guessed mapping, e.g. 'Ad=given_name,3=phone' "
        "(fields: given_name family_name full_name full_name_family_first native_name "
        "language formality title phone email card rapport_notes; empty = ignore)",
    )
    imp.add_argument(
        "--merge", action="store_true", help="update existing customers found by phone/e-mail/card"
    )
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the good rows, skip rows with problems"
    )
    imp.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    imp.add_argument("--region", help="country for numbers without +code (default: the store's)")

    exp = commands.add_parser("export", help="export all customers to CSV")
    exp.add_argument("--out", default="customers.csv", help="file to write (customers.csv)")

    backup = commands.add_parser("backup", help="back up the database now")
    backup.add_argument("--folder", help="where (default: the backup_folder setting)")

    restore = commands.add_parser("restore", help="restore a backup (the current state is saved)")
    restore.add_argument("file", nargs="?", help="the backup file; none: list the backups")
    restore.add_argument("--folder", help="where backups are (default: the setting)")


def _say(problems: Sequence[Problem], tr: Translator) -> str:
    return "\n".join(tr.fill(tr.gettext(p.msgid), **p.params) for p in problems)


def run(args: argparse.Namespace, path: Path) -> int:
    from counter import backup
    from counter.settings import load_settings
    from counter.storage import open_database

    tr = Translator("en")
    now = int(time.time())
    if args.command in ("import", "restore", "backup", "export") and not path.exists():
        print(f"There is no database at {path}.", file=sys.stderr)
        return 1
    db = open_database(path)
    try:
        settings = load_settings(db)
        folder = backup.backup_folder(path, getattr(args, "folder", None) or settings.backup_folder)
        try:
            if args.command == "import":
                return _import(db, args, settings.phone_region, now, tr)
            if args.command == "export":
                from counter.customer_export import export_customers

                count = export_customers(db, Path(args.out), now=now)
                print(f"{count} customers written to {args.out}")
                return 0
            if args.command == "backup":
                made = backup.make_backup(db, folder, now=now)
                print(f"Backed up to {made.path}")
                return 0
            if not args.file:
                for b in backup.list_backups(folder, backup.database_tag(path)):
                    print(f"{b.path}\t{tr.datetime(b.taken_at)}\t{b.kind}")
                return 0
            result = backup.restore_backup(db, Path(args.file), folder, now=now)
            print(
                f"Restored {args.file}: {result.restored.customers} customers, "
                f"{result.restored.visits} visits. The previous state is in "
                f"{result.safety_copy.path}"
            )
            return 0
        except ValidationError as error:
            print(_say(error.problems, tr), file=sys.stderr)
            return 1
        except (sqlite3.Error, OSError) as error:  # a full disk, a read-only file...
            print(f"Nothing was changed: {error}", file=sys.stderr)
            return 1
    finally:
        db.close()


def _percent() -> Callable[[int, int], None]:
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent // 10 != shown[0] // 10:
            shown[0] = percent
            print(f"\r{percent}%", end="", file=sys.stderr, flush=True)

    return progress


def _import(db: Database, args: argparse.Namespace, region: str, now: int, tr: Translator) -> int:
    from counter.importing.columns import parse_mapping
    from counter.importing.reading import open_table
    from counter.importing.writing import import_customers

    table = open_table(args.file)
    mapping = parse_mapping(args.mapping, table.headers)
    shown = ", ".join(f"{h} -> {m or '-'}" for h, m in zip(table.headers, mapping, strict=True))
    print(f"{args.file} ({table.encoding or table.kind}): {shown}")
    report = import_customers(
        db,
        table,
        mapping,
        phone_region=args.region or region,
        now=now,
        merge=args.merge,
        skip_invalid=args.skip_invalid,
        dry_run=args.dry_run,
        progress=_percent() if sys.stderr.isatty() else None,
    )
    for error in report.errors:
        print(f"line {error.line}: {_say(error.problems, tr)}", file=sys.stderr)
    if report.error_count > len(report.errors):
        print(f"... and {report.error_count - len(report.errors)} more", file=sys.stderr)
    for dup in report.duplicates[:20]:
        where = f"line {dup.first_line}" if dup.first_line else f"customer {dup.customer_id}"
        what = "merged into" if dup.merged else "skipped, same as"
        print(f"line {dup.line}: {what} {where} (same {dup.matched_on})")
    summary = (
        f"{report.rows} rows: {report.created} new, {report.merged} merged, "
        f"{report.skipped} duplicates skipped, {report.error_count} with problems."
    )
    if report.committed:
        print(f"Imported. {summary}")
        return 0
    if report.dry_run:
        print(f"Checked, nothing written. {summary}")
        return 0 if not report.error_count else 1
    print(f"Nothing imported: fix the rows above or use --skip-invalid. {summary}", file=sys.stderr)
    return 1
