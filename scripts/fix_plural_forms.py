"""Rewrite each catalog's Plural-Forms header from CLDR's plural rule for its language.

`pybabel init` writes wrong headers for some languages (hu, tr and hi among them); the
gettext expression generated from CLDR's rule (via Babel) is the one that agrees with the
relative-time and number formatting the app shows next to translated text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel import Locale
from babel.plural import PluralRule, to_gettext


def cldr_plural_forms(language: str) -> str:
    rule = Locale.parse(language).plural_form
    return to_gettext(PluralRule(rule.rules) if not isinstance(rule, PluralRule) else rule)


def fix(po: Path) -> bool:
    text = po.read_text(encoding="utf-8")
    language = po.parent.parent.name
    wanted = f'"Plural-Forms: {cldr_plural_forms(language)}\\n"'
    # pybabel wraps long headers over several quoted lines (Slovak's does): take them all.
    fixed = re.sub(r'"Plural-Forms: [^"]*?(?:"\n"[^"]*?)*?\\n"', lambda _m: wanted, text, count=1)
    if fixed != text:
        po.write_text(fixed, encoding="utf-8")
    return fixed != text


def main(locales_dir: str) -> None:
    for po in sorted(Path(locales_dir).glob("*/LC_MESSAGES/counter.po")):
        if fix(po):
            print(f"fixed Plural-Forms in {po}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "locales")
