"""A small portal with something on every key page, built through the services and the
other apps' test builders, that can be grown (`world.grow(n)`) to check that a page's
query count does not grow with the data."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import ReceivedVia, Severity, Source
from portal.models import Theme
from portal.roles import Role
from qpag.dates import previous_month
from qpag.services_packs import pack_draft
from schools import services as audit_services
from schools.models import Membership, Setting, SettingKind, SettingRole
from tests.factories import UserFactory
from tests.learning_hub.conftest import hub  # noqa: F401 (a fixture)
from tests.learning_hub.test_query_counts import _add_items
from tests.qpag.conftest import auditors, make_audit  # noqa: F401 (fixtures)
from tests.qpag.test_dashboard_views import build_data
from tests.schools import helpers
from tests.schools.conftest import build_questionnaire

TODAY = timezone.localdate()


def _setting(name: str, urn: str) -> Setting:
    return Setting.objects.create(
        name=name, urn=urn, kind=SettingKind.MAINTAINED_SCHOOL, phase="primary", headteacher_name="Helen Head"
    )


def _dsl(setting: Setting, email: str):
    user = UserFactory(roles=[Role.SCHOOL_USER], email=email)
    Membership.objects.create(user=user, setting=setting, role=SettingRole.DSL)
    return user


@pytest.fixture
def world(hub, make_audit, qa_manager, adviser, django_capture_on_commit_callbacks):  # noqa: F811
    """Small: the hub fixture plus one of each item; an open cycle with a return in progress
    (the school user's) and a submitted one (for the adviser); one of everything `grow` adds."""
    _add_items(hub, 0, 1)
    hub.home.featured = [("page", hub.course), ("page", hub.public_resource), ("page", hub.example), ("page", hub.post)]
    hub.home.save_revision().publish()

    mine, theirs = _setting("Oakfield Primary School", "930001"), _setting("Riverside Primary", "930002")
    dsl, their_dsl = _dsl(mine, "dsl@oakfield.example.org"), _dsl(theirs, "dsl@riverside.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        cycle = audit_services.cycle_open(
            user=qa_manager,
            questionnaire=build_questionnaire(year="2030/31"),
            title="Performance cycle",
            opens_on=TODAY - datetime.timedelta(days=30),
            due_on=TODAY + datetime.timedelta(days=30),
            settings=[mine, theirs],
        )
    audit_return = cycle.returns.get(setting=mine)
    submitted = helpers.submitted(cycle.returns.get(setting=theirs), their_dsl)
    themes = list(Theme.objects.all()[:3])
    state = {"hub": 1, "offset": 0, "urn": 0}

    def complaint(setting, n: int):
        return complaint_services.complaint_log(
            user=adviser,
            setting=setting,
            themes=themes[: 1 + n % 3],
            today=TODAY,
            received_on=TODAY - datetime.timedelta(days=1 + n % 40),
            source=Source.PARENT,
            received_via=ReceivedVia.EMAIL,
            complainant_name="Pat Parent",
            complainant_contact="pat.parent@example.net",
            summary="A parent says a concern was not passed to the DSL.",
            severity=Severity.MEDIUM,
            assigned_adviser=adviser,
        )

    first_complaint = complaint(mine, 0)

    def grow(size: int) -> None:
        """`size` more of everything: settings with returns in three cycles, plans, actions,
        case-file audits with actions, returns in the open cycle (half submitted), complaints,
        and `size` more hub items of each type with sessions."""
        state["offset"] += 1
        before = set(Setting.objects.values_list("pk", flat=True))
        build_data(make_audit=make_audit, qa_manager=qa_manager, adviser=adviser, size=size, offset=state["offset"])
        new = list(Setting.objects.exclude(pk__in=before))
        returns = audit_services.cycle_add_settings(cycle=cycle, user=qa_manager, settings=new)
        for n, (setting, new_return) in enumerate(zip(new, returns, strict=True)):
            complaint(setting, n)
            complaint(setting, n + 1)
            if n % 2 == 0:
                state["urn"] += 1
                helpers.submitted(new_return, _dsl(setting, f"dsl{state['urn']}@perf.example.org"))
        _add_items(hub, state["hub"], size)
        state["hub"] += size

    return SimpleNamespace(
        hub=hub,
        cycle=cycle,
        audit_return=audit_return,
        submitted=submitted,
        dsl=dsl,
        complaint=first_complaint,
        pack=pack_draft(month=previous_month(TODAY), user=qa_manager, today=TODAY),
        grow=grow,
    )
