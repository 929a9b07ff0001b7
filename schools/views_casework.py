"""Casework pages: visits, Ofsted support offers, managing allegations meetings and CSPR
learning. Advisers and QA managers only, except the read-only list of a setting's visits for
the people at it. Access from schools.selectors_casework; every change through
schools.services_casework."""

import io
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify

from portal.permissions import role_required
from schools import services_casework as casework
from schools.forms_casework import (
    AllegationsMeetingForm,
    PlanFromLinesForm,
    PracticeReviewForm,
    PracticeReviewPlansForm,
    SupportOfferMakeForm,
    SupportOfferResponseForm,
    VisitCancelForm,
    VisitPlanForm,
    VisitRecordForm,
    uk_date,
)
from schools.models import ActionPlan, PracticeReview, SupportOffer, Visit
from schools.selectors_casework import (
    CASEWORK_STAFF,
    VISIT_FILTERS,
    allegations_meetings_visible_to,
    is_casework_staff,
    long_date,
    practice_review_settings,
    practice_reviews_visible_to,
    repeat_issue_settings,
    support_offers_for_list,
    support_offers_visible_to,
    visits_filter,
    visits_visible_to,
)

PER_PAGE = 25
staff_only = role_required(*CASEWORK_STAFF)


def _post(request, form_name: str | None = None):
    """The POST data when this request submits the named form (or any form, with no name)."""
    if request.method != "POST":
        return None
    if form_name is not None and request.POST.get("form") != form_name:
        return None
    return request.POST


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


# Visits --------------------------------------------------------------------------------------


@staff_only
def visit_list(request):
    show = request.GET.get("show")
    show = show if show in VISIT_FILTERS else None
    visits = visits_filter(
        visits_visible_to(request.user).select_related("setting", "adviser"), show, timezone.localdate()
    )
    page = _page(request, visits)
    return render(
        request,
        "schools/casework/visit_list.html",
        {"page": page, "visits": page.object_list, "show": show, "filters": VISIT_FILTERS.items()},
    )


@role_required()
def my_visits(request):
    """The read-only list of visits to the user's settings."""
    if is_casework_staff(request.user):
        return redirect("schools:visit_list")
    visits = visits_filter(
        visits_visible_to(request.user).select_related("setting", "adviser"), None, timezone.localdate()
    )
    page = _page(request, visits)
    return render(request, "schools/casework/my_visits.html", {"page": page, "visits": page.object_list})


