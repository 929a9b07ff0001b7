"""Members-only hub content (Wagtail page privacy, "signed-in users only"): anonymous visitors
are sent to the portal's sign-in page and never see it listed; signed-in people see it."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from wagtail.models import PageViewRestriction

from learning_hub.models import TrainingCoursePage
from portal.roles import Role
from tests.learning_hub.conftest import add, make_session

pytestmark = pytest.mark.django_db


def _sign_in_url(next_url: str) -> str:
    return f"/sign-in/?next={quote(next_url, safe='')}"


def _goes_to_sign_in(location: str, next_url: str) -> bool:
    parts = urlsplit(location)
    return parts.path == "/sign-in/" and parse_qs(parts.query).get("next") == [next_url]


def test_anonymous_visitors_are_sent_to_the_portals_sign_in_page(client, hub):
    response = client.get(hub.members_resource.url)
    assert response.status_code == 302
    assert _goes_to_sign_in(response["Location"], hub.members_resource.url)


def test_anonymous_visitors_are_sent_to_sign_in_not_shown_the_page(client, hub):
    response = client.get(hub.members_resource.url)
    assert response.status_code == 302
    assert "next=" in response["Location"] and "model-policy" in response["Location"]
    assert hub.members_resource.title not in response.content.decode()


def test_the_sign_in_page_the_visitor_reaches_is_the_portals(client, hub):
    response = client.get(hub.members_resource.url)
    assert response.status_code == 302
    assert _goes_to_sign_in(response["Location"], hub.members_resource.url)
    assert client.get(response["Location"]).status_code == 200


def test_the_sign_in_page_brings_people_back(client, hub, school_user):
    from tests.factories import TEST_PASSWORD

    response = client.post(
        _sign_in_url(hub.members_resource.url), {"username": school_user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == hub.members_resource.url


@pytest.mark.parametrize("role", list(Role))
def test_every_signed_in_role_sees_members_only_resources(client, hub, user_for_role, role):
    client.force_login(user_for_role(role))
    response = client.get(hub.members_resource.url)
    assert response.status_code == 200
    assert hub.members_resource.title in response.content.decode()
    assert hub.members_resource.link_url in response.content.decode()


def test_public_resources_need_no_sign_in(client, hub):
    assert client.get(hub.public_resource.url).status_code == 200


def test_members_only_resources_are_not_listed_for_visitors(client, hub, school_user):
    html = client.get(hub.resources.url).content.decode()
    assert hub.members_resource.title not in html and "1 resource" in html
    client.force_login(school_user)
    html = client.get(hub.resources.url).content.decode()
    assert hub.members_resource.title in html and "2 resources" in html


def test_members_only_filters_and_counts_leave_nothing_behind(client, hub):
    html = client.get(hub.resources.url, {"theme": "dsl-role"}).content.decode()
    assert "0 resources" in html and hub.members_resource.title not in html


@pytest.fixture
def members_course(hub):
    course = add(
        hub.training,
        TrainingCoursePage(
            title="Case review briefing for leaders",
            slug="case-review-briefing",
            summary="For DSLs only.",
            format=TrainingCoursePage.Format.LIVE_ONLINE,
            length="1 hour",
            learning_outcomes="<p>x</p>",
            who_should_attend="DSLs",
        ),
    )
    PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    make_session(course, days_ahead=15, venue="Members venue")
    return course


def test_members_only_courses_and_their_sessions_are_hidden_from_visitors(client, hub, members_course, school_user):
    for url in (hub.training.url, hub.calendar.url, hub.home.url, "/learning-hub/search/?q=briefing"):
        assert members_course.title not in client.get(url).content.decode(), url
    assert client.get(members_course.url).status_code == 302
    client.force_login(school_user)
    for url in (hub.training.url, hub.calendar.url, hub.home.url, "/learning-hub/search/?q=briefing"):
        assert members_course.title in client.get(url).content.decode(), url
    assert client.get(members_course.url).status_code == 200


def test_a_members_only_section_hides_everything_under_it(client, hub, school_user):
    PageViewRestriction.objects.create(page=hub.good_practice, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(hub.example.url).status_code == 302
    assert hub.example.title not in client.get(hub.home.url).content.decode()
    client.force_login(school_user)
    assert client.get(hub.example.url).status_code == 200
    assert hub.example.title in client.get(hub.home.url).content.decode()
