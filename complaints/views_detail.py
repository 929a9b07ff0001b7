"""The complaint pages: log a complaint, its detail page with the timeline, every action on it,
its details form and the formal response. Reads through `complaints.selectors`, changes only
through `complaints.services`; who may do what is decided there and in `complaints.access`.

Two choices made here:
- The complainant's name and contact details, and the response letter addressed to them (its
  text and any uploaded document), are shown only to the people who work on complaints
  (advisers and QA managers). Senior managers scrutinise the case (status, clocks, findings,
  outcome, timeline) without the complainant's identity: the least personal data they need.
- The timeline is shown newest first, so the latest step is the first thing read.
"""

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from portal.permissions import user_has_role
from portal.roles import Role
from schools.models import ActionPlan

from . import clocks, services
from .access import complaints_view_required, complaints_work_required
from .forms import (
    AcknowledgeForm,
    CloseForm,
    ComplaintForm,
    ConfirmForm,
    LearningPlanForm,
    LegalHoldForm,
    MarkSentForm,
    NoteForm,
    PauseForm,
    ReferOnForm,
    ResponseForm,
    ResumeForm,
    ReturnResponseForm,
    ScrutinyForm,
    SettingNotifiedForm,
    WithdrawForm,
)
from .models import FINAL_STATUSES, Complaint, ComplaintResponse, Severity, Status
from .selectors import complaints_visible_to

ResponseStatus = ComplaintResponse.Status

# GOV.UK tag colours for the status; the text is always shown, so colour is never the only signal.
STATUS_TAG_CLASSES = {
    Status.RECEIVED: "govuk-tag--blue",
    Status.ACKNOWLEDGED: "govuk-tag--light-blue",
    Status.UNDER_INVESTIGATION: "govuk-tag--purple",
    Status.PAUSED: "govuk-tag--grey",
    Status.RESPONSE_SENT: "govuk-tag--turquoise",
    Status.MONITORING_LEARNING: "govuk-tag--yellow",
    Status.CLOSED: "govuk-tag--green",
    Status.WITHDRAWN: "govuk-tag--grey",
    Status.REFERRED: "govuk-tag--grey",
}
RESPONSE_TAG_CLASSES = {
    ResponseStatus.DRAFT: "govuk-tag--grey",
    ResponseStatus.AWAITING_SIGN_OFF: "govuk-tag--orange",
    ResponseStatus.SIGNED_OFF: "govuk-tag--green",
    ResponseStatus.SENT: "govuk-tag--turquoise",
}
STILL_OPEN_TO_WITHDRAW = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.PAUSED})
# response_submit's problems, and the field each belongs to (others go at the top of the form).
SUBMIT_PROBLEM_FIELDS = {
    "Choose the outcome": "outcome",
    "Enter the findings": "findings",
    "Write the response or upload it": "body",
}


def can_see_complainant(user) -> bool:
    """The complainant's identity: for the people who work on complaints, not for scrutiny."""
    return services.can_work_on_complaints(user)


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(
        complaints_visible_to(request.user).select_related("setting", "assigned_adviser", "learning_plan"), pk=pk
    )


def _response(complaint: Complaint) -> ComplaintResponse | None:
    return ComplaintResponse.objects.select_related("drafted_by", "signed_off_by").filter(complaint=complaint).first()


def _post(request):
    return request.POST if request.method == "POST" else None


# The actions on the detail page ---------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """What an action needs to know to decide whether to offer itself."""

    complaint: Complaint
    response: ComplaintResponse | None
    user: object

    @property
    def works(self) -> bool:
        return services.can_work_on_complaints(self.user)

    @property
    def status(self) -> str:
        return self.complaint.status

    @property
    def awaiting_someone_elses_sign_off(self) -> bool:
        response = self.response
        return (
            services.can_sign_off(self.user)
            and response is not None
            and response.status == ResponseStatus.AWAITING_SIGN_OFF
            and response.drafted_by_id != self.user.pk
        )


