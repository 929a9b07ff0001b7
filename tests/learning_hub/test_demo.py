"""The hub's demo content: a full tree of realistic, tagged content, sessions whose places add
up, a waiting list, members-only and overdue resources, good practice with and without consent,
one example waiting for an editor, the hub in the main navigation; and a second run adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Revision, Site, WorkflowState

from learning_hub.demo import DEMO_ADVISER, DEMO_AP_USER, DEMO_DSL, DEMO_EDITOR, seed_demo_hub
from learning_hub.models import (
    Booking,
    GoodPracticeIndexPage,
    GoodPracticePage,
    LearningHubHomePage,
    NewsPage,
    ResourcePage,
    TrainingCoursePage,
    TrainingSession,
)
from learning_hub.workflows import WORKFLOW_NAME
from portal.models import NavigationSettings
from portal.roles import Role

pytestmark = pytest.mark.django_db

ITEM_MODELS = (TrainingCoursePage, ResourcePage, GoodPracticePage, NewsPage)


@pytest.fixture
def demo_people(make_user):
    return {
        "editor": make_user(Role.EDITOR, email=DEMO_EDITOR),
        "dsl": make_user(Role.SCHOOL_USER, email=DEMO_DSL, first_name="Sarah", last_name="Jones"),
        "ap": make_user(Role.AP_PROVIDER_USER, email=DEMO_AP_USER),
        "adviser": make_user(Role.ADVISER, email=DEMO_ADVISER),
    }


@pytest.fixture
def seeded(demo_people):
    out = io.StringIO()
    seed_demo_hub(stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "sessions": TrainingSession.objects.count(),
        "bookings": Booking.objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "nav": len(NavigationSettings.for_site(Site.objects.get(is_default_site=True)).main_navigation),
    }


def test_the_tree_sits_under_the_portal_home_page(seeded):
    hub = LearningHubHomePage.objects.get()
    assert hub.slug == "learning-hub" and hub.title == "Learning hub" and hub.live
    assert hub.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    assert hub.intro
    children = {type(page.specific).__name__ for page in hub.get_children().live()}
    assert children == {
        "TrainingIndexPage",
        "TrainingCalendarPage",
        "ResourceIndexPage",
        "GoodPracticeIndexPage",
        "NewsIndexPage",
    }
    featured = [block.value for block in hub.featured]
    assert len(featured) == 4 and all(page.live for page in featured)
    assert "Learning hub:" in seeded


def test_courses_and_their_sessions(seeded):
    courses = TrainingCoursePage.objects.live()
    assert courses.count() >= 10
    assert set(courses.values_list("format", flat=True)) == set(TrainingCoursePage.Format.values)
    now = timezone.now()
    for course in courses.annotate(upcoming=Count("sessions", filter=Q(sessions__starts_at__gte=now))):
        assert 2 <= course.upcoming + course.sessions.filter(starts_at__lt=now).count() <= 3, course.title
        assert course.upcoming >= 1, course.title
        assert course.learning_outcomes and course.who_should_attend and course.length
    dsl_new = courses.get(slug="dsl-new-to-role")
    assert dsl_new.length == "Two full days"
    first = dsl_new.sessions.first()
    assert (first.ends_at - first.starts_at).days == 1
    assert timezone.localtime(first.ends_at).weekday() < 5  # two consecutive weekdays
    # Sessions spread across the coming months, on weekdays.
    upcoming = TrainingSession.objects.filter(starts_at__gte=now)
    months = {(timezone.localtime(s.starts_at).year, timezone.localtime(s.starts_at).month) for s in upcoming}
    assert len(months) >= 3
    assert all(timezone.localtime(s.starts_at).weekday() < 5 for s in TrainingSession.objects.all())


def test_places_taken_match_the_bookings(seeded):
    sessions = TrainingSession.objects.annotate(
        booked=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)),
        waiting=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
    )
    for session in sessions:
        assert session.places_taken == session.booked, session
        assert session.booked <= session.capacity, session
        assert session.booking_closes_on < timezone.localtime(session.starts_at).date()
    full = [s for s in sessions if s.places_taken == s.capacity]
    assert len(full) == 1 and full[0].waiting == 3
    assert all(s.waiting == 0 for s in sessions if s.places_taken < s.capacity)
    nearly_full = [s for s in sessions if 0 < s.capacity - s.places_taken <= 2 and s.starts_at > timezone.now()]
    assert len(nearly_full) >= 3
    # The demo DSL has an attended past place, an upcoming place and a place on a waiting list.
    mine = Booking.objects.filter(attendee_email=DEMO_DSL)
    assert mine.filter(attended=True, session__starts_at__lt=timezone.now()).exists()
    past = Booking.objects.filter(session__starts_at__lt=timezone.now(), status=Booking.Status.BOOKED)
    assert past.exists() and not past.filter(attended=None).exists()
    assert not past.exclude(attendance_marked_by__email=DEMO_ADVISER).exists()
    assert mine.filter(status=Booking.Status.BOOKED, session__starts_at__gt=timezone.now()).exists()
    assert mine.filter(status=Booking.Status.WAITING).exists()
    # Online sessions have joining details and no venue; face-to-face ones a venue.
    for session in TrainingSession.objects.select_related("course"):
        assert session.joining_details
        if session.course.format == TrainingCoursePage.Format.FACE_TO_FACE:
            assert session.venue


def test_resources(seeded):
    resources = ResourcePage.objects.live()
    assert resources.count() == 15
    kinds = set(resources.values_list("kind", flat=True))
    assert kinds == set(ResourcePage.Kind.values)
    for resource in resources.filter(kind=ResourcePage.Kind.DOCUMENT):
        with resource.document.open_file() as handle:
            content = handle.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert resource.document.file_size == len(content)
    links = resources.filter(kind=ResourcePage.Kind.LINK)
    assert all(link.link_url.startswith("https://www.gov.uk/") for link in links)
    urls = set(links.values_list("link_url", flat=True))
    assert "https://www.gov.uk/government/publications/keeping-children-safe-in-education--2" in urls
    assert "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2" in urls
    members_only = resources.not_public()
    assert 3 <= members_only.count() < 15
    assert (
        PageViewRestriction.objects.filter(restriction_type=PageViewRestriction.LOGIN).count() == members_only.count()
    )
    overdue = resources.filter(review_on__lt=timezone.localdate())
    assert overdue.count() >= 2
    assert not overdue.exclude(review_reminder_sent_on=None).exists()


def test_good_practice(seeded):
    published = GoodPracticePage.objects.live()
    assert published.count() == 8
    named = published.filter(named_with_consent=True)
    assert 0 < named.count() < 8
    for example in named:
        assert example.setting_name and example.consent_recorded and example.shown_setting_name
    for example in published.filter(named_with_consent=False):
        assert example.setting_name == "" and example.shown_setting_name == ""
    # Editors approve new examples through the workflow; one is waiting for them.
    index = GoodPracticeIndexPage.objects.get()
    assert index.get_workflow().name == WORKFLOW_NAME
    waiting = GoodPracticePage.objects.get(live=False)
    assert waiting.submitted_by.email == DEMO_DSL
    assert WorkflowState.objects.get(object_id=str(waiting.pk)).status == WorkflowState.STATUS_IN_PROGRESS


def test_news(seeded):
    news = NewsPage.objects.live()
    assert news.count() == 4
    assert news.filter(is_you_said_we_did=True).count() == 2
    assert all(post.date <= timezone.localdate() for post in news)


def test_every_item_is_tagged(seeded):
    for model in ITEM_MODELS:
        for page in model.objects.live():
            assert page.themes.exists(), page
            assert page.audiences.exists(), page
            assert page.summary, page


def test_the_hub_is_added_to_the_main_navigation_once(seeded, demo_people):
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    hub = LearningHubHomePage.objects.get()
    links = [block.value for block in navigation.main_navigation if block.value.get("page")]
    assert [link["text"] for link in links if link["page"].pk == hub.pk] == ["Learning hub"]


def test_a_second_run_adds_nothing(seeded, demo_people):
    before = snapshot()
    out = io.StringIO()
    seed_demo_hub(stdout=out)
    assert snapshot() == before
    assert "already there" in out.getvalue()


def test_it_runs_without_the_demo_accounts():
    seed_demo_hub()
    assert TrainingCoursePage.objects.live().count() >= 10
    # Nobody to send one in, so no example is waiting.
    assert not GoodPracticePage.objects.filter(live=False).exists()
    for session in TrainingSession.objects.all():
        assert session.places_taken == session.bookings.filter(status=Booking.Status.BOOKED).count()


def test_seed_demo_loads_the_hub_with_everything_else(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = snapshot()
    assert LearningHubHomePage.objects.count() == 1
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first
    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    assert "Learning hub" in [block.value["text"] for block in navigation.main_navigation]


def test_the_demo_pages_open(seeded, client, demo_people):
    """Every live hub page opens for a signed-in member; members-only ones send others to sign in."""
    hub = LearningHubHomePage.objects.get()
    restricted = set(ResourcePage.objects.not_public().values_list("pk", flat=True))
    pages = hub.get_descendants(inclusive=True).live().specific()
    for page in pages:
        response = client.get(page.url)
        if page.pk in restricted:
            assert response.status_code == 302, page
        else:
            assert response.status_code == 200, page
    client.force_login(demo_people["dsl"])
    for page in pages:
        assert client.get(page.url).status_code == 200, page
