"""The return's pages: task list, question pages (save, resume, conflict, errors),
check answers, sign-off, submit, print, evidence, the adviser's queue and review."""

import io

import pytest
from django.urls import reverse

from schools.models import Answer, AuditReturn, EvidenceFile
from schools.selectors import sections_for_return
from tests.schools.conftest import build_questionnaire
from tests.schools.helpers import answer_everything, sign_off, submitted

Status = AuditReturn.Status


def page_url(audit_return, section, number=1):
    return reverse("schools:return_section_page", args=[audit_return.pk, section.pk, number])


def page_data(section, page=0, **values):
    """POST data for a page: every question answered plausibly unless overridden."""
    data = {}
    for question in section.pages[page]:
        key = f"q{question.pk}"
        data[key] = {
            "compliance": "yes",
            "short_text": "Dee Lead",
            "long_text": "Some words",
            "number": "12",
            "date": "1/9/2022",
        }.get(question.answer_type, "")
        data[f"{key}_version"] = "0"
        if question.follow_up_prompt:
            data[f"{key}_follow_up"] = ""
    data.update(values)
    return data


def test_task_list_shows_sections_and_progress(client, audit_return, dsl, django_assert_max_num_queries):
    client.force_login(dsl)
    url = reverse("schools:return_task_list", args=[audit_return.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-task-list" in html
    assert "1. Section 1" in html and "0 of 5 answered" in html
    assert "Not yet started" in html
    assert "Check and submit" in html


def test_task_list_queries_do_not_grow_with_the_questionnaire(
    client, qa_manager, setting, dsl, django_assert_max_num_queries
):
    from schools import services
    from tests.schools.conftest import TODAY

    counts = []
    for year, sections, per_section in (("2030/31", 2, 3), ("2031/32", 12, 10)):
        questionnaire = build_questionnaire(year=year, sections=sections, per_section=per_section)
        cycle = services.cycle_open(
            user=qa_manager, questionnaire=questionnaire, title=year, opens_on=TODAY, due_on=TODAY
        )
        audit_return = cycle.returns.get(setting=setting)
        answer_everything(audit_return, dsl)
        client.force_login(dsl)
        url = reverse("schools:return_task_list", args=[audit_return.pk])
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries.captured_queries))
        page = page_url(audit_return, sections_for_return(audit_return)[0])
        with CaptureQueriesContext(connection) as page_queries:
            client.get(page)
        counts.append(len(page_queries.captured_queries))
    assert counts[0] == counts[2], counts  # task list: 6 questions vs 120
    assert counts[1] == counts[3], counts  # a question page


