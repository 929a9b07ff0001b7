"""The hub's public pages run a fixed number of queries however much content there is: each
page is measured with the fixture (plus three items of each type), then again after 15 more of
each item type, 15 more sessions and members-only items, and must not need more."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from learning_hub.models import GoodPracticePage, NewsPage, ResourcePage, TrainingCoursePage
from tests.learning_hub.conftest import add, make_session, tag

pytestmark = pytest.mark.django_db

THEMES = ("online-safety", "records", "early-help")
AUDIENCES = ("dsls", "all-staff", "governors")


def _add_items(hub, start: int, count: int) -> None:
    """`count` items of each type, tagged, each course with a session; every third members-only.
    Every summary says "wellbeing", so one search finds items of every type."""
    for n in range(start, start + count):
        theme, audience = THEMES[n % 3], AUDIENCES[n % 3]
        course = add(
            hub.training,
            TrainingCoursePage(
                title=f"Wellbeing course {n}",
                slug=f"wellbeing-course-{n}",
                summary="Staff wellbeing and safeguarding.",
                format=TrainingCoursePage.Format.LIVE_ONLINE if n % 2 else TrainingCoursePage.Format.E_LEARNING,
                length="1 hour",
                learning_outcomes="<p>x</p>",
                who_should_attend="Everyone",
                cost="" if n % 2 else "£20",
            ),
        )
        make_session(course, days_ahead=5 + n, capacity=5)
        resource = add(
            hub.resources,
            ResourcePage(
                title=f"Wellbeing resource {n}",
                slug=f"wellbeing-resource-{n}",
                summary="A wellbeing resource.",
                kind=ResourcePage.Kind.LINK,
                link_url="https://example.org/",
            ),
        )
        example = add(
            hub.good_practice,
            GoodPracticePage(
                title=f"Wellbeing example {n}",
                slug=f"wellbeing-example-{n}",
                summary="A wellbeing example.",
                what_we_did="x",
                why_it_worked="x",
                impact_on_children="x",
                setting_kind=GoodPracticePage.SettingKind.SCHOOL,
                phase=GoodPracticePage.Phase.PRIMARY,
            ),
        )
        post = add(
            hub.news,
            NewsPage(
                title=f"Wellbeing news {n}",
                slug=f"wellbeing-news-{n}",
                summary="Wellbeing news.",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                is_you_said_we_did=bool(n % 2),
            ),
        )
        for page in (course, resource, example, post):
            tag(page, theme, audiences=(audience,))
        if n % 3 == 0:
            PageViewRestriction.objects.create(page=resource, restriction_type=PageViewRestriction.LOGIN)
        # More dates for the fixture's course, too.
        make_session(hub.course, days_ahead=70 + n, capacity=3)


def _urls(hub) -> dict[str, str]:
    search = hub.home.url + "search/"
    return {
        "hub home": hub.home.url,
        "courses": hub.training.url,
        "courses filtered": hub.training.url + "?format=e_learning&theme=online-safety",
        "resources": hub.resources.url,
        "resources filtered": hub.resources.url + "?kind=link&theme=records",
        "good practice": hub.good_practice.url,
        "news": hub.news.url,
        "news page 2": hub.news.url + "?page=2",
        "course": hub.course.url,
        "calendar": hub.calendar.url,
        "calendar filtered": hub.calendar.url + "?audience=all-staff&format=live_online",
        "search": search + "?q=wellbeing",
        "search filtered": search + "?q=wellbeing&type=resource&theme=online-safety&audience=dsls",
        "search by theme": search + "?theme=online-safety",
        "search empty": search,
        "search no results": search + "?q=xylophone",
    }


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_hub_pages_run_a_fixed_number_of_queries(client, hub, school_user, django_assert_max_num_queries, signed_in):
    if signed_in:
        client.force_login(school_user)
    # Small: three of each type, so every filter below matches something (an empty page of
    # results skips a query, which is not the growth this test looks for).
    _add_items(hub, 0, 3)
    hub.home.featured = [("page", hub.course), ("page", hub.public_resource), ("page", hub.example), ("page", hub.post)]
    hub.home.save_revision().publish()
    urls = _urls(hub)
    for url in urls.values():
        client.get(url)  # fill the caches (site root paths, content types) first
    small = {name: _queries(client, url) for name, url in urls.items()}

    _add_items(hub, 3, 15)
    for name, url in urls.items():
        with django_assert_max_num_queries(small[name], info=name):
            response = client.get(url)
        assert response.status_code == 200, name
