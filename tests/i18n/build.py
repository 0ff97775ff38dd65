"""Compile the catalogs (.po -> .mo) when a .mo is missing or older than its .po, so tests
that read translations work without `make catalogs` first (`make test` builds them anyway)."""

from __future__ import annotations

import gettext
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from counter import i18n


def ensure_compiled(locales_dir: Path = i18n.LOCALES_DIR) -> list[Path]:
    built = []
    for po in sorted(locales_dir.glob("*/LC_MESSAGES/counter.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        # Written aside and renamed: another test run may be reading the old file right now.
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=True)
        os.replace(tmp, mo)
        built.append(mo)
    if built:
        i18n._catalog.cache_clear()
        gettext._translations.clear()  # gettext caches catalogs by path
    return built
