"""The audit log: one row for every state change of every workflow object, never edited afterwards."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text too, so the history still says who acted after an account is deleted.
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=255)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'system'}: {self.from_state or '—'} → {self.to_state}"


class Stateful(models.Model):
    """For a workflow object's model: when its state last moved (``transition`` sets it) and the state's label.
    The model declares ``workflow`` and its own ``status`` field."""

    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)
