"""Shared fixtures for the complaints tracker: settings, the people who use it, and
complaints logged through the service (so every fixture has a timeline and clocks)."""

import datetime

import pytest

from complaints import services
from complaints.models import ReceivedVia, Severity, Source
from portal.models import Theme
from portal.roles import Role
from schools.models import Membership, Setting, SettingKind, SettingRole
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 26)  # a Thursday
D = datetime.date.fromisoformat


@pytest.fixture
def setting(db):
    return Setting.objects.create(
        name="Oakfield Primary School", urn="910001", kind=SettingKind.MAINTAINED_SCHOOL, phase="primary"
    )


@pytest.fixture
def other_setting(db):
    return Setting.objects.create(name="Riverside Academy", urn="910002", kind=SettingKind.ACADEMY, phase="secondary")


@pytest.fixture
def senior_manager(make_user):
    return make_user(Role.SENIOR_MANAGER, email="senior@example.org", first_name="Sam", last_name="Senior")


@pytest.fixture
def second_adviser(make_user):
    return make_user(Role.ADVISER, email="adviser2@example.org", first_name="Bea", last_name="Second")


@pytest.fixture
def setting_member(setting):
    """A DSL at the setting the complaint is about: must never see it."""
    user = UserFactory(roles=[Role.SCHOOL_USER], email="dsl@oakfield.example.org")
    Membership.objects.create(user=user, setting=setting, role=SettingRole.DSL)
    return user


@pytest.fixture
def make_complaint(db, adviser):
    """make_complaint(setting, received_on=..., **fields) -> a complaint logged by the adviser."""

    def _make(setting, *, user=None, themes=None, today=TODAY, **fields):
        values = {
            "received_on": TODAY - datetime.timedelta(days=1),
            "source": Source.PARENT,
            "received_via": ReceivedVia.EMAIL,
            "complainant_name": "Pat Parent",
            "complainant_contact": "pat.parent@example.net",
            "summary": "A parent says a safeguarding concern about their child was not passed to the DSL.",
            "severity": Severity.MEDIUM,
            "assigned_adviser": adviser,
        }
        values.update(fields)
        if themes is None:
            themes = list(Theme.objects.filter(slug="dsl-role"))
        return services.complaint_log(user=user or adviser, setting=setting, themes=themes, today=today, **values)

    return _make


@pytest.fixture
def complaint(make_complaint, setting):
    return make_complaint(setting)
