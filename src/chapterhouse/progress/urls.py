from django.urls import path

from chapterhouse.progress.views import sessions as views

urlpatterns = [
    path("", views.sessions, name="review_sessions"),
    path("new/", views.new_session, name="review_session_new"),
    path("<int:pk>/", views.session, name="review_session"),
    path("<int:pk>/slots/", views.new_slot, name="review_slot_new"),
    path("<int:pk>/session.ics", views.session_ics, name="review_session_ics"),
    path("slots/<int:pk>/", views.edit_slot, name="review_slot_edit"),
    path("slots/<int:pk>/remove/", views.remove_slot, name="review_slot_remove"),
    path("slots/<int:pk>/upload/", views.slot_upload, name="review_slot_upload"),
    path("slots/<int:pk>/feedback/", views.slot_feedback, name="review_slot_feedback"),
    path("uploads/<int:pk>/", views.slot_file, name="review_slot_file"),
]
