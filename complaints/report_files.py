"""The quarterly complaints report as files: an XLSX workbook (openpyxl) and a tagged PDF
(WeasyPrint, PDF/UA-1). Both are written from the figures dict alone, so they match the
snapshot page exactly."""

import io
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from .reports import MEASURES, report_context

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@")


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _append(sheet, values: list, *, bold: bool = False, percent_columns: tuple[int, ...] = ()) -> None:
    from openpyxl.styles import Font

    sheet.append(values)
    for index, cell in enumerate(sheet[sheet.max_row]):
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
            cell.data_type = "s"  # setting names are text, never formulas
        if bold:
            cell.font = Font(bold=True)
        if index in percent_columns:
            cell.number_format = "0.0%"


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def report_xlsx(figures: dict) -> bytes:
    """One sheet per section (all complaints, Ofsted complaints), each with this quarter and
    the previous quarter side by side, then a sheet of the counting rules."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = report_context(figures)
    current, previous = figures["label"], figures["previous"]["label"]
    headers = [current, f"{previous} (previous quarter)"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section, shown in zip(figures["sections"], context["sections"], strict=True):
        sheet = workbook.create_sheet(section["title"][:31])
        dates = f"{_long(context['starts_on'])} to {_long(context['ends_on'])}"
        previous_dates = f"{_long(context['previous_starts_on'])} to {_long(context['previous_ends_on'])}"
        sheet.append([f"{section['title']}: {current} ({dates})"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([f"Previous quarter: {previous} ({previous_dates})"])
        sheet.append([])
        _append(sheet, ["Measure", *headers], bold=True)
        now, before = section["current"], section["previous"]
        for key, label, kind, _of_key in MEASURES:
            if kind == "share":
                _append(sheet, [label, now[key], before[key]])
                _append(
                    sheet,
                    [f"{label} (%)", _percent(now[f"{key}_percent"]), _percent(before[f"{key}_percent"])],
                    percent_columns=(1, 2),
                )
            else:
                _append(sheet, [label, now[key], before[key]])
        for breakdown in shown["breakdowns"]:
            sheet.append([])
            _append(sheet, [breakdown["title"], *headers], bold=True)
            for row in breakdown["rows"]:
                _append(sheet, [row["label"], row["current"], row["previous"]])
        sheet.append([])
        _append(sheet, [f"Settings with repeat complaints in the 12 months to {_long(context['ends_on'])}"], bold=True)
        _append(sheet, ["Setting", "URN", "Complaints"], bold=True)
        for row in now["repeat_settings"]:
            _append(sheet, [row["name"], row["urn"], row["count"]])
        if not now["repeat_settings"]:
            sheet.append(["None"])
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 18
        sheet.column_dimensions["C"].width = 30
    about = workbook.create_sheet("How these are counted")
    about.append([f"Quarterly complaints report {current}"])
    about["A1"].font = Font(bold=True, size=14)
    about.append([f"Produced {context['generated_at']:%d/%m/%Y %H:%M}"])
    about.append([])
    for rule in context["rules"]:
        _append(about, [rule])
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf_html(figures: dict) -> str:
    return render_to_string("complaints/report_pdf.html", {"quarterly": report_context(figures)})


def report_pdf(figures: dict) -> bytes:
    """A tagged PDF (PDF/UA-1) of the same figures, tables and charts."""
    import weasyprint

    html = report_pdf_html(figures)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
