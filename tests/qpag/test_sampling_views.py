"""The sampling and import pages: every page by role, uploads accepted and refused (with the
rejection report), a draw made and refused through its form, and the template download."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.roles import Role
from qpag.constants import Grade, PracticeArea, Service
from qpag.models import CaseExtract, CaseFileAudit, ExtractCase, SampleDraw
from qpag.sampling import sample_draw_create
from tests.qpag.conftest import D

EXTRACT_HEADER = "Case number,Team,Service,Open date,Allocated worker,Locality"


def url(name: str, *args) -> str:
    return reverse(f"qpag:{name}", args=args)


def date_data(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def csv_file(text: str, name: str = "extract.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def extract(db, qa_manager):
    made = CaseExtract.objects.create(
        original_name="mosaic.csv", extracted_on=D("2026-10-28"), uploaded_by=qa_manager, sha256="ab" * 32
    )
    for team in ("North locality team", "South locality team"):
        for n in range(4):
            ExtractCase.objects.create(
                extract=made,
                case_number=f"{team[0]}-{n:03d}",
                team=team,
                service=Service.SOCIAL_CARE,
                opened_on=D("2025-01-01"),
                locality=team.split()[0],
            )
    made.row_count = 8
    made.save()
    return made


@pytest.fixture
def draw(extract, qa_manager, auditors):
    return sample_draw_create(
        user=qa_manager,
        extract=extract,
        service=Service.SOCIAL_CARE,
        period_start=D("2026-10-01"),
        per_team=1,
        notified_on=D("2026-10-29"),
        seed=2026,
    )


def read_pages(extract, draw) -> list[str]:
    return [
        url("extract_list"),
        url("extract_detail", extract.pk),
        url("sample_draw_detail", draw.pk),
        url("case_file_audit_import_template"),
    ]


def manage_pages() -> list[str]:
    return [url("extract_upload"), url("case_file_audit_import")]


# Access by role -----------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, extract, draw):
    for address in [*read_pages(extract, draw), *manage_pages()]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith("/sign-in/"), address
    response = client.post(url("sample_draw", extract.pk), {})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.ADVISER, Role.EDITOR])
def test_other_roles_get_404_everywhere(client, user_for_role, extract, draw, role):
    client.force_login(user_for_role(role))
    for address in [*read_pages(extract, draw), *manage_pages()]:
        assert client.get(address).status_code == 404, address
    assert client.post(url("sample_draw", extract.pk), {}).status_code == 404
    assert client.post(url("extract_upload"), {}).status_code == 404


def test_senior_managers_read_but_cannot_change(client, qpag_senior, extract, draw):
    client.force_login(qpag_senior)
    for address in read_pages(extract, draw):
        assert client.get(address).status_code == 200, address
    for address in manage_pages():
        assert client.get(address).status_code == 403, address
    assert client.post(url("sample_draw", extract.pk), {"service": "social_care"}).status_code == 403
    assert client.post(url("extract_upload"), {}).status_code == 403
    assert client.post(url("case_file_audit_import"), {}).status_code == 403
    # No draw form and no upload button for a read-only reader.
    detail = client.get(url("extract_detail", extract.pk)).content.decode()
    assert "Draw a sample" not in detail
    listing = client.get(url("extract_list")).content.decode()
    assert "Upload an extract" not in listing
    assert SampleDraw.objects.count() == 1


def test_qa_managers_see_every_page(client, qa_manager, extract, draw):
    client.force_login(qa_manager)
    for address in [*read_pages(extract, draw), *manage_pages()]:
        assert client.get(address).status_code == 200, address
    assert client.get(url("sample_draw", extract.pk)).status_code == 405


# The list -----------------------------------------------------------------------------------


def test_extract_list_empty_state(client, qa_manager):
    client.force_login(qa_manager)
    page = client.get(url("extract_list")).content.decode()
    assert "No extracts have been uploaded yet" in page
    assert "No samples have been drawn yet" in page
    assert url("extract_upload") in page


def test_extract_list_paginates_and_lists_recent_draws(client, qa_manager, extract, draw):
    for day in range(1, 25):
        CaseExtract.objects.create(
            original_name=f"old-{day}.csv",
            extracted_on=D("2026-01-01") + datetime.timedelta(days=day),
            uploaded_by=qa_manager,
            sha256="0" * 64,
        )
    client.force_login(qa_manager)
    first = client.get(url("extract_list")).content.decode()
    assert "25 extracts, showing 1 to 20" in first
    assert "mosaic.csv" in first  # the newest first
    assert url("sample_draw_detail", draw.pk) in first
    second = client.get(url("extract_list"), {"page": 2}).content.decode()
    assert "showing 21 to 25" in second
    assert "old-1.csv" in second


def test_extract_list_queries_do_not_grow_with_rows(client, qa_manager, extract, draw, django_assert_max_num_queries):
    client.force_login(qa_manager)
    with django_assert_max_num_queries(20):
        client.get(url("extract_list"))
    for day in range(1, 15):
        CaseExtract.objects.create(
            original_name=f"x{day}.csv",
            extracted_on=D("2026-02-01") + datetime.timedelta(days=day),
            uploaded_by=qa_manager,
            sha256="0" * 64,
        )
    with django_assert_max_num_queries(20):
        client.get(url("extract_list"))


# Uploading an extract -------------------------------------------------------------------------


def test_uploading_an_extract(client, qa_manager):
    client.force_login(qa_manager)
    text = f"{EXTRACT_HEADER}\nMOS-1,North locality team,Social care,01/02/2026,W,North\n"
    response = client.post(
        url("extract_upload"), {"file": csv_file(text), **date_data("extracted_on", D("2026-10-28"))}
    )
    extract = CaseExtract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("extract_detail", extract.pk)
    assert messages_of(response) == ["Uploaded 1 cases from extract.csv."]
    page = client.get(response["Location"]).content.decode()
    assert "North locality team" in page
    assert "Children&#x27;s social care" in page
    assert extract.sha256 in page


def test_a_rejected_extract_shows_every_problem_and_saves_nothing(client, qa_manager):
    client.force_login(qa_manager)
    rows = "\n".join(f"MOS-{n},Team,Social care,not-a-date,W," for n in range(100, 160))
    response = client.post(
        url("extract_upload"),
        {"file": csv_file(f"{EXTRACT_HEADER}\n{rows}\n"), **date_data("extracted_on", D("2026-10-28"))},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The file has 60 problems. Nothing was saved" in page
    assert "Row 2: open date “not-a-date” is not a real date" in page
    assert "Row 51: open date" in page
    assert "Row 52: open date" not in page  # only 50 listed
    assert "And 10 more problems not listed here" in page
    assert not CaseExtract.objects.exists()


def test_an_upload_with_a_name_column_is_refused(client, qa_manager):
    client.force_login(qa_manager)
    text = f"{EXTRACT_HEADER},Child name\nMOS-1,Team,Social care,2026-01-01,W,,Jane\n"
    response = client.post(
        url("extract_upload"), {"file": csv_file(text), **date_data("extracted_on", D("2026-10-28"))}
    )
    assert response.status_code == 200
    assert "does not store children&#x27;s names" in response.content.decode()
    assert not CaseExtract.objects.exists()


def test_upload_form_errors(client, qa_manager):
    client.force_login(qa_manager)
    response = client.post(url("extract_upload"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a CSV file" in page
    assert "Enter the date the extract was taken" in page
    response = client.post(
        url("extract_upload"),
        {"file": csv_file("x", name="extract.pdf"), **date_data("extracted_on", D("2026-10-28"))},
    )
    assert "The selected file must be a CSV (its name should end in .csv)" in response.content.decode()
    assert not CaseExtract.objects.exists()


# Drawing a sample ----------------------------------------------------------------------------


def draw_data(**overrides) -> dict:
    data = {
        "service": Service.SOCIAL_CARE,
        "month": "2026-11-01",
        "per_team": "2",
        **date_data("notified_on", D("2026-11-02")),
        "seed": "31",
    }
    data.update(overrides)
    return data


def test_drawing_a_sample_through_the_page(client, qa_manager, extract, auditors):
    client.force_login(qa_manager)
    response = client.post(url("sample_draw", extract.pk), draw_data())
    draw = SampleDraw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("sample_draw_detail", draw.pk)
    assert messages_of(response) == ["Drew 4 cases for November 2026. Auditors can now be told."]
    assert (draw.service, draw.period_start, draw.per_team, draw.seed) == ("social_care", D("2026-11-01"), 2, 31)
    page = client.get(response["Location"]).content.decode()
    assert "Reproduced: yes" in page
    assert "31" in page
    assert extract.sha256 in page
    assert "open at least 6 months on 1 November 2026" in page
    for audit in draw.audits.all():
        assert f"/qpag/case-file-audits/{audit.pk}/" in page
        assert audit.auditor.name in page


def test_drawing_a_chad_week_through_the_page(client, qa_manager, auditors):
    from qpag.models import Auditor

    Auditor.objects.create(name="PC Partner", team="Police", service=Service.CHAD)
    chad = CaseExtract.objects.create(
        original_name="chad.csv", extracted_on=D("2026-11-23"), uploaded_by=qa_manager, sha256="c" * 64
    )
    for index, category in enumerate(["consultation", "early_help", "section_17", "section_47"]):
        for n in range(3):
            ExtractCase.objects.create(
                extract=chad,
                case_number=f"CON-{index}{n}",
                team="ChAD",
                service=Service.CHAD,
                opened_on=D("2026-11-18"),
                chad_category=category,
            )
    client.force_login(qa_manager)
    response = client.post(
        url("sample_draw", chad.pk),
        draw_data(
            service="chad",
            month="",
            **date_data("week_commencing", D("2026-11-23")),
            **date_data("notified_on", D("2026-11-23")),
        ),
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Drew 8 cases for the week commencing 23 November 2026. Auditors can now be told."]
    page = client.get(response["Location"]).content.decode()
    assert "2 consultations, 2 contacts passed to Early Help" in page
    assert "Contact leading to a section 47 assessment" in page
    assert "PC Partner (Police)" in page
    assert "Reproduced: yes" in page


def test_a_second_draw_for_the_month_is_refused_on_the_page(client, qa_manager, extract, draw):
    client.force_login(qa_manager)
    response = client.post(
        url("sample_draw", extract.pk), draw_data(month="2026-10-01", notified_on_day="29", notified_on_month="10")
    )
    assert response.status_code == 200
    assert "already been drawn for October 2026" in response.content.decode()
    assert SampleDraw.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"service": ""}, "Choose the service to sample"),
        ({"month": ""}, "Choose the month audited"),
        ({"per_team": "9"}, "The number of cases for each team must be between 1 and 5"),
        ({"seed": "-1"}, "The seed must be a whole number from 0 to 9223372036854775807"),
        ({"service": "chad"}, "Enter the week commencing date for a ChAD sample"),
        ({"service": "chad", **date_data("week_commencing", D("2026-11-24"))}, "must be a Monday"),
        ({"notified_on_day": "31", "notified_on_month": "2"}, "must be a real date"),
        ({"service": "early_help"}, "No Early Help cases in this extract are eligible"),
    ],
)
def test_draw_form_refusals(client, qa_manager, extract, auditors, overrides, message):
    client.force_login(qa_manager)
    response = client.post(url("sample_draw", extract.pk), draw_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SampleDraw.objects.exists()
    assert not CaseFileAudit.objects.exists()


def test_a_draw_nobody_can_audit_names_the_team(client, qa_manager, extract, auditors):
    auditors["ava"].is_active = False
    auditors["ava"].save()
    client.force_login(qa_manager)
    response = client.post(url("sample_draw", extract.pk), draw_data())
    assert "South locality team" in response.content.decode()
    assert not SampleDraw.objects.exists()


def test_draw_detail_shows_not_reproduced_when_the_extract_changed(client, qpag_senior, draw):
    chosen = draw.audits.get(team="North locality team").case_number
    ExtractCase.objects.filter(case_number=chosen).delete()
    client.force_login(qpag_senior)
    assert "Reproduced: no" in client.get(url("sample_draw_detail", draw.pk)).content.decode()


# Importing completed audits -------------------------------------------------------------------

IMPORT_HEADER = (
    "Case number,Service,Team,Auditor,Notified on,Audited on,Auditor grade,Family feedback sought,"
    f"{PracticeArea.SAFETY_AND_RISK.label}"
)


def test_importing_completed_audits_through_the_page(client, qa_manager, auditors):
    client.force_login(qa_manager)
    text = (
        f"{IMPORT_HEADER}\n"
        "MOS-1,Social care,South locality team,Ava Auditor,2026-09-01,2026-09-05,Good,yes,Good\n"
        "MOS-2,Social care,North locality team,Ben Auditor,2026-09-01,2026-09-05,Inadequate,no,Inadequate\n"
    )
    response = client.post(url("case_file_audit_import"), {"file": csv_file(text, "audits.csv")})
    assert response.status_code == 302
    assert messages_of(response) == [
        "Imported 2 completed audits: 0 moderated, 1 inadequate with a triple-lock review opened."
    ]
    assert CaseFileAudit.objects.filter(imported=True, status="audited").count() == 2
    assert CaseFileAudit.objects.get(case_number="MOS-2").final_grade == Grade.INADEQUATE


def test_a_rejected_import_shows_the_report_and_saves_nothing(client, qa_manager, auditors):
    client.force_login(qa_manager)
    text = (
        f"{IMPORT_HEADER}\n"
        "MOS-1,Social care,South locality team,Ava Auditor,2026-09-01,2026-09-05,Good,yes,Good\n"
        "MOS-2,Social care,North locality team,Ava Auditor,2026-09-01,2026-09-05,Good,yes,Good\n"
    )
    response = client.post(url("case_file_audit_import"), {"file": csv_file(text, "audits.csv")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 1 problem. Nothing was saved" in page
    assert "Row 3: the auditor Ava Auditor is in North locality team" in page
    assert not CaseFileAudit.objects.exists()


def test_the_template_csv_downloads(client, qpag_senior):
    client.force_login(qpag_senior)
    response = client.get(url("case_file_audit_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Case number,Service,Team,Locality,Auditor,Notified on")
    assert PracticeArea.SEND_QS5.label in text
