"""An issued QPAG pack as files: an XLSX workbook (openpyxl, a sheet per section with its
narrative and tables) and a tagged A4 PDF (WeasyPrint) of the same content as the page. Both are
written from the pack's frozen figures alone, so they match the issued page exactly."""

import io
import logging
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from .models import QpagPack
from .pack import PERCENT, pack_sections

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"
CONTENT_TYPES = {"pdf": PDF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
# A cell starting with one of these is read as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@")


def pack_filename(pack: QpagPack, fmt: str) -> str:
    return f"qpag-pack-{pack.month:%Y-%m}.{fmt}"


def pack_context(pack: QpagPack, figures: dict) -> dict:
    """What the page and the PDF need, from the figures given (live for a draft, frozen once issued)."""
    return {
        "pack": pack,
        "figures": figures,
        "sections": pack_sections(figures, pack.narrative),
        "generated_at": datetime.fromisoformat(figures["generated_at"]),
        "as_at": date.fromisoformat(figures["as_at"]),
    }


def _append(sheet, values: list, *, bold: bool = False, kinds: list[str] | None = None) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(values)
    for index, cell in enumerate(sheet[sheet.max_row]):
        if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
            cell.data_type = "s"  # text typed by people is never a formula
        if bold:
            cell.font = Font(bold=True)
        if kinds and index < len(kinds) and kinds[index] == PERCENT and isinstance(cell.value, int | float):
            cell.value = round(cell.value / 100, 4)
            cell.number_format = "0.0%"
        if isinstance(cell.value, str) and len(cell.value) > 80:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def pack_xlsx(pack: QpagPack) -> bytes:
    """A sheet per section: its narrative, its summary figures, then each table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    figures = pack.figures
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, section in enumerate(pack_sections(figures, pack.narrative), start=1):
        sheet = workbook.create_sheet(f"{number} {section['title']}"[:31].replace("/", " ").replace(":", ""))
        sheet.append([f"{section['title']}: {figures['month_label']}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        _append(sheet, ["Narrative"], bold=True)
        for paragraph in (section["narrative"] or "No narrative.").split("\n"):
            _append(sheet, [paragraph])
        if section["summary"]:
            sheet.append([])
            _append(sheet, ["Measure", "Value"], bold=True)
            for item in section["summary"]:
                _append(sheet, [item["label"], item["value"]], kinds=["text", item["kind"]])
        for quote in section.get("quotes") or []:
            _append(sheet, [f"“{quote}”"])
        for table in section["tables"]:
            sheet.append([])
            _append(sheet, [table["caption"]], bold=True)
            _append(sheet, [c["label"] for c in table["columns"]], bold=True)
            kinds = [c["kind"] for c in table["columns"]]
            for row in table["rows"]:
                _append(sheet, list(row), kinds=kinds)
            if not table["rows"] and table["empty"]:
                sheet.append([table["empty"]])
        sheet.column_dimensions["A"].width = 60
        for column in "BCDEFG":
            sheet.column_dimensions[column].width = 22
    about = workbook.create_sheet("How these are counted")
    about.append([f"QPAG pack {figures['month_label']}"])
    about["A1"].font = Font(bold=True, size=14)
    about.append(
        [f"Figures as at {figures['as_at']}, issued {pack.issued_at:%d/%m/%Y %H:%M}" if pack.issued_at else ""]
    )
    about.append([])
    for rule in [*figures.get("rules", []), *figures.get("counting_rules", [])]:
        _append(about, [rule])
    about.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_pdf_html(pack: QpagPack) -> str:
    return render_to_string("qpag/packs/pack_pdf.html", pack_context(pack, pack.figures))


def pack_pdf(pack: QpagPack) -> bytes:
    """A tagged A4 PDF of the issued pack, from the page's own section templates."""
    import weasyprint

    html = pack_pdf_html(pack)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def pack_files_build(*, pack_id: int) -> str:
    """Write the XLSX and the PDF of an issued pack. Runs once: files that are ready are never
    rebuilt (the figures are final); a failure is recorded on the pack and can be retried."""
    Files = QpagPack.FilesStatus
    claimed = (
        QpagPack.objects.filter(pk=pack_id, status=QpagPack.Status.ISSUED)
        .exclude(files_status=Files.READY)
        .update(files_status=Files.PENDING, files_error="")
    )
    if not claimed:
        return "skipped"
    pack = QpagPack.objects.get(pk=pack_id)
    try:
        xlsx = pack_xlsx(pack)
        pdf = pack_pdf(pack)
        pack.xlsx.save(pack_filename(pack, "xlsx"), ContentFile(xlsx), save=False)
        pack.pdf.save(pack_filename(pack, "pdf"), ContentFile(pdf), save=False)
        pack.files_status = Files.READY
        pack.files_error = ""
        pack.save(update_fields=["xlsx", "pdf", "files_status", "files_error", "updated_at"])
    except Exception as exc:
        logger.exception("The files of QPAG pack %s could not be produced", pack_id)
        for field in (pack.xlsx, pack.pdf):
            if field:
                field.delete(save=False)
        QpagPack.objects.filter(pk=pack_id).update(
            files_status=Files.FAILED, files_error=f"{type(exc).__name__}: {exc}"[:2000], xlsx="", pdf=""
        )
        return "failed"
    return "ready"
