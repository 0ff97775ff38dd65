"""``sslmode=verify-full`` against a real TLS server: a throw-away cluster of its own with
``ssl = on`` and a certificate signed by a throw-away certificate authority, both made here
with the ``openssl`` command (the server's for localhost and 127.0.0.1, by subjectAltName).
The cluster is stopped and removed at the end."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

psycopg = pytest.importorskip("psycopg")

from counter import cli  # noqa: E402
from counter.hub import local_cluster  # noqa: E402
from counter.hub.connection import HubAddress, HubError, connect  # noqa: E402
from counter.storage import open_database, sync_sql  # noqa: E402

README = Path(__file__).resolve().parents[2] / "README.md"


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, text=True)


def _make_ca(folder: Path, name: str) -> Path:
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
        "-keyout", f"{name}.key", "-out", f"{name}.crt", cwd=folder,
    )  # fmt: skip
    return folder / f"{name}.crt"


def _make_server_cert(folder: Path, ca: str) -> tuple[Path, Path]:
    (folder / "san.cnf").write_text("subjectAltName = DNS:localhost, IP:127.0.0.1\n")
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "server.key", "-out", "server.csr", cwd=folder,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.crt",
        cwd=folder,
    )  # fmt: skip
    return folder / "server.crt", folder / "server.key"


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """(cluster, CA file, another CA's file): a cluster that speaks TLS with a certificate
    the first CA signed."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command on this machine")
    folder = tmp_path_factory.mktemp("tls")
    ca = _make_ca(folder, "counter-test-ca")
    other_ca = _make_ca(folder, "another-ca")
    cert, key = _make_server_cert(folder, "counter-test-ca")
    try:
        cluster = local_cluster.create(prefix="counter-tls-")
    except FileNotFoundError:
        pytest.skip("no PostgreSQL binaries (initdb) on this machine")
    try:
        for source in (cert, key):
            target = cluster.data / source.name
            shutil.copy(source, target)
            os.chmod(target, 0o600)  # PostgreSQL refuses a key others can read
            if cluster.as_user:
                shutil.chown(target, "postgres", "postgres")
        with open(cluster.data / "postgresql.conf", "a") as conf:
            conf.write("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
        cluster.stop()
        cluster.start()
        yield cluster, ca, other_ca
    finally:
        cluster.remove()


def _url(cluster, ca: Path, host: str = "localhost", **extra: str) -> str:
    query = "&".join(
        [f"sslmode=verify-full&sslrootcert={ca}", *(f"{k}={v}" for k, v in extra.items())]
    )
    password = quote(local_cluster.SUPERUSER_PASSWORD)
    return (
        f"postgresql://{local_cluster.SUPERUSER}:{password}@{host}:{cluster.port}/postgres?{query}"
    )


def _encrypted(conn) -> bool:
    return bool(
        conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0]
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_verify_full_with_the_ca_file_connects(tls, host):
    cluster, ca, _ = tls
    with connect(_url(cluster, ca, host)) as conn:
        assert _encrypted(conn)


def test_the_hub_form_makes_a_verify_full_url_that_connects(tls):
    """Manage ▸ Store setup ▸ Hub: "encrypted, certificate checked" with the CA file."""
    cluster, ca, _ = tls
    url = HubAddress(
        host="localhost",
        port=cluster.port,
        dbname="postgres",
        user=local_cluster.SUPERUSER,
        sslmode="verify-full",
        ca_file=str(ca),
    ).url()
    with connect(url, local_cluster.SUPERUSER_PASSWORD) as conn:
        assert _encrypted(conn)


def test_the_wrong_host_name_is_refused_in_plain_words(tls):
    """The server answers at 127.0.0.1 but is asked for as "hub.example": its certificate
    does not name that host, and verify-full says so."""
    cluster, ca, _ = tls
    with pytest.raises(HubError) as refused:
        connect(_url(cluster, ca, "hub.example", hostaddr="127.0.0.1"))
    assert refused.value.kind == "certificate"
    assert "does not match host name" in refused.value.message
    assert "hub.example" in refused.value.message
    assert local_cluster.SUPERUSER_PASSWORD not in refused.value.message


def test_a_certificate_another_ca_signed_is_refused(tls):
    cluster, _, other_ca = tls
    with pytest.raises(HubError) as refused:
        connect(_url(cluster, other_ca))
    assert refused.value.kind == "certificate"
    assert "certificate verify failed" in refused.value.message


def test_a_missing_ca_file_is_named(tls, tmp_path):
    cluster, _, _ = tls
    with pytest.raises(HubError) as refused:
        connect(_url(cluster, tmp_path / "nowhere.crt"))
    assert refused.value.kind == "certificate"
    assert "nowhere.crt" in refused.value.message


def _run(*argv: str) -> int:
    return cli.run_command(cli.build_parser().parse_args(list(argv)))


def _readme_url(cluster, ca: Path, host: str = "localhost", **extra: str) -> str:
    """The README's verify-full example with this cluster's login, address and CA file put
    in: the same parameters, in the same places."""
    found = re.search(
        r'hub join "(postgresql://[^"]*sslmode=verify-full[^"]*)"', README.read_text()
    )
    assert found, "the README shows joining with sslmode=verify-full"
    example = found.group(1)
    pattern = (
        r"postgresql://(?P<user>[^:@]+):(?P<password>[^@]+)@(?P<host>[^/:?]+)/(?P<db>[^?]+)"
        r"\?sslmode=verify-full&sslrootcert=(?P<ca>\S+)$"
    )
    assert re.fullmatch(pattern, example), example
    password = quote(local_cluster.SUPERUSER_PASSWORD)
    url = (
        f"postgresql://{local_cluster.SUPERUSER}:{password}@{host}:{cluster.port}/"
        f"postgres?sslmode=verify-full&sslrootcert={ca}"
    )
    return url + "".join(f"&{k}={v}" for k, v in extra.items())


def test_the_readme_example_joins_and_syncs(tls, tmp_path, monkeypatch, capsys):
    cluster, ca, _ = tls
    monkeypatch.setenv("COUNTER_CONFIG_DIR", str(tmp_path / "config"))
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS tls_hub")
        admin.execute("CREATE DATABASE tls_hub")
    url = _readme_url(cluster, ca).replace("/postgres?", "/tls_hub?")
    assert _run("hub", "init", url) == 0
    path = tmp_path / "c.db"
    open_database(path).close()
    assert _run("--db", str(path), "hub", "join", url, "--store", "Main") == 0
    assert _run("--db", str(path), "sync") == 0
    db = open_database(path)
    try:
        kept = sync_sql.state(db)["hub"]
    finally:
        db.close()
    assert "verify-full" in kept and str(ca) in kept
    assert local_cluster.SUPERUSER_PASSWORD not in kept
    assert "Traceback" not in capsys.readouterr().err


def test_the_cli_says_the_host_name_is_wrong_without_a_traceback(tls, tmp_path, capsys):
    cluster, ca, _ = tls
    url = _readme_url(cluster, ca, "hub.example", hostaddr="127.0.0.1")
    assert _run("hub", "init", url) != 0
    err = capsys.readouterr().err
    assert "does not match host name" in err and "certificate check: server certificate" in err
    assert "Traceback" not in err and local_cluster.SUPERUSER_PASSWORD not in err
