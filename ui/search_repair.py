"""After the window is up: customers written outside Counter (sqlite-utils, Datasette, plain
SQL) get their search keys, a few hundred per task on the database worker, so a search typed
meanwhile is answered between two chunks (``counter.reindex``). Nothing to do costs one look
at an empty table."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ui.i18n import current, ngettext

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_log = logging.getLogger(__name__)


def _step(db) -> tuple[int, bool]:
    from counter import reindex

    if not reindex.needs_repair(db):
        return 0, False
    return reindex.repair_stale(db)


def repair_search_keys(window: MainWindow) -> None:
    runner = window.runner
    repaired = [0]

    def done(result: tuple[int, bool]) -> None:
        changed, more = result
        repaired[0] += changed
        if more:
            runner.run(_step, done, failed)
            return
        if repaired[0]:
            window.search.refresh()
            count = repaired[0]
            window.statusBar().showMessage(
                ngettext(
                    "Search updated for {count} customer changed outside Counter.",
                    "Search updated for {count} customers changed outside Counter.",
                    count,
                ).format(count=current().number(count)),
                8000,
            )

    def failed(error: BaseException) -> None:
        # Tried again on the next start; searching works meanwhile, without those rows.
        _log.warning("search keys not repaired: %s", error)

    runner.run(_step, done, failed)
