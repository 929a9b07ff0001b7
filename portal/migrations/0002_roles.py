"""Create the portal's roles as groups.

Wagtail's first migrations make two groups of their own, "Moderators" and "Editors".
Our "Editor" role is Wagtail's "Moderators" renamed (it keeps their page, image and
document permissions and may publish); "Editors" is removed so that every group in
the admin is one of our roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = ["Adviser", "Commissioning officer", "QA manager", "Senior manager", "Editor"]
SETTING_USERS = ["School user", "AP provider user"]

# Model permissions beyond admin access, by role: (app_label, codename).
EXTRA_PERMISSIONS = {
    "QA manager": [
        ("portal", "add_theme"),
        ("portal", "change_theme"),
        ("portal", "delete_theme"),
        ("portal", "view_theme"),
        ("portal", "change_sitesettings"),
        ("portal", "change_navigationsettings"),
        ("accounts", "view_user"),
        ("accounts", "change_user"),
    ],
    "Editor": [
        ("portal", "view_theme"),
        ("portal", "change_navigationsettings"),
    ],
}


def _ensure_permissions(apps):
    # Permissions are normally made after migrate; make them now so we can grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps)

    moderators = Group.objects.filter(name="Moderators").first()
    if moderators and not Group.objects.filter(name="Editor").exists():
        moderators.name = "Editor"
        moderators.save()
    Group.objects.filter(name="Editors").delete()

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in STAFF:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for app_label, codename in EXTRA_PERMISSIONS.get(name, []):
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for name in SETTING_USERS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.remove(access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
