"""QA managers set the complaint targets, retention period and response template
(ComplaintsSettings, a Wagtail site setting, which needs the model permission)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("complaints")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group = Group.objects.filter(name="QA manager").first()
    if group is not None:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="complaints", codename="change_complaintssettings")
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("portal", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
