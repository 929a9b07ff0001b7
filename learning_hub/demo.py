"""Demo content for the learning hub, loaded by `manage.py seed_demo` through the portal's
`portal_seed_demo` hook: the hub's page tree under the portal's home page, a year's training
programme with sessions over the coming months (some nearly full, one full with a waiting
list), fifteen resources (some members-only, some past their review date), eight published
good-practice examples and one waiting for an editor, four news posts, and a link to the hub
in the main navigation. Idempotent: once a learning hub home page exists, it stops.

Bookings are written straight to the booking models (with `places_taken` kept equal to the
booked count), not through the booking service, so the demo does not depend on its rules.
No child is named anywhere; the people attending training are invented."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.utils.file import hash_filelike

from portal.models import NavigationSettings, Theme, User

from .models import (
    Audience,
    Booking,
    GoodPracticeIndexPage,
    GoodPracticePage,
    LearningHubHomePage,
    NewsIndexPage,
    NewsPage,
    ResourceIndexPage,
    ResourcePage,
    TrainingCalendarPage,
    TrainingCoursePage,
    TrainingIndexPage,
    TrainingSession,
)
from .submissions import GoodPracticeDraft, can_submit_good_practice, good_practice_submit
from .workflows import ensure_good_practice_workflow

DEMO_EDITOR = "editor@council.example.org"
DEMO_DSL = "dsl@oakfield-primary.example.org"
DEMO_AP_USER = "manager@horizons-ap.example.org"
DEMO_ADVISER = "adviser@council.example.org"
BOOKINGS_FALLBACK = "hub.bookings.demo@council.example.org"

COUNTY_HALL = "County Hall, Committee Room 2, High Street, Millhampton MH1 1AA"
TEACHERS_CENTRE = "Kestonbury Teachers' Centre, Mill Street, Kestonbury KB4 2DL"
HARBOUR_HUB = "Harbourside Community Hub, Quay Street, Wyvern Bay WB2 7QS"
ONLINE = "Online (Microsoft Teams)"

ORGANISATIONS = [
    ("Oakfield Primary School", "oakfield-primary.example.org"),
    ("Ashcombe Community College", "ashcombe-college.example.org"),
    ("Kestonbury Academy", "kestonbury-academy.example.org"),
    ("Brackenford Junior School", "brackenford-junior.example.org"),
    ("Fernleigh Church of England Primary School", "fernleigh-primary.example.org"),
    ("Brookside Special School", "brookside-special.example.org"),
    ("Wyvern Bay Academy", "wyvern-bay-academy.example.org"),
    ("Millhampton College", "millhampton-college.example.org"),
    ("Coldharbour Nursery and Infant School", "coldharbour-infants.example.org"),
    ("Horizons Alternative Provision", "horizons-ap.example.org"),
    ("Little Acorns Day Nursery", "little-acorns.example.org"),
    ("Saltmarsh Primary School", "saltmarsh-primary.example.org"),
]
FIRST_NAMES = [
    "Amira", "Ben", "Catherine", "Daniel", "Eleanor", "Farid", "Gemma", "Harpreet", "Imogen", "James",
    "Kerry", "Liam", "Megan", "Nathan", "Olivia", "Paul", "Rachel", "Simon", "Tanya", "Usman", "Victoria", "Wesley",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hall", "Iqbal", "Johnson", "Khan",
    "Lewis", "Morgan", "Nowak", "Owen", "Patel", "Roberts", "Singh", "Turner", "Walker", "Young",
]  # fmt: skip


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# Training ----------------------------------------------------------------------------------

# Each session: (days from today, capacity, booked, waiting, venue or ONLINE, start "HH:MM", hours, days long)
COURSES = [
    {
        "slug": "dsl-new-to-role",
        "title": "Designated safeguarding lead: new to role",
        "summary": "Two days for newly appointed DSLs and deputies: the role, the law, referrals and "
        "leading a safeguarding culture in your setting.",
        "format": TrainingCoursePage.Format.FACE_TO_FACE,
        "length": "Two full days",
        "cost": "£180 per person (free for maintained schools buying the safeguarding service)",
        "outcomes": _ul(
            "Understand the DSL's responsibilities in Keeping Children Safe in Education and Working Together",
            "Make clear, timely referrals to children's social care and the police",
            "Keep child protection records that stand up to scrutiny",
            "Plan training, supervision and cover for your deputies",
        ),
        "who": "Newly appointed designated safeguarding leads and deputies in schools, colleges and alternative "
        "provision. KCSIE expects DSLs to complete this training before or soon after taking up the role.",
        "themes": ["dsl-role", "leadership-and-governance", "records", "early-help"],
        "audiences": ["dsls", "ap-providers"],
        "sessions": [(21, 24, 22, 0, COUNTY_HALL, "09:15", 6.5, 2), (77, 24, 9, 0, TEACHERS_CENTRE, "09:15", 6.5, 2)],
    },
    {
        "slug": "dsl-refresher",
        "title": "Designated safeguarding lead refresher",
        "summary": "The two-yearly update for DSLs and deputies: what has changed, learning from local reviews "
        "and a chance to test your thinking on case scenarios.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "Half a day (3 hours)",
        "cost": "",
        "outcomes": _ul(
            "Know this year's changes to statutory guidance and what they mean for your setting",
            "Apply learning from local child safeguarding practice reviews",
            "Check your thresholds against the local multi-agency guidance",
        ),
        "who": "DSLs and deputies whose last DSL training was two or more years ago.",
        "themes": ["dsl-role", "training"],
        "audiences": ["dsls"],
        "sessions": [(-20, 40, 31, 0, ONLINE, "13:30", 3, 1), (9, 40, 38, 0, ONLINE, "13:30", 3, 1)],
        "past": True,
    },
    {
        "slug": "safer-recruitment",
        "title": "Safer recruitment in education",
        "summary": "Recruit safely from advert to induction: checks, references, online searches and "
        "keeping a single central record that is right first time.",
        "format": TrainingCoursePage.Format.FACE_TO_FACE,
        "length": "One day",
        "cost": "£95 per person",
        "outcomes": _ul(
            "Build safeguarding into every stage of recruitment",
            "Carry out and record the checks KCSIE requires, including online searches for shortlisted candidates",
            "Keep the single central record complete and up to date",
        ),
        "who": "Headteachers, business managers and governors who sit on recruitment panels. At least one person "
        "on every panel should have completed safer recruitment training.",
        "themes": ["safer-recruitment", "leadership-and-governance"],
        "audiences": ["dsls", "governors"],
        "sessions": [
            (16, 20, 18, 0, TEACHERS_CENTRE, "09:30", 6, 1),
            (58, 20, 4, 0, COUNTY_HALL, "09:30", 6, 1),
            (112, 20, 0, 0, HARBOUR_HUB, "09:30", 6, 1),
        ],
    },
    {
        "slug": "online-safety-filtering-monitoring",
        "title": "Online safety, filtering and monitoring",
        "summary": "Meet the DfE filtering and monitoring standards, and teach online safety that keeps up "
        "with how children actually use the internet.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "2 hours 30 minutes",
        "cost": "",
        "outcomes": _ul(
            "Understand the filtering and monitoring standards and who is responsible for what",
            "Review your filtering and monitoring provision at least once a year, with your IT provider",
            "Act on monitoring alerts and record what you did",
        ),
        "who": "DSLs, senior leaders, the governor responsible for filtering and monitoring, and IT leads.",
        "themes": ["online-safety", "dsl-role"],
        "audiences": ["dsls", "governors"],
        "sessions": [(12, 60, 23, 0, ONLINE, "15:45", 2.5, 1), (47, 60, 11, 0, ONLINE, "15:45", 2.5, 1)],
        "dsl_books": 0,
    },
    {
        "slug": "child-on-child-abuse-hsb",
        "title": "Child-on-child abuse and harmful sexual behaviour",
        "summary": "Recognise and respond to child-on-child abuse, including sexual violence and sexual "
        "harassment, and support everyone involved.",
        "format": TrainingCoursePage.Format.FACE_TO_FACE,
        "length": "One day",
        "cost": "£95 per person",
        "outcomes": _ul(
            "Recognise the forms child-on-child abuse takes, online and offline",
            "Use a recognised framework to judge whether sexual behaviour is harmful",
            "Plan risk assessments and support for the children involved",
        ),
        "who": "DSLs, deputies and pastoral leads in primary, secondary and special schools and colleges.",
        "themes": ["child-on-child-abuse", "curriculum-and-rshe"],
        "audiences": ["dsls"],
        "sessions": [(26, 25, 24, 0, HARBOUR_HUB, "09:30", 6, 1), (89, 25, 3, 0, TEACHERS_CENTRE, "09:30", 6, 1)],
    },
    {
        "slug": "managing-allegations-low-level-concerns",
        "title": "Managing allegations and low-level concerns",
        "summary": "What to do when a concern is raised about an adult who works with children: the LADO, "
        "the harm threshold and a culture where low-level concerns are shared.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "3 hours",
        "cost": "",
        "outcomes": _ul(
            "Tell an allegation that meets the harm threshold from a low-level concern",
            "Know when and how to contact the Local Authority Designated Officer (LADO)",
            "Record and review low-level concerns so that patterns are spotted",
        ),
        "who": "Headteachers, case managers, chairs of governors and proprietors.",
        "themes": ["managing-allegations", "leadership-and-governance"],
        "audiences": ["dsls", "governors"],
        "sessions": [(14, 16, 16, 3, ONLINE, "09:30", 3, 1), (63, 16, 6, 0, ONLINE, "09:30", 3, 1)],
        "dsl_waits": 0,
    },
    {
        "slug": "governors-safeguarding",
        "title": "Safeguarding for governors and trustees",
        "summary": "What the governing body must do to hold leaders to account for safeguarding, and the "
        "questions to ask.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "2 hours (evening)",
        "cost": "",
        "outcomes": _ul(
            "Know the governing body's statutory safeguarding duties",
            "Scrutinise the annual 175/157 safeguarding audit and its action plan",
            "Plan safeguarding link-governor visits that test practice, not paperwork",
        ),
        "who": "Governors, trustees and proprietors, especially safeguarding link governors and chairs.",
        "themes": ["leadership-and-governance", "training"],
        "audiences": ["governors"],
        "sessions": [
            (19, 50, 12, 0, ONLINE, "18:30", 2, 1),
            (54, 50, 5, 0, ONLINE, "18:30", 2, 1),
            (96, 50, 0, 0, ONLINE, "18:30", 2, 1),
        ],
    },
    {
        "slug": "early-years-safeguarding",
        "title": "Safeguarding in the early years",
        "summary": "Safeguarding and welfare requirements of the EYFS for nurseries, pre-schools and "
        "childminders, with a focus on the youngest children.",
        "format": TrainingCoursePage.Format.FACE_TO_FACE,
        "length": "Half a day (3 hours 30 minutes)",
        "cost": "£45 per person",
        "outcomes": _ul(
            "Meet the safeguarding and welfare requirements of the EYFS statutory framework",
            "Recognise signs of abuse and neglect in babies and children who cannot yet tell you",
            "Work with early help and health visitors before problems grow",
        ),
        "who": "Designated safeguarding leads and practitioners in early years settings and school nursery classes.",
        "themes": ["early-help", "dsl-role"],
        "audiences": ["early-years"],
        "sessions": [(33, 20, 19, 0, COUNTY_HALL, "09:30", 3.5, 1), (82, 20, 7, 0, HARBOUR_HUB, "13:00", 3.5, 1)],
    },
    {
        "slug": "ap-providers-safeguarding-checks",
        "title": "Alternative provision: safeguarding and provider checks",
        "summary": "For providers on the commissioned framework and the schools that place children with them: "
        "the annual AP audit, placement checks and daily attendance.",
        "format": TrainingCoursePage.Format.FACE_TO_FACE,
        "length": "Half a day (3 hours)",
        "cost": "",
        "provider": TrainingCoursePage.Provider.COUNCIL,
        "outcomes": _ul(
            "Know what the annual AP safeguarding audit asks for, and the evidence that satisfies it",
            "Agree who does which checks before and during a placement",
            "Follow up absence from alternative provision the same day",
        ),
        "who": "AP provider managers and DSLs, and school staff who commission alternative provision.",
        "themes": ["alternative-provision", "children-missing-education", "safer-recruitment"],
        "audiences": ["ap-providers", "dsls"],
        "sessions": [(40, 18, 8, 0, TEACHERS_CENTRE, "13:00", 3, 1), (103, 18, 0, 0, COUNTY_HALL, "13:00", 3, 1)],
    },
    {
        "slug": "records-information-sharing",
        "title": "Safeguarding records and information sharing",
        "summary": "Write records that help children, share information lawfully and with confidence, "
        "and transfer files safely when children move.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "2 hours",
        "cost": "",
        "outcomes": _ul(
            "Write chronologies and records that are factual, timely and clear",
            "Share information lawfully using the government's advice for practitioners",
            "Transfer child protection files securely and confirm they arrived",
        ),
        "who": "DSLs, deputies and administrative staff who manage safeguarding records.",
        "themes": ["records", "dsl-role"],
        "audiences": ["dsls", "ap-providers"],
        "sessions": [(28, 40, 15, 0, ONLINE, "10:00", 2, 1), (70, 40, 2, 0, ONLINE, "10:00", 2, 1)],
    },
    {
        "slug": "whole-staff-kcsie-update",
        "title": "Whole-staff safeguarding update (e-learning)",
        "summary": "This year's safeguarding update for every member of staff, in 45 minutes at their own pace, "
        "with a short quiz and a certificate.",
        "format": TrainingCoursePage.Format.E_LEARNING,
        "length": "45 minutes",
        "cost": "Free to settings in the county",
        "provider": TrainingCoursePage.Provider.OTHER,
        "provider_name": "Safeguarding Training Online (commissioned by the partnership)",
        "outcomes": _ul(
            "Know what has changed in Keeping Children Safe in Education Part one this year",
            "Know who your DSL is and how to report a concern at your setting",
            "Recognise the signs of abuse, neglect and exploitation",
        ),
        "who": "All staff and volunteers, including support staff, as part of their annual safeguarding update.",
        "themes": ["training", "dsl-role"],
        "audiences": ["all-staff", "early-years", "ap-providers"],
        # Access windows for each cohort: the course is done at your own pace within them.
        "sessions": [
            (3, 400, 186, 0, "Online, at your own pace", "08:00", 0, 28),
            (66, 400, 41, 0, "Online, at your own pace", "08:00", 0, 28),
        ],
    },
    {
        "slug": "early-help-for-schools",
        "title": "Early help: acting before problems grow",
        "summary": "How schools and settings lead early help assessments and work with families and the "
        "local early help partnership.",
        "format": TrainingCoursePage.Format.LIVE_ONLINE,
        "length": "2 hours",
        "cost": "",
        "outcomes": _ul(
            "Recognise when a family may benefit from early help",
            "Lead or contribute to an early help assessment and team around the family",
            "Know when to step up to children's social care",
        ),
        "who": "DSLs, deputies, family support workers and pastoral leads.",
        "themes": ["early-help", "children-missing-education"],
        "audiences": ["dsls", "early-years"],
        "sessions": [(36, 40, 10, 0, ONLINE, "13:30", 2, 1), (84, 40, 1, 0, ONLINE, "13:30", 2, 1)],
    },
]


def _starts(days_ahead: int, start: str, *, teaching_days: int = 1) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    # Training runs on weekdays; a course of several days runs on consecutive weekdays.
    while day.weekday() + teaching_days - 1 >= 5:
        day += datetime.timedelta(days=1)
    hour, minute = (int(part) for part in start.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _session(course: TrainingCoursePage, number: int, spec: tuple) -> TrainingSession:
    days_ahead, capacity, _booked, _waiting, venue, start, hours, days_long = spec
    access_window = days_long > 1 and hours == 0  # e-learning: done at your own pace within it
    starts = _starts(days_ahead, start, teaching_days=1 if access_window else days_long)
    if access_window:
        ends = starts + datetime.timedelta(days=days_long)
    else:
        ends = starts + datetime.timedelta(days=days_long - 1, hours=hours)
    online = venue == ONLINE
    return TrainingSession.objects.create(
        course=course,
        starts_at=starts,
        ends_at=ends,
        venue="" if online else venue,
        joining_details=(
            f"Join on Microsoft Teams: https://teams.example.org/meet/{course.slug}-{number} "
            "(meeting ID 381 204 775, passcode sent in your reminder). Please join ten minutes early "
            "with your camera on."
            if online
            else (
                "Your login is emailed on the day access opens."
                if course.format == TrainingCoursePage.Format.E_LEARNING
                else "Sign in at reception. Refreshments from 9am; parking is limited, so please share lifts."
            )
        ),
        capacity=capacity,
        booking_closes_on=(starts - datetime.timedelta(days=3)).date(),
    )


class _People:
    """Invented adults who work in the county's settings, each used once per session."""

    def __init__(self) -> None:
        self.random = random.Random(2026)  # noqa: S311  (demo data, not security)

    def take(self, count: int) -> list[tuple[str, str, str]]:
        chosen = []
        pairs = self.random.sample([(f, s) for f in FIRST_NAMES for s in LAST_NAMES], count)
        for first, last in pairs:
            organisation, domain = self.random.choice(ORGANISATIONS)
            chosen.append((f"{first} {last}", f"{first.lower()}.{last.lower()}@{domain}", organisation))
        return chosen


