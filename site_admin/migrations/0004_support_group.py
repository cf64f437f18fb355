from django.db import migrations

SUPPORT_PERMISSIONS = [
    ("site_admin", "inquiry", ["view", "change"]),
    ("site_admin", "inquirymessage", ["view"]),
    ("consultations", "review", ["view", "change"]),
    ("accounts", "user", ["view"]),
    ("bookings", "booking", ["view"]),
    ("expert_marketplace", "expertprofile", ["view"]),
]


def create_support_group(apps, schema_editor):
    # Permissions are created after migrate; make sure they exist before linking them.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Support")
    for app_label, model, actions in SUPPORT_PERMISSIONS:
        for action in actions:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=f"{action}_{model}").first()
            if perm:
                group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("site_admin", "0003_manage_money_permission"),
        ("consultations", "0001_initial"),
        ("bookings", "0002_booking_no_overlap"),
        ("expert_marketplace", "0002_seed_reference_data"),
        ("accounts", "0002_site_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_support_group, migrations.RunPython.noop)]
