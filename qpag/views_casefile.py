"""The case-file audit pages: the list, recording an audit, its detail page, every workflow step
(the auditor's findings, moderation, closing, actions, the triple-lock review, the moderation
panel) and the lists of reviews and grade differences. Reads here, changes only through
`qpag.services`; who may see and do what is decided in `qpag.access` (and again in the services).

Each change page is a GET that shows the form and a POST that calls one service. A service's
ValidationError goes on the field it names; an InvalidTransition (the audit has moved on) is
shown at the top of the form, so a page never fails with a server error on bad input."""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from wagtail.log_actions import registry as log_registry

from . import services
from .access import can_manage_qpag, qpag_manage_required, qpag_view_required
from .constants import GRADE_RANK, SERVICE_PRACTICE_AREAS, Grade, PracticeArea
from .dates import add_months
from .forms_casefile import (
    ActionCompleteForm,
    ActionForm,
    AuditCreateForm,
    AuditFilterForm,
    CloseForm,
    GradesForm,
    ModerateForm,
    PanelRecordForm,
    ReviewCompleteForm,
    add_service_errors,
)
from .models import CaseFileAudit, CaseFileAuditAction, PracticeAreaGrade, TripleLockReview

Status = CaseFileAudit.Status
ReviewStatus = TripleLockReview.Status
ActionStatus = CaseFileAuditAction.Status

PAGE_SIZE = 50
RECENTLY_DISCUSSED = 20

# GOV.UK tag colours; the text is always shown, so colour is never the only signal.
STATUS_TAG_CLASSES = {
    Status.NOTIFIED: "govuk-tag--blue",
    Status.AUDITED: "govuk-tag--yellow",
    Status.MODERATED: "govuk-tag--turquoise",
    Status.CLOSED: "govuk-tag--green",
}
GRADE_TAG_CLASSES = {
    Grade.OUTSTANDING: "govuk-tag--green",
    Grade.GOOD: "govuk-tag--turquoise",
    Grade.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    Grade.INADEQUATE: "govuk-tag--red",
}
REVIEW_TAG_CLASSES = {
    ReviewStatus.OPEN: "govuk-tag--blue",
    ReviewStatus.COMPLETED: "govuk-tag--green",
    ReviewStatus.NOT_REQUIRED: "govuk-tag--grey",
}


def _today() -> date:
    return timezone.localdate()


def _post(request):
    return request.POST if request.method == "POST" else None


def _audit(pk: int, *related: str) -> CaseFileAudit:
    return get_object_or_404(CaseFileAudit.objects.select_related("auditor", "moderator", *related), pk=pk)


def _grade_label(value: str) -> str:
    return Grade(value).label if value else ""


def direction(auditor_grade: str, moderator_grade: str) -> str:
    """'raised' when the moderator's grade is better than the auditor's, 'lowered' when worse."""
    if not auditor_grade or not moderator_grade or auditor_grade == moderator_grade:
        return ""
    return "raised" if GRADE_RANK[moderator_grade] < GRADE_RANK[auditor_grade] else "lowered"


def _refuse(request, audit: CaseFileAudit, message: str):
    messages.error(request, message)
    return redirect("qpag:case_file_audit_detail", audit.pk)


# The list ---------------------------------------------------------------------------------


def filtered_audits(query: dict, today: date) -> QuerySet[CaseFileAudit]:
    """Every audit matching the list's filters except status (the counts are by status)."""
    audits = CaseFileAudit.objects.all()
    if query.get("service"):
        audits = audits.filter(service=query["service"])
    if query.get("month"):
        month = query["month"]
        audits = audits.filter(notified_on__gte=month, notified_on__lt=add_months(month, 1))
    if query.get("team"):
        audits = audits.filter(team__icontains=query["team"].strip())
    if query.get("overdue"):
        audits = audits.filter(status=Status.NOTIFIED, due_on__lt=today)
    return audits


@qpag_view_required
def case_file_audit_list(request):
    today = _today()
    form = AuditFilterForm(request.GET or None)
    query = form.cleaned_data if form.is_valid() else {}
    base = filtered_audits(query, today)
    totals = base.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(status=Status.NOTIFIED, due_on__lt=today)),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    status_counts = [{"status": status, "label": label, "count": totals[status]} for status, label in Status.choices]
    audits = base.filter(status=query["status"]) if query.get("status") else base
    audits = audits.select_related("auditor", "moderator").order_by("-notified_on", "case_number", "pk")
    page_obj = Paginator(audits, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "audit": audit,
            "overdue": audit.status == Status.NOTIFIED and audit.due_on < today,
            "status_tag_class": STATUS_TAG_CLASSES[audit.status],
            "moderated_from": _grade_label(audit.auditor_grade) if audit.grades_differ else "",
        }
        for audit in page_obj
    ]
    is_filtered = any(query.get(name) for name in ("service", "status", "month", "team", "overdue"))
    return render(
        request,
        "qpag/casefile/audit_list.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "status_counts": status_counts,
            "total": totals["total"],
            "overdue_count": totals["overdue"],
            "is_filtered": is_filtered,
            "can_manage": can_manage_qpag(request.user),
        },
    )


