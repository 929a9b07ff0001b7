"""The hub's Wagtail pages. The tree:

    portal.HomePage
      └ LearningHubHomePage (one)
          ├ TrainingIndexPage ─ TrainingCoursePage (sessions are TrainingSession rows)
          ├ TrainingCalendarPage
          ├ ResourceIndexPage ─ ResourcePage
          ├ GoodPracticeIndexPage ─ GoodPracticePage
          └ NewsIndexPage ─ NewsPage

Every item page is tagged with the shared theme taxonomy (portal.Theme) and audiences.
Members-only items use Wagtail's page privacy (a login restriction)."""

from django import forms
from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock
from portal.permissions import user_has_role
from portal.roles import Role


class HubIndexMixin:
    """A listing page: paginated children, with counts and an empty state (templates)."""

    items_per_page = 12

    def get_context(self, request, *args, **kwargs):
        # listing.py imports these models, so it is imported when first needed.
        from learning_hub.listing import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class LearningHubHomePage(RoutablePageMixin, Page):
    """The hub's front page: featured items, upcoming training, newest good practice, browse
    by theme and audience; and the hub search (a route: `search/`)."""

    intro = models.TextField(blank=True)
    featured = StreamField(
        [("page", blocks.PageChooserBlock())],
        blank=True,
        use_json_field=True,
        help_text="Up to six items to feature at the top of the hub.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "learning_hub.TrainingIndexPage",
        "learning_hub.TrainingCalendarPage",
        "learning_hub.ResourceIndexPage",
        "learning_hub.GoodPracticeIndexPage",
        "learning_hub.NewsIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "learning hub home page"

    def get_context(self, request, *args, **kwargs):
        from learning_hub.listing import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context

    @path("search/", name="search")
    def search_view(self, request):
        """The hub search (learning_hub/search.py): words, type, theme and audience."""
        from learning_hub.search import search_context

        # Page.get_context, not ours: the search does not need the front page's listings.
        context = Page.get_context(self, request)
        context.update(search_context(self, request))
        return TemplateResponse(request, "learning_hub/search.html", context)


class HubIndexPage(HubIndexMixin, Page):
    intro = models.TextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["learning_hub.LearningHubHomePage"]

    class Meta:
        abstract = True


class TrainingIndexPage(HubIndexPage):
    subpage_types = ["learning_hub.TrainingCoursePage"]
    max_count = 1

    class Meta:
        verbose_name = "training courses index"


class TrainingCalendarPage(Page):
    """Every upcoming session, filterable by month, theme, audience and format."""

    intro = models.TextField(blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["learning_hub.LearningHubHomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "training calendar"

    def get_context(self, request, *args, **kwargs):
        from learning_hub.listing import calendar_context

        context = super().get_context(request, *args, **kwargs)
        context.update(calendar_context(self, request))
        return context


class ResourceIndexPage(HubIndexPage):
    subpage_types = ["learning_hub.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "resources index"


class GoodPracticeIndexPage(HubIndexPage):
    subpage_types = ["learning_hub.GoodPracticePage"]
    max_count = 1

    class Meta:
        verbose_name = "good practice index"


class NewsIndexPage(HubIndexPage):
    subpage_types = ["learning_hub.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = "news index"


class HubItemPage(Page):
    """What every hub item shares: a summary, themes, audiences and a body."""

    summary = models.TextField(help_text="One or two sentences, shown in listings and search results.")
    themes = ParentalManyToManyField("portal.Theme", blank=True, related_name="+")
    audiences = ParentalManyToManyField("learning_hub.Audience", blank=True, related_name="+")
    body = StreamField(BodyBlock(), blank=True, use_json_field=True)

    tagging_panels = [
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Themes and audiences",
        )
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]
    subpage_types: list[str] = []

    class Meta:
        abstract = True


class TrainingCoursePage(HubItemPage):
    class Provider(models.TextChoices):
        PARTNERSHIP = "partnership", "The safeguarding children partnership"
        COUNCIL = "council", "The council"
        OTHER = "other", "Another provider"

    class Format(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        LIVE_ONLINE = "live_online", "Live online"
        E_LEARNING = "e_learning", "E-learning"

    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.PARTNERSHIP)
    provider_name = models.CharField(max_length=120, blank=True, help_text="For another provider: who runs it.")
    format = models.CharField(max_length=20, choices=Format.choices, db_index=True)
    length = models.CharField(max_length=60, help_text="For example '3 hours' or 'Two half days'.")
    learning_outcomes = RichTextField(features=["bold", "italic", "ul", "ol", "link"])
    who_should_attend = models.TextField()
    cost = models.CharField(max_length=120, blank=True, help_text="Leave blank if free.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldPanel("provider_name"),
                FieldPanel("format"),
                FieldPanel("length"),
                FieldPanel("cost"),
            ],
            heading="About the course",
        ),
        FieldPanel("learning_outcomes"),
        FieldPanel("who_should_attend"),
        *HubItemPage.tagging_panels,
        FieldPanel("body"),
    ]
    search_fields = [
        *HubItemPage.search_fields,
        index.SearchField("learning_outcomes"),
        index.SearchField("who_should_attend"),
        index.FilterField("format"),
    ]
    parent_page_types = ["learning_hub.TrainingIndexPage"]

    class Meta:
        verbose_name = "training course"

    def upcoming_sessions(self) -> list:
        """This course's sessions still to come and not cancelled, soonest first."""
        return list(self.sessions.filter(is_cancelled=False, starts_at__gte=timezone.now()).order_by("starts_at"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Rendered by learning_hub/includes/course_sessions.html (the booking pages own it).
        context["sessions"] = self.upcoming_sessions()
        return context


class ResourcePage(HubItemPage):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        LINK = "link", "Link"
        VIDEO = "video", "Video"

    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    link_url = models.URLField("link or video address", blank=True)
    kcsie_year = models.CharField("KCSIE year it reflects", max_length=9, blank=True, help_text="For example '2025'.")
    review_on = models.DateField(
        "review by", null=True, blank=True, help_text="Editors are reminded when this date passes."
    )
    review_reminder_sent_on = models.DateField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("document"), FieldPanel("link_url")], heading="The resource"),
        MultiFieldPanel([FieldPanel("kcsie_year"), FieldPanel("review_on")], heading="Currency"),
        *HubItemPage.tagging_panels,
        FieldPanel("body"),
    ]
    search_fields = [*HubItemPage.search_fields, index.FilterField("kind")]
    parent_page_types = ["learning_hub.ResourceIndexPage"]

    class Meta:
        verbose_name = "resource"

    def review_is_overdue(self, today=None) -> bool:
        return bool(self.review_on and self.review_on < (today or timezone.localdate()))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        # Editors see that a resource is past its review date; visitors are not told.
        context["show_review_due"] = self.review_is_overdue() and (
            user.is_superuser or user_has_role(user, Role.EDITOR, Role.QA_MANAGER)
        )
        return context


class GoodPracticePage(HubItemPage):
    """A good-practice example, submitted by an adviser or a school and published through the
    moderation workflow. The setting is named only with its recorded consent."""

    class SettingKind(models.TextChoices):
        # The register's kinds, restated here because the hub sits above schools (DESIGN.md).
        SCHOOL = "school", "School"
        SPECIAL_SCHOOL = "special_school", "Special school"
        COLLEGE = "college", "College"
        EARLY_YEARS = "early_years", "Early years setting"
        AP_PROVIDER = "ap_provider", "Alternative provision provider"

    class Phase(models.TextChoices):
        EARLY_YEARS = "early_years", "Early years"
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        POST_16 = "post_16", "16 to 19"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    what_we_did = models.TextField("what the setting did")
    why_it_worked = models.TextField()
    impact_on_children = models.TextField("the impact on children")
    setting_kind = models.CharField(max_length=20, choices=SettingKind.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    setting_name = models.CharField(max_length=200, blank=True, help_text="Shown only with the setting's consent.")
    named_with_consent = models.BooleanField(
        "the setting has consented to being named", default=False, help_text="Record who gave consent below."
    )
    consent_recorded = models.CharField(
        "consent given by, and when", max_length=200, blank=True, help_text="For example 'Headteacher, 3 March 2026'."
    )
    contact = models.CharField(max_length=200, blank=True, help_text="Who to contact to learn more.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("what_we_did"),
        FieldPanel("why_it_worked"),
        FieldPanel("impact_on_children"),
        MultiFieldPanel(
            [
                FieldPanel("setting_kind"),
                FieldPanel("phase"),
                FieldPanel("setting_name"),
                FieldPanel("named_with_consent"),
                FieldPanel("consent_recorded"),
                FieldPanel("contact"),
            ],
            heading="The setting",
        ),
        *HubItemPage.tagging_panels,
        FieldPanel("body"),
    ]
    search_fields = [
        *HubItemPage.search_fields,
        index.SearchField("what_we_did"),
        index.SearchField("why_it_worked"),
        index.SearchField("impact_on_children"),
    ]
    parent_page_types = ["learning_hub.GoodPracticeIndexPage"]

    class Meta:
        verbose_name = "good-practice example"

    @property
    def shown_setting_name(self) -> str:
        return self.setting_name if self.named_with_consent and self.consent_recorded else ""


class NewsPage(HubItemPage):
    """Short updates, including 'you said, we did': what changed because of audit findings."""

    date = models.DateField("published on")
    is_you_said_we_did = models.BooleanField("a 'you said, we did' update", default=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("is_you_said_we_did"),
        *HubItemPage.tagging_panels,
        FieldPanel("body"),
    ]
    parent_page_types = ["learning_hub.NewsIndexPage"]

    class Meta:
        verbose_name = "news post"
        ordering = ["-date"]
