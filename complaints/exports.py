"""The tracker's list as a spreadsheet (CSV or Excel), for management and QPAG reporting.

Complainants' names and contact details leave the portal only when a QA manager asks for them,
and every export is recorded in Wagtail's audit log, with or without them.
"""

import csv
import io
from datetime import date

from wagtail.log_actions import log

from portal.permissions import user_has_role
from portal.roles import Role

from . import clocks
from .models import Complaint
from .services import complaints_settings

CSV = "csv"
XLSX = "xlsx"
FORMATS = [(CSV, "CSV (comma-separated values)"), (XLSX, "Microsoft Excel (.xlsx)")]
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADINGS = [
    "Reference",
    "Setting",
    "Setting URN",
    "Received on",
    "Source",
    "Source reference",
    "How received",
    "Themes",
    "Severity",
    "Adviser",
    "Status",
    "Acknowledged on",
    "Acknowledge due",
    "Respond due",
    "Response sent on",
    "Working days to respond",
    "Outcome",
    "Learning identified",
    "Closed on",
    "Clock",
]
PERSONAL_HEADINGS = ["Complainant name", "Complainant contact"]

# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def can_export_personal(user) -> bool:
    return bool(user and user.is_authenticated) and (user.is_superuser or user_has_role(user, Role.QA_MANAGER))


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def export_rows(
    complaints: list[Complaint], *, today: date, due_soon_days: int, personal: bool
) -> tuple[list[str], list[list]]:
    """Headings and one row per complaint. Expects themes prefetched and the setting and adviser
    selected with the complaints (tracker.tracker_complaints), so the rows cost no queries."""
    headings = HEADINGS + (PERSONAL_HEADINGS if personal else [])
    rows = []
    for complaint in complaints:
        adviser = complaint.assigned_adviser
        row = [
            complaint.reference,
            complaint.setting.name,
            complaint.setting.urn,
            complaint.received_on,
            complaint.get_source_display(),
            complaint.source_reference,
            complaint.get_received_via_display(),
            "; ".join(theme.name for theme in complaint.themes.all()),
            complaint.get_severity_display(),
            (adviser.get_full_name() or adviser.email) if adviser else "",
            complaint.get_status_display(),
            complaint.acknowledged_on,
            complaint.acknowledge_due_on,
            complaint.respond_due_on,
            complaint.response_sent_on,
            complaint.response_working_days,
            complaint.get_outcome_display() if complaint.outcome else "",
            _yes_no(complaint.learning_identified),
            complaint.closed_on,
            clocks.CLOCK_LABELS[clocks.clock_state(complaint, today, due_soon_days)],
        ]
        if personal:
            row += [complaint.complainant_name, complaint.complainant_contact]
        rows.append(row)
    return headings, rows


def safe_text(value) -> str:
    """A cell as CSV text: dates in ISO form, nothing a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def csv_bytes(headings: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    # With a byte-order mark, Excel reads the file as UTF-8 (names with accents stay intact).
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(headings: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Complaints"
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif cell.data_type == "f":
                # openpyxl stores text starting with "=" as a formula; keep it as the text typed.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column in sheet.iter_cols(min_row=1, max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(40, len(column[0].value) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(today: date, export_format: str) -> str:
    return f"complaints-{today:%Y-%m-%d}.{export_format}"


def tracker_export_log(*, user, export_format: str, rows: int, personal: bool, filters: dict) -> None:
    """The export's entry in Wagtail's audit log, against the complaints settings (the tracker
    itself), since an export is about a list rather than any one complaint."""
    log(
        complaints_settings(),
        "complaints.tracker.export",
        user=user,
        data={"format": export_format, "rows": rows, "personal": personal, "filters": filters},
    )
