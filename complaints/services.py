"""Every change to a complaint, one function each. Each checks the role and the state, writes
a line in the complaint's timeline and an entry in Wagtail's audit log, and never lets a
status skip a step (DESIGN.md: "State changes go through one service function each")."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Site

from portal.permissions import user_has_role
from portal.roles import Role
from schools import services_plans
from schools.models import ActionPlan

from . import clocks
from .models import (
    FINAL_STATUSES,
    Complaint,
    ComplaintEvent,
    ComplaintPause,
    ComplaintResponse,
    ComplaintsSettings,
    NotifiedWhom,
    Outcome,
    ReferredTo,
    Status,
)

Kind = ComplaintEvent.Kind
ResponseStatus = ComplaintResponse.Status


class InvalidTransition(Exception):
    """A change the complaint's status does not allow; the message says what to do instead."""


# The lifecycle: each status and the statuses it may move to. Anything else skips a step.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ACKNOWLEDGED, Status.WITHDRAWN, Status.REFERRED}),
    Status.ACKNOWLEDGED: frozenset({Status.UNDER_INVESTIGATION, Status.WITHDRAWN, Status.REFERRED}),
    Status.UNDER_INVESTIGATION: frozenset({Status.PAUSED, Status.RESPONSE_SENT, Status.WITHDRAWN, Status.REFERRED}),
    Status.PAUSED: frozenset({Status.UNDER_INVESTIGATION, Status.WITHDRAWN, Status.REFERRED}),
    Status.RESPONSE_SENT: frozenset({Status.MONITORING_LEARNING, Status.CLOSED}),
    Status.MONITORING_LEARNING: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.REFERRED: frozenset(),
}
NEXT_STEP_HINT = {
    Status.RECEIVED: "Record the acknowledgement first.",
    Status.ACKNOWLEDGED: "Start the investigation first.",
    Status.UNDER_INVESTIGATION: "Record the signed-off response as sent first.",
    Status.PAUSED: "Resume the investigation first.",
    Status.RESPONSE_SENT: "Open an action plan for the learning, or close the complaint.",
    Status.MONITORING_LEARNING: "It closes when the learning action plan is complete.",
}


# Who may do what ---------------------------------------------------------------------------


def can_view_complaints(user) -> bool:
    """Advisers investigate, QA managers oversee, senior managers scrutinise. Nobody else,
    and never a school or AP user."""
    return bool(user and user.is_authenticated) and (
        user.is_superuser or user_has_role(user, Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER)
    )


def can_work_on_complaints(user) -> bool:
    return bool(user and user.is_authenticated) and (
        user.is_superuser or user_has_role(user, Role.ADVISER, Role.QA_MANAGER)
    )


def can_sign_off(user) -> bool:
    return bool(user and user.is_authenticated) and (user.is_superuser or user_has_role(user, Role.QA_MANAGER))


def can_scrutinise(user) -> bool:
    return bool(user and user.is_authenticated) and (
        user.is_superuser or user_has_role(user, Role.SENIOR_MANAGER, Role.QA_MANAGER)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_worker(user) -> None:
    _require(can_work_on_complaints(user), "Only advisers and QA managers can change a complaint.")


def complaints_settings() -> ComplaintsSettings:
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return ComplaintsSettings.for_site(site)


# Timeline -----------------------------------------------------------------------------------


def _event(complaint, kind, user, summary, *, note="", changes=None) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=kind, user=user, summary=summary[:300], note=note, changes=changes or {}
    )


def _check_date(value: date, *, complaint: Complaint, today: date, what: str) -> None:
    if value > today:
        raise ValidationError(f"The date {what} must be today or in the past")
    if value < complaint.received_on:
        raise ValidationError(
            f"The date {what} must be on or after the date the complaint was received "
            f"({complaint.received_on:%-d %B %Y})"
        )


