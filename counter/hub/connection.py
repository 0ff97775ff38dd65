"""Connecting to the hub from a URL such as ``postgresql://counter_a@backoffice/counter``.

The password is never kept in the URL Counter stores, in the SQLite file, a log or the audit
log: it lives in the OS keyring (the ``keyring`` package) when there is one, otherwise in a file
that only this user can read (``PasswordStore``)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

KEYRING_SERVICE = "counter-hub"
CONNECT_TIMEOUT_S = 5


class HubError(Exception):
    """Something about the hub a person can act on. ``kind`` for the UI to word it:
    unreachable, password, certificate (TLS verify-full did not accept the server),
    not_a_hub, newer, refused, store."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password (safe to store and show), and the password if it had one."""
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    return _as_url(params), (str(password) if password is not None else None)


def _as_url(params: dict[str, Any]) -> str:
    # A key=value conninfo string: libpq and psycopg take it wherever they take a URL.
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None})


def describe(url: str) -> str:
    """user@host:port/dbname for messages; never the password."""
    p = conninfo_to_dict(url)
    host = p.get("host") or "localhost"
    port = f":{p['port']}" if p.get("port") else ""
    user = f"{p['user']}@" if p.get("user") else ""
    return f"{user}{host}{port}/{p.get('dbname') or ''}"


def connect(url: str, password: str | None = None) -> psycopg.Connection:
    """An autocommit connection (each transaction explicit: ``with conn.transaction()``).
    Raises HubError with a plain message when the hub cannot be reached or refuses the login."""
    extra: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "counter"}
    if password is not None:
        extra["password"] = password
    try:
        return psycopg.connect(make_conninfo(url, **extra), autocommit=True)
    except psycopg.OperationalError as e:
        raise classify(e, url) from e


def classify(error: Exception, url: str) -> HubError:
    text = str(error)
    where = describe(url)
    sqlstate = getattr(error, "sqlstate", None)
    if _TLS_TROUBLE.search(text):
        return HubError(
            "certificate",
            f"The hub {where} failed the TLS certificate check: {_tls_line(text)}",
        )
    if sqlstate == "28P01" or "password authentication failed" in text or "no password" in text:
        return HubError("password", f"The hub {where} refused the password.")
    if sqlstate in ("28000", "3D000") or "does not exist" in text:
        return HubError("refused", f"The hub {where} refused the connection: {_first_line(text)}")
    return HubError("unreachable", f"The hub {where} cannot be reached: {_first_line(text)}")


# libpq's words when verify-full (or verify-ca) does not accept the server: a certificate for
# another host name, one no CA of the file signed, a CA file that is not there or unreadable.
_TLS_TROUBLE = re.compile(
    r"does not match host name|certificate verify failed|root certificate file"
    r"|could not read root certificate|server does not support SSL",
)


def _tls_line(text: str) -> str:
    for line in text.strip().splitlines():
        if _TLS_TROUBLE.search(line):
            # "connection failed: connection to server at "127.0.0.1", port 5432 failed: <why>"
            return line.rsplit(" failed: ", 1)[-1].strip()
    return _first_line(text)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else text


@dataclass
class PasswordStore:
    """Hub passwords by ``describe(url)``: the OS keyring when one works, else ``folder /
    hub-passwords.json`` created readable by this user only (0600)."""

    folder: Path
    use_keyring: bool = True

    @property
    def file(self) -> Path:
        return self.folder / "hub-passwords.json"

    def get(self, url: str) -> str | None:
        key = describe(url)
        if self.use_keyring:
            try:
                import keyring

                found = keyring.get_password(KEYRING_SERVICE, key)
            except Exception:  # no keyring backend (a server, a CI box): the file instead
                found = None
            if found is not None:
                return found
        return self._read().get(key)

    def set(self, url: str, password: str) -> str:
        """Keep the password; returns where ("keyring" or the file's path)."""
        key = describe(url)
        if self.use_keyring:
            try:
                import keyring

                keyring.set_password(KEYRING_SERVICE, key, password)
                return "keyring"
            except Exception:
                pass
        stored = self._read()
        stored[key] = password
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(stored, f)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.file)
        return str(self.file)

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.file.read_text()))
        except (OSError, ValueError):
            return {}


SSL_MODES = ("disable", "require", "verify-full")
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class HubAddress:
    """Where the hub is, as a person types it in (never with the password): turned into the
    URL Counter keeps (``url()``) and read back from it (``from_url``)."""

    host: str = ""
    port: int | str = DEFAULT_PORT
    dbname: str = ""
    user: str = ""
    sslmode: str = "require"
    ca_file: str = ""  # the certificate authority that signed the hub's (verify-full)

    def url(self) -> str:
        """The conninfo URL; ValidationError (nothing kept) when a field is missing or wrong."""
        from counter.errors import Problem, ValidationError
        from counter.i18n import N_

        problems = []
        host, dbname, user = self.host.strip(), self.dbname.strip(), self.user.strip()
        if not host:
            problems.append(Problem("host", N_("Enter the hub's host name or address.")))
        try:
            port = int(str(self.port).strip() or DEFAULT_PORT)
            if not 1 <= port <= 65535:
                raise ValueError
        except ValueError:
            port = DEFAULT_PORT
            problems.append(Problem("port", N_("The port is a number from 1 to 65535.")))
        if not dbname:
            problems.append(Problem("dbname", N_("Enter the hub's database name.")))
        if not user:
            problems.append(Problem("user", N_("Enter the hub login (user name).")))
        if self.sslmode not in SSL_MODES:
            problems.append(Problem("sslmode", N_("Choose how the connection is encrypted.")))
        ca = self.ca_file.strip()
        if self.sslmode == "verify-full":
            if not ca:
                problems.append(
                    Problem(
                        "ca_file",
                        N_("Choose the certificate file that signed the hub's certificate."),
                    )
                )
            elif not Path(ca).is_file():
                problems.append(
                    Problem("ca_file", N_("There is no certificate file at {path}."), {"path": ca})
                )
        if problems:
            raise ValidationError(problems)
        params = {"host": host, "port": str(port), "dbname": dbname, "user": user}
        params["sslmode"] = self.sslmode
        if self.sslmode == "verify-full":
            params["sslrootcert"] = ca
        return _as_url(params)

    @classmethod
    def from_url(cls, url: str) -> HubAddress:
        p = conninfo_to_dict(url) if url else {}
        mode = str(p.get("sslmode") or "prefer")
        return cls(
            host=str(p.get("host") or ""),
            port=str(p.get("port") or DEFAULT_PORT),
            dbname=str(p.get("dbname") or ""),
            user=str(p.get("user") or ""),
            sslmode=mode
            if mode in SSL_MODES
            else ("verify-full" if "verify" in mode else "require"),
            ca_file=str(p.get("sslrootcert") or ""),
        )


def with_user(url: str, user: str) -> str:
    """The same hub as ``url`` for another login (no password: it is given apart)."""
    params = conninfo_to_dict(url)
    params.pop("password", None)
    params["user"] = user
    return _as_url(params)
