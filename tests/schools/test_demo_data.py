import pytest
from django.core.management import call_command

from schools.models import ActionPlan, AuditCycle, AuditReturn, Membership, Setting

pytestmark = pytest.mark.django_db


def test_seed_demo_holds_an_open_cycle_with_returns_in_every_state_and_runs_twice():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    cycle = AuditCycle.objects.get(title="175/157 safeguarding audit 2022/23")
    assert cycle.status == AuditCycle.Status.OPEN
    states = set(cycle.returns.values_list("status", flat=True))
    assert states == set(AuditReturn.Status.values)
    oakfield = cycle.returns.get(setting__name="Oakfield Primary School")
    assert oakfield.status == AuditReturn.Status.NOT_STARTED  # left for the demo DSL to complete
    assert Membership.objects.filter(user__email="dsl@oakfield-primary.example.org", setting=oakfield.setting).exists()
    before = (Setting.objects.count(), AuditReturn.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert (Setting.objects.count(), AuditReturn.objects.count(), Membership.objects.count()) == before
    assert AuditCycle.objects.count() == 2  # the 175/157 and the AP cycle
    assert set(ActionPlan.objects.values_list("source", flat=True)) == set(ActionPlan.Source.values)
    assert set(ActionPlan.objects.values_list("status", flat=True)) == set(ActionPlan.Status.values)
    assert ActionPlan.objects.filter(status="draft", shared_at__isnull=False).exists()  # waiting for agreement
    from schools.models import PracticeReview, SupportOffer, Visit
    from schools.selectors_casework import repeat_issue_settings

    assert SupportOffer.objects.count() == 2  # requires improvement and "not met"; none for "good"
    assert Visit.objects.count() == 2 and PracticeReview.objects.count() == 1
    assert [issue.setting.urn for issue in repeat_issue_settings()] == ["900124"]
