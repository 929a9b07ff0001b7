"""Seed the audiences the framework names: DSLs, all staff, governors, early years, AP providers."""

from django.db import migrations

AUDIENCES = [
    ("Designated safeguarding leads", "dsls"),
    ("All staff", "all-staff"),
    ("Governors and trustees", "governors"),
    ("Early years practitioners", "early-years"),
    ("Alternative provision providers", "ap-providers"),
]


def seed(apps, schema_editor):
    Audience = apps.get_model("learning_hub", "Audience")
    for order, (name, slug) in enumerate(AUDIENCES, start=1):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("learning_hub", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
