from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """Evidence about children and settings: outside MEDIA_ROOT, with no URL. Files are
    only ever streamed by a view that checks who is asking."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