def _move(complaint: Complaint, to: str, *, user, summary: str, note: str = "") -> None:
    current = complaint.status
    if complaint.redacted_at:
        raise InvalidTransition("This complaint has been redacted and can no longer change.")
    if to not in TRANSITIONS[current]:
        hint = NEXT_STEP_HINT.get(current, "It is finished and cannot change.")
        raise InvalidTransition(
            f"A complaint that is '{Status(current).label.lower()}' cannot become '{Status(to).label.lower()}'. {hint}"
        )
    complaint.status = to
    complaint.status_changed_at = timezone.now()
    complaint.clock_due_on = clocks.current_due_on(complaint)
    complaint.save()
    _event(
        complaint,
        Kind.STATUS,
        user,
        summary,
        note=note,
        changes={"status": [Status(current).label, Status(to).label]},
    )
    log(complaint, "complaints.complaint.status", user=user, data={"from": current, "to": to})


def _lock(complaint: Complaint) -> Complaint:
    """Re-read under a row lock, so two advisers acting at once cannot both move it."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


# Logging a complaint ------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "setting",
    "received_on",
    "source",
    "source_reference",
    "received_via",
    "complainant_name",
    "complainant_contact",
    "summary",
    "severity",
    "assigned_adviser",
)


def _next_number(year: int) -> int:
    return (Complaint.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


def complaint_log(*, user, themes=(), today: date | None = None, **fields) -> Complaint:
    """Record a new complaint as received, with the targets in force today."""
    _require_worker(user)
    today = today or timezone.localdate()
    setting = fields["setting"]
    if not setting.is_open:
        raise ValidationError("This setting is closed. Complaints can only be logged for open settings")
    received_on = fields["received_on"]
    if received_on > today:
        raise ValidationError("The date received must be today or in the past")
    if not (fields.get("summary") or "").strip():
        raise ValidationError("Enter a summary of the complaint")
    targets = complaints_settings()
    complaint = Complaint(
        **{name: fields.get(name, Complaint._meta.get_field(name).get_default()) for name in EDITABLE_FIELDS},
        year=received_on.year,
        acknowledge_target_days=targets.acknowledge_within_days,
        respond_target_days=targets.respond_within_days,
    )
    clocks.refresh(complaint)
    # The reference is the year's next number; two people logging at once both retry.
    for _attempt in range(5):
        complaint.number = _next_number(complaint.year)
        complaint.reference = f"SC-{complaint.year}-{complaint.number:04d}"
        try:
            with transaction.atomic():
                complaint.save()
                break
        except IntegrityError:
            complaint.pk = None
            continue
    else:  # pragma: no cover - five collisions in a row
        raise ValidationError("The complaint could not be numbered; please try again")
    with transaction.atomic():
        complaint.themes.set(themes)
        _event(complaint, Kind.CREATED, user, f"Complaint logged ({complaint.get_source_display()})")
        log(complaint, "complaints.complaint.create", user=user, data={"source": complaint.source})
    return complaint


def _display(complaint: Complaint, name: str, value) -> str:
    if value in (None, ""):
        return ""
    field = Complaint._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def complaint_update(*, complaint: Complaint, user, themes=None, today: date | None = None, **fields) -> Complaint:
    """Correct or complete the details. Changes are listed in the timeline, but personal
    details are recorded only as 'changed' so the timeline never copies them."""
    _require_worker(user)
    today = today or timezone.localdate()
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.redacted_at:
            raise InvalidTransition("This complaint has been redacted and can no longer change.")
        if complaint.status in FINAL_STATUSES:
            raise InvalidTransition("A finished complaint cannot be changed.")
        changes = {}
        for name in EDITABLE_FIELDS:
            if name not in fields:
                continue
            new = fields[name]
            old = getattr(complaint, name)
            if old == new:
                continue
            if name == "setting" and not new.is_open:
                raise ValidationError("This setting is closed. Choose an open setting")
            if name == "received_on" and new > today:
                raise ValidationError("The date received must be today or in the past")
            if name in {"complainant_name", "complainant_contact", "summary"}:
                changes[name] = ["", "changed"]
            else:
                changes[name] = [_display(complaint, name, old), _display(complaint, name, new)]
            setattr(complaint, name, new)
        if "received_on" in changes:
            clocks.refresh(complaint)
            if complaint.status != Status.PAUSED:
                complaint.clock_due_on = clocks.current_due_on(complaint)
        if themes is not None:
            old_themes = sorted(t.name for t in complaint.themes.all())
            new_themes = sorted(t.name for t in themes)
            if old_themes != new_themes:
                complaint.themes.set(themes)
                changes["themes"] = [", ".join(old_themes), ", ".join(new_themes)]
        if not changes:
            return complaint
        complaint.save()
        labels = ", ".join(str(Complaint._meta.get_field(n).verbose_name) for n in changes)
        _event(complaint, Kind.EDITED, user, f"Changed: {labels}", changes=changes)
        log(complaint, "complaints.complaint.edit", user=user, data={"fields": sorted(changes)})
    return complaint


# The lifecycle -----------------------------------------------------------------------------


def complaint_acknowledge(*, complaint: Complaint, user, on: date, today: date | None = None) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_date(on, complaint=complaint, today=today, what="acknowledged")
        complaint.acknowledged_on = on
        late = on > complaint.acknowledge_due_on
        _move(
            complaint,
            Status.ACKNOWLEDGED,
            user=user,
            summary=f"Acknowledged on {on:%-d %B %Y}" + (" (after the target)" if late else ""),
        )
    return complaint


def complaint_start_investigation(*, complaint: Complaint, user) -> Complaint:
    _require_worker(user)
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.assigned_adviser_id is None and user_has_role(user, Role.ADVISER):
            complaint.assigned_adviser = user
        _move(complaint, Status.UNDER_INVESTIGATION, user=user, summary="Investigation started")
    return complaint


def complaint_pause(*, complaint: Complaint, user, on: date, reason: str, today: date | None = None) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Enter what information you are waiting for")
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_date(on, complaint=complaint, today=today, what="paused")
        complaint.paused_since = on
        summary = f"Paused on {on:%-d %B %Y}, awaiting information"
        _move(complaint, Status.PAUSED, user=user, summary=summary, note=reason)
        ComplaintPause.objects.create(complaint=complaint, paused_on=on, reason=reason)
    return complaint


def complaint_resume(*, complaint: Complaint, user, on: date, today: date | None = None) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.status != Status.PAUSED:
            raise InvalidTransition("Only a paused complaint can be resumed.")
        _check_date(on, complaint=complaint, today=today, what="resumed")
        if on < complaint.paused_since:
            raise ValidationError(
                f"The date resumed must be on or after the date it was paused ({complaint.paused_since:%-d %B %Y})"
            )
        pause = complaint.pauses.filter(resumed_on__isnull=True).order_by("-paused_on").first()
        days = clocks.working_days_between(complaint.paused_since, on)
        if pause is not None:
            pause.resumed_on = on
            pause.working_days = days
            pause.save(update_fields=["resumed_on", "working_days"])
        complaint.paused_working_days += days
        complaint.paused_since = None
        clocks.refresh(complaint)
        _move(
            complaint,
            Status.UNDER_INVESTIGATION,
            user=user,
            summary=f"Resumed on {on:%-d %B %Y} after {days} working day{'s' if days != 1 else ''} paused; "
            f"respond by {complaint.respond_due_on:%-d %B %Y}",
        )
    return complaint


def _close_open_pause(complaint: Complaint, on: date) -> None:
    if complaint.status == Status.PAUSED and complaint.paused_since:
        days = max(clocks.working_days_between(complaint.paused_since, on), 0)
        complaint.pauses.filter(resumed_on__isnull=True).update(resumed_on=on, working_days=days)
        complaint.paused_working_days += days
        complaint.paused_since = None


def complaint_withdraw(*, complaint: Complaint, user, on: date, reason: str, today: date | None = None) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Enter why the complaint was withdrawn")
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_date(on, complaint=complaint, today=today, what="withdrawn")
        if Status.WITHDRAWN not in TRANSITIONS[complaint.status]:
            raise InvalidTransition("Only a complaint still being investigated can be withdrawn.")
        _close_open_pause(complaint, on)
        complaint.closure_reason = reason
        complaint.closed_on = on
        _move(complaint, Status.WITHDRAWN, user=user, summary=f"Withdrawn on {on:%-d %B %Y}", note=reason)
    return complaint


def complaint_refer_on(
    *, complaint: Complaint, user, to: str, on: date, reason: str, today: date | None = None
) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    if to not in ReferredTo.values:
        raise ValidationError("Choose who the complaint was referred to")
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_date(on, complaint=complaint, today=today, what="referred")
        if Status.REFERRED not in TRANSITIONS[complaint.status]:
            raise InvalidTransition("Only a complaint still being investigated can be referred on.")
        _close_open_pause(complaint, on)
        complaint.referred_to = to
        complaint.closure_reason = (reason or "").strip()
        complaint.closed_on = on
        _move(
            complaint,
            Status.REFERRED,
            user=user,
            summary=f"Referred to {ReferredTo(to).label} on {on:%-d %B %Y}",
            note=complaint.closure_reason,
        )
    return complaint


def complaint_record_setting_notified(
    *, complaint: Complaint, user, on: date, whom: str, today: date | None = None
) -> Complaint:
    _require_worker(user)
    today = today or timezone.localdate()
    if whom not in NotifiedWhom.values:
        raise ValidationError("Choose who at the setting was told")
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.redacted_at:
            raise InvalidTransition("This complaint has been redacted and can no longer change.")
        _check_date(on, complaint=complaint, today=today, what="the setting was told")
        complaint.setting_notified_on = on
        complaint.setting_notified_whom = whom
        complaint.save(update_fields=["setting_notified_on", "setting_notified_whom", "updated_at"])
        _event(complaint, Kind.SETTING_NOTIFIED, user, f"{NotifiedWhom(whom).label} told on {on:%-d %B %Y}")
        log(complaint, "complaints.complaint.setting_notified", user=user, data={"whom": whom})
    return complaint


CONTACT_KINDS = {
    "complainant": (Kind.CONTACT_COMPLAINANT, "Contact with the complainant"),
    "setting": (Kind.CONTACT_SETTING, "Contact with the setting"),
    "note": (Kind.NOTE, "Case note"),
}


def complaint_add_note(*, complaint: Complaint, user, about: str, note: str) -> ComplaintEvent:
    _require_worker(user)
    note = (note or "").strip()
    if about not in CONTACT_KINDS:
        raise ValidationError("Choose what the note is about")
    if not note:
        raise ValidationError("Enter the note")
    if complaint.redacted_at:
        raise InvalidTransition("This complaint has been redacted and can no longer change.")
    kind, label = CONTACT_KINDS[about]
    with transaction.atomic():
        event = _event(complaint, kind, user, label, note=note)
        log(complaint, "complaints.complaint.note", user=user, data={"about": about})
    return event


def complaint_add_scrutiny_comment(*, complaint: Complaint, user, comment: str) -> ComplaintEvent:
    """The one thing a senior manager may add: a comment for the record."""
    _require(can_scrutinise(user), "Only senior managers and QA managers add scrutiny comments.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Enter your comment")
    with transaction.atomic():
        event = _event(complaint, Kind.SCRUTINY, user, "Scrutiny comment", note=comment)
        log(complaint, "complaints.complaint.scrutiny", user=user)
    return event


def complaint_set_legal_hold(*, complaint: Complaint, user, hold: bool, reason: str = "") -> Complaint:
    _require(can_sign_off(user), "Only QA managers place or lift a legal hold.")
    reason = (reason or "").strip()
    if hold and not reason:
        raise ValidationError("Enter why the complaint is on legal hold")
    with transaction.atomic():
        complaint = _lock(complaint)
        complaint.legal_hold = hold
        complaint.legal_hold_reason = reason if hold else ""
        complaint.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
        _event(complaint, Kind.LEGAL_HOLD, user, "Legal hold placed" if hold else "Legal hold lifted", note=reason)
        log(complaint, "complaints.complaint.legal_hold", user=user, data={"hold": hold})
    return complaint


def complaint_record_view(*, complaint: Complaint, user) -> None:
    """Every view of a complaint's detail is logged: who and when."""
    log(complaint, "complaints.complaint.view", user=user)


