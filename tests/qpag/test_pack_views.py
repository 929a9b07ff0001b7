"""The QPAG pack pages: access by role for every page, drafting a month, the narrative (with
the version conflict), issuing, an issued page showing only its frozen figures, and downloads."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.roles import Role
from qpag.constants import Grade
from qpag.dates import add_months, month_start, previous_month
from qpag.models import QpagPack
from qpag.pack import pack_figures
from qpag.services_packs import pack_draft, pack_narrative_save

# The views use the real today; the packs are for the month before it.
TODAY = timezone.localdate()
LAST_MONTH = previous_month(TODAY)


@pytest.fixture
def draft(qa_manager):
    return pack_draft(month=LAST_MONTH, user=qa_manager, today=TODAY)


@pytest.fixture
def issued(qa_manager):
    """An issued pack with files in place, without running WeasyPrint."""
    pack = QpagPack.objects.create(
        month=previous_month(LAST_MONTH),
        status=QpagPack.Status.ISSUED,
        figures=pack_figures(month=previous_month(LAST_MONTH), today=TODAY),
        issued_at=timezone.now(),
        issued_by=qa_manager,
        narrative={"performance": "Frozen words."},
    )
    pack.pdf.save("stored.pdf", ContentFile(b"%PDF-1.7 placeholder"), save=False)
    pack.xlsx.save("stored.xlsx", ContentFile(b"PK placeholder"), save=False)
    pack.files_status = QpagPack.FilesStatus.READY
    pack.save(update_fields=["pdf", "xlsx", "files_status", "updated_at"])
    return pack


READ_PAGES = ["pack_list", "pack_detail", "pack_download"]
CHANGE_PAGES = ["pack_narrative", "pack_issue"]


def _url(name: str, draft: QpagPack, issued: QpagPack) -> str:
    if name == "pack_list":
        return reverse("qpag:pack_list")
    if name == "pack_download":
        return reverse("qpag:pack_download", args=[issued.pk, "pdf"])
    return reverse(f"qpag:{name}", args=[draft.pk])


@pytest.mark.parametrize("name", [*READ_PAGES, *CHANGE_PAGES])
def test_anonymous_people_are_sent_to_sign_in(client, draft, issued, name):
    response = client.get(_url(name, draft, issued))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_anonymous_post_to_new_is_sent_to_sign_in(client, db):
    response = client.post(reverse("qpag:pack_new"), {"month": "1", "year": "2026"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("name", [*READ_PAGES, *CHANGE_PAGES])
@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.ADVISER, Role.EDITOR])
def test_other_roles_get_404(client, user_for_role, draft, issued, name, role):
    client.force_login(user_for_role(role))
    assert client.get(_url(name, draft, issued)).status_code == 404


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.ADVISER, Role.EDITOR])
def test_other_roles_cannot_draft(client, user_for_role, role, db):
    client.force_login(user_for_role(role))
    assert client.post(reverse("qpag:pack_new"), {"month": "1", "year": "2026"}).status_code == 404
    assert not QpagPack.objects.exists()


@pytest.mark.parametrize("name", READ_PAGES)
def test_senior_managers_read(client, qpag_senior, draft, issued, name):
    client.force_login(qpag_senior)
    assert client.get(_url(name, draft, issued)).status_code == 200


@pytest.mark.parametrize("name", CHANGE_PAGES)
def test_senior_managers_cannot_change(client, qpag_senior, draft, issued, name):
    client.force_login(qpag_senior)
    assert client.get(_url(name, draft, issued)).status_code == 403
    assert client.post(_url(name, draft, issued), {}).status_code == 403
    assert client.post(reverse("qpag:pack_new"), {"month": "1", "year": "2026"}).status_code == 403


@pytest.mark.parametrize("name", [*READ_PAGES, *CHANGE_PAGES])
def test_qa_managers_reach_every_page(client, qa_manager, draft, issued, name):
    client.force_login(qa_manager)
    assert client.get(_url(name, draft, issued)).status_code == 200


def test_list_shows_packs_and_the_form_with_last_month(client, qa_manager, draft, issued):
    client.force_login(qa_manager)
    response = client.get(reverse("qpag:pack_list"))
    html = response.content.decode()
    assert f"{LAST_MONTH:%B %Y}" in html
    assert "Draft a pack" in html
    assert response.context["form"].initial == {"month": LAST_MONTH.month, "year": LAST_MONTH.year}


def test_senior_list_has_no_form(client, qpag_senior, draft):
    client.force_login(qpag_senior)
    assert "Draft a pack" not in client.get(reverse("qpag:pack_list")).content.decode()


def test_draft_a_pack(client, qa_manager, db):
    client.force_login(qa_manager)
    response = client.post(reverse("qpag:pack_new"), {"month": str(LAST_MONTH.month), "year": str(LAST_MONTH.year)})
    pack = QpagPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("qpag:pack_detail", args=[pack.pk])
    assert pack.month == LAST_MONTH


@pytest.mark.parametrize("which", ["current", "future"])
def test_drafting_refuses_the_current_and_future_months(client, qa_manager, db, which):
    client.force_login(qa_manager)
    month = month_start(TODAY) if which == "current" else add_months(month_start(TODAY), 1)
    data = {"month": str(month.month), "year": str(month.year)}
    response = client.post(reverse("qpag:pack_new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not QpagPack.objects.exists()


def test_drafting_refuses_nonsense(client, qa_manager, db):
    client.force_login(qa_manager)
    response = client.post(reverse("qpag:pack_new"), {"month": "13", "year": "soon"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "month" in errors and "year" in errors


def test_draft_page_says_figures_are_live(client, qa_manager, draft, make_audit):
    make_audit(case_number="LIVE-1", notified_on=LAST_MONTH)
    client.force_login(qa_manager)
    html = client.get(reverse("qpag:pack_detail", args=[draft.pk])).content.decode()
    assert "Draft: figures are live until issued" in html
    assert "Contents" in html
    for title in ("Performance by exception", "Themes for learning", "Family and children"):
        assert title in html


def test_issued_page_renders_only_the_frozen_figures(client, qa_manager, issued, make_audit):
    client.force_login(qa_manager)
    before = client.get(reverse("qpag:pack_detail", args=[issued.pk])).content.decode()
    assert "Issued on" in before and "Frozen words." in before
    assert "Draft: figures are live" not in before
    make_audit(case_number="AFTER-1", notified_on=issued.month, grade=Grade.INADEQUATE)
    response = client.get(reverse("qpag:pack_detail", args=[issued.pk]))
    assert response.context["figures"] == issued.figures
    assert response.context["figures"]["social_work"]["notified"] == 0
    assert "AFTER-1" not in response.content.decode()


def test_narrative_page_saves(client, qa_manager, draft):
    client.force_login(qa_manager)
    url = reverse("qpag:pack_narrative", args=[draft.pk])
    response = client.post(url, {"version": "0", "performance": "Late reviews.", "send": "All good."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.narrative == {"performance": "Late reviews.", "send": "All good."}
    assert draft.version == 1


def test_narrative_too_long_is_an_error(client, qa_manager, draft):
    client.force_login(qa_manager)
    response = client.post(
        reverse("qpag:pack_narrative", args=[draft.pk]), {"version": "0", "performance": "x" * 10_001}
    )
    assert response.status_code == 200
    assert "10,000 characters or fewer" in response.content.decode()
    draft.refresh_from_db()
    assert draft.version == 0


def test_narrative_conflict_keeps_both_texts(client, qa_manager, make_user, draft):
    other = make_user(Role.QA_MANAGER, email="qa-other@example.org")
    pack_narrative_save(pack=draft, user=other, narrative={"performance": "Their words"}, version=0)
    client.force_login(qa_manager)
    url = reverse("qpag:pack_narrative", args=[draft.pk])
    response = client.post(url, {"version": "0", "performance": "My words"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "My words" in html and "Their words" in html
    assert "Someone else saved" in html
    assert response.context["form"]["version"].value() == "1"
    draft.refresh_from_db()
    assert draft.narrative == {"performance": "Their words"}
    # Saving the merged text from the version shown now works.
    client.post(url, {"version": "1", "performance": "Their words and mine"})
    draft.refresh_from_db()
    assert draft.narrative == {"performance": "Their words and mine"}


def test_narrative_of_an_issued_pack_is_404(client, qa_manager, issued):
    client.force_login(qa_manager)
    url = reverse("qpag:pack_narrative", args=[issued.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": "0", "performance": "Changed"}).status_code == 404
    issued.refresh_from_db()
    assert issued.narrative == {"performance": "Frozen words."}


def test_issue_page_confirms_then_issues(client, qa_manager, draft, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("qpag.tasks.build_pack_files_task.delay", lambda **kw: queued.append(kw))
    client.force_login(qa_manager)
    url = reverse("qpag:pack_issue", args=[draft.pk])
    assert "Issue the pack" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_issued and draft.issued_by == qa_manager
    assert queued == [{"pack_id": draft.pk}]


def test_issue_refused_for_the_current_month(client, qa_manager):
    current = pack_draft(month=TODAY, user=qa_manager, today=TODAY)
    client.force_login(qa_manager)
    url = reverse("qpag:pack_issue", args=[current.pk])
    assert "is not over yet" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "is not over yet" in response.content.decode()
    current.refresh_from_db()
    assert not current.is_issued


def test_issue_an_issued_pack_just_shows_it(client, qa_manager, issued):
    client.force_login(qa_manager)
    response = client.post(reverse("qpag:pack_issue", args=[issued.pk]), follow=True)
    assert "already been issued" in response.content.decode()


def test_download_serves_the_file_and_logs(client, qpag_senior, issued):
    client.force_login(qpag_senior)
    response = client.get(reverse("qpag:pack_download", args=[issued.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="qpag-pack-{issued.month:%Y-%m}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ModelLogEntry.objects.filter(action="qpag.pack.download", object_id=str(issued.pk)).exists()
    xlsx = client.get(reverse("qpag:pack_download", args=[issued.pk, "xlsx"]))
    assert xlsx["Content-Disposition"].startswith("attachment")


def test_download_refuses_drafts_and_unknown_formats(client, qa_manager, draft, issued):
    client.force_login(qa_manager)
    assert client.get(reverse("qpag:pack_download", args=[draft.pk, "pdf"])).status_code == 404
    assert client.get(reverse("qpag:pack_download", args=[issued.pk, "docx"])).status_code == 404


def test_download_while_files_are_produced_says_so(client, qa_manager, issued):
    QpagPack.objects.filter(pk=issued.pk).update(files_status=QpagPack.FilesStatus.PENDING, pdf="", xlsx="")
    client.force_login(qa_manager)
    response = client.get(reverse("qpag:pack_download", args=[issued.pk, "pdf"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "being produced" in html and 'http-equiv="refresh"' in html
    QpagPack.objects.filter(pk=issued.pk).update(files_status=QpagPack.FilesStatus.FAILED)
    html = client.get(reverse("qpag:pack_download", args=[issued.pk, "pdf"])).content.decode()
    assert "could not be produced" in html and "refresh" not in html
