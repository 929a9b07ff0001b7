"""Every upload in the portal refuses files it should not keep, with a clear message on the form,
and every download of a stored upload is an attachment of the stored type that browsers must not sniff.

Uploads: audit evidence (schools/evidence.py, on a question page), action evidence (the action page's
progress form) and the complaint response document; the CSV imports are in test_csv_imports.py.
Good-practice submissions (learning_hub/forms_content.py) take no files."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from schools.evidence import MAX_BYTES, evidence_check
from tests.security.conftest import SCHOOL_B
from tests.security.test_hostile_forms import _open_action, _return, baseline, page_forms

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _zip(entries: dict[str, bytes], *, office: str | None = "word") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if office:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(f"{office}/document.xml", "<document/>")
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _bomb_by_ratio(office="word") -> bytes:
    # 8 MB of zeros deflates to about 8 KB: a ratio near 1000.
    return _zip({f"{office}/media/padding.bin": b"\0" * (8 * 1024 * 1024)}, office=office)


def _bomb_by_size() -> bytes:
    # Eleven 10 MB entries: 110 MB once opened, about 110 KB here.
    block = b"\0" * (10 * 1024 * 1024)
    return _zip({f"word/media/part{n}.bin": block for n in range(11)})


# (what, file name, content, words the person is told)
BAD_FILES = [
    ("wrong extension", "evidence.exe", EXE, "must be PDF, Word"),
    ("no extension", "evidence", PDF, "must be PDF, Word"),
    ("double extension", "policy.pdf.exe", EXE, "must be PDF, Word"),
    ("an EXE named .pdf", "policy.pdf", EXE, "not a real PDF"),
    ("a zip named .pdf", "policy.pdf", _zip({"a.txt": b"x"}, office=None), "not a real PDF"),
    ("a plain zip named .docx", "policy.docx", _zip({"a.txt": b"x"}, office=None), "not a real DOCX"),
    ("HTML named .png", "photo.png", b"<html><script>alert(1)</script></html>", "not a real PNG"),
    ("a PDF named .xlsx", "tracker.xlsx", PDF, "not a real XLSX"),
    ("zero bytes", "empty.pdf", b"", "empty"),
    ("over the size limit", "big.pdf", PDF + b"\0" * (MAX_BYTES + 1 - len(PDF)), "smaller than 20 MB"),
    ("a zip bomb .docx (ratio)", "bomb.docx", _bomb_by_ratio(), "expands"),
    ("a zip bomb .xlsx (ratio)", "bomb.xlsx", _bomb_by_ratio("xl"), "expands"),
    ("a zip bomb .docx (over 100 MB)", "bomb.docx", _bomb_by_size(), "expands"),
]
GOOD_FILES = [
    ("a PDF", "policy.pdf", PDF, "application/pdf"),
    (
        "a small Word file",
        "policy.docx",
        _zip({"word/styles.xml": b"<styles/>" * 50}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
]
TRAVERSAL_NAMES = ["../../etc/passwd.pdf", "..\\..\\x.pdf", "/etc/passwd.pdf", "C:\\Windows\\x.pdf", "....//x.pdf"]


@pytest.mark.parametrize(("what", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_the_evidence_check_refuses(what, name, content, message):
    with pytest.raises(ValidationError) as caught:
        evidence_check(SimpleUploadedFile(name, content))
    assert message in " ".join(caught.value.messages)


@pytest.mark.parametrize(("what", "name", "content", "content_type"), GOOD_FILES, ids=[g[0] for g in GOOD_FILES])
def test_the_evidence_check_accepts_real_files(what, name, content, content_type):
    assert evidence_check(SimpleUploadedFile(name, content)).content_type == content_type


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_the_evidence_check_keeps_only_the_base_name(name):
    class Raw(io.BytesIO):  # not an UploadedFile, so nothing has cleaned the name yet
        pass

    raw = Raw(PDF)
    raw.name, raw.size = name, len(PDF)
    checked = evidence_check(raw)
    assert "/" not in checked.name and "\\" not in checked.name and not checked.name.startswith("..")
    assert checked.name.endswith(".pdf")


# --------------------------------------------------------------------------------------------
# Through the pages
# --------------------------------------------------------------------------------------------


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart body built by hand, so the file name reaches the server exactly as a client sent it."""
    boundary = "----portal-security-boundary"
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