# The formal response ------------------------------------------------------------------------

RESPONSE_DRAFTING = frozenset({Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.PAUSED})


def response_initial_body(complaint: Complaint, *, findings: str = "", outcome: str = "") -> str:
    template = complaints_settings().response_template
    values = {
        "complainant": complaint.complainant_name or "Sir or Madam",
        "reference": complaint.reference,
        "setting": complaint.setting.name,
        "received_on": f"{complaint.received_on:%-d %B %Y}",
        "findings": findings or "[Set out your findings.]",
        "outcome": Outcome(outcome).label.lower() if outcome else "[upheld, partly upheld or not upheld]",
    }
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A template with a mistyped placeholder still gives the adviser something to edit.
        return template


def response_save(
    *,
    complaint: Complaint,
    user,
    findings: str,
    outcome: str,
    body: str,
    document=None,
    remove_document: bool = False,
) -> ComplaintResponse:
    """Write or replace the draft. Editing a signed-off response sends it back to draft: what
    is sent must be what was signed off."""
    _require_worker(user)
    if outcome and outcome not in Outcome.values:
        raise ValidationError("Choose an outcome")
    with transaction.atomic():
        complaint = _lock(complaint)
        if complaint.status not in RESPONSE_DRAFTING:
            raise InvalidTransition("The response can be written once the complaint is acknowledged, until it is sent.")
        response, created = ComplaintResponse.objects.get_or_create(complaint=complaint, defaults={"drafted_by": user})
        if response.status == ResponseStatus.SENT:
            raise InvalidTransition("The response has been sent and cannot change.")
        was = response.status
        response.findings = findings.strip()
        response.outcome = outcome
        response.body = body.strip()
        if document is not None:
            if response.document:
                response.document.delete(save=False)
            response.document = document
            response.document_name = getattr(document, "name", "")[:255]
        elif remove_document and response.document:
            response.document.delete(save=False)
            response.document = ""
            response.document_name = ""
        response.drafted_by = user
        response.status = ResponseStatus.DRAFT
        response.signed_off_by = None
        response.signed_off_at = None
        response.save()
        summary = "Response drafted" if created else "Response edited"
        if was in {ResponseStatus.SIGNED_OFF, ResponseStatus.AWAITING_SIGN_OFF}:
            summary += " (sign-off needed again)"
        _event(complaint, Kind.RESPONSE, user, summary)
        log(complaint, "complaints.response.save", user=user)
    return response


