"""CSV uploads for QPAG: the case-management extract that samples are drawn from, and a bulk
import of case-file audits completed outside the portal.

Both follow one rule (issue 7, "Bad input"): every row is checked first and each problem is
reported as "Row N: reason", numbered as a spreadsheet numbers them (the column names are row 1);
only a file with no problems is written, in one transaction, so nothing is ever half-applied.
A case number is the only case identifier kept: a column that would carry a child's name or
other personal details refuses the whole file."""

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log

from . import services
from .access import can_manage_qpag
from .constants import CASE_NUMBER_PATTERN, SERVICE_PRACTICE_AREAS, ChadCategory, Grade, PracticeArea, Service
from .models import Auditor, CaseExtract, CaseFileAudit, ExtractCase

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What browsers send for a .csv: Excel on Windows registers it as application/vnd.ms-excel, and
# some browsers send no type or a generic one. The bytes are checked as well, below.
CSV_CONTENT_TYPES = frozenset(
    {
        "",
        "text/csv",
        "text/plain",
        "text/x-csv",
        "text/comma-separated-values",
        "application/csv",
        "application/x-csv",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)
# Signatures of files that are not text, whatever their name says (zip covers .xlsx).
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
CASE_NUMBER_RE = re.compile(CASE_NUMBER_PATTERN)
# Headers that would carry a child's (or family's) identity. Checked after the known columns, so
# "allocated worker name" or "auditor name" are still read as the worker and the auditor.
PERSONAL_HEADER_RE = re.compile(
    r"\b(name|names|forename|forenames|surname|first name|last name|dob|birth|address|postcode|nhs|upn)\b"
)
NAME_COLUMN_MESSAGE = (
    "The file has a column “{header}”. The portal does not store children's names or other personal "
    "details: the case number is the only case identifier kept. Remove the column and upload the file again"
)


class ImportRejected(Exception):
    """The file was refused; `errors` says why, one message per problem, for the person uploading."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:3]))


def normalise(text: str) -> str:
    """For matching headers and friendly values: case, spaces, underscores, hyphens and
    apostrophes don't matter ("Children’s_Social care" == "childrens social care")."""
    text = text.replace("\ufeff", "").casefold()
    text = re.sub(r"['’‘`.]", "", text)
    text = re.sub(r"[\s_\-]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # as written in messages and in the template file
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {normalise(self.label), *(normalise(alias) for alias in self.aliases)}


@dataclass
class CsvTable:
    name: str
    sha256: str
    headers: dict[str, str]  # column key -> the header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, column key -> stripped value)
    ignored: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    # Excel writes "CSV UTF-8" with a byte-order mark and plain "CSV" in Windows-1252.
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRejected(
            ["The selected file is not a CSV text file. Save it from Excel as “CSV UTF-8 (Comma delimited)”"]
        ) from None


def _check_file(uploaded_file) -> bytes:
    name = (getattr(uploaded_file, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith(".csv"):
        raise ImportRejected(["The selected file must be a CSV (its name should end in .csv)"])
    content_type = (getattr(uploaded_file, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in CSV_CONTENT_TYPES:
        raise ImportRejected(["The selected file must be a CSV"])
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportRejected([f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"])
    uploaded_file.seek(0)
    raw = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    uploaded_file.seek(0)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImportRejected([f"The selected file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"])
    if not raw:
        raise ImportRejected(["The selected file is empty"])
    if raw.startswith(BINARY_SIGNATURES) or b"\x00" in raw:
        raise ImportRejected(["The selected file is not a CSV text file. Check the file and try again"])
    return raw


def read_csv_upload(
    uploaded_file,
    *,
    columns: Sequence[Column],
    extra_column: Callable[[str], str | None] | None = None,
) -> CsvTable:
    """Check the file, decode it and match its header row to `columns`. File and header
    problems are refused at once (there is no point checking rows against the wrong columns);
    the rows come back as dicts for the caller to check. `extra_column(normalised_header)` may
    claim further columns (one per practice area, say) by returning their key."""
    raw = _check_file(uploaded_file)
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    # Excel in some European locales saves "CSV" with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportRejected([f"The file could not be read as a CSV: {error}"]) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ImportRejected(["The first row of the file must hold the column names"])

    by_name = {name: column for column in columns for name in column.names()}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[str] = []
    for position, header in enumerate(records[0]):
        written = header.replace("\ufeff", "").strip()
        key = normalise(written)
        if not key:
            continue
        column = by_name.get(key)
        claimed = column.key if column else (extra_column(key) if extra_column else None)
        if claimed is None:
            if PERSONAL_HEADER_RE.search(key):
                errors.append(NAME_COLUMN_MESSAGE.format(header=written))
            else:
                ignored.append(written)
            continue
        if claimed in headers:
            errors.append(f"The column “{written}” appears more than once: keep one and upload the file again")
            continue
        headers[claimed] = written
        positions[claimed] = position
    for column in columns:
        if column.required and column.key not in headers:
            errors.append(f"The file is missing the column “{column.label}”")
    if errors:
        raise ImportRejected(errors)

    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line: spreadsheets leave them at the end
        values = {key: (record[index].strip() if index < len(record) else "") for key, index in positions.items()}
        rows.append((number, values))
    if not rows:
        raise ImportRejected(["The file has column names but no rows"])
    name = (getattr(uploaded_file, "name", "") or "upload.csv").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    return CsvTable(name=name, sha256=hashlib.sha256(raw).hexdigest(), headers=headers, rows=rows, ignored=ignored)


# Friendly values ----------------------------------------------------------------------------

SERVICE_NAMES = {
    **{normalise(value): value for value in Service.values},
    **{normalise(label): value for value, label in Service.choices},
    "childrens social care": Service.SOCIAL_CARE,
    "social care": Service.SOCIAL_CARE,
    "childrens social work": Service.SOCIAL_CARE,
    "social work": Service.SOCIAL_CARE,
    "csc": Service.SOCIAL_CARE,
    "eh": Service.EARLY_HELP,
    "send": Service.SEND,
    "ehcp": Service.SEND,
    "send ehcp": Service.SEND,
    "chad": Service.CHAD,
    "front door": Service.CHAD,
    "front door chad": Service.CHAD,
    "childrens advice and duty": Service.CHAD,
}
CHAD_NAMES = {
    **{normalise(value): value for value in ChadCategory.values},
    **{normalise(label): value for value, label in ChadCategory.choices},
    "consultations": ChadCategory.CONSULTATION,
    "early help": ChadCategory.EARLY_HELP,
    "passed to early help": ChadCategory.EARLY_HELP,
    "eh": ChadCategory.EARLY_HELP,
    "section 17": ChadCategory.SECTION_17,
    "s17": ChadCategory.SECTION_17,
    "s 17": ChadCategory.SECTION_17,
    "section 17 assessment": ChadCategory.SECTION_17,
    "section 47": ChadCategory.SECTION_47,
    "s47": ChadCategory.SECTION_47,
    "s 47": ChadCategory.SECTION_47,
    "section 47 assessment": ChadCategory.SECTION_47,
}
GRADE_NAMES = {
    **{normalise(value): value for value in Grade.values},
    **{normalise(label): value for value, label in Grade.choices},
    "ri": Grade.REQUIRES_IMPROVEMENT,
}
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
DATE_FORMATS_TEXT = "YYYY-MM-DD or DD/MM/YYYY"
ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (never the American order); None if it is neither or not real."""
    if match := ISO_DATE_RE.match(text):
        year, month, day = match.groups()
    elif match := UK_DATE_RE.match(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class _RowErrors:
    """Collects "Row N: reason" messages in row order."""

    def __init__(self):
        self.messages: list[str] = []

    def add(self, row: int, reason: str) -> None:
        self.messages.append(f"Row {row}: {reason}")

    def __bool__(self) -> bool:
        return bool(self.messages)


def _case_number(row: int, text: str, errors: _RowErrors) -> str | None:
    if not text:
        errors.add(row, "enter the case number")
        return None
    if not CASE_NUMBER_RE.match(text):
        looks_like_name = " " in text.strip()
        reason = f"“{text[:40]}” is not a case number."
        reason += (
            " It looks like a name: the portal stores the case number only, never a child's name"
            if looks_like_name
            else " Enter the case number only (3 to 20 letters, digits, hyphens or slashes)"
        )
        errors.add(row, reason)
        return None
    return text.upper()


def _date(row: int, label: str, text: str, errors: _RowErrors, *, required: bool = True) -> date | None:
    if not text:
        if required:
            errors.add(row, f"enter the {label}")
        return None
    value = parse_date(text)
    if value is None:
        errors.add(row, f"{label} “{text[:20]}” is not a real date. Use {DATE_FORMATS_TEXT}")
    return value


def _choice(row: int, label: str, text: str, names: dict, errors: _RowErrors, choices_text: str) -> str | None:
    value = names.get(normalise(text))
    if value is None:
        errors.add(row, f"{label} “{text[:40]}” is not one of {choices_text}")
    return value


def _text(row: int, label: str, text: str, errors: _RowErrors, *, max_length: int, required: bool) -> str:
    if required and not text:
        errors.add(row, f"enter the {label}")
    elif len(text) > max_length:
        errors.add(row, f"the {label} must be {max_length} characters or fewer")
    return text


def _require_manager(user) -> None:
    if not can_manage_qpag(user):
        raise PermissionDenied("Only QA managers can upload case files.")


# The case-management extract ------------------------------------------------------------------

EXTRACT_COLUMNS = (
    Column("case_number", "Case number", ("case no", "case ref", "case reference", "mosaic number", "mosaic id")),
    Column("team", "Team", ("team name", "allocated team")),
    Column("service", "Service"),
    Column("opened_on", "Open date", ("opened on", "date opened", "start date", "plan finalised", "contact date")),
    Column("allocated_worker", "Allocated worker", ("worker", "allocated worker name", "worker name")),
    Column("locality", "Locality", required=False),
    Column("chad_category", "Contact outcome", ("chad category", "outcome"), required=False),
)
SERVICE_CHOICES_TEXT = "Children's social care, Early Help, SEND or ChAD"
CHAD_CHOICES_TEXT = "consultation, early help, section 17 or section 47"


def _extract_rows(table: CsvTable, extracted_on: date) -> list[ExtractCase]:
    errors = _RowErrors()
    seen: dict[str, int] = {}
    cases = []
    for row, values in table.rows:
        before = len(errors.messages)
        case_number = _case_number(row, values["case_number"], errors)
        if case_number and case_number in seen:
            errors.add(row, f"case number {case_number} is also on row {seen[case_number]}")
        elif case_number:
            seen[case_number] = row
        team = _text(row, "team", values["team"], errors, max_length=120, required=True)
        service = None
        if not values["service"]:
            errors.add(row, "enter the service")
        else:
            service = _choice(row, "service", values["service"], SERVICE_NAMES, errors, SERVICE_CHOICES_TEXT)
        opened_on = _date(row, "open date", values["opened_on"], errors)
        if opened_on and opened_on > extracted_on:
            errors.add(row, f"open date {opened_on:%d/%m/%Y} is after the day the extract was taken")
        worker = _text(row, "allocated worker", values["allocated_worker"], errors, max_length=200, required=False)
        locality = _text(row, "locality", values.get("locality", ""), errors, max_length=80, required=False)
        outcome_text = values.get("chad_category", "")
        chad_category = ""
        if service == Service.CHAD:
            if not outcome_text:
                errors.add(row, f"enter the contact outcome for a front-door contact ({CHAD_CHOICES_TEXT})")
            else:
                chad_category = _choice(row, "contact outcome", outcome_text, CHAD_NAMES, errors, CHAD_CHOICES_TEXT)
        elif service and outcome_text:
            errors.add(row, "a contact outcome is only for front-door (ChAD) contacts: leave it empty")
        if len(errors.messages) == before:
            cases.append(
                ExtractCase(
                    case_number=case_number,
                    team=team,
                    service=service,
                    opened_on=opened_on,
                    allocated_worker=worker,
                    locality=locality,
                    chad_category=chad_category or "",
                )
            )
    if errors:
        raise ImportRejected(errors.messages)
    return cases


def extract_upload(*, user, uploaded_file, extracted_on: date) -> CaseExtract:
    """Keep a valid extract of the case-management system, or raise ImportRejected with every
    problem found. Only the columns the sampling rules need are kept, with the file's sha256 so
    a draw can show which file it used."""
    _require_manager(user)
    table = read_csv_upload(uploaded_file, columns=EXTRACT_COLUMNS)
    cases = _extract_rows(table, extracted_on)
    with transaction.atomic():
        extract = CaseExtract.objects.create(
            original_name=table.name,
            extracted_on=extracted_on,
            uploaded_by=user,
            row_count=len(cases),
            sha256=table.sha256,
        )
        for case in cases:
            case.extract = extract
        ExtractCase.objects.bulk_create(cases, batch_size=1000)
        log(
            extract,
            "qpag.extract.upload",
            user=user,
            data={"rows": len(cases), "sha256": table.sha256, "ignored_columns": table.ignored},
        )
    extract.ignored_columns = table.ignored  # for the page's message; not stored
    return extract


# Completed case-file audits -------------------------------------------------------------------

AUDIT_COLUMNS = (
    Column("case_number", "Case number", ("case no", "case ref", "case reference", "mosaic number", "mosaic id")),
    Column("service", "Service"),
    Column("team", "Team", ("team name",)),
    Column("locality", "Locality", required=False),
    Column("auditor", "Auditor", ("auditor name",)),
    Column("notified_on", "Notified on", ("date notified", "notified")),
    Column("audited_on", "Audited on", ("date audited", "audit date")),
    Column("auditor_grade", "Auditor grade", ("overall grade", "grade")),
    Column("moderator", "Moderator", ("moderator name",), required=False),
    Column("moderated_on", "Moderated on", ("date moderated", "moderation date"), required=False),
    Column("moderator_grade", "Moderator grade", ("moderated grade",), required=False),
    Column("family_feedback_sought", "Family feedback sought"),
    Column("family_feedback", "Family feedback", ("what the family said",), required=False),
    Column("chad_category", "ChAD category", ("contact outcome",), required=False),
)
AREA_KEY_PREFIX = "area:"
AREA_NAMES = {
    **{normalise(label): value for value, label in PracticeArea.choices},
    **{normalise(value): value for value in PracticeArea.values},
}
GRADE_CHOICES_TEXT = "Outstanding, Good, Requires improvement or Inadequate"


def audit_template_headers() -> list[str]:
    """The columns of the downloadable template, in order: practice areas by their labels."""
    return [column.label for column in AUDIT_COLUMNS] + [label for _, label in PracticeArea.choices]


def _area_column(key: str) -> str | None:
    area = AREA_NAMES.get(key)
    return f"{AREA_KEY_PREFIX}{area}" if area else None


@dataclass
class _AuditRow:
    row: int
    case_number: str
    service: str
    team: str
    locality: str
    auditor: Auditor
    notified_on: date
    audited_on: date
    auditor_grade: str
    moderator: Auditor | None
    moderated_on: date | None
    moderator_grade: str
    family_feedback_sought: bool | None
    family_feedback: str
    chad_category: str
    area_grades: dict[str, str]


class _People:
    """Active auditors looked up by name, case-insensitively, from one query."""

    def __init__(self):
        self.by_name: dict[str, list[Auditor]] = {}
        for auditor in Auditor.objects.filter(is_active=True).order_by("name", "pk"):
            self.by_name.setdefault(auditor.name.strip().casefold(), []).append(auditor)

    def find(self, name: str, service: str | None) -> tuple[Auditor | None, str]:
        found = self.by_name.get(name.strip().casefold(), [])
        if len(found) > 1 and service:
            found = [person for person in found if person.service == service] or found
        if not found:
            return None, f"“{name[:60]}” is not an active auditor in the auditor register"
        if len(found) > 1:
            return None, f"more than one active auditor is called “{name[:60]}”: make their names distinct"
        return found[0], ""


def _audit_rows(table: CsvTable) -> list[_AuditRow]:
    errors = _RowErrors()
    people = _People()
    area_keys = [key for key in table.headers if key.startswith(AREA_KEY_PREFIX)]
    seen: dict[tuple[str, date], int] = {}
    parsed: list[_AuditRow] = []
    for row, values in table.rows:
        before = len(errors.messages)
        case_number = _case_number(row, values["case_number"], errors)
        service = None
        if not values["service"]:
            errors.add(row, "enter the service")
        else:
            service = _choice(row, "service", values["service"], SERVICE_NAMES, errors, SERVICE_CHOICES_TEXT)
        team = _text(row, "team", values["team"], errors, max_length=120, required=True)
        locality = _text(row, "locality", values.get("locality", ""), errors, max_length=80, required=False)

        auditor = None
        if not values["auditor"]:
            errors.add(row, "enter the auditor")
        else:
            auditor, problem = people.find(values["auditor"], service)
            if problem:
                errors.add(row, f"auditor {problem}")
            elif not auditor.can_audit:
                errors.add(row, f"{auditor.name} is not recorded as an auditor")
            elif team and auditor.team.strip().casefold() == team.strip().casefold():
                errors.add(row, f"the auditor {auditor.name} is in {auditor.team}: choose an auditor from another team")

        notified_on = _date(row, "notified on date", values["notified_on"], errors)
        audited_on = _date(row, "audited on date", values["audited_on"], errors)
        if notified_on and audited_on and audited_on < notified_on:
            errors.add(row, "the audited on date must be on or after the notified on date")
        auditor_grade = ""
        if not values["auditor_grade"]:
            errors.add(row, "enter the auditor grade")
        else:
            auditor_grade = _choice(
                row, "auditor grade", values["auditor_grade"], GRADE_NAMES, errors, GRADE_CHOICES_TEXT
            )

        moderator_text = values.get("moderator", "")
        moderated_text = values.get("moderated_on", "")
        moderator_grade_text = values.get("moderator_grade", "")
        moderator, moderated_on, moderator_grade = None, None, ""
        if moderator_text or moderated_text or moderator_grade_text:
            if not (moderator_text and moderated_text and moderator_grade_text):
                errors.add(row, "give the moderator, moderated on date and moderator grade together, or none of them")
            if moderator_text:
                moderator, problem = people.find(moderator_text, service)
                if problem:
                    errors.add(row, f"moderator {problem}")
                elif auditor and moderator.pk == auditor.pk:
                    errors.add(row, "the moderator must be someone other than the auditor")
                elif not moderator.can_moderate:
                    errors.add(row, f"{moderator.name} is not recorded as a moderator")
            moderated_on = _date(row, "moderated on date", moderated_text, errors, required=False)
            if moderated_on and audited_on and moderated_on < audited_on:
                errors.add(row, "the moderated on date must be on or after the audited on date")
            if moderator_grade_text:
                moderator_grade = _choice(
                    row, "moderator grade", moderator_grade_text, GRADE_NAMES, errors, GRADE_CHOICES_TEXT
                )

        sought_text = normalise(values["family_feedback_sought"])
        sought = YES_NO.get(sought_text) if sought_text else None
        if sought_text and sought_text not in YES_NO:
            errors.add(row, f"family feedback sought “{values['family_feedback_sought'][:20]}” must be yes or no")
        feedback = _text(
            row, "family feedback", values.get("family_feedback", ""), errors, max_length=10_000, required=False
        )
        if feedback and sought is False:
            errors.add(row, "there is family feedback but family feedback sought says no")

        chad_text = values.get("chad_category", "")
        chad_category = ""
        if chad_text and service and service != Service.CHAD:
            errors.add(row, "a ChAD category is only for front-door (ChAD) audits: leave it empty")
        elif chad_text:
            chad_category = _choice(row, "ChAD category", chad_text, CHAD_NAMES, errors, CHAD_CHOICES_TEXT) or ""

        area_grades: dict[str, str] = {}
        applies = set(SERVICE_PRACTICE_AREAS[service]) if service else set()
        for key in area_keys:
            text = values[key]
            if not text:
                continue
            area = key.removeprefix(AREA_KEY_PREFIX)
            label = PracticeArea(area).label
            if service and area not in applies:
                errors.add(row, f"“{label}” is not graded for {Service(service).label}: leave it empty")
                continue
            grade = _choice(row, f"the grade for “{label}”", text, GRADE_NAMES, errors, GRADE_CHOICES_TEXT)
            if grade:
                area_grades[area] = grade
        if service and not area_grades and len(errors.messages) == before:
            errors.add(row, "grade at least one practice area")

        if case_number and notified_on:
            key = (case_number, notified_on)
            if key in seen:
                errors.add(row, f"case {case_number} notified on {notified_on:%d/%m/%Y} is also on row {seen[key]}")
            else:
                seen[key] = row
        if len(errors.messages) == before:
            parsed.append(
                _AuditRow(
                    row=row,
                    case_number=case_number,
                    service=service,
                    team=team,
                    locality=locality,
                    auditor=auditor,
                    notified_on=notified_on,
                    audited_on=audited_on,
                    auditor_grade=auditor_grade,
                    moderator=moderator,
                    moderated_on=moderated_on,
                    moderator_grade=moderator_grade or "",
                    family_feedback_sought=sought,
                    family_feedback=feedback,
                    chad_category=chad_category,
                    area_grades=area_grades,
                )
            )

    # Already recorded: one query for every case number in the file.
    numbers = {item.case_number for item in parsed}
    existing = set(
        CaseFileAudit.objects.filter(case_number__in=numbers).values_list("case_number", "notified_on")
        if numbers
        else []
    )
    for item in parsed:
        if (item.case_number, item.notified_on) in existing:
            errors.add(
                item.row,
                f"case {item.case_number} notified on {item.notified_on:%d/%m/%Y} is already recorded in the portal",
            )
    if errors:
        # Row order, whichever pass found the problem.
        errors.messages.sort(key=lambda message: int(message.split(":", 1)[0].removeprefix("Row ")))
        raise ImportRejected(errors.messages)
    return parsed


def _messages(error: ValidationError) -> Iterable[str]:
    if hasattr(error, "error_dict"):
        for messages in error.message_dict.values():
            yield from messages
    else:
        yield from error.messages


def casefile_audits_import(*, user, uploaded_file) -> list[CaseFileAudit]:
    """Record a CSV of audits completed outside the portal through the same services as the
    pages (so each has its log, due date, final grade and any triple-lock review), or nothing
    at all: any row the services refuse rolls the whole file back."""
    _require_manager(user)
    table = read_csv_upload(uploaded_file, columns=AUDIT_COLUMNS, extra_column=_area_column)
    rows = _audit_rows(table)
    errors = _RowErrors()
    created: list[CaseFileAudit] = []
    with transaction.atomic():
        for item in rows:
            try:
                with transaction.atomic():
                    audit = services.casefile_audit_create(
                        user=user,
                        case_number=item.case_number,
                        service=item.service,
                        team=item.team,
                        auditor=item.auditor,
                        notified_on=item.notified_on,
                        locality=item.locality,
                        chad_category=item.chad_category,
                    )
                    audit = services.casefile_audit_record_grades(
                        audit=audit,
                        user=user,
                        overall_grade=item.auditor_grade,
                        area_grades=item.area_grades,
                        audited_on=item.audited_on,
                        family_feedback_sought=item.family_feedback_sought,
                        family_feedback=item.family_feedback,
                    )
                    if item.moderator:
                        audit = services.casefile_audit_moderate(
                            audit=audit,
                            user=user,
                            moderator=item.moderator,
                            moderated_on=item.moderated_on,
                            overall_grade=item.moderator_grade,
                        )
                    created.append(audit)
            except (ValidationError, services.InvalidTransition) as error:
                reasons = list(_messages(error)) if isinstance(error, ValidationError) else [str(error)]
                for reason in reasons:
                    errors.add(item.row, reason)
        if errors:
            # Leaving the block by an exception rolls every row back.
            raise ImportRejected(errors.messages)
        CaseFileAudit.objects.filter(pk__in=[audit.pk for audit in created]).update(imported=True)
        for audit in created:
            audit.imported = True
        # One entry for the file, on its first audit (Wagtail's log needs an object to hang on).
        log(
            created[0],
            "qpag.audit.import",
            user=user,
            data={
                "file": table.name,
                "sha256": table.sha256,
                "audits": len(created),
                "moderated": sum(1 for audit in created if audit.moderator_id),
                "inadequate": sum(1 for audit in created if audit.final_grade == Grade.INADEQUATE),
            },
        )
    return created
