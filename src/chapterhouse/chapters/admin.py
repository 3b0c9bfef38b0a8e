from django.contrib import admin

from chapterhouse.chapters.models import (Chapter, ChapterAuthor, DeadlineExtension, FeedbackRound, FundingAward,
                                          ManuscriptVersion, OfficialAccess, PermissionRecord, ReminderSent)


class AuthorInline(admin.StackedInline):
    model = ChapterAuthor
    extra = 0
    autocomplete_fields = ("user",)


class VersionInline(admin.TabularInline):
    """Versions are evidence of what was sent: shown, never edited or deleted here."""

    model = ManuscriptVersion
    extra = 0
    fields = ("number", "original_name", "sha256", "words", "passed", "is_final", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    readonly_fields = ("kind", "due_on", "reason", "granted_by", "granted_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    """Status is read-only here too: it changes only through the workflow, which writes the audit log."""

    list_display = ("title", "theme", "order", "status", "created_at")
    list_filter = ("call", "theme", "status")
    search_fields = ("title", "abstract", "authors__name", "authors__email")
    readonly_fields = ("call", "proposal", "status", "status_changed_at", "created_at")
    inlines = [AuthorInline, VersionInline, ExtensionInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: shown for support, changed only through the chapter pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeedbackRound)
class FeedbackRoundAdmin(ReadOnlyAdmin):
    list_display = ("chapter", "number", "decision", "written_at", "responded_at")


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ("chapter", "deadline", "due_on", "offset_days", "sent_on", "recipients")
    list_filter = ("deadline", "sent_on")


@admin.register(PermissionRecord, FundingAward, OfficialAccess)
class RecordAdmin(admin.ModelAdmin):
    list_display = ("__str__", "chapter", "status", "updated_at")
    list_filter = ("status",)
