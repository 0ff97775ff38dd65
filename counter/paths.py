"""Where the database lives: ``--db PATH`` beats ``COUNTER_DB`` beats the user data folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "Counter"
ENV_VAR = "COUNTER_DB"
DB_FILE = "counter.db"


def database_path(cli_path: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    if cli_path:
        return Path(cli_path).expanduser()
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR]).expanduser()
    from platformdirs import user_data_path  # only here: a start with --db or $COUNTER_DB

    return user_data_path(APP_NAME, appauthor=False) / DB_FILE


CONFIG_ENV_VAR = "COUNTER_CONFIG_DIR"


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The user's Counter settings folder (the hub password file when there is no keyring):
    ``COUNTER_CONFIG_DIR`` or the platform's user config folder."""
    if environ.get(CONFIG_ENV_VAR):
        return Path(environ[CONFIG_ENV_VAR]).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)
