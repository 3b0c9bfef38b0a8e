from django.urls import path

from chapterhouse.chapters.views import calendar, chapter, coauthors, editor, public

urlpatterns = [
    path("", chapter.my_chapters, name="my_chapters"),
    path("board/", editor.board, name="chapter_board"),
    path("check/<slug:slug>/", public.check_chapter, name="check_chapter"),
    path("calendar/", calendar.my_calendar, name="my_calendar"),
    path("calendar/new-address/", calendar.regenerate_calendar, name="my_calendar_regenerate"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", chapter.chapter, name="chapter"),
    path("<int:pk>/upload/", chapter.upload, name="chapter_upload"),
    path("<int:pk>/send/", chapter.send, name="chapter_send"),
    path("<int:pk>/diff/", chapter.diff, name="chapter_diff"),
    path("<int:pk>/versions/<int:number>/", chapter.version, name="chapter_version"),
    path("<int:pk>/versions/<int:number>/file/", chapter.version_file, name="chapter_version_file"),
    path("<int:pk>/versions/<int:number>/waive/", editor.waive_finding, name="chapter_waive"),
    path("<int:pk>/versions/<int:number>/final/", editor.final, name="chapter_final"),
    path("<int:pk>/feedback/", editor.feedback, name="chapter_feedback"),
    path("<int:pk>/feedback/<int:number>/annotated/", chapter.annotated, name="chapter_annotated"),
    path("<int:pk>/move/", editor.move, name="chapter_move"),
    path("<int:pk>/extend/", editor.extend, name="chapter_extend"),
    path("<int:pk>/authors/", editor.authors, name="chapter_authors"),
    path("<int:pk>/authors/<int:author>/invite/", coauthors.invite, name="chapter_author_invite"),
    path("join/<str:token>/", coauthors.join, name="chapter_join"),
    path("<int:pk>/records/", editor.records, name="chapter_records"),
    path("<int:pk>/records/permissions/<int:record>/", editor.permission_document, name="chapter_permission_document"),
    path("<int:pk>/permissions/<int:record>/letter/", chapter.permission_letter, name="chapter_permission_letter"),
]
