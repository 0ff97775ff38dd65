"""``counter hub init|join|status`` and ``counter sync``: several counters through a PostgreSQL
hub. Messages are English and plain; the exit code says how it went (0 done, 1 not done).
A password given in a URL is kept in the OS keyring (or a user-only file), never in the
database file, and is never printed."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # psycopg and sqlite-utils load only for the command that needs them
    import psycopg
    from sqlite_utils import Database

    from counter.hub.connection import PasswordStore

COMMANDS = ("hub", "sync")
ROLE_PASSWORD_ENV = "COUNTER_HUB_ROLE_PASSWORD"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hub = commands.add_parser("hub", help="several counters: the PostgreSQL hub")
    sub = hub.add_subparsers(dest="hub_command", required=True)
    init = sub.add_parser("init", help="create or upgrade the hub's schema and roles")
    init.add_argument("url", help="the hub database, as its owner: postgresql://admin@host/db")
    init.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="NAME",
        help="also create a login for one store's counters (repeatable); its password comes "
        f"from ${ROLE_PASSWORD_ENV} or is asked for",
    )
    init.add_argument(
        "--office",
        action="append",
        default=[],
        metavar="NAME",
        help="also create a login for the chain's office, which reads every store (repeatable)",
    )
    office = sub.add_parser(
        "office-role", help="create a login for the office: reads every store, writes nothing"
    )
    office.add_argument("url", help="the hub database, as its owner: postgresql://admin@host/db")
    office.add_argument("name", help="the office login's name")
    targets = sub.add_parser(
        "targets",
        help="show or set each store's targets and name as the office sees them, or the "
        "defaults for new stores",
    )
    targets.add_argument("url", help="the hub, as the office's login or the owner")
    targets.add_argument("--store", help="the store's hub name (none: the hub's defaults)")
    targets.add_argument("--name", help="the store's name as the office shows it")
    targets.add_argument("--language", help="the store's language (e.g. tr)")
    for flag in ("wait-amber", "wait-red", "service-target"):
        targets.add_argument(f"--{flag}", type=int, metavar="MINUTES")
    join = sub.add_parser("join", help="join this database to the hub as a counter of a store")
    join.add_argument("url", help="postgresql://STORE_LOGIN[:PASSWORD]@host/db[?sslmode=...]")
    join.add_argument("--store", required=True, help="the store's name (created when new)")
    join.add_argument("--name", default="", help="this counter's name, e.g. 'Till 2'")
    sub.add_parser("status", help="hub, store, counter, last sync, changes waiting")
    commands.add_parser("sync", help="upload and download once, then say what moved")


def run(args: argparse.Namespace, path: Path) -> int:
    from counter.hub.connection import HubError

    try:
        if args.command == "hub" and args.hub_command == "init":
            return _init(args)
        if args.command == "hub" and args.hub_command == "office-role":
            return _office_role(args)
        if args.command == "hub" and args.hub_command == "targets":
            return _targets(args)
        if not path.exists():
            print(f"There is no database at {path}.", file=sys.stderr)
            return 1
        from counter.storage import open_database

        db = open_database(path)
        try:
            if args.command == "sync":
                return _sync(db)
            if args.hub_command == "join":
                return _join(db, args)
            return _status(db)
        finally:
            db.close()
    except HubError as e:
        print(e.message, file=sys.stderr)
        if args.command == "sync" or args.hub_command == "join":
            print("Nothing is lost: changes wait here until the sync works.", file=sys.stderr)
        return 1
    except (sqlite3.Error, OSError) as e:  # a full disk, a read-only file...
        print(f"Nothing was changed here: {e}", file=sys.stderr)
        return 1


def _passwords() -> PasswordStore:
    from counter.hub.connection import PasswordStore
    from counter.paths import config_path

    return PasswordStore(config_path())


def _init(args: argparse.Namespace) -> int:
    from counter.hub import schema
    from counter.hub.connection import connect, describe

    with connect(args.url) as conn:
        applied = schema.apply(conn)
        if applied:
            print(f"Hub {describe(args.url)}: applied {', '.join(applied)}.")
        else:
            print(f"Hub {describe(args.url)} is up to date (schema version {schema.LATEST}).")
        for role in args.role:
            password = os.environ.get(ROLE_PASSWORD_ENV) or getpass.getpass(
                f"Password for the new hub login {role}: "
            )
            made = schema.create_counter_login(conn, role, password)
            print(f"Login {role} {'created' if made else 'already existed'}; it may only sync.")
        for role in args.office:
            _make_office_login(conn, role)
    return 0


def _make_office_login(conn: psycopg.Connection, role: str) -> None:
    from counter.hub import schema

    password = os.environ.get(ROLE_PASSWORD_ENV) or getpass.getpass(
        f"Password for the office's hub login {role}: "
    )
    made = schema.create_office_login(conn, role, password)
    print(
        f"Office login {role} {'created' if made else 'already existed'}; it reads every "
        "store's visits (never a PIN) and writes nothing counters sync."
    )


def _office_role(args: argparse.Namespace) -> int:
    from counter.hub import schema
    from counter.hub.connection import connect

    with connect(args.url) as conn:
        schema.check_version(conn)
        if (schema.hub_version(conn) or 0) < 2:
            print("Run `counter hub init URL` first: this hub has no office yet.", file=sys.stderr)
            return 1
        _make_office_login(conn, args.name)
    return 0


def _targets(args: argparse.Namespace) -> int:
    from counter import office
    from counter.errors import PermissionDenied
    from counter.hub.connection import connect, split_password

    url, password = split_password(args.url)
    with connect(url, password or _passwords().get(url)) as conn:
        try:
            scope = office.open_scope(conn)
        except PermissionDenied:
            print("This hub login is not the office's: it may not set targets.", file=sys.stderr)
            return 1
        values = {
            key: getattr(args, attr)
            for key, attr in (
                ("display_name", "name"),
                ("language", "language"),
                ("wait_amber_minutes", "wait_amber"),
                ("wait_red_minutes", "wait_red"),
                ("service_target_minutes", "service_target"),
            )
            if getattr(args, attr) is not None
        }
        try:
            if args.store is not None:
                found = [s for s in scope.stores if s.id in _store_ids(conn, args.store)]
                if not found:
                    print(f"There is no store {args.store!r} on this hub.", file=sys.stderr)
                    return 1
                if values:
                    office.set_store_settings(conn, scope, found[0].id, **values)
            elif values:
                values.pop("display_name", None)
                office.set_hub_defaults(conn, scope, **values)
        except ValueError as e:
            print(f"Nothing was changed: {e}", file=sys.stderr)
            return 1
        for s in office.open_scope(conn).stores:
            print(
                f"{s.name}: language {s.language}, wait amber {s.wait_amber_minutes} min, "
                f"red {s.wait_red_minutes} min, service target {s.service_target_minutes} min"
            )
    return 0


def _store_ids(conn: psycopg.Connection, name: str) -> set[int]:
    from counter.hub import office_sql

    return {r["store_id"] for r in office_sql.store_targets(conn) if r["hub_name"] == name}


def _join(db: Database, args: argparse.Namespace) -> int:
    from counter import sync
    from counter.hub.connection import connect, describe, split_password

    url, password = split_password(args.url)
    store = _passwords()
    password = password or store.get(url)
    with connect(url, password) as conn:
        if password:  # the hub took it: keep it for the next syncs, even if this one fails
            where = store.set(url, password)
            kept = "in the keyring" if where == "keyring" else f"in {where} (only you can read it)"
            print(f"The hub password is kept {kept}.")
        result = sync.join(
            db, conn, hub=url, store=args.store, now=int(time.time()), name=args.name
        )
    print(f"Joined {describe(url)} as a counter of {args.store!r}: {result.describe()}.")
    return 0


def _sync(db: Database) -> int:
    from counter import sync
    from counter.storage import sync_sql

    state = sync_sql.state(db)
    if not state["joined"]:
        print("This database has not joined a hub: see `counter hub join`.", file=sys.stderr)
        return 1
    url = state["hub"]
    result = sync.sync(db, url, _passwords().get(url), now=int(time.time()))
    print(f"Synced: {result.describe()}; {result.waiting} waiting.")
    return 0


def _status(db: Database) -> int:
    from counter import sync

    s = sync.status(db)
    if not s.joined:
        print("Not joined to a hub: this counter works on its own.")
        return 0
    when = (
        time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(s.last_sync_at))
        if s.last_sync_at
        else "never"
    )
    print(f"Hub:          {s.hub}")
    print(f"Store:        {s.store}")
    print(f"Counter:      {s.counter}")
    print(f"Last sync:    {when}")
    print(f"Waiting:      {s.waiting} changes")
    if s.last_error:
        print(f"Last problem: {s.last_error}")
    return 0
