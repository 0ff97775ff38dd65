"""The checklist a visit runs through: the five built-in steps of good service, and what a
manager made of them (renamed per language, reordered, hidden, store-specific steps added).

A visit copies the visible steps when it starts and keeps them: changing the checklist later
never rewrites a visit that already ran. Built-in labels are stored as their msgid, so they are
translated where shown; a label a manager typed is stored as typed. Changing the checklist is
for managers (a signed-in manager's session) and goes into the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter import audit
from counter.errors import NotFound, Problem, ValidationError
from counter.i18n import N_, Gettext
from counter.roles import Session, require_manager
from counter.storage import visit_sql, write_transaction
from counter.text import clean_line, length_problem

if TYPE_CHECKING:
    from sqlite_utils import Database

MAX_LABEL = 60
MAX_HINT = 200


@dataclass(frozen=True)
class StepText:
    label: str
    hint: str


BUILTIN_STEPS: dict[str, StepText] = {
    "greet": StepText(
        N_("Greet warmly"),
        N_("Acknowledge them at once, by name if you know it; welcome them to the store."),
    ),
    "rapport": StepText(
        N_("Build rapport"),
        N_("Notice the person: ask about what they told you last time. Be sincere."),
    ),
    "needs": StepText(
        N_("Identify needs"),
        N_("Ask an open question, listen without interrupting, confirm what you heard."),
    ),
    "solution": StepText(
        N_("Offer a solution"),
        N_("Explain the benefits, no pressure. Promise only what you will do."),
    ),
    "thank": StepText(
        N_("Thank by name"),
        N_("Thank them by name for the chance to help, whether or not they bought."),
    ),
}


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    position: int
    builtin: bool
    hidden: bool
    label: str  # a msgid when ``translatable``, else the text a manager typed
    hint: str
    translatable: bool  # the label is the built-in msgid: translate where shown
    hint_translatable: bool

    def text(self, gettext: Gettext) -> str:
        return gettext(self.label) if self.translatable else self.label

    def hint_text(self, gettext: Gettext) -> str:
        if not self.hint:
            return ""
        return gettext(self.hint) if self.hint_translatable else self.hint


def builtin_label(key: str, label: str) -> bool:
    """Whether a stored step label is the built-in msgid (and so translated where shown)."""
    step = BUILTIN_STEPS.get(key)
    return step is not None and step.label == label


def step_label(key: str, label: str, gettext: Gettext) -> str:
    """A stored step label in the reader's language (labels a manager typed stay as typed)."""
    return gettext(label) if builtin_label(key, label) else label


def load_checklist(db: Database, language: str, *, fallback: str = "en") -> list[ChecklistStep]:
    """Every configured step in order, hidden ones included, labelled for ``language``.

    A renamed built-in step shows its rename in that language, else the built-in msgid. A
    store-specific step shows its label in ``language``, else in ``fallback``, else any."""
    labels: dict[str, dict[str, dict[str, Any]]] = {}
    for row in visit_sql.step_labels(db):
        labels.setdefault(row["step_key"], {})[row["language"]] = row
    steps = []
    for row in visit_sql.checklist_steps(db):
        key = row["step_key"]
        by_language = labels.get(key, {})
        builtin = BUILTIN_STEPS.get(key) if row["builtin"] else None
        own = by_language.get(language)
        if builtin is not None and (own is None or not own["label"]):
            # No row: the built-in texts. A row without a label: the built-in name, own hint.
            label, hint, translatable, hint_translatable = builtin.label, builtin.hint, True, True
            if own is not None and own["hint"]:
                hint, hint_translatable = own["hint"], False
        else:
            chosen = own or by_language.get(fallback) or next(iter(by_language.values()), None)
            label = chosen["label"] if chosen else key
            hint = chosen["hint"] if chosen else ""
            translatable = hint_translatable = False
            if builtin is not None and not hint:  # renamed, hint kept: the built-in one
                hint, hint_translatable = builtin.hint, True
        steps.append(
            ChecklistStep(
                key=key,
                position=row["position"],
                builtin=bool(row["builtin"]),
                hidden=bool(row["hidden"]),
                label=label,
                hint=hint,
                translatable=translatable,
                hint_translatable=hint_translatable,
            )
        )
    return steps


