"""The starting list of allegation categories. QA managers keep it up to date in the
Wagtail admin (Snippets > Allegation categories) afterwards."""

from django.db import migrations

CATEGORIES = [
    "Physical harm",
    "Sexual harm",
    "Emotional harm",
    "Neglect",
    "Behaviour that may indicate unsuitability to work with children",
    "Online conduct",
    "Other",
]


def add_categories(apps, schema_editor):
    AllegationCategory = apps.get_model("schools", "AllegationCategory")
    for order, name in enumerate(CATEGORIES):
        AllegationCategory.objects.get_or_create(name=name, defaults={"sort_order": order, "active": True})


def remove_categories(apps, schema_editor):
    AllegationCategory = apps.get_model("schools", "AllegationCategory")
    # Only the ones no meeting uses: a category in use is PROTECTed.
    AllegationCategory.objects.filter(name__in=CATEGORIES, meetings__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("schools", "0004_casework")]

    operations = [migrations.RunPython(add_categories, remove_categories)]