# Recording an audit -----------------------------------------------------------------------


@qpag_manage_required
def case_file_audit_new(request):
    form = AuditCreateForm(_post(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = services.casefile_audit_create(
                user=request.user,
                case_number=data["case_number"],
                service=data["service"],
                team=data["team"],
                locality=data["locality"],
                chad_category=data["chad_category"],
                auditor=data["auditor"],
                moderator=data["moderator"],
                notified_on=data["notified_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Audit of case {audit.case_number} recorded: due by {audit.due_on:%-d %B %Y}")
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(request, "qpag/casefile/audit_new.html", {"form": form})


# The detail page --------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    area: str
    label: str
    auditor_grade: str
    moderator_grade: str
    final_grade: str

    @property
    def auditor_label(self) -> str:
        return _grade_label(self.auditor_grade)

    @property
    def moderator_label(self) -> str:
        return _grade_label(self.moderator_grade)

    @property
    def differs(self) -> bool:
        return bool(self.auditor_grade and self.moderator_grade and self.auditor_grade != self.moderator_grade)


def grade_rows(audit: CaseFileAudit, area_grades: list[PracticeAreaGrade]) -> list[GradeRow]:
    """The service's practice areas in the framework's order, each with both grades ('' where none)."""
    by_area = {grade.area: grade for grade in area_grades}
    rows = []
    for area in SERVICE_PRACTICE_AREAS[audit.service]:
        grade = by_area.get(area)
        rows.append(
            GradeRow(
                area=area,
                label=PracticeArea(area).label,
                auditor_grade=grade.auditor_grade if grade else "",
                moderator_grade=grade.moderator_grade if grade else "",
                final_grade=grade.final_grade if grade else "",
            )
        )
    return rows


def next_steps(audit: CaseFileAudit, review: TripleLockReview | None) -> list[dict]:
    """The buttons for what may happen next, in the order it usually happens."""
    steps = []
    pk = audit.pk
    if audit.status == Status.NOTIFIED:
        steps.append({"url_name": "qpag:case_file_audit_grade", "label": "Record the auditor's findings"})
    if audit.status == Status.AUDITED:
        steps.append({"url_name": "qpag:case_file_audit_moderate", "label": "Record the moderation"})
        steps.append({"url_name": "qpag:case_file_audit_grade", "label": "Correct the auditor's findings"})
    if review is not None and review.status == ReviewStatus.OPEN:
        steps.append({"url_name": "qpag:triple_lock_review_complete", "label": "Complete the triple-lock review"})
    if audit.status == Status.MODERATED and not (review is not None and review.status == ReviewStatus.OPEN):
        steps.append({"url_name": "qpag:case_file_audit_close", "label": "Close the audit"})
    if audit.grades_differ and not audit.panel_discussed_on:
        steps.append({"url_name": "qpag:moderation_panel_record", "label": "Record the moderation panel"})
    if audit.status in {Status.AUDITED, Status.MODERATED}:
        steps.append({"url_name": "qpag:case_file_audit_action_add", "label": "Add an action"})
    for number, step in enumerate(steps):
        step["pk"] = pk
        step["secondary"] = number > 0
    return steps


def _review(audit: CaseFileAudit) -> TripleLockReview | None:
    try:
        return audit.triple_lock_review
    except TripleLockReview.DoesNotExist:
        return None


def review_summary(review: TripleLockReview | None, today: date) -> dict | None:
    if review is None:
        return None
    is_open = review.status == ReviewStatus.OPEN
    return {
        "review": review,
        "tag_class": REVIEW_TAG_CLASSES[review.status],
        "overdue": is_open and review.due_on < today,
        "days_left": (review.due_on - today).days if is_open else None,
        "late": review.status == ReviewStatus.COMPLETED and review.completed_on > review.due_on,
    }


@qpag_view_required
def case_file_audit_detail(request, pk: int):
    today = _today()
    audit = _audit(pk, "draw", "recorded_by", "triple_lock_review", "triple_lock_review__completed_by")
    review = _review(audit)
    area_grades = list(audit.area_grades.all())
    actions = [
        {
            "action": action,
            "overdue": action.status == ActionStatus.OPEN and action.due_on < today,
        }
        for action in audit.actions.all()
    ]
    history = list(log_registry.get_logs_for_instance(audit).select_related("user").order_by("-timestamp", "-pk"))
    can_manage = can_manage_qpag(request.user)
    context = {
        "audit": audit,
        "status_tag_class": STATUS_TAG_CLASSES[audit.status],
        "overdue": audit.status == Status.NOTIFIED and audit.due_on < today,
        "grade_rows": grade_rows(audit, area_grades),
        "grade_tag_classes": GRADE_TAG_CLASSES,
        "direction": direction(audit.auditor_grade, audit.moderator_grade),
        "review": review_summary(review, today),
        "actions": actions,
        "action_counts": {
            "open": sum(1 for row in actions if row["action"].status == ActionStatus.OPEN and not row["overdue"]),
            "overdue": sum(1 for row in actions if row["overdue"]),
            "completed": sum(1 for row in actions if row["action"].status == ActionStatus.COMPLETED),
        },
        "history": history,
        "can_manage": can_manage,
        "steps": next_steps(audit, review) if can_manage else [],
        "can_change_actions": can_manage and audit.status != Status.CLOSED,
    }
    return render(request, "qpag/casefile/audit_detail.html", context)


# The workflow steps -----------------------------------------------------------------------


@qpag_manage_required
def case_file_audit_grade(request, pk: int):
    audit = _audit(pk)
    if audit.status not in {Status.NOTIFIED, Status.AUDITED}:
        return _refuse(request, audit, "This audit has been moderated; its auditor's grades can no longer change.")
    form = GradesForm(_post(request), audit=audit)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.casefile_audit_record_grades(audit=audit, user=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            message = f"The auditor's findings for case {audit.case_number} are recorded"
            if audit.auditor_grade == Grade.INADEQUATE:
                message += ": graded inadequate, so a triple-lock review is due within a month"
            messages.success(request, message)
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(
        request,
        "qpag/casefile/audit_grade.html",
        {"audit": audit, "form": form, "correcting": audit.status == Status.AUDITED},
    )


@qpag_manage_required
def case_file_audit_moderate(request, pk: int):
    audit = _audit(pk)
    if audit.status != Status.AUDITED:
        return _refuse(request, audit, "Only an audited case can be moderated.")
    area_grades = list(audit.area_grades.all())
    form = ModerateForm(_post(request), audit=audit, area_grades=area_grades)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.casefile_audit_moderate(audit=audit, user=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error, {"area_grades": ""})
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if audit.grades_differ:
                moved = direction(audit.auditor_grade, audit.moderator_grade)
                message = (
                    f"Case {audit.case_number} moderated: the grade was {moved}, so it goes to the moderation panel"
                )
            else:
                message = f"Case {audit.case_number} moderated"
            messages.success(request, message)
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(
        request,
        "qpag/casefile/audit_moderate.html",
        {
            "audit": audit,
            "form": form,
            "grade_rows": grade_rows(audit, area_grades),
        },
    )


@qpag_manage_required
def case_file_audit_close(request, pk: int):
    audit = _audit(pk, "triple_lock_review")
    if audit.status != Status.MODERATED:
        return _refuse(request, audit, "Only a moderated audit can be closed.")
    review = _review(audit)
    review_open = review is not None and review.status == ReviewStatus.OPEN
    form = CloseForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.casefile_audit_close(audit=audit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The audit of case {audit.case_number} is closed")
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(request, "qpag/casefile/audit_close.html", {"audit": audit, "form": form, "review_open": review_open})


@qpag_manage_required
def case_file_audit_action_add(request, pk: int):
    audit = _audit(pk)
    if audit.status == Status.NOTIFIED:
        return _refuse(request, audit, "Record the auditor's findings before adding actions.")
    if audit.status == Status.CLOSED:
        return _refuse(request, audit, "This audit is closed; its actions can no longer change.")
    form = ActionForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.casefile_action_add(audit=audit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action added")
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(request, "qpag/casefile/action_add.html", {"audit": audit, "form": form})


@qpag_manage_required
def case_file_audit_action_complete(request, pk: int, action_pk: int):
    audit = _audit(pk)
    action = get_object_or_404(CaseFileAuditAction, pk=action_pk, audit=audit)
    if action.status != ActionStatus.OPEN:
        return _refuse(request, audit, "This action is not open.")
    form = ActionCompleteForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.casefile_action_complete(
                action=action,
                user=request.user,
                completed_on=form.cleaned_data["completed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"completion_note": "note"})
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action marked as completed")
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(request, "qpag/casefile/action_complete.html", {"audit": audit, "action": action, "form": form})


@qpag_manage_required
def triple_lock_review_complete(request, pk: int):
    audit = _audit(pk)
    review = get_object_or_404(TripleLockReview, audit=audit)
    if review.status != ReviewStatus.OPEN:
        return _refuse(request, audit, "This audit's triple-lock review is not open.")
    review.audit = audit
    form = ReviewCompleteForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.triple_lock_review_complete(review=review, user=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            timing = "on time" if review.completed_on <= review.due_on else "late"
            messages.success(request, f"Triple-lock review of case {audit.case_number} completed ({timing})")
            return redirect("qpag:case_file_audit_detail", audit.pk)
    return render(
        request,
        "qpag/casefile/review_complete.html",
        {"audit": audit, "review": review_summary(review, _today()), "form": form},
    )


@qpag_manage_required
def moderation_panel_record(request, pk: int):
    audit = _audit(pk)
    if not audit.grades_differ:
        return _refuse(request, audit, "Only audits whose moderator changed the grade go to the moderation panel.")
    if audit.panel_discussed_on:
        return _refuse(request, audit, "The panel has already discussed this audit.")
    form = PanelRecordForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.casefile_audit_panel_record(audit=audit, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except services.InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The panel's discussion of case {audit.case_number} is recorded")
            return redirect("qpag:moderation_panel")
    return render(
        request,
        "qpag/casefile/panel_record.html",
        {"audit": audit, "form": form, "direction": direction(audit.auditor_grade, audit.moderator_grade)},
    )


# The lists of reviews and grade differences -----------------------------------------------


@qpag_view_required
def triple_lock_review_list(request):
    today = _today()
    reviews = (
        TripleLockReview.objects.filter(status__in=[ReviewStatus.OPEN, ReviewStatus.COMPLETED])
        .select_related("audit", "audit__auditor", "completed_by")
        .annotate(
            open_first=Case(
                When(status=ReviewStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("open_first", "due_on", "pk")
    )
    counts = TripleLockReview.objects.aggregate(
        open=Count("pk", filter=Q(status=ReviewStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=ReviewStatus.OPEN, due_on__lt=today)),
        completed=Count("pk", filter=Q(status=ReviewStatus.COMPLETED)),
        late=Count("pk", filter=Q(status=ReviewStatus.COMPLETED, completed_on__gt=F("due_on"))),
        not_required=Count("pk", filter=Q(status=ReviewStatus.NOT_REQUIRED)),
    )
    page_obj = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [review_summary(review, today) for review in page_obj]
    return render(
        request,
        "qpag/casefile/review_list.html",
        {
            "open_rows": [row for row in rows if row["review"].status == ReviewStatus.OPEN],
            "completed_rows": [row for row in rows if row["review"].status == ReviewStatus.COMPLETED],
            "page_obj": page_obj,
            "counts": counts,
            "can_manage": can_manage_qpag(request.user),
        },
    )


def _area_differences() -> Count:
    return Count(
        "area_grades",
        filter=~Q(area_grades__auditor_grade="")
        & ~Q(area_grades__moderator_grade="")
        & ~Q(area_grades__auditor_grade=F("area_grades__moderator_grade")),
    )


@qpag_view_required
def moderation_panel(request):
    differences = services.grade_differences().annotate(area_differences=_area_differences())
    rows = [
        {
            "audit": audit,
            "direction": direction(audit.auditor_grade, audit.moderator_grade),
        }
        for audit in differences
    ]
    discussed = (
        CaseFileAudit.objects.filter(panel_discussed_on__isnull=False)
        .select_related("auditor", "moderator")
        .order_by("-panel_discussed_on", "-pk")[:RECENTLY_DISCUSSED]
    )
    return render(
        request,
        "qpag/casefile/moderation_panel.html",
        {
            "rows": rows,
            "discussed": [
                {"audit": audit, "direction": direction(audit.auditor_grade, audit.moderator_grade)}
                for audit in discussed
            ],
            "can_manage": can_manage_qpag(request.user),
            "raised": sum(1 for row in rows if row["direction"] == "raised"),
            "lowered": sum(1 for row in rows if row["direction"] == "lowered"),
        },
    )