def steps_for_new_visit(db: Database, language: str) -> list[tuple[int, str, str]]:
    """(position, key, label) of the visible steps, numbered 1.. in order."""
    visible = [s for s in load_checklist(db, language) if not s.hidden]
    return [(i, s.key, s.label) for i, s in enumerate(visible, start=1)]


def _clean(text: str, limit: int, field: str, problems: list[Problem]) -> str:
    value = clean_line(text)
    if problem := length_problem(field, value, limit):
        problems.append(problem)
    return value


def _require_step(db: Database, key: str) -> dict[str, Any]:
    for row in visit_sql.checklist_steps(db):
        if row["step_key"] == key:
            return row
    raise NotFound(key)


def _audit(db: Database, session: Session, key: str, detail: str, now: int) -> None:
    audit.record(
        db,
        at=now,
        staff_id=session.staff_id,
        action="checklist_changed",
        subject=f"step:{key}",
        detail=detail,
    )


def rename_step(
    db: Database,
    session: Session,
    key: str,
    language: str,
    label: str,
    hint: str = "",
    *,
    now: int,
) -> None:
    """Name a step (and its hint) for one language. An empty label on a built-in step keeps
    its built-in name (translated where shown): with a hint, that hint is the step's own in
    this language; with neither, the built-in texts come back."""
    require_manager(db, session)
    problems: list[Problem] = []
    label = _clean(label, MAX_LABEL, "label", problems)
    hint = _clean(hint, MAX_HINT, "hint", problems)
    if problems:
        raise ValidationError(problems)
    with write_transaction(db):
        row = _require_step(db, key)
        _audit(db, session, key, f"rename {language}: {label}", now)
        if not label:
            if not row["builtin"]:
                raise ValidationError([Problem("label", N_("Give the step a name."))])
            if hint:
                visit_sql.set_step_label(db, key, language, "", hint)
            else:
                visit_sql.delete_step_label(db, key, language)
        else:
            visit_sql.set_step_label(db, key, language, label, hint)


def reorder_steps(db: Database, session: Session, keys: list[str], *, now: int) -> None:
    """Put the steps in this order; ``keys`` must name every configured step once."""
    require_manager(db, session)
    with write_transaction(db):
        existing = {row["step_key"] for row in visit_sql.checklist_steps(db)}
        if sorted(keys) != sorted(existing):
            raise ValidationError([Problem("steps", N_("List every step exactly once."))])
        for position, key in enumerate(keys, start=1):
            visit_sql.set_step_position(db, key, position)
        _audit(db, session, "*", "order: " + ", ".join(keys), now)


def _new_key(label: str, taken: set[str]) -> str:
    # Keys are plain ASCII for other SQLite tools; a label in another script gives "custom_step".
    base = "custom_" + (re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:24] or "step")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def add_step(
    db: Database, session: Session, language: str, label: str, hint: str = "", *, now: int
) -> str:
    """Add a store-specific step at the end of the checklist; returns its key."""
    require_manager(db, session)
    problems: list[Problem] = []
    label = _clean(label, MAX_LABEL, "label", problems)
    hint = _clean(hint, MAX_HINT, "hint", problems)
    if not label:
        problems.append(Problem("label", N_("Give the step a name.")))
    if problems:
        raise ValidationError(problems)
    with write_transaction(db):
        rows = visit_sql.checklist_steps(db)
        key = _new_key(label, {row["step_key"] for row in rows})
        position = max((row["position"] for row in rows), default=0) + 1
        visit_sql.insert_checklist_step(db, key, position)
        visit_sql.set_step_label(db, key, language, label, hint)
        _audit(db, session, key, f"add {language}: {label}", now)
    return key


def set_step_hidden(db: Database, session: Session, key: str, hidden: bool, *, now: int) -> None:
    """Hide a step from new visits (visits that ran with it keep it)."""
    require_manager(db, session)
    with write_transaction(db):
        if not visit_sql.set_step_hidden(db, key, hidden):
            raise NotFound(key)
        _audit(db, session, key, "hide" if hidden else "show", now)
