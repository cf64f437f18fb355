"""SiteSettings, SiteSettingsChange and StaffAction move from site_admin to core.

State only: the tables stay where they are (db_table keeps their names), so no data moves. The
content types are renamed in place, so permissions granted on them (site_admin.manage_money is now
core.manage_money; groups keep it) and StaffAction.target_type rows that point at them stay valid.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["sitesettings", "sitesettingschange", "staffaction"]


def rename_content_types(apps, schema_editor, *, source="site_admin", target="core"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label=source, model__in=MOVED).update(
        app_label=target
    )


def rename_back(apps, schema_editor):
    rename_content_types(apps, schema_editor, source="core", target="site_admin")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("site_admin", "0005_staffaction"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("signup_bonus_points", models.PositiveIntegerField(default=20)),
                        ("price_cv_analysis", models.PositiveIntegerField(default=10, verbose_name="CV analysis price (points)")),
                        ("price_statement_generate", models.PositiveIntegerField(default=20, verbose_name="Statement draft price (points)")),
                        ("price_statement_enhance", models.PositiveIntegerField(default=10, verbose_name="Statement review price (points)")),
                        ("referral_reward_referrer", models.PositiveSmallIntegerField(default=1, verbose_name="Referrer reward (free AI uses)")),
                        ("referral_reward_referred", models.PositiveSmallIntegerField(default=1, verbose_name="Referred user reward (free AI uses)")),
                        ("referral_monthly_reward_cap", models.PositiveSmallIntegerField(default=10, help_text="0 means no cap.", verbose_name="Rewarded referrals per referrer per month")),
                        ("referral_require_purchase", models.BooleanField(default=False, help_text="Qualify referrals on the first purchase instead of email verification.")),
                        ("booking_full_refund_hours", models.PositiveSmallIntegerField(default=48)),
                        ("booking_partial_refund_hours", models.PositiveSmallIntegerField(default=24)),
                        ("booking_partial_refund_percent", models.PositiveSmallIntegerField(default=50)),
                        ("booking_reschedule_min_hours", models.PositiveSmallIntegerField(default=24)),
                        ("booking_max_reschedules", models.PositiveSmallIntegerField(default=2)),
                        ("booking_hold_minutes", models.PositiveSmallIntegerField(default=15)),
                        ("dispute_window_hours", models.PositiveSmallIntegerField(default=48)),
                        ("platform_default_commission_bps", models.PositiveIntegerField(default=2000, help_text="2000 = 20 %.", verbose_name="Default platform commission (basis points)")),
                        ("support_email", models.EmailField(default="support@talentvisa.local", max_length=254)),
                        ("maintenance_banner", models.CharField(blank=True, help_text="Shown at the top of every page while not empty.", max_length=300)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "site_admin_sitesettings",
                        "verbose_name": "site settings",
                        "verbose_name_plural": "site settings",
                        "permissions": [("manage_money", "Can refund, adjust balances and earnings, and change commission")],
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("pk", 1)), name="site_settings_single_row"),
                            models.CheckConstraint(condition=models.Q(("booking_partial_refund_percent__lte", 100)), name="site_settings_percent_le_100"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SiteSettingsChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("field", models.CharField(max_length=60)),
                        ("old_value", models.CharField(blank=True, max_length=300)),
                        ("new_value", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "site_admin_sitesettingschange", "ordering": ["-created_at", "-id"]},
                ),
                migrations.CreateModel(
                    name="StaffAction",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(db_index=True, max_length=60)),
                        ("target_id", models.CharField(blank=True, max_length=64)),
                        ("target_repr", models.CharField(blank=True, max_length=200)),
                        ("reason", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="staff_actions", to=settings.AUTH_USER_MODEL)),
                        ("target_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="contenttypes.contenttype")),
                    ],
                    options={
                        "db_table": "site_admin_staffaction",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["target_type", "target_id"], name="staffaction_target_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_types, rename_back),
    ]
