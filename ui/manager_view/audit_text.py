"""The audit log's "Whose data" and "Details" in words and local times.

The domain writes a short machine-readable detail with each entry (a role, a list of setting
keys, the export's filter as JSON with epoch seconds, "visit:7"); a manager reads these
sentences instead. Anything not recognised is shown as written (a reason someone typed).
"""

from __future__ import annotations

import json
import re

from counter.audit import AuditEntry
from counter.outcomes import outcome_label
from ui.i18n import N_, _, current, ngettext

ROLES = {"staff": N_("Staff"), "manager": N_("Manager")}
# A setting's name as the store settings form labels it (its mnemonic and colon dropped).
SETTING_LABELS = {
    "store_name": N_("Store &name:"),
    "store_language": N_("Store &language:"),
    "phone_region": N_("Phone numbers without +code are from this &country:"),
    "wait_amber_minutes": N_("A wait turns &amber after:"),
    "wait_red_minutes": N_("A wait turns &red after:"),
    "service_target_minutes": N_("Service &target:"),
    "idle_lock_minutes": N_("Lock the counter screen after this long &idle:"),
    "backup_folder": N_("&Backup folder:"),
}
_IMPORT = re.compile(
    r"(?P<created>\d+) created, (?P<merged>\d+) merged, (?P<skipped>\d+) duplicates skipped, "
    r"(?P<problems>\d+) rows with problems"
)


def _plain(label: str) -> str:
    return _(label).replace("&", "").rstrip(":： ").strip()


def subject_text(entry: AuditEntry) -> str:
    kind, _sep, value = entry.subject.partition(":")
    if kind == "customer" and value.isdigit():
        return _("Customer {number}").format(number=value)
    if kind == "visit" and value.isdigit():
        return _("Visit {number}").format(number=value)
    if kind == "staff" and value.isdigit():
        return _("Staff member {number}").format(number=value)
    if kind in ("file", "backup") and value:
        return value
    if kind == "step":
        return _("Checklist") if value == "*" else _("Checklist step “{key}”").format(key=value)
    return entry.subject


def detail_text(entry: AuditEntry) -> str:
    detail, action = entry.detail, entry.action
    if not detail:
        return ""
    if action == "export_visits":
        return _export_text(detail)
    if action == "staff_added" and detail in ROLES:
        return _(ROLES[detail])
    if action == "staff_changed":
        role, _sep, state = detail.partition(", ")
        if role in ROLES and state in ("active", "inactive"):
            can = _("can sign in") if state == "active" else _("cannot sign in")
            return f"{_(ROLES[role])}, {can}"
    if action == "settings_changed":
        keys = [key.strip() for key in detail.split(",") if key.strip()]
        return current().list(
            [_plain(SETTING_LABELS[k]) if k in SETTING_LABELS else k for k in keys]
        )
    if action == "view_visit" and detail.startswith("visit:"):
        return _("Visit {number}").format(number=detail.removeprefix("visit:"))
    if action == "view_customer_visits":
        return _("Searched for “{text}”").format(text=detail)
    if action == "export_customers" and detail.endswith(" customers"):
        count = detail.removesuffix(" customers")
        if count.isdigit():
            number = int(count)
            return ngettext("{count} customer", "{count} customers", number).format(
                count=current().number(number)
            )
    if action == "import_customers":
        match = _IMPORT.fullmatch(detail)
        if match:
            numbers = {k: int(v) for k, v in match.groupdict().items()}
            return _(
                "created: {created}, merged: {merged}, duplicates skipped: {skipped}, "
                "rows with problems: {problems}"
            ).format(**numbers)
    if action == "restore_backup" and detail.startswith("safety copy "):
        return _("safety copy: {file}").format(file=detail.removeprefix("safety copy "))
    return detail


def _export_text(detail: str) -> str:
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    tr = current()
    rows = data.get("rows")
    parts = []
    if isinstance(rows, int):
        parts.append(
            ngettext("{count} visit", "{count} visits", rows).format(count=tr.number(rows))
        )
    if isinstance(data.get("format"), str):
        parts.append(str(data["format"]).upper())
    found = data.get("filter")
    wanted: dict[str, object] = found if isinstance(found, dict) else {}
    start, end = wanted.get("start"), wanted.get("end")
    if isinstance(start, int) and isinstance(end, int):
        # The end is exclusive (the start of the day after): show the last day included.
        parts.append(_("from {start} to {end}").format(start=tr.date(start), end=tr.date(end - 1)))
    elif isinstance(start, int):
        parts.append(_("from {start}").format(start=tr.date(start)))
    elif isinstance(end, int):
        parts.append(_("until {end}").format(end=tr.date(end - 1)))
    staff = wanted.get("staff_ids")
    if isinstance(staff, list) and staff:
        parts.append(
            ngettext("{count} staff member", "{count} staff members", len(staff)).format(
                count=len(staff)
            )
        )
    outcomes = wanted.get("outcomes")
    if isinstance(outcomes, list) and outcomes:
        parts.append(tr.list([outcome_label(str(o), _) for o in outcomes]))
    languages = wanted.get("languages")
    if isinstance(languages, list) and languages:
        parts.append(tr.list([tr.language_name(str(code)) for code in languages]))
    text = wanted.get("customer_text")
    if isinstance(text, str) and text.strip():
        parts.append(_("Searched for “{text}”").format(text=text.strip()))
    if wanted.get("complaint") is True:
        parts.append(_("Had a complaint"))
    if wanted.get("steps_skipped") is True:
        parts.append(_("Steps skipped"))
    for key, msgid in (
        ("wait_over", N_("Waited over {duration}")),
        ("service_over", N_("Service over {duration}")),
    ):
        seconds = wanted.get(key)
        if isinstance(seconds, int):
            parts.append(_(msgid).format(duration=tr.duration(seconds)))
    return " · ".join(parts) or detail
