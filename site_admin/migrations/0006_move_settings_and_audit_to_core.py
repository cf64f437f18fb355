"""SiteSettings, SiteSettingsChange and StaffAction now belong to core (see core 0001): state only,
the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("site_admin", "0005_staffaction"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="SiteSettings"),
                migrations.DeleteModel(name="SiteSettingsChange"),
                migrations.DeleteModel(name="StaffAction"),
            ],
        ),
    ]