class UploadPoint:
    """One upload form: where it is, who uses it, which field takes the file, and what it stores."""

    def __init__(self, name, url, user, file_field, model, *, submit=None, fixed=None):
        self.name, self.url, self.user, self.file_field, self.model = name, url, user, file_field, model
        self.submit, self.fixed = submit, fixed or {}

    def fields(self, client: Client) -> list[tuple[str, str]]:
        response = client.get(self.url)
        assert response.status_code == 200, f"{self.name}: GET gave {response.status_code}"
        form = next(f for f in page_forms(response.content.decode(), self.url) if self.file_field in _names(f))
        values: list[tuple[str, str]] = []
        seen_radio: set[str] = set()
        for field in form.fields:
            if field.kind in {"file", "submit"} or field.name in self.fixed:
                continue
            if field.kind == "radio":
                if field.name in seen_radio:
                    continue
                seen_radio.add(field.name)
            if field.kind == "checkbox":
                continue
            values.append((field.name, baseline(field) or "Written for the upload test"))
        values += list(self.fixed.items())
        if self.submit:
            values.append(self.submit)
        return values

    def post(self, client: Client, filename: str, content: bytes):
        body, content_type = multipart(self.fields(client), [(self.file_field, filename, content)])
        return client.generic("POST", self.url, body, content_type=content_type)


def _names(form) -> set[str]:
    return {field.name for field in form.fields}


def _evidence_point(world) -> UploadPoint:
    from schools.models import AuditReturn
    from schools.selectors import sections_for_return

    audit_return: AuditReturn = _return("in_progress")
    for section in sections_for_return(audit_return):
        for number, questions in enumerate(section.pages, start=1):
            evidence = [q for q in questions if q.answer_type == "evidence"]
            if evidence:
                url = reverse("schools:return_section_page", args=[audit_return.pk, section.pk, number])
                return UploadPoint(
                    "audit evidence",
                    url,
                    world.user(SCHOOL_B),
                    f"q{evidence[0].pk}",
                    "schools.EvidenceFile",
                    submit=("save_and_return", ""),
                )
    raise AssertionError("the demo questionnaire has no evidence question")


def _action_point(world) -> UploadPoint:
    from schools.models import Membership

    action = _open_action()
    user = Membership.objects.filter(setting=action.plan.setting).order_by("pk").first().user
    url = reverse("schools:action_detail", args=[action.pk])
    return UploadPoint("action evidence", url, user, "evidence", "schools.ActionEvidence", fixed={"form": "progress"})


def _complaint_point(world) -> UploadPoint:
    from complaints.models import Complaint

    complaint = Complaint.objects.filter(status="under_investigation").order_by("pk").first()
    url = reverse("complaints:complaint_response", args=[complaint.pk])
    return UploadPoint(
        "complaint response", url, world.user("adviser"), "document", "complaints.ComplaintResponse", fixed={}
    )


POINTS = {"audit evidence": _evidence_point, "action evidence": _action_point, "complaint response": _complaint_point}


def _stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _stored_count(point: UploadPoint) -> int:
    from django.apps import apps

    model = apps.get_model(point.model)
    if point.model == "complaints.ComplaintResponse":
        return model.objects.exclude(document="").count()
    return model.objects.count()


