"""What is synced, and with whom.

Hub-wide (every counter of every store): customers. A customer served at one store is known at
the next.

Per store (the counters of one store only; row-level security on the hub keeps them there):
staff (names, roles, PIN hashes), visits, their steps, follow-ups and the audit log. A store's
queue, dashboard and audit review are the store's own, and PIN hashes never leave their store.

Not synced as rows: settings (the backup folder, the window layout and the phone region belong
to the computer; the store's name, language and targets are the store's, kept on the hub per
store and brought to its counters by counter.sync.store_targets), the checklist's steps and
phrase overrides (per counter for now: they are looked up by step key, so a later version can
share them per store without changing a visit). Sign-in lockout counts stay on the counter.

Conflicts (the same rule on the hub and on every counter, so replicas converge in any order):
- every field of a row keeps its own clock (hybrid logical clock, then the counter's id): the
  later edit of that field wins, edits of different fields both stay;
- visits, their steps and the audit log are made at one counter and appended; a visit started
  at another counter of the store merges field by field like any edit;
- an erased customer stays erased: the erasure wins over every edit, before or after it, and
  blanks the free text of that customer's visits and follow-ups everywhere; a late upload
  from a counter that was offline never brings the data back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from counter.storage.customer_sql import CUSTOMER_FIELDS, ERASED_VALUES


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[str, ...]
    hub_wide: bool = False
    refs: dict[str, str] = field(default_factory=dict)  # field -> table, sent as global ids


_STAFF_REF = "staff"
TABLES: tuple[Table, ...] = (
    Table("staff", ("name", "role", "pin_hash", "active", "created_at")),
    # The derived columns (search key, phone digits) do not travel: each counter computes them.
    Table("customers", (*CUSTOMER_FIELDS, "created_at", "updated_at", "erased_at"), hub_wide=True),
    Table(
        "visits",
        (
            "customer_id",
            "walk_in_name",
            "staff_id",
            "status",
            "arrived_at",
            "started_at",
            "ended_at",
            "language",
            "need",
            "solution",
            "outcome",
            "complaint",
            "discard_reason",
            "updated_at",
            "feedback",  # the customer's answer (m008)
            "feedback_reason",
            "feedback_at",
        ),
        refs={"customer_id": "customers", "staff_id": _STAFF_REF},
    ),
    Table(
        "visit_steps",
        ("visit_id", "step_key", "position", "label", "status", "at", "staff_id"),
        refs={"visit_id": "visits", "staff_id": _STAFF_REF},  # staff_id: who ticked it (m007)
    ),
    Table(
        "follow_ups",
        (
            "customer_id",
            "visit_id",
            "owner_id",
            "description",
            "due_at",
            "created_at",
            "created_by",
            "closed_at",
            "closed_by",
            "close_note",
        ),
        refs={
            "customer_id": "customers",
            "visit_id": "visits",
            "owner_id": _STAFF_REF,
            "created_by": _STAFF_REF,
            "closed_by": _STAFF_REF,
        },
    ),
    Table(
        "audit_log", ("at", "staff_id", "action", "subject", "detail"), refs={"staff_id": "staff"}
    ),
)
BY_NAME = {t.name: t for t in TABLES}
ORDER = {t.name: i for i, t in enumerate(TABLES)}  # parents before the rows that point at them

# An erased customer's fields (as counter.privacy erases them); erased_at itself is merged apart.
ERASED_CUSTOMER = {f: value for f, value in ERASED_VALUES.items() if f in CUSTOMER_FIELDS}
# Free text of an erased customer's visits and follow-ups (it may name them).
ERASED_TEXT = {
    "visits": {"need": "", "solution": "", "walk_in_name": "", "discard_reason": ""},
    "follow_ups": {"description": "", "close_note": ""},
}
