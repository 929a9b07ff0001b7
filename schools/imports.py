"""Import the settings register from the DfE's Get Information About Schools (GIAS) extract.

GIAS publishes every establishment as a CSV with one column per field, named like
"TypeOfEstablishment (name)". We read only the columns we keep, upsert by URN, and report
what was created, updated, left unchanged or rejected (with the reason), so the QA manager
can fix the rejected rows at source and import again: the import is safe to repeat.
"""

import csv
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.search.backends import get_search_backends_with_name

from portal.permissions import user_has_role
from portal.roles import Role
from schools.models import Setting
from schools.models.register import Phase, SettingKind

logger = logging.getLogger(__name__)

# The admin upload refuses anything larger: a whole-country GIAS extract is about 60 MB,
# one local authority's is well under 1 MB.
GIAS_UPLOAD_MAX_BYTES = 5 * 1024 * 1024

IMPORT_LOG_ACTION = "schools.setting.import_gias"

URN = "URN"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
PHASE = "PhaseOfEducation (name)"
ESTABLISHMENT_NUMBER = "EstablishmentNumber"
STREET = "Street"
TOWN = "Town"
POSTCODE = "Postcode"
HEAD_FIRST_NAME = "HeadFirstName"
HEAD_LAST_NAME = "HeadLastName"
TRUST = "Trusts (name)"
STATUS = "EstablishmentStatus (name)"
# Not a GIAS column (GIAS knows nothing of our localities): read when present.
LOCALITY = "Locality"

REQUIRED_COLUMNS = (
    URN,
    NAME,
    TYPE,
    PHASE,
    ESTABLISHMENT_NUMBER,
    STREET,
    TOWN,
    POSTCODE,
    HEAD_FIRST_NAME,
    HEAD_LAST_NAME,
    TRUST,
    STATUS,
)

# GIAS "TypeOfEstablishment (name)" values, lower-cased, mapped to our kinds. Types the
# service does not quality-assure (Welsh establishments, higher education, children's
# centres, British schools overseas …) are deliberately absent, so such rows are rejected.
ESTABLISHMENT_TYPES: dict[str, str] = {
    "community school": SettingKind.MAINTAINED_SCHOOL,
    "voluntary aided school": SettingKind.MAINTAINED_SCHOOL,
    "voluntary controlled school": SettingKind.MAINTAINED_SCHOOL,
    "foundation school": SettingKind.MAINTAINED_SCHOOL,
    "local authority nursery school": SettingKind.MAINTAINED_SCHOOL,
    "academy converter": SettingKind.ACADEMY,
    "academy sponsor led": SettingKind.ACADEMY,
    "academy 16-19 converter": SettingKind.ACADEMY,
    "academy 16-19 sponsor led": SettingKind.ACADEMY,
    "academy 16 to 19 sponsor led": SettingKind.ACADEMY,
    "university technical college": SettingKind.ACADEMY,
    "studio schools": SettingKind.ACADEMY,
    "city technology college": SettingKind.ACADEMY,
    "free schools": SettingKind.FREE_SCHOOL,
    "free schools 16 to 19": SettingKind.FREE_SCHOOL,
    "free schools 16-19": SettingKind.FREE_SCHOOL,
    "community special school": SettingKind.SPECIAL_SCHOOL,
    "foundation special school": SettingKind.SPECIAL_SCHOOL,
    "non-maintained special school": SettingKind.SPECIAL_SCHOOL,
    "academy special converter": SettingKind.SPECIAL_SCHOOL,
    "academy special sponsor led": SettingKind.SPECIAL_SCHOOL,
    "free schools special": SettingKind.SPECIAL_SCHOOL,
    "pupil referral unit": SettingKind.PUPIL_REFERRAL_UNIT,
    "academy alternative provision converter": SettingKind.PUPIL_REFERRAL_UNIT,
    "academy alternative provision sponsor led": SettingKind.PUPIL_REFERRAL_UNIT,
    "free schools alternative provision": SettingKind.PUPIL_REFERRAL_UNIT,
    "other independent school": SettingKind.INDEPENDENT_SCHOOL,
    "other independent special school": SettingKind.INDEPENDENT_SCHOOL,
    "further education": SettingKind.FE_COLLEGE,
    "sixth form centres": SettingKind.FE_COLLEGE,
}

PHASES: dict[str, str] = {
    "": Phase.NOT_APPLICABLE,
    "not applicable": Phase.NOT_APPLICABLE,
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE,
    "middle deemed secondary": Phase.MIDDLE,
    "secondary": Phase.SECONDARY,
    "all-through": Phase.ALL_THROUGH,
    "16 plus": Phase.SIXTEEN_PLUS,
}

