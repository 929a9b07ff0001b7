"""Pages for the monthly sample: upload an extract, draw from it, check a draw; and the bulk
import of completed case-file audits. The writes are qpag.imports and qpag.sampling."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import can_manage_qpag, qpag_manage_required, qpag_view_required
from .constants import ChadCategory, Service
from .forms_sampling import AuditImportForm, ExtractUploadForm, SampleDrawForm
from .imports import ImportRejected, audit_template_headers, casefile_audits_import, extract_upload
from .models import CaseExtract, ExtractCase, SampleDraw
from .sampling import (
    chad_sample_in_words,
    period_label,
    rules_in_words,
    sample_draw_create,
    sample_draw_recorded,
    sample_draw_repeat,
)

PER_PAGE = 20
RECENT_DRAWS = 10
MAX_REPORTED_ERRORS = 50


def _report_rejection(form, rejected: ImportRejected) -> None:
    """The rejection report, in the page's error summary: a headline, then up to 50 problems
    and a count of the rest. The file input itself carries a short error."""
    errors = rejected.errors
    if len(errors) == 1 and not errors[0].startswith("Row "):
        form.add_error("file", errors[0])
        return
    count = len(errors)
    form.add_error(None, f"The file has {count} problem{'s' if count != 1 else ''}. Nothing was saved")
    for message in errors[:MAX_REPORTED_ERRORS]:
        form.add_error(None, message)
    if count > MAX_REPORTED_ERRORS:
        rest = count - MAX_REPORTED_ERRORS
        form.add_error(None, f"And {rest} more problem{'s' if rest != 1 else ''} not listed here")
    form.add_error("file", "Correct the problems in the file and upload it again")


def _audit_url(pk: int) -> str:
    # The case-file audit page is another part of the app; fall back to its agreed address.
    try:
        return reverse("qpag:case_file_audit_detail", args=[pk])
    except NoReverseMatch:
        return f"/qpag/case-file-audits/{pk}/"


def _group_label(service: str, group: str) -> str:
    if service == Service.CHAD and group in ChadCategory.values:
        return ChadCategory(group).label
    return group


@require_GET
@qpag_view_required
def extract_list(request: HttpRequest) -> HttpResponse:
    extracts = CaseExtract.objects.select_related("uploaded_by").annotate(draw_count=Count("draws"))
    page_obj = Paginator(extracts.order_by("-extracted_on", "-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    draws = (
        SampleDraw.objects.select_related("extract", "drawn_by")
        .annotate(audit_count=Count("audits"))
        .order_by("-created_at", "-pk")[:RECENT_DRAWS]
    )
    return render(
        request,
        "qpag/sampling/extract_list.html",
        {"page_obj": page_obj, "draws": draws, "can_manage": can_manage_qpag(request.user)},
    )


@require_http_methods(["GET", "POST"])
@qpag_manage_required
def extract_upload_view(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ExtractUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            extract = extract_upload(
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                extracted_on=form.cleaned_data["extracted_on"],
            )
        except ImportRejected as rejected:
            _report_rejection(form, rejected)
        else:
            message = f"Uploaded {extract.row_count} cases from {extract.original_name}."
            if extract.ignored_columns:
                message += f" These columns were not read: {', '.join(extract.ignored_columns)}."
            messages.success(request, message)
            return redirect("qpag:extract_detail", pk=extract.pk)
    return render(request, "qpag/sampling/extract_upload.html", {"form": form})


def _extract_context(request: HttpRequest, extract: CaseExtract, form: SampleDrawForm | None) -> dict:
    counts = (
        ExtractCase.objects.filter(extract=extract)
        .values("service", "team")
        .annotate(cases=Count("pk"))
        .order_by("service", "team")
    )
    labels = dict(Service.choices)
    rows = [{**row, "service_label": labels.get(row["service"], row["service"])} for row in counts]
    draws = extract.draws.select_related("drawn_by").annotate(audit_count=Count("audits")).order_by("-period_start")
    can_manage = can_manage_qpag(request.user)
    if can_manage and form is None:
        form = SampleDrawForm(extracted_on=extract.extracted_on)
    return {
        "extract": extract,
        "counts": rows,
        "draws": draws,
        "form": form if can_manage else None,
        "can_manage": can_manage,
        "chad_sample": chad_sample_in_words(),
    }


@require_GET
@qpag_view_required
def extract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    extract = get_object_or_404(CaseExtract.objects.select_related("uploaded_by"), pk=pk)
    return render(request, "qpag/sampling/extract_detail.html", _extract_context(request, extract, None))


FIELD_FOR_SERVICE_ERROR = {"period_start": None, "per_team": "per_team", "seed": "seed", "notified_on": "notified_on"}


@require_POST
@qpag_manage_required
def sample_draw(request: HttpRequest, pk: int) -> HttpResponse:
    extract = get_object_or_404(CaseExtract, pk=pk)
    form = SampleDrawForm(request.POST, extracted_on=extract.extracted_on)
    if form.is_valid():
        data = form.cleaned_data
        try:
            draw = sample_draw_create(
                user=request.user,
                extract=extract,
                service=data["service"],
                period_start=data["period_start"],
                per_team=data["per_team"],
                notified_on=data["notified_on"],
                seed=data["seed"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, messages_ in error.message_dict.items():
                    field = FIELD_FOR_SERVICE_ERROR.get(key)
                    if key == "period_start":
                        field = "week_commencing" if data["service"] == Service.CHAD else "month"
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
        else:
            audits = draw.audits.count()
            messages.success(
                request,
                f"Drew {audits} case{'s' if audits != 1 else ''} for "
                f"{period_label(service=draw.service, period_start=draw.period_start)}. Auditors can now be told.",
            )
            return redirect("qpag:sample_draw_detail", pk=draw.pk)
    return render(request, "qpag/sampling/extract_detail.html", _extract_context(request, extract, form))


@require_GET
@qpag_view_required
def sample_draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_object_or_404(SampleDraw.objects.select_related("extract", "drawn_by"), pk=pk)
    audits = list(draw.audits.select_related("auditor").order_by("team", "case_number"))
    for audit in audits:
        audit.detail_url = _audit_url(audit.pk)
    recorded = sample_draw_recorded(draw)
    repeated = sample_draw_repeat(draw)
    groups = [
        {"label": _group_label(draw.service, group), **{k: v for k, v in row.items() if k != "case_numbers"}}
        for group, row in sorted((draw.summary or {}).items())
    ]
    totals = {key: sum(row.get(key, 0) for row in groups) for key in ("eligible", "chosen", "shortfall")}
    return render(
        request,
        "qpag/sampling/draw_detail.html",
        {
            "draw": draw,
            "audits": audits,
            "groups": groups,
            "totals": totals,
            "period": period_label(service=draw.service, period_start=draw.period_start),
            "rules": rules_in_words(service=draw.service, period_start=draw.period_start),
            "is_chad": draw.service == Service.CHAD,
            "reproduced": bool(recorded) and recorded == repeated,
        },
    )


@require_http_methods(["GET", "POST"])
@qpag_manage_required
def case_file_audit_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = AuditImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            audits = casefile_audits_import(user=request.user, uploaded_file=form.cleaned_data["file"])
        except ImportRejected as rejected:
            _report_rejection(form, rejected)
        else:
            moderated = sum(1 for audit in audits if audit.moderator_id)
            inadequate = sum(1 for audit in audits if audit.final_grade == "inadequate")
            message = f"Imported {len(audits)} completed audit{'s' if len(audits) != 1 else ''}: {moderated} moderated"
            if inadequate:
                message += f", {inadequate} inadequate with a triple-lock review opened"
            messages.success(request, message + ".")
            return redirect("qpag:case_file_audit_import")
    return render(
        request,
        "qpag/sampling/audit_import.html",
        {
            "form": form,
            "headers": audit_template_headers(),
            "services": Service.choices,
        },
    )


@require_GET
@qpag_view_required
def case_file_audit_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="case-file-audits-import-template.csv"'
    response.write("\ufeff")  # so Excel opens it as UTF-8
    csv.writer(response).writerow(audit_template_headers())
    return response
