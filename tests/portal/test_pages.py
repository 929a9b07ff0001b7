"""The public site: home and standard pages, settings, navigation, error pages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from wagtail.models import Site

from portal.blocks import LinkBlock
from portal.models import HomePage, NavigationSettings, SiteSettings, StandardPage
from portal.views import server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def about(home):
    page = StandardPage(
        title="About the service",
        slug="about",
        intro="How we work.",
        body=[
            ("heading", {"text": "Our promise", "size": "h2"}),
            ("paragraph", "<p>We review every return.</p>"),
            ("warning_text", {"text": "Do not enter children's names."}),
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_home_page_has_the_govuk_layout(client, home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'class="govuk-skip-link"' in html and 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "govuk-service-navigation" in html
    assert "govuk-phase-banner" in html
    assert "govuk-footer" in html
    assert "govuk-frontend-brand.min.css" in html
    assert f'<h1 class="govuk-heading-xl">{home.title}</h1>' in html
    assert "Sign in" in html
    # Not a service.gov.uk service: no crown, no GOV.UK logo.
    assert "govuk-logo" not in html and "GOV.UK" not in html


def test_site_settings_change_what_every_page_says(client, home):
    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.organisation_name = "Wessex Council"
    site_settings.service_name = "Safeguarding in education"
    site_settings.phase_tag = "Alpha"
    site_settings.save()
    html = client.get("/").content.decode()
    assert "Wessex Council" in html
    assert "Safeguarding in education" in html
    assert ">Alpha<" in html


def test_phase_banner_hidden_when_no_phase(client, home):
    site_settings = SiteSettings.for_site(Site.objects.get())
    site_settings.phase_tag = ""
    site_settings.save()
    assert "govuk-phase-banner" not in client.get("/").content.decode()


def test_navigation_and_footer_come_from_settings(client, about):
    navigation = NavigationSettings.for_site(Site.objects.get())
    navigation.main_navigation = [("link", {"text": "About us", "page": about, "url": ""})]
    navigation.footer_links = [("link", {"text": "Partnership site", "page": None, "url": "https://example.org/"})]
    navigation.save()
    html = client.get("/").content.decode()
    assert '<a class="govuk-service-navigation__link" href="/about/">About us</a>' in html
    assert 'href="https://example.org/">Partnership site</a>' in html
    # The current page is marked for assistive technology.
    assert 'href="/about/" aria-current="page">About us' in client.get("/about/").content.decode()


def test_standard_page_renders_blocks_and_breadcrumbs(client, about):
    child = StandardPage(title="Audit guidance", slug="guidance", intro="")
    about.add_child(instance=child)
    child.save_revision().publish()
    html = client.get("/about/").content.decode()
    assert '<h2 class="govuk-heading-l">Our promise</h2>' in html
    assert "We review every return." in html
    assert "govuk-warning-text" in html
    assert "In this section" in html and "Audit guidance" in html
    html = client.get("/about/guidance/").content.decode()
    assert 'class="govuk-breadcrumbs"' in html
    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html


def test_page_tree_rules():
    assert HomePage.parent_page_types == ["wagtailcore.Page"]
    assert StandardPage.can_exist_under(HomePage.objects.get())
    assert not HomePage.can_create_at(HomePage.objects.get())  # only one home


def test_link_block_needs_exactly_one_target(home):
    block = LinkBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "Nowhere", "page": None, "url": ""}))
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "Both", "page": home.pk, "url": "https://example.org"}))
    assert block.clean(block.to_python({"text": "Home", "page": home.pk, "url": ""}))["page"].pk == home.pk


def test_404_page_in_house_style(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-footer" in html


def test_500_page_renders_without_the_database_or_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-template" in html


def test_csrf_failure_page_in_house_style(home):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/sign-in/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_home_page_queries_do_not_grow_with_navigation_or_pages(client, home, django_assert_max_num_queries):
    client.get("/")  # create the settings rows
    with django_assert_max_num_queries(12) as small:
        client.get("/")
    small_count = len(small.captured_queries)  # read now: Django's query log is a bounded deque
    pages = []
    for n in range(15):
        page = StandardPage(title=f"Page {n}", slug=f"page-{n}")
        home.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    navigation = NavigationSettings.for_site(Site.objects.get())
    navigation.main_navigation = [("link", {"text": p.title, "page": p, "url": ""}) for p in pages[:6]]
    navigation.footer_links = [("link", {"text": p.title, "page": p, "url": ""}) for p in pages[6:]]
    navigation.save()
    client.get("/")  # warm Wagtail's site root paths again after the new pages
    with django_assert_max_num_queries(small_count + 2):
        html = client.get("/").content.decode()
    assert "Page 14" in html