def _fill(
    session: TrainingSession,
    *,
    booked: int,
    waiting: int,
    people: _People,
    bookers: list[User],
    marker: User | None = None,
    extra=(),
) -> None:
    """Book `booked` places and put `waiting` people on the waiting list, oldest first, and keep
    places_taken equal to the booked count. `extra` are (user, status, attended) for a demo
    account's own bookings; `marker` marked attendance at past sessions."""
    now = timezone.now()
    past = session.starts_at < now
    own = list(extra)
    own_booked = sum(status == Booking.Status.BOOKED for _user, status, _attended in own)
    status_for = [Booking.Status.BOOKED] * (booked - own_booked) + [Booking.Status.WAITING] * (
        waiting - (len(own) - own_booked)
    )
    taken = 0
    for index, ((name, email, organisation), status) in enumerate(
        zip(people.take(len(status_for)), status_for, strict=True)
    ):
        Booking.objects.create(
            session=session,
            booked_by=bookers[index % len(bookers)],
            attendee_name=name,
            attendee_email=email,
            organisation=organisation,
            status=status,
            confirmation_sent_at=now if status == Booking.Status.BOOKED else None,
            attended=(index % 9 != 0) if past and status == Booking.Status.BOOKED else None,
            attendance_marked_by=marker if past and status == Booking.Status.BOOKED else None,
        )
        taken += status == Booking.Status.BOOKED
    for user, status, attended in own:
        Booking.objects.create(
            session=session,
            booked_by=user,
            attendee_name=user.get_full_name() or user.email,
            attendee_email=user.email,
            organisation="Oakfield Primary School",
            status=status,
            confirmation_sent_at=now if status == Booking.Status.BOOKED else None,
            attended=attended,
            attendance_marked_by=marker if attended is not None else None,
        )
        taken += status == Booking.Status.BOOKED
    session.places_taken = taken
    session.save(update_fields=["places_taken", "updated_at"])


