from django.contrib import admin

from chapterhouse.workflow.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is evidence, so staff may read and search it but never change it."""

    list_display = ("at", "actor_name", "content_type", "object_id", "action", "from_state", "to_state")
    list_filter = ("content_type", "to_state")
    search_fields = ("actor_name", "reason", "action")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
