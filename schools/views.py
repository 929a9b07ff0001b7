"""The audit return, from the setting's side (task list, question pages, check answers,
sign-off, submit) and the adviser's (queue, review, feedback). Access comes from
schools.selectors; every change goes through schools.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.permissions import can_invite, role_required, user_has_role
from portal.roles import Role
from portal.services import invitation_create
from schools import services
from schools.forms import (
    AnswerPageForm,
    AssignSectionForm,
    CycleAddSettingsForm,
    CycleOpenForm,
    FeedbackForm,
    MemberInvitationForm,
    ReturnForChangesForm,
    ReviewCommentForm,
    SignOffForm,
)
from schools.models import (
    Answer,
    AuditCycle,
    AuditReturn,
    EvidenceFile,
    QuestionnaireKind,
    ReviewComment,
    SectionProgress,
    Setting,
)
from schools.recommendations import recommendations_for
from schools.reminders import NOT_SUBMITTED
from schools.scoring import answer_rag, score
from schools.selectors import (
    members_of,
    returns_visible_to,
    review_queue,
    sections_for_return,
    settings_visible_to,
)

SETTING_ROLES = (Role.SCHOOL_USER, Role.AP_PROVIDER_USER)
REVIEW_ROLES = (Role.ADVISER, Role.QA_MANAGER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER)


def _get_return(request, pk: int) -> AuditReturn:
    """The return if this user may see it; 404 otherwise (never reveal that it exists)."""
    return get_object_or_404(returns_visible_to(request.user).select_related("cycle", "setting"), pk=pk)


def _get_section(audit_return: AuditReturn, section_pk: int):
    sections = sections_for_return(audit_return)
    for index, section in enumerate(sections):
        if section.pk == section_pk:
            return sections, index, section
    raise Http404


def _answers(audit_return: AuditReturn) -> dict[int, Answer]:
    return {a.question_id: a for a in audit_return.answers.select_related("updated_by", "question")}


def _is_answered(question, answer, files) -> bool:
    if answer is None:
        return bool(files)
    return (
        any([answer.compliance, answer.text.strip(), answer.number is not None, answer.date is not None, bool(files)])
        and not answer.carried_forward
    )


def _files_by_question(audit_return: AuditReturn) -> dict[int, list[EvidenceFile]]:
    files: dict[int, list[EvidenceFile]] = {}
    for evidence in EvidenceFile.objects.filter(answer__audit_return=audit_return).select_related("answer"):
        files.setdefault(evidence.answer.question_id, []).append(evidence)
    return files


# The setting's side -------------------------------------------------------------------


@role_required()
def my_returns(request):
    returns = (
        returns_visible_to(request.user)
        .select_related("cycle", "setting")
        .order_by("-cycle__opens_on", "setting__name")
    )
    page = Paginator(returns, 25).get_page(request.GET.get("page"))
    return render(request, "schools/my_returns.html", {"page": page, "returns": page.object_list})


@role_required()
def return_task_list(request, pk: int):
    audit_return = _get_return(request, pk)
    sections = sections_for_return(audit_return)
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    progress = {
        p.section_id: p
        for p in SectionProgress.objects.filter(audit_return=audit_return).select_related(
            "assigned_to", "last_edited_by"
        )
    }
    rows = []
    for section in sections:
        answered = sum(1 for q in section.applicable if _is_answered(q, answers.get(q.pk), files.get(q.pk)))
        carried = sum(1 for q in section.applicable if answers.get(q.pk) and answers[q.pk].carried_forward)
        section_progress = progress.get(section.pk)
        if section_progress and section_progress.completed_at and answered == len(section.applicable):
            status = "completed"
        elif answered or carried:
            status = "in_progress"
        else:
            status = "not_started"
        rows.append(
            {
                "section": section,
                "answered": answered,
                "total": len(section.applicable),
                "carried": carried,
                "status": status,
                "progress": section_progress,
            }
        )
    completed = sum(1 for r in rows if r["status"] == "completed")
    return render(
        request,
        "schools/return_task_list.html",
        {
            "audit_return": audit_return,
            "rows": rows,
            "completed": completed,
            "can_complete": services.can_complete(request.user, audit_return),
            "signed_off": bool(audit_return.headteacher_signoff_name),
        },
    )


@role_required(*SETTING_ROLES)
def return_section_start(request, pk: int, section_pk: int):
    """Resume: open the first page with an unanswered or carried-forward question."""
    audit_return = _get_return(request, pk)
    _sections, _index, section = _get_section(audit_return, section_pk)
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    for number, page in enumerate(section.pages, start=1):
        if any(not _is_answered(q, answers.get(q.pk), files.get(q.pk)) for q in page):
            return redirect("schools:return_section_page", audit_return.pk, section.pk, number)
    return redirect("schools:return_section_check", audit_return.pk, section.pk)


@role_required()
def return_section_page(request, pk: int, section_pk: int, page_number: int):
    audit_return = _get_return(request, pk)
    sections, index, section = _get_section(audit_return, section_pk)
    if not 1 <= page_number <= len(section.pages):
        raise Http404
    can_complete = services.can_complete(request.user, audit_return)
    if not can_complete:
        # Read-only people (advisers, or after submission) see the answers, not the form.
        return redirect("schools:return_section_check", audit_return.pk, section.pk)
    questions = section.pages[page_number - 1]
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    form = AnswerPageForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        questions=questions,
        answers=answers,
        existing_files=files,
    )
    conflicts = []
    if request.method == "POST":
        later = "save_and_return" in request.POST
        form.require_complete = not later
        if form.is_valid():
            try:
                result = services.audit_return_save_answers(
                    audit_return=audit_return,
                    user=request.user,
                    section=section,
                    answers=form.answer_values(),
                    seen_versions=form.seen_versions(),
                )
                conflicts = result.conflicts
                if not conflicts:
                    for question_id, uploaded in form.uploads().items():
                        question = next(q for q in questions if q.pk == question_id)
                        try:
                            services.evidence_add(
                                audit_return=audit_return, question=question, uploaded=uploaded, user=request.user
                            )
                        except ValidationError as error:
                            form.add_error(f"q{question_id}", error)
            except services.InvalidTransition as error:
                messages.error(request, str(error))
                return redirect("schools:return_task_list", audit_return.pk)
            if conflicts:
                form = _form_after_conflict(request, form, conflicts, questions, audit_return)
            elif not form.errors:
                if later:
                    messages.success(request, "Your answers have been saved. You can come back to them at any time.")
                    return redirect("schools:return_task_list", audit_return.pk)
                if page_number < len(section.pages):
                    return redirect("schools:return_section_page", audit_return.pk, section.pk, page_number + 1)
                return redirect("schools:return_section_check", audit_return.pk, section.pk)
    return render(
        request,
        "schools/return_section_page.html",
        {
            "audit_return": audit_return,
            "section": section,
            "page_number": page_number,
            "page_count": len(section.pages),
            "form": form,
            "blocks": form.blocks(),
            "conflicts": {c.question.pk: c for c in conflicts},
        },
    )


def _form_after_conflict(request, form, conflicts, questions, audit_return) -> AnswerPageForm:
    """Redraw the page with what this person typed, the versions brought up to date (so
    saving again is a deliberate overwrite), and an error on each clashing question."""
    data = request.POST.copy()
    for conflict in conflicts:
        data[f"q{conflict.question.pk}_version"] = str(conflict.theirs.version)
    redrawn = AnswerPageForm(
        data,
        questions=questions,
        answers=_answers(audit_return),
        existing_files=_files_by_question(audit_return),
    )
    redrawn.is_valid()
    for conflict in conflicts:
        who = conflict.theirs.updated_by
        name = (who.get_full_name() or who.email) if who else "Someone else"
        redrawn.add_error(
            f"q{conflict.question.pk}",
            f"{conflict.question.code}: {name} changed this answer after you opened the page. "
            "Their answer is shown below. Save again to replace it with yours, or change yours to match.",
        )
    return redrawn


@role_required()
def return_section_check(request, pk: int, section_pk: int):
    audit_return = _get_return(request, pk)
    sections, index, section = _get_section(audit_return, section_pk)
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    can_complete = services.can_complete(request.user, audit_return)
    if request.method == "POST":
        if not can_complete:
            raise PermissionDenied
        services.section_mark_complete(audit_return=audit_return, section=section, user=request.user)
        messages.success(request, f"Section {section.number} marked as completed")
        return redirect("schools:return_task_list", audit_return.pk)
    rows = []
    for number, page in enumerate(section.pages, start=1):
        for question in page:
            rows.append(
                {
                    "question": question,
                    "answer": answers.get(question.pk),
                    "files": files.get(question.pk, []),
                    "page_number": number,
                    "rag": answer_rag(answers.get(question.pk)) if answers.get(question.pk) else None,
                }
            )
    unanswered = [
        r for r in rows if r["question"].required and not _is_answered(r["question"], r["answer"], r["files"])
    ]
    return render(
        request,
        "schools/return_section_check.html",
        {
            "audit_return": audit_return,
            "section": section,
            "rows": rows,
            "unanswered": unanswered,
            "can_complete": can_complete,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
        },
    )


@role_required(*SETTING_ROLES)
def return_section_assign(request, pk: int, section_pk: int):
    audit_return = _get_return(request, pk)
    _sections, _index, section = _get_section(audit_return, section_pk)
    if not services.can_complete(request.user, audit_return):
        raise PermissionDenied
    members = list(members_of(audit_return.setting))
    form = AssignSectionForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        assignee = form.members.get(form.cleaned_data["assignee"])
        services.section_assign(audit_return=audit_return, section=section, assignee=assignee, user=request.user)
        messages.success(request, f"Section {section.number} assigned")
        return redirect("schools:return_task_list", audit_return.pk)
    return render(
        request, "schools/return_section_assign.html", {"audit_return": audit_return, "section": section, "form": form}
    )


@role_required(*SETTING_ROLES)
def return_sign_off(request, pk: int):
    audit_return = _get_return(request, pk)
    if not services.can_complete(request.user, audit_return):
        raise PermissionDenied
    is_ap = audit_return.cycle.kind == QuestionnaireKind.AP_PROVIDER
    form = SignOffForm(
        request.POST if request.method == "POST" else None,
        is_ap=is_ap,
        initial={
            "headteacher_name": audit_return.headteacher_signoff_name or audit_return.setting.headteacher_name,
            "headteacher_on": audit_return.headteacher_signoff_on,
            "chair_name": audit_return.chair_signoff_name,
            "chair_on": audit_return.chair_signoff_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.audit_return_sign_off(
            audit_return=audit_return,
            user=request.user,
            headteacher_name=form.cleaned_data["headteacher_name"],
            headteacher_on=form.cleaned_data["headteacher_on"],
            chair_name=form.cleaned_data.get("chair_name", ""),
            chair_on=form.cleaned_data.get("chair_on"),
        )
        messages.success(request, "Sign-off saved")
        return redirect("schools:return_task_list", audit_return.pk)
    return render(request, "schools/return_sign_off.html", {"audit_return": audit_return, "form": form, "is_ap": is_ap})


@role_required(*SETTING_ROLES)
def return_submit(request, pk: int):
    audit_return = _get_return(request, pk)
    if not services.can_complete(request.user, audit_return):
        raise PermissionDenied
    gaps = services.audit_return_gaps(audit_return)
    if request.method == "POST":
        try:
            services.audit_return_submit(audit_return=audit_return, user=request.user)
        except services.SubmissionIncomplete as error:
            gaps = error.gaps
        else:
            return render(request, "schools/return_submitted.html", {"audit_return": audit_return})
    return render(
        request,
        "schools/return_submit.html",
        {"audit_return": audit_return, "gaps": gaps, "tried": request.method == "POST"},
    )


@role_required()
def return_print(request, pk: int):
    """Every answer on one page, for printing or saving as PDF from the browser."""
    audit_return = _get_return(request, pk)
    sections = sections_for_return(audit_return)
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    for section in sections:
        section.rows = [
            {
                "question": q,
                "answer": answers.get(q.pk),
                "files": files.get(q.pk, []),
                "rag": answer_rag(answers.get(q.pk)),
            }
            for q in section.applicable
        ]
    return render(request, "schools/return_print.html", {"audit_return": audit_return, "sections": sections})


@role_required()
def return_feedback(request, pk: int):
    audit_return = _get_return(request, pk)
    if audit_return.status not in {AuditReturn.Status.FEEDBACK_SENT, AuditReturn.Status.CLOSED}:
        raise Http404
    context = _review_context(audit_return)
    context["recommendations"] = recommendations_for(
        settings=[audit_return.setting], user=request.user, audit_return=audit_return
    )
    return render(request, "schools/return_feedback.html", context)


@role_required()
def evidence_download(request, pk: int):
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("answer"),
        pk=pk,
        answer__audit_return__in=returns_visible_to(request.user).values("pk"),
    )
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(*SETTING_ROLES)
def evidence_delete(request, pk: int):
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("answer__audit_return", "answer__question"),
        pk=pk,
        answer__audit_return__in=returns_visible_to(request.user).values("pk"),
    )
    audit_return = evidence.answer.audit_return
    services.evidence_remove(evidence=evidence, user=request.user)
    messages.success(request, f"{evidence.original_name} removed")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("schools:return_task_list", args=[audit_return.pk])  # never off-site (open redirect)
    return redirect(back)


# The adviser's side ---------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
def review_queue_view(request):
    returns = review_queue(request.user)
    status = request.GET.get("status")
    if status in {AuditReturn.Status.SUBMITTED, AuditReturn.Status.IN_REVIEW}:
        returns = returns.filter(status=status)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        returns = returns.filter(Q(setting__name__icontains=query) | Q(setting__urn=query))
    page = Paginator(returns, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/review_queue.html",
        {"page": page, "returns": page.object_list, "status": status, "query": query},
    )


def _review_context(audit_return: AuditReturn) -> dict:
    sections = sections_for_return(audit_return)
    answers = _answers(audit_return)
    files = _files_by_question(audit_return)
    comments = list(ReviewComment.objects.filter(audit_return=audit_return).select_related("author"))
    overall = []
    for section in sections:
        section_answers = [answers[q.pk] for q in section.applicable if q.pk in answers]
        section.score = score(section_answers)
        overall.extend(section_answers)
        section.rows = [
            {
                "question": q,
                "answer": answers.get(q.pk),
                "files": files.get(q.pk, []),
                "rag": answer_rag(answers.get(q.pk)),
                "comments": [c for c in comments if c.question_id == q.pk],
            }
            for q in section.applicable
        ]
        section.comments = [c for c in comments if c.section_id == section.pk and c.question_id is None]
        section.to_improve = [r for r in section.rows if r["rag"] in {"red", "amber"}]
    return {
        "audit_return": audit_return,
        "sections": sections,
        "overall": score(overall),
        "general_comments": [c for c in comments if c.section_id is None and c.question_id is None],
        "to_improve": [r for s in sections for r in s.to_improve],
    }


@role_required(*REVIEW_ROLES)
def return_review(request, pk: int):
    audit_return = _get_return(request, pk)
    can_review = services.can_review(request.user, audit_return)
    comment_form = ReviewCommentForm(prefix="comment")
    return_form = ReturnForChangesForm(prefix="return")
    feedback_form = FeedbackForm(prefix="feedback")
    form = None
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "start":
                services.audit_return_start_review(audit_return=audit_return, user=request.user)
                messages.success(request, "You are now reviewing this return")
                return redirect("schools:return_review", audit_return.pk)
            if action == "comment":
                form = comment_form = ReviewCommentForm(request.POST, prefix="comment")
                if form.is_valid():
                    section, question = _comment_target(audit_return, form.cleaned_data)
                    services.review_comment_add(
                        audit_return=audit_return,
                        user=request.user,
                        text=form.cleaned_data["text"],
                        section=section,
                        question=question,
                    )
                    messages.success(request, "Comment added")
                    return redirect("schools:return_review", audit_return.pk)
            elif action == "return":
                form = return_form = ReturnForChangesForm(request.POST, prefix="return")
                if form.is_valid():
                    services.audit_return_return_for_changes(
                        audit_return=audit_return, user=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, f"Returned to {audit_return.setting.name} for changes")
                    return redirect("schools:review_queue")
            elif action == "feedback":
                form = feedback_form = FeedbackForm(request.POST, prefix="feedback")
                if form.is_valid():
                    services.audit_return_send_feedback(
                        audit_return=audit_return,
                        user=request.user,
                        judgement=form.cleaned_data["judgement"],
                        summary=form.cleaned_data["summary"],
                    )
                    messages.success(request, f"Feedback sent to {audit_return.setting.name}")
                    return redirect("schools:review_queue")
            elif action == "close":
                services.audit_return_close(audit_return=audit_return, user=request.user)
                messages.success(request, "Return closed")
                return redirect("schools:review_queue")
            else:
                messages.error(request, "Choose what to do with this return")
        except services.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("schools:return_review", audit_return.pk)
    context = _review_context(audit_return)
    context.update(
        {
            "can_review": can_review,
            "comment_form": comment_form,
            "return_form": return_form,
            "feedback_form": feedback_form,
            "form": form,  # for the page's error summary
        }
    )
    return render(request, "schools/return_review.html", context)


def _comment_target(audit_return: AuditReturn, data: dict):
    """The section or question a comment is about, from "s<id>" or "q<id>"; 404 if not in this return."""
    target = data.get("target") or ""
    if not target:
        return None, None
    kind, pk = target[0], int(target[1:])
    for section in sections_for_return(audit_return):
        if kind == "s" and section.pk == pk:
            return section, None
        for question in section.applicable:
            if kind == "q" and question.pk == pk:
                return section, question
    raise Http404


# Settings and their members ----------------------------------------------------------------

INVITING_ROLES = (Role.ADVISER, Role.QA_MANAGER, Role.COMMISSIONING_OFFICER)


def _invitable_setting(request, pk: int) -> Setting:
    setting = get_object_or_404(settings_visible_to(request.user), pk=pk)
    # Advisers look after schools; commissioning officers after AP providers.
    wanted = Role.AP_PROVIDER_USER if setting.is_ap_provider else Role.SCHOOL_USER
    if not can_invite(request.user, wanted):
        raise PermissionDenied
    return setting


@role_required(*INVITING_ROLES)
def setting_members(request, pk: int):
    setting = _invitable_setting(request, pk)
    return render(
        request,
        "schools/setting_members.html",
        {"setting": setting, "members": members_of(setting), "returns": setting.audit_returns.select_related("cycle")},
    )


@role_required(*INVITING_ROLES)
def setting_member_invite(request, pk: int):
    setting = _invitable_setting(request, pk)
    form = MemberInvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        role = Role.AP_PROVIDER_USER if setting.is_ap_provider else Role.SCHOOL_USER
        try:
            invitation_create(
                inviter=request.user,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                role=role,
                context={"setting_id": setting.pk, "setting_role": form.cleaned_data["setting_role"]},
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}")
            return redirect("schools:setting_members", setting.pk)
    return render(request, "schools/setting_member_invite.html", {"setting": setting, "form": form})


# Audit cycles ------------------------------------------------------------------------------

CYCLE_VIEWERS = (Role.QA_MANAGER, Role.ADVISER, Role.COMMISSIONING_OFFICER, Role.SENIOR_MANAGER)


@role_required(*CYCLE_VIEWERS)
def cycle_list(request):
    cycles = (
        AuditCycle.objects.select_related("questionnaire")
        .annotate(
            total=Count("returns"),
            submitted=Count("returns", filter=~Q(returns__status__in=NOT_SUBMITTED)),
        )
        .order_by("-opens_on", "-pk")
    )
    page = Paginator(cycles, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/cycle_list.html",
        {"page": page, "cycles": page.object_list, "can_open": user_has_role(request.user, Role.QA_MANAGER)},
    )


@role_required(Role.QA_MANAGER)
def cycle_open_view(request):
    localities = sorted(set(Setting.objects.exclude(locality="").values_list("locality", flat=True)))
    form = CycleOpenForm(request.POST if request.method == "POST" else None, localities=localities)
    if request.method == "POST" and form.is_valid():
        questionnaire = form.cleaned_data["questionnaire"]
        scope = services.settings_in_scope(questionnaire.kind)
        if form.cleaned_data["localities"]:
            scope = scope.filter(locality__in=form.cleaned_data["localities"])
        try:
            cycle = services.cycle_open(
                user=request.user,
                questionnaire=questionnaire,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                due_on=form.cleaned_data["due_on"],
                settings=scope,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{cycle.title} is open with {cycle.returns.count()} settings")
            return redirect("schools:cycle_detail", cycle.pk)
    return render(request, "schools/cycle_open.html", {"form": form})


@role_required(*CYCLE_VIEWERS)
def cycle_detail(request, pk: int):
    cycle = get_object_or_404(AuditCycle.objects.select_related("questionnaire"), pk=pk)
    returns = returns_visible_to(request.user).filter(cycle=cycle)
    counts = {row["status"]: row["n"] for row in returns.values("status").annotate(n=Count("pk"))}
    non_returners = returns.filter(status__in=NOT_SUBMITTED).select_related("setting").order_by("setting__name")
    page = Paginator(non_returners, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/cycle_detail.html",
        {
            "cycle": cycle,
            "status_counts": [(s.label, counts.get(s.value, 0)) for s in AuditReturn.Status],
            "page": page,
            "non_returners": page.object_list,
            "overdue": cycle.due_on < timezone.localdate(),
            "is_qa": user_has_role(request.user, Role.QA_MANAGER),
        },
    )


@role_required(Role.QA_MANAGER)
def cycle_add_settings_view(request, pk: int):
    cycle = get_object_or_404(AuditCycle, pk=pk)
    available = services.settings_in_scope(cycle.kind).exclude(audit_returns__cycle=cycle)
    form = CycleAddSettingsForm(request.POST if request.method == "POST" else None, queryset=available)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.cycle_add_settings(cycle=cycle, user=request.user, settings=form.cleaned_data["settings"])
        except services.InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{len(added)} setting{'s' if len(added) != 1 else ''} added")
        return redirect("schools:cycle_detail", cycle.pk)
    return render(request, "schools/cycle_add_settings.html", {"cycle": cycle, "form": form, "available": available})


@require_POST
@role_required(Role.QA_MANAGER)
def cycle_close_view(request, pk: int):
    cycle = get_object_or_404(AuditCycle, pk=pk)
    try:
        services.cycle_close(cycle=cycle, user=request.user)
    except services.InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{cycle.title} is closed")
    return redirect("schools:cycle_detail", cycle.pk)
