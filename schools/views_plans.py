"""Action plan pages for advisers and for the setting. Access from schools.selectors;
every change through schools.services_plans."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.permissions import role_required
from portal.roles import Role
from schools import services_plans as plans
from schools.action_rag import action_rag
from schools.forms import (
    ActionForm,
    AgreePlanForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReasonForm,
)
from schools.models import ActionEvidence, ActionPlan, ExtensionRequest
from schools.selectors import actions_visible_to, plans_visible_to, returns_visible_to


def _post(request):
    return request.POST if request.method == "POST" else None


def _with_rag(actions, plan: ActionPlan, today):
    for action in actions:
        action.rag = action_rag(action, today, started_on=plan.agreed_on)
    return actions


@role_required()
def plan_list(request):
    qs = (
        plans_visible_to(request.user)
        .select_related("setting", "lead")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=["not_started", "in_progress", "completed"])),
            total_actions=Count("actions"),
        )
    )
    status = request.GET.get("status")
    if status in ActionPlan.Status.values:
        qs = qs.filter(status=status)
    source = request.GET.get("source")
    if source in ActionPlan.Source.values:
        qs = qs.filter(source=source)
    page = Paginator(qs.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/plan_list.html",
        {
            "page": page,
            "plans": page.object_list,
            "status": status,
            "source": source,
            "statuses": ActionPlan.Status.choices,
            "sources": ActionPlan.Source.choices,
        },
    )


@require_POST
@role_required()
def plan_create_from_return_view(request, pk: int):
    audit_return = get_object_or_404(returns_visible_to(request.user), pk=pk)
    try:
        plan = plans.plan_create_from_return(audit_return=audit_return, user=request.user)
    except plans.InvalidTransition as error:
        messages.error(request, str(error))
        return redirect("schools:return_review", audit_return.pk)
    messages.success(request, f"Draft plan with {plan.actions.count()} proposed actions. Edit it, then share it.")
    return redirect("schools:plan_detail", plan.pk)


@role_required()
def plan_detail(request, pk: int):
    plan = get_object_or_404(plans_visible_to(request.user).select_related("setting", "lead", "source_return"), pk=pk)
    today = timezone.localdate()
    actions = _with_rag(
        list(
            plan.actions.select_related("theme").prefetch_related(
                Prefetch(
                    "extension_requests",
                    queryset=ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING),
                    to_attr="pending_extensions",
                )
            )
        ),
        plan,
        today,
    )
    can_manage = plans.can_manage_plan(request.user, plan)
    is_member = plans.is_plan_member(request.user, plan)
    agree_form = AgreePlanForm(_post(request) if request.POST.get("action") == "agree" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "share" and can_manage:
                plans.plan_share(plan=plan, user=request.user)
                messages.success(request, "Plan shared with the setting for agreement")
                return redirect("schools:plan_detail", plan.pk)
            if action == "agree" and is_member and agree_form.is_valid():
                plans.plan_agree(plan=plan, user=request.user, agreed_with=agree_form.cleaned_data["agreed_with"])
                messages.success(request, "Plan agreed")
                return redirect("schools:plan_detail", plan.pk)
            if action == "close" and can_manage:
                plans.plan_close(plan=plan, user=request.user)
                messages.success(request, "Plan closed")
                return redirect("schools:plan_detail", plan.pk)
            if action not in {"share", "agree", "close"} or (action != "agree" and not can_manage):
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("schools:plan_detail", plan.pk)
        except plans.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:plan_detail", plan.pk)
    return render(
        request,
        "schools/plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "can_manage": can_manage,
            "is_member": is_member,
            "form": agree_form if agree_form.is_bound else None,
            "agree_form": agree_form,
            "editable": can_manage and plan.status not in {ActionPlan.Status.COMPLETE, ActionPlan.Status.CLOSED},
        },
    )


@role_required()
def action_edit(request, plan_pk: int, pk: int | None = None):
    plan = get_object_or_404(plans_visible_to(request.user), pk=plan_pk)
    if not plans.can_manage_plan(request.user, plan):
        raise PermissionDenied
    action = get_object_or_404(plan.actions, pk=pk) if pk else None
    initial = {}
    if action:
        initial = {
            "description": action.description,
            "theme": action.theme_id,
            "owner_name": action.owner_name,
            "owner_role": action.owner_role,
            "due_on": action.due_on,
        }
    form = ActionForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.action_save(plan=plan, user=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("due_on", error)
        except plans.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:plan_detail", plan.pk)
        else:
            messages.success(request, "Action saved")
            return redirect("schools:plan_detail", plan.pk)
    return render(request, "schools/action_form.html", {"plan": plan, "action": action, "form": form})


@role_required()
def action_detail(request, pk: int):
    action = get_object_or_404(
        actions_visible_to(request.user).select_related("plan__setting", "plan__lead", "theme"), pk=pk
    )
    plan = action.plan
    today = timezone.localdate()
    action.rag = action_rag(action, today, started_on=plan.agreed_on)
    can_manage = plans.can_manage_plan(request.user, plan)
    is_member = plans.is_plan_member(request.user, plan)
    which = request.POST.get("form") if request.method == "POST" else None
    forms = {
        "progress": ProgressForm(_post(request) if which == "progress" else None, request.FILES or None),
        "extension": ExtensionRequestForm(_post(request) if which == "extension" else None),
        "decision": ExtensionDecisionForm(_post(request) if which == "decision" else None),
        "send_back": ReasonForm(_post(request) if which == "send_back" else None, prefix="send_back"),
        "cancel": ReasonForm(_post(request) if which == "cancel" else None, prefix="cancel"),
    }
    if request.method == "POST":
        if which in {"progress", "extension"} and not is_member:
            raise PermissionDenied
        if which in {"decision", "send_back", "cancel", "verify"} and not can_manage:
            raise PermissionDenied
        if which not in {*forms, "verify"}:
            raise PermissionDenied
        try:
            done = _handle_action_post(request, action, which, forms)
        except plans.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:action_detail", action.pk)
        if done:
            return redirect("schools:action_detail", action.pk)
    bound = next((f for f in forms.values() if f.is_bound and f.errors), None)
    pending = action.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
    return render(
        request,
        "schools/action_detail.html",
        {
            "action": action,
            "plan": plan,
            "notes": action.notes.select_related("author"),
            "evidence": action.evidence_files.all(),
            "extensions": action.extension_requests.select_related("requested_by", "decided_by"),
            "pending": pending,
            "can_manage": can_manage,
            "is_member": is_member,
            "work_open": plan.status in {ActionPlan.Status.AGREED, ActionPlan.Status.IN_PROGRESS},
            "forms": forms,
            "form": bound,  # for the page's error summary
        },
    )


def _handle_action_post(request, action, which, forms) -> bool:
    """Apply one of the action page's forms. True when it succeeded (redirect)."""
    form = forms.get(which)
    if which == "verify":
        plans.action_verify(action=action, user=request.user)
        messages.success(request, "Action verified")
        return True
    if not form.is_valid():
        return False
    try:
        if which == "progress":
            plans.action_record_progress(
                action=action,
                user=request.user,
                note=form.cleaned_data["note"],
                completed=form.cleaned_data["completed"],
            )
            if form.cleaned_data.get("evidence"):
                plans.action_add_evidence(action=action, user=request.user, uploaded=form.cleaned_data["evidence"])
            messages.success(request, "Progress saved")
        elif which == "extension":
            plans.extension_request(
                action=action,
                user=request.user,
                new_due_on=form.cleaned_data["new_due_on"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Extension requested")
        elif which == "decision":
            pending = action.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
            if pending is None:
                raise plans.InvalidTransition("There is no request waiting for a decision.")
            plans.extension_decide(
                request=pending,
                user=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Decision recorded")
        elif which == "send_back":
            plans.action_send_back(action=action, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, "Action sent back to the setting")
        elif which == "cancel":
            plans.action_cancel(action=action, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, "Action cancelled")
    except ValidationError as error:
        field = {"progress": "evidence", "extension": "new_due_on"}.get(which)
        form.add_error(field, error)
        return False
    return True


@role_required()
def action_evidence_download(request, pk: int):
    evidence = get_object_or_404(ActionEvidence, pk=pk, action__in=actions_visible_to(request.user).values("pk"))
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER)
def risk_list_view(request):
    from schools.risk import WEIGHTS, risk_list, risk_part_sources

    rows = risk_list(today=timezone.localdate())
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/risk_list.html",
        {"page": page, "rows": page.object_list, "weights": WEIGHTS, "extra_rules": risk_part_sources()},
    )
