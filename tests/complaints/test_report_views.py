"""The quarterly complaints report pages: who may reach them, the quarter form, snapshots built by
Celery (eager here) with their files, downloads, failures shown politely, snapshots that never
change, and a live page whose query count does not grow with the complaints."""

import datetime
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from complaints import reports, services
from complaints.models import QuarterlyReport, Source
from complaints.quarters import FINANCIAL, Quarter
from portal.roles import Role

from .conftest import TODAY

Status = QuarterlyReport.Status
Q2 = Quarter(FINANCIAL, 2026, 2)  # the last complete financial quarter on the real today (26 November 2026)
Q2_FORM = {"basis": "financial", "year": "2026", "quarter": "2"}
D = datetime.date.fromisoformat


@pytest.fixture
def q2_complaints(make_complaint, setting, other_setting):
    """Three complaints received in Q2 2026-27, one of them from Ofsted."""
    make_complaint(setting, received_on=D("2026-07-06"))
    make_complaint(setting, received_on=D("2026-08-12"), source=Source.STAFF)
    make_complaint(other_setting, received_on=D("2026-09-15"), source=Source.OFSTED, source_reference="OF-1")


def _ready_snapshot(user, quarter=Q2) -> QuarterlyReport:
    report = reports.quarterly_report_request(user=user, quarter=quarter)
    reports.report_build(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def snapshot(adviser, q2_complaints):
    return _ready_snapshot(adviser)


@pytest.fixture
def stored_snapshot(adviser, q2_complaints):
    """A ready snapshot without running WeasyPrint, for the many access checks."""
    report = reports.quarterly_report_request(user=adviser, quarter=Q2)
    report.figures = reports.quarterly_figures(quarter=Q2)
    report.xlsx.save("stored.xlsx", ContentFile(b"PK placeholder"), save=False)
    report.pdf.save("stored.pdf", ContentFile(b"%PDF placeholder"), save=False)
    report.status = Status.READY
    report.save()
    return report


# Who may see the pages --------------------------------------------------------------------

PAGES = ["report", "report_list", "report_snapshot", "report_status", "report_download"]


def _url(name: str, snapshot: QuarterlyReport) -> str:
    if name == "report_download":
        return reverse("complaints:report_download", args=[snapshot.pk, "xlsx"])
    if name in {"report_snapshot", "report_status"}:
        return reverse(f"complaints:{name}", args=[snapshot.pk])
    return reverse(f"complaints:{name}")


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", [Role.ADVISER, Role.QA_MANAGER, Role.SENIOR_MANAGER])
def test_complaints_roles_can_see_every_report_page(client, make_user, stored_snapshot, name, role):
    client.force_login(make_user(role, email=f"{role.value}-reports@example.org"))
    assert client.get(_url(name, stored_snapshot)).status_code == 200


@pytest.mark.parametrize("name", [*PAGES, "report_request"])
@pytest.mark.parametrize("role", [Role.SCHOOL_USER, Role.AP_PROVIDER_USER, Role.COMMISSIONING_OFFICER, Role.EDITOR])
def test_everyone_else_gets_404(client, make_user, stored_snapshot, name, role):
    client.force_login(make_user(role, email=f"{role.value}-reports@example.org"))
    if name == "report_request":
        response = client.post(reverse("complaints:report_request"), Q2_FORM)
    else:
        response = client.get(_url(name, stored_snapshot))
    assert response.status_code == 404
    assert QuarterlyReport.objects.count() == 1


def test_a_member_of_the_setting_gets_404_too(client, setting_member, stored_snapshot):
    client.force_login(setting_member)
    assert client.get(reverse("complaints:report")).status_code == 404
    assert client.get(reverse("complaints:report_download", args=[stored_snapshot.pk, "pdf"])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, stored_snapshot, name):
    response = client.get(_url(name, stored_snapshot))
    assert response.status_code == 302
    assert reverse("portal:sign_in") in response["Location"]


def test_anonymous_request_is_sent_to_sign_in(client, db):
    response = client.post(reverse("complaints:report_request"), Q2_FORM)
    assert response.status_code == 302
    assert QuarterlyReport.objects.count() == 0


# The live page -----------------------------------------------------------------------------


def test_the_page_defaults_to_the_last_complete_financial_quarter(client, senior_manager, q2_complaints):
    client.force_login(senior_manager)
    response = client.get(reverse("complaints:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["quarter"] == Q2
    assert "Q2 2026-27: 1 July 2026 to 30 September 2026" in html
    assert "Q1 2026-27" in html
    assert 'id="section-all"' in html and 'id="section-ofsted"' in html
    measures = {m["key"]: m for m in response.context["quarterly"]["sections"][0]["measures"]}
    assert measures["received"]["current"] == "3"
    ofsted = {m["key"]: m for m in response.context["quarterly"]["sections"][1]["measures"]}
    assert ofsted["received"]["current"] == "1"
    # Each chart is an accessible image, followed by its table.
    assert html.count('role="img"') == 7
    assert html.count("<caption") >= 9
    assert "Download XLSX" in html and "Download PDF" in html
    assert "<script>" not in html.split('id="section-all"')[1]


def test_choosing_a_calendar_quarter(client, adviser, q2_complaints):
    client.force_login(adviser)
    response = client.get(reverse("complaints:report"), {"basis": "calendar", "year": "2026", "quarter": "3"})
    assert response.status_code == 200
    assert response.context["quarter"] == Quarter("calendar", 2026, 3)
    assert "Q3 2026: 1 July 2026 to 30 September 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"basis": "financial", "year": "twenty", "quarter": "2"}, "Enter the year as a number, like 2026"),
        ({"basis": "financial", "year": "", "quarter": "2"}, "Enter the year"),
        ({"basis": "financial", "year": "1999", "quarter": "2"}, "Enter a year from 2000 to 2026"),
        ({"basis": "financial", "year": "2026", "quarter": "9"}, "Choose a quarter from Q1 to Q4"),
        ({"basis": "weekly", "year": "2026", "quarter": "2"}, "Choose financial year or calendar year"),
        ({"basis": "financial", "year": "2026", "quarter": "3"}, "Choose a quarter that has ended"),
        ({"year": "2026"}, "Choose a quarter"),
    ],
)
def test_invalid_choices_show_an_error_summary(client, adviser, query, message):
    client.force_login(adviser)
    response = client.get(reverse("complaints:report"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert response.context["quarterly"] is None
    assert "Download XLSX" not in html
    assert "<title>Error:" in html


def test_the_live_page_query_count_does_not_grow(
    client, adviser, make_complaint, setting, other_setting, django_assert_max_num_queries
):
    client.force_login(adviser)
    make_complaint(setting, received_on=D("2026-07-06"))
    client.get(reverse("complaints:report"))  # warm the session and caches
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("complaints:report"))
    for day in range(1, 29):
        where = setting if day % 2 else other_setting
        source = Source.OFSTED if day % 3 == 0 else Source.PARENT
        complaint = make_complaint(where, received_on=D(f"2026-08-{day:02d}"), source=source)
        services.complaint_acknowledge(complaint=complaint, user=adviser, on=D(f"2026-08-{day:02d}"), today=TODAY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("complaints:report"))
    measures = {m["key"]: m for m in response.context["quarterly"]["sections"][0]["measures"]}
    assert measures["received"]["current"] == "29"


# Requesting a snapshot ----------------------------------------------------------------------


def test_request_builds_a_snapshot_with_both_files(
    client, qa_manager, q2_complaints, django_capture_on_commit_callbacks
):
    client.force_login(qa_manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("complaints:report_request"), {**Q2_FORM, "format": "pdf"})
    assert len(callbacks) == 1
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:report_snapshot", args=[report.pk]) + "?format=pdf"
    assert (report.status, report.progress, report.label) == (Status.READY, 100, "Q2 2026-27")
    assert (report.basis, report.starts_on, report.ends_on) == ("financial", D("2026-07-01"), D("2026-09-30"))
    assert report.requested_by == qa_manager
    assert report.finished_at is not None and report.error == ""
    assert report.figures["sections"][0]["current"]["received"] == 3
    assert ModelLogEntry.objects.filter(action="complaints.report.request", object_id=str(report.pk)).exists()

    workbook = load_workbook(io.BytesIO(report.xlsx.read()))
    assert "All complaints" in workbook.sheetnames
    assert report.pdf.open("rb").read(4) == b"%PDF"

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'http-equiv="refresh"' not in html
    assert reverse("complaints:report_download", args=[report.pk, "xlsx"]) in html
    assert reverse("complaints:report_download", args=[report.pk, "pdf"]) in html
    assert 'id="section-ofsted"' in html


def test_the_snapshot_renders_as_the_live_page_did(client, adviser, q2_complaints):
    client.force_login(adviser)
    live = client.get(reverse("complaints:report")).content.decode()
    report = _ready_snapshot(adviser)
    shown = client.get(reverse("complaints:report_snapshot", args=[report.pk])).content.decode()

    def figures_part(html: str) -> str:
        start = html.index('<section class="portal-report-section"')
        return html[start : html.rindex("</section>")]

    assert figures_part(shown) == figures_part(live)


def _main(html: str) -> str:
    """The page's main content (the header's sign-out form carries a fresh CSRF token)."""
    return html[html.index("<main") : html.index("</main>")]


def test_request_with_an_invalid_quarter_makes_nothing(client, adviser):
    client.force_login(adviser)
    response = client.post(reverse("complaints:report_request"), {"basis": "financial", "year": "2026", "quarter": "4"})
    assert response.status_code == 200
    assert "Choose a quarter that has ended" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert QuarterlyReport.objects.count() == 0


def test_request_must_be_a_post(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("complaints:report_request"), Q2_FORM).status_code == 405


def test_a_waiting_snapshot_refreshes_itself_and_reports_progress(client, senior_manager):
    client.force_login(senior_manager)
    report = reports.quarterly_report_request(user=senior_manager, quarter=Q2)  # not committed: not built
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status=Status.RUNNING, progress=50, progress_message="Writing the spreadsheet"
    )
    response = client.get(reverse("complaints:report_snapshot", args=[report.pk]))
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "50% done" in html and "Writing the spreadsheet" in html
    assert reverse("complaints:report_download", args=[report.pk, "xlsx"]) not in html
    status = client.get(reverse("complaints:report_status", args=[report.pk]))
    assert json.loads(status.content) == {"status": "running", "progress": 50, "message": "Writing the spreadsheet"}
    # Nothing to download until it is ready.
    assert client.get(reverse("complaints:report_download", args=[report.pk, "xlsx"])).status_code == 404


def test_a_failed_build_is_shown_politely_with_a_way_to_try_again(client, adviser, q2_complaints, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database fell over at line 42")

    monkeypatch.setattr(reports, "quarterly_figures", broken)
    client.force_login(adviser)
    report = _ready_snapshot(adviser)
    assert report.status == Status.FAILED
    assert "RuntimeError" in report.error  # kept for the service team
    assert not report.xlsx and not report.pdf and report.figures == {}

    html = client.get(reverse("complaints:report_snapshot", args=[report.pk])).content.decode()
    assert "could not be produced" in html
    assert "database fell over" not in html and "RuntimeError" not in html and "Traceback" not in html
    assert 'http-equiv="refresh"' not in html
    assert f'action="{reverse("complaints:report_request")}"' in html
    assert '<input type="hidden" name="quarter" value="2">' in html
    assert '<input type="hidden" name="year" value="2026">' in html
    assert "Try again" in html
    status = json.loads(client.get(reverse("complaints:report_status", args=[report.pk])).content)
    assert status["status"] == "failed"
    assert "fell over" not in status["message"]

    monkeypatch.undo()
    retry = _ready_snapshot(adviser)
    assert retry.status == Status.READY


def test_a_ready_snapshot_is_not_rebuilt(adviser, snapshot, monkeypatch):
    before = snapshot.figures
    monkeypatch.setattr(reports, "quarterly_figures", lambda **kwargs: pytest.fail("rebuilt"))
    reports.report_build(report_id=snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.figures == before and snapshot.status == Status.READY


def test_a_snapshot_never_changes_when_complaints_do(client, adviser, snapshot, make_complaint, setting):
    client.force_login(adviser)
    url = reverse("complaints:report_snapshot", args=[snapshot.pk])
    before = client.get(url).content.decode()
    figures = snapshot.figures

    make_complaint(setting, received_on=D("2026-07-20"), source=Source.OFSTED)
    complaint = make_complaint(setting, received_on=D("2026-08-03"))
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=D("2026-08-04"), today=TODAY)

    after = client.get(url).content.decode()
    assert _main(after) == _main(before)  # the whole page body, byte for byte
    snapshot.refresh_from_db()
    assert snapshot.figures == figures
    live = client.get(reverse("complaints:report"))
    measures = {m["key"]: m for m in live.context["quarterly"]["sections"][0]["measures"]}
    assert measures["received"]["current"] == "5"  # the live page has moved on


# Downloads and the list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("pdf", "application/pdf")],
)
def test_downloads_are_attachments_and_logged(client, senior_manager, snapshot, fmt, content_type):
    client.force_login(senior_manager)
    response = client.get(reverse("complaints:report_download", args=[snapshot.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="complaints-report-q2-2026-27.{fmt}"'
    body = b"".join(response.streaming_content)
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        assert load_workbook(io.BytesIO(body)).sheetnames[0] == "All complaints"
    entry = ModelLogEntry.objects.get(action="complaints.report.download", object_id=str(snapshot.pk))
    assert entry.user == senior_manager
    assert entry.data["format"] == fmt


@pytest.mark.parametrize("fmt", ["docx", "csv", "XLSX", "pdf.exe"])
def test_other_formats_are_not_found(client, adviser, snapshot, fmt):
    client.force_login(adviser)
    assert client.get(reverse("complaints:report_download", args=[snapshot.pk, fmt])).status_code == 404
    assert not ModelLogEntry.objects.filter(action="complaints.report.download").exists()


def test_unknown_snapshots_are_not_found(client, adviser, db):
    client.force_login(adviser)
    assert client.get(reverse("complaints:report_snapshot", args=[999])).status_code == 404
    assert client.get(reverse("complaints:report_status", args=[999])).status_code == 404
    assert client.get(reverse("complaints:report_download", args=[999, "pdf"])).status_code == 404


def test_the_list_is_empty_at_first(client, adviser):
    client.force_login(adviser)
    response = client.get(reverse("complaints:report_list"))
    assert response.status_code == 200
    assert "No snapshots have been made yet." in response.content.decode()


def test_the_list_pages_through_snapshots_newest_first(client, adviser, django_assert_max_num_queries):
    client.force_login(adviser)

    def make(number: int) -> None:
        QuarterlyReport.objects.create(
            label=f"Snapshot {number:02d}",
            starts_on=D("2026-07-01"),
            ends_on=D("2026-09-30"),
            requested_by=adviser,
            status=Status.READY if number % 2 else Status.FAILED,
        )

    make(0)
    client.get(reverse("complaints:report_list"))  # the site settings are made on the first visit
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("complaints:report_list"))
    for number in range(1, 26):
        make(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(reverse("complaints:report_list"))
    html = first.content.decode()
    assert "26 snapshots, newest first" in html
    assert "Snapshot 25" in html and "Snapshot 01" in html and "Snapshot 00" not in html
    assert html.index("Snapshot 25") < html.index("Snapshot 24")
    assert "govuk-tag--red" in html and ">Failed<" in html and ">Ready<" in html
    second = client.get(reverse("complaints:report_list"), {"page": "2"})
    assert "Snapshot 00" in second.content.decode()
    assert "Snapshot 01" not in second.content.decode()
