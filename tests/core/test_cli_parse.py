"""``counter``'s command line: opening the window builds the ``run`` parser alone, and parses
exactly as the whole parser does."""

from __future__ import annotations

import pytest

from counter import cli


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run"],
        ["--db", "store.db"],
        ["--db=store.db", "run", "--lang", "tr"],
        ["run", "--db", "other.db", "--theme", "high-contrast"],
        ["--db", "run", "run"],  # a file called "run"
        ["run", "--demo-if-missing"],
    ],
)
def test_a_window_start_parses_as_the_whole_parser_does(argv):
    assert cli._command_word(argv) in (None, "run")
    assert cli.parse_args(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--customers", "5"],
        ["--db", "store.db", "hub", "status"],
        ["--db", "store.db", "reindex"],
        ["export", "--db", "store.db", "--out", "x.csv"],
    ],
)
def test_every_other_command_gets_the_whole_parser(argv):
    assert cli.parse_args(argv) == cli.build_parser().parse_args(argv)


def test_help_and_mistakes_speak_for_every_command(capsys):
    with pytest.raises(SystemExit) as help_asked:
        cli.parse_args(["--help"])
    assert help_asked.value.code == 0
    assert "reindex" in capsys.readouterr().out  # the whole list, not run's alone
    with pytest.raises(SystemExit) as mistake:
        cli.parse_args(["--db", "store.db", "no-such-command"])
    assert mistake.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.parse_args(["run", "--theme", "purple"])
    assert "invalid choice" in capsys.readouterr().err