# True means open. A school "proposed to open" is not open yet, so no audit goes to it.
STATUSES: dict[str, bool] = {
    "": True,
    "open": True,
    "open, but proposed to close": True,
    "closed": False,
    "proposed to open": False,
}

URN_PATTERN = re.compile(r"\d{6,7}")


class RejectedRow(NamedTuple):
    row_number: int  # as a spreadsheet shows it: the header is row 1
    urn: str
    reason: str


@dataclass
class ImportReport:
    """What one file did. Lists hold URNs, so the report can name the settings."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return len(self.created)

    @property
    def updated_count(self) -> int:
        return len(self.updated)

    @property
    def unchanged_count(self) -> int:
        return len(self.unchanged)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        return (
            f"{self.created_count} created, {self.updated_count} updated, "
            f"{self.unchanged_count} unchanged, {self.rejected_count} rejected"
        )


def can_import_settings(user) -> bool:
    """QA managers keep the register; a GIAS import rewrites it."""
    return bool(user is not None and user.is_authenticated and user.is_active) and (
        user.is_superuser or user_has_role(user, Role.QA_MANAGER)
    )


def _header_key(name: str | None) -> str:
    # Excel's "CSV UTF-8" starts with a byte-order mark, which a stream opened as plain
    # UTF-8 leaves on the first column's name; spreadsheets also pad names with spaces.
    return (name or "").lstrip("\ufeff").strip().casefold()


def _cell(row: dict, column: str) -> str:
    value = row.get(column)
    # A short row leaves missing cells as None; collapse runs of spaces GIAS sometimes has.
    return " ".join(value.split()) if isinstance(value, str) else ""


def _max_length(field_name: str) -> int:
    return Setting._meta.get_field(field_name).max_length


def _parse_row(row: dict, *, has_locality: bool) -> tuple[str, dict[str, object] | None, str]:
    """Return (urn, field values, "") for a good row, or (urn, None, reason) for a bad one."""
    urn = _cell(row, URN)
    if not urn:
        return urn, None, "URN is missing."
    if not URN_PATTERN.fullmatch(urn):
        return urn, None, f"URN “{urn}” is not a 6 or 7 digit number."

    name = _cell(row, NAME)
    if not name:
        return urn, None, "EstablishmentName is missing."

    type_name = _cell(row, TYPE)
    if not type_name:
        return urn, None, "TypeOfEstablishment (name) is missing."
    kind = ESTABLISHMENT_TYPES.get(type_name.casefold())
    if kind is None:
        return urn, None, f"Unknown type of establishment “{type_name}”: the portal does not cover it."

    phase_name = _cell(row, PHASE)
    phase = PHASES.get(phase_name.casefold())
    if phase is None:
        return urn, None, f"Unknown phase of education “{phase_name}”."

    status_name = _cell(row, STATUS)
    is_open = STATUSES.get(status_name.casefold())
    if is_open is None:
        return urn, None, f"Unknown establishment status “{status_name}”."

    head = " ".join(part for part in (_cell(row, HEAD_FIRST_NAME), _cell(row, HEAD_LAST_NAME)) if part)
    values: dict[str, object] = {
        "name": name,
        "kind": kind,
        "phase": phase,
        "la_establishment_number": _cell(row, ESTABLISHMENT_NUMBER),
        "street": _cell(row, STREET),
        "town": _cell(row, TOWN),
        "postcode": _cell(row, POSTCODE).upper(),
        "headteacher_name": head,
        "trust_name": _cell(row, TRUST),
        "is_open": is_open,
    }
    # A blank locality leaves the register's own value alone: localities are ours, not GIAS's.
    if has_locality and (locality := _cell(row, LOCALITY)):
        values["locality"] = locality

    # PostgreSQL refuses an over-long value and would abort the whole file; say which cell.
    for field_name, value in values.items():
        if isinstance(value, str) and len(value) > (limit := _max_length(field_name)):
            label = Setting._meta.get_field(field_name).verbose_name
            return urn, None, f"{label.capitalize()} is longer than {limit} characters."
    return urn, values, ""


def _read_rows(csv_file: TextIO) -> tuple[dict[str, str], Iterable[dict]]:
    """The header's own spelling of each column we want, and the data rows."""
    reader = csv.DictReader(csv_file)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        raise ValidationError(f"The file could not be read as CSV: {error}.") from error
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text. Save it from Excel as “CSV UTF-8”.") from error
    if not fieldnames:
        raise ValidationError("The file is empty: it has no header row.")

    by_key = {_header_key(name): name for name in fieldnames if name}
    missing = [column for column in REQUIRED_COLUMNS if _header_key(column) not in by_key]
    if missing:
        raise ValidationError(
            "The file is not a GIAS extract: the header has no "
            + ", ".join(f"“{column}”" for column in missing)
            + " column. Nothing was imported."
        )
    wanted = (*REQUIRED_COLUMNS, LOCALITY)
    columns = {column: by_key[_header_key(column)] for column in wanted if _header_key(column) in by_key}
    return columns, reader


