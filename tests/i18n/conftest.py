"""Catalog tests read compiled .mo files: build the stale ones once per session."""

import pytest

from tests.i18n.build import ensure_compiled


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    ensure_compiled()
