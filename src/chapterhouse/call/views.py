"""The public face of a call: its page with themes, scope, rules and timeline, and the timeline as a calendar."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from chapterhouse.call.calendar import call_calendar
from chapterhouse.call.models import Call
from chapterhouse.call.timeline import format_date, place
from chapterhouse.web.pagecache import public_page


def home(request):
    calls = list(Call.objects.all())
    if len(calls) == 1:
        return redirect("call_page", slug=calls[0].slug)
    today = timezone.localdate()
    return render(request, "call/home.html", {"calls": calls, "today": today})


@public_page
def call_page(request, slug):
    call = get_object_or_404(Call, slug=slug)
    definition = call.definition
    today = timezone.localdate()
    return render(
        request,
        "call/call_page.html",
        {
            "call": call,
            "definition": definition,
            "timeline": place(definition.milestones, today),
            "accepting": call.accepting_proposals(today),
            "not_yet_open": today < call.opens_on,
            "opens_on": format_date(call.opens_on),
            "closes_on": format_date(call.closes_on),
            "today": today,
        },
    )


def call_calendar_file(request, slug):
    call = get_object_or_404(Call, slug=slug)
    response = HttpResponse(call_calendar(call.definition, request.build_absolute_uri(call.get_absolute_url()),
                                          call.loaded_at),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-timeline.ics"'
    return response
