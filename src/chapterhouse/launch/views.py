"""The public side of a launched volume: its catalogue page, a page per chapter with its citation, the cover,
downloads once the press opens them, every metadata export, and the editors' launch page."""

from __future__ import annotations


from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, has_role, role_required
from chapterhouse.call.models import Call
from chapterhouse.launch.metadata import citations
from chapterhouse.launch.metadata.crossref import DepositError, crossref_deposit
from chapterhouse.launch.metadata.onix import onix_message
from chapterhouse.launch.models import Publication
from chapterhouse.launch.records import published_chapters, site_url, volume_record
from chapterhouse.launch.states import LAUNCHED
from chapterhouse.production.models import Cover, GalleyBuild
from chapterhouse.production.states import BUILT
from chapterhouse.workflow.transitions import history, record_event, transition_for_request

# name in the address → (what it is, content type, file suffix)
VOLUME_EXPORTS = {
    "onix": ("ONIX 3.0 (XML)", "application/xml", ".onix.xml"),
    "crossref": ("Crossref deposit (XML)", "application/xml", ".crossref.xml"),
    "csl": ("CSL-JSON", "application/vnd.citationstyles.csl+json", ".csl.json"),
    "ris": ("RIS", "application/x-research-info-systems", ".ris"),
    "bibtex": ("BibTeX", "application/x-bibtex", ".bib"),
}
CITATION_EXPORTS = {key: VOLUME_EXPORTS[key] for key in ("csl", "ris", "bibtex")}
DOWNLOADS = {"pdf": ("pdf", "application/pdf"), "epub": ("epub", "application/epub+zip")}


def public_publication(request, slug: str) -> Publication:
    """The publication if it is launched; editors may also preview one being prepared. Others: 404."""
    publication = get_object_or_404(Publication.objects.select_related("call", "build"), call__slug=slug)
    if publication.status != LAUNCHED and not has_role(request.user, EDITOR):
        raise Http404("No such book.")
    return publication


def catalogue(request):
    publications = Publication.objects.filter(status=LAUNCHED).select_related("call", "build")
    return render(request, "launch/catalogue.html", {"publications": publications})


def volume_page(request, slug):
    publication = public_publication(request, slug)
    call = publication.call
    definition = call.definition
    base = site_url(request)
    chapters = published_chapters(publication, base)
    contributors = {}
    for entry in chapters:
        for author in entry.chapter.authors.all():
            contributors.setdefault(author.name.casefold(), author)
    from chapterhouse.launch.metadata.record import split_name

    people = sorted(contributors.values(), key=lambda a: (split_name(a.name)[1].casefold(), a.name.casefold()))
    parts: list[dict] = []
    for entry in chapters:
        if not parts or parts[-1]["name"] != entry.record.part:
            parts.append({"name": entry.record.part, "chapters": []})
        parts[-1]["chapters"].append(entry)
    return render(request, "launch/volume.html", {
        "publication": publication, "call": call, "definition": definition, "parts": parts, "people": people,
        "cover": Cover.current(call), "event": definition.publication.launch_event, "exports": VOLUME_EXPORTS,
        "downloads": [k for k, (field, _) in DOWNLOADS.items() if publication.downloads_open and publication.build
                      and getattr(publication.build, field)],
        "record": volume_record(publication, base),
        "disclaimer": definition.publication.disclaimer or _default_disclaimer(definition.publisher),
    })


def _default_disclaimer(publisher: str) -> str:
    from chapterhouse.production.galleys.manifest import default_disclaimer

    return default_disclaimer(publisher)


def chapter_page(request, slug, number):
    publication = public_publication(request, slug)
    chapters = published_chapters(publication, site_url(request))
    entry = next((c for c in chapters if c.record.number == number), None)
    if entry is None:
        raise Http404("No such chapter.")
    record = volume_record(publication, site_url(request))
    return render(request, "launch/chapter.html", {
        "publication": publication, "call": publication.call, "entry": entry, "record": record,
        "citation": chicago_citation(record, entry.record), "exports": CITATION_EXPORTS,
        "previous": next((c for c in chapters if c.record.number == number - 1), None),
        "next": next((c for c in chapters if c.record.number == number + 1), None),
    })


