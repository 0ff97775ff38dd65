"""`counter import`, `export`, `backup` and `restore` on the command line."""

from __future__ import annotations

from counter import cli
from counter.backup import list_backups
from counter.storage import open_database


def run(*argv: str) -> int:
    args = cli.build_parser().parse_args(list(argv))
    return cli.run_command(args)


def count(path) -> int:
    db = open_database(path)
    try:
        return db.execute("SELECT count(*) FROM customers").fetchone()[0]
    finally:
        db.close()


def test_import_export_backup_restore(tmp_path, capsys):
    db_path = tmp_path / "counter.db"
    open_database(db_path).close()
    source = tmp_path / "in.csv"
    source.write_bytes("Ad;Soyad;Telefon\nŞükrü;Yılmaz;0532 123 45 67\nAyşe;;12\n".encode("cp1254"))

    assert run("--db", str(db_path), "import", str(source), "--region", "TR") == 1
    assert "line 3:" in capsys.readouterr().err
    assert count(db_path) == 0

    assert run("--db", str(db_path), "import", str(source), "--region", "TR", "--dry-run") == 1
    assert run("--db", str(db_path), "import", str(source), "--region", "TR", "--skip-invalid") == 0
    assert "1 new" in capsys.readouterr().out
    assert count(db_path) == 1

    out = tmp_path / "out.csv"
    assert run("--db", str(db_path), "export", "--out", str(out)) == 0
    assert "Şükrü" in out.read_text(encoding="utf-8-sig")

    assert run("--db", str(db_path), "backup") == 0
    (made,) = list_backups(tmp_path / "backups")
    again = tmp_path / "again.csv"
    again.write_text("Name,Phone\nAnna Kovács,+36301234567\n", encoding="utf-8")
    assert run("--db", str(db_path), "import", str(again), "--mapping", "Name=full_name") == 0
    assert count(db_path) == 2
    assert run("--db", str(db_path), "restore", str(made.path)) == 0
    assert count(db_path) == 1
    assert run("--db", str(db_path), "restore") == 0  # lists the backups
    assert "before-restore" in capsys.readouterr().out


def test_a_missing_database_is_refused(tmp_path, capsys):
    assert run("--db", str(tmp_path / "none.db"), "export") == 1
    assert "no database" in capsys.readouterr().err


def test_a_bad_mapping_is_a_message(tmp_path, capsys):
    db_path = tmp_path / "counter.db"
    open_database(db_path).close()
    source = tmp_path / "in.csv"
    source.write_text("Name\nAnna\n", encoding="utf-8")
    assert run("--db", str(db_path), "import", str(source), "--mapping", "Nope=phone") == 1
    assert "There is no column “Nope”." in capsys.readouterr().err


def test_restore_lists_only_this_databases_backups(tmp_path, capsys):
    first, second = tmp_path / "counter.db", tmp_path / "other.db"
    for path in (first, second):
        open_database(path).close()
        assert run("--db", str(path), "backup") == 0
    capsys.readouterr()
    assert run("--db", str(first), "restore") == 0
    listed = capsys.readouterr().out
    assert "counter-" in listed and "other-" not in listed


# Positional arguments each command needs, to parse it with nothing else.
_NEEDS = {"import": ["in.csv"], "report": ["--out", "r.pdf"], "hub": ["status"]}


def test_db_is_accepted_before_and_after_every_command(tmp_path):
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert {"run", "demo", "import", "export", "backup", "restore"} <= set(commands)
    for command in commands:
        dest = "bench_db" if command == "bench" else "db"  # bench's --db is its bench file
        rest = _NEEDS.get(command, [])
        after = parser.parse_args([command, *rest, "--db", "after.db"])
        assert getattr(after, dest) == "after.db", command
        before = parser.parse_args(["--db", "before.db", command, *rest])
        assert before.db == "before.db", command  # not undone by the command's own --db
        assert parser.parse_args([command, *rest]).db is None, command


def test_demo_with_db_after_the_command_writes_that_file(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run("demo", "--db", str(path), "--customers", "5") == 0
    assert path.exists() and count(path) == 5
    assert str(path) in capsys.readouterr().out


def test_import_help_names_every_mapping_target():
    """The --mapping help lists the targets literally (the CLI starts without loading the
    importer); it names exactly counter.importing.columns.FIELDS."""
    import argparse

    from counter import cli_data
    from counter.importing.columns import FIELDS

    parser = argparse.ArgumentParser()
    cli_data.add_commands(parser.add_subparsers())
    imp = parser._subparsers._group_actions[0].choices["import"]
    (mapping,) = [a for a in imp._actions if "--mapping" in a.option_strings]
    assert f"(fields: {' '.join(FIELDS)};" in " ".join(mapping.help.split())