# Resources ---------------------------------------------------------------------------------

GOV_UK = "https://www.gov.uk"

# (slug, title, kind, link or document lines, kcsie year, review days from today, members only, themes,
#  audiences, summary)
RESOURCES = [
    (
        "keeping-children-safe-in-education",
        "Keeping children safe in education",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/keeping-children-safe-in-education--2",
        "2025",
        280,
        False,
        ["dsl-role", "leadership-and-governance", "training"],
        ["dsls", "all-staff", "governors"],
        "The statutory guidance every school and college must follow. All staff must read Part one.",
    ),
    (
        "working-together-to-safeguard-children",
        "Working together to safeguard children 2023",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/working-together-to-safeguard-children--2",
        "",
        300,
        False,
        ["dsl-role", "early-help", "records"],
        ["dsls"],
        "Statutory guidance on multi-agency working to help, protect and promote the welfare of children.",
    ),
    (
        "filtering-and-monitoring-standards",
        "Filtering and monitoring standards for schools and colleges",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/guidance/meeting-digital-and-technology-standards-in-schools-and-colleges/"
        "filtering-and-monitoring-standards-for-schools-and-colleges",
        "2025",
        190,
        False,
        ["online-safety"],
        ["dsls", "governors"],
        "The DfE standards your filtering and monitoring provision should meet, and who is responsible for each.",
    ),
    (
        "information-sharing-advice",
        "Information sharing: advice for safeguarding practitioners",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/safeguarding-practitioners-information-sharing-advice",
        "",
        240,
        False,
        ["records"],
        ["dsls", "ap-providers"],
        "When and how to share information lawfully to keep children safe, with the seven golden rules.",
    ),
    (
        "prevent-duty-guidance",
        "Prevent duty guidance",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/prevent-duty-guidance",
        "",
        -12,
        False,
        ["dsl-role", "training"],
        ["dsls", "all-staff"],
        "The Home Office guidance on the duty to have due regard to the need to prevent people being drawn "
        "into terrorism.",
    ),
    (
        "teaching-online-safety-in-schools",
        "Teaching online safety in schools",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/teaching-online-safety-in-schools",
        "",
        150,
        False,
        ["online-safety", "curriculum-and-rshe"],
        ["dsls", "all-staff"],
        "DfE guidance on teaching children to stay safe online, within the existing curriculum.",
    ),
    (
        "sharing-nudes-and-semi-nudes",
        "Sharing nudes and semi-nudes: advice for education settings",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/sharing-nudes-and-semi-nudes-advice-for-education-settings-working-"
        "with-children-and-young-people",
        "",
        210,
        False,
        ["online-safety", "child-on-child-abuse"],
        ["dsls"],
        "UKCIS advice on responding to incidents, including when to involve the police and children's social care.",
    ),
    (
        "eyfs-statutory-framework",
        "Early years foundation stage statutory framework",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/early-years-foundation-stage-framework--2",
        "",
        260,
        False,
        ["early-help"],
        ["early-years"],
        "The safeguarding and welfare requirements every early years provider must meet.",
    ),
    (
        "alternative-provision-guidance",
        "Alternative provision: statutory guidance",
        ResourcePage.Kind.LINK,
        f"{GOV_UK}/government/publications/alternative-provision",
        "",
        320,
        False,
        ["alternative-provision", "children-missing-education"],
        ["ap-providers", "dsls"],
        "Statutory guidance for local authorities and schools commissioning alternative provision.",
    ),
    (
        "kcsie-changes-briefing-recording",
        "Recorded briefing: this year's changes to KCSIE",
        ResourcePage.Kind.VIDEO,
        "https://video.example.org/safeguarding/kcsie-changes-briefing",
        "2025",
        230,
        True,
        ["dsl-role", "training"],
        ["dsls", "all-staff"],
        "A 40-minute recording of the advisers' autumn briefing, for DSLs to use in whole-staff training.",
    ),
    (
        "model-child-protection-policy",
        "Model child protection policy for schools",
        ResourcePage.Kind.DOCUMENT,
        [
            "Model child protection and safeguarding policy",
            "For schools to adapt: replace every [bracketed] item with your setting's details.",
            "1. Our commitment  2. Roles and responsibilities  3. Recognising and responding to concerns",
            "4. Managing allegations and low-level concerns  5. Online safety  6. Records",
        ],
        "2025",
        275,
        True,
        ["dsl-role", "leadership-and-governance"],
        ["dsls", "governors"],
        "The council's model policy, written to the current KCSIE, for schools to adapt and adopt.",
    ),
    (
        "single-central-record-checklist",
        "Single central record checklist",
        ResourcePage.Kind.DOCUMENT,
        [
            "Single central record checklist",
            "Identity, right to work, enhanced DBS, barred list (regulated activity), prohibition checks,",
            "overseas checks, qualifications, section 128 checks for governance roles, and who checked, when.",
        ],
        "2025",
        -40,
        False,
        ["safer-recruitment"],
        ["dsls", "governors"],
        "Use this to check your single central record before your governors' termly review.",
    ),
    (
        "low-level-concerns-record-template",
        "Low-level concerns record template",
        ResourcePage.Kind.DOCUMENT,
        [
            "Low-level concerns record",
            "Date, who raised it, the concern in their words, who it is about, action taken, reviewed by.",
            "Review the record termly to spot patterns; never use it for allegations that meet the harm threshold.",
        ],
        "2025",
        180,
        True,
        ["managing-allegations"],
        ["dsls"],
        "A template for recording and reviewing low-level concerns about adults, with guidance notes.",
    ),
    (
        "governor-safeguarding-visit-record",
        "Safeguarding link governor's visit record",
        ResourcePage.Kind.DOCUMENT,
        [
            "Safeguarding link governor's visit record",
            "Focus of the visit, who you met, what you saw, what you tested, strengths, questions for the board.",
        ],
        "2025",
        -3,
        False,
        ["leadership-and-governance"],
        ["governors"],
        "A one-page record for link governors to complete after each safeguarding visit.",
    ),
    (
        "ap-placement-checks-checklist",
        "Alternative provision placement checks",
        ResourcePage.Kind.DOCUMENT,
        [
            "Alternative provision placement checks",
            "Before the placement: registration status, staff checks confirmed in writing, site visit, DSL named.",
            "During the placement: daily attendance shared by 10am, half-termly review, concerns reported same day.",
        ],
        "2025",
        160,
        True,
        ["alternative-provision", "children-missing-education"],
        ["ap-providers", "dsls"],
        "The checks schools and providers agree before and during a placement, as a printable checklist.",
    ),
]


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, plain text)."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    commands = ["BT", "/F1 16 Tf", "56 780 Td", f"({escape(title)}) Tj", "/F1 10 Tf"]
    for line in lines:
        commands += ["0 -20 Td", f"({escape(line)}) Tj"]
    commands += ["0 -32 Td", "(Example County Council - schools safeguarding team - demo document) Tj", "ET"]
    stream = "\n".join(commands).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def _document(slug: str, title: str, lines: list[str], editor: User | None):
    Document = get_document_model()
    content = _pdf(lines[0], lines[1:])
    document = Document(title=title, uploaded_by_user=editor)
    document.file = ContentFile(content, name=f"{slug}.pdf")
    document.file_size = len(content)
    document.file_hash = hash_filelike(io.BytesIO(content))
    document.save()
    return document


