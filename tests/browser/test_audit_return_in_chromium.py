"""A school user completes a whole return in Chromium, signing out midway and resuming,
submits it, and the adviser finds it in the queue. Axe scans the task list, a question
page and the check-answers page."""

import datetime

import pytest
from playwright.sync_api import expect

from portal.models import User
from schools import services
from schools.models import Membership, Setting, SettingKind, SettingRole
from schools.selectors import sections_for_return
from tests.browser.helpers import sign_in, sign_out
from tests.schools.conftest import build_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS = {"short_text": "Dee Lead", "long_text": "Pupils shape our policy.", "number": "12", "date": "1/9/2022"}


@pytest.fixture
def school_return(migrated_reference_data, live_server):
    from portal.roles import Role
    from tests.factories import UserFactory

    qa = UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org")
    UserFactory(roles=[Role.ADVISER], email="adviser@example.org", first_name="Ada", last_name="Adviser")
    dsl = UserFactory(roles=[Role.SCHOOL_USER], email="dsl@oakfield.example.org", first_name="Dee", last_name="Lead")
    setting = Setting.objects.create(name="Oakfield Primary School", urn="900001", kind=SettingKind.MAINTAINED_SCHOOL)
    Membership.objects.create(user=dsl, setting=setting, role=SettingRole.DSL)
    questionnaire = build_questionnaire(sections=2, per_section=5)
    today = datetime.date.today()
    cycle = services.cycle_open(
        user=qa,
        questionnaire=questionnaire,
        title="175/157 audit 2022/23",
        opens_on=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=30),
    )
    return cycle.returns.get(setting=setting)


def fill_page(page, questions):
    for question in questions:
        if question.answer_type == "compliance":
            page.locator(f"#id_q{question.pk}_0").check()  # "Yes"
        else:
            page.locator(f"#id_q{question.pk}").fill(ANSWERS[question.answer_type])


def test_complete_submit_and_review_a_return(page, live_server, school_return, assert_accessible):
    base = live_server.url
    sections = sections_for_return(school_return)
    sign_in(page, base, "dsl@oakfield.example.org")
    page.goto(f"{base}/audits/returns/{school_return.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("175/157 audit 2022/23")
    assert_accessible(page)

    # First page of section 1, then stop for the day.
    page.get_by_role("link", name="1. Section 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 1")
    assert_accessible(page)
    fill_page(page, sections[0].pages[0])
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_text("Your answers have been saved")).to_be_visible()
    sign_out(page)

    # Another day: sign in again and carry on where we left off.
    sign_in(page, base, "dsl@oakfield.example.org")
    page.goto(f"{base}/audits/returns/{school_return.pk}/")
    expect(page.get_by_text("4 of 5 answered")).to_be_visible()
    page.get_by_role("link", name="1. Section 1").click()
    expect(page.get_by_text("page 2 of 2")).to_be_visible()  # resumes at the first unanswered page
    for number, section in enumerate(sections):
        if number:
            page.goto(f"{base}/audits/returns/{school_return.pk}/sections/{section.pk}/")
        for index, questions in enumerate(section.pages):
            if number == 0 and index == 0:
                continue
            fill_page(page, questions)
            page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
        if number == 0:
            assert_accessible(page)
        page.get_by_role("button", name="Mark this section as completed").click()

    page.get_by_role("link", name="Headteacher and chair of governors' sign-off").click()
    page.get_by_label("Headteacher's full name").fill("Helen Head")
    page.get_by_label("Date the headteacher confirmed the return").fill("20/11/2025")
    page.get_by_label("Chair of governors' full name").fill("Gary Governor")
    page.get_by_label("Date the chair of governors confirmed the return").fill("21/11/2025")
    page.get_by_role("button", name="Save sign-off").click()
    page.get_by_role("button", name="Check and submit").click()
    page.get_by_role("button", name="Submit the audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit submitted")
    sign_out(page)

    sign_in(page, base, "adviser@example.org")
    page.goto(f"{base}/audits/review/")
    expect(page.get_by_role("link", name="Oakfield Primary School")).to_be_visible()
    assert User.objects.filter(email="adviser@example.org").exists()
