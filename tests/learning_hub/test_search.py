"""The hub search: Wagtail search over courses, resources, good practice and news, with type,
theme and audience filters, counts per type, paging, and sensible answers to odd input."""

import pytest
from wagtail.models import PageViewRestriction

from learning_hub.models import NewsPage, ResourcePage
from learning_hub.search import MAX_QUERY_LENGTH, clean_query, hub_search
from portal.models import HomePage, StandardPage
from tests.learning_hub.conftest import add, tag

pytestmark = pytest.mark.django_db

SEARCH = "/learning-hub/search/"


def _search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


def _titles(response) -> list[str]:
    return [item.title for item in response.context["results_page"].object_list]


def _resource(hub, n, **fields):
    fields.setdefault("kind", ResourcePage.Kind.LINK)
    fields.setdefault("summary", "Guidance on attendance and children missing education.")
    return add(hub.resources, ResourcePage(title=f"Attendance guide {n:02d}", slug=f"attendance-{n:02d}", **fields))


# The query text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("safer recruitment", "safer recruitment"),
        ("  safer   recruitment  ", "safer recruitment"),
        ('"safer" (recruitment) AND NOT*', "safer recruitment AND NOT"),
        ("child-on-child abuse", "child on child abuse"),
        ("DSL's role", "DSL's role"),
        ("'; DROP TABLE wagtailcore_page; --", "DROP TABLE wagtailcore_page"),
        ("", ""),
        (None, ""),
        ("!!! ??? ***", ""),
    ],
)
def test_clean_query_keeps_words_only(raw, cleaned):
    assert clean_query(raw) == cleaned


def test_clean_query_caps_length_and_words():
    assert len(clean_query("a" * 5000)) == MAX_QUERY_LENGTH
    assert len(clean_query(" ".join(["word"] * 100)).split()) == 20


# Finding things ------------------------------------------------------------------------------


def test_search_finds_items_of_every_type_by_their_words(client, hub):
    assert _titles(_search(client, q="recruitment")) == [hub.course.title]
    assert _titles(_search(client, q="filtering")) == [hub.public_resource.title]
    assert _titles(_search(client, q="huddle")) == [hub.example.title]
    assert _titles(_search(client, q="questions")) == [hub.post.title]


def test_search_reads_type_specific_fields(client, hub):
    # Good practice: "what the setting did"; courses: "who should attend".
    assert _titles(_search(client, q="morning")) == [hub.example.title]
    assert _titles(_search(client, q="panels")) == [hub.course.title]


def test_every_word_must_match(client, hub):
    assert _titles(_search(client, q="safer recruitment")) == [hub.course.title]
    assert _titles(_search(client, q="recruitment huddle")) == []


def test_results_show_title_summary_type_and_count(client, hub):
    html = _search(client, q="recruitment").content.decode()
    assert "1 result for ‘recruitment’" in html
    assert f'<a class="govuk-link" href="{hub.course.url}">{hub.course.title}</a>' in html
    assert hub.course.summary in html
    assert '<strong class="govuk-tag govuk-tag--grey">Training course</strong>' in html


def test_search_leaves_out_unpublished_pages_and_pages_outside_the_hub(client, hub):
    draft = hub.resources.add_child(
        instance=ResourcePage(title="Recruitment draft", slug="draft", summary="recruitment", kind="link", live=False)
    )
    assert not draft.live
    outside = HomePage.objects.get().add_child(
        instance=StandardPage(title="Recruitment at the council", slug="jobs", intro="recruitment")
    )
    outside.save_revision().publish()
    assert _titles(_search(client, q="recruitment")) == [hub.course.title]


# Filters and counts --------------------------------------------------------------------------


def test_type_filter_and_counts_per_type(client, hub):
    post = add(hub.news, NewsPage(title="Attendance update", slug="attendance", summary="New.", date="2026-09-01"))
    for n in range(2):
        _resource(hub, n)
    response = _search(client, q="attendance")
    assert response.context["search"].counts == {"course": 0, "resource": 2, "good-practice": 0, "news": 1}
    assert response.context["search"].total == 3
    html = response.content.decode()
    assert "3 results for ‘attendance’" in html
    assert '<option value="resource">Resources (2)</option>' in html
    assert '<option value="news">News (1)</option>' in html
    assert '<option value="" selected>All types (3)</option>' in html

    response = _search(client, q="attendance", type="news")
    assert _titles(response) == [post.title]
    # The counts still show what the other types hold, so people can switch.
    assert response.context["search"].counts["resource"] == 2
    assert response.context["search"].total == 1
    assert '<option value="news" selected>News (1)</option>' in response.content.decode()


def test_theme_filter_without_words_lists_the_themes_items_newest_first(client, hub):
    extra = tag(_resource(hub, 1), "safer-recruitment")
    response = _search(client, theme="safer-recruitment")
    assert _titles(response) == [extra.title, hub.course.title]
    assert not response.context["browsing"]
    assert "2 results" in response.content.decode()


