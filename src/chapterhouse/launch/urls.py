from django.urls import path

from chapterhouse.launch import api, views

urlpatterns = [
    path("books/", views.catalogue, name="catalogue"),
    path("books/<slug:slug>/", views.volume_page, name="volume_page"),
    path("books/<slug:slug>/cover/", views.cover, name="volume_cover"),
    path("books/<slug:slug>/download/<str:kind>/", views.download, name="volume_download"),
    path("books/<slug:slug>/metadata/<str:kind>/", views.volume_metadata, name="volume_metadata"),
    path("books/<slug:slug>/chapters/<int:number>/", views.chapter_page, name="chapter_page"),
    path("books/<slug:slug>/chapters/<int:number>/offprint.pdf", views.chapter_offprint, name="chapter_offprint"),
    path("books/<slug:slug>/chapters/<int:number>/cite/<str:kind>/", views.chapter_citation, name="chapter_citation"),
    path("launch/<slug:slug>/", views.manage, name="launch_manage"),
    path("launch/<slug:slug>/move/", views.move, name="launch_move"),
    path("launch/<slug:slug>/replace/", views.replace, name="launch_replace"),
    path("launch/<slug:slug>/register-dois/", views.register_dois, name="launch_register_dois"),
    path("api/", api.documentation, name="api_docs"),
    path("api/catalogue/", api.catalogue, name="api_catalogue"),
    path("api/catalogue/<slug:slug>/", api.volume, name="api_volume"),
    path("api/catalogue/<slug:slug>/contributors/", api.contributors, name="api_contributors"),
]
