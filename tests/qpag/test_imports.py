"""CSV uploads: the case-management extract and the bulk import of completed audits. Every bad
file is refused whole, with "Row N: reason" messages; nothing is ever half-applied."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from qpag import imports, services
from qpag.constants import ChadCategory, Grade, PracticeArea, Service
from qpag.imports import ImportRejected, casefile_audits_import, extract_upload
from qpag.models import CaseExtract, CaseFileAudit, ExtractCase, PracticeAreaGrade, TripleLockReview

from .conftest import D

EXTRACTED_ON = D("2026-10-28")
HEADER = "Case number,Team,Service,Open date,Allocated worker"


def upload(text: str | bytes, *, name: str = "extract.csv", content_type: str = "text/csv", encoding="utf-8"):
    content = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile(name, content, content_type=content_type)


def rejected(call) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        call()
    return caught.value.errors


# The extract ------------------------------------------------------------------------------


def test_extract_upload_keeps_the_cases_the_file_hash_and_a_log(db, qa_manager):
    text = (
        " CASE NUMBER ,team,SERVICE,open_date,Allocated Worker,Locality,Contact outcome\n"
        "mos-1001,North locality team,Children's social care,2026-03-01,A Worker,North,\n"
        "MOS-1002,Early Help West,early help,01/08/2026,,West,\n"
        "EHC-1003,SEND casework North,SEND,15/09/2026,B Worker,,\n"
        "CON-1004,ChAD,front door,2026-10-20,C Worker,,s47\n"
        "CON-1005,ChAD,ChAD,2026-10-21,C Worker,,Contact passed to Early Help\n"
    )
    file = upload(text)
    extract = extract_upload(user=qa_manager, uploaded_file=file, extracted_on=EXTRACTED_ON)

    assert extract.row_count == 5
    assert extract.original_name == "extract.csv"
    assert extract.sha256 == hashlib.sha256(text.encode()).hexdigest()
    cases = {case.case_number: case for case in ExtractCase.objects.filter(extract=extract)}
    assert sorted(cases) == ["CON-1004", "CON-1005", "EHC-1003", "MOS-1001", "MOS-1002"]
    assert cases["MOS-1001"].service == Service.SOCIAL_CARE
    assert cases["MOS-1001"].locality == "North"
    assert cases["MOS-1002"].opened_on == D("2026-08-01")
    assert cases["MOS-1002"].service == Service.EARLY_HELP
    assert cases["EHC-1003"].service == Service.SEND
    assert cases["CON-1004"].chad_category == ChadCategory.SECTION_47
    assert cases["CON-1005"].chad_category == ChadCategory.EARLY_HELP
    assert ModelLogEntry.objects.filter(action="qpag.extract.upload", object_id=str(extract.pk)).count() == 1


@pytest.mark.parametrize(
    "encoding, team",
    [("utf-8-sig", "Équipe Sud – Léa"), ("cp1252", "Équipe Sud – Léa"), ("utf-8", "Café team")],
)
def test_extract_upload_reads_utf8_with_bom_and_windows_1252(db, qa_manager, encoding, team):
    text = f"{HEADER}\nMOS-1,{team},Social care,2026-01-05,Worker\n"
    extract = extract_upload(user=qa_manager, uploaded_file=upload(text, encoding=encoding), extracted_on=EXTRACTED_ON)
    assert extract.cases.get().team == team


def test_semicolon_separated_files_are_read(db, qa_manager):
    text = "Case number;Team;Service;Open date;Allocated worker\nMOS-1;Team A;Social care;05/01/2026;W\n"
    extract = extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON)
    assert extract.cases.get().opened_on == D("2026-01-05")


def test_a_bom_does_not_hide_the_first_column(db, qa_manager):
    raw = ("\ufeff" + HEADER + "\nMOS-1,Team A,Social care,2026-01-05,Worker\n").encode("utf-8")
    extract = extract_upload(user=qa_manager, uploaded_file=upload(raw), extracted_on=EXTRACTED_ON)
    assert extract.cases.get().case_number == "MOS-1"


def test_missing_columns_are_named(db, qa_manager):
    errors = rejected(
        lambda: extract_upload(
            user=qa_manager, uploaded_file=upload("Case number,Team\nMOS-1,A\n"), extracted_on=EXTRACTED_ON
        )
    )
    assert errors == [
        "The file is missing the column “Service”",
        "The file is missing the column “Open date”",
        "The file is missing the column “Allocated worker”",
    ]


def test_a_column_given_twice_is_refused(db, qa_manager):
    text = "Case number,Team,team ,Service,Open date,Allocated worker\nMOS-1,A,A,Social care,2026-01-01,W\n"
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert errors == ["The column “team” appears more than once: keep one and upload the file again"]


def test_duplicate_case_numbers_are_reported_on_the_later_row(db, qa_manager):
    text = (
        f"{HEADER}\n"
        "MOS-1,A,Social care,2026-01-01,W\n"
        "MOS-2,A,Social care,2026-01-01,W\n"
        "mos-1,B,Social care,2026-01-01,W\n"
    )
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert errors == ["Row 4: case number MOS-1 is also on row 2"]


def test_bad_dates_services_and_outcomes_are_reported_row_by_row(db, qa_manager):
    text = (
        "Case number,Team,Service,Open date,Allocated worker,Contact outcome\n"
        "MOS-1,A,Social care,31/02/2026,W,\n"
        "MOS-2,A,Social care,2026/01/05,W,\n"
        "MOS-3,A,Social care,10-01-2026,W,\n"
        "MOS-4,A,Housing,2026-01-05,W,\n"
        "MOS-5,A,Social care,,W,\n"
        "MOS-6,A,Social care,2026-11-01,W,\n"
        "CON-7,ChAD,ChAD,2026-10-20,W,\n"
        "CON-8,ChAD,ChAD,2026-10-20,W,strategy meeting\n"
        "MOS-9,A,Early Help,2026-01-05,W,section 17\n"
    )
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert errors == [
        "Row 2: open date “31/02/2026” is not a real date. Use YYYY-MM-DD or DD/MM/YYYY",
        "Row 3: open date “2026/01/05” is not a real date. Use YYYY-MM-DD or DD/MM/YYYY",
        "Row 4: open date “10-01-2026” is not a real date. Use YYYY-MM-DD or DD/MM/YYYY",
        "Row 5: service “Housing” is not one of Children's social care, Early Help, SEND or ChAD",
        "Row 6: enter the open date",
        "Row 7: open date 01/11/2026 is after the day the extract was taken",
        "Row 8: enter the contact outcome for a front-door contact "
        "(consultation, early help, section 17 or section 47)",
        "Row 9: contact outcome “strategy meeting” is not one of consultation, early help, section 17 or section 47",
        "Row 10: a contact outcome is only for front-door (ChAD) contacts: leave it empty",
    ]
    assert not CaseExtract.objects.exists()


@pytest.mark.parametrize("header", ["Child name", "Name", "Surname", "Date of birth", "child_first_name"])
def test_a_name_column_refuses_the_file(db, qa_manager, header):
    text = f"{HEADER},{header}\nMOS-1,A,Social care,2026-01-01,W,Jane\n"
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert len(errors) == 1
    assert f"column “{header}”" in errors[0]
    assert "does not store children's names" in errors[0]


def test_a_name_in_the_case_number_column_is_refused(db, qa_manager):
    rows = ["Jane Smith,A,Social care,2026-01-01,W", "MOS 2,A,Social care,2026-01-01,W", "X,A,Social care,2026-01-01,W"]
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert errors[0].startswith("Row 2: “Jane Smith” is not a case number. It looks like a name")
    assert errors[1].startswith("Row 3: “MOS 2” is not a case number")
    assert errors[2] == (
        "Row 4: “X” is not a case number. Enter the case number only (3 to 20 letters, digits, hyphens or slashes)"
    )


def test_unknown_columns_that_carry_no_identity_are_ignored_and_reported(db, qa_manager):
    text = f"{HEADER},Gender band\nMOS-1,A,Social care,2026-01-01,W,x\n"
    extract = extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON)
    assert extract.ignored_columns == ["Gender band"]


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        (
            "extract.xlsx",
            b"PK\x03\x04rest",
            "text/csv",
            "The selected file must be a CSV (its name should end in .csv)",
        ),
        ("extract.csv", b"a,b\n", "application/pdf", "The selected file must be a CSV"),
        ("extract.csv", b"PK\x03\x04\x14\x00", "text/csv", "The selected file is not a CSV text file."),
        ("extract.csv", b"%PDF-1.7\n", "application/octet-stream", "The selected file is not a CSV text file."),
        ("extract.csv", b"Case number\x00\x01", "text/csv", "The selected file is not a CSV text file."),
        ("extract.csv", b"", "text/csv", "The selected file is empty"),
        ("extract.csv", b"\x81\x8d\x8f", "text/csv", "The selected file is not a CSV text file."),
    ],
)
def test_non_csv_and_empty_files_are_refused(db, qa_manager, name, content, content_type, message):
    errors = rejected(
        lambda: extract_upload(
            user=qa_manager,
            uploaded_file=upload(content, name=name, content_type=content_type),
            extracted_on=EXTRACTED_ON,
        )
    )
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_an_over_size_file_is_refused(db, qa_manager):
    row = "MOS-1,A,Social care,2026-01-01,W\n"
    content = (HEADER + "\n" + row * (imports.MAX_UPLOAD_BYTES // len(row) + 1)).encode()
    assert len(content) > imports.MAX_UPLOAD_BYTES
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(content), extracted_on=EXTRACTED_ON))
    assert errors == ["The selected file must be smaller than 5 MB"]


def test_a_header_without_rows_is_refused(db, qa_manager):
    errors = rejected(
        lambda: extract_upload(user=qa_manager, uploaded_file=upload(HEADER + "\n\n"), extracted_on=EXTRACTED_ON)
    )
    assert errors == ["The file has column names but no rows"]


def test_nine_good_rows_and_one_bad_create_nothing(db, qa_manager):
    rows = [f"MOS-{n:03d},Team A,Social care,2026-01-05,Worker" for n in range(1, 10)]
    rows.insert(5, "MOS-999,Team A,Social care,not a date,Worker")
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    errors = rejected(lambda: extract_upload(user=qa_manager, uploaded_file=upload(text), extracted_on=EXTRACTED_ON))
    assert errors == ["Row 7: open date “not a date” is not a real date. Use YYYY-MM-DD or DD/MM/YYYY"]
    assert not CaseExtract.objects.exists()
    assert not ExtractCase.objects.exists()
    assert not ModelLogEntry.objects.filter(action="qpag.extract.upload").exists()


def test_only_qa_managers_upload_extracts(db, qpag_senior):
    text = f"{HEADER}\nMOS-1,A,Social care,2026-01-01,W\n"
    with pytest.raises(PermissionDenied):
        extract_upload(user=qpag_senior, uploaded_file=upload(text), extracted_on=EXTRACTED_ON)
    assert not CaseExtract.objects.exists()


# Completed audits --------------------------------------------------------------------------

SC_AREAS = [
    PracticeArea.SAFETY_AND_RISK.label,
    PracticeArea.LIVED_EXPERIENCE.label,
    "management_oversight",
    PracticeArea.PERMANENCE.label,
    PracticeArea.SEND_QS1.label,
]
AUDIT_HEADER = [
    "Case number",
    "Service",
    "Team",
    "Auditor",
    "Notified on",
    "Audited on",
    "Auditor grade",
    "Moderator",
    "Moderated on",
    "Moderator grade",
    "Family feedback sought",
    "Family feedback",
    *SC_AREAS,
]


def audit_csv(*rows: dict) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in AUDIT_HEADER])
    return out.getvalue().encode("utf-8")


def good_row(**overrides) -> dict:
    row = {
        "Case number": "MOS-100",
        "Service": "Children's social care",
        "Team": "South locality team",
        "Auditor": "ava auditor",
        "Notified on": "2026-09-01",
        "Audited on": "10/09/2026",
        "Auditor grade": "Good",
        "Family feedback sought": "yes",
        "Family feedback": "Dad felt listened to.",
        PracticeArea.SAFETY_AND_RISK.label: "Good",
        PracticeArea.LIVED_EXPERIENCE.label: "Outstanding",
        "management_oversight": "Requires improvement",
    }
    row.update(overrides)
    return row


def test_import_of_completed_audits_end_to_end(db, qa_manager, auditors):
    content = audit_csv(
        good_row(),
        good_row(
            **{
                "Case number": "MOS-101",
                "Moderator": "Mo Moderator",
                "Moderated on": "2026-09-14",
                "Moderator grade": "RI",
                PracticeArea.PERMANENCE.label: "good",
            }
        ),
        good_row(
            **{
                "Case number": "MOS-102",
                "Team": "North locality team",
                "Auditor": "Ben Auditor",
                "Auditor grade": "Inadequate",
                "Family feedback sought": "no",
                "Family feedback": "",
            }
        ),
        {
            "Case number": "EHC-103",
            "Service": "SEND",
            "Team": "SEND casework North",
            "Auditor": "Fay Auditor",
            "Notified on": "2026-09-01",
            "Audited on": "2026-09-08",
            "Auditor grade": "Good",
            "Family feedback sought": "",
            PracticeArea.SEND_QS1.label: "Good",
        },
    )
    audits = casefile_audits_import(user=qa_manager, uploaded_file=upload(content, name="audits.csv"))

    assert [audit.case_number for audit in audits] == ["MOS-100", "MOS-101", "MOS-102", "EHC-103"]
    saved = {audit.case_number: audit for audit in CaseFileAudit.objects.all()}
    assert all(audit.imported for audit in saved.values())
    first = saved["MOS-100"]
    assert first.status == CaseFileAudit.Status.AUDITED
    assert first.auditor == auditors["ava"]
    assert first.due_on == D("2026-09-15")
    assert first.final_grade == Grade.GOOD
    assert first.family_feedback_sought is True
    assert first.family_feedback == "Dad felt listened to."
    assert dict(PracticeAreaGrade.objects.filter(audit=first).values_list("area", "final_grade")) == {
        PracticeArea.SAFETY_AND_RISK: Grade.GOOD,
        PracticeArea.LIVED_EXPERIENCE: Grade.OUTSTANDING,
        PracticeArea.MANAGEMENT_OVERSIGHT: Grade.REQUIRES_IMPROVEMENT,
    }
    moderated = saved["MOS-101"]
    assert moderated.status == CaseFileAudit.Status.MODERATED
    assert (moderated.auditor_grade, moderated.moderator_grade, moderated.final_grade) == (
        Grade.GOOD,
        Grade.REQUIRES_IMPROVEMENT,
        Grade.REQUIRES_IMPROVEMENT,
    )
    assert moderated.moderator == auditors["mo"]
    assert moderated.grades_differ
    inadequate = saved["MOS-102"]
    assert inadequate.family_feedback_sought is False
    review = TripleLockReview.objects.get(audit=inadequate)
    assert (review.status, review.opened_on, review.due_on) == ("open", D("2026-09-10"), D("2026-10-10"))
    send = saved["EHC-103"]
    assert send.service == Service.SEND
    assert send.family_feedback_sought is None
    assert list(send.area_grades.values_list("area", flat=True)) == [PracticeArea.SEND_QS1]
    entries = ModelLogEntry.objects.filter(action="qpag.audit.import")
    assert entries.count() == 1
    assert entries.get().data["audits"] == 4
    assert entries.get().data["moderated"] == 1
    assert entries.get().data["inadequate"] == 1


def test_import_rejects_every_bad_row_with_its_reason(db, qa_manager, auditors, make_audit):
    make_audit(case_number="MOS-900", notified_on=D("2026-09-01"))
    content = audit_csv(
        good_row(**{"Case number": "MOS-1", "Auditor": "Ben Auditor", "Team": "south locality team"}),
        good_row(
            **{
                "Case number": "MOS-2",
                "Moderator": "Ava Auditor",
                "Moderated on": "2026-09-20",
                "Moderator grade": "Good",
            }
        ),
        good_row(**{"Case number": "MOS-3", "Auditor grade": "Excellent"}),
        good_row(**{"Case number": "MOS-4", PracticeArea.SEND_QS1.label: "Good"}),
        good_row(**{"Case number": "MOS-5", "Audited on": "2026-08-20"}),
        good_row(**{"Case number": "MOS-6", "Auditor": "Nobody Known"}),
        good_row(**{"Case number": "MOS-7"}),
        good_row(**{"Case number": "mos-7"}),
        good_row(**{"Case number": "MOS-900"}),
        good_row(**{"Case number": "MOS-10", "Moderator": "Mo Moderator"}),
        good_row(
            **{
                "Case number": "MOS-11",
                "Moderator": "Mo Moderator",
                "Moderated on": "2026-09-05",
                "Moderator grade": "Good",
            }
        ),
        good_row(**{"Case number": "MOS-12", "Family feedback sought": "maybe"}),
        good_row(
            **{
                "Case number": "MOS-13",
                PracticeArea.SAFETY_AND_RISK.label: "",
                PracticeArea.LIVED_EXPERIENCE.label: "",
                "management_oversight": "",
            }
        ),
        good_row(
            **{"Case number": "MOS-14", "Service": "SEND", "Team": "SEND casework North", "Auditor": "Fay Auditor"}
        ),
    )
    errors = rejected(lambda: casefile_audits_import(user=qa_manager, uploaded_file=upload(content)))
    assert errors == [
        "Row 2: the auditor Ben Auditor is in South locality team: choose an auditor from another team",
        "Row 3: the moderator must be someone other than the auditor",
        "Row 4: auditor grade “Excellent” is not one of Outstanding, Good, Requires improvement or Inadequate",
        "Row 5: “EHCP standard 1: views, interests and aspirations” is not graded for Children's social care: "
        "leave it empty",
        "Row 6: the audited on date must be on or after the notified on date",
        "Row 7: auditor “Nobody Known” is not an active auditor in the auditor register",
        "Row 9: case MOS-7 notified on 01/09/2026 is also on row 8",
        "Row 10: case MOS-900 notified on 01/09/2026 is already recorded in the portal",
        "Row 11: give the moderator, moderated on date and moderator grade together, or none of them",
        "Row 12: the moderated on date must be on or after the audited on date",
        "Row 13: family feedback sought “maybe” must be yes or no",
        "Row 14: grade at least one practice area",
        "Row 15: “Children are safe and risk is managed” is not graded for SEND (EHCP audits): leave it empty",
        "Row 15: “The child's lived experience and voice” is not graded for SEND (EHCP audits): leave it empty",
        "Row 15: “Management oversight” is not graded for SEND (EHCP audits): leave it empty",
    ]
    assert CaseFileAudit.objects.count() == 1  # only the one made before


def test_the_moderator_must_be_a_moderator(db, qa_manager, auditors):
    content = audit_csv(
        good_row(**{"Moderator": "Ben Auditor", "Moderated on": "2026-09-20", "Moderator grade": "Good"})
    )
    errors = rejected(lambda: casefile_audits_import(user=qa_manager, uploaded_file=upload(content)))
    assert errors == ["Row 2: Ben Auditor is not recorded as a moderator"]


def test_import_missing_columns_are_named(db, qa_manager, auditors):
    errors = rejected(
        lambda: casefile_audits_import(user=qa_manager, uploaded_file=upload("Case number,Service,Team\nMOS-1,x,y\n"))
    )
    assert "The file is missing the column “Auditor”" in errors
    assert "The file is missing the column “Family feedback sought”" in errors


def test_a_service_refusal_rolls_back_every_row(db, qa_manager, auditors, monkeypatch):
    real_moderate = services.casefile_audit_moderate

    def refuse_the_last(*, audit, **kwargs):
        if audit.case_number == "MOS-109":
            raise ValidationError({"moderated_on": "The moderation date must be on or after the audit date"})
        return real_moderate(audit=audit, **kwargs)

    monkeypatch.setattr(services, "casefile_audit_moderate", refuse_the_last)
    rows = [
        good_row(
            **{
                "Case number": f"MOS-1{n:02d}",
                "Moderator": "Mo Moderator",
                "Moderated on": "2026-09-20",
                "Moderator grade": "Inadequate",
            }
        )
        for n in range(10)
    ]
    errors = rejected(lambda: casefile_audits_import(user=qa_manager, uploaded_file=upload(audit_csv(*rows))))
    assert errors == ["Row 11: The moderation date must be on or after the audit date"]
    assert not CaseFileAudit.objects.exists()
    assert not TripleLockReview.objects.exists()
    assert not ModelLogEntry.objects.filter(action__startswith="qpag.audit").exists()


def test_only_qa_managers_import_audits(db, qpag_senior, auditors):
    with pytest.raises(PermissionDenied):
        casefile_audits_import(user=qpag_senior, uploaded_file=upload(audit_csv(good_row())))
    assert not CaseFileAudit.objects.exists()


def test_the_template_headers_are_read_back_as_the_import_columns(db, qa_manager, auditors):
    header = ",".join(f'"{name}"' for name in imports.audit_template_headers())
    row = good_row()
    values = {**row, "ChAD category": "", "Locality": "South"}
    line = ",".join(f'"{values.get(name, "")}"' for name in imports.audit_template_headers())
    audits = casefile_audits_import(user=qa_manager, uploaded_file=upload(f"{header}\n{line}\n"))
    assert [audit.case_number for audit in audits] == ["MOS-100"]
    assert audits[0].locality == "South"
    assert audits[0].area_grades.count() == 2  # management oversight is under its label in the template, empty
