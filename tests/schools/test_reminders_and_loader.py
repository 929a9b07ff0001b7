import datetime
import json

import pytest

from schools.models import AuditReturn, Questionnaire, ReminderSent
from schools.questionnaire_loader import DATA_DIR, questionnaire_load
from schools.reminders import reminder_due, reminders_send_due
from tests.schools.helpers import submitted

Status = AuditReturn.Status


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (30, None),
        (15, None),
        (14, "due-in-14-days"),
        (4, "due-in-14-days"),
        (3, "due-in-3-days"),
        (0, "due-in-3-days"),
        (-1, "overdue-week-1"),
        (-7, "overdue-week-1"),
        (-8, "overdue-week-2"),
    ],
)
def test_which_reminder_is_due(audit_return, days_left, expected):
    today = audit_return.cycle.due_on - datetime.timedelta(days=days_left)
    assert reminder_due(audit_return, today) == expected


def test_reminders_are_sent_once_and_only_to_returns_not_submitted(
    open_cycle, setting, other_setting, dsl, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    submitted(open_cycle.returns.get(setting=other_setting), outsider)
    mailoutbox.clear()
    today = open_cycle.due_on - datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due(today=today) == 1
    assert [m.to for m in mailoutbox] == [[dsl.email]]
    assert "due in 14 days" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send_due(today=today) == 0  # the second run sends nothing
    assert len(mailoutbox) == 1
    # Three days out, then weekly once overdue.
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=open_cycle.due_on - datetime.timedelta(days=3))
        reminders_send_due(today=open_cycle.due_on + datetime.timedelta(days=1))
        reminders_send_due(today=open_cycle.due_on + datetime.timedelta(days=5))
        reminders_send_due(today=open_cycle.due_on + datetime.timedelta(days=8))
    assert list(ReminderSent.objects.order_by("sent_at", "pk").values_list("reminder", flat=True)) == [
        "due-in-14-days",
        "due-in-3-days",
        "overdue-week-1",
        "overdue-week-2",
    ]
    assert mailoutbox[-1].subject.startswith("Overdue:")


def test_reminder_task_runs_the_service(open_cycle):
    from schools.tasks import send_return_reminders_task

    assert send_return_reminders_task.delay().get() == 0  # not yet within 14 days of the due date


def test_loader_creates_a_questionnaire_once(tmp_path, db):
    path = tmp_path / "q.json"
    path.write_text(
        json.dumps(
            {
                "kind": "ap_provider",
                "academic_year": "2030/31",
                "title": "AP audit 2030/31",
                "introduction": "Hello",
                "sections": [
                    {
                        "title": "Leadership",
                        "theme": "dsl-role",
                        "intro": "",
                        "questions": [
                            {
                                "code": "1.1",
                                "text": "Do you have a DSL?",
                                "answer_type": "compliance",
                                "required": True,
                                "red": "No",
                                "amber": "Partly",
                                "green": "Yes",
                                "follow_up": "What next?",
                                "setting_kinds": [],
                            },
                        ],
                    }
                ],
            }
        )
    )
    questionnaire, created = questionnaire_load(path=path)
    assert created and questionnaire.status == Questionnaire.Status.PUBLISHED
    question = questionnaire.sections.get().questions.get()
    assert (question.code, question.follow_up_prompt, question.green_descriptor) == ("1.1", "What next?", "Yes")
    assert questionnaire.sections.get().theme.slug == "dsl-role"
    again, created = questionnaire_load(path=path)
    assert not created and again.pk == questionnaire.pk
    assert Questionnaire.objects.count() == 1


def test_the_shipped_questionnaires_load(db):
    from django.core.management import call_command

    files = sorted(DATA_DIR.glob("*.json"))
    assert files, "the 175/157 and AP questionnaires ship with the code"
    call_command("load_questionnaires", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    schools = Questionnaire.objects.get(kind="schools_175_157", academic_year="2022/23")
    count = sum(s.questions.count() for s in schools.sections.all())
    assert 90 <= count <= 120
