"""In Chromium, on the demo hub: a visitor browses by keyboard alone and searches; a school
user books a place on a session and cancels it. Axe scans the hub home, a course, the
calendar and the search results."""

import re

import pytest
from playwright.sync_api import expect

from learning_hub.models import Booking, TrainingCoursePage
from portal.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DSL = "dsl@oakfield-primary.example.org"


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text is `name`: the keyboard is the only input."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement && document.activeElement.innerText")
        if text and text.strip() == name:
            return
    raise AssertionError(f"Tabbing never reached {name!r}")


def test_a_visitor_browses_the_hub_by_keyboard_and_searches(page, site, assert_accessible):
    base = site.url
    page.goto(f"{base}/learning-hub/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning hub")
    assert_accessible(page)

    tab_to(page, "Training calendar")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training calendar")
    expect(page.locator("main")).to_contain_text("left")
    assert_accessible(page)

    page.goto(f"{base}/learning-hub/")
    page.get_by_label("Search the learning hub").focus()
    page.keyboard.type("safer recruitment")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/learning-hub/search/\?q=safer\+recruitment"))
    results = page.locator("main")
    expect(results).to_contain_text(re.compile(r"\d+ results?"))
    expect(page.get_by_role("link", name=re.compile("Safer recruitment", re.I)).first).to_be_visible()
    assert_accessible(page)

    # A typo or an empty query gives a helpful page, not an error.
    page.goto(f"{base}/learning-hub/search/?q=zzqqxx")
    expect(page.locator("main")).to_contain_text("There are no matching results")
    expect(page.locator("main")).to_contain_text("checking your spelling")
    page.goto(f"{base}/learning-hub/search/?q=")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_school_user_books_a_session_and_cancels_it(page, site, assert_accessible):
    base = site.url
    course = TrainingCoursePage.objects.live().filter(sessions__places_taken__lt=5).first()
    session = course.sessions.filter(is_cancelled=False).order_by("starts_at").last()
    sign_in(page, base, DSL, password=DEFAULT_DEMO_PASSWORD)

    page.goto(f"{base}{course.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    assert_accessible(page)
    before = Booking.objects.filter(session=session, status="booked").count()
    card = page.locator(".govuk-summary-card", has=page.locator("h3", has_text=session.starts_at.strftime("%-d %B %Y")))
    card.get_by_role("link", name=re.compile("^Book a place")).click()
    page.get_by_label("Full name of the person attending").fill("Sarah Jones")
    page.get_by_role("button", name="Book a place").click()
    expect(page.locator("main")).to_contain_text(re.compile("booked|Booked"))
    assert Booking.objects.filter(session=session, status="booked").count() == before + 1
    booking = Booking.objects.filter(session=session, status="booked").latest("created_at")

    page.goto(f"{base}/hub/bookings/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    page.locator(f'a[href="/hub/bookings/{booking.pk}/cancel/"]').click()
    page.get_by_role("button", name="Cancel the booking").click()
    expect(page.locator("main")).to_contain_text(re.compile("cancelled", re.I))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
