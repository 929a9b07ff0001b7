"""The formal response pages: drafting (with the template and an uploaded document), sending
for sign-off, sign-off and return by a QA manager, recording it as sent, and the document
download. Dates are relative to the real today, because the views use it."""

import datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from complaints import services
from complaints.models import ComplaintResponse, Status
from portal.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ResponseStatus = ComplaintResponse.Status


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Uploaded responses go to a temporary folder, not the shared test media."""
    field = ComplaintResponse._meta.get_field("document")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def investigating(make_complaint, setting, adviser, today):
    """A complaint received a fortnight ago, acknowledged and under investigation."""
    received_on = today - datetime.timedelta(days=14)
    complaint = make_complaint(setting, received_on=received_on, today=today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=received_on, today=today)
    return services.complaint_start_investigation(complaint=complaint, user=adviser)


def response_url(complaint):
    return reverse("complaints:complaint_response", args=[complaint.pk])


def document_url(complaint):
    return reverse("complaints:complaint_response_document", args=[complaint.pk])


def action_url(complaint, action):
    return reverse("complaints:complaint_action", args=[complaint.pk, action])


def detail_url(complaint):
    return reverse("complaints:complaint_detail", args=[complaint.pk])


def sent_on(day: datetime.date) -> dict:
    return {"mark-sent-on_day": str(day.day), "mark-sent-on_month": str(day.month), "mark-sent-on_year": str(day.year)}


def complete(**overrides) -> dict:
    data = {
        "findings": "The concern reached the DSL two days late.",
        "outcome": "partly_upheld",
        "body": "Dear Pat Parent, ...",
        "then": "submit",
    }
    data.update(overrides)
    return data


# Drafting -----------------------------------------------------------------------------------------


def test_the_response_waits_for_the_acknowledgement(client, make_complaint, setting, adviser, today):
    complaint = make_complaint(setting, received_on=today - datetime.timedelta(days=3), today=today)
    client.force_login(adviser)
    response = client.get(response_url(complaint), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(complaint)
    assert "The response can be written once the complaint is acknowledged" in response.content.decode()


def test_the_first_draft_starts_from_the_template(client, investigating, adviser):
    client.force_login(adviser)
    response = client.get(response_url(investigating))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<title>Formal response – {investigating.reference}" in content
    assert f"Formal response to {investigating.reference}</h1>" in content
    assert "Dear Pat Parent," in content
    assert f"Complaint reference {investigating.reference}: Oakfield Primary School" in content
    for outcome in ("Upheld", "Partly upheld", "Not upheld"):
        assert f">{outcome}</label>" in content


def test_saving_a_draft(client, investigating, adviser):
    client.force_login(adviser)
    data = complete(outcome="", then="save", findings="So far: records requested.")
    response = client.post(response_url(investigating), data)
    assert response.status_code == 302
    draft = ComplaintResponse.objects.get(complaint=investigating)
    assert (draft.status, draft.findings, draft.drafted_by) == (
        ResponseStatus.DRAFT,
        "So far: records requested.",
        adviser,
    )
    # The second visit shows what was saved, not the template.
    assert "So far: records requested." in client.get(response_url(investigating)).content.decode()


def test_sending_an_incomplete_draft_for_sign_off_keeps_it_and_says_what_is_missing(client, investigating, adviser):
    client.force_login(adviser)
    response = client.post(response_url(investigating), complete(outcome="", findings=""))
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert '<a href="#id_outcome_0">Choose the outcome</a>' in content
    assert '<a href="#id_findings">Enter the findings</a>' in content
    assert "Your draft was saved, but it cannot be sent for sign-off yet." in content
    draft = ComplaintResponse.objects.get(complaint=investigating)
    assert (draft.status, draft.body) == (ResponseStatus.DRAFT, "Dear Pat Parent, ...")


def test_sending_for_sign_off(client, investigating, adviser):
    client.force_login(adviser)
    response = client.post(response_url(investigating), complete(), follow=True)
    assert "Response sent to a QA manager for sign-off" in response.content.decode()
    draft = ComplaintResponse.objects.get(complaint=investigating)
    assert draft.status == ResponseStatus.AWAITING_SIGN_OFF
    assert ModelLogEntry.objects.filter(action="complaints.response.submit", user=adviser).exists()


# Uploads and the download -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("letter.exe", b"MZ\x90\x00\x03\x00\x00\x00", "The selected file must be PDF, Word"),
        ("letter.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf", "The selected file is not a real PDF file"),
        ("letter.pdf", b"", "The selected file is empty"),
    ],
)
def test_uploads_are_checked_by_content(client, investigating, adviser, name, content, message):
    client.force_login(adviser)
    data = complete(then="save", document=SimpleUploadedFile(name, content))
    response = client.post(response_url(investigating), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "The concern reached the DSL two days late." in response.content.decode()  # input kept
    assert not ComplaintResponse.objects.filter(complaint=investigating).exists()


def test_uploading_downloading_and_removing_the_document(client, investigating, adviser, private_files):
    client.force_login(adviser)
    data = complete(then="save", body="", document=SimpleUploadedFile("Response letter.pdf", PDF))
    assert client.post(response_url(investigating), data).status_code == 302
    draft = ComplaintResponse.objects.get(complaint=investigating)
    assert draft.document_name == "Response letter.pdf"
    assert investigating.reference not in draft.document.name  # a random stored name
    assert (private_files / draft.document.name).exists()

    page = client.get(detail_url(investigating)).content.decode()
    assert document_url(investigating) in page

    download = client.get(document_url(investigating))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Response letter.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF

    # Remove it: the draft still has findings and an outcome, but now no letter.
    assert "Remove the uploaded document" in client.get(response_url(investigating)).content.decode()
    data = complete(then="save", body="", remove_document="on")
    assert client.post(response_url(investigating), data).status_code == 302
    draft.refresh_from_db()
    assert not draft.document
    assert client.get(document_url(investigating)).status_code == 404


def test_the_download_is_for_advisers_and_qa_managers_only(
    client, investigating, adviser, qa_manager, senior_manager, setting_member, make_user
):
    services.response_save(
        complaint=investigating,
        user=adviser,
        findings="x",
        outcome="upheld",
        body="",
        document=SimpleUploadedFile("letter.pdf", PDF),
    )
    client.force_login(qa_manager)
    assert client.get(document_url(investigating)).status_code == 200
    client.force_login(senior_manager)  # scrutiny without the letter to the complainant
    assert client.get(document_url(investigating)).status_code == 403
    assert document_url(investigating) not in client.get(detail_url(investigating)).content.decode()
    for user in (setting_member, make_user(Role.AP_PROVIDER_USER), make_user(Role.EDITOR)):
        client.force_login(user)
        assert client.get(document_url(investigating)).status_code == 404
    client.logout()
    assert client.get(document_url(investigating)).status_code == 302


# Sign-off and sending -------------------------------------------------------------------------------


def _awaiting(complaint, user):
    services.response_save(
        complaint=complaint, user=user, findings="Late referral.", outcome="upheld", body="Dear Pat Parent"
    )
    return services.response_submit(complaint=complaint, user=user)


def test_a_qa_manager_signs_off_and_the_adviser_records_it_as_sent(client, investigating, adviser, qa_manager, today):
    _awaiting(investigating, adviser)
    client.force_login(adviser)
    assert action_url(investigating, "sign-off") not in client.get(detail_url(investigating)).content.decode()
    assert client.post(action_url(investigating, "sign-off"), {}).status_code == 403

    # Sign-off comes before sending.
    response = client.post(action_url(investigating, "mark-sent"), sent_on(today))
    assert response.status_code == 200
    assert "A QA manager must sign off the response before it is recorded as sent." in response.content.decode()
    investigating.refresh_from_db()
    assert investigating.status == Status.UNDER_INVESTIGATION

    client.force_login(qa_manager)
    page = client.get(detail_url(investigating)).content.decode()
    assert action_url(investigating, "sign-off") in page
    assert action_url(investigating, "return-response") in page
    assert "Dear Pat Parent" in page  # the letter, to read before signing off
    assert client.post(action_url(investigating, "sign-off"), {}).status_code == 302
    signed = ComplaintResponse.objects.get(complaint=investigating)
    assert (signed.status, signed.signed_off_by) == (ResponseStatus.SIGNED_OFF, qa_manager)

    client.force_login(adviser)
    page = client.get(detail_url(investigating)).content.decode()
    assert "Signed off by" in page and "Quinn Manager" in page
    assert action_url(investigating, "mark-sent") in page
    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(action_url(investigating, "mark-sent"), sent_on(tomorrow))
    assert "The date sent must be today or in the past" in response.content.decode()
    assert client.post(action_url(investigating, "mark-sent"), sent_on(today)).status_code == 302
    investigating.refresh_from_db()
    assert (investigating.status, investigating.response_sent_on) == (Status.RESPONSE_SENT, today)
    assert (investigating.outcome, investigating.clock_due_on) == ("upheld", None)
    assert ComplaintResponse.objects.get(complaint=investigating).status == ResponseStatus.SENT
    # Once sent, the response page is closed.
    response = client.get(response_url(investigating), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(investigating)


def test_nobody_signs_off_their_own_response(client, investigating, qa_manager):
    _awaiting(investigating, qa_manager)
    client.force_login(qa_manager)
    page = client.get(detail_url(investigating)).content.decode()
    assert action_url(investigating, "sign-off") not in page
    assert client.post(action_url(investigating, "sign-off"), {}).status_code == 403
    assert ComplaintResponse.objects.get(complaint=investigating).status == ResponseStatus.AWAITING_SIGN_OFF


def test_returning_a_response_for_changes(client, investigating, adviser, qa_manager):
    _awaiting(investigating, adviser)
    client.force_login(qa_manager)
    response = client.post(action_url(investigating, "return-response"), {"return-response-comment": ""})
    assert response.status_code == 200
    assert "Enter what needs to change" in response.content.decode()
    data = {"return-response-comment": "Say what the school has agreed to change."}
    assert client.post(action_url(investigating, "return-response"), data).status_code == 302
    returned = ComplaintResponse.objects.get(complaint=investigating)
    assert (returned.status, returned.returned_comment) == (ResponseStatus.DRAFT, data["return-response-comment"])
    client.force_login(adviser)
    assert escape(data["return-response-comment"]) in client.get(response_url(investigating)).content.decode()


def test_editing_a_signed_off_response_needs_sign_off_again(client, investigating, adviser, qa_manager):
    _awaiting(investigating, adviser)
    services.response_sign_off(complaint=investigating, user=qa_manager)
    client.force_login(adviser)
    page = client.get(response_url(investigating)).content.decode()
    assert "Saving changes sends the response back to draft" in page
    assert client.post(response_url(investigating), complete(then="save")).status_code == 302
    edited = ComplaintResponse.objects.get(complaint=investigating)
    assert (edited.status, edited.signed_off_by) == (ResponseStatus.DRAFT, None)


def test_senior_managers_see_the_findings_but_not_the_letter(client, investigating, adviser, senior_manager):
    _awaiting(investigating, adviser)
    client.force_login(senior_manager)
    page = client.get(detail_url(investigating)).content.decode()
    assert "Late referral." in page
    assert "Awaiting sign-off" in page
    assert "Dear Pat Parent" not in page
    assert client.get(response_url(investigating)).status_code == 403
    assert client.post(action_url(investigating, "sign-off"), {}).status_code == 403
