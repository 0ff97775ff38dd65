"""Entry point of the ``counter`` command: opens the window for ``run`` (the default) and
hands every other command to :mod:`counter.cli`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from counter import cli
from counter.paths import database_path


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # a bundle: a spawned import worker runs its job and exits
        import multiprocessing

        multiprocessing.freeze_support()
    args = cli.parse_args(argv)
    if args.command == "bench":  # measures the widgets too, so it lives on the Qt side
        from ui.bench import run_bench

        return run_bench(args)
    if args.command == "report":  # drawn with Qt, like Dashboard › Print report
        from ui.report_command import run_report

        return run_report(args)
    if args.command not in (None, "run"):
        return cli.run_command(args)
    path = database_path(args.db)
    if getattr(args, "demo_if_missing", False) and not path.exists():
        from counter.demo import create_demo_database

        print(f"No database at {path} yet: creating a demo database.")
        create_demo_database(path)
    gc.disable()  # until the window is shown: see ui.early_start
    try:
        from ui import early_start

        early = early_start.EarlyCheck(path)  # the database check runs while the UI loads
        early_start.import_before_qt()  # PySide6 reads the source of modules imported after it
        early_start.import_qt()  # ...unless told which modules use no Qt
        from ui.app import run_app  # Qt loads only when a window is wanted

        return run_app(
            path,
            ui_language=getattr(args, "lang", None),
            theme=getattr(args, "theme", None),
            check=early.check,
            read_settings=early.settings,
            shown=early_start.resume_collector,
        )
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
