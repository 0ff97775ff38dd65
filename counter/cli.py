"""The ``counter`` command's arguments and its commands that need no window (demo data; later
import, export, backup). ``ui.main`` is the entry point: it runs the app itself and hands every
other command here, so the dependency goes ui -> counter only."""

from __future__ import annotations

import argparse
import contextlib
import sys

from counter import cli_data
from counter.paths import ENV_VAR, database_path

# The parts of ``counter bench``, in the order it measures them.
BENCH_PARTS = ("search", "customer", "dashboard", "typing", "import", "startup")


def build_parser() -> argparse.ArgumentParser:
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
    cli_data.add_commands(commands)
    # ``--db`` is accepted after the command too (``counter demo --db PATH``), for every
    # command; SUPPRESS keeps a ``--db`` given before the command when none comes after it.
    for sub in commands.choices.values():
        # bench has its own --db (its bench file, never the store's): left as it is.
        with contextlib.suppress(argparse.ArgumentError):
            sub.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=db_help)
    return parser


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

    if command in cli_data.COMMANDS:
        return cli_data.run(args, path)

    return 2
