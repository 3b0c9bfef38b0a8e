from django.contrib import admin

from chapterhouse.proposals.models import Attachment, Proposal, ProposalAuthor, ScreeningResult


class AuthorInline(admin.StackedInline):
    model = ProposalAuthor
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ("original_name", "kind", "content_type", "size", "sha256", "file")
    can_delete = False


class ScreeningInline(admin.TabularInline):
    model = ScreeningResult
    extra = 0
    readonly_fields = ("kind", "outcome", "summary", "details", "created_at")
    can_delete = False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Status is read-only here too: it changes only through the workflow, which writes the audit log."""

    list_display = ("reference", "title", "theme", "status", "scope_flagged", "submitted_at")
    list_filter = ("call", "theme", "status", "scope_flagged")
    search_fields = ("reference", "title", "abstract", "keywords", "authors__name", "authors__email")
    readonly_fields = ("call", "number", "reference", "status", "status_changed_at", "submitted_at",
                       "attested_unclassified_at", "scope_flagged", "suggested_theme", "abstract_words")
    inlines = [AuthorInline, AttachmentInline, ScreeningInline]