@dataclass(frozen=True)
class ComplaintAction:
    slug: str
    title: str
    button: str
    form_class: type[forms.Form]
    allowed: Callable[[object], bool]  # the role that may do it: anyone else gets 403
    offered: Callable[[Situation], bool]  # whether the page offers it now (the service decides)
    run: Callable[..., str]  # does it through the service; returns the success message
    description: str = ""
    warning: bool = False

    @property
    def is_button_only(self) -> bool:
        return not self.form_class.base_fields


def _long(day) -> str:
    return f"{day:%-d %B %Y}"


def _acknowledge(*, complaint, user, data) -> str:
    services.complaint_acknowledge(complaint=complaint, user=user, on=data["on"])
    return f"Acknowledgement recorded for {complaint.reference}"


def _start(*, complaint, user, data) -> str:
    services.complaint_start_investigation(complaint=complaint, user=user)
    return f"Investigation of {complaint.reference} started"


def _pause(*, complaint, user, data) -> str:
    services.complaint_pause(complaint=complaint, user=user, on=data["on"], reason=data["reason"])
    return f"{complaint.reference} paused: the clock has stopped"


def _resume(*, complaint, user, data) -> str:
    complaint = services.complaint_resume(complaint=complaint, user=user, on=data["on"])
    return f"{complaint.reference} resumed: respond by {_long(complaint.respond_due_on)}"


def _setting_notified(*, complaint, user, data) -> str:
    services.complaint_record_setting_notified(complaint=complaint, user=user, on=data["on"], whom=data["whom"])
    return "Recorded that the setting was told"


def _note(*, complaint, user, data) -> str:
    services.complaint_add_note(complaint=complaint, user=user, about=data["about"], note=data["note"])
    return "Note added to the timeline"


def _withdraw(*, complaint, user, data) -> str:
    services.complaint_withdraw(complaint=complaint, user=user, on=data["on"], reason=data["reason"])
    return f"{complaint.reference} recorded as withdrawn"


def _refer_on(*, complaint, user, data) -> str:
    services.complaint_refer_on(complaint=complaint, user=user, to=data["to"], on=data["on"], reason=data["reason"])
    return f"{complaint.reference} recorded as referred on"


def _close(*, complaint, user, data) -> str:
    services.complaint_close(complaint=complaint, user=user, on=data["on"])
    return f"{complaint.reference} closed"


def _learning_plan(*, complaint, user, data) -> str:
    plan = services.learning_plan_open(complaint=complaint, user=user, title=data["title"])
    return f"Action plan ‘{plan.title}’ opened for the learning. Add its actions, then share it with the setting"


def _scrutiny(*, complaint, user, data) -> str:
    services.complaint_add_scrutiny_comment(complaint=complaint, user=user, comment=data["comment"])
    return "Scrutiny comment added"


def _place_hold(*, complaint, user, data) -> str:
    services.complaint_set_legal_hold(complaint=complaint, user=user, hold=True, reason=data["reason"])
    return "Legal hold placed: the personal details will not be redacted while it is in place"


def _lift_hold(*, complaint, user, data) -> str:
    services.complaint_set_legal_hold(complaint=complaint, user=user, hold=False)
    return "Legal hold lifted"


def _sign_off(*, complaint, user, data) -> str:
    services.response_sign_off(complaint=complaint, user=user)
    return "Response signed off. It can now be sent and recorded as sent"


def _return_response(*, complaint, user, data) -> str:
    services.response_return(complaint=complaint, user=user, comment=data["comment"])
    return "Response returned for changes"


def _mark_sent(*, complaint, user, data) -> str:
    services.response_mark_sent(complaint=complaint, user=user, on=data["on"])
    return "Response recorded as sent: the clock has stopped"


def _plan_finished(complaint: Complaint) -> bool:
    plan = complaint.learning_plan
    return plan is None or plan.status in {ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED}


