from django.apps import AppConfig


class LearningHubConfig(AppConfig):
    """Training, resources, good practice and news, published by editors."""

    name = "learning_hub"
    verbose_name = "Learning hub"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the booking log actions, the demo hook, and the review-reminder task and receiver.
        from learning_hub import demo, log_actions, receivers, reviews  # noqa: F401

        # The hub lives under the portal's home page. Portal cannot name the hub (DESIGN.md:
        # apps never import down), so the hub adds itself to the home page's allowed children.
        from portal.models import HomePage

        if "learning_hub.LearningHubHomePage" not in HomePage.subpage_types:
            HomePage.subpage_types = [*HomePage.subpage_types, "learning_hub.LearningHubHomePage"]

        # Sessions show on public course and calendar pages (dates, places left): a change to
        # one purges the anonymous page cache, as publishing a page does. So do audiences (the
        # hub's filters and counts) and page privacy (what a visitor may see or count).
        from wagtail.models import PageViewRestriction

        from learning_hub.models import Audience, TrainingSession
        from portal.page_cache import purge_on_save

        purge_on_save(TrainingSession, Audience, PageViewRestriction)