# Good practice -----------------------------------------------------------------------------

# (slug, title, kind, phase, setting name or "" for anonymous, consent by, days ago, themes, audiences,
#  summary, what, why, impact, contact)
GOOD_PRACTICE = [
    (
        "daily-safeguarding-huddles",
        "Daily safeguarding huddles",
        GoodPracticePage.SettingKind.SCHOOL,
        GoodPracticePage.Phase.PRIMARY,
        "Oakfield Primary School",
        "Headteacher",
        150,
        ["dsl-role", "records"],
        ["dsls"],
        "A ten-minute huddle each morning keeps the DSL team in step and concerns moving the same day.",
        "The DSL, two deputies and the family support worker meet for ten minutes at 8.20am. They go through "
        "new concerns logged since yesterday, agree who follows each one up, and check actions due today.",
        "It is short, at the same time every day, and has a fixed agenda. Decisions go straight into the "
        "safeguarding record system, so nobody has to remember what was agreed.",
        "Referrals to the front door are now made on the day the concern is raised, rather than within the "
        "week, and staff say they hear back about what happened to their concerns.",
        "DSL, via the school office",
    ),
    (
        "single-central-record-monthly-check",
        "A single central record that is checked every month",
        GoodPracticePage.SettingKind.SCHOOL,
        GoodPracticePage.Phase.SECONDARY,
        "Kestonbury Academy",
        "Principal",
        120,
        ["safer-recruitment", "leadership-and-governance"],
        ["dsls", "governors"],
        "The business manager and a governor spend half an hour a month testing the single central record "
        "against staff files.",
        "Each month the business manager picks five staff at random and checks their entries against their "
        "files with the safeguarding governor. Gaps are fixed that week and reported to the board termly.",
        "Small, regular checks catch problems early, and the governor sees the evidence rather than a summary.",
        "The last two audits found no gaps in the record, and new starters are never in class before their "
        "checks are complete.",
        "Business manager, office@kestonbury-academy.example.org",
    ),
    (
        "low-level-concerns-speaking-up",
        "Making it easy to share low-level concerns",
        GoodPracticePage.SettingKind.SCHOOL,
        GoodPracticePage.Phase.SECONDARY,
        "",
        "",
        95,
        ["managing-allegations", "leadership-and-governance"],
        ["dsls", "all-staff"],
        "A secondary school rewrote its code of conduct with staff and introduced a simple way to share "
        "low-level concerns, including about themselves.",
        "Staff worked in groups to agree what 'behaviour that does not meet our standards' looks like in "
        "practice. The headteacher explained that self-reporting is welcomed, and concerns go to her on a "
        "short form.",
        "Staff helped write the examples, so they recognise them. Leaders respond to every concern "
        "promptly and without blame.",
        "Leaders spotted a pattern of over-familiar messages early and dealt with it before it became an "
        "allegation. Pupils are clearer about how adults should behave.",
        "",
    ),
    (
        "weekly-filtering-alert-review",
        "Reviewing filtering and monitoring alerts every week",
        GoodPracticePage.SettingKind.COLLEGE,
        GoodPracticePage.Phase.POST_16,
        "Ashcombe Community College",
        "Deputy principal",
        80,
        ["online-safety"],
        ["dsls", "governors"],
        "The DSL and the IT manager review monitoring alerts together every Friday and record what they did "
        "about each one.",
        "A fixed 30-minute slot each Friday, with a shared log of every alert, the action taken and who "
        "took it. The governor responsible for filtering and monitoring reads the log each half term.",
        "Technical and safeguarding staff see the same alerts and understand each other's part. The log "
        "is the evidence for the annual filtering and monitoring review.",
        "Two students at risk of radicalisation were identified and supported earlier than they would have "
        "been, and false alarms fell after the filtering rules were tuned.",
        "Designated safeguarding lead, dsl@ashcombe-college.example.org",
    ),
    (
        "feeling-safe-survey",
        "Asking pupils where they feel safe",
        GoodPracticePage.SettingKind.SCHOOL,
        GoodPracticePage.Phase.SECONDARY,
        "",
        "",
        60,
        ["child-on-child-abuse", "site-security", "curriculum-and-rshe"],
        ["dsls"],
        "A secondary school used an anonymous map-based survey to find the places pupils felt unsafe, then "
        "changed supervision and the timetable.",
        "Pupils marked on a plan of the site where they felt safe and unsafe, and why. The school council "
        "helped interpret the results and suggested changes.",
        "Pupils were honest because the survey was anonymous and their ideas were acted on quickly.",
        "Reports of harassment in corridors and toilets fell over two terms, and more pupils say they know "
        "who to talk to.",
        "",
    ),
    (
        "child-protection-file-transfers",
        "Child protection files that arrive before the child does",
        GoodPracticePage.SettingKind.SPECIAL_SCHOOL,
        GoodPracticePage.Phase.ALL_THROUGH,
        "Brookside Special School",
        "Headteacher",
        45,
        ["records"],
        ["dsls"],
        "A special school agreed with its feeder schools to transfer files securely within five days of a "
        "place being confirmed, and to talk through every one.",
        "The DSL phones the previous setting's DSL for every new pupil with a file, records the call, and "
        "confirms receipt of the file in writing.",
        "A conversation adds what records alone cannot say. Confirming receipt closes the loop.",
        "Staff know each child's needs and risks from the first day, and no file has gone missing since.",
        "DSL, via the school office",
    ),
    (
        "link-governor-termly-focus",
        "Link governor visits with a termly focus",
        GoodPracticePage.SettingKind.SCHOOL,
        GoodPracticePage.Phase.PRIMARY,
        "",
        "",
        30,
        ["leadership-and-governance", "training"],
        ["governors"],
        "The safeguarding governor at a primary school chooses one area to test each term, using the last "
        "175/157 audit's action plan.",
        "Each visit follows one thread: for example, from a staff member's concern to the record and the "
        "action taken. The governor talks to staff and pupils, not just the DSL.",
        "Testing one thing well gives the board real assurance, and the action plan keeps visits focused "
        "on what needed to improve.",
        "The board now challenges with evidence, and the school's last audit showed every action completed on time.",
        "",
    ),
    (
        "ap-same-day-attendance",
        "Same-day attendance for children in alternative provision",
        GoodPracticePage.SettingKind.AP_PROVIDER,
        GoodPracticePage.Phase.SECONDARY,
        "Horizons Alternative Provision",
        "Centre manager",
        12,
        ["alternative-provision", "children-missing-education"],
        ["ap-providers", "dsls"],
        "An alternative provision provider shares attendance with every placing school by 10am and phones "
        "home for any absence.",
        "The provider sends each placing school a secure attendance message by 10am. If a child is absent "
        "without a reason, staff phone home and tell the school's DSL the same morning.",
        "Schools never have to chase, and absence is followed up while there is still time to act.",
        "Two children missing from education were found and safe the same day, and attendance across the "
        "provision has risen.",
        "Centre manager, manager@horizons-ap.example.org",
    ),
]

