# Placeholder reserved so parallel work on this app's models lands as one chain; the operations are
# filled in by the change that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('core', '0004_late_cancel_share_and_settings_validation'),
    ]

    operations = []
