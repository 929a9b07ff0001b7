"""The CSV imports, through the pages people use: the settings register's GIAS upload (Wagtail
admin, schools/imports.py) and the QPAG case extract and completed case-file audit imports
(qpag/imports.py). Excel's encodings are read correctly, missing columns and duplicated keys are
named, and a refused file changes nothing."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from qpag.constants import PracticeArea
from qpag.models import Auditor, CaseExtract, CaseFileAudit, ExtractCase
from schools.models import Setting

GIAS_SAMPLE = Path(__file__).resolve().parents[2] / "schools" / "data" / "gias_sample.csv"
GIAS_UPLOAD = reverse("schools_gias_import:upload")
ACCENTED = "École Sainte-Hélène Primary – Zoë’s"  # every character is in Windows-1252


def gias_file(rows: list[dict], *, drop: tuple[str, ...] = ()) -> str:
    """A GIAS-layout CSV built on the shipped sample's header and first row."""
    reader = csv.DictReader(io.StringIO(GIAS_SAMPLE.read_text(encoding="utf-8-sig")))
    template = next(reader)
    header = [name for name in reader.fieldnames if name not in drop]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**template, **row})
    return out.getvalue()


def gias_upload(client, text: str, encoding: str):
    content = text.encode(encoding)
    return client.post(GIAS_UPLOAD, {"csv_file": SimpleUploadedFile("gias.csv", content, content_type="text/csv")})


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-8"])
def test_gias_upload_reads_excels_encodings_and_keeps_accents(client, qa_manager, encoding):
    client.force_login(qa_manager)
    response = gias_upload(client, gias_file([{"URN": "980001", "EstablishmentName": ACCENTED}]), encoding)
    assert response.status_code == 200
    assert "What the import did" in response.content.decode()
    assert Setting.objects.get(urn="980001").name == ACCENTED


def test_gias_upload_names_every_missing_column_and_writes_nothing(client, qa_manager):
    client.force_login(qa_manager)
    before = Setting.objects.count()
    text = gias_file([{"URN": "980002"}], drop=("Postcode", "Town"))
    response = gias_upload(client, text, "utf-8")
    body = response.content.decode()
    assert "“Town”" in body and "“Postcode”" in body
    assert "Nothing was imported" in body
    assert Setting.objects.count() == before


def test_gias_upload_reports_a_duplicated_urn_with_both_rows(client, qa_manager):
    client.force_login(qa_manager)
    text = gias_file([{"URN": "980003", "EstablishmentName": "First"}, {"URN": "980003", "EstablishmentName": "Twin"}])
    body = gias_upload(client, text, "utf-8").content.decode()
    assert "appears more than once in the file (first at row 2)" in body
    assert Setting.objects.get(urn="980003").name == "First"


def test_gias_upload_reports_a_bad_row_by_number_and_reason(client, qa_manager):
    """The settings import keeps its documented rule (README, tests/schools/test_imports.py): good
    rows are written together and each bad row is listed for correction at source."""
    client.force_login(qa_manager)
    text = gias_file([{"URN": "980004"}, {"URN": "98OO05"}, {"URN": "980006"}])
    body = gias_upload(client, text, "utf-8").content.decode()
    assert "Rejected rows" in body
    assert "<td>3</td><td>98OO05</td>" in body
    assert "not a 6 or 7 digit number" in body


def test_gias_upload_that_fails_while_writing_changes_nothing(client, qa_manager, monkeypatch):
    """All or nothing for what is written: a failure after the first rows are saved rolls back every one."""
    from schools import imports

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure after the settings were written")

    monkeypatch.setattr(imports, "_log_changes", fail)
    client.force_login(qa_manager)
    before = Setting.objects.count()
    response = gias_upload(client, gias_file([{"URN": "980007"}, {"URN": "980008"}]), "utf-8")
    assert "Nothing was imported" in response.content.decode()
    assert Setting.objects.count() == before


def test_gias_upload_refuses_utf16_with_a_clear_message(client, qa_manager):
    client.force_login(qa_manager)
    response = gias_upload(client, gias_file([{"URN": "980009"}]), "utf-16")
    assert "not UTF-8" in response.content.decode()
    assert not Setting.objects.filter(urn="980009").exists()


# QPAG: the monthly case extract --------------------------------------------------------------

EXTRACT_HEADER = "Case number,Team,Service,Open date,Allocated worker"
EXTRACT_UPLOAD = reverse("qpag:extract_upload")


def extract_post(client, text: str, encoding: str = "utf-8"):
    upload = SimpleUploadedFile("extract.csv", text.encode(encoding), content_type="text/csv")
    data = {"file": upload, "extracted_on_day": "28", "extracted_on_month": "10", "extracted_on_year": "2026"}
    return client.post(EXTRACT_UPLOAD, data)


def _extract_state() -> tuple[int, int]:
    return CaseExtract.objects.count(), ExtractCase.objects.count()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_extract_upload_reads_excels_encodings_and_keeps_accents(client, qa_manager, encoding):
    client.force_login(qa_manager)
    text = f"{EXTRACT_HEADER}\r\nMOS-90001,{ACCENTED},Social care,2026-01-05,Léa Worker\r\n"
    response = extract_post(client, text, encoding)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = ExtractCase.objects.get(case_number="MOS-90001")
    assert (case.team, case.allocated_worker) == (ACCENTED, "Léa Worker")


