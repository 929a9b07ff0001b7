"""The anonymous page cache: anonymous visitors get stored pages; publishing purges them;
signed-in people and members-only pages never come from it or go into it."""

import pytest
from django.test import override_settings

from portal.page_cache import CACHE_HEADER, page_cache_purge
from portal.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on(client):
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=300):
        # The very first request creates the site's settings rows, which purges the cache.
        client.get("/")
        yield


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_an_anonymous_visitor_gets_the_stored_page_the_second_time(client, hub, django_assert_num_queries):
    url = hub.home.url
    first = _get(client, url)
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = _get(client, url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    # The security headers are still on a stored page, and the request id is this request's.
    assert "Content-Security-Policy" in second and second["X-Request-ID"] != first["X-Request-ID"]


def test_publishing_a_page_purges_the_cache(client, hub):
    course = hub.course
    url = course.url
    _get(client, url)
    assert _get(client, url)[CACHE_HEADER] == "hit"
    course.title = "Safer recruitment for governors (updated)"
    course.save_revision().publish()
    response = _get(client, url)
    assert response[CACHE_HEADER] == "miss"
    assert "Safer recruitment for governors (updated)" in response.content.decode()
    # Listings that show the page are purged too.
    assert _get(client, hub.home.url)[CACHE_HEADER] == "miss"


def test_unpublishing_a_page_purges_the_cache(client, hub):
    url = hub.course.url
    _get(client, url)
    hub.course.unpublish()
    assert client.get(url).status_code == 404


def test_a_change_to_a_training_session_purges_the_cache(client, hub):
    url = hub.course.url
    _get(client, url)
    session = hub.session
    session.capacity += 5
    session.save()
    assert _get(client, url)[CACHE_HEADER] == "miss"


def test_an_explicit_purge_makes_every_page_stale(client, hub):
    _get(client, hub.home.url)
    page_cache_purge("test")
    assert _get(client, hub.home.url)[CACHE_HEADER] == "miss"


def test_signed_in_people_never_get_or_leave_a_stored_page(client, hub, user_for_role):
    url = hub.home.url
    _get(client, url)  # stored for anonymous visitors
    client.force_login(user_for_role(Role.SCHOOL_USER))
    response = _get(client, url)
    assert CACHE_HEADER not in response
    assert "Sign out" in response.content.decode()
    client.logout()
    # What the signed-in person saw was not stored for anyone.
    anonymous = _get(client, url)
    assert "Sign out" not in anonymous.content.decode()


def test_a_members_only_page_is_never_stored(client, hub, user_for_role):
    url = hub.members_resource.url  # restricted to signed-in people by the fixture
    assert client.get(url).status_code == 302
    client.force_login(user_for_role(Role.SCHOOL_USER))
    member_view = _get(client, url)
    assert CACHE_HEADER not in member_view
    client.logout()
    response = client.get(url)
    assert response.status_code == 302  # still sent to sign in, never the stored member's page


def test_pages_with_a_form_token_and_non_get_requests_are_not_stored(client):
    first = client.get("/sign-in/")
    assert first.status_code == 200
    assert CACHE_HEADER not in first  # it sets the CSRF cookie: the visitor's own page
    assert client.post("/sign-in/", {}).status_code in {200, 403}


def test_the_cache_is_off_when_its_lifetime_is_zero(client, hub):
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        assert CACHE_HEADER not in _get(client, hub.home.url)
        assert CACHE_HEADER not in _get(client, hub.home.url)
