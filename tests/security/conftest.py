"""Shared data for the hostile-input, upload and import tests in tests/security.

The world is the portal's own demo data (``manage.py seed_demo``: every app fills it through
its services), built once per test module inside a transaction that is rolled back at the
end, plus the people it lacks: a second setting's DSL, a trust user and a pending invitation.
Each test still runs in its own savepoint (pytest-django's ``db``), so nothing leaks."""

import io
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction

from portal.roles import Role

# The demo's people (portal/management/commands/seed_demo.py).
DEMO_EMAILS = {
    Role.QA_MANAGER: "qa.manager@council.example.org",
    Role.ADVISER: "adviser@council.example.org",
    Role.COMMISSIONING_OFFICER: "commissioning@council.example.org",
    Role.SENIOR_MANAGER: "senior.manager@council.example.org",
    Role.EDITOR: "editor@council.example.org",
    Role.SCHOOL_USER: "dsl@oakfield-primary.example.org",
    Role.AP_PROVIDER_USER: "manager@horizons-ap.example.org",
}
ANONYMOUS = "anonymous"
SCHOOL_B = "school_user_b"  # a DSL at a second setting, with a return in progress
TRUST = "trust_user"

# Every upload count is counted here, and reported at the end of the run.
POSTS_TRIED = {"hostile": 0}


@dataclass
class World:
    emails: dict = field(default_factory=dict)
    invitation_token: str = ""
    report_pk: int = 0
    submission_pk: int = 0
    submission_owner: object = None
    open_casefile_action: tuple = ()
    triple_lock_audit_pk: int = 0

    def user(self, who):
        from portal.models import User

        return User.objects.get(email=self.emails[who])


@pytest.fixture(scope="module")
def security_world(django_db_setup, django_db_blocker):
    from portal import services as portal_services
    from portal.models import User
    from schools.models import AuditReturn, Membership, Setting, SettingKind, SettingRole, TrustMembership
    from tests.factories import UserFactory

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
        world = World(emails=dict(DEMO_EMAILS))
        # A second setting's DSL: the one whose return is in progress (demo data).
        in_progress = AuditReturn.objects.filter(status="in_progress").order_by("pk").first()
        member = Membership.objects.filter(setting=in_progress.setting).order_by("pk").first()
        if member is None:
            user_b = UserFactory(roles=[Role.SCHOOL_USER], email="dsl.b@security.example.org")
            Membership.objects.create(user=user_b, setting=in_progress.setting, role=SettingRole.DSL)
            world.emails[SCHOOL_B] = user_b.email
        else:
            world.emails[SCHOOL_B] = member.user.email
        trust_name = in_progress.setting.trust_name or "Security Test Trust"
        trust_user = UserFactory(roles=[Role.SCHOOL_USER], email="trust@security.example.org")
        TrustMembership.objects.create(user=trust_user, trust_name=trust_name)
        world.emails[TRUST] = trust_user.email
        # A setting that is in no cycle yet, so "add settings to a cycle" has one to offer.
        Setting.objects.create(name="Security Test Academy", urn="999901", kind=SettingKind.ACADEMY, phase="primary")
        qa = User.objects.get(email=DEMO_EMAILS[Role.QA_MANAGER])
        _invitation, world.invitation_token = portal_services.invitation_create(
            inviter=qa, email="invited@security.example.org", first_name="Ivy", last_name="Invited", role=Role.ADVISER
        )
        from django.utils import timezone

        from complaints.quarters import quarter_containing
        from complaints.reports import quarterly_report_request
        from learning_hub.models import GoodPracticePage
        from qpag.models import CaseFileAuditAction, TripleLockReview

        report = quarterly_report_request(user=qa, quarter=quarter_containing(timezone.localdate()))
        # A failed snapshot offers "try again", a form of its own (the task never runs in here).
        type(report).objects.filter(pk=report.pk).update(status="failed", error="Made to fail by the test world.")
        world.report_pk = report.pk
        submission = GoodPracticePage.objects.filter(submitted_by__isnull=False).order_by("pk").first()
        world.submission_pk, world.submission_owner = submission.pk, submission.submitted_by
        action = CaseFileAuditAction.objects.filter(status="open").order_by("pk").first()
        world.open_casefile_action = (action.audit_id, action.pk)
        world.triple_lock_audit_pk = TripleLockReview.objects.filter(status="open").order_by("pk").first().audit_id
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(security_world, db):
    return security_world


def pytest_terminal_summary(terminalreporter):
    if POSTS_TRIED["hostile"]:
        terminalreporter.write_line(f"hostile posts tried: {POSTS_TRIED['hostile']}")