_work = services.can_work_on_complaints

ACTIONS: dict[str, ComplaintAction] = {
    action.slug: action
    for action in [
        ComplaintAction(
            "acknowledge",
            "Record acknowledgement",
            "Record acknowledgement",
            AcknowledgeForm,
            _work,
            lambda s: s.works and s.status == Status.RECEIVED,
            _acknowledge,
        ),
        ComplaintAction(
            "start-investigation",
            "Start investigation",
            "Start investigation",
            ConfirmForm,
            _work,
            lambda s: s.works and s.status == Status.ACKNOWLEDGED,
            _start,
        ),
        ComplaintAction(
            "mark-sent",
            "Record response as sent",
            "Record response as sent",
            MarkSentForm,
            _work,
            lambda s: (
                s.works
                and s.status == Status.UNDER_INVESTIGATION
                and s.response is not None
                and s.response.status == ResponseStatus.SIGNED_OFF
            ),
            _mark_sent,
            description="This stops the clock and records the outcome.",
        ),
        ComplaintAction(
            "sign-off",
            "Sign off the response",
            "Sign off the response",
            ConfirmForm,
            services.can_sign_off,
            lambda s: s.awaiting_someone_elses_sign_off,
            _sign_off,
            description="Read the response below first. Once signed off, it can be sent.",
        ),
        ComplaintAction(
            "return-response",
            "Return the response for changes",
            "Return for changes",
            ReturnResponseForm,
            services.can_sign_off,
            lambda s: s.awaiting_someone_elses_sign_off,
            _return_response,
            warning=True,
        ),
        ComplaintAction(
            "pause",
            "Pause",
            "Pause the investigation",
            PauseForm,
            _work,
            lambda s: s.works and s.status == Status.UNDER_INVESTIGATION,
            _pause,
        ),
        ComplaintAction(
            "resume",
            "Resume",
            "Resume the investigation",
            ResumeForm,
            _work,
            lambda s: s.works and s.status == Status.PAUSED,
            _resume,
            description="The respond-by date moves later by the working days spent paused.",
        ),
        ComplaintAction(
            "learning-plan",
            "Open an action plan for the learning",
            "Open the action plan",
            LearningPlanForm,
            _work,
            lambda s: s.works and s.status == Status.RESPONSE_SENT,
            _learning_plan,
            description="The complaint stays open, monitoring the learning, until the plan is complete.",
        ),
        ComplaintAction(
            "close",
            "Close",
            "Close the complaint",
            CloseForm,
            _work,
            lambda s: (
                s.works
                and (
                    s.status == Status.RESPONSE_SENT
                    or (s.status == Status.MONITORING_LEARNING and _plan_finished(s.complaint))
                )
            ),
            _close,
            description="Close with no learning identified, or once the learning plan is complete.",
        ),
        ComplaintAction(
            "setting-notified",
            "Record that the setting was told",
            "Record that the setting was told",
            SettingNotifiedForm,
            _work,
            lambda s: s.works and not s.complaint.is_redacted,
            _setting_notified,
        ),
        ComplaintAction(
            "note",
            "Add a note",
            "Add the note",
            NoteForm,
            _work,
            lambda s: s.works and not s.complaint.is_redacted,
            _note,
            description="A note of contact with the complainant or the setting, or a case note.",
        ),
        ComplaintAction(
            "withdraw",
            "Withdraw",
            "Record as withdrawn",
            WithdrawForm,
            _work,
            lambda s: s.works and s.status in STILL_OPEN_TO_WITHDRAW,
            _withdraw,
            warning=True,
        ),
        ComplaintAction(
            "refer-on",
            "Refer on",
            "Record as referred on",
            ReferOnForm,
            _work,
            lambda s: s.works and s.status in STILL_OPEN_TO_WITHDRAW,
            _refer_on,
            warning=True,
        ),
        ComplaintAction(
            "scrutiny",
            "Add a scrutiny comment",
            "Add the comment",
            ScrutinyForm,
            services.can_scrutinise,
            lambda s: services.can_scrutinise(s.user),
            _scrutiny,
        ),
        ComplaintAction(
            "place-legal-hold",
            "Place a legal hold",
            "Place a legal hold",
            LegalHoldForm,
            services.can_sign_off,
            lambda s: services.can_sign_off(s.user) and not s.complaint.legal_hold,
            _place_hold,
        ),
        ComplaintAction(
            "lift-legal-hold",
            "Lift the legal hold",
            "Lift the legal hold",
            ConfirmForm,
            services.can_sign_off,
            lambda s: services.can_sign_off(s.user) and s.complaint.legal_hold,
            _lift_hold,
            warning=True,
        ),
    ]
}


