"""In Chromium: the adviser builds a plan from feedback and shares it, the school agrees it
and completes an action with evidence, and the adviser verifies it. Axe scans the plan
and action pages."""

import datetime

import pytest
from playwright.sync_api import expect

from portal.roles import Role
from schools import services
from schools.models import ActionPlan, AuditReturn, Membership, Setting, SettingKind, SettingRole
from tests.browser.helpers import sign_in
from tests.factories import UserFactory
from tests.schools.conftest import build_questionnaire
from tests.schools.helpers import answer_everything, sign_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def reviewed(migrated_reference_data, live_server):
    qa = UserFactory(roles=[Role.QA_MANAGER], email="qa@example.org")
    adviser = UserFactory(roles=[Role.ADVISER], email="adviser@example.org", first_name="Ada", last_name="Adviser")
    dsl = UserFactory(roles=[Role.SCHOOL_USER], email="dsl@oakfield.example.org", first_name="Dee", last_name="Lead")
    setting = Setting.objects.create(name="Oakfield Primary School", urn="900001", kind=SettingKind.MAINTAINED_SCHOOL)
    Membership.objects.create(user=dsl, setting=setting, role=SettingRole.DSL)
    today = datetime.date.today()
    cycle = services.cycle_open(
        user=qa,
        questionnaire=build_questionnaire(),
        title="175/157 audit 2022/23",
        opens_on=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=30),
    )
    audit_return = cycle.returns.get(setting=setting)
    answer_everything(audit_return, dsl, overrides={"1.1": {"compliance": "partly", "follow_up": "Train governors"}})
    sign_off(audit_return, dsl)
    services.audit_return_submit(audit_return=audit_return, user=dsl)
    services.audit_return_start_review(audit_return=audit_return, user=adviser)
    services.audit_return_send_feedback(audit_return=audit_return, user=adviser, judgement="good", summary="Good.")
    return audit_return


def test_plan_from_feedback_to_verified_completion(page, live_server, reviewed, assert_accessible, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    base = live_server.url
    sign_in(page, base, "adviser@example.org")
    page.goto(f"{base}/audits/returns/{reviewed.pk}/review/")
    page.get_by_role("button", name="Create an action plan from this feedback").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action plan from")
    expect(page.get_by_role("link", name="1.1 Train governors")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Share with the setting for agreement").click()
    expect(page.get_by_text("Plan shared with the setting")).to_be_visible()
    plan_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "dsl@oakfield.example.org")
    page.goto(plan_url)
    page.get_by_label("Your name and role").fill("Dee Lead, designated safeguarding lead")
    page.get_by_role("button", name="Agree the plan").click()
    expect(page.get_by_text("Plan agreed")).to_be_visible()
    page.get_by_role("link", name="1.1 Train governors").click()
    assert_accessible(page)
    page.get_by_label("What have you done?").fill("All governors completed training on 1 March.")
    evidence = tmp_path / "register.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    page.get_by_label("This action is now complete").check()
    page.get_by_role("button", name="Save progress").click()
    expect(page.get_by_text("Progress saved")).to_be_visible()
    expect(page.get_by_role("link", name="register.pdf")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "adviser@example.org")
    page.goto(plan_url)
    page.get_by_role("link", name="1.1 Train governors").click()
    page.get_by_role("button", name="Verify this action").click()
    expect(page.get_by_text("Action verified")).to_be_visible()
    plan = ActionPlan.objects.get()
    reviewed.refresh_from_db()
    assert plan.status == ActionPlan.Status.COMPLETE
    assert reviewed.status == AuditReturn.Status.CLOSED
