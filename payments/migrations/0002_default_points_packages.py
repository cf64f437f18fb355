from django.db import migrations

DEFAULT_PACKAGES = [
    # (name, points, price_pence, sort_order)
    ("Starter", 50, 500, 10),
    ("Standard", 120, 1000, 20),
    ("Plus", 300, 2000, 30),
]


def create_default_packages(apps, schema_editor):
    PointsPackage = apps.get_model("payments", "PointsPackage")
    for name, points, price_pence, sort_order in DEFAULT_PACKAGES:
        # Idempotent, and never overwrites a package staff have already edited.
        PointsPackage.objects.get_or_create(
            points=points, price_pence=price_pence, defaults={"name": name, "sort_order": sort_order, "active": True}
        )


def remove_default_packages(apps, schema_editor):
    PointsPackage = apps.get_model("payments", "PointsPackage")
    for _name, points, price_pence, _sort in DEFAULT_PACKAGES:
        PointsPackage.objects.filter(points=points, price_pence=price_pence).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(create_default_packages, remove_default_packages)]