NEWS = [
    (
        "you-said-we-did-shorter-audit",
        "You said, we did: a shorter 175/157 audit",
        True,
        40,
        ["leadership-and-governance"],
        ["dsls", "governors"],
        "You told us some audit questions repeated others. We removed 12 questions and added guidance to the rest.",
        _p(
            "After last year's audit, many DSLs told us that several questions asked for the same evidence "
            "twice. We reviewed every question with a group of headteachers and DSLs.",
            "This year's audit has 12 fewer questions, each has guidance on what good evidence looks like, and "
            "you can upload one document against several questions.",
        ),
    ),
    (
        "you-said-we-did-twilight-training",
        "You said, we did: more twilight and online training",
        True,
        25,
        ["training"],
        ["dsls", "governors"],
        "You asked for training that does not take staff out of class all day. Most courses now run online or "
        "after school.",
        _p(
            "The training needs survey told us that releasing staff for whole days was the biggest barrier to "
            "training. Governors asked for evening sessions.",
            "We have moved the DSL refresher, records and allegations courses online as half-day sessions, "
            "and governors' training now runs in the evening.",
        ),
    ),
    (
        "kcsie-changes-this-september",
        "Keeping children safe in education: this September's changes",
        False,
        70,
        ["dsl-role", "training"],
        ["dsls", "all-staff", "governors"],
        "The main changes to the statutory guidance this year, and the resources to brief your staff.",
        _p(
            "The Department for Education has published this year's Keeping children safe in education. "
            "Make sure all staff have read Part one and that your child protection policy reflects the changes.",
            "Our recorded briefing and updated model policy are in the resources section for signed-in members.",
        ),
    ),
    (
        "filtering-monitoring-briefing-governors",
        "New filtering and monitoring briefing for governors",
        False,
        8,
        ["online-safety", "leadership-and-governance"],
        ["governors"],
        "A two-hour evening session helps governors check their setting meets the filtering and monitoring standards.",
        _p(
            "Audit returns showed that many governing bodies had not yet reviewed filtering and monitoring "
            "with their IT provider. Our new briefing explains the standards and the questions to ask.",
        ),
    ),
]


