"""seed_scale (qpag/scale.py): the tiny profile's counts, the same data from the same seed, and the refusals.
Timing is bench/'s business, not these tests'."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from complaints.models import Complaint
from learning_hub.models import TrainingSession
from portal.models import User
from portal.roles import Role
from qpag import scale
from qpag.models import CaseFileAudit, PracticeAreaGrade
from schools.models import Action, ActionPlan, Answer, AuditCycle, AuditReturn, EvidenceFile, Membership, Setting

TODAY = datetime.date(2026, 11, 20)
TINY = scale.PROFILES["tiny"]


def _fingerprint() -> dict:
    """The seeded data by natural keys (primary keys differ between runs)."""
    return {
        "settings": list(Setting.objects.order_by("urn").values_list("urn", "name", "kind", "locality")),
        "users": list(User.objects.order_by("email").values_list("email", "first_name", "groups__name")),
        "memberships": list(Membership.objects.order_by("user__email").values_list("user__email", "setting__urn")),
        "returns": list(
            AuditReturn.objects.order_by("cycle__opens_on", "setting__urn").values_list(
                "cycle__opens_on", "setting__urn", "status", "overall_judgement"
            )
        ),
        "answers": list(
            Answer.objects.order_by("audit_return__cycle__opens_on", "audit_return__setting__urn", "question__pk")
            .values_list("audit_return__setting__urn", "question__code", "compliance", "text", "number")
            .iterator()
        ),
        "plans": list(ActionPlan.objects.order_by("title").values_list("title", "setting__urn", "status")),
        "actions": list(Action.objects.order_by("description").values_list("description", "status", "due_on")),
        "complaints": list(
            Complaint.objects.order_by("reference").values_list("reference", "setting__urn", "status", "outcome")
        ),
        "case_files": list(CaseFileAudit.objects.order_by("case_number").values_list("case_number", "final_grade")),
        "sessions": list(TrainingSession.objects.order_by("course__slug", "starts_at").values_list("places_taken")),
    }


def _seeded(seed: int) -> dict:
    """Seed the tiny profile inside a savepoint, read it back, and roll it away."""
    with transaction.atomic():
        scale.seed(TINY, seed=seed, today=TODAY, report=lambda line: None)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


@pytest.mark.django_db
def test_the_tiny_profile_seeds_every_app_with_the_counts_it_names():
    timings = scale.seed(TINY, seed=1, today=TODAY, report=lambda line: None)

    assert Setting.objects.count() == TINY.settings
    assert User.objects.count() == TINY.users
    staff = sum(n for _, n in scale.STAFF)
    assert Membership.objects.count() == TINY.users - staff  # every school or AP user belongs to a setting
    assert User.objects.filter(email=scale.staff_email(Role.ADVISER), groups__name=Role.ADVISER.label).exists()
    assert AuditCycle.objects.count() == TINY.cycles
    assert AuditCycle.objects.filter(status=AuditCycle.Status.OPEN).count() == 1
    schools = Setting.objects.exclude(kind="ap_provider").count()
    assert AuditReturn.objects.count() == TINY.cycles * schools
    assert Answer.objects.exists()
    assert EvidenceFile.objects.filter(file=scale.EVIDENCE_NAME).count() == EvidenceFile.objects.count() > 0
    assert ActionPlan.objects.count() == TINY.plans
    assert Action.objects.count() == TINY.actions
    assert Complaint.objects.count() == TINY.complaints
    assert CaseFileAudit.objects.count() == TINY.case_file_audits
    assert PracticeAreaGrade.objects.exists()
    assert TrainingSession.objects.count() == TINY.hub_sessions
    assert [name for name, _seconds, _what in timings][-1] == "total"


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_different_data():
    first = _seeded(1)
    assert Setting.objects.count() == 0  # rolled back
    again = _seeded(1)
    other = _seeded(2)

    assert first == again
    assert first["answers"] != other["answers"]
    assert first["settings"] == other["settings"]  # the register is fixed; only the drawn values change


@pytest.mark.django_db
def test_seed_scale_refuses_a_database_that_already_has_settings():
    Setting.objects.create(name="A real school", urn="100001", kind="academy")

    with pytest.raises(CommandError, match="already holds 1 settings"):
        call_command("seed_scale", "--profile", "tiny")
    assert Setting.objects.count() == 1


@pytest.mark.django_db
def test_force_seeds_alongside_existing_settings_but_never_twice():
    Setting.objects.create(name="A demo school", urn="100001", kind="academy")

    call_command("seed_scale", "--profile", "tiny", "--force", stdout=io.StringIO())
    assert Setting.objects.count() == TINY.settings + 1

    with pytest.raises(CommandError, match="already been seeded"):
        call_command("seed_scale", "--profile", "tiny", "--force")


@pytest.mark.django_db
def test_the_national_profile_needs_postgresql():
    message = scale.refusal(scale.PROFILES["national"])
    if connection.vendor == "postgresql":
        assert message is None
    else:
        assert "needs PostgreSQL" in message


@pytest.mark.django_db
def test_database_check_writes_nothing():
    call_command("seed_scale", "--profile", "tiny", "--database-check", stdout=io.StringIO())
    assert Setting.objects.count() == 0
