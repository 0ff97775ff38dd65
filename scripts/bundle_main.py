"""The entry point PyInstaller freezes into ``dist/counter/counter`` (scripts/counter.spec):
the same ``counter`` command as the installed package's console script."""

import sys

from ui.main import main

if __name__ == "__main__":
    sys.exit(main())
