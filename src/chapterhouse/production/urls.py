from django.urls import path

from chapterhouse.production import views

urlpatterns = [
    path("", views.production_home, name="production_home"),
    path("<slug:slug>/", views.volume, name="production_volume"),
    path("<slug:slug>/order/", views.order, name="production_order"),
    path("<slug:slug>/cover/", views.cover_upload, name="production_cover"),
    path("<slug:slug>/cover/image/", views.cover_image, name="production_cover_image"),
    path("<slug:slug>/full-cover/", views.full_cover_upload, name="production_full_cover"),
    path("<slug:slug>/full-cover/file/", views.full_cover_file, name="production_full_cover_file"),
    path("<slug:slug>/front-matter/new/", views.front_matter, name="production_front_matter_new"),
    path("<slug:slug>/front-matter/<int:pk>/", views.front_matter, name="production_front_matter"),
    path("<slug:slug>/builds/", views.build_start, name="galley_build_start"),
    path("<slug:slug>/builds/<int:number>/", views.build_page, name="galley_build"),
    path("<slug:slug>/builds/<int:number>/try-again/", views.build_try_again, name="galley_build_try_again"),
    path("<slug:slug>/builds/<int:number>/progress/", views.build_progress, name="galley_build_progress"),
    path("<slug:slug>/builds/<int:number>/summary/", views.build_summary, name="galley_build_summary"),
    path("<slug:slug>/builds/<int:number>/files/<str:kind>/", views.build_file, name="galley_build_file"),
    path("<slug:slug>/builds/<int:number>/pages/<int:page>/", views.page_image, name="galley_page_image"),
]
