# Placeholder reserved so parallel work on this app's models lands as one chain; the operations are
# filled in by the change that owns it.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ('accounts', '0002_site_name'),
    ]

    operations = []
