"""Hatchling build hook: compile every ``locales/<lang>/LC_MESSAGES/counter.po`` into a ``.mo``
and put it inside the wheel at ``counter/locales/``, so that ``pip install`` gives every
language. The repository never commits ``.mo`` files; ``make catalogs`` builds them for a
checkout, this hook for a wheel. Fuzzy entries are compiled as ``make catalogs`` compiles them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOG = "counter"


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        out = Path(tempfile.mkdtemp(prefix="counter-mo-"))
        sources = sorted(root.glob(f"locales/*/LC_MESSAGES/{CATALOG}.po"))
        if not sources:
            raise RuntimeError(
                "no translation catalogs under locales/: the wheel would be English-only"
            )
        for po_path in sources:
            language = po_path.parent.parent.name
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=language, domain=CATALOG)
            mo_path = out / language / "LC_MESSAGES" / f"{CATALOG}.mo"
            mo_path.parent.mkdir(parents=True)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=True)
            build_data["force_include"][str(mo_path)] = (
                f"counter/locales/{language}/LC_MESSAGES/{CATALOG}.mo"
            )
