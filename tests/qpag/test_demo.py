"""The QPAG demo holds a year of case-file audits in every state, with triple-lock reviews, a
recorded draw and a draft pack for last month with narrative; the dashboard tells the planned
story; loading it twice adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from qpag.constants import PACK_SECTIONS, Grade, PracticeArea, Service
from qpag.dates import add_months, month_start
from qpag.models import CaseFileAudit, CaseFileAuditAction, QpagPack, SampleDraw, TripleLockReview
from qpag.services import grade_differences
from qpag.status_rules import Status as TrendStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")
    return timezone.localdate()


def test_the_demo_holds_a_year_of_audits_and_loading_it_twice_adds_nothing(demo):
    counts = (CaseFileAudit.objects.count(), TripleLockReview.objects.count(), CaseFileAuditAction.objects.count())
    call_command("seed_demo")
    assert (
        CaseFileAudit.objects.count(),
        TripleLockReview.objects.count(),
        CaseFileAuditAction.objects.count(),
    ) == counts
    assert QpagPack.objects.count() == 1

    today = demo
    months = {audit.notified_on.replace(day=1) for audit in CaseFileAudit.objects.all()}
    assert months == {add_months(month_start(today), -n) for n in range(13)}
    for service in Service.values:
        assert CaseFileAudit.objects.filter(service=service).count() >= 13, service
    last_month = add_months(month_start(today), -1)
    month_audits = CaseFileAudit.objects.filter(notified_on__gte=last_month, notified_on__lt=month_start(today))
    assert month_audits.filter(service=Service.CHAD).count() == 8
    assert month_audits.filter(service=Service.SOCIAL_CARE).count() == 6
    # seed_demo takes about 20 s here, so one test checks the rest of the data too.
    check_statuses_reviews_actions_and_grade_differences(today)
    check_the_draw_and_the_draft_pack(today)


def check_statuses_reviews_actions_and_grade_differences(today):
    assert set(CaseFileAudit.objects.values_list("status", flat=True)) == set(CaseFileAudit.Status.values)
    assert CaseFileAudit.objects.filter(status=CaseFileAudit.Status.NOTIFIED, due_on__lt=today).count() == 1
    grades = list(CaseFileAudit.objects.exclude(final_grade="").values_list("final_grade", flat=True))
    assert set(grades) == set(Grade.values)
    inadequate = grades.count(Grade.INADEQUATE) / len(grades)
    assert 0.02 <= inadequate <= 0.08
    # Every inadequate audit has its review: most completed within the month, one overdue, one not yet due.
    assert TripleLockReview.objects.filter(audit__final_grade=Grade.INADEQUATE).count() == grades.count(
        Grade.INADEQUATE
    )
    reviews = TripleLockReview.objects.all()
    assert reviews.filter(status="completed").count() >= 6
    assert all(r.completed_on <= r.due_on for r in reviews.filter(status="completed"))
    assert reviews.filter(status="open", due_on__lt=today).count() == 1
    assert reviews.filter(status="open", due_on__gte=today).count() >= 1
    # Family feedback is sought in most audits, with words but never a name.
    graded = CaseFileAudit.objects.exclude(final_grade="")
    assert graded.filter(family_feedback_sought=True).count() / graded.count() > 0.7
    # Actions: most completed, some open, a few overdue.
    actions = CaseFileAuditAction.objects.all()
    assert actions.filter(status="completed").count() > actions.filter(status="open").count() > 0
    assert 1 <= actions.filter(status="open", due_on__lt=today).count() <= 25
    # The moderation panel has grade differences waiting, and has discussed older ones.
    assert grade_differences().count() >= 1
    assert CaseFileAudit.objects.exclude(panel_discussed_on=None).exists()
    # Records are backdated to the days they happened.
    oldest = CaseFileAudit.objects.order_by("notified_on").first()
    assert oldest.created_at.date() == oldest.notified_on


def check_the_draw_and_the_draft_pack(today):
    last_month = add_months(month_start(today), -1)
    draw = SampleDraw.objects.get()
    assert (draw.service, draw.period_start) == (Service.SOCIAL_CARE, last_month)
    assert draw.audits.count() == 6
    assert all(audit.auditor.team != audit.team for audit in draw.audits.select_related("auditor"))

    pack = QpagPack.objects.get()
    assert (pack.month, pack.status) == (last_month, QpagPack.Status.DRAFT)
    assert set(pack.narrative) == {key for key, _title in PACK_SECTIONS}
    assert all(len(text) > 80 for text in pack.narrative.values())
    assert f"{last_month:%B %Y}" in pack.narrative["performance"]


def test_the_dashboard_tells_the_planned_story_and_the_pages_open(demo, client):
    from portal.models import User
    from qpag.dashboard import practice_area_trends

    last_month = add_months(month_start(demo), -1)
    trends = {trend.key: trend for trend in practice_area_trends(month=last_month, service=Service.SOCIAL_CARE)}
    assert trends[PracticeArea.SAFETY_AND_RISK].status == TrendStatus.STRONG
    assert trends[PracticeArea.LIVED_EXPERIENCE].status == TrendStatus.IMPROVING
    assert trends[PracticeArea.MANAGEMENT_OVERSIGHT].status == TrendStatus.NEEDS_STRENGTHENING
    voice = trends[PracticeArea.LIVED_EXPERIENCE].points
    assert voice[-1].percent > voice[0].percent + 20

    client.force_login(User.objects.get(email="qa.manager@council.example.org"))
    pack = QpagPack.objects.get()
    for url in ("/qpag/", "/qpag/case-file-audits/", f"/qpag/packs/{pack.pk}/", "/dashboard/"):
        assert client.get(url).status_code == 200, url