# The detail page ------------------------------------------------------------------------------


def _change_label(name: str) -> str:
    try:
        return str(Complaint._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _timeline(complaint: Complaint) -> list:
    events = list(complaint.events.select_related("user").order_by("-at", "-pk"))
    for event in events:
        event.change_lines = [
            (_change_label(name), *(list(values) + ["", ""])[:2]) for name, values in (event.changes or {}).items()
        ]
    return events


def _render_detail(request, complaint: Complaint, *, failed: tuple[str, forms.Form] | None = None):
    """The detail page; `failed` is the action form that did not go through, shown bound."""
    # Every showing of the complaint is logged, including after an action that did not go through.
    services.complaint_record_view(complaint=complaint, user=request.user)
    today = timezone.localdate()
    targets = services.complaints_settings()
    response = _response(complaint)
    situation = Situation(complaint=complaint, response=response, user=request.user)
    actions = []
    for action in ACTIONS.values():
        if failed is not None and failed[0] == action.slug:
            actions.append({"action": action, "form": failed[1], "failed": True})
        elif action.offered(situation):
            actions.append({"action": action, "form": action.form_class(prefix=action.slug), "failed": False})
    works = services.can_work_on_complaints(request.user)
    context = {
        "complaint": complaint,
        "status_tag_class": STATUS_TAG_CLASSES.get(complaint.status, ""),
        "clock": clocks.summary(complaint, today, targets.due_soon_days),
        "clock_due_label": "to acknowledge" if complaint.status == Status.RECEIVED else "to send the response",
        "pauses": list(complaint.pauses.all()),
        "themes": list(complaint.themes.all()),
        "events": _timeline(complaint),
        "response": response,
        "response_tag_class": RESPONSE_TAG_CLASSES.get(response.status, "") if response else "",
        "actions": actions,
        "can_see_complainant": can_see_complainant(request.user),
        "can_edit": works and complaint.status not in FINAL_STATUSES and not complaint.is_redacted,
        "can_write_response": works
        and complaint.status in services.RESPONSE_DRAFTING
        and (response is None or response.status != ResponseStatus.SENT),
        "form": failed[1] if failed is not None else None,
    }
    if services.can_sign_off(request.user):
        # QA managers can see who has looked at the record (every view is logged).
        viewed = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id=str(complaint.pk),
            action="complaints.complaint.view",
        )
        context["views_total"] = viewed.count()
        context["views"] = list(viewed.select_related("user").order_by("-timestamp")[:20])
    return render(request, "complaints/complaint_detail.html", context)


@complaints_view_required
def complaint_detail(request, pk: int):
    return _render_detail(request, _complaint(request, pk))


