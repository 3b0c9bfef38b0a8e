from django.urls import path

from chapterhouse.production.publication import views

urlpatterns = [
    path("production/<slug:slug>/publication/", views.publication_record, name="publication_record"),
]
