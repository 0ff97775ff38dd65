"""Visit outcomes and their labels (msgids marked for extraction, translated where shown)."""

from __future__ import annotations

from counter.i18n import N_

OUTCOME_LABELS: dict[str, str] = {
    "bought": N_("Bought"),
    "returned": N_("Returned"),
    "repaired": N_("Repaired"),
    "informed": N_("Informed"),
    "complaint_resolved": N_("Complaint resolved"),
    "nothing_today": N_("Nothing today"),
}


def outcome_label(key: str, gettext) -> str:
    """The label for an outcome key in the caller's language; unknown keys show as stored."""
    msgid = OUTCOME_LABELS.get(key)
    return gettext(msgid) if msgid else key
