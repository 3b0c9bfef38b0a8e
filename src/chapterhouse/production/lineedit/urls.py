from django.urls import path

from chapterhouse.production.lineedit import views

urlpatterns = [
    path("copyedit/", views.copyedit_home, name="copyedit_home"),
    path("copyedit/<slug:slug>/", views.copyedit_chapters, name="copyedit_chapters"),
    path("copyedit/chapters/<int:pk>/upload/", views.copyedit_upload, name="copyedit_upload"),
    path("copyedit/rounds/<int:round_pk>/files/<int:number>.docx", views.copyedit_file, name="copyedit_file"),
    path("my/chapters/<int:pk>/copyedit/", views.my_copyedit, name="my_copyedit"),
]
