"""Sending in a good-practice example and following it through moderation. Access is by role
(`role_required`); changes go through `learning_hub.submissions`."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from portal.permissions import role_required

from .forms_content import GoodPracticeSubmissionForm
from .submissions import (
    STATUS_TAG_CLASSES,
    SUBMITTER_ROLES,
    good_practice_submit,
    submission_status,
    submissions_of,
)

SUBMISSIONS_PER_PAGE = 25


@role_required(*SUBMITTER_ROLES)
def good_practice_submit_view(request):
    form = GoodPracticeSubmissionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            page = good_practice_submit(user=request.user, draft=form.to_draft(), themes=form.cleaned_data["themes"])
        except ValidationError as error:
            # A dict of field problems lands on those fields; anything else at the top.
            form.add_error(None, error)
        else:
            return redirect("learning_hub:good_practice_submitted", pk=page.pk)
    return render(request, "learning_hub/content/good_practice_submit.html", {"form": form})


@role_required(*SUBMITTER_ROLES)
def good_practice_submitted(request, pk: int):
    page = get_object_or_404(submissions_of(request.user), pk=pk)
    status = submission_status(page)
    return render(
        request,
        "learning_hub/content/good_practice_submitted.html",
        {"submission": page, "status": status, "tag_class": STATUS_TAG_CLASSES[status]},
    )


@role_required(*SUBMITTER_ROLES)
def my_submissions(request):
    items_page = Paginator(submissions_of(request.user), SUBMISSIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for submission in items_page.object_list:
        status = submission_status(submission)
        rows.append({"submission": submission, "status": status, "tag_class": STATUS_TAG_CLASSES[status]})
    return render(request, "learning_hub/content/my_submissions.html", {"items_page": items_page, "rows": rows})
