"""The quarterly complaints report: the live figures for a chosen quarter, snapshots produced in
the background (Celery) with their XLSX and PDF, and the list of earlier snapshots. Advisers, QA
managers and senior managers may see all of it; nobody else may learn that it exists."""

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from portal.forms import GovukFormMixin

from .access import complaints_view_required
from .models import QuarterlyReport
from .quarters import FINANCIAL, Quarter, last_complete_quarter
from .report_files import PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE
from .reports import (
    quarterly_figures,
    quarterly_report_record_download,
    quarterly_report_request,
    report_context,
    report_filename,
    report_quarter,
)

Status = QuarterlyReport.Status
DOWNLOADS = {"xlsx": XLSX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}
SNAPSHOTS_PER_PAGE = 25
MIN_YEAR = 2000


class ReportQuarterForm(GovukFormMixin, forms.Form):
    basis = forms.ChoiceField(
        label="Type of year",
        choices=QuarterlyReport.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose financial year or calendar year",
            "invalid_choice": "Choose financial year or calendar year",
        },
    )
    year = forms.IntegerField(
        label="Year",
        help_text="For a financial year, the year it starts: 2026 for April 2026 to March 2027.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the year",
            "invalid": "Enter the year as a number, like 2026",
        },
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        help_text="In a financial year Q1 is April to June; in a calendar year Q1 is January to March.",
        choices=[(n, f"Q{n}") for n in range(1, 5)],
        coerce=int,
        error_messages={"required": "Choose a quarter", "invalid_choice": "Choose a quarter from Q1 to Q4"},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.max_year = today.year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= self.max_year:
            raise forms.ValidationError(f"Enter a year from {MIN_YEAR} to {self.max_year}")
        return year

    def clean(self):
        cleaned = super().clean()
        if not self.errors and {"basis", "year", "quarter"} <= cleaned.keys():
            quarter = Quarter(cleaned["basis"], cleaned["year"], cleaned["quarter"])
            if quarter.ends_on >= self.today:
                latest = last_complete_quarter(self.today, quarter.basis)
                self.add_error(
                    "quarter",
                    f"Choose a quarter that has ended. {quarter.label} ends on {quarter.ends_on:%-d %B %Y}; "
                    f"the latest complete quarter is {latest.label}",
                )
            else:
                cleaned["chosen"] = quarter
        return cleaned


def _quarter_form(data, today) -> ReportQuarterForm:
    default = last_complete_quarter(today, FINANCIAL)
    return ReportQuarterForm(
        data, today=today, initial={"basis": default.basis, "year": default.year, "quarter": default.number}
    )


def _render_report(request, form: ReportQuarterForm, quarter: Quarter | None):
    quarterly = report_context(quarterly_figures(quarter=quarter)) if quarter else None
    return render(
        request,
        "complaints/report.html",
        {"form": form, "quarter": quarter, "quarterly": quarterly},
    )


@require_GET
@complaints_view_required
def report(request):
    today = timezone.localdate()
    chosen = any(name in request.GET for name in ("basis", "year", "quarter"))
    form = _quarter_form(request.GET if chosen else None, today)
    if not chosen:
        return _render_report(request, form, last_complete_quarter(today, FINANCIAL))
    if form.is_valid():
        return _render_report(request, form, form.cleaned_data["chosen"])
    return _render_report(request, form, None)


@require_POST
@complaints_view_required
def report_request(request):
    today = timezone.localdate()
    form = _quarter_form(request.POST if request.method == "POST" else None, today)
    if not form.is_valid():
        return _render_report(request, form, None)
    # PermissionDenied (not a complaints role) becomes 403; the decorator has already said 404.
    snapshot = quarterly_report_request(user=request.user, quarter=form.cleaned_data["chosen"])
    url = reverse("complaints:report_snapshot", args=[snapshot.pk])
    fmt = request.POST.get("format")
    if fmt in DOWNLOADS:
        url += f"?format={fmt}"
    return redirect(url)


@require_GET
@complaints_view_required
def report_snapshot(request, pk: int):
    snapshot = get_object_or_404(QuarterlyReport.objects.select_related("requested_by"), pk=pk)
    ready = snapshot.status == Status.READY
    wanted = request.GET.get("format")
    return render(
        request,
        "complaints/report_snapshot.html",
        {
            "snapshot": snapshot,
            "finished": snapshot.status in {Status.READY, Status.FAILED},
            "quarterly": report_context(snapshot.figures) if ready and snapshot.figures else None,
            "quarter": report_quarter(snapshot),
            "wanted": wanted if wanted in DOWNLOADS else "xlsx",
        },
    )


@require_GET
@complaints_view_required
def report_status(request, pk: int):
    snapshot = get_object_or_404(QuarterlyReport, pk=pk)
    return JsonResponse(
        {"status": snapshot.status, "progress": snapshot.progress, "message": snapshot.progress_message}
    )


@require_GET
@complaints_view_required
def report_download(request, pk: int, fmt: str):
    if fmt not in DOWNLOADS:
        raise Http404("No such format")
    snapshot = get_object_or_404(QuarterlyReport, pk=pk, status=Status.READY)
    file = getattr(snapshot, fmt)
    if not file:
        raise Http404("This snapshot has no such file")
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    quarterly_report_record_download(report=snapshot, user=request.user, fmt=fmt)
    response = FileResponse(
        handle, as_attachment=True, filename=report_filename(snapshot, fmt), content_type=DOWNLOADS[fmt]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@complaints_view_required
def report_list(request):
    snapshots = QuarterlyReport.objects.select_related("requested_by").order_by("-created_at", "-pk")
    page = Paginator(snapshots, SNAPSHOTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "complaints/report_list.html", {"page": page, "snapshots": page.object_list})