def test_other_settings_returns_are_404(client, audit_return, outsider):
    client.force_login(outsider)
    section = sections_for_return(audit_return)[0]
    for url in (
        reverse("schools:return_task_list", args=[audit_return.pk]),
        page_url(audit_return, section),
        reverse("schools:return_section_check", args=[audit_return.pk, section.pk]),
        reverse("schools:return_print", args=[audit_return.pk]),
        reverse("schools:return_sign_off", args=[audit_return.pk]),
        reverse("schools:return_submit", args=[audit_return.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_malformed_section_and_page_numbers_are_404(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    assert client.get(page_url(audit_return, section, 99)).status_code == 404
    assert client.get(f"/audits/returns/{audit_return.pk}/sections/999999/pages/1/").status_code == 404
    assert client.get(f"/audits/returns/{audit_return.pk}/sections/abc/pages/1/").status_code == 404
    assert client.get("/audits/returns/999999/").status_code == 404


def test_save_and_continue_saves_to_the_database_and_moves_on(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    response = client.post(page_url(audit_return, section), page_data(section, save_and_continue="1"))
    assert response.status_code == 302
    assert response.url == page_url(audit_return, section, 2)
    assert Answer.objects.filter(audit_return=audit_return).count() == len(section.pages[0])


def test_required_field_errors_keep_what_was_typed(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    first, second = section.pages[0][0], section.pages[0][1]
    data = page_data(section, save_and_continue="1")
    data[f"q{first.pk}"] = ""  # required compliance question left blank
    data[f"q{second.pk}"] = "Typed by the DSL"
    response = client.post(page_url(audit_return, section), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert f'<a href="#id_q{first.pk}_0">1.1: select yes, partly, no or not applicable</a>' in html
    assert 'value="Typed by the DSL"' in html
    assert not Answer.objects.filter(audit_return=audit_return).exists()


def test_follow_up_is_required_when_partly_or_no(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    first = section.pages[0][0]
    data = page_data(section, save_and_continue="1", **{f"q{first.pk}": "no"})
    html = client.post(page_url(audit_return, section), data).content.decode()
    assert "1.1: What will you do, and by when?" in html


def test_bad_number_and_date_are_refused_clearly(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    number_q = next(q for q in section.applicable if q.answer_type == "number")
    date_q = next(q for q in section.applicable if q.answer_type == "date")
    page = next(i for i, p in enumerate(section.pages) if number_q in p)
    data = page_data(section, page, save_and_return="1", **{f"q{number_q.pk}": "lots", f"q{date_q.pk}": "31/2/2022"})
    html = client.post(page_url(audit_return, section, page + 1), data).content.decode()
    assert "enter a number, like 12" in html
    assert "enter a real date" in html


def test_save_and_come_back_later_allows_gaps_and_resume_opens_first_unanswered_page(client, audit_return, dsl):
    client.force_login(dsl)
    section = sections_for_return(audit_return)[0]
    data = page_data(section, save_and_return="1")
    data[f"q{section.pages[0][-1].pk}"] = ""
    response = client.post(page_url(audit_return, section), data)
    assert response.status_code == 302
    assert response.url == reverse("schools:return_task_list", args=[audit_return.pk])
    # Sign out and back in (another session): the work is still there and resume finds the gap.
    client.logout()
    client.force_login(dsl)
    response = client.get(reverse("schools:return_section_start", args=[audit_return.pk, section.pk]))
    assert response.url == page_url(audit_return, section, 1)
    html = client.get(response.url).content.decode()
    assert 'value="Dee Lead"' in html or "checked" in html


def test_second_editor_sees_both_versions_and_nothing_is_lost(client, audit_return, dsl, deputy):
    section = sections_for_return(audit_return)[0]
    first = section.pages[0][0]
    # Both open the page; the DSL saves "yes".
    client.force_login(dsl)
    client.post(page_url(audit_return, section), page_data(section, save_and_return="1"))
    # The deputy, with the page drawn at version 0, saves "no".
    client.force_login(deputy)
    data = page_data(section, save_and_return="1", **{f"q{first.pk}": "no", f"q{first.pk}_follow_up": "Fix it"})
    response = client.post(page_url(audit_return, section), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "changed this answer after you opened the page" in html
    assert "Their answer" in html and "Dee Lead" in html
    assert Answer.objects.get(question=first).compliance == "yes"  # not overwritten
    assert 'value="Fix it"' not in html or "Fix it" in html  # the deputy's typing is kept
    # Saving again is a deliberate overwrite.
    data[f"q{first.pk}_version"] = "1"
    assert client.post(page_url(audit_return, section), data).status_code == 302
    assert Answer.objects.get(question=first).compliance == "no"


def test_carried_forward_answer_is_marked_on_the_page(client, audit_return, dsl):
    question = sections_for_return(audit_return)[0].pages[0][0]
    Answer.objects.create(audit_return=audit_return, question=question, compliance="yes", carried_forward=True)
    client.force_login(dsl)
    html = client.get(page_url(audit_return, sections_for_return(audit_return)[0])).content.decode()
    assert "Carried forward from last year – please confirm" in html


def test_check_answers_has_change_links_and_marks_complete(client, audit_return, dsl):
    client.force_login(dsl)
    answer_everything(audit_return, dsl)
    section = sections_for_return(audit_return)[0]
    url = reverse("schools:return_section_check", args=[audit_return.pk, section.pk])
    html = client.get(url).content.decode()
    assert "Check your answers" in html
    assert f'href="{page_url(audit_return, section)}#q{section.pages[0][0].pk}"' in html
    assert client.post(url).status_code == 302
    html = client.get(reverse("schools:return_task_list", args=[audit_return.pk])).content.decode()
    assert "Completed" in html


def test_submit_page_lists_every_gap_as_a_link(client, audit_return, dsl):
    client.force_login(dsl)
    response = client.post(reverse("schools:return_submit", args=[audit_return.pk]))
    html = response.content.decode()
    assert "You cannot submit yet" in html
    assert "1.1: answer this question" in html
    assert "Sign-off: enter the chair of governors" in html
    audit_return.refresh_from_db()
    assert audit_return.status == Status.NOT_STARTED


def test_sign_off_form_validates_and_saves(client, audit_return, dsl):
    client.force_login(dsl)
    url = reverse("schools:return_sign_off", args=[audit_return.pk])
    html = client.post(url, {"headteacher_name": "", "headteacher_on": "32/1/2022"}).content.decode()
    assert "Enter the headteacher&#x27;s name" in html
    assert "Enter a real date" in html
    assert "Enter the chair of governors&#x27; name" in html
    response = client.post(
        url,
        {
            "headteacher_name": "Helen Head",
            "headteacher_on": "20/11/2026",
            "chair_name": "Gary Governor",
            "chair_on": "21/11/2026",
        },
    )
    assert response.status_code == 302
    audit_return.refresh_from_db()
    assert audit_return.chair_signoff_name == "Gary Governor"


def test_submitting_a_complete_return_and_read_only_afterwards(client, audit_return, dsl):
    answer_everything(audit_return, dsl)
    sign_off(audit_return, dsl)
    client.force_login(dsl)
    response = client.post(reverse("schools:return_submit", args=[audit_return.pk]))
    assert "Audit submitted" in response.content.decode()
    audit_return.refresh_from_db()
    assert audit_return.status == Status.SUBMITTED
    section = sections_for_return(audit_return)[0]
    # Pages now redirect to the read-only answers; posting changes nothing.
    response = client.post(page_url(audit_return, section), page_data(section, save_and_continue="1"))
    assert response.status_code == 302
    assert "check" in response.url
    html = client.get(reverse("schools:return_print", args=[audit_return.pk])).content.decode()
    assert "Helen Head" in html and "Dee Lead" in html


def test_adviser_queue_review_and_feedback(
    client, audit_return, dsl, adviser, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(audit_return, dsl)
    client.force_login(adviser)
    html = client.get(reverse("schools:review_queue")).content.decode()
    assert audit_return.setting.name in html
    url = reverse("schools:return_review", args=[audit_return.pk])
    assert "Start reviewing" in client.get(url).content.decode()
    client.post(url, {"action": "start"})
    html = client.get(url).content.decode()
    assert "Send feedback to the setting" in html and "Compliance 100%" in html
    # Errors are summarised and nothing changes.
    html = client.post(url, {"action": "feedback", "feedback-summary": ""}).content.decode()
    assert "Select an overall judgement" in html and "Write a summary of your feedback" in html
    client.post(url, {"action": "comment", "comment-text": "Good DSL cover", "comment-target": ""})
    section = sections_for_return(audit_return)[0]
    client.post(url, {"action": "comment", "comment-text": "Section one is strong", "comment-target": f"s{section.pk}"})
    question = section.applicable[0]
    client.post(url, {"action": "comment", "comment-text": "Exemplary DSL", "comment-target": f"q{question.pk}"})
    assert client.post(url, {"action": "comment", "comment-text": "x", "comment-target": "q999999"}).status_code == 404
    assert client.post(url, {"action": "comment", "comment-text": "x", "comment-target": "bogus"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "feedback", "feedback-judgement": "good", "feedback-summary": "A strong return."}
        )
    assert response.status_code == 302
    audit_return.refresh_from_db()
    assert audit_return.status == Status.FEEDBACK_SENT
    assert dsl.email in [m.to[0] for m in mailoutbox]
    # The school reads it.
    client.force_login(dsl)
    html = client.get(reverse("schools:return_feedback", args=[audit_return.pk])).content.decode()
    assert "A strong return." in html and "Good DSL cover" in html
    assert "Section one is strong" in html and "Exemplary DSL" in html


def test_adviser_returns_for_changes_and_the_school_sees_why(client, audit_return, dsl, adviser):
    submitted(audit_return, dsl)
    client.force_login(adviser)
    url = reverse("schools:return_review", args=[audit_return.pk])
    client.post(url, {"action": "start"})
    client.post(url, {"action": "return", "return-reason": "Please add your SCR check date."})
    client.force_login(dsl)
    html = client.get(reverse("schools:return_task_list", args=[audit_return.pk])).content.decode()
    assert "Please add your SCR check date." in html


@pytest.mark.parametrize("role_fixture", ["dsl", "school_user"])
def test_school_users_cannot_reach_the_review_pages(client, audit_return, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(reverse("schools:review_queue")).status_code == 403
    assert client.get(reverse("schools:return_review", args=[audit_return.pk])).status_code == 403


def test_feedback_page_is_404_before_feedback(client, audit_return, dsl):
    client.force_login(dsl)
    assert client.get(reverse("schools:return_feedback", args=[audit_return.pk])).status_code == 404


# Evidence -----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def evidence_question(audit_return):
    section = sections_for_return(audit_return)[0]
    question = section.pages[0][1]
    question.answer_type = "evidence"
    question.save()
    return question


def upload(client, audit_return, question, name, content):
    section = sections_for_return(audit_return)[0]
    data = page_data(section, save_and_return="1")
    data[f"q{question.pk}"] = io.BytesIO(content)
    data[f"q{question.pk}"].name = name
    return client.post(page_url(audit_return, section), data)


def test_evidence_upload_allowed_and_served_only_to_the_right_people(
    client, audit_return, dsl, outsider, adviser, evidence_question, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(dsl)
    assert upload(client, audit_return, evidence_question, "policy.pdf", PDF).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.original_name == "policy.pdf" and evidence.content_type == "application/pdf"
    assert "policy.pdf" not in evidence.file.name  # stored under a random name
    url = reverse("schools:evidence_download", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(adviser)
    assert client.get(url).status_code == 200
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("policy.exe", b"MZ\x90\x00", "must be PDF, Word"),
        ("policy.pdf", b"MZ\x90\x00 not really a pdf", "not a real PDF file"),
        ("notes.txt", b"\x00\x01\x02binary", "not a real TXT file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_evidence_upload_refused_with_a_clear_message(
    client, audit_return, dsl, evidence_question, settings, tmp_path, name, content, message
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(dsl)
    response = upload(client, audit_return, evidence_question, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_evidence_too_large_is_refused(audit_return, dsl, evidence_question, settings, tmp_path, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools import evidence as evidence_module
    from schools import services

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    monkeypatch.setattr(evidence_module, "MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="smaller than 20 MB"):
        services.evidence_add(
            audit_return=audit_return,
            question=evidence_question,
            user=dsl,
            uploaded=SimpleUploadedFile("big.pdf", PDF),
        )


def test_office_documents_are_recognised_by_content(tmp_path):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.evidence import evidence_check

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    docx = buffer.getvalue()
    assert evidence_check(SimpleUploadedFile("policy.docx", docx)).content_type.endswith("wordprocessingml.document")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        evidence_check(SimpleUploadedFile("policy.xlsx", docx))  # a Word file named as Excel


def test_removing_evidence(client, audit_return, dsl, outsider, evidence_question, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(dsl)
    upload(client, audit_return, evidence_question, "policy.pdf", PDF)
    evidence = EvidenceFile.objects.get()
    client.force_login(outsider)
    assert client.post(reverse("schools:evidence_delete", args=[evidence.pk])).status_code == 404
    client.force_login(dsl)
    assert client.post(reverse("schools:evidence_delete", args=[evidence.pk])).status_code == 302
    assert not EvidenceFile.objects.exists()


def test_dashboards_show_audit_panels(client, audit_return, dsl, adviser):
    client.force_login(dsl)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Your safeguarding audits" in html and audit_return.cycle.title in html
    submitted(audit_return, dsl)
    client.force_login(adviser)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 submitted and waiting for review" in html
