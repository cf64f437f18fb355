# Issue 22 (privacy): the document retention period, a staff-editable site setting.
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('core', '0005_idempotency_key'),
    ]

    operations = [
        migrations.AddField(
            model_name="sitesettings",
            name="document_retention_months",
            field=models.PositiveSmallIntegerField(
                default=12,
                help_text="Uploaded documents and their extracted text are deleted after this many months without "
                "activity (2 to 120); the owner is emailed a month before.",
                validators=[
                    django.core.validators.MinValueValidator(2),
                    django.core.validators.MaxValueValidator(120),
                ],
                verbose_name="Document retention (months of inactivity)",
            ),
        ),
    ]
