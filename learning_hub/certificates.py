"""Certificates of attendance: a tagged PDF (PDF/UA-1) made by WeasyPrint from an HTML
template, available once the booking's evaluation is in."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from .models import Booking


def certificate_html(booking: Booking) -> str:
    session = booking.session
    return render_to_string(
        "learning_hub/certificate.html",
        {
            "booking": booking,
            "session": session,
            "course": session.course,
            "evaluated_on": timezone.localdate(booking.evaluation.created_at),
        },
    )


def certificate_pdf(booking: Booking) -> bytes:
    # Imported here: WeasyPrint is slow to load and only this download needs it.
    import weasyprint

    html = certificate_html(booking)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def certificate_filename(booking: Booking) -> str:
    session = booking.session
    name = slugify(f"{session.course.title} {booking.attendee_name}")[:80] or "training"
    return f"certificate-{name}-{timezone.localtime(session.starts_at):%Y-%m-%d}.pdf"
