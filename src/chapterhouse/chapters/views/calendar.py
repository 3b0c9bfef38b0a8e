"""The private calendar feed (by secret token, no log-in) and the page that shows and replaces its address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chapterhouse.chapters.calendar import feed_for, regenerate, user_calendar
from chapterhouse.chapters.models import CalendarFeed


@login_required
def my_calendar(request):
    feed = feed_for(request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": feed.token}))
    return render(request, "chapters/calendar.html", {"feed_url": url})


@login_required
@require_POST
def regenerate_calendar(request):
    regenerate(request.user)
    messages.success(request, "Your calendar has a new address; the old one no longer works.")
    return redirect("my_calendar")


def calendar_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token, user__is_active=True)
    response = HttpResponse(user_calendar(feed.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
