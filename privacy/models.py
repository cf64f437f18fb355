from django.conf import settings
from django.db import models
from django.utils import timezone


class RetentionNotice(models.Model):
    """The e-mail that warned a user their documents will be deleted for inactivity: one per period of
    inactivity (keyed by the activity it counted from), so the beat task sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_notices")
    last_activity_at = models.DateTimeField(help_text="The user's last activity this notice counted from.")
    purge_after = models.DateTimeField(help_text="Documents are deleted after this, unless the user comes back.")
    sent_at = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "last_activity_at"], name="retention_notice_once_per_inactivity")
        ]

    def __str__(self):
        return f"retention notice for {self.user_id} (purge after {self.purge_after:%Y-%m-%d})"
