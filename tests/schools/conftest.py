import datetime

import pytest

from portal.models import Theme
from portal.roles import Role
from schools import services as audit_services
from schools import services_plans
from schools.models import (
    Membership,
    Question,
    Questionnaire,
    QuestionnaireKind,
    Section,
    Setting,
    SettingKind,
    SettingRole,
)
from schools.models.questionnaires import AnswerType
from tests.factories import UserFactory
from tests.schools import helpers

TODAY = datetime.date(2026, 11, 26)


def build_questionnaire(
    *, kind=QuestionnaireKind.SCHOOLS_175_157, year="2022/23", sections=2, per_section=5, publish=True
) -> Questionnaire:
    """A small questionnaire with every answer type, published unless asked not to be."""
    questionnaire = Questionnaire.objects.create(
        kind=kind, academic_year=year, title=f"Safeguarding audit {year}", status=Questionnaire.Status.DRAFT
    )
    types = [AnswerType.COMPLIANCE, AnswerType.SHORT_TEXT, AnswerType.NUMBER, AnswerType.DATE, AnswerType.LONG_TEXT]
    theme = Theme.objects.first()
    for s in range(sections):
        section = Section.objects.create(
            questionnaire=questionnaire, title=f"Section {s + 1}", theme=theme, sort_order=s
        )
        for n in range(per_section):
            answer_type = types[n % len(types)]
            Question.objects.create(
                section=section,
                sort_order=n,
                code=f"{s + 1}.{n + 1}",
                text=f"Question {s + 1}.{n + 1}?",
                answer_type=answer_type,
                required=True,
                follow_up_prompt="What will you do, and by when?" if answer_type == AnswerType.COMPLIANCE else "",
                green_descriptor="All good" if answer_type == AnswerType.COMPLIANCE else "",
            )
    if publish:
        questionnaire.status = Questionnaire.Status.PUBLISHED
        questionnaire.save()
    return questionnaire


@pytest.fixture
def questionnaire(db):
    return build_questionnaire()


@pytest.fixture
def setting(db):
    return Setting.objects.create(
        name="Oakfield Primary School",
        urn="900001",
        kind=SettingKind.MAINTAINED_SCHOOL,
        phase="primary",
        headteacher_name="Helen Head",
    )


@pytest.fixture
def other_setting(db):
    return Setting.objects.create(name="Riverside Academy", urn="900002", kind=SettingKind.ACADEMY, phase="secondary")


def member(setting, role=SettingRole.DSL, user_role=Role.SCHOOL_USER, **kwargs):
    user = UserFactory(roles=[user_role], **kwargs)
    Membership.objects.create(user=user, setting=setting, role=role)
    return user


@pytest.fixture
def dsl(setting):
    return member(setting, email="dsl@oakfield.example.org", first_name="Dee", last_name="Lead")


@pytest.fixture
def deputy(setting):
    return member(
        setting, role=SettingRole.DEPUTY_DSL, email="deputy@oakfield.example.org", first_name="Dev", last_name="Uty"
    )


@pytest.fixture
def outsider(other_setting):
    return member(other_setting, email="dsl@riverside.example.org")


@pytest.fixture
def open_cycle(questionnaire, qa_manager, setting, other_setting, django_capture_on_commit_callbacks):
    from schools.services import cycle_open

    with django_capture_on_commit_callbacks(execute=True):
        return cycle_open(
            user=qa_manager,
            questionnaire=questionnaire,
            title="175/157 safeguarding audit 2022/23",
            opens_on=TODAY - datetime.timedelta(days=30),
            due_on=TODAY + datetime.timedelta(days=30),
        )


@pytest.fixture
def audit_return(open_cycle, setting, dsl):
    return open_cycle.returns.get(setting=setting)


@pytest.fixture
def reviewed_return(audit_return, dsl, adviser):
    helpers.answer_everything(
        audit_return,
        dsl,
        overrides={
            "1.1": {"compliance": "partly", "follow_up": "Train governors by March"},
            "2.1": {"compliance": "no", "follow_up": "Appoint a deputy DSL"},
        },
    )
    helpers.sign_off(audit_return, dsl)
    audit_services.audit_return_submit(audit_return=audit_return, user=dsl)
    audit_services.audit_return_start_review(audit_return=audit_return, user=adviser)
    audit_services.audit_return_send_feedback(audit_return=audit_return, user=adviser, judgement="good", summary="Good")
    return audit_return


@pytest.fixture
def plan(reviewed_return, adviser):
    return services_plans.plan_create_from_return(audit_return=reviewed_return, user=adviser)


@pytest.fixture
def agreed_plan(plan, adviser, dsl):
    services_plans.plan_share(plan=plan, user=adviser)
    services_plans.plan_agree(plan=plan, user=dsl, agreed_with="Dee Lead, DSL")
    return plan
