from django.contrib import admin

from chapterhouse.progress.models import ReviewSession, Slot


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 1
    fields = ("order", "chapter", "starts_at", "presenter_user", "discussant_user", "chair_user", "presenter", "discussant",
              "chair")


@admin.register(ReviewSession)
class ReviewSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "event_name", "chatham_house", "drafts_due")
    list_filter = ("call", "chatham_house")
    inlines = [SlotInline]
