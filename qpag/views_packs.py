"""The monthly QPAG pack: the list of packs, drafting one for a month, the whole pack as a page
(live figures while a draft, the frozen figures once issued), the narrative, issuing, and the
PDF and XLSX downloads. QA managers change packs; senior managers read them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services_packs
from .access import can_manage_qpag, qpag_manage_required, qpag_view_required
from .constants import PACK_SECTIONS
from .dates import month_end
from .forms_packs import PackMonthForm, PackNarrativeForm
from .models import QpagPack
from .pack import pack_figures
from .pack_files import CONTENT_TYPES, pack_context, pack_filename
from .services import InvalidTransition
from .services_packs import PackConflict, pack_draft, pack_narrative_save, pack_record_download

PACKS_PER_PAGE = 24


def _render_list(request, form: PackMonthForm, status: int = 200):
    packs = QpagPack.objects.select_related("issued_by", "drafted_by").order_by("-month", "-pk")
    page_obj = Paginator(packs, PACKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "qpag/packs/list.html",
        {
            "page_obj": page_obj,
            "packs": page_obj.object_list,
            "form": form,
            "can_manage": can_manage_qpag(request.user),
        },
        status=status,
    )


@require_GET
@qpag_view_required
def pack_list(request):
    return _render_list(request, PackMonthForm(today=timezone.localdate()))


@require_POST
@qpag_manage_required
def pack_new(request):
    today = timezone.localdate()
    form = PackMonthForm(request.POST, today=today)
    if not form.is_valid():
        return _render_list(request, form)
    chosen = form.cleaned_data["chosen"]
    existing = QpagPack.objects.filter(month=chosen).first()
    try:
        pack = pack_draft(month=chosen, user=request.user, today=today)
    except ValidationError as exc:
        form.add_error("month", exc.message_dict.get("month", exc.messages))
        return _render_list(request, form)
    if existing:
        messages.info(request, f"There is already a pack for {chosen:%B %Y}.")
    else:
        messages.success(
            request, f"Pack for {chosen:%B %Y} drafted. Add the narrative for each section, then issue it."
        )
    return redirect("qpag:pack_detail", pk=pack.pk)


@require_GET
@qpag_view_required
def pack_detail(request, pk: int):
    pack = get_object_or_404(QpagPack.objects.select_related("issued_by", "drafted_by"), pk=pk)
    today = timezone.localdate()
    figures = pack.figures if pack.is_issued else pack_figures(month=pack.month, today=today)
    context = pack_context(pack, figures)
    context.update(
        can_manage=can_manage_qpag(request.user),
        month_over=month_end(pack.month) < today,
        section_titles=PACK_SECTIONS,
    )
    return render(request, "qpag/packs/detail.html", context)


@require_http_methods(["GET", "POST"])
@qpag_manage_required
def pack_narrative(request, pk: int):
    pack = get_object_or_404(QpagPack, pk=pk, status=QpagPack.Status.DRAFT)
    theirs = None
    if request.method == "POST":
        form = PackNarrativeForm(request.POST)
        if form.is_valid():
            try:
                pack_narrative_save(
                    pack=pack, user=request.user, narrative=form.narrative(), version=form.cleaned_data["version"]
                )
            except PackConflict as conflict:
                # Keep the editor's text, show the other person's, and let the next save win.
                data = request.POST.copy()
                data["version"] = str(conflict.pack.version)
                form = PackNarrativeForm(data)
                form.is_valid()
                form.add_error(None, str(conflict))
                theirs = conflict.pack.narrative
                pack = conflict.pack
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect("qpag:pack_detail", pk=pack.pk)
            else:
                messages.success(request, "Narrative saved.")
                return redirect("qpag:pack_detail", pk=pack.pk)
    else:
        form = PackNarrativeForm(initial={"version": pack.version, **pack.narrative})
    sections = [
        {"field": form[key], "title": title, "theirs": (theirs or {}).get(key, "") if theirs is not None else None}
        for key, title in PACK_SECTIONS
    ]
    return render(
        request,
        "qpag/packs/narrative.html",
        {"pack": pack, "form": form, "sections": sections, "conflict": theirs is not None},
    )


@require_http_methods(["GET", "POST"])
@qpag_manage_required
def pack_issue(request, pk: int):
    pack = get_object_or_404(QpagPack, pk=pk)
    if pack.is_issued:
        messages.info(request, "This pack has already been issued.")
        return redirect("qpag:pack_detail", pk=pack.pk)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            services_packs.pack_issue(pack=pack, user=request.user, today=today)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("qpag:pack_detail", pk=pack.pk)
        messages.success(request, f"Pack for {pack.month:%B %Y} issued. Its figures are now fixed.")
        return redirect("qpag:pack_detail", pk=pack.pk)
    missing = [title for key, title in PACK_SECTIONS if not pack.narrative.get(key)]
    return render(
        request,
        "qpag/packs/issue.html",
        {"pack": pack, "month_over": month_end(pack.month) < today, "missing": missing},
    )


@require_GET
@qpag_view_required
def pack_download(request, pk: int, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format")
    pack = get_object_or_404(QpagPack, pk=pk, status=QpagPack.Status.ISSUED)
    file = getattr(pack, fmt)
    if pack.files_status != QpagPack.FilesStatus.READY or not file:
        return render(request, "qpag/packs/files_pending.html", {"pack": pack, "fmt": fmt})
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    pack_record_download(pack=pack, user=request.user, fmt=fmt)
    response = FileResponse(
        handle, as_attachment=True, filename=pack_filename(pack, fmt), content_type=CONTENT_TYPES[fmt]
    )
    response["Cache-Control"] = "private, no-store"
    return response
