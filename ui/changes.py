"""One change signal: after every write completes, what it changed; each view decides whether
that is something it shows and reloads only then (after Anki's ``OpChanges`` and
``operation_did_execute``).

A writer says what it touched with :class:`Changes` and ``bus.notify(changes)``; a view
connects ``bus.changed`` to a method that looks at the flags. Changes that arrive from the hub
carry ``from_hub=True`` and say, like a local write, which kinds of rows and which customers
the download changed (:meth:`Changes.of_download`), so a follow-up promised at another counter
reloads the follow-up list, not the queue, the search or the profile of another customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the sync (psycopg) loads when a counter joins, not with the first window
    from counter.sync import SyncResult
    from counter.visits import Visit, VisitChange


@dataclass(frozen=True)
class Changes:
    """What one write changed. Every flag a view does not show is one it may ignore."""

    visits: bool = False  # a visit was checked in, ended or discarded: histories, the log
    visit_details: bool = False  # a visit in progress: served, a step ticked, a note saved
    queue: bool = False  # who is waiting
    follow_ups: bool = False
    customers: bool = False  # customer records: added, edited, erased, imported, restored
    settings: bool = False  # the store's settings, checklist, outcomes or phrases
    staff: bool = False
    from_hub: bool = False  # written at another counter, arrived by sync
    # The customers concerned: None for "any of them" (an import, a restore); empty for none
    # (a walk-in's visit).
    customer_ids: frozenset[int] | None = None
    # The visit as committed, for a write to one visit: a history row can show it as it is
    # (the need as it is typed) without reading the whole profile again.
    visit: Visit | None = None

    def concerns(self, customer_id: int) -> bool:
        return self.customer_ids is None or customer_id in self.customer_ids

    @classmethod
    def everything(cls) -> Changes:
        """A restored backup: every table may differ."""
        return cls(
            visits=True,
            visit_details=True,
            queue=True,
            follow_ups=True,
            customers=True,
            settings=True,
            staff=True,
        )

    @classmethod
    def of_customer(cls, customer_id: int, **flags: bool) -> Changes:
        # flags: any of the bool fields above (visits=True, follow_ups=True...)
        return cls(customer_ids=frozenset({customer_id}), **cast("dict[str, Any]", flags))

    @classmethod
    def of_visit(cls, change: VisitChange) -> Changes:
        """A visit write: one a history shows (queued, ended, discarded) or one that only
        touches a visit in progress (served, a step ticked, a note saved)."""
        whole = change.step_key is None and (
            change.queue or change.summary is not None or not change.visit.is_open
        )
        who = frozenset() if change.customer_id is None else frozenset({change.customer_id})
        return cls(
            visits=whole,
            visit_details=not whole,
            queue=change.queue,
            follow_ups=change.follow_ups,
            customer_ids=who,
            visit=change.visit,
        )

    @classmethod
    def of_download(cls, result: SyncResult) -> Changes:
        """What a download from the hub changed here (``SyncResult.changed``: table names)."""
        changed = result.changed
        visits = bool({"visits", "visit_steps"} & changed)  # a step shows in log and timeline
        return cls(
            visits=visits,
            visit_details=visits,
            queue="visits" in changed,  # checked in, served, ended or discarded elsewhere
            follow_ups="follow_ups" in changed,
            customers="customers" in changed,
            # a synced settings row, or the store's targets the office set (store_targets)
            settings="settings" in changed or bool(result.settings),
            staff="staff" in changed,
            from_hub=True,
            customer_ids=None if result.customer_ids is None else frozenset(result.customer_ids),
        )


class ChangeBus(QObject):
    """The one change signal of a counter screen (and the manager's window beside it)."""

    changed = Signal(object)  # Changes

    def notify(self, changes: Changes) -> None:
        self.changed.emit(changes)