def response_submit(*, complaint: Complaint, user) -> ComplaintResponse:
    _require_worker(user)
    with transaction.atomic():
        complaint = _lock(complaint)
        response = ComplaintResponse.objects.select_for_update().filter(complaint=complaint).first()
        if response is None or response.status != ResponseStatus.DRAFT:
            raise InvalidTransition("Only a draft response can be sent for sign-off.")
        problems = []
        if not response.outcome:
            problems.append("Choose the outcome")
        if not response.findings:
            problems.append("Enter the findings")
        if not (response.body or response.document):
            problems.append("Write the response or upload it")
        if problems:
            raise ValidationError(problems)
        response.status = ResponseStatus.AWAITING_SIGN_OFF
        response.submitted_at = timezone.now()
        response.returned_comment = ""
        response.save()
        _event(complaint, Kind.RESPONSE, user, "Response sent to a QA manager for sign-off")
        log(complaint, "complaints.response.submit", user=user)
    return response


def response_sign_off(*, complaint: Complaint, user) -> ComplaintResponse:
    _require(can_sign_off(user), "Only a QA manager can sign off a response.")
    with transaction.atomic():
        complaint = _lock(complaint)
        response = ComplaintResponse.objects.select_for_update().filter(complaint=complaint).first()
        if response is None or response.status != ResponseStatus.AWAITING_SIGN_OFF:
            raise InvalidTransition("Only a response awaiting sign-off can be signed off.")
        if response.drafted_by_id == user.pk:
            raise PermissionDenied("Someone other than the author must sign off a response.")
        response.status = ResponseStatus.SIGNED_OFF
        response.signed_off_by = user
        response.signed_off_at = timezone.now()
        response.save()
        _event(complaint, Kind.RESPONSE, user, "Response signed off")
        log(complaint, "complaints.response.sign_off", user=user)
    return response