# The seeder --------------------------------------------------------------------------------


def _publish(parent: Page, page: Page, *, user: User | None, themes=(), audiences=(), days_ago: int | None = None):
    parent.add_child(instance=page)
    if themes:
        page.themes.set(Theme.objects.filter(slug__in=themes))
    if audiences:
        page.audiences.set(Audience.objects.filter(slug__in=audiences))
    page.save_revision(user=user).publish(user=user)
    if days_ago is not None:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
    return page


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _bookers() -> list[User]:
    found = [user for user in map(_user, (DEMO_DSL, DEMO_AP_USER, DEMO_ADVISER)) if user is not None]
    if found:
        return found
    user, created = User.objects.get_or_create(
        email=BOOKINGS_FALLBACK, defaults={"first_name": "Training", "last_name": "Bookings"}
    )
    if created:
        user.set_unusable_password()  # only books demo places; never signs in
        user.save(update_fields=["password"])
    return [user]


def _add_to_navigation(site: Site, hub: LearningHubHomePage) -> None:
    navigation = NavigationSettings.for_site(site)
    for block in navigation.main_navigation:
        page = block.value.get("page") if block.block_type == "link" else None
        if page is not None and page.pk == hub.pk:
            return
    navigation.main_navigation = [
        *((block.block_type, block.value) for block in navigation.main_navigation),
        ("link", {"text": "Learning hub", "page": hub, "url": ""}),
    ]
    navigation.save()


