from django.urls import path

from chapterhouse.ops import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