@staff_only
def visit_plan(request):
    offer = None
    initial = {"adviser": request.user.pk}
    if (offer_pk := request.GET.get("offer", "").strip()).isdigit():
        offer = get_object_or_404(support_offers_visible_to(request.user).select_related("setting"), pk=offer_pk)
        initial.update(setting=offer.setting_id, purpose=Visit.Purpose.OFSTED_SUPPORT)
    elif setting_pk := request.GET.get("setting", "").strip():
        initial["setting"] = setting_pk if setting_pk.isdigit() else None
    form = VisitPlanForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if offer is not None and data["setting"].pk != offer.setting_id:
            offer = None  # the adviser chose another setting: not this offer's visit
        try:
            visit = casework.visit_plan(
                user=request.user,
                setting=data["setting"],
                planned_on=data["planned_on"],
                purpose=data["purpose"],
                announced=data["announced"],
                adviser=data["adviser"],
                support_offer=offer,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Visit to {visit.setting.name} planned for {long_date(visit.planned_on)}")
            return redirect("schools:visit_detail", visit.pk)
    return render(request, "schools/casework/visit_plan.html", {"form": form, "offer": offer})


def _staff_visit(request, pk: int) -> Visit:
    return get_object_or_404(
        visits_visible_to(request.user).select_related("setting", "adviser", "support_offer__inspection"), pk=pk
    )


@staff_only
def visit_detail(request, pk: int):
    visit = _staff_visit(request, pk)
    reviewed = visit.actions_reviewed.select_related("plan").order_by("plan_id", "sort_order", "pk")
    return render(request, "schools/casework/visit_detail.html", {"visit": visit, "actions_reviewed": reviewed})


@staff_only
def visit_record(request, pk: int):
    visit = _staff_visit(request, pk)
    if visit.status != Visit.Status.PLANNED:
        messages.error(request, "Only a planned visit can be recorded as held.")
        return redirect("schools:visit_detail", visit.pk)
    form = VisitRecordForm(
        _post(request), visit=visit, initial={"held_on": uk_date(min(visit.planned_on, timezone.localdate()))}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            casework.visit_record(
                visit=visit,
                user=request.user,
                held_on=data["held_on"],
                attendees=data["attendees"],
                outcome=data["outcome"],
                notes=data["notes"],
                actions_reviewed=data["actions_reviewed"],
                review_note=data["review_note"],
                add_to_plan=data.get("add_to_plan"),
                action_description=data.get("action_description", ""),
                action_due_on=data.get("action_due_on"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error("add_to_plan", "You cannot add actions to this plan")
        except casework.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:visit_detail", visit.pk)
        else:
            messages.success(request, "Visit recorded")
            return redirect("schools:visit_detail", visit.pk)
    return render(request, "schools/casework/visit_record.html", {"visit": visit, "form": form})


@staff_only
def visit_cancel(request, pk: int):
    visit = _staff_visit(request, pk)
    form = VisitCancelForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            casework.visit_cancel(visit=visit, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        except casework.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:visit_detail", visit.pk)
        else:
            messages.success(request, "Visit cancelled")
            return redirect("schools:visit_detail", visit.pk)
    return render(request, "schools/casework/visit_cancel.html", {"visit": visit, "form": form})


# Ofsted support offers -----------------------------------------------------------------------


@staff_only
def support_offer_list(request):
    today = timezone.localdate()
    show = "pending" if request.GET.get("show") == "pending" else None
    offers = support_offers_for_list(request.user)
    if show:
        offers = offers.filter(status__in=[SupportOffer.Status.OPEN, SupportOffer.Status.OFFERED])
    page = _page(request, offers)
    for offer in page.object_list:
        offer.overdue = offer.is_overdue(today)
    return render(
        request, "schools/casework/support_offer_list.html", {"page": page, "offers": page.object_list, "show": show}
    )


@staff_only
def support_offer_detail(request, pk: int):
    offer = get_object_or_404(
        support_offers_visible_to(request.user).select_related("setting", "inspection", "adviser"), pk=pk
    )
    inspection = offer.inspection
    forms = {
        "make": SupportOfferMakeForm(_post(request, "make"), prefix="make"),
        "response": SupportOfferResponseForm(_post(request, "response"), prefix="response"),
        "plan": PlanFromLinesForm(
            _post(request, "plan"),
            prefix="plan",
            initial={"title": f"Ofsted inspection {long_date(inspection.inspected_on)}: safeguarding"},
            lines_label="Areas for improvement",
            lines_required="Enter at least one area for improvement",
        ),
    }
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST":
        if which not in forms:
            raise PermissionDenied
        form = forms[which]
        if form.is_valid():
            try:
                done = _support_offer_post(request, offer, which, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except casework.InvalidTransition as error:
                messages.error(request, str(error))
                return redirect("schools:support_offer_detail", offer.pk)
            else:
                return done
    bound = forms.get(which)
    return render(
        request,
        "schools/casework/support_offer_detail.html",
        {
            "offer": offer,
            "inspection": inspection,
            "overdue": offer.is_overdue(timezone.localdate()),
            "plans": inspection.action_plans.select_related("lead").order_by("-created_at"),
            "has_open_plan": inspection.action_plans.exclude(status=ActionPlan.Status.CLOSED).exists(),
            "visits": offer.visits.select_related("adviser").order_by("-planned_on"),
            "form": bound if bound is not None and bound.errors else None,
            "make_form": forms["make"],
            "response_form": forms["response"],
            "plan_form": forms["plan"],
        },
    )


def _support_offer_post(request, offer: SupportOffer, which: str, data: dict):
    if which == "make":
        casework.support_offer_make(offer=offer, user=request.user, offered_on=data["offered_on"], notes=data["notes"])
        messages.success(request, "Offer recorded")
    elif which == "response":
        casework.support_offer_record_response(
            offer=offer,
            user=request.user,
            accepted=data["accepted"],
            response_on=data["response_on"],
            notes=data["notes"],
        )
        messages.success(request, "Response recorded")
    else:
        plan = casework.support_offer_create_plan(
            offer=offer,
            user=request.user,
            title=data["title"],
            areas_for_improvement=data["lines"],
            due_on=data["due_on"],
        )
        messages.success(request, f"Draft plan with {plan.actions.count()} actions. Edit it, then share it.")
        return redirect("schools:plan_detail", plan.pk)
    return redirect("schools:support_offer_detail", offer.pk)


# Managing allegations meetings --------------------------------------------------------------


@staff_only
def allegations_list(request):
    meetings = allegations_meetings_visible_to(request.user).select_related("setting", "category", "action_plan")
    page = _page(request, meetings.order_by("-met_on", "-pk"))
    return render(request, "schools/casework/allegations_list.html", {"page": page, "meetings": page.object_list})


@staff_only
def allegations_record(request):
    form = AllegationsMeetingForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = casework.allegations_meeting_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Meeting {meeting.lado_reference} recorded")
            return redirect("schools:allegations_detail", meeting.pk)
    return render(request, "schools/casework/allegations_record.html", {"form": form})


@staff_only
def allegations_detail(request, pk: int):
    meeting = get_object_or_404(
        allegations_meetings_visible_to(request.user).select_related(
            "setting", "category", "recorded_by", "action_plan"
        ),
        pk=pk,
    )
    form = PlanFromLinesForm(
        _post(request),
        prefix="plan",
        initial={
            "title": f"Learning from allegations meeting {meeting.lado_reference}",
            "lines": meeting.learning,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = casework.allegations_meeting_create_plan(
                meeting=meeting, user=request.user, title=data["title"], actions=data["lines"], due_on=data["due_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, "You cannot make action plans for this setting")
        except casework.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:allegations_detail", meeting.pk)
        else:
            messages.success(request, f"Draft plan with {plan.actions.count()} actions. Edit it, then share it.")
            return redirect("schools:plan_detail", plan.pk)
    can_plan = meeting.action_plan is None or meeting.action_plan.status == ActionPlan.Status.CLOSED
    return render(
        request,
        "schools/casework/allegations_detail.html",
        {"meeting": meeting, "plan_form": form, "form": form if form.errors else None, "can_plan": can_plan},
    )


@staff_only
def allegations_repeat_issues(request):
    today = timezone.localdate()
    return render(
        request, "schools/casework/repeat_issues.html", {"issues": repeat_issue_settings(today), "today": today}
    )


# CSPR learning ------------------------------------------------------------------------------------


@staff_only
def practice_review_list(request):
    plan_count = (
        ActionPlan.objects.filter(source=ActionPlan.Source.CSPR, source_reference=OuterRef("reference"))
        .values("source_reference")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reviews = practice_reviews_visible_to(request.user).annotate(
        named=Count("settings", distinct=True),
        plan_count=Coalesce(Subquery(plan_count, output_field=IntegerField()), 0),
    )
    page = _page(request, reviews.order_by("-published_on", "name"))
    return render(request, "schools/casework/practice_review_list.html", {"page": page, "reviews": page.object_list})


def _practice_review_form(request, review: PracticeReview | None):
    initial = {}
    if review is not None:
        initial = {
            "name": review.name,
            "reference": review.reference,
            "published_on": uk_date(review.published_on),
            "urns": "\n".join(review.settings.order_by("name").values_list("urn", flat=True)),
        }
    form = PracticeReviewForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = casework.practice_review_save(
                user=request.user,
                review=review,
                name=data["name"],
                reference=data["reference"],
                published_on=data["published_on"],
                settings=data["urns"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Practice review saved")
            return redirect("schools:practice_review_detail", review.pk)
    return render(request, "schools/casework/practice_review_form.html", {"form": form, "review": review})


@staff_only
def practice_review_add(request):
    return _practice_review_form(request, None)


@staff_only
def practice_review_edit(request, pk: int):
    return _practice_review_form(request, get_object_or_404(practice_reviews_visible_to(request.user), pk=pk))


@staff_only
def practice_review_detail(request, pk: int):
    review = get_object_or_404(practice_reviews_visible_to(request.user), pk=pk)
    form = PracticeReviewPlansForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            plans = casework.practice_review_create_plans(
                review=review, user=request.user, actions=form.cleaned_data["lines"], due_on=form.cleaned_data["due_on"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(
                None, "You cannot make plans for some of these settings: ask the commissioning team about AP providers"
            )
        except casework.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:practice_review_detail", review.pk)
        else:
            messages.success(request, f"{len(plans)} draft plan{'s' if len(plans) != 1 else ''} made")
            return redirect("schools:practice_review_detail", review.pk)
    named = practice_review_settings(review)
    return render(
        request,
        "schools/casework/practice_review_detail.html",
        {
            "review": review,
            "named": named,
            "without_plan": [row.setting for row in named if not row.plans],
            "plans_form": form,
            "form": form if form.errors else None,
        },
    )


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADINGS = ["Setting", "URN", "Action plan", "Plan status", "Action", "Owner", "Due on", "Action status"]


@staff_only
def practice_review_export(request, pk: int):
    """The CSPR group's report: each named setting's actions and their status."""
    review = get_object_or_404(practice_reviews_visible_to(request.user), pk=pk)
    response = HttpResponse(practice_review_workbook(review), content_type=XLSX_CONTENT_TYPE)
    filename = f"cspr-{slugify(review.reference) or review.pk}-actions-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def practice_review_workbook(review: PracticeReview) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append([f"{review.name} ({review.reference}), published {long_date(review.published_on)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(EXPORT_HEADINGS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in practice_review_settings(review):
        if not row.plans:
            _append_row(sheet, [row.setting.name, row.setting.urn, "No plan yet", "", "", "", None, ""])
        for plan in row.plans:
            actions = list(plan.actions.all())
            if not actions:
                _append_row(
                    sheet, [row.setting.name, row.setting.urn, plan.title, _plan_status(plan), "", "", None, ""]
                )
            for action in actions:
                _append_row(
                    sheet,
                    [
                        row.setting.name,
                        row.setting.urn,
                        plan.title,
                        _plan_status(plan),
                        action.description,
                        ", ".join(part for part in (action.owner_name, action.owner_role) if part),
                        action.due_on,
                        action.get_status_display(),
                    ],
                )
    sheet.freeze_panes = "A3"
    for letter, width in zip("ABCDEFGH", (36, 10, 36, 22, 60, 28, 12, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plan_status(plan: ActionPlan) -> str:
    return "Waiting for agreement" if plan.is_awaiting_agreement else plan.get_status_display()


def _append_row(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            # Text typed by people is never a formula in the group's copy of the report.
            cell.data_type = "s"
        elif isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"