@transaction.atomic
def seed_demo_hub(stdout=None) -> None:
    if LearningHubHomePage.objects.exists():
        if stdout is not None:
            stdout.write("Learning hub: already there, left alone.")
        return
    site = Site.objects.get(is_default_site=True)
    editor = _user(DEMO_EDITOR)

    hub = _publish(
        site.root_page,
        LearningHubHomePage(
            title="Learning hub",
            slug="learning-hub",
            intro="Safeguarding training, resources and good practice for schools, colleges, early years settings "
            "and alternative provision across the county, from the council and the safeguarding children "
            "partnership.",
        ),
        user=editor,
    )
    training = _publish(
        hub,
        TrainingIndexPage(
            title="Training courses",
            slug="training",
            intro="Courses for DSLs, staff, governors and providers, run by the partnership and the council.",
        ),
        user=editor,
    )
    _publish(
        hub,
        TrainingCalendarPage(
            title="Training calendar",
            slug="calendar",
            intro="Every session in the coming months. Book a place, or join the waiting list if it is full.",
        ),
        user=editor,
    )
    resources = _publish(
        hub,
        ResourceIndexPage(
            title="Resources",
            slug="resources",
            intro="Statutory guidance, model policies, templates and recordings. Some are for signed-in members only.",
        ),
        user=editor,
    )
    good_practice = _publish(
        hub,
        GoodPracticeIndexPage(
            title="Good practice",
            slug="good-practice",
            intro="What has worked in settings across the county, shared so that others can learn from it.",
        ),
        user=editor,
    )
    news = _publish(
        hub,
        NewsIndexPage(
            title="News",
            slug="news",
            intro="Updates from the schools safeguarding team, including what we changed because of what you told us.",
        ),
        user=editor,
    )
    ensure_good_practice_workflow(good_practice)

    people = _People()
    bookers = _bookers()
    dsl = _user(DEMO_DSL)
    courses: dict[str, TrainingCoursePage] = {}
    session_count = 0
    for spec in COURSES:
        course = _publish(
            training,
            TrainingCoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                provider=spec.get("provider", TrainingCoursePage.Provider.PARTNERSHIP),
                provider_name=spec.get("provider_name", ""),
                format=spec["format"],
                length=spec["length"],
                cost=spec["cost"],
                learning_outcomes=spec["outcomes"],
                who_should_attend=spec["who"],
            ),
            user=editor,
            themes=spec["themes"],
            audiences=spec["audiences"],
        )
        courses[spec["slug"]] = course
        for number, session_spec in enumerate(spec["sessions"], start=1):
            session = _session(course, number, session_spec)
            _, _, booked, waiting, *_rest = session_spec
            own = []
            if dsl is not None:
                # The demo DSL's own places: one attended in the past (for the evaluation and
                # certificate), one upcoming, and one on a waiting list.
                if spec.get("past") and number == 1:
                    own = [(dsl, Booking.Status.BOOKED, True)]
                elif spec.get("dsl_books") == number - 1:
                    own = [(dsl, Booking.Status.BOOKED, None)]
                elif spec.get("dsl_waits") == number - 1:
                    own = [(dsl, Booking.Status.WAITING, None)]
            _fill(
                session,
                booked=booked,
                waiting=waiting,
                people=people,
                bookers=bookers,
                marker=_user(DEMO_ADVISER),
                extra=own,
            )
            session_count += 1

    documents = 0
    resource_pages = {}
    for slug, title, kind, target, kcsie, review_days, members_only, themes, audiences, summary in RESOURCES:
        page = ResourcePage(
            title=title,
            slug=slug,
            summary=summary,
            kind=kind,
            kcsie_year=kcsie,
            review_on=timezone.localdate() + datetime.timedelta(days=review_days),
        )
        if kind == ResourcePage.Kind.DOCUMENT:
            page.document = _document(slug, title, target, editor)
            documents += 1
        else:
            page.link_url = target
        _publish(resources, page, user=editor, themes=themes, audiences=audiences, days_ago=max(365 - review_days, 5))
        if members_only:
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        resource_pages[slug] = page

    examples = {}
    for (
        slug,
        title,
        kind,
        phase,
        setting_name,
        consent_by,
        days_ago,
        themes,
        audiences,
        summary,
        what,
        why,
        impact,
        contact,
    ) in GOOD_PRACTICE:
        consented_on = timezone.localdate() - datetime.timedelta(days=days_ago + 7)
        page = GoodPracticePage(
            title=title,
            slug=slug,
            summary=summary,
            what_we_did=what,
            why_it_worked=why,
            impact_on_children=impact,
            setting_kind=kind,
            phase=phase,
            setting_name=setting_name,
            named_with_consent=bool(setting_name),
            consent_recorded=f"{consent_by}, {consented_on:%-d %B %Y}" if setting_name else "",
            contact=contact,
            submitted_by=_user(DEMO_ADVISER),
        )
        examples[slug] = _publish(
            good_practice, page, user=editor, themes=themes, audiences=audiences, days_ago=days_ago
        )

    # One example waiting for an editor, sent in by the demo DSL through the front-end form's service.
    if dsl is not None and can_submit_good_practice(dsl):
        good_practice_submit(
            user=dsl,
            draft=GoodPracticeDraft(
                title="A worry box for our youngest children",
                summary="Reception and Year 1 children post drawings in a worry box that a trusted adult checks daily.",
                what_we_did="Each class has a worry box. Children who cannot yet write draw what is worrying them; "
                "their class teacher checks the box at the end of each day and passes anything of concern to the DSL.",
                why_it_worked="Young children who find it hard to say what is wrong have another way to tell us.",
                impact_on_children="Staff have picked up worries about home and friendships sooner, and children "
                "talk about the box as a normal part of the day.",
                setting_kind=GoodPracticePage.SettingKind.SCHOOL,
                phase=GoodPracticePage.Phase.PRIMARY,
                setting_name="Oakfield Primary School",
                named_with_consent=True,
                consent_recorded=f"Headteacher, {timezone.localdate() - datetime.timedelta(days=2):%-d %B %Y}",
                contact="DSL, dsl@oakfield-primary.example.org",
            ),
            themes=Theme.objects.filter(slug__in=["early-help", "dsl-role"]),
        )

    for slug, title, you_said, days_ago, themes, audiences, summary, body in NEWS:
        _publish(
            news,
            NewsPage(
                title=title,
                slug=slug,
                summary=summary,
                date=timezone.localdate() - datetime.timedelta(days=days_ago),
                is_you_said_we_did=you_said,
                body=[("paragraph", body)],
            ),
            user=editor,
            themes=themes,
            audiences=audiences,
            days_ago=days_ago,
        )

    hub.featured = [
        ("page", courses["dsl-refresher"]),
        ("page", courses["online-safety-filtering-monitoring"]),
        ("page", resource_pages["keeping-children-safe-in-education"]),
        ("page", examples["ap-same-day-attendance"]),
    ]
    hub.save_revision(user=editor).publish(user=editor)
    _add_to_navigation(site, hub)

    if stdout is not None:
        stdout.write(
            f"Learning hub: {len(courses)} courses with {session_count} sessions, {len(RESOURCES)} resources "
            f"({documents} documents), {len(GOOD_PRACTICE)} good-practice examples (and one awaiting review), "
            f"{len(NEWS)} news posts."
        )


@hooks.register("portal_seed_demo")
def register_seed(register) -> None:
    register(seed_demo_hub)
