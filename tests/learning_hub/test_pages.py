"""The hub's public pages: the hub home, the index pages, the calendar and each item page."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from learning_hub.listing import month_choices
from learning_hub.models import GoodPracticePage, NewsPage, ResourcePage, TrainingCoursePage
from portal.roles import Role
from tests.learning_hub.conftest import add, make_session, tag

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _resource(parent, n, **fields):
    fields.setdefault("kind", ResourcePage.Kind.LINK)
    fields.setdefault("link_url", "https://example.org/")
    return add(
        parent, ResourcePage(title=f"Resource {n:02d}", slug=f"resource-{n:02d}", summary="A resource.", **fields)
    )


def _course(parent, n, **fields):
    fields.setdefault("format", TrainingCoursePage.Format.LIVE_ONLINE)
    return add(
        parent,
        TrainingCoursePage(
            title=f"Course {n:02d}",
            slug=f"course-{n:02d}",
            summary="A course.",
            length="2 hours",
            learning_outcomes="<p>Outcomes.</p>",
            who_should_attend="DSLs.",
            **fields,
        ),
    )


def _example(parent, n, **fields):
    fields.setdefault("phase", GoodPracticePage.Phase.SECONDARY)
    return add(
        parent,
        GoodPracticePage(
            title=f"Example {n:02d}",
            slug=f"example-{n:02d}",
            summary="An example.",
            what_we_did="Did.",
            why_it_worked="Worked.",
            impact_on_children="Impact.",
            setting_kind=GoodPracticePage.SettingKind.SCHOOL,
            **fields,
        ),
    )


def _post(parent, n, **fields):
    fields.setdefault("date", datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    return add(parent, NewsPage(title=f"Post {n:02d}", slug=f"post-{n:02d}", summary="A post.", **fields))


# The hub home --------------------------------------------------------------------------------


def test_hub_home_shows_intro_search_box_and_sections(client, hub):
    html = _html(client.get(hub.home.url))
    assert "Training and resources" in html
    assert 'action="/learning-hub/search/"' in html and 'name="q"' in html
    assert '<label class="govuk-label govuk-label--s" for="hub-search-q">' in html
    for section in (hub.training, hub.calendar, hub.resources, hub.good_practice, hub.news):
        assert f'href="{section.url}"' in html


def test_hub_home_upcoming_training_lists_only_bookable_sessions(client, hub):
    full = make_session(hub.course, days_ahead=10, capacity=3)
    full.places_taken = 3
    full.save()
    make_session(hub.course, days_ahead=11, is_cancelled=True)
    closed = make_session(hub.course, days_ahead=1, closes_days_before=3)
    response = client.get(hub.home.url)
    upcoming = response.context["upcoming"]
    assert upcoming == [hub.session, hub.later_session]
    assert full not in upcoming and closed not in upcoming
    html = _html(response)
    assert "Upcoming training" in html and hub.course.title in html
    assert f'href="{hub.calendar.url}"' in html


def test_hub_home_with_no_sessions_says_so(client, hub):
    hub.session.delete()
    hub.later_session.delete()
    html = _html(client.get(hub.home.url))
    assert "There are no sessions with places at the moment" in html


def test_hub_home_shows_the_newest_three_good_practice_and_news(client, hub):
    examples = [_example(hub.good_practice, n) for n in range(4)]
    posts = [_post(hub.news, n) for n in range(4)]
    response = client.get(hub.home.url)
    assert response.context["good_practice"] == examples[:-4:-1]
    # News by its own date, newest first: the fixture's post (October 2026) leads.
    assert response.context["news"] == [hub.post, posts[3], posts[2]]
    html = _html(response)
    assert "Example 03" in html and "Example 00" not in html
    assert "You said, we did" in html


def test_hub_home_browse_links_go_to_the_search_with_counts(client, hub, school_user):
    html = _html(client.get(hub.home.url))
    assert 'href="/learning-hub/search/?theme=safer-recruitment"' in html
    assert 'href="/learning-hub/search/?audience=governors"' in html
    themes = {theme.slug: count for theme, count in client.get(hub.home.url).context["browse_themes"]}
    # Visitors: the members-only resource (dsl-role, for DSLs) is not counted.
    assert themes == {"safer-recruitment": 1, "online-safety": 1, "dsl-role": 1, "leadership-and-governance": 1}
    audiences = {a.slug: count for a, count in client.get(hub.home.url).context["browse_audiences"]}
    assert audiences == {"dsls": 4, "governors": 1}
    client.force_login(school_user)
    themes = {theme.slug: count for theme, count in client.get(hub.home.url).context["browse_themes"]}
    assert themes["dsl-role"] == 2  # the good-practice example and the members-only resource


def test_hub_home_featured_items_keep_the_editors_order_and_hide_what_visitors_cannot_see(client, hub, school_user):
    draft = hub.resources.add_child(
        instance=ResourcePage(title="Draft", slug="draft", summary="Not yet.", kind="link", live=False)
    )
    hub.home.featured = [
        ("page", hub.example),
        ("page", hub.members_resource),
        ("page", draft),
        ("page", hub.course),
    ]
    hub.home.save_revision().publish()
    response = client.get(hub.home.url)
    assert [item.pk for item in response.context["featured_items"]] == [hub.example.pk, hub.course.pk]
    html = _html(response)
    assert "Featured" in html and '<strong class="govuk-tag govuk-tag--grey">Training course</strong>' in html
    client.force_login(school_user)
    featured = client.get(hub.home.url).context["featured_items"]
    assert [item.pk for item in featured] == [hub.example.pk, hub.members_resource.pk, hub.course.pk]


# Index pages ---------------------------------------------------------------------------------


def test_resource_index_counts_and_pages_twelve_at_a_time(client, hub):
    for n in range(13):
        _resource(hub.resources, n)
    response = client.get(hub.resources.url)
    html = _html(response)
    # 13 new + the public fixture resource; the members-only one is not counted for visitors.
    assert "14 resources" in html
    assert len(response.context["items"]) == 12
    assert 'class="govuk-pagination"' in html and "?page=2" in html
    second = client.get(hub.resources.url + "?page=2")
    assert len(second.context["items"]) == 2


@pytest.mark.parametrize("page_number", ["abc", "-1", "0", "99", "1.5", "9" * 30])
def test_index_page_numbers_that_do_not_exist_still_show_a_page(client, hub, page_number):
    for n in range(13):
        _resource(hub.resources, n)
    response = client.get(hub.resources.url, {"page": page_number})
    assert response.status_code == 200
    assert response.context["items_page"].number in {1, 2}


def test_index_pages_list_only_live_children(client, hub):
    draft = hub.resources.add_child(
        instance=ResourcePage(title="Unpublished resource", slug="unpublished", summary="x", kind="link", live=False)
    )
    assert not draft.live
    html = _html(client.get(hub.resources.url))
    assert "Unpublished resource" not in html
    assert hub.public_resource.title in html


def test_resource_index_filters_by_kind_and_theme(client, hub):
    video = tag(_resource(hub.resources, 1, kind=ResourcePage.Kind.VIDEO), "online-safety")
    other = tag(_resource(hub.resources, 2, kind=ResourcePage.Kind.VIDEO), "records")
    response = client.get(hub.resources.url, {"kind": "video"})
    assert set(response.context["items"]) == {video, other}
    assert "2 resources" in _html(response) and "matching your filters" in _html(response)
    response = client.get(hub.resources.url, {"kind": "video", "theme": "online-safety"})
    assert list(response.context["items"]) == [video]
    response = client.get(hub.resources.url, {"theme": "online-safety"})
    assert set(response.context["items"]) == {video, hub.public_resource}


def test_index_filter_with_no_matches_has_an_empty_state(client, hub):
    html = _html(client.get(hub.resources.url, {"kind": "document"}))
    assert "0 resources" in html
    assert "No resources match your filters" in html
    assert f'<a class="govuk-link" href="{hub.resources.url}">see all resources</a>' in html


def test_index_filter_values_that_are_not_options_are_reported_not_a_500(client, hub):
    response = client.get(hub.resources.url, {"kind": "spreadsheet", "theme": "no-such-theme"})
    html = _html(response)
    assert "govuk-error-summary" in html
    assert "Select a type from the list" in html and "Select a theme from the list" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: " in html
    # The bad filters are ignored: the listing is still there.
    assert hub.public_resource.title in html


def test_empty_index_says_so(client, hub):
    html = _html(client.get(hub.good_practice.url + "?page=1"))
    assert "1 example" in html
    hub.example.unpublish()
    html = _html(client.get(hub.good_practice.url))
    assert "0 examples" in html and "There are no examples here yet" in html


def test_course_index_filters_by_format_and_theme(client, hub):
    online = tag(_course(hub.training, 1), "online-safety")
    response = client.get(hub.training.url, {"format": "live_online"})
    assert list(response.context["items"]) == [online]
    response = client.get(hub.training.url, {"format": "face_to_face", "theme": "safer-recruitment"})
    assert list(response.context["items"]) == [hub.course]
    html = _html(client.get(hub.training.url))
    assert "2 courses" in html and "Format: Live online" in html and "Cost: Free" in html


def test_good_practice_index_filters_by_phase(client, hub):
    secondary = _example(hub.good_practice, 1)
    response = client.get(hub.good_practice.url, {"phase": "secondary"})
    assert list(response.context["items"]) == [secondary]


def test_news_index_shows_the_you_said_we_did_tag_and_filters_by_it(client, hub):
    plain = _post(hub.news, 1)
    html = _html(client.get(hub.news.url))
    assert "2 news posts" in html
    assert html.count('<strong class="govuk-tag govuk-tag--turquoise">You said, we did</strong>') == 1
    assert list(client.get(hub.news.url).context["items"]) == [hub.post, plain]
    response = client.get(hub.news.url, {"you_said_we_did": "on"})
    assert list(response.context["items"]) == [hub.post]


# The course page -----------------------------------------------------------------------------


def test_course_page_shows_the_course(client, hub):
    html = _html(client.get(hub.course.url))
    for text in (
        "Safer recruitment refresher",
        "Keep your single central record",
        "The safeguarding children partnership",
        "Face to face",
        "3 hours",
        "Know the checks KCSIE requires.",
        "Headteachers, business managers and governors",
        "Safer recruitment",
        "Governors and trustees",
    ):
        assert text in html, text
    assert '<dd class="govuk-summary-list__value">Free</dd>' in html


def test_course_page_shows_cost_and_another_providers_name(client, hub):
    hub.course.cost = "£45 per person"
    hub.course.provider = TrainingCoursePage.Provider.OTHER
    hub.course.provider_name = "Wessex Training Ltd"
    hub.course.save_revision().publish()
    html = _html(client.get(hub.course.url))
    assert "£45 per person" in html and ">Free<" not in html
    assert "Wessex Training Ltd" in html


def test_course_page_passes_upcoming_uncancelled_sessions_in_order(client, hub):
    cancelled = make_session(hub.course, days_ahead=5, is_cancelled=True)
    past = make_session(hub.course, days_ahead=-5)
    soon = make_session(hub.course, days_ahead=3)
    response = client.get(hub.course.url)
    sessions = response.context["sessions"]
    assert isinstance(sessions, list)
    assert sessions == [soon, hub.session, hub.later_session]
    assert cancelled not in sessions and past not in sessions


# The training calendar -----------------------------------------------------------------------


def test_calendar_lists_upcoming_sessions_grouped_by_month_with_places(client, hub):
    hub.later_session.places_taken = 2
    hub.later_session.save()
    make_session(hub.course, days_ahead=20, is_cancelled=True, venue="Cancelled venue")
    make_session(hub.course, days_ahead=-2, venue="Past venue")
    response = client.get(hub.calendar.url)
    assert list(response.context["sessions"]) == [hub.session, hub.later_session]
    html = _html(response)
    assert "2 sessions" in html
    assert "10 places left" in html
    assert "Full – waiting list" in html
    assert f'href="{hub.course.url}"' in html
    assert "Cancelled venue" not in html and "Past venue" not in html
    for session in (hub.session, hub.later_session):
        month = timezone.localtime(session.starts_at).strftime("%B %Y")
        assert f'<h3 class="govuk-heading-m">{month}</h3>' in html
        assert f"Training sessions in {month}</caption>" in html


def test_calendar_month_options_are_the_next_twelve_months():
    choices = month_choices(today=datetime.date(2026, 11, 26))
    assert len(choices) == 12
    assert choices[0] == ("2026-11", "November 2026")
    assert choices[1] == ("2026-12", "December 2026")
    assert choices[2] == ("2027-01", "January 2027")
    assert choices[-1] == ("2027-10", "October 2027")


def test_calendar_filters_by_month_theme_audience_and_format(client, hub):
    other = tag(_course(hub.training, 1), "online-safety", audiences=("all-staff",))
    other_session = make_session(other, days_ahead=30)
    month = timezone.localtime(hub.later_session.starts_at).strftime("%Y-%m")
    assert list(client.get(hub.calendar.url, {"month": month}).context["sessions"]) == [hub.later_session]
    assert list(client.get(hub.calendar.url, {"theme": "online-safety"}).context["sessions"]) == [other_session]
    assert list(client.get(hub.calendar.url, {"audience": "governors"}).context["sessions"]) == [
        hub.session,
        hub.later_session,
    ]
    assert list(client.get(hub.calendar.url, {"format": "live_online"}).context["sessions"]) == [other_session]
    response = client.get(hub.calendar.url, {"format": "live_online", "audience": "governors"})
    assert list(response.context["sessions"]) == []
    html = _html(response)
    assert "0 sessions" in html and "No sessions match your filters" in html


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2020-01"},
        {"month": "not-a-month"},
        {"month": "9999-99"},
        {"theme": "<script>"},
        {"audience": "aliens"},
        {"format": "carrier-pigeon"},
    ],
)
def test_calendar_bad_filter_values_give_an_error_summary_not_a_500(client, hub, params):
    response = client.get(hub.calendar.url, params)
    html = _html(response)
    assert "govuk-error-summary" in html
    assert "<script>" not in html.split("</header>", 1)[1]
    # The bad filter is ignored.
    assert list(response.context["sessions"]) == [hub.session, hub.later_session]


def test_calendar_pages_twenty_five_sessions_at_a_time(client, hub):
    for day in range(24):
        make_session(hub.course, days_ahead=31 + day)
    response = client.get(hub.calendar.url)
    assert len(response.context["sessions"]) == 25
    assert "26 sessions" in _html(response)
    assert len(client.get(hub.calendar.url, {"page": 2}).context["sessions"]) == 1
    assert client.get(hub.calendar.url, {"page": "x"}).status_code == 200


def test_calendar_with_no_sessions_says_so(client, hub):
    hub.session.delete()
    hub.later_session.delete()
    html = _html(client.get(hub.calendar.url))
    assert "0 sessions" in html and "No training sessions are scheduled" in html


# Item pages ----------------------------------------------------------------------------------


def test_resource_page_links_to_the_resource(client, hub):
    html = _html(client.get(hub.public_resource.url))
    assert f'href="{hub.public_resource.link_url}"' in html
    assert "Reflects KCSIE" in html and "2025" in html
    assert "Online safety, filtering and monitoring" in html
    assert "Review due" not in html


def test_resource_page_links_to_a_wagtail_document(client, hub):
    document = get_document_model().objects.create(
        title="Model policy template", file=ContentFile(b"%PDF-1.4 test", name="model-policy.pdf")
    )
    resource = add(
        hub.resources,
        ResourcePage(title="Policy template", slug="policy-template", summary="x", kind="document", document=document),
    )
    html = _html(client.get(resource.url))
    assert f'href="{document.url}"' in html
    assert "Download Model policy template (PDF)" in html


def test_video_resource_links_to_the_video(client, hub):
    resource = add(
        hub.resources,
        ResourcePage(title="DSL briefing", slug="dsl-video", summary="x", kind="video", link_url="https://v.example/1"),
    )
    html = _html(client.get(resource.url))
    assert 'href="https://v.example/1"' in html and "Watch the video" in html


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.EDITOR, True), (Role.QA_MANAGER, True), (Role.SCHOOL_USER, False), (Role.ADVISER, False), (None, False)],
)
def test_review_due_is_shown_to_editors_only_when_past(client, hub, make_user, role, shown):
    hub.public_resource.review_on = timezone.localdate() - datetime.timedelta(days=1)
    hub.public_resource.save_revision().publish()
    if role:
        client.force_login(make_user(role))
    assert ("Review due" in _html(client.get(hub.public_resource.url))) is shown


def test_review_due_is_not_shown_before_the_date(client, hub, make_user):
    hub.public_resource.review_on = timezone.localdate() + datetime.timedelta(days=1)
    hub.public_resource.save_revision().publish()
    client.force_login(make_user(Role.EDITOR))
    assert "Review due" not in _html(client.get(hub.public_resource.url))


def test_good_practice_page_shows_the_example_and_the_named_setting(client, hub):
    html = _html(client.get(hub.example.url))
    for text in (
        "What the setting did",
        "The DSL team meets for ten minutes each morning.",
        "Concerns are shared the same day.",
        "Referrals are made sooner.",
        "School",
        "Primary",
        "Oakfield Primary School",
    ):
        assert text in html, text


@pytest.mark.parametrize(("consented", "recorded"), [(False, "Headteacher, 3 March 2026"), (True, ""), (False, "")])
def test_good_practice_page_names_the_setting_only_with_recorded_consent(client, hub, consented, recorded):
    hub.example.named_with_consent = consented
    hub.example.consent_recorded = recorded
    hub.example.contact = "dsl@oakfield.example.org"
    hub.example.save_revision().publish()
    html = _html(client.get(hub.example.url))
    assert "Oakfield" not in html
    assert "dsl@oakfield.example.org" in html


def test_news_page_shows_the_date_and_tag(client, hub):
    html = _html(client.get(hub.post.url))
    assert '<time datetime="2026-10-01">1 October 2026</time>' in html
    assert "You said, we did</strong>" in html
    plain = _post(hub.news, 1)
    assert "You said, we did</strong>" not in _html(client.get(plain.url))


@pytest.mark.parametrize(
    "attr", ["home", "training", "calendar", "resources", "good_practice", "news", "course", "example", "post"]
)
def test_every_hub_page_has_one_h1_and_breadcrumbs(client, hub, attr):
    html = _html(client.get(getattr(hub, attr).url))
    assert html.count("<h1") == 1
    assert 'class="govuk-breadcrumbs"' in html
