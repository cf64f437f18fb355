# Hard bounces and complaints from the email provider's tracking webhook (accounts.services.email_suppress).
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('accounts', '0002_site_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='undeliverable_email',
            field=models.BooleanField(default=False, help_text='Mail to this address hard-bounced or was reported as spam: nothing is sent to it until the user changes or re-verifies it.'),
        ),
        migrations.CreateModel(
            name='EmailSuppression',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(help_text='Stored lower-case.', max_length=254, unique=True)),
                ('reason', models.CharField(choices=[('bounced', 'Hard bounce'), ('complained', 'Spam complaint')], max_length=16)),
                ('detail', models.CharField(blank=True, help_text='What the provider said.', max_length=500)),
                ('provider_event_id', models.CharField(blank=True, max_length=255)),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
    ]