def chicago_citation(volume, chapter) -> str:
    """A Chicago bibliography entry for a chapter in an edited book (CMOS 14.107)."""
    authors = [a for a in chapter.authors]
    if authors:
        first = authors[0]
        names = [f"{first.family}, {first.given}".strip(", ")] + [a.name for a in authors[1:]]
        byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]
    else:
        byline = ""
    editors = [e.name for e in volume.editors]
    edited = editors[0] if len(editors) == 1 else ", ".join(editors[:-1]) + " and " + editors[-1]
    pages = f", {chapter.first_page}–{chapter.last_page}" if chapter.first_page and chapter.last_page else ""
    place = f"{volume.place}: " if volume.place else ""
    doi = f" https://doi.org/{chapter.doi}." if chapter.doi else ""
    return (f"{byline}. “{chapter.title}.” In {volume.full_title}, edited by {edited}{pages}. "
            f"{place}{volume.publisher}, {volume.published.year}.{doi}")


def cover(request, slug):
    publication = public_publication(request, slug)
    image = Cover.current(publication.call)
    if image is None:
        raise Http404("No cover.")
    return FileResponse(image.image.open("rb"), content_type="image/png" if image.suffix == ".png" else "image/jpeg")


def download(request, slug, kind):
    publication = public_publication(request, slug)
    if kind not in DOWNLOADS or not publication.downloads_open or publication.build is None:
        raise Http404("Not available for download.")
    field, content_type = DOWNLOADS[kind]
    stored = getattr(publication.build, field)
    if not stored:
        raise Http404("Not available for download.")
    return FileResponse(stored.open("rb"), content_type=content_type, as_attachment=True,
                        filename=f"{publication.call.slug}.{kind}")


def _export(publication: Publication, record, kind: str, chapter=None) -> HttpResponse:
    label, content_type, suffix = VOLUME_EXPORTS[kind]
    stem = publication.call.slug + (f"-chapter-{chapter.number}" if chapter else "")
    if kind == "onix":
        body = onix_message(record)
    elif kind == "crossref":
        settings = publication.call.definition.publication
        try:
            body = crossref_deposit(record, settings.depositor_name, settings.depositor_email,
                                    f"{publication.call.slug}-{timezone.now():%Y%m%d%H%M%S}")
        except DepositError as refusal:
            return HttpResponse("The Crossref deposit cannot be made yet:\n" + "\n".join(refusal.problems) + "\n",
                                status=409, content_type="text/plain; charset=utf-8")
    elif kind == "csl":
        body = citations.csl_json(record, chapter, everything=chapter is None)
    elif kind == "ris":
        body = citations.ris(record, chapter, everything=chapter is None)
    else:
        body = citations.bibtex(record, chapter, everything=chapter is None)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}{suffix}"'
    return response


def volume_metadata(request, slug, kind):
    publication = public_publication(request, slug)
    if kind not in VOLUME_EXPORTS:
        raise Http404("No such export.")
    return _export(publication, volume_record(publication, site_url(request)), kind)


def chapter_citation(request, slug, number, kind):
    publication = public_publication(request, slug)
    if kind not in CITATION_EXPORTS:
        raise Http404("No such export.")
    record = volume_record(publication, site_url(request))
    chapter = next((c for c in record.chapters if c.number == number), None)
    if chapter is None:
        raise Http404("No such chapter.")
    return _export(publication, record, kind, chapter)


# -- the editors' launch page ----------------------------------------------------------------------------

class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["build", "description", "downloads_open", "published_on"]
        labels = {"build": "Published galley build", "description": "Catalogue description",
                  "downloads_open": "Open the PDF and EPUB for download", "published_on": "Publication date"}
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "published_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["build"].queryset = GalleyBuild.objects.filter(call=call, status=BUILT)
        self.fields["build"].label_from_instance = lambda b: f"Build {b.number} ({b.pages} pages, {b.requested_at:%d %b %Y})"


@role_required(EDITOR)
def manage(request, slug):
    call = get_object_or_404(Call, slug=slug)
    publication, _ = Publication.objects.get_or_create(call=call)
    form = PublicationForm(request.POST or None, instance=publication, call=call)
    if request.method == "POST" and form.is_valid():
        form.save()
        record_event(publication, request.user, "Publication details saved",
                        why=f"build {publication.build.number if publication.build else '—'}, downloads "
                            f"{'open' if publication.downloads_open else 'closed'}")
        messages.success(request, "Saved.")
        return redirect("launch_manage", slug=slug)
    return render(request, "launch/manage.html", {
        "call": call, "publication": publication, "form": form, "history": history(publication),
        "moves": publication.workflow.available(publication.status, {EDITOR}),
    }, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(EDITOR)
def move(request, slug):
    publication = get_object_or_404(Publication, call__slug=slug)
    target = request.POST.get("to", "")
    if target == LAUNCHED and publication.build is None:
        messages.error(request, "Choose the published galley build before launching.")
    else:
        transition_for_request(request, publication, target, {EDITOR}, "The volume is now {obj.status_label}.")
    return redirect("launch_manage", slug=slug)


