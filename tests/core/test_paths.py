from pathlib import Path

from counter.paths import database_path


def test_command_line_beats_environment(tmp_path):
    env = {"COUNTER_DB": str(tmp_path / "env.db")}
    assert database_path(str(tmp_path / "cli.db"), env) == tmp_path / "cli.db"


def test_environment_beats_default(tmp_path):
    assert database_path(None, {"COUNTER_DB": str(tmp_path / "env.db")}) == tmp_path / "env.db"


def test_default_is_in_user_data_folder():
    path = database_path(None, {})
    assert path.name == "counter.db" and "Counter" in path.parts
    assert isinstance(path, Path)
