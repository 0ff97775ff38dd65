"""The ``counter`` command's arguments and its commands that need no window: ``demo`` here,
``import``, ``export``, ``backup`` and ``restore`` in ``cli_data``. ``ui.main`` is the entry
point: it runs the app itself (``run``), ``bench`` and ``report`` (which draw with Qt, in
``ui.bench`` and ``ui.report_command``) and hands every other command here, so the dependency
goes ui -> counter only."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from counter import cli_data, cli_hub
from counter.paths import ENV_VAR, database_path

# The parts of ``counter bench``, in the order it measures them.
BENCH_PARTS = ("search", "customer", "dashboard", "typing", "import", "startup", "sync", "office")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, parsed. Opening the window (``counter``, ``counter run …``), the
    usual case, builds the parser of ``run`` alone: each of the other commands' parsers costs
    start-up time (argparse looks up its own message catalogs for every one, some 3 ms in
    all); ``--help`` and every other command get the whole parser."""
    words = list(sys.argv[1:] if argv is None else argv)
    window = _command_word(words) in (None, "run") and not {"-h", "--help"} & set(words)
    return build_parser(window_only=window).parse_args(words)


def _command_word(words: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is neither an option nor the
    value of ``--db`` (the one option taken before the command)."""
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(*, window_only: bool = False) -> argparse.ArgumentParser:
    """Every command's arguments; ``window_only``: the ``run`` command's alone."""
    parser = argparse.ArgumentParser(
        prog="counter", description="Counter: the service desk assistant."
    )
    db_help = f"database file (default: ${ENV_VAR} or the user data folder)"
    parser.add_argument("--db", metavar="PATH", help=db_help)
    commands = parser.add_subparsers(dest="command")

    run = commands.add_parser("run", help="open the app (the default)")
    run.add_argument(
        "--demo-if-missing",
        action="store_true",
        help="create a demo database first when the file does not exist yet",
    )
    run.add_argument("--lang", help="user interface language for this run (e.g. tr, hu, hi)")
    run.add_argument(
        "--theme",
        choices=("system", "light", "dark", "high-contrast"),
        help="colours for this run (default: $COUNTER_THEME, else the system's palette)",
    )
    if window_only:
        _accept_db_after(commands, db_help)
        return parser

    demo = commands.add_parser("demo", help="create a demo database with realistic data")
    demo.add_argument("--customers", type=int, default=300, help="how many customers (300)")
    demo.add_argument("--seed", type=int, default=7, help="random seed, for repeatable data")
    demo.add_argument("--force", action="store_true", help="replace an existing file")

    bench = commands.add_parser(
        "bench", help="measure speed on a big synthetic database (built once, then reused)"
    )
    bench.add_argument("--customers", type=int, help="customers (1,000,000; --quick: 10,000)")
    bench.add_argument("--visits", type=int, help="visits (5,000,000; --quick: 50,000)")
    bench.add_argument(
        "--db",
        dest="bench_db",
        metavar="PATH",
        help="bench file (default: the user cache folder; never the store's database)",
    )
    bench.add_argument(
        "--quick", action="store_true", help="10,000 customers and few runs: a smoke test"
    )
    bench.add_argument(
        "--only",
        choices=BENCH_PARTS,
        action="append",
        help="measure only this part (repeatable; default: all of them)",
    )
    report = commands.add_parser(
        "report", help="print the dashboard of a period to a PDF file (as Dashboard › Print)"
    )
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    report.add_argument(
        "--from", dest="first", metavar="YYYY-MM-DD", help="first day (default: 30 days back)"
    )
    report.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (today)")
    report.add_argument("--lang", help="language of the report (default: the store's)")
    commands.add_parser(
        "reindex",
        help="recompute every customer's search key (after editing customers with another tool)",
    )
    cli_data.add_commands(commands)
    cli_hub.add_commands(commands)
    # ``--db`` is accepted after the command too (``counter demo --db PATH``, ``counter hub
    # status --db PATH``), for every command and sub-command; SUPPRESS keeps a ``--db`` given
    # before the command when none comes after it.
    _accept_db_after(commands, db_help)
    return parser


def _accept_db_after(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], db_help: str
) -> None:
    for sub in commands.choices.values():
        # bench has its own --db (its bench file, never the store's): left as it is.
        with contextlib.suppress(argparse.ArgumentError):
            sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_db_after(action, db_help)


def run_command(args: argparse.Namespace) -> int:
    """Carry out a command that needs no window; returns the process exit code."""
    path = database_path(args.db)
    command = args.command

    if command == "demo":
        from counter.demo import create_demo_database

        if path.exists() and not args.force:
            print(f"{path} already exists; use --force to replace it.", file=sys.stderr)
            return 1
        summary = create_demo_database(path, customers=args.customers, seed=args.seed, replace=True)
        print(f"Demo database written to {path}: {summary}")
        return 0

    if command == "reindex":
        return _reindex(path)
    if command in cli_hub.COMMANDS:
        return cli_hub.run(args, path)

    if command in cli_data.COMMANDS:
        return cli_data.run(args, path)

    return 2


def _reindex(path: Path) -> int:
    from counter.reindex import reindex_all
    from counter.storage import open_database

    if not path.exists():
        print(f"There is no database at {path}.", file=sys.stderr)
        return 1
    import sqlite3

    try:
        db = open_database(path)
        try:
            changed = reindex_all(db)
        finally:
            db.close()
    except sqlite3.Error as error:  # a locked or read-only file: what was done stays done
        print(f"Reindexing stopped: {error}", file=sys.stderr)
        return 1
    print(f"Search keys recomputed; corrected: {changed}.")
    return 0