def test_extract_upload_names_missing_columns_and_writes_nothing(client, qa_manager):
    client.force_login(qa_manager)
    before = _extract_state()
    response = extract_post(client, "Case number,Service\r\nMOS-90002,Social care\r\n")
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Team" in body and "Open date" in body and "Allocated worker" in body
    assert _extract_state() == before


def test_extract_upload_reports_duplicated_case_numbers_and_writes_nothing(client, qa_manager):
    client.force_login(qa_manager)
    before = _extract_state()
    text = (
        f"{EXTRACT_HEADER}\r\nMOS-90003,North,Social care,2026-01-05,W\r\nMOS-90003,North,Social care,2026-01-06,W\r\n"
    )
    body = extract_post(client, text).content.decode()
    assert "govuk-error-summary" in body and "Row 3" in body and "MOS-90003" in body
    assert _extract_state() == before


def test_extract_upload_with_one_bad_row_among_good_changes_nothing(client, qa_manager):
    client.force_login(qa_manager)
    before = _extract_state()
    good = [f"MOS-9{n:04d},North,Social care,2026-01-05,W" for n in range(100, 109)]
    text = "\r\n".join([EXTRACT_HEADER, *good[:5], "MOS-90200,North,Social care,2026-02-30,W", *good[5:]]) + "\r\n"
    body = extract_post(client, text).content.decode()
    assert "govuk-error-summary" in body and "Row 7" in body
    assert _extract_state() == before


# QPAG: completed case-file audits ------------------------------------------------------------

AUDIT_IMPORT = reverse("qpag:case_file_audit_import")
AUDIT_HEADER = [
    "Case number",
    "Service",
    "Team",
    "Auditor",
    "Notified on",
    "Audited on",
    "Auditor grade",
    "Family feedback sought",
    "Family feedback",
    PracticeArea.SAFETY_AND_RISK.label,
]


@pytest.fixture
def auditor(db):
    return Auditor.objects.create(name="Zoë Auditor", service="social_care", team="North locality team", can_audit=True)


def audit_row(case_number: str, **overrides) -> dict:
    return {
        "Case number": case_number,
        "Service": "Children's social care",
        "Team": "South locality team",
        "Auditor": "Zoë Auditor",
        "Notified on": "2026-09-01",
        "Audited on": "10/09/2026",
        "Auditor grade": "Good",
        "Family feedback sought": "yes",
        "Family feedback": "Mum said the social worker listened – “really listened”.",
        PracticeArea.SAFETY_AND_RISK.label: "Good",
        **overrides,
    }


def audit_file(rows: list[dict], *, header=AUDIT_HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def audit_post(client, text: str, encoding: str = "utf-8"):
    upload = SimpleUploadedFile("audits.csv", text.encode(encoding), content_type="text/csv")
    return client.post(AUDIT_IMPORT, {"file": upload})


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_audit_import_reads_excels_encodings_and_keeps_accents(client, qa_manager, auditor, encoding):
    client.force_login(qa_manager)
    response = audit_post(client, audit_file([audit_row("MOS-91001")]), encoding)
    assert response.status_code == 302, response.content.decode()[:3000]
    audit = CaseFileAudit.objects.get(case_number="MOS-91001")
    assert audit.auditor == auditor
    assert audit.family_feedback == "Mum said the social worker listened – “really listened”."


def test_audit_import_names_missing_columns_and_writes_nothing(client, qa_manager, auditor):
    client.force_login(qa_manager)
    before = CaseFileAudit.objects.count()
    header = [h for h in AUDIT_HEADER if h not in {"Auditor", "Auditor grade"}]
    body = audit_post(client, audit_file([audit_row("MOS-91002")], header=header)).content.decode()
    assert "govuk-error-summary" in body and "Auditor" in body and "Auditor grade" in body
    assert CaseFileAudit.objects.count() == before


def test_audit_import_reports_duplicated_case_numbers_and_writes_nothing(client, qa_manager, auditor):
    client.force_login(qa_manager)
    before = CaseFileAudit.objects.count()
    body = audit_post(client, audit_file([audit_row("MOS-91003"), audit_row("MOS-91003")])).content.decode()
    assert "govuk-error-summary" in body and "Row 3" in body and "MOS-91003" in body
    assert CaseFileAudit.objects.count() == before


def test_audit_import_with_one_bad_row_among_good_changes_nothing(client, qa_manager, auditor):
    client.force_login(qa_manager)
    before = CaseFileAudit.objects.count()
    rows = [audit_row(f"MOS-912{n:02d}") for n in range(6)]
    rows.insert(3, audit_row("MOS-91299", **{"Auditor grade": "Brilliant"}))
    body = audit_post(client, audit_file(rows)).content.decode()
    assert "govuk-error-summary" in body and "Row 5" in body
    assert CaseFileAudit.objects.count() == before
