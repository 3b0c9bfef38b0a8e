from django.urls import path

from chapterhouse.review import views

urlpatterns = [
    path("", views.reviewer_home, name="reviewer_home"),
    path("profile/", views.reviewer_profile, name="reviewer_profile"),
    path("invitation/", views.reviewer_invitation, name="reviewer_invitation"),
    path("profile/conflicts/", views.conflict_add, name="reviewer_conflict_add"),
    path("profile/conflicts/<int:pk>/delete/", views.conflict_delete, name="reviewer_conflict_delete"),
    path("assignments/<int:pk>/", views.review_form, name="review_form"),
    path("assignments/<int:pk>/attachment/", views.review_attachment, name="review_attachment"),
    path("assignments/<int:pk>/decline/", views.review_decline, name="review_decline"),
    path("desk/reviewers/", views.reviewers, name="review_reviewers"),
    path("desk/reviewers/invite/", views.invite, name="review_invite"),
    path("desk/reviewers/<int:pk>/expertise/", views.reviewer_expertise, name="review_reviewer_expertise"),
    path("desk/calls/<slug:slug>/assignment/", views.assignment_page, name="review_assignment"),
    path("desk/calls/<slug:slug>/assignment/run/", views.assignment_run, name="review_assignment_run"),
    path("desk/calls/<slug:slug>/assignment/pair/", views.assignment_pair, name="review_assignment_pair"),
    path("desk/calls/<slug:slug>/assignment/runs/<int:run_id>/apply/", views.assignment_apply, name="review_assignment_apply"),
    path("desk/proposals/<ref:reference>/", views.proposal_reviews, name="review_proposal_reviews"),
    path("desk/proposals/<ref:reference>/add/", views.add_reviewer, name="review_add_reviewer"),
]
