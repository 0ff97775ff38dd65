"""A throw-away PostgreSQL cluster in a temporary folder, for the tests and ``counter bench
--only sync``: initdb, its own port and socket folder, run as the unprivileged ``postgres``
user when we are root (initdb refuses root), always stopped by ``stop()``. A system cluster is
never touched."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "hubadmin"
SUPERUSER_PASSWORD = "hub-admin-secret"


def bin_dir() -> Path | None:
    """The newest PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<v>/bin), or None."""

    def version(p: str) -> int:
        name = Path(p).parent.parent.name
        return int(name) if name.isdigit() else 0

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalCluster:
    bin: Path
    root: Path
    port: int
    as_user: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(
        self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = None
    ) -> str:
        password = SUPERUSER_PASSWORD if password is None and user == SUPERUSER else password
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            check=check,
        )

    def start(self) -> None:
        self._pg_ctl("-w", "-l", str(self.root / "log"), "start")

    def stop(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def create(prefix: str = "counter-hub-") -> LocalCluster:
    """initdb a new cluster and start it; the caller must ``remove()`` it. Raises
    FileNotFoundError when there are no PostgreSQL binaries."""
    binaries = bin_dir()
    if binaries is None:
        raise FileNotFoundError("no PostgreSQL binaries (initdb) on this machine")
    root = Path(tempfile.mkdtemp(prefix=prefix))
    as_user: list[str] = []
    pwfile = root / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        for path in (root, pwfile):
            shutil.chown(path, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = LocalCluster(binaries, root, free_port(), as_user)
    try:
        subprocess.run(
            [*as_user, str(binaries / "initdb"), "-D", str(cluster.data), "-U", SUPERUSER,
             f"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        with open(cluster.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{root}'\nfsync = off\n"
                "max_connections = 60\nshared_buffers = 64MB\n"
            )
        cluster.start()
    except BaseException:
        cluster.remove()
        raise
    return cluster
