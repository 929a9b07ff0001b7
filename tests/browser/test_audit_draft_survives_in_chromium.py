"""Nothing typed is lost: a school user answers part of a page of the 175/157 audit and saves;
their session then expires and the server "restarts"; they sign in again and find their
answers, and a colleague at the same school sees the same draft.

Why a restart loses nothing: each wizard page is saved to the database as a draft (Answer rows,
with the section's progress), not kept in the session, the cache or the server's memory. So the
test expires and deletes every session row, clears Django's cache and throws away the browser
(a new context has no cookies); the live server's own memory holds nothing the draft needs."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from schools.models import Answer, Membership, SettingRole
from schools.selectors import sections_for_return
from tests.browser.helpers import sign_in
from tests.browser.test_audit_return_in_chromium import school_return  # noqa: F401 - the fixture
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYPED = {"short_text": "Dee Lead, DSL since 2019", "number": "14"}


@pytest.fixture
def colleague(school_return):  # noqa: F811 - the fixture imported above
    from portal.roles import Role

    deputy = UserFactory(
        roles=[Role.SCHOOL_USER], email="deputy@oakfield.example.org", first_name="Dev", last_name="Uty"
    )
    Membership.objects.create(user=deputy, setting=school_return.setting, role=SettingRole.DEPUTY_DSL)
    return deputy


def open_page(context, violations: list[str]):
    """A page in `context` that records Content-Security-Policy violations, as the autouse
    check in conftest does for the `page` fixture (these contexts are the test's own)."""
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    return page


def answered_fields(page, questions):
    """What the first page shows for each question we typed into (a number as a number: the
    page redraws 14 as "14.00")."""
    shown = {q.answer_type: page.locator(f"#id_q{q.pk}").input_value() for q in questions if q.answer_type in TYPED}
    return {kind: str(Decimal(value).normalize()) if kind == "number" else value for kind, value in shown.items()}


def test_a_half_finished_page_survives_session_expiry_and_a_restart(
    browser,
    live_server,
    school_return,  # noqa: F811 - the fixture imported above
    colleague,
):
    base = live_server.url
    section = sections_for_return(school_return)[0]
    first_page = section.pages[0]
    url = f"{base}/audits/returns/{school_return.pk}/sections/{section.pk}/pages/1/"

    # Monday: the DSL answers two questions of the first page and saves for later.
    violations: list[str] = []
    monday = browser.new_context()
    page = open_page(monday, violations)
    sign_in(page, base, "dsl@oakfield.example.org")
    page.goto(f"{base}/audits/returns/{school_return.pk}/")
    page.get_by_role("link", name="1. Section 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 1")
    for question in first_page:
        if question.answer_type in TYPED:
            page.locator(f"#id_q{question.pk}").fill(TYPED[question.answer_type])
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()
    assert page.url.rstrip("/").endswith(f"/audits/returns/{school_return.pk}")
    assert page.url.startswith(base)
    # The draft is in the database, not in the session.
    drafted = {
        a.question.answer_type: a
        for a in Answer.objects.filter(audit_return=school_return).select_related("question", "updated_by")
    }
    assert drafted["short_text"].text == TYPED["short_text"] and drafted["number"].number == int(TYPED["number"])
    assert drafted["short_text"].updated_by.email == "dsl@oakfield.example.org"

    # The session expires while they are away ...
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")  # the old cookie no longer works
    # ... and the server restarts: no sessions, an empty cache, and a browser with no cookies.
    call_command("clearsessions")
    assert not Session.objects.exists()
    cache.clear()
    monday.close()

    # Thursday, on another machine: signing in again, the draft is there.
    thursday = browser.new_context()
    page = open_page(thursday, violations)
    sign_in(page, base, "dsl@oakfield.example.org")
    page.goto(f"{base}/audits/returns/{school_return.pk}/")
    expect(page.get_by_text(f"{len(TYPED)} of {sum(len(p) for p in section.pages)} answered")).to_be_visible()
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 1")
    assert answered_fields(page, first_page) == TYPED
    thursday.close()

    # A colleague at the same school opens the same page and sees the same draft.
    colleague_context = browser.new_context()
    page = open_page(colleague_context, violations)
    sign_in(page, base, colleague.email)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 1")
    assert answered_fields(page, first_page) == TYPED
    colleague_context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
