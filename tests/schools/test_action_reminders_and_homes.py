"""Action reminders and the adviser digest (sent once), and the plan panels on each home."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schools import services_plans as plans
from schools.models import ActionReminderSent, AdviserDigestSent
from schools.reminders import action_reminders_send_due, adviser_digest_send

TODAY = timezone.localdate()


def test_action_reminders_go_once_to_the_setting_and_the_lead(
    agreed_plan,
    dsl,
    adviser,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    action = agreed_plan.actions.order_by("due_on").first()
    with django_capture_on_commit_callbacks(execute=True):
        assert action_reminders_send_due(today=action.due_on - datetime.timedelta(days=20)) == 0
        sent = action_reminders_send_due(today=action.due_on - datetime.timedelta(days=14))
    assert sent >= 1
    recipients = {m.to[0] for m in mailoutbox}
    assert {dsl.email, adviser.email} <= recipients
    count = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert action_reminders_send_due(today=action.due_on - datetime.timedelta(days=14)) == 0
    assert len(mailoutbox) == count
    with django_capture_on_commit_callbacks(execute=True):
        action_reminders_send_due(today=action.due_on - datetime.timedelta(days=2))
        action_reminders_send_due(today=action.due_on + datetime.timedelta(days=1))
        action_reminders_send_due(today=action.due_on + datetime.timedelta(days=9))
    reminders = set(ActionReminderSent.objects.filter(action=action).values_list("reminder", flat=True))
    assert reminders == {"due-in-14-days", "due-in-3-days", "overdue-week-1", "overdue-week-2"}


def test_finished_actions_get_no_reminders(agreed_plan, dsl, adviser):
    for action in agreed_plan.actions.all():
        plans.action_cancel(action=action, user=adviser, reason="No longer needed")
    assert action_reminders_send_due(today=TODAY + datetime.timedelta(days=400)) == 0


def test_adviser_digest_once_a_week(adviser, mailoutbox, django_capture_on_commit_callbacks):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    with django_capture_on_commit_callbacks(execute=True):
        assert adviser_digest_send(today=monday) == 1
        assert adviser_digest_send(today=monday + datetime.timedelta(days=3)) == 0
        assert adviser_digest_send(today=monday + datetime.timedelta(days=7)) == 1
    assert AdviserDigestSent.objects.filter(adviser=adviser).count() == 2
    assert "what needs you this week" in mailoutbox[0].body


def test_homes_show_plans(client, agreed_plan, dsl, adviser, qa_manager):
    client.force_login(dsl)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Your action plans" in html and agreed_plan.title in html
    assert "Visits from your adviser" in html
    client.force_login(adviser)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "waiting to be verified" in html
    assert "Support, visits and allegations" in html
    assert "Your settings" in html and agreed_plan.setting.name in html
    client.force_login(qa_manager)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Plans by source and status" in html and "Practice areas with most open actions" in html


@pytest.mark.parametrize("extra_plans", [0, 6])
def test_adviser_home_queries_do_not_grow_with_plans(
    client,
    adviser,
    agreed_plan,
    extra_plans,
    django_assert_max_num_queries,
):
    for n in range(extra_plans):
        extra = plans.plan_create(user=adviser, setting=agreed_plan.setting, source="other", title=f"Plan {n}")
        for m in range(4):
            plans.action_save(plan=extra, user=adviser, description=f"Do {m}", due_on=TODAY + datetime.timedelta(m))
    client.force_login(adviser)
    client.get(reverse("portal:dashboard"))
    with django_assert_max_num_queries(22):
        client.get(reverse("portal:dashboard"))


@pytest.mark.parametrize("extra", [0, 10])
def test_plan_list_queries_do_not_grow(client, qa_manager, adviser, setting, extra, django_assert_max_num_queries):
    for n in range(extra):
        plans.plan_create(user=adviser, setting=setting, source="other", title=f"Plan {n}")
    client.force_login(qa_manager)
    client.get(reverse("schools:plan_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("schools:plan_list"))
