# Calendar feeds (issue 20): the expert's secret feed of their bookings, and the secret iCal address of
# their own calendar whose busy times block slots (with the last sync's result).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('expert_marketplace', '0002_seed_reference_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_feed_token',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_busy',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_checked_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_error',
            field=models.CharField(blank=True, default='', max_length=300),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_status',
            field=models.CharField(
                blank=True,
                choices=[('', 'Not synced yet'), ('ok', 'Synced'), ('error', 'Failed')],
                default='',
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_synced_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='expertprofile',
            name='calendar_import_url',
            field=models.CharField(blank=True, default='', max_length=2000),
        ),
        migrations.AddConstraint(
            model_name='expertprofile',
            constraint=models.UniqueConstraint(
                condition=models.Q(('calendar_feed_token', ''), _negated=True),
                fields=('calendar_feed_token',),
                name='expert_calendar_feed_token_unique',
            ),
        ),
    ]
