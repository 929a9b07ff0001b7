"""Demo data for the complaints tracker, loaded by `manage.py seed_demo` through the portal's
`portal_seed_demo` hook (after the settings register exists): a year of complaints in every
state, each driven through the services on the day it happened, so the clocks, the timeline
and the audit log read as they would in real use. Idempotent: once complaints exist, it stops.

No child is named anywhere; complainants are invented."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from wagtail import hooks

from portal.models import Theme, User
from portal.working_days import add_working_days
from schools import services_plans
from schools.models import ActionPlan, Setting

from . import services
from .models import Complaint, ComplaintEvent, ComplaintResponse, NotifiedWhom, ReferredTo, Source

DEMO_ADVISER = "adviser@council.example.org"
DEMO_QA = "qa.manager@council.example.org"
DEMO_SENIOR = "senior.manager@council.example.org"

SUMMARIES = [
    ("dsl-role", "A parent says a disclosure their child made to a teaching assistant was not passed to the DSL."),
    ("safer-recruitment", "A whistleblower reports a supply teacher started work before their DBS check came back."),
    (
        "online-safety",
        "A parent says pupils accessed harmful content on school devices and filtering did not block it.",
    ),
    ("child-on-child-abuse", "Concern that repeated sexual harassment between pupils on the bus was not acted on."),
    ("managing-allegations", "An allegation about a member of staff was handled internally without LADO advice."),
    ("records", "A parent says safeguarding records did not follow their child when they changed school."),
    ("children-missing-education", "The school removed a pupil from roll without telling the local authority."),
    ("site-security", "A visitor was able to walk into the playground without signing in."),
    ("training", "Staff say they have not had safeguarding training since they started two years ago."),
    ("alternative-provision", "A pupil placed in alternative provision was not checked on for six weeks."),
    ("early-help", "A family says the school refused to start an early help assessment after repeated requests."),
    ("looked-after-children", "A carer says the designated teacher did not attend the child's PEP meeting."),
]
COMPLAINANTS = [
    ("Jordan Ellis", "jordan.ellis@example.net"),
    ("Morgan Patel", "07700 900123"),
    ("Alex Kowalski", "alex.k@example.net"),
    ("Sam Whitfield", "12 Mill Lane, Exampleton"),
    ("Chris Adeyemi", "chris.adeyemi@example.net"),
    ("Taylor Brooks", "07700 900456"),
]
FINDINGS = {
    "upheld": "The records show the concern was logged but not passed on within the school's own timescale.",
    "partly_upheld": "Most procedures were followed; the written record of the decision was incomplete.",
    "not_upheld": "The school followed its policy and KCSIE; the records show timely action and referral.",
}


@dataclass
class Plan:
    state: str
    days_ago: int
    source: str
    outcome: str = ""


# (final state, days ago received, source, outcome). A year, every state, a repeat setting.
PLANS = [
    Plan("received", 1, Source.PARENT),
    Plan("received", 6, Source.OFSTED),  # acknowledgement overdue
    Plan("acknowledged", 4, Source.DFE),
    Plan("acknowledged", 9, Source.STAFF),
    Plan("under_investigation", 12, Source.PARENT),
    Plan("under_investigation", 26, Source.OFSTED),  # response due soon
    Plan("under_investigation", 40, Source.PUPIL),  # overdue
    Plan("paused", 20, Source.OFSTED),
    Plan("paused", 33, Source.OTHER_AGENCY),
    Plan("response_sent", 35, Source.PARENT, "not_upheld"),
    Plan("response_sent", 45, Source.OFSTED, "partly_upheld"),
    Plan("monitoring_learning", 70, Source.PARENT, "upheld"),
    Plan("monitoring_learning", 110, Source.OFSTED, "partly_upheld"),
    Plan("withdrawn", 60, Source.PARENT),
    Plan("withdrawn", 200, Source.ANONYMOUS),
    Plan("referred", 15, Source.STAFF),
    Plan("referred", 150, Source.OFSTED),
    Plan("referred", 290, Source.OTHER),
    *[
        Plan("closed", days, source, outcome)
        for days, source, outcome in [
            (80, Source.PARENT, "not_upheld"),
            (95, Source.OFSTED, "upheld"),
            (120, Source.DFE, "not_upheld"),
            (135, Source.PARENT, "partly_upheld"),
            (160, Source.OFSTED, "not_upheld"),
            (175, Source.PUPIL, "partly_upheld"),
            (190, Source.PARENT, "not_upheld"),
            (215, Source.OFSTED, "upheld"),
            (230, Source.STAFF, "not_upheld"),
            (250, Source.PARENT, "partly_upheld"),
            (270, Source.OFSTED, "not_upheld"),
            (300, Source.OTHER_AGENCY, "not_upheld"),
            (320, Source.PARENT, "upheld"),
            (345, Source.OFSTED, "partly_upheld"),
        ]
    ],
]


def _backdate(complaint: Complaint, day: datetime.date) -> None:
    """Services stamp events with now; a demo event happened on `day`."""
    stamp = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))
    latest = complaint.events.order_by("-pk").values_list("pk", flat=True)[:3]
    ComplaintEvent.objects.filter(pk__in=list(latest), at__date__gte=day).update(at=stamp)


def _working_day(start: datetime.date, n: int, today: datetime.date) -> datetime.date:
    return min(add_working_days(start, n), today)


def seed_complaints_demo(*, stdout) -> None:
    if Complaint.objects.exists():
        stdout.write("Complaints demo: already loaded")
        return
    adviser = User.objects.filter(email=DEMO_ADVISER).first()
    qa = User.objects.filter(email=DEMO_QA).first()
    senior = User.objects.filter(email=DEMO_SENIOR).first()
    settings_pool = list(Setting.objects.filter(is_open=True).order_by("urn"))
    if adviser is None or qa is None or not settings_pool:
        stdout.write("Complaints demo: skipped (needs the demo adviser, QA manager and settings)")
        return
    themes = {t.slug: t for t in Theme.objects.all()}
    rng = random.Random(2026)  # noqa: S311  (demo data, not security)
    today = timezone.localdate()
    repeat_setting = settings_pool[1]
    # One setting with three complaints this year (a repeat setting); every other complaint is
    # about a different setting, as most are in a real year.
    others = [s for s in settings_pool if s != repeat_setting]

    for index, plan in enumerate(PLANS):
        received = today - datetime.timedelta(days=plan.days_ago)
        if received.weekday() >= 5:
            received -= datetime.timedelta(days=received.weekday() - 4)
        setting = repeat_setting if index in {0, 5, 11} else others[index % len(others)]
        slug, summary = SUMMARIES[index % len(SUMMARIES)]
        name, contact = ("", "") if plan.source in {Source.ANONYMOUS, Source.OFSTED} else rng.choice(COMPLAINANTS)
        complaint = services.complaint_log(
            user=adviser,
            today=received,
            setting=setting,
            received_on=received,
            source=plan.source,
            source_reference=f"CMP-{rng.randint(100000, 999999)}" if plan.source in {Source.OFSTED, Source.DFE} else "",
            received_via="referral" if plan.source in {Source.OFSTED, Source.DFE} else rng.choice(["email", "phone"]),
            complainant_name=name,
            complainant_contact=contact,
            summary=summary,
            severity=rng.choice(["low", "medium", "medium", "high"]),
            assigned_adviser=adviser,
            themes=[themes[slug]] if slug in themes else [],
        )
        _backdate(complaint, received)
        _drive(complaint, plan, received=received, today=today, adviser=adviser, qa=qa, rng=rng)

    overdue = Complaint.objects.filter(status="under_investigation").order_by("received_on").first()
    if senior is not None and overdue is not None:
        services.complaint_add_scrutiny_comment(
            complaint=overdue, user=senior, comment="Please update SMT on why this is past its response date."
        )
    stdout.write(f"Complaints demo: {Complaint.objects.count()} complaints over the last year")


def _drive(complaint, plan: Plan, *, received, today, adviser, qa, rng) -> None:
    state = plan.state
    if state == "received":
        return
    if state == "withdrawn" or (state == "referred" and rng.random() < 0.5):
        on = _working_day(received, 2, today)
        if state == "withdrawn":
            services.complaint_withdraw(
                complaint=complaint, user=adviser, on=on, reason="The parent resolved it with the school.", today=today
            )
        else:
            services.complaint_refer_on(
                complaint=complaint,
                user=adviser,
                to=ReferredTo.LADO,
                on=on,
                reason="An allegation about staff.",
                today=today,
            )
        _backdate(complaint, on)
        return
    acknowledged = _working_day(received, 1 if rng.random() < 0.8 else 4, today)
    services.complaint_acknowledge(complaint=complaint, user=adviser, on=acknowledged, today=today)
    _backdate(complaint, acknowledged)
    if state == "acknowledged":
        return
    if state == "referred":
        services.complaint_refer_on(
            complaint=complaint,
            user=adviser,
            to=ReferredTo.SETTING,
            on=acknowledged,
            reason="The concern is for the school's own complaints procedure.",
            today=today,
        )
        return
    services.complaint_start_investigation(complaint=complaint, user=adviser)
    notified = _working_day(received, 2, today)
    services.complaint_record_setting_notified(
        complaint=complaint, user=adviser, on=notified, whom=NotifiedWhom.HEADTEACHER, today=today
    )
    services.complaint_add_note(
        complaint=complaint, user=adviser, about="setting", note="Spoke to the DSL; records requested by Friday."
    )
    _backdate(complaint, notified)
    if state == "paused" or rng.random() < 0.3:
        paused = _working_day(received, 5, today)
        services.complaint_pause(
            complaint=complaint,
            user=adviser,
            on=paused,
            reason="Waiting for the school's safeguarding records.",
            today=today,
        )
        _backdate(complaint, paused)
        if state == "paused":
            return
        resumed = _working_day(paused, 3, today)
        services.complaint_resume(complaint=complaint, user=adviser, on=resumed, today=today)
        _backdate(complaint, resumed)
    if state == "under_investigation":
        return
    outcome = plan.outcome or "not_upheld"
    drafted = _working_day(received, 12, today)
    services.response_save(
        complaint=complaint,
        user=adviser,
        findings=FINDINGS[outcome],
        outcome=outcome,
        body=services.response_initial_body(complaint, findings=FINDINGS[outcome], outcome=outcome),
    )
    services.response_submit(complaint=complaint, user=adviser)
    services.response_sign_off(complaint=complaint, user=qa)
    signed = _working_day(received, 14, today)
    ComplaintResponse.objects.filter(complaint=complaint).update(
        signed_off_at=timezone.make_aware(datetime.datetime.combine(signed, datetime.time(15)))
    )
    _backdate(complaint, drafted)
    sent = _working_day(received, rng.choice([15, 17, 19, 24]), today)
    sent = max(sent, signed)
    services.response_mark_sent(complaint=complaint, user=adviser, on=sent, today=today)
    _backdate(complaint, sent)
    if state == "response_sent":
        return
    if state == "monitoring_learning" or outcome != "not_upheld":
        learning = services.learning_plan_open(
            complaint=complaint, user=adviser, title=f"Learning from complaint {complaint.reference}"
        )
        services_plans.action_save(
            plan=learning,
            user=adviser,
            description="Review the safeguarding procedure this complaint tested and brief all staff on it.",
            due_on=today + datetime.timedelta(days=42),
            theme=complaint.themes.first(),
            owner_role="Designated safeguarding lead",
            today=today,
        )
        _backdate(complaint, sent)
        if state == "monitoring_learning":
            return
        # Long since completed: the plan is marked complete as its verification would leave it.
        complaint.refresh_from_db()
        ActionPlan.objects.filter(pk=learning.pk).update(
            status=ActionPlan.Status.COMPLETE,
            completed_at=timezone.make_aware(datetime.datetime.combine(sent, datetime.time(12)))
            + datetime.timedelta(days=40),
        )
    closed = min(sent + datetime.timedelta(days=45 if complaint.learning_identified else 2), today)
    services.complaint_close(complaint=complaint, user=adviser, on=closed, today=today)
    _backdate(complaint, closed)


@hooks.register("portal_seed_demo")
def register_seed(register) -> None:
    register(seed_complaints_demo)
