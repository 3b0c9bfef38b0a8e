from django.contrib import admin

from chapterhouse.outbox.models import Job, Message, PeriodicJob, WorkerHeartbeat


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(WorkerHeartbeat)
admin.site.register(PeriodicJob)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("queued_at", "kind", "subject_type", "subject_id", "state", "attempts", "worker_id")
    list_filter = ("state", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
