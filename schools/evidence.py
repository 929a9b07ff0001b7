"""Evidence uploads: checked by content, not only by name, and kept in private storage."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

MAX_BYTES = 20 * 1024 * 1024
# Office and OpenDocument files are zip archives. One that would expand to more than this, or
# to more than MAX_ZIP_RATIO times its own size, is refused: a "zip bomb" would exhaust the
# memory or disk of whoever opens it (a reviewer's PC, a virus scanner).
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
ZIP_FAMILIES = frozenset({"docx", "xlsx", "pptx", "odf"})

# extension -> (content type, family detected from the bytes)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
    "ppt": ("application/vnd.ms-powerpoint", "ole"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
    "txt": ("text/plain", "text"),
    "csv": ("text/csv", "text"),
}
ALLOWED_DESCRIPTION = "PDF, Word, Excel, PowerPoint, OpenDocument, an image (PNG, JPEG, GIF) or plain text"


def _detect(head: bytes, uploaded) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        try:
            uploaded.seek(0)
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").decode() if "mimetype" in names else ""
        except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            return "odf"
        return None
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return "text"
    return None


def _check_archive(uploaded) -> None:
    """Refuse an archive whose entries expand beyond the limits (sizes as its directory declares them)."""
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError("The selected file is damaged. Check the file and try again") from error
    finally:
        uploaded.seek(0)
    expanded = sum(entry.file_size for entry in entries)
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or expanded > MAX_UNZIPPED_BYTES
        or expanded > MAX_ZIP_RATIO * max(uploaded.size, 1)
    ):
        raise ValidationError(
            "The selected file expands to far more than its size when opened, so it cannot be accepted. "
            "Save it again from Word, Excel or PowerPoint and try again"
        )


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int


def evidence_check(uploaded) -> CheckedUpload:
    """Refuse anything too big, empty, or whose bytes do not match an allowed type and its name."""
    name = (uploaded.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "evidence"
    if uploaded.size == 0:
        raise ValidationError("The selected file is empty")
    if uploaded.size > MAX_BYTES:
        raise ValidationError("The selected file must be smaller than 20 MB")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(f"The selected file must be {ALLOWED_DESCRIPTION}")
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    content_type, family = ALLOWED[extension]
    if _detect(head, uploaded) != family:
        raise ValidationError(f"The selected file is not a real {extension.upper()} file. Check the file and try again")
    if family in ZIP_FAMILIES:
        _check_archive(uploaded)
    return CheckedUpload(name=name, content_type=content_type, size=uploaded.size)


def evidence_scanner() -> Callable | None:
    """The one place a virus scanner plugs in: settings.EVIDENCE_SCANNER names a callable
    taking the uploaded file and returning "clean" or "infected". None: not scanned."""
    path = getattr(settings, "EVIDENCE_SCANNER", None)
    return import_string(path) if path else None
