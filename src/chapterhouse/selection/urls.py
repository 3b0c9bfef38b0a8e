from django.urls import path

from chapterhouse.selection import views

urlpatterns = [
    path("desk/calls/<slug:slug>/", views.selection_page, name="selection_page"),
    path("desk/calls/<slug:slug>/run/", views.selection_run, name="selection_run"),
    path("desk/calls/<slug:slug>/mark/", views.selection_mark, name="selection_mark"),
    path("desk/calls/<slug:slug>/runs/<int:number>/commit/", views.selection_commit, name="selection_commit"),
    path("desk/calls/<slug:slug>/letters/schedule/", views.letters_schedule_all, name="selection_letters_schedule"),
    path("desk/proposals/<ref:reference>/decision/", views.decision_edit, name="decision_edit"),
    path("desk/proposals/<ref:reference>/letter/", views.letter_action, name="decision_letter_action"),
    path("my/<ref:reference>/", views.my_decision, name="my_decision"),
]
