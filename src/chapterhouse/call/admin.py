from django.contrib import admin

from chapterhouse.call.models import Call, Milestone, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ("position", "name", "slug", "min_chapters", "max_chapters")
    readonly_fields = fields
    can_delete = False


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("date", "precision", "kind", "label")
    readonly_fields = fields
    can_delete = False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Calls change by loading their TOML file (chapterhouse call load), so the admin only shows them."""

    list_display = ("title", "slug", "reference_prefix", "opens_on", "closes_on", "shift_days", "loaded_at")
    readonly_fields = ("slug", "reference_prefix", "title", "source_path", "shift_days", "opens_on", "closes_on", "loaded_at", "source")
    inlines = [ThemeInline, MilestoneInline]

    def has_add_permission(self, request):
        return False
