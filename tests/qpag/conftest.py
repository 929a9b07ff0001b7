"""Shared fixtures for QPAG: the auditor register and case-file audits made through the
services, so every fixture has a log and the right derived fields."""

import datetime

import pytest

from portal.roles import Role
from qpag import services
from qpag.constants import SERVICE_PRACTICE_AREAS, Grade, Service
from qpag.models import Auditor

D = datetime.date.fromisoformat
OCTOBER_1 = datetime.date(2026, 10, 1)


@pytest.fixture
def qpag_senior(make_user):
    return make_user(Role.SENIOR_MANAGER, email="senior.qpag@example.org", first_name="Sam", last_name="Senior")


@pytest.fixture
def auditors(db):
    """Two social-care teams, an Early Help team, a SEND team and ChAD, each with an auditor,
    plus two moderators."""
    rows = [
        ("Ava Auditor", Service.SOCIAL_CARE, "North locality team", True, False),
        ("Ben Auditor", Service.SOCIAL_CARE, "South locality team", True, False),
        ("Cal Auditor", Service.EARLY_HELP, "Early Help West", True, False),
        ("Dee Auditor", Service.EARLY_HELP, "Early Help East", True, False),
        ("Eve Auditor", Service.SEND, "SEND casework North", True, False),
        ("Fay Auditor", Service.SEND, "SEND casework South", True, False),
        ("Gus Auditor", Service.CHAD, "ChAD", True, False),
        ("Mo Moderator", Service.SOCIAL_CARE, "Operational managers", False, True),
        ("Nia Moderator", Service.SEND, "SEND management", False, True),
    ]
    made = {}
    for name, service, team, can_audit, can_moderate in rows:
        made[name.split()[0].lower()] = Auditor.objects.create(
            name=name, service=service, team=team, can_audit=can_audit, can_moderate=can_moderate
        )
    return made


@pytest.fixture
def make_audit(db, qa_manager, auditors):
    """make_audit(service=..., team=..., notified_on=..., grade=..., moderated_grade=..., closed=...)
    -> a case-file audit taken through the services as far as the arguments say."""
    counter = iter(range(1, 100000))

    def _make(
        *,
        service=Service.SOCIAL_CARE,
        team="South locality team",
        auditor=None,
        notified_on=OCTOBER_1,
        grade=None,
        area_grade=None,
        audited_on=None,
        moderated_grade=None,
        moderated_on=None,
        moderator=None,
        closed_on=None,
        family_feedback_sought=True,
        case_number=None,
        locality="",
        **fields,
    ):
        auditor = auditor or (auditors["ava"] if team != "North locality team" else auditors["ben"])
        audit = services.casefile_audit_create(
            user=qa_manager,
            case_number=case_number or f"MOS-{next(counter):05d}",
            service=service,
            team=team,
            auditor=auditor,
            notified_on=notified_on,
            locality=locality,
            **fields,
        )
        if grade:
            areas = SERVICE_PRACTICE_AREAS[service]
            audit = services.casefile_audit_record_grades(
                audit=audit,
                user=qa_manager,
                overall_grade=grade,
                area_grades=dict.fromkeys(areas, area_grade or grade),
                audited_on=audited_on or notified_on + datetime.timedelta(days=7),
                family_feedback_sought=family_feedback_sought,
                family_feedback="Mum said the social worker listened." if family_feedback_sought else "",
            )
        if moderated_grade:
            audit = services.casefile_audit_moderate(
                audit=audit,
                user=qa_manager,
                moderator=moderator or auditors["mo"],
                moderated_on=moderated_on or audit.audited_on + datetime.timedelta(days=3),
                overall_grade=moderated_grade,
            )
        if closed_on:
            audit = services.casefile_audit_close(audit=audit, user=qa_manager, closed_on=closed_on)
        return audit

    return _make


__all__ = ["D", "Grade", "Service"]
