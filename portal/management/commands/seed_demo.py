"""Load realistic demo data: an account for each role, the site's own pages, settings
and navigation. Safe to run again: it updates what is there and adds what is missing."""

import os

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail import hooks
from wagtail.models import Site

from portal.models import HomePage, NavigationSettings, SiteSettings, StandardPage, User
from portal.roles import Role

DEFAULT_DEMO_PASSWORD = "Safeguarding-demo-2026"  # noqa: S105  (demo data only; refused in production)

DEMO_USERS = [
    ("qa.manager@council.example.org", "Priya", "Shah", Role.QA_MANAGER),
    ("adviser@council.example.org", "Tom", "Okafor", Role.ADVISER),
    ("commissioning@council.example.org", "Grace", "Mensah", Role.COMMISSIONING_OFFICER),
    ("senior.manager@council.example.org", "David", "Hughes", Role.SENIOR_MANAGER),
    ("editor@council.example.org", "Hannah", "Price", Role.EDITOR),
    ("dsl@oakfield-primary.example.org", "Sarah", "Jones", Role.SCHOOL_USER),
    ("manager@horizons-ap.example.org", "Marcus", "Reid", Role.AP_PROVIDER_USER),
]

HOME_BODY = [
    ("heading", {"text": "Who the portal is for", "size": "h2"}),
    (
        "paragraph",
        "<p>Schools, colleges and alternative provision providers use the portal to complete their annual "
        "safeguarding audit, read feedback and keep their action plans up to date. The council's "
        "Safeguarding and Standards Advisers use it to review returns, support settings and track "
        "every action to completion.</p>",
    ),
    (
        "inset_text",
        {
            "text": "<p>If you are worried that a child is at risk of harm, do not use this portal. "
            "Contact the children's services front door straight away, or call 999 in an emergency.</p>"
        },
    ),
    ("heading", {"text": "Getting an account", "size": "h2"}),
    (
        "paragraph",
        "<p>Accounts are by invitation. Your school's Safeguarding and Standards Adviser will invite the "
        "designated safeguarding lead, the headteacher and the chair of governors.</p>",
    ),
]

PAGES = [
    (
        "about",
        "About the service",
        "How the council quality-assures safeguarding in education settings.",
        [
            (
                "paragraph",
                "<p>Every school in the area completes the annual 175/157 safeguarding audit at the start of the "
                "school year. It checks compliance with Keeping Children Safe in Education. An adviser reviews "
                "each return, feeds back, agrees an action plan with the school and supports it until every "
                "action is complete.</p>",
            ),
            (
                "details",
                {
                    "summary": "What 175/157 means",
                    "text": "<p>Section 175 of the Education Act 2002 applies to maintained schools and "
                    "section 157 to independent schools and academies: both place duties on settings to "
                    "safeguard and promote the welfare of children.</p>",
                },
            ),
        ],
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How accessible this portal is and how to report a problem.",
        [
            (
                "paragraph",
                "<p>We want as many people as possible to be able to use this portal. It is built with the "
                "GOV.UK Frontend and aims to meet the Web Content Accessibility Guidelines version 2.2 AA "
                "standard.</p><p>If you find a problem, email the schools safeguarding team and we will reply "
                "within 5 working days.</p>",
            ),
        ],
    ),
    (
        "privacy",
        "Privacy notice",
        "What we do with the information you give us.",
        [
            (
                "paragraph",
                "<p>The council is the data controller. We use the information in the portal to carry out our "
                "statutory duties to promote and safeguard the welfare of children in education settings.</p>"
                "<p>The portal sets only the cookies it needs to keep you signed in and to protect forms.</p>",
            ),
            (
                "warning_text",
                {"text": "Never enter a child's name in free-text answers unless a question asks for it."},
            ),
        ],
    ),
]


class Command(BaseCommand):
    help = "Load demo accounts, pages and settings. Idempotent; refused with production settings."

    def handle(self, *args, **options) -> None:
        if settings.PORTAL_ENVIRONMENT == "production":
            raise CommandError("seed_demo creates accounts with a known password: it will not run in production.")
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        # Demo records trigger real notifications; keep them out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            users = self._users(password)
            home = self._home_page()
            pages = self._pages(home)
            self._settings(home, pages)
            # Apps below portal add their own demo data through this hook (DESIGN.md: portal
            # never imports them).
            seeders = []
            for hook in hooks.get_hooks("portal_seed_demo"):
                hook(seeders.append)
            for seed in seeders:
                seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /sign-in/ with:"))
        for user, role in users:
            self.stdout.write(f"  {role.label:<22} {user.email:<38} password: {password}")

    def _users(self, password: str) -> list[tuple[User, Role]]:
        result = []
        for email, first, last, role in DEMO_USERS:
            user, _created = User.objects.update_or_create(
                email=email, defaults={"first_name": first, "last_name": last, "is_active": True}
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=role.group_name)])
            result.append((user, role))
        return result

    def _home_page(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("No home page: run `manage.py migrate` first.")
        if home.body:
            return home  # already seeded, or written by an editor: leave it alone
        home.title = "Schools safeguarding portal"
        home.intro = (
            "Safeguarding quality assurance for schools, colleges and alternative provision: the annual "
            "175/157 audit, feedback and action plans, training and good practice, in one place."
        )
        home.body = HOME_BODY
        home.save_revision().publish()
        return home

    def _pages(self, home: HomePage) -> dict[str, StandardPage]:
        pages = {}
        for slug, title, intro, body in PAGES:
            page = StandardPage.objects.child_of(home).filter(slug=slug).first()
            if page is None:
                page = StandardPage(slug=slug, title=title, intro=intro, body=body)
                home.add_child(instance=page)
                page.save_revision().publish()
            pages[slug] = page
        return pages

    def _settings(self, home: HomePage, pages: dict[str, StandardPage]) -> None:
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Schools safeguarding portal"
        site.save(update_fields=["site_name"])

        site_settings = SiteSettings.for_site(site)
        site_settings.organisation_name = "Example County Council"
        site_settings.service_name = "Schools safeguarding portal"
        site_settings.contact_email = "safeguarding.schools@example.org"
        site_settings.save()

        navigation = NavigationSettings.for_site(site)
        if navigation.main_navigation or navigation.footer_links:
            return  # editors own the navigation once it exists
        navigation.main_navigation = [
            ("link", {"text": "About the service", "page": pages["about"], "url": ""}),
        ]
        navigation.footer_links = [
            ("link", {"text": "Accessibility statement", "page": pages["accessibility"], "url": ""}),
            ("link", {"text": "Privacy notice", "page": pages["privacy"], "url": ""}),
            ("link", {"text": "About the service", "page": pages["about"], "url": ""}),
        ]
        navigation.save()
