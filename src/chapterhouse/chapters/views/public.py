"""The public "check your chapter" page: anyone drops a .docx and reads the report. The file is checked in
memory and never stored (the upload handler keeps it in memory; nothing here writes it)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from chapterhouse.call.models import Call
from chapterhouse.chapters.forms import CheckForm
from chapterhouse.chapters.report_view import report_context
from chapterhouse.chapters.upload import check_in_memory
from chapterhouse.web.ratelimit import allow, client_address


@require_http_methods(["GET", "POST"])
def check_chapter(request, slug):
    call = get_object_or_404(Call, slug=slug)
    form = CheckForm(request.POST or None, request.FILES or None)
    context = {"call": call, "form": form, "rules": call.definition.manuscript}
    if request.method == "GET":
        return render(request, "chapters/check.html", context)
    if not allow("chapter-check", client_address(request), settings.CHAPTERHOUSE_SUBMISSION_RATE):
        form.add_error(None, "Too many checks from your address in a short time. Please wait a while and try again.")
        return render(request, "chapters/check.html", context, status=429)
    if not form.is_valid():
        return render(request, "chapters/check.html", context, status=400)
    name, data = form.cleaned_data["file"]
    report = check_in_memory(call, data, name)
    return render(request, "chapters/check.html", {**context, "checked_name": name,
                                                   **report_context(report.as_dict(), call)})
