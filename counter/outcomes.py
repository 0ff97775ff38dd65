"""Visit outcomes and their labels (msgids marked for extraction, translated where shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter.errors import Problem, ValidationError
from counter.i18n import N_, Gettext
from counter.roles import Session
from counter.settings import DEFAULTS, save_store_settings
from counter.storage import settings_sql
from counter.text import clean_line

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_OUTCOME = 40  # characters in a store's own outcome

OUTCOME_LABELS: dict[str, str] = {
    "bought": N_("Bought"),
    "returned": N_("Returned"),
    "repaired": N_("Repaired"),
    "informed": N_("Informed"),
    "complaint_resolved": N_("Complaint resolved"),
    "nothing_today": N_("Nothing today"),
}


def outcome_label(key: str, gettext: Gettext) -> str:
    """The label for an outcome key in the caller's language; unknown keys show as stored."""
    msgid = OUTCOME_LABELS.get(key)
    return gettext(msgid) if msgid else key


def outcome_key(text: str, gettext: Gettext) -> str:
    """The key for an outcome a manager typed: a built-in one when the text is its key or its
    label (in ``gettext``'s language or in English), else the text itself, as typed."""
    typed = clean_line(text)
    wanted = typed.casefold()
    for key, msgid in OUTCOME_LABELS.items():
        if wanted in (key.casefold(), msgid.casefold(), gettext(msgid).casefold()):
            return key
    return typed


def configured_outcomes(db: Database) -> list[str]:
    """The outcome keys this store offers, in the order a manager set (setting ``outcomes``);
    keys without a built-in label are store-specific and shown as typed."""
    raw = settings_sql.all_settings(db).get("outcomes", DEFAULTS["outcomes"])
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    return list(dict.fromkeys(keys)) or list(OUTCOME_LABELS)


def save_outcomes(db: Database, session: Session, keys: list[str], *, now: int) -> None:
    """Set the offered outcomes (a manager's choice); commas cannot be part of a key."""
    cleaned = list(dict.fromkeys(k for k in map(clean_line, keys) if k))
    if not cleaned:
        raise ValidationError([Problem("outcomes", N_("Offer at least one outcome."))])
    if any("," in k or len(k) > MAX_OUTCOME for k in cleaned):
        raise ValidationError(
            [Problem("outcomes", N_("An outcome is a short name without commas."))]
        )
    save_store_settings(db, session, {"outcomes": ",".join(cleaned)}, now=now)
