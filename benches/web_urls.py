"""The site's own addresses and the bench's trivial view (see web_settings.py)."""

from django.http import HttpResponse
from django.urls import path

from chapterhouse.urls import urlpatterns as site


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *site]
