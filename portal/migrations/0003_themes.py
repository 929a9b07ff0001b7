"""Seed the shared theme taxonomy: the practice areas of the 175/157 audit and KCSIE."""

from django.db import migrations

THEMES = [
    ("Leadership and governance", "leadership-and-governance",
     "Safeguarding culture, policies and the governing body's oversight."),
    ("The designated safeguarding lead", "dsl-role",
     "The DSL's appointment, time, training, deputies and arrangements for cover."),
    ("Safer recruitment", "safer-recruitment",
     "Recruitment checks, the single central record and online searches for shortlisted candidates."),
    ("Training", "training", "Induction and regular safeguarding training for staff and governors."),
    ("Managing allegations", "managing-allegations",
     "Allegations and low-level concerns about staff, supply staff and volunteers, and referral to the LADO."),
    ("Online safety, filtering and monitoring", "online-safety",
     "Online safety teaching and the filtering and monitoring standards."),
    ("Child-on-child abuse", "child-on-child-abuse",
     "Including sexual violence and harassment, bullying and harmful sexual behaviour."),
    ("Children missing education", "children-missing-education",
     "Attendance, children absent for long periods and children missing from education."),
    ("Looked-after and previously looked-after children", "looked-after-children",
     "The designated teacher and the virtual school head."),
    ("Curriculum and RSHE", "curriculum-and-rshe",
     "Teaching about safeguarding through relationships, sex and health education."),
    ("Early help", "early-help", "Identifying needs early and working with early help services."),
    ("Records and information sharing", "records",
     "Safeguarding records, their transfer and sharing information lawfully."),
    ("Site security", "site-security", "Visitors, the site and keeping children safe on it."),
    ("Alternative provision", "alternative-provision",
     "Children placed in alternative provision and the checks on providers."),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("portal", "Theme")
    for order, (name, slug, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_roles")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