def test_theme_and_audience_filters_narrow_a_search(client, hub):
    tagged = tag(_resource(hub, 1), "records", audiences=("governors",))
    _resource(hub, 2)
    assert len(_titles(_search(client, q="attendance"))) == 2
    assert _titles(_search(client, q="attendance", theme="records")) == [tagged.title]
    assert _titles(_search(client, q="attendance", audience="governors")) == [tagged.title]
    assert _titles(_search(client, q="attendance", audience="governors", theme="online-safety")) == []
    assert _titles(_search(client, audience="governors")) == [tagged.title, hub.course.title]


def test_results_are_paged(client, hub):
    for n in range(14):
        _resource(hub, n)
    response = _search(client, q="attendance")
    assert len(_titles(response)) == 12
    assert "14 results" in response.content.decode()
    assert "?q=attendance&amp;page=2" in response.content.decode()
    assert len(_titles(_search(client, q="attendance", page=2))) == 2
    assert len(_titles(_search(client, q="attendance", page="nonsense"))) == 12
    assert len(_titles(_search(client, q="attendance", page=99))) == 2


@pytest.mark.parametrize("params", [{"type": "podcast"}, {"theme": "nope"}, {"audience": "aliens"}])
def test_filter_values_that_are_not_options_are_reported_and_ignored(client, hub, params):
    response = _search(client, q="recruitment", **params)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert _titles(response) == [hub.course.title]


# Empty, no-result and odd searches -----------------------------------------------------------


def test_an_empty_search_offers_ways_in_not_an_error(client, hub):
    response = _search(client)
    assert response.context["browsing"]
    assert "results_page" not in response.context
    html = response.content.decode()
    assert "govuk-error-summary" not in html
    assert "Browse by theme" in html and "Browse by who it is for" in html and "Browse by type" in html
    assert f'href="{SEARCH}?theme=safer-recruitment"' in html
    assert f'href="{SEARCH}?type=course"' in html
    assert _search(client, q="   ").context["browsing"]


def test_type_only_lists_that_type(client, hub):
    response = _search(client, type="good-practice")
    assert not response.context["browsing"]
    assert _titles(response) == [hub.example.title]


def test_a_search_with_no_results_makes_suggestions(client, hub):
    html = _search(client, q="xylophone").content.decode()
    assert "0 results for ‘xylophone’" in html
    assert "checking your spelling" in html
    assert "using fewer or more general words" in html
    assert "Browse by theme" in html and f'href="{SEARCH}?theme=online-safety"' in html


def test_no_results_with_filters_offers_to_search_everything(client, hub):
    html = _search(client, q="recruitment", theme="records").content.decode()
    assert "0 results" in html
    assert f'href="{SEARCH}?q=recruitment">search everything for ‘recruitment’</a>' in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "(",
        "*",
        "recruitment*",
        "AND",
        "OR NOT NEAR",
        "NEAR(recruitment safer)",
        'title:"x"',
        "\\",
        "%_%",
        "<script>alert(1)</script>",
        "\u0000recruitment",
        "😀 recruitment",
        "x" * 10_000,
        "recruitment " * 500,
    ],
)
def test_odd_and_huge_queries_are_answered_not_500s(client, hub, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


def test_the_query_is_cut_to_two_hundred_characters(client, hub):
    response = _search(client, q="recruitment " + "x" * 500)
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert 'maxlength="200"' in response.content.decode()


def test_the_search_box_keeps_what_was_typed(client, hub):
    html = _search(client, q="safer recruitment", type="course").content.decode()
    assert 'value="safer recruitment"' in html
    assert '<option value="course" selected>' in html


# Privacy -------------------------------------------------------------------------------------


def test_members_only_pages_are_found_only_by_signed_in_people(client, hub, school_user):
    assert _titles(_search(client, q="model policy")) == []
    assert _search(client, q="model policy").context["search"].counts["resource"] == 0
    assert hub.members_resource.title not in _titles(_search(client, theme="dsl-role"))
    client.force_login(school_user)
    assert _titles(_search(client, q="model policy")) == [hub.members_resource.title]
    assert hub.members_resource.title in _titles(_search(client, theme="dsl-role"))


def test_pages_under_a_members_only_section_are_hidden_from_visitors(client, hub, school_user):
    PageViewRestriction.objects.create(page=hub.news, restriction_type=PageViewRestriction.LOGIN)
    assert _titles(_search(client, q="questions")) == []
    client.force_login(school_user)
    assert _titles(_search(client, q="questions")) == [hub.post.title]


def test_hub_search_selector_counts_match_the_results(hub):
    from django.contrib.auth.models import AnonymousUser

    search = hub_search(hub=hub.home, user=AnonymousUser(), query="recruitment")
    assert search.counts["course"] == 1 and search.total == 1
    assert [page.pk for page in search.results] == [hub.course.pk]