def response_return(*, complaint: Complaint, user, comment: str) -> ComplaintResponse:
    _require(can_sign_off(user), "Only a QA manager can return a response.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("Enter what needs to change")
    with transaction.atomic():
        complaint = _lock(complaint)
        response = ComplaintResponse.objects.select_for_update().filter(complaint=complaint).first()
        if response is None or response.status != ResponseStatus.AWAITING_SIGN_OFF:
            raise InvalidTransition("Only a response awaiting sign-off can be returned.")
        response.status = ResponseStatus.DRAFT
        response.returned_comment = comment
        response.save()
        _event(complaint, Kind.RESPONSE, user, "Response returned for changes", note=comment)
        log(complaint, "complaints.response.return", user=user)
    return response


def response_mark_sent(*, complaint: Complaint, user, on: date, today: date | None = None) -> Complaint:
    """Record the signed-off response as sent: the clock stops and the outcome is recorded."""
    _require_worker(user)
    today = today or timezone.localdate()
    with transaction.atomic():
        complaint = _lock(complaint)
        response = ComplaintResponse.objects.select_for_update().filter(complaint=complaint).first()
        if response is None or response.status != ResponseStatus.SIGNED_OFF:
            raise InvalidTransition("A QA manager must sign off the response before it is recorded as sent.")
        if complaint.status == Status.PAUSED:
            raise InvalidTransition("Resume the investigation before recording the response as sent.")
        _check_date(on, complaint=complaint, today=today, what="sent")
        if on < timezone.localdate(response.signed_off_at):
            raise ValidationError("The date sent must be on or after the date the response was signed off")
        complaint.response_sent_on = on
        complaint.outcome = response.outcome
        complaint.response_working_days = clocks.response_working_days(complaint, on)
        _move(
            complaint,
            Status.RESPONSE_SENT,
            user=user,
            summary=f"Response sent on {on:%-d %B %Y}: {Outcome(response.outcome).label.lower()}",
        )
        response.status = ResponseStatus.SENT
        response.save(update_fields=["status", "updated_at"])
    return complaint


# Learning and closure -----------------------------------------------------------------------


def learning_plan_open(*, complaint: Complaint, user, title: str) -> ActionPlan:
    """Learning identified: an action plan (source: complaint) for the setting. The plan
    carries the reference only; the setting never sees the complainant or the complaint."""
    _require_worker(user)
    with transaction.atomic():
        complaint = _lock(complaint)
        if Status.MONITORING_LEARNING not in TRANSITIONS[complaint.status]:
            raise InvalidTransition("Open the learning plan once the response has been sent.")
        plan = services_plans.plan_create(
            user=user,
            setting=complaint.setting,
            source=ActionPlan.Source.COMPLAINT,
            title=title,
            source_reference=complaint.reference,
        )
        complaint.learning_identified = True
        complaint.learning_plan = plan
        _move(complaint, Status.MONITORING_LEARNING, user=user, summary="Learning identified: action plan opened")
        _event(complaint, Kind.LEARNING, user, f"Action plan: {plan.title}")
    return plan


def complaint_close(*, complaint: Complaint, user, on: date | None = None, today: date | None = None) -> Complaint:
    """Close with no learning identified, or once the learning plan is complete."""
    _require_worker(user)
    today = today or timezone.localdate()
    on = on or today
    with transaction.atomic():
        complaint = _lock(complaint)
        _check_date(on, complaint=complaint, today=today, what="closed")
        if complaint.status == Status.MONITORING_LEARNING:
            plan = complaint.learning_plan
            if plan is not None and plan.status not in {ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED}:
                raise InvalidTransition("The learning action plan is not complete yet.")
            summary = "Closed: learning plan complete"
        else:
            if complaint.status == Status.RESPONSE_SENT:
                complaint.learning_identified = False
            summary = "Closed: no learning identified"
        complaint.closed_on = on
        _move(complaint, Status.CLOSED, user=user, summary=summary)
    return complaint


def complaints_close_for_completed_plan(*, plan: ActionPlan, user) -> list[Complaint]:
    """Called when a plan completes (schools' signal): complaints monitoring it close."""
    closed = []
    for complaint in Complaint.objects.filter(learning_plan=plan, status=Status.MONITORING_LEARNING):
        complaint.closed_on = timezone.localdate()
        _move(complaint, Status.CLOSED, user=user, summary="Closed: learning plan complete")
        closed.append(complaint)
    return closed
