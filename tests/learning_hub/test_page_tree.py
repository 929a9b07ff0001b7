"""The hub's page tree cannot be built wrong: each page type only under its parent, one hub."""

import pytest
from wagtail.models import Page

from learning_hub.models import (
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
)
from portal.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db

INDEX_MODELS = [TrainingIndexPage, TrainingCalendarPage, ResourceIndexPage, GoodPracticeIndexPage, NewsIndexPage]
ITEM_PARENTS = {
    TrainingCoursePage: TrainingIndexPage,
    ResourcePage: ResourceIndexPage,
    GoodPracticePage: GoodPracticeIndexPage,
    NewsPage: NewsIndexPage,
}


def _tree_pages(hub) -> dict:
    return {
        HomePage: HomePage.objects.get(),
        LearningHubHomePage: hub.home,
        TrainingIndexPage: hub.training,
        TrainingCalendarPage: hub.calendar,
        ResourceIndexPage: hub.resources,
        GoodPracticeIndexPage: hub.good_practice,
        NewsIndexPage: hub.news,
        TrainingCoursePage: hub.course,
        ResourcePage: hub.public_resource,
        GoodPracticePage: hub.example,
        NewsPage: hub.post,
    }


def test_the_hub_can_be_created_under_the_portal_home_page_only():
    home = HomePage.objects.get()
    assert LearningHubHomePage.can_create_at(home)
    assert LearningHubHomePage in HomePage.allowed_subpage_models()
    assert not LearningHubHomePage.can_exist_under(Page.get_first_root_node())
    about = home.add_child(instance=StandardPage(title="About", slug="about"))
    assert not LearningHubHomePage.can_exist_under(about)


def test_there_is_only_one_hub(hub):
    assert not LearningHubHomePage.can_create_at(HomePage.objects.get())


def test_the_hub_allows_exactly_its_sections():
    assert set(LearningHubHomePage.allowed_subpage_models()) == set(INDEX_MODELS)


@pytest.mark.parametrize("index_model", INDEX_MODELS)
def test_each_section_lives_only_under_the_hub_and_once(hub, index_model):
    pages = _tree_pages(hub)
    assert index_model.allowed_parent_page_models() == [LearningHubHomePage]
    # The fixture already made one of each: no second one.
    assert not index_model.can_create_at(hub.home)
    for model, parent in pages.items():
        if model is not LearningHubHomePage:
            assert not index_model.can_exist_under(parent), f"{index_model.__name__} under {model.__name__}"


@pytest.mark.parametrize(("item_model", "parent_model"), list(ITEM_PARENTS.items()))
def test_each_item_type_only_under_its_own_index(hub, item_model, parent_model):
    pages = _tree_pages(hub)
    assert item_model.can_create_at(pages[parent_model])
    for model, parent in pages.items():
        if model is not parent_model:
            assert not item_model.can_create_at(parent), f"{item_model.__name__} under {model.__name__}"
    assert parent_model.allowed_subpage_models() == [item_model]


@pytest.mark.parametrize("leaf_model", [TrainingCalendarPage, *ITEM_PARENTS])
def test_items_and_the_calendar_have_no_children(leaf_model):
    assert leaf_model.allowed_subpage_models() == []


def test_items_can_be_created_again_and_again(hub):
    # Unlike the sections, item types have no maximum.
    assert TrainingCoursePage.can_create_at(hub.training)
    assert ResourcePage.can_create_at(hub.resources)
