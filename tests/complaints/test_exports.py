"""Exports of the tracker's list: CSV and Excel, the filtered rows, complainants' details only
for a QA manager who asked, formula injection, and an audit-log entry for every download."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from complaints import exports, services
from complaints.models import ComplaintsSettings, Source
from portal.roles import Role
from tests.complaints.test_tracker import ago, bulk_complaints, today

EXPORT = reverse("complaints:tracker_export")
TRACKER = reverse("complaints:tracker")


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response) -> list[dict]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def export_logs():
    return ModelLogEntry.objects.filter(action="complaints.tracker.export").order_by("pk")


@pytest.fixture
def two(make_complaint, setting, other_setting):
    ofsted = make_complaint(
        setting, source=Source.OFSTED, source_reference="OF-123", complainant_name="Jo Secret", today=today()
    )
    parent = make_complaint(other_setting, source=Source.PARENT, received_on=ago(30), today=today())
    return ofsted, parent


def test_csv_has_the_filtered_rows_and_every_column(client, adviser, two):
    ofsted, parent = two
    client.force_login(adviser)
    response = client.get(EXPORT, {"format": "csv", "source": "ofsted"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="complaints-{today():%Y-%m-%d}.csv"'
    rows = read_csv(response)
    assert [row["Reference"] for row in rows] == [ofsted.reference]
    row = rows[0]
    assert list(row) == exports.HEADINGS
    assert row["Setting"] == "Oakfield Primary School"
    assert row["Setting URN"] == "910001"
    assert row["Received on"] == ofsted.received_on.isoformat()
    assert row["Source"] == "Ofsted notification"
    assert row["Source reference"] == "OF-123"
    assert row["How received"] == "Email"
    assert row["Adviser"] == "Ada Adviser"
    assert row["Status"] == "Received"
    assert row["Acknowledge due"] == ofsted.acknowledge_due_on.isoformat()
    assert row["Clock"] in {"Due soon", "On track", "Overdue"}
    assert "Jo Secret" not in response.content.decode("utf-8-sig")


def test_xlsx_has_the_filtered_rows(client, adviser, two):
    ofsted, parent = two
    client.force_login(adviser)
    response = client.get(EXPORT, {"format": "xlsx", "source": "parent"})
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="complaints-{today():%Y-%m-%d}.xlsx"'
    rows = read_xlsx(response)
    assert [row["Reference"] for row in rows] == [parent.reference]
    assert rows[0]["Clock"] == "Overdue"
    assert rows[0]["Received on"].date() == parent.received_on
    assert "Complainant name" not in rows[0]


def test_export_follows_the_open_default_and_the_sort(client, adviser, two):
    ofsted, parent = two
    services.complaint_withdraw(complaint=parent, user=adviser, on=today(), reason="Withdrawn", today=today())
    client.force_login(adviser)
    assert [r["Reference"] for r in read_csv(client.get(EXPORT, {"format": "csv"}))] == [ofsted.reference]
    rows = read_csv(client.get(EXPORT, {"format": "csv", "show": "all", "sort": "-reference"}))
    assert [r["Reference"] for r in rows] == [parent.reference, ofsted.reference]
    assert rows[0]["Status"] == "Withdrawn" and rows[0]["Closed on"] == today().isoformat()


def test_export_is_not_paged(client, adviser):
    bulk_complaints(30, adviser=adviser)
    client.force_login(adviser)
    assert len(read_csv(client.get(EXPORT, {"format": "csv"}))) == 30


def test_without_personal_data_by_default_even_for_a_qa_manager(client, qa_manager, two):
    client.force_login(qa_manager)
    for export_format in ("csv", "xlsx"):
        response = client.get(EXPORT, {"format": export_format})
        rows = read_csv(response) if export_format == "csv" else read_xlsx(response)
        assert "Complainant name" not in rows[0] and "Complainant contact" not in rows[0]
    assert [entry.data["personal"] for entry in export_logs()] == [False, False]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_qa_manager_who_ticks_gets_the_complainants_details(client, qa_manager, two, export_format):
    ofsted, _parent = two
    client.force_login(qa_manager)
    response = client.get(EXPORT, {"format": export_format, "personal": "1", "source": "ofsted"})
    rows = read_csv(response) if export_format == "csv" else read_xlsx(response)
    assert rows[0]["Complainant name"] == "Jo Secret"
    assert rows[0]["Complainant contact"] == "pat.parent@example.net"
    entry = export_logs().get()
    assert entry.data["personal"] is True
    assert entry.data["format"] == export_format
    assert entry.data["rows"] == 1
    assert entry.data["filters"]["source"] == "ofsted"
    assert entry.user_id == qa_manager.pk


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SENIOR_MANAGER], ids=str)
def test_others_asking_for_personal_data_get_the_export_without_it(client, make_user, two, role):
    user = make_user(role, email=f"asker-{role.value}@example.org")
    client.force_login(user)
    response = client.get(EXPORT, {"format": "csv", "personal": "1"})
    rows = read_csv(response)
    assert len(rows) == 2
    assert "Complainant name" not in rows[0]
    assert "Jo Secret" not in response.content.decode("utf-8-sig")
    entry = export_logs().get()
    assert entry.data["personal"] is False
    assert entry.user_id == user.pk


def test_every_export_is_logged_against_the_complaints_settings(client, adviser, two, setting):
    client.force_login(adviser)
    client.get(EXPORT, {"format": "csv", "setting": setting.pk, "clock": "due_soon"})
    client.get(EXPORT, {"format": "xlsx"})
    first, second = export_logs()
    target = services.complaints_settings()
    assert isinstance(target, ComplaintsSettings)
    assert first.object_id == str(target.pk) and first.content_type.model == "complaintssettings"
    assert first.data == {
        "format": "csv",
        "rows": 1,
        "personal": False,
        "filters": {"show": "open", "setting": str(setting.pk), "clock": "due_soon", "sort": "-received"},
    }
    assert second.data["format"] == "xlsx" and second.data["rows"] == 2


def test_bad_filters_or_format_are_not_exported(client, adviser, two):
    client.force_login(adviser)
    response = client.get(EXPORT, {"format": "csv", "received_from": "31/02/2026"})
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}?received_from=31%2F02%2F2026"
    followed = client.get(response["Location"]).content.decode()
    assert "Correct the filters before downloading" in followed
    assert "Received from must be a real date" in followed
    response = client.get(EXPORT, {"format": "pdf"})
    assert response.status_code == 302 and response["Location"] == TRACKER
    assert not export_logs().exists()


def test_cells_that_look_like_formulas_are_defused(client, qa_manager, make_complaint, setting):
    make_complaint(
        setting,
        source_reference='=HYPERLINK("http://evil.example","click")',
        complainant_name="+44 1234 567890",
        complainant_contact="@attacker",
        today=today(),
    )
    client.force_login(qa_manager)
    row = read_csv(client.get(EXPORT, {"format": "csv", "personal": "1"}))[0]
    assert row["Source reference"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Complainant name"] == "'+44 1234 567890"
    assert row["Complainant contact"] == "'@attacker"
    response = client.get(EXPORT, {"format": "xlsx", "personal": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=exports.HEADINGS.index("Source reference") + 1)
    assert cell.data_type == "s"  # kept as the text typed, never a formula


def test_safe_text_leaves_ordinary_values_alone():
    assert exports.safe_text("Oakfield") == "Oakfield"
    assert exports.safe_text(None) == ""
    assert exports.safe_text(-3) == "-3"
    assert exports.safe_text("-3") == "'-3"
    assert exports.safe_text("\tTab") == "'\tTab"


def test_export_takes_the_same_queries_for_5_and_60_complaints(client, adviser, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bulk_complaints(5, adviser=adviser)
    client.force_login(adviser)
    client.get(EXPORT, {"format": "csv"})
    with CaptureQueriesContext(connection) as five:
        assert len(read_csv(client.get(EXPORT, {"format": "csv"}))) == 5
    bulk_complaints(55, adviser=adviser, start=2000)
    with django_assert_max_num_queries(len(five)):
        assert len(read_csv(client.get(EXPORT, {"format": "csv"}))) == 60
