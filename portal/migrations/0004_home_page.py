"""Replace Wagtail's placeholder welcome page with the portal's HomePage and point the
default site at it, so a fresh database already serves the portal at /."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    if HomePage.objects.exists():
        return
    # Wagtail's initial data: the placeholder "Welcome to your new Wagtail site!" page.
    Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()

    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Schools safeguarding portal",
        draft_title="Schools safeguarding portal",
        slug="home",
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="Safeguarding quality assurance for schools, colleges and alternative provision.",
    )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site:
        site.root_page_id = home.pk
        site.save(update_fields=["root_page"])
    else:
        Site.objects.create(hostname="localhost", root_page_id=home.pk, is_default_site=True)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_themes"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