@pytest.mark.parametrize("point_name", list(POINTS))
@pytest.mark.parametrize(("what", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_each_upload_refuses_with_a_clear_message(world, point_name, what, name, content, message):
    point = POINTS[point_name](world)
    client = Client()
    client.force_login(point.user)
    stored_before, files_before = _stored_count(point), _stored_files()
    response = point.post(client, name, content)
    assert response.status_code == 200, f"{point_name} with {what}: {response.status_code}"
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert message in body, f"{point_name} with {what}: the page does not say “{message}”"
    assert _stored_count(point) == stored_before
    assert _stored_files() == files_before


@pytest.mark.parametrize("point_name", list(POINTS))
@pytest.mark.parametrize("client_name", TRAVERSAL_NAMES)
def test_the_stored_name_never_holds_the_clients_path(world, point_name, client_name):
    point = POINTS[point_name](world)
    client = Client()
    client.force_login(point.user)
    files_before = _stored_files()
    response = point.post(client, client_name, PDF)
    assert response.status_code in {200, 302}
    new = _stored_files() - files_before
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    for path in new:
        assert path.resolve().is_relative_to(root)
        assert ".." not in path.relative_to(root).parts
    from django.apps import apps

    for record in apps.get_model(point.model).objects.all():
        stored = getattr(record, "file", None) or getattr(record, "document", None)
        if stored:
            assert ".." not in stored.name and "\\" not in stored.name and not stored.name.startswith("/")
        shown = getattr(record, "original_name", None) or getattr(record, "document_name", "")
        assert "/" not in shown and "\\" not in shown


def _download_url(point_name: str) -> str:
    from complaints.models import Complaint
    from schools.models import ActionEvidence, EvidenceFile

    if point_name == "audit evidence":
        return reverse("schools:evidence_download", args=[EvidenceFile.objects.order_by("-pk").first().pk])
    if point_name == "action evidence":
        return reverse("schools:action_evidence_download", args=[ActionEvidence.objects.order_by("-pk").first().pk])
    complaint = Complaint.objects.filter(status="under_investigation").order_by("pk").first()
    return reverse("complaints:complaint_response_document", args=[complaint.pk])


@pytest.mark.parametrize("point_name", list(POINTS))
@pytest.mark.parametrize(("what", "name", "content", "content_type"), GOOD_FILES, ids=[g[0] for g in GOOD_FILES])
def test_a_stored_upload_downloads_as_an_attachment_of_its_type(world, point_name, what, name, content, content_type):
    point = POINTS[point_name](world)
    client = Client()
    client.force_login(point.user)
    stored_before = _stored_count(point)
    response = point.post(client, name, content)
    assert response.status_code == 302, f"{point_name}: a good {what} was refused"
    assert _stored_count(point) == stored_before + (0 if point_name == "complaint response" and stored_before else 1)
    if point_name == "complaint response":
        client.force_login(world.user("qa_manager"))  # the response letter is for advisers and QA managers
    download = client.get(_download_url(point_name))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert name in download["Content-Disposition"]
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == content


# --------------------------------------------------------------------------------------------
# The CSV imports refuse files that are not CSV text (their rows are tested in test_csv_imports.py)
# --------------------------------------------------------------------------------------------

CSV_BAD_FILES = [
    ("wrong extension", "extract.xlsx", b"Case number\r\nMOS-1\r\n", ("CSV", ".csv")),
    ("an EXE named .csv", "extract.csv", EXE, ("not a CSV text file", "not a text CSV", "not UTF-8")),
    ("a zip named .csv", "extract.csv", _zip({"a.txt": b"x"}), ("not a CSV text file", "not a text CSV", "not UTF-8")),
    ("zero bytes", "extract.csv", b"", ("empty",)),
    ("over the size limit", "extract.csv", b"Case number\r\n" + b"MOS-1\r\n" * 800_000, ("smaller than 5 MB", "5 MB")),
]


def _csv_imports(world) -> dict:
    return {
        "settings register (GIAS)": (reverse("schools_gias_import:upload"), "csv_file", {}, "schools.Setting"),
        "case extract": (
            reverse("qpag:extract_upload"),
            "file",
            {"extracted_on_day": "28", "extracted_on_month": "10", "extracted_on_year": "2026"},
            "qpag.ExtractCase",
        ),
        "completed case-file audits": (reverse("qpag:case_file_audit_import"), "file", {}, "qpag.CaseFileAudit"),
    }


@pytest.mark.parametrize("import_name", ["settings register (GIAS)", "case extract", "completed case-file audits"])
@pytest.mark.parametrize(("what", "name", "content", "messages"), CSV_BAD_FILES, ids=[b[0] for b in CSV_BAD_FILES])
def test_each_csv_import_refuses_files_that_are_not_csv(world, import_name, what, name, content, messages):
    from django.apps import apps

    url, field, extra, model = _csv_imports(world)[import_name]
    client = Client()
    client.force_login(world.user("qa_manager"))
    before = apps.get_model(model).objects.count()
    response = client.post(url, {field: SimpleUploadedFile(name, content, content_type="text/csv"), **extra})
    assert response.status_code == 200
    body = response.content.decode()
    assert any(message in body for message in messages), f"{import_name} with {what}: no clear message"
    assert apps.get_model(model).objects.count() == before
