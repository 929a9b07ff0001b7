"""The audit engine's services: every transition, allowed and refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from portal.roles import Role
from schools import services
from schools.models import Answer, AuditCycle, AuditReturn, Questionnaire, QuestionnaireKind, Setting, SettingKind
from schools.selectors import sections_for_return
from tests.schools.conftest import TODAY, build_questionnaire, member
from tests.schools.helpers import answer_everything, sign_off, submitted

Status = AuditReturn.Status


def test_opening_a_cycle_creates_a_return_per_school_and_emails_members(
    qa_manager, questionnaire, setting, other_setting, dsl, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    Setting.objects.create(name="Closed School", urn="900009", kind=SettingKind.ACADEMY, is_open=False)
    Setting.objects.create(name="Horizons AP", urn="900010", kind=SettingKind.AP_PROVIDER, on_ap_framework=True)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = services.cycle_open(
            user=qa_manager, questionnaire=questionnaire, title="Audit 2022/23", opens_on=TODAY, due_on=TODAY
        )
    assert set(cycle.returns.values_list("setting__name", flat=True)) == {setting.name, other_setting.name}
    assert all(r.status == Status.NOT_STARTED for r in cycle.returns.all())
    assert sorted(m.to[0] for m in mailoutbox) == sorted([dsl.email, outsider.email])
    assert "Audit 2022/23 is open" in mailoutbox[0].subject
    assert ModelLogEntry.objects.filter(action="schools.cycle.open").exists()


def test_ap_cycle_covers_only_ap_providers_on_the_framework(qa_manager, setting):
    Setting.objects.create(name="Horizons AP", urn="900010", kind=SettingKind.AP_PROVIDER, on_ap_framework=True)
    Setting.objects.create(name="Off-framework AP", urn="900011", kind=SettingKind.AP_PROVIDER)
    ap = build_questionnaire(kind=QuestionnaireKind.AP_PROVIDER)
    cycle = services.cycle_open(user=qa_manager, questionnaire=ap, title="AP audit", opens_on=TODAY, due_on=TODAY)
    assert list(cycle.returns.values_list("setting__name", flat=True)) == ["Horizons AP"]


@pytest.mark.parametrize("role", [Role.ADVISER, Role.SCHOOL_USER, Role.SENIOR_MANAGER])
def test_only_qa_managers_open_cycles(user_for_role, questionnaire, role):
    with pytest.raises(PermissionDenied):
        services.cycle_open(
            user=user_for_role(role), questionnaire=questionnaire, title="x", opens_on=TODAY, due_on=TODAY
        )
    assert not AuditCycle.objects.exists()


def test_cycle_refuses_a_draft_questionnaire_and_backwards_dates(qa_manager):
    draft = build_questionnaire(publish=False)
    with pytest.raises(ValidationError, match="Publish"):
        services.cycle_open(user=qa_manager, questionnaire=draft, title="x", opens_on=TODAY, due_on=TODAY)
    published = build_questionnaire(year="2023/24")
    with pytest.raises(ValidationError, match="due date"):
        services.cycle_open(
            user=qa_manager, questionnaire=published, title="x", opens_on=TODAY, due_on=TODAY - datetime.timedelta(1)
        )


def test_settings_added_later_join_an_open_cycle_once(open_cycle, qa_manager):
    late = Setting.objects.create(name="New Free School", urn="900020", kind=SettingKind.FREE_SCHOOL)
    assert len(services.cycle_add_settings(cycle=open_cycle, user=qa_manager, settings=[late])) == 1
    assert services.cycle_add_settings(cycle=open_cycle, user=qa_manager, settings=[late]) == []
    assert open_cycle.returns.filter(setting=late).count() == 1


def test_saving_answers_starts_the_return_and_records_who(audit_return, dsl):
    section = sections_for_return(audit_return)[0]
    question = section.applicable[0]
    result = services.audit_return_save_answers(
        audit_return=audit_return,
        user=dsl,
        section=section,
        answers={question.pk: {"compliance": "partly", "follow_up": "Train staff by March"}},
        seen_versions={},
    )
    assert result.saved == 1 and result.conflicts == []
    audit_return.refresh_from_db()
    assert audit_return.status == Status.IN_PROGRESS
    answer = Answer.objects.get(audit_return=audit_return, question=question)
    assert (answer.compliance, answer.follow_up, answer.version, answer.updated_by) == (
        "partly",
        "Train staff by March",
        1,
        dsl,
    )


def test_a_second_editor_with_a_stale_page_is_refused_not_overwritten(audit_return, dsl, deputy):
    section = sections_for_return(audit_return)[0]
    question = section.applicable[0]
    # Both open the page at version 0; the DSL saves first.
    services.audit_return_save_answers(
        audit_return=audit_return,
        user=dsl,
        section=section,
        answers={question.pk: {"compliance": "yes"}},
        seen_versions={question.pk: 0},
    )
    result = services.audit_return_save_answers(
        audit_return=audit_return,
        user=deputy,
        section=section,
        answers={question.pk: {"compliance": "no"}},
        seen_versions={question.pk: 0},
    )
    assert result.saved == 0
    assert [c.question for c in result.conflicts] == [question]
    assert result.conflicts[0].theirs.compliance == "yes"
    assert Answer.objects.get(question=question).compliance == "yes"
    # Having seen the DSL's version, the deputy may save deliberately.
    result = services.audit_return_save_answers(
        audit_return=audit_return,
        user=deputy,
        section=section,
        answers={question.pk: {"compliance": "no"}},
        seen_versions={question.pk: 1},
    )
    assert result.saved == 1
    assert Answer.objects.get(question=question).compliance == "no"


def test_stale_page_with_the_same_answer_is_not_a_conflict(audit_return, dsl, deputy):
    section = sections_for_return(audit_return)[0]
    question = section.applicable[0]
    for user in (dsl, deputy):
        result = services.audit_return_save_answers(
            audit_return=audit_return,
            user=user,
            section=section,
            answers={question.pk: {"compliance": "yes"}},
            seen_versions={question.pk: 0},
        )
        assert result.conflicts == []


def test_people_from_another_setting_and_staff_cannot_save(audit_return, outsider, adviser):
    section = sections_for_return(audit_return)[0]
    for user in (outsider, adviser):
        with pytest.raises(PermissionDenied):
            services.audit_return_save_answers(
                audit_return=audit_return, user=user, section=section, answers={}, seen_versions={}
            )


def test_submission_is_refused_until_every_gap_is_filled(audit_return, dsl):
    with pytest.raises(services.SubmissionIncomplete) as error:
        services.audit_return_submit(audit_return=audit_return, user=dsl)
    messages = [gap.message for gap in error.value.gaps]
    assert "1.1: answer this question" in messages
    assert any("headteacher" in m for m in messages)
    assert any("chair of governors" in m for m in messages)
    assert all(gap.url.startswith("/audits/returns/") for gap in error.value.gaps)

    answer_everything(audit_return, dsl, overrides={"1.1": {"compliance": "no", "follow_up": ""}})
    sign_off(audit_return, dsl)
    with pytest.raises(services.SubmissionIncomplete) as error:
        services.audit_return_submit(audit_return=audit_return, user=dsl)
    assert [gap.message for gap in error.value.gaps] == ["1.1: say what you will do, and by when"]
    audit_return.refresh_from_db()
    assert audit_return.status == Status.IN_PROGRESS


def test_submit_then_read_only(audit_return, dsl, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(audit_return, dsl)
    audit_return.refresh_from_db()
    assert audit_return.status == Status.SUBMITTED
    assert audit_return.submitted_by == dsl
    assert any("submitted" in m.subject for m in mailoutbox)
    assert not services.can_complete(dsl, audit_return)
    with pytest.raises(PermissionDenied):
        answer_everything(audit_return, dsl)
    with pytest.raises(PermissionDenied):
        services.audit_return_submit(audit_return=audit_return, user=dsl)


def test_review_transitions_allowed_and_refused(
    audit_return, dsl, adviser, school_user, mailoutbox, django_capture_on_commit_callbacks
):
    # Nothing to review before submission.
    with pytest.raises(services.InvalidTransition):
        services.audit_return_start_review(audit_return=audit_return, user=adviser)
    submitted(audit_return, dsl)
    with pytest.raises(PermissionDenied):
        services.audit_return_start_review(audit_return=audit_return, user=school_user)
    services.audit_return_start_review(audit_return=audit_return, user=adviser)
    assert audit_return.status == Status.IN_REVIEW and audit_return.reviewer == adviser

    with pytest.raises(ValidationError):
        services.audit_return_return_for_changes(audit_return=audit_return, user=adviser, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_return_return_for_changes(audit_return=audit_return, user=adviser, reason="Add the SCR date")
    assert audit_return.status == Status.RETURNED
    assert any("changes needed" in m.subject for m in mailoutbox)
    # The setting can edit again, and resubmit.
    assert services.can_complete(dsl, audit_return)
    answer_everything(audit_return, dsl)
    services.audit_return_submit(audit_return=audit_return, user=dsl)
    services.audit_return_start_review(audit_return=audit_return, user=adviser)

    comment = services.review_comment_add(audit_return=audit_return, user=adviser, text="Strong culture")
    assert comment.author == adviser
    with pytest.raises(ValidationError):
        services.audit_return_send_feedback(audit_return=audit_return, user=adviser, judgement="bogus", summary="x")
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_return_send_feedback(
            audit_return=audit_return, user=adviser, judgement="good", summary="Well done."
        )
    assert audit_return.status == Status.FEEDBACK_SENT
    assert any("feedback" in m.subject for m in mailoutbox)
    with pytest.raises(services.InvalidTransition):
        services.audit_return_return_for_changes(audit_return=audit_return, user=adviser, reason="late")
    with pytest.raises(PermissionDenied):
        services.audit_return_close(audit_return=audit_return, user=dsl)
    services.audit_return_close(audit_return=audit_return, user=adviser)
    assert audit_return.status == Status.CLOSED
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"schools.return.submit", "schools.return.start_review", "schools.return.send_feedback"} <= actions


def test_commissioning_officer_reviews_ap_returns_but_not_school_returns(audit_return, dsl, user_for_role):
    officer = user_for_role(Role.COMMISSIONING_OFFICER)
    submitted(audit_return, dsl)
    with pytest.raises(PermissionDenied):
        services.audit_return_start_review(audit_return=audit_return, user=officer)


def test_last_years_answers_are_carried_forward_for_unchanged_questions(qa_manager, setting, dsl, adviser):
    old_q = build_questionnaire(year="2021/22")
    old_cycle = services.cycle_open(
        user=qa_manager,
        questionnaire=old_q,
        title="2021/22",
        opens_on=TODAY - datetime.timedelta(400),
        due_on=TODAY - datetime.timedelta(300),
    )
    last_year = old_cycle.returns.get(setting=setting)
    submitted(last_year, dsl)

    new_q = build_questionnaire(year="2022/23")
    changed = new_q.sections.first().questions.get(code="1.2")
    changed.text = "A reworded question?"
    changed.save()
    new_cycle = services.cycle_open(
        user=qa_manager, questionnaire=new_q, title="2022/23", opens_on=TODAY, due_on=TODAY + datetime.timedelta(30)
    )
    this_year = new_cycle.returns.get(setting=setting)
    carried = {a.question.code: a for a in this_year.answers.select_related("question")}
    assert "1.1" in carried and carried["1.1"].carried_forward and carried["1.1"].compliance == "yes"
    assert "1.2" not in carried  # reworded: asked afresh
    # Carried-forward answers block submission until confirmed.
    gaps = [g.message for g in services.audit_return_gaps(this_year)]
    assert "1.1: confirm last year's answer or change it" in gaps


def test_section_assignment_only_to_colleagues(audit_return, dsl, deputy, outsider):
    section = sections_for_return(audit_return)[0]
    progress = services.section_assign(audit_return=audit_return, section=section, assignee=deputy, user=dsl)
    assert progress.assigned_to == deputy
    with pytest.raises(ValidationError):
        services.section_assign(audit_return=audit_return, section=section, assignee=outsider, user=dsl)


def test_trust_user_sees_the_trusts_schools(open_cycle, setting, other_setting):
    from schools.models import TrustMembership
    from schools.selectors import returns_visible_to, settings_visible_to

    other_setting.trust_name = "Coastal Learning Trust"
    other_setting.save()
    trust_lead = member(setting, email="ceo@trust.example.org")
    TrustMembership.objects.create(user=trust_lead, trust_name="Coastal Learning Trust")
    assert set(settings_visible_to(trust_lead)) == {setting, other_setting}
    assert returns_visible_to(trust_lead).count() == 2


def test_school_users_see_only_their_returns_and_ap_users_only_ap(open_cycle, setting, dsl, outsider, qa_manager):
    from schools.selectors import returns_visible_to

    assert list(returns_visible_to(dsl).values_list("setting", flat=True)) == [setting.pk]
    ap_setting = Setting.objects.create(
        name="Horizons AP", urn="900010", kind=SettingKind.AP_PROVIDER, on_ap_framework=True
    )
    ap_user = member(ap_setting, user_role=Role.AP_PROVIDER_USER, email="ap@example.org")
    ap_q = build_questionnaire(kind=QuestionnaireKind.AP_PROVIDER)
    services.cycle_open(user=qa_manager, questionnaire=ap_q, title="AP", opens_on=TODAY, due_on=TODAY)
    assert list(returns_visible_to(ap_user).values_list("setting", flat=True)) == [ap_setting.pk]
    assert not returns_visible_to(dsl).filter(setting=ap_setting).exists()
    assert returns_visible_to(qa_manager).count() == 3


def test_questionnaire_models_reject_unknown_setting_kinds(questionnaire):
    question = questionnaire.sections.first().questions.first()
    question.setting_kinds = ["spaceport"]
    with pytest.raises(ValidationError):
        question.clean()
    assert Questionnaire.objects.filter(status="published").count() == 1
