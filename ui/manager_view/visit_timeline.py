"""One visit from arrival to goodbye: each moment with its time and the gap before it, the
notes, the outcome and the follow-ups promised. Opening it is audited by the domain."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from counter import feedback
from counter.checklist import step_label
from counter.durations import Targets
from counter.errors import NotFound
from counter.outcomes import outcome_label
from counter.roles import Session
from counter.visit_places import place_text
from counter.visit_timeline import TimelineEvent, VisitTimeline, load_timeline
from ui import theme
from ui.i18n import _, current
from ui.tasks import Runner


def _red() -> str:
    return theme.colours().css(theme.DANGER)


def _green() -> str:
    return theme.colours().css(theme.SUCCESS)


def _grey() -> str:
    return theme.colours().css(theme.MUTED)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


class VisitTimelineView(QTextBrowser):
    """The timeline as a read-only document (selectable, printable, right-to-left aware)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("visitTimeline")
        self.setOpenLinks(False)
        self.timeline: VisitTimeline | None = None
        self._now = 0
        self._targets: Targets | None = None
        theme.follow(self, self.retranslate)  # its colours follow the palette

    def show_timeline(self, timeline: VisitTimeline, now: int, targets: Targets | None) -> None:
        self.timeline, self._now, self._targets = timeline, now, targets
        self.retranslate()

    def _shown(self) -> VisitTimeline:
        if self.timeline is None:
            raise RuntimeError("no timeline is shown")
        return self.timeline

    def retranslate(self) -> None:
        self.setAccessibleName(_("Visit timeline"))
        self.setHtml(self.to_html() if self.timeline else "")

    def _event_text(self, event: TimelineEvent) -> str:
        visit = self._shown().visit
        tr = current()
        if event.kind == "arrived":
            return _("Arrived")
        if event.kind == "started":
            wait = visit.wait or 0
            text = _("Service started after a wait of {duration}").format(
                duration=tr.exact_duration(wait)
            )
            if self._targets and wait > self._targets.wait:
                return f'<span style="color:{_red()}">{_e(text)}</span>'
            return _e(text)
        if event.kind == "ended":
            text = _("Ended; service took {duration}").format(
                duration=tr.exact_duration(visit.service or 0)
            )
            if self._targets and (visit.service or 0) > self._targets.service:
                return f'<span style="color:{_red()}">{_e(text)}</span>'
            return _e(text)
        label = _e(step_label(event.step_key, event.label, _))
        # Who ticked it: a visit resumed by someone else is served by two people.
        by = ""
        if event.staff_name:
            by = _("by {name}").format(name=event.staff_name)
            by = f' <span style="color:{_grey()}">· {_e(by)}</span>'
        if event.status == "done":
            return f'<span style="color:{_green()}">✓</span> {label}{by}'
        status = _("skipped") if event.status == "skipped" else _("not done")
        return f'<span style="color:{_red()}">✗ {label} — {_e(status)}</span>{by}'

    def _answer_html(self) -> str:
        """The face the customer tapped on the customer screen and the reason, if any."""
        visit = self._shown().visit
        if not visit.feedback:
            text = _("Asked; the customer did not answer.")
            return f"<span style='color:{_grey()}'>{_e(text)}</span>"
        text = _("{face} ({score} of 5)").format(
            face=feedback.face_name(visit.feedback, _), score=current().number(visit.feedback)
        )
        if visit.feedback_reason:
            text = _("{face}: {reason}").format(
                face=text, reason=feedback.reason_label(visit.feedback_reason, _)
            )
        color = (
            _red() if feedback.is_poor(visit.feedback) else _green() if visit.feedback > 3 else ""
        )
        return f"<span style='color:{color}'>{_e(text)}</span>" if color else _e(text)

    def to_html(self) -> str:
        tr = current()
        timeline = self._shown()
        visit = timeline.visit
        who = _("(erased)") if visit.customer_erased else (visit.customer_name or _("Walk-in"))
        parts = [f"<h2 style='margin-bottom:2px'>{_e(who)}</h2>"]
        served = _("{when} · served by {staff}").format(
            when=tr.datetime(visit.arrived_at, "medium"),
            staff=visit.staff_name or "—",
        )
        parts.append(f"<p style='color:{_grey()}; margin-top:0'>{_e(served)}")
        if visit.language:
            parts.append(" · " + _e(tr.language_name(visit.language)))
        place = place_text(visit.store_name, visit.counter_name)
        if place:  # a visit of a counter that joined a hub: where it was made
            parts.append(" · " + _e(_("at {place}").format(place=place)))
        parts.append("</p>")

        parts.append("<table cellspacing='0' cellpadding='4' width='100%'>")
        # Translated outside the f-strings: the extractor does not look inside them.
        time_head, gap_head, what_head = _("Time"), _("Gap"), _("What happened")
        parts.append(
            f"<tr style='color:{_grey()}'><th align='left' width='18%'>{_e(time_head)}</th>"
            f"<th align='right' width='10%'>{_e(gap_head)}</th>"
            f"<th align='left'>{_e(what_head)}</th></tr>"
        )
        for event in timeline.events:
            when = tr.time(event.at, "medium") if event.at is not None else "—"
            gap = "+" + tr.duration(event.gap, "narrow") if event.gap is not None else ""
            parts.append(
                f"<tr><td>{_e(when)}</td><td align='right' style='color:{_grey()}'>{_e(gap)}</td>"
                f"<td>{self._event_text(event)}</td></tr>"
            )
        parts.append("</table>")

        notes = []
        if visit.need:
            notes.append((_("Need"), _e(visit.need)))
        if visit.solution:
            notes.append((_("Offered"), _e(visit.solution)))
        if visit.outcome:
            notes.append((_("Outcome"), _e(outcome_label(visit.outcome, _))))
        if visit.complaint:
            yes = _("Yes")
            notes.append((_("Complaint"), f"<span style='color:{_red()}'>⚠ {_e(yes)}</span>"))
        if visit.feedback is not None:
            notes.append((_("Customer's answer"), self._answer_html()))
        if timeline.discard_reason:
            notes.append((_("Discarded"), _e(timeline.discard_reason)))
        if notes:
            heading = _("Notes and outcome")
            parts.append(f"<h3>{_e(heading)}</h3><table cellpadding='3'>")
            for label, value in notes:
                parts.append(
                    f"<tr><td style='color:{_grey()}'>{_e(label)}</td><td>{value}</td></tr>"
                )
            parts.append("</table>")

        heading, none = _("Follow-ups"), _("None promised.")
        parts.append(f"<h3>{_e(heading)}</h3>")
        if not timeline.follow_ups:
            parts.append(f"<p style='color:{_grey()}'>{_e(none)}</p>")
        else:
            parts.append("<ul>")
            for f in timeline.follow_ups:
                if f.closed_at is not None:
                    state = _("done {when} by {name}").format(
                        when=tr.date(f.closed_at), name=f.closed_by_name or "—"
                    )
                    if f.close_note:
                        state += f" — {f.close_note}"
                    color = _green()
                elif f.overdue(self._now):
                    state = _("overdue since {when}").format(when=tr.date(f.due_at))
                    color = _red()
                else:
                    state = _("due {when}").format(when=tr.date(f.due_at))
                    color = _grey()
                owner = _("owner: {name}").format(name=f.owner_name) if f.owner_name else ""
                parts.append(
                    f"<li>{_e(f.description)} <span style='color:{color}'>({_e(state)})</span>"
                    f"{' · ' + _e(owner) if owner else ''}</li>"
                )
            parts.append("</ul>")
        return "".join(parts)