def _log_changes(settings: list[Setting], *, user, changed: dict[int, list[str]]) -> None:
    """One history entry per setting, in one query: the import is the thing that changed them."""
    if not settings:
        return
    content_type = ContentType.objects.get_for_model(Setting)
    batch = uuid.uuid4()
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        ModelLogEntry(
            content_type=content_type,
            object_id=str(setting.pk),
            label=str(setting)[:255],
            action=IMPORT_LOG_ACTION,
            user=user if getattr(user, "is_authenticated", False) else None,
            uuid=batch,
            timestamp=now,
            content_changed=True,
            data={"fields": changed.get(setting.pk, ["created"])},
        )
        for setting in settings
    )


def _update_search_index(settings: list[Setting]) -> None:
    # bulk_create and bulk_update send no signals, so Wagtail's search would not see these.
    if not settings:
        return
    for backend_name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(Setting, settings)
        except Exception:
            # As Wagtail does: an external search service being down must not lose the import,
            # but a database backend's error means the transaction is broken anyway.
            logger.exception("Could not index imported settings in the '%s' search backend", backend_name)
            if not backend.catch_indexing_errors:
                raise


def settings_import_gias(*, csv_file: TextIO, user=None) -> ImportReport:
    """Upsert settings by URN from a GIAS-layout CSV (a text stream, UTF-8 with or without BOM).

    A header without every GIAS column we read raises ValidationError and writes nothing.
    Otherwise good rows are written in one transaction and bad rows are reported, each
    with its spreadsheet row number and reason; a URN seen twice keeps its first row.
    """
    columns, reader = _read_rows(csv_file)
    has_locality = LOCALITY in columns
    report = ImportReport()
    parsed: dict[str, dict[str, object]] = {}
    first_row_of: dict[str, int] = {}

    try:
        # Rename the header's spelling to ours once, so parsing reads canonical names.
        for row_number, raw in enumerate(reader, start=2):
            row = {ours: raw.get(theirs) for ours, theirs in columns.items()}
            if not any(_cell(row, column) for column in columns):
                continue  # a blank line, e.g. trailing commas from a spreadsheet
            urn, values, reason = _parse_row(row, has_locality=has_locality)
            if urn in first_row_of:
                reason = f"URN {urn} appears more than once in the file (first at row {first_row_of[urn]})."
                values = None
            elif URN_PATTERN.fullmatch(urn):
                first_row_of[urn] = row_number
            if values is None:
                report.rejected.append(RejectedRow(row_number, urn, reason))
            else:
                parsed[urn] = values
    except csv.Error as error:
        raise ValidationError(f"The file could not be read as CSV: {error}. Nothing was imported.") from error
    except UnicodeDecodeError as error:
        raise ValidationError("The file is not UTF-8 text. Save it from Excel as “CSV UTF-8”.") from error

    try:
        _write(parsed, report=report, user=user)
    except IntegrityError as error:
        # Only a second import writing the same new URNs at the same moment gets here.
        raise ValidationError(
            "Another import changed the register at the same time. Nothing was imported: try again."
        ) from error
    return report


def _write(parsed: dict[str, dict[str, object]], *, report: ImportReport, user) -> None:
    """Create and update in bulk, in one transaction: a file is imported whole or not at all."""
    with transaction.atomic():
        existing = Setting.objects.select_for_update().in_bulk(list(parsed), field_name="urn")
        to_create: list[Setting] = []
        to_update: list[Setting] = []
        changed: dict[int, list[str]] = {}
        update_fields: set[str] = set()
        now = timezone.now()
        for urn, values in parsed.items():
            setting = existing.get(urn)
            if setting is None:
                to_create.append(Setting(urn=urn, **values))
                report.created.append(urn)
                continue
            differences = [name for name, value in values.items() if getattr(setting, name) != value]
            if not differences:
                report.unchanged.append(urn)
                continue
            for name in differences:
                setattr(setting, name, values[name])
            setting.updated_at = now  # bulk_update skips auto_now
            update_fields.update(differences)
            changed[setting.pk] = differences
            to_update.append(setting)
            report.updated.append(urn)

        created = Setting.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Setting.objects.bulk_update(to_update, [*sorted(update_fields), "updated_at"], batch_size=500)
        if created and created[0].pk is None:
            # Backends that cannot return ids from a bulk insert: read them back for the log and index.
            created = list(Setting.objects.filter(urn__in=[setting.urn for setting in created]))
        _log_changes([*created, *to_update], user=user, changed=changed)
        _update_search_index([*created, *to_update])
