"""A small learning hub built the way editors build it: the tree under the portal's home page,
a course with sessions, public and members-only resources, good practice and news."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from learning_hub.models import (
    Audience,
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
from portal.models import Theme


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def tag(page, *theme_slugs, audiences=("dsls",)):
    page.themes.set(Theme.objects.filter(slug__in=theme_slugs))
    page.audiences.set(Audience.objects.filter(slug__in=audiences))
    page.save_revision().publish()
    return page


def make_session(course, *, days_ahead=30, capacity=10, closes_days_before=2, **fields):
    starts = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0) + datetime.timedelta(days=days_ahead)
    return TrainingSession.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        venue=fields.pop("venue", "County Hall, Committee Room 2"),
        joining_details=fields.pop("joining_details", "Sign in at reception; room 2.14."),
        capacity=capacity,
        booking_closes_on=(starts - datetime.timedelta(days=closes_days_before)).date(),
        **fields,
    )


@pytest.fixture
def hub(db):
    home = Site.objects.get(is_default_site=True).root_page
    hub_home = add(home, LearningHubHomePage(title="Learning hub", slug="learning-hub", intro="Training and resources"))
    training = add(hub_home, TrainingIndexPage(title="Training courses", slug="training"))
    calendar = add(hub_home, TrainingCalendarPage(title="Training calendar", slug="calendar"))
    resources = add(hub_home, ResourceIndexPage(title="Resources", slug="resources"))
    good_practice = add(hub_home, GoodPracticeIndexPage(title="Good practice", slug="good-practice"))
    news = add(hub_home, NewsIndexPage(title="News", slug="news"))

    course = tag(
        add(
            training,
            TrainingCoursePage(
                title="Safer recruitment refresher",
                slug="safer-recruitment-refresher",
                summary="Keep your single central record and recruitment checks right.",
                format=TrainingCoursePage.Format.FACE_TO_FACE,
                length="3 hours",
                learning_outcomes="<p>Know the checks KCSIE requires.</p>",
                who_should_attend="Headteachers, business managers and governors who sit on recruitment panels.",
            ),
        ),
        "safer-recruitment",
        audiences=("dsls", "governors"),
    )
    public_resource = tag(
        add(
            resources,
            ResourcePage(
                title="Online safety filtering checklist",
                slug="filtering-checklist",
                summary="A checklist against the DfE filtering and monitoring standards.",
                kind=ResourcePage.Kind.LINK,
                link_url="https://www.gov.uk/guidance/meeting-digital-and-technology-standards-in-schools-and-colleges",
                kcsie_year="2025",
            ),
        ),
        "online-safety",
    )
    members_resource = add(
        resources,
        ResourcePage(
            title="Model child protection policy",
            slug="model-policy",
            summary="The council's model policy for schools to adapt.",
            kind=ResourcePage.Kind.LINK,
            link_url="https://example.org/model-policy",
            kcsie_year="2025",
        ),
    )
    tag(members_resource, "dsl-role")
    PageViewRestriction.objects.create(page=members_resource, restriction_type=PageViewRestriction.LOGIN)
    example = tag(
        add(
            good_practice,
            GoodPracticePage(
                title="Daily safeguarding huddles",
                slug="daily-huddles",
                summary="A ten-minute morning huddle keeps the DSL team in step.",
                what_we_did="The DSL team meets for ten minutes each morning.",
                why_it_worked="Concerns are shared the same day.",
                impact_on_children="Referrals are made sooner.",
                setting_kind=GoodPracticePage.SettingKind.SCHOOL,
                phase=GoodPracticePage.Phase.PRIMARY,
                setting_name="Oakfield Primary School",
                named_with_consent=True,
                consent_recorded="Headteacher, 3 March 2026",
            ),
        ),
        "dsl-role",
    )
    post = tag(
        add(
            news,
            NewsPage(
                title="You said, we did: shorter audit",
                slug="shorter-audit",
                summary="We removed 12 questions you told us repeated others.",
                date=datetime.date(2026, 10, 1),
                is_you_said_we_did=True,
            ),
        ),
        "leadership-and-governance",
    )
    return SimpleNamespace(
        home=hub_home,
        training=training,
        calendar=calendar,
        resources=resources,
        good_practice=good_practice,
        news=news,
        course=course,
        session=make_session(course, days_ahead=30),
        later_session=make_session(course, days_ahead=60, capacity=2),
        public_resource=public_resource,
        members_resource=members_resource,
        example=example,
        post=post,
    )