class VisitTimelineDialog(QDialog):
    """Loads and shows one visit's timeline: this counter's visit ``visit_id``, or what
    ``load`` reads on ``runner`` (the chain's log: a visit read from the hub), then
    ``on_loaded`` is given what is shown."""

    def __init__(
        self,
        runner: Runner,
        session: Session,
        visit_id: int,
        clock: Callable[[], int],
        targets: Targets | None = None,
        parent: QWidget | None = None,
        *,
        load: Callable[[Any], VisitTimeline] | None = None,
        on_loaded: Callable[[VisitTimeline], object] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("visitTimelineDialog")
        self.setWindowTitle(_("Visit"))
        self.view = VisitTimelineView(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(620, 640)
        now = clock()
        self._targets = targets
        self._now = now
        self._on_loaded = on_loaded
        runner.run(
            load or (lambda db: load_timeline(db, session, visit_id, now=now)),
            self._loaded,
            self._failed,
        )

    def _loaded(self, timeline: VisitTimeline) -> None:
        self.view.show_timeline(timeline, self._now, self._targets)
        self.setWindowTitle(
            _("Visit of {name}").format(name=timeline.visit.customer_name or _("Walk-in"))
        )
        if self._on_loaded is not None:
            self._on_loaded(timeline)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NotFound):
            text = _("That visit no longer exists.")
        else:
            text = _("Something went wrong: {reason}").format(reason=str(error)[:200])
        self.view.setPlainText(text)
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