@complaints_view_required
@require_POST
def complaint_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action")
    complaint = _complaint(request, pk)
    if not spec.allowed(request.user):
        raise PermissionDenied
    form = spec.form_class(request.POST, prefix=spec.slug)
    if form.is_valid():
        try:
            message = spec.run(complaint=complaint, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("complaints:complaint_detail", complaint.pk)
    return _render_detail(request, complaint, failed=(spec.slug, form))


# Logging and editing ---------------------------------------------------------------------------


@complaints_work_required
def complaint_new(request):
    initial = {"severity": Severity.MEDIUM}
    if (setting_pk := request.GET.get("setting", "").strip()).isdigit():
        initial["setting"] = int(setting_pk)
    if user_has_role(request.user, Role.ADVISER):
        initial["assigned_adviser"] = request.user.pk
    form = ComplaintForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_log(
                user=request.user, themes=form.cleaned_data["themes"], **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Complaint {complaint.reference} logged")
            return redirect("complaints:complaint_detail", complaint.pk)
    return render(request, "complaints/complaint_new.html", {"form": form})


@complaints_work_required
def complaint_edit(request, pk: int):
    complaint = _complaint(request, pk)
    if complaint.status in FINAL_STATUSES or complaint.is_redacted:
        messages.error(request, "A finished or redacted complaint cannot be changed.")
        return redirect("complaints:complaint_detail", complaint.pk)
    form = ComplaintForm(_post(request), initial=ComplaintForm.initial_for(complaint), complaint=complaint)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_update(
                complaint=complaint, user=request.user, themes=form.cleaned_data["themes"], **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Details of {complaint.reference} saved")
            return redirect("complaints:complaint_detail", complaint.pk)
    return render(request, "complaints/complaint_edit.html", {"form": form, "complaint": complaint})


# The formal response ---------------------------------------------------------------------------


@complaints_work_required
def complaint_response(request, pk: int):
    complaint = _complaint(request, pk)
    response = _response(complaint)
    if complaint.status not in services.RESPONSE_DRAFTING or (
        response is not None and response.status == ResponseStatus.SENT
    ):
        messages.error(request, "The response can be written once the complaint is acknowledged, until it is sent.")
        return redirect("complaints:complaint_detail", complaint.pk)
    if response is None:
        initial = {"body": services.response_initial_body(complaint)}
    else:
        initial = {"findings": response.findings, "outcome": response.outcome, "body": response.body}
    form = ResponseForm(
        _post(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        has_document=bool(response and response.document),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submitting = request.POST.get("then") == "submit"
        saved = False
        try:
            response = services.response_save(
                complaint=complaint,
                user=request.user,
                findings=data["findings"],
                outcome=data["outcome"],
                body=data["body"],
                document=data["document"] or None,
                remove_document=data.get("remove_document", False),
            )
            saved = True
            if submitting:
                services.response_submit(complaint=complaint, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(SUBMIT_PROBLEM_FIELDS.get(message) if saved else None, message)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if submitting:
                messages.success(request, "Response sent to a QA manager for sign-off")
            else:
                messages.success(request, "Draft response saved")
            return redirect("complaints:complaint_detail", complaint.pk)
        if saved:
            messages.warning(request, "Your draft was saved, but it cannot be sent for sign-off yet.")
            response = _response(complaint)
    return render(
        request,
        "complaints/complaint_response.html",
        {
            "complaint": complaint,
            "response": response,
            "form": form,
            "response_tag_class": RESPONSE_TAG_CLASSES.get(response.status, "") if response else "",
        },
    )


@complaints_view_required
def complaint_response_document(request, pk: int):
    complaint = _complaint(request, pk)
    if not can_see_complainant(request.user):
        raise PermissionDenied
    response = get_object_or_404(ComplaintResponse, complaint=complaint)
    if not response.document:
        raise Http404("No document")
    stored_suffix = response.document.name.rsplit(".", 1)[-1] if "." in response.document.name else "bin"
    name = response.document_name or f"response-{complaint.reference}.{stored_suffix}"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # Reading the letter is reading the complaint: logged as a view.
    services.complaint_record_view(complaint=complaint, user=request.user)
    download = FileResponse(response.document.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    download["X-Content-Type-Options"] = "nosniff"
    download["Cache-Control"] = "private, no-store"
    return download
