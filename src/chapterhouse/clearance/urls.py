from django.urls import path

from chapterhouse.clearance import author_views, views

urlpatterns = [
    path("clearance/", views.clearance_home, name="clearance_home"),
    path("clearance/calls/<slug:slug>/start/", views.clearance_start, name="clearance_start"),
    path("clearance/<int:pk>/", views.clearance_request, name="clearance_request"),
    path("clearance/<int:pk>/recheck/", views.clearance_recheck, name="clearance_recheck"),
    path("clearance/<int:pk>/dd1910/", views.clearance_form, name="clearance_form"),
    path("clearance/<int:pk>/follow-up/", views.clearance_follow_up, name="clearance_follow_up"),
    path("clearance/<int:pk>/package.zip", views.clearance_package, name="clearance_package"),
    path("clearance/<int:pk>/move/", views.clearance_move, name="clearance_move"),
    path("clearance/<int:pk>/record/", views.clearance_record, name="clearance_record"),
    path("clearance/<int:pk>/amendments/", views.clearance_amendment_add, name="clearance_amendment_add"),
    path("clearance/amendments/<int:pk>/answer/", views.clearance_amendment_answer, name="clearance_amendment_answer"),
    path("clearance/<int:pk>/chapters/<int:chapter>/", views.clearance_chapter, name="clearance_chapter"),
    path("clearance/<int:pk>/chapters/<int:chapter>/seen/", views.clearance_changes_seen,
         name="clearance_changes_seen"),
    path("clearance/<int:pk>/texts/<int:text>/", views.clearance_text, name="clearance_text"),
    path("clearance/<int:pk>/texts/<int:text>/seen/", views.clearance_text_seen, name="clearance_text_seen"),
    path("clearance/<int:pk>/chapters/<int:chapter>/versions/<int:number>.docx", views.clearance_version_file,
         name="clearance_version_file"),
    path("my/clearance/", author_views.my_clearance, name="my_clearance"),
    path("my/chapters/<int:pk>/amendments/", author_views.my_amendments, name="my_amendments"),
]
