"""The public side of a launched volume: its catalogue page, a page per chapter with its citation, the cover,
downloads once the press opens them, every metadata export, and the editors' launch page."""

from __future__ import annotations


from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, has_role, role_required
from chapterhouse.call.models import Call
from chapterhouse.launch.metadata import citations
from chapterhouse.launch.metadata.crossref import DepositError
from chapterhouse.launch.metadata.onix import onix_message
from chapterhouse.launch import ledger, offprints, registration
from chapterhouse.launch.models import ChapterDOI, Publication
from chapterhouse.launch.records import published_chapters, site_url, volume_record
from chapterhouse.launch.states import CHANGE_KINDS, LAUNCH_CONDITIONS, LAUNCHED, WITHDRAWN
from chapterhouse.launch.metadata.record import chapter_doi
from chapterhouse.production.models import Cover, GalleyBuild
from chapterhouse.production.publication.settings import default_disclaimer_for
from chapterhouse.production.states import BUILT
from chapterhouse.web.forms import Form, ModelForm
from chapterhouse.web.pagecache import public_page
from chapterhouse.workflow.statemachine import ChecklistLine, TransitionNotAllowed
from chapterhouse.workflow.transitions import history, offered_moves, record_event, transition_for_request

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
    """The publication if it is launched; editors may also preview one being prepared. Others: 404 (a withdrawn
    book's notice is the volume and chapter pages' to show, through ``shown_publication``)."""
    publication, withdrawn = shown_publication(request, slug)
    if withdrawn:
        raise Http404("No such book.")
    return publication


def withdrawn_page(request, publication: Publication, withdrawn: ChapterDOI | None = None):
    """What a DOI once shown leads to when its book or chapter was taken down: what happened, and why (410)."""
    reason = next((e for e in reversed(history(publication)) if e.to_state == WITHDRAWN), None)
    call = publication.call
    return render(request, "launch/withdrawn.html", {
        "publication": publication, "call": call, "withdrawn": withdrawn, "volume_reason": reason,
        "doi": chapter_doi(call.definition.publication.doi_prefix, call.slug, withdrawn.number) if withdrawn else "",
    }, status=410)


def shown_publication(request, slug: str) -> tuple[Publication, bool]:
    """One read for a public page: (the publication, whether the public once saw it and it is now withdrawn).
    Editors get their preview of any state; others a launched book, a withdrawn one's notice, else a 404."""
    publication = Publication.objects.select_related("call", "build").filter(call__slug=slug).first()
    if publication is None:
        raise Http404("No such book.")
    if publication.status == LAUNCHED:
        return publication, False
    editor = has_role(request.user, EDITOR)
    if publication.status == WITHDRAWN and not editor and publication.was_launched:
        return publication, True
    if not editor:
        raise Http404("No such book.")
    return publication, False


@public_page
def catalogue(request):
    publications = Publication.objects.filter(status=LAUNCHED).select_related("call", "build")
    return render(request, "launch/catalogue.html", {"publications": publications})


@public_page
def volume_page(request, slug):
    publication, withdrawn = shown_publication(request, slug)
    if withdrawn:
        return withdrawn_page(request, publication)
    call = publication.call
    definition = call.definition
    base = site_url(request)
    chapters = published_chapters(publication, base)
    readable = offprints.available(publication)
    for entry in chapters:
        entry.offprint = readable.get(entry.chapter.pk)
    contributors = {}
    for entry in chapters:
        for author in entry.chapter.authors.all():
            contributors.setdefault(author.name.casefold(), author)
    from chapterhouse.launch.metadata.record import split_name

    people = sorted(contributors.values(), key=lambda a: (split_name(a.name)[1].casefold(), a.name.casefold()))
    record = volume_record(publication, base, chapters)
    registered = registration.registered_dois(publication)
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
        "record": record, "doi_registered": registration.is_registered(record.doi, registered),
        "errata": publication.errata.prefetch_related("withdrawn_chapters") if publication.pk else [],
        "disclaimer": default_disclaimer_for(call),
    })


@public_page
def chapter_page(request, slug, number):
    """A chapter by its DOI's number (its address since the first launch); a chapter since withdrawn by a
    correction or new edition gets a page saying so, with the notice."""
    publication, withdrawn = shown_publication(request, slug)
    if withdrawn:
        return withdrawn_page(request, publication)
    chapters = published_chapters(publication, site_url(request))
    entry = next((c for c in chapters if c.key == number), None)
    if entry is None:
        removed = publication.dois.filter(number=number, withdrawn_by__isnull=False).select_related("withdrawn_by")
        if removed:
            return withdrawn_page(request, publication, removed[0])
        raise Http404("No such chapter.")
    position = chapters.index(entry)
    record = volume_record(publication, site_url(request), chapters)
    registered = registration.registered_dois(publication)
    cited = registration.registered_only(record, registered)
    return render(request, "launch/chapter.html", {
        "publication": publication, "call": publication.call, "entry": entry, "record": record,
        "doi_registered": registration.is_registered(entry.record.doi, registered),
        "citation": mark_safe(citations.chicago_chapter_html(cited, cited.chapters[position])),
        "exports": CITATION_EXPORTS,
        "offprint": offprints.available(publication).get(entry.chapter.pk),
        "previous": chapters[position - 1] if position > 0 else None,
        "next": chapters[position + 1] if position + 1 < len(chapters) else None,
    })


def chapter_offprint(request, slug, number):
    """A chapter's offprint, while the book's downloads are open (made by the worker: none yet is a 404)."""
    publication = public_publication(request, slug)
    entry = next((c for c in published_chapters(publication, site_url(request)) if c.key == number), None)
    made = offprints.available(publication).get(entry.chapter.pk) if entry else None
    if made is None:
        raise Http404("Not available for download.")
    return FileResponse(made.file.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{publication.call.slug}-chapter-{number}.pdf")


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


def _export(publication: Publication, record, kind: str, chapter=None, base_url: str = "") -> HttpResponse:
    """One export; every kind but the Crossref deposit (which registers them) gives registered DOIs only."""
    label, content_type, suffix = VOLUME_EXPORTS[kind]
    stem = publication.call.slug + (f"-chapter-{chapter.number}" if chapter else "")
    if kind != "crossref":
        registered = registration.registered_dois(publication)
        record = registration.registered_only(record, registered)
        if chapter is not None:
            chapter = next(c for c in record.chapters if c.number == chapter.number)
    if kind == "onix":
        body = onix_message(record)
    elif kind == "crossref":
        try:
            body, _, _ = registration.deposit_file(publication, base_url, registration.new_batch_id(publication),
                                                   record)
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
    base = site_url(request)
    return _export(publication, volume_record(publication, base), kind, base_url=base)


def chapter_citation(request, slug, number, kind):
    publication = public_publication(request, slug)
    if kind not in CITATION_EXPORTS:
        raise Http404("No such export.")
    chapters = published_chapters(publication, site_url(request))
    entry = next((c for c in chapters if c.key == number), None)
    if entry is None:
        raise Http404("No such chapter.")
    return _export(publication, volume_record(publication, site_url(request), chapters), kind, entry.record)


# -- the editors' launch page ----------------------------------------------------------------------------

class PublicationForm(ModelForm):
    class Meta:
        model = Publication
        fields = ["build", "description", "downloads_open", "published_on"]
        labels = {"build": "Published galley build", "description": "Catalogue description",
                  "downloads_open": "Open the PDF and EPUB for download", "published_on": "Publication date"}
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "published_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.was_launched:
            # Once the public has seen the book its build changes only as a correction or an edition (below).
            del self.fields["build"]
        else:
            self.fields["build"].queryset = built_builds(call)
            self.fields["build"].label_from_instance = build_label


def built_builds(call: Call):
    return GalleyBuild.objects.filter(call=call, status=BUILT)


def build_label(build: GalleyBuild) -> str:
    return f"Build {build.number} ({build.pages} pages, {build.requested_at:%d %b %Y})"


class ReplaceBuildForm(Form):
    """A launched book's text changed: the build that replaces the published one, as what, and the readers' notice."""

    build = forms.ModelChoiceField(queryset=GalleyBuild.objects.none(), label="Build to publish instead",
                                   error_messages={"required": "Choose the build to publish."})
    kind = forms.ChoiceField(choices=list(CHANGE_KINDS.items()), widget=forms.RadioSelect, label="This is a",
                             error_messages={"required": "Choose a correction or a new edition."})
    notice = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                             label="Notice for readers (shown on the catalogue page)",
                             help_text="What changed and why; a chapter taken out shows this notice at its DOI.",
                             error_messages={"required": "Write the notice readers will see."})

    def __init__(self, *args, publication: Publication, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["build"].queryset = built_builds(publication.call).exclude(pk=publication.build_id)
        self.fields["build"].label_from_instance = build_label


def replacement_checklist(publication: Publication) -> tuple[GalleyBuild | None, list[ChecklistLine]]:
    """The conditions as they stand for the latest build other than the published one (the likely replacement)."""
    candidate = built_builds(publication.call).exclude(pk=publication.build_id).order_by("-number").first()
    if candidate is None:
        return None, []
    from chapterhouse.launch.gates import launch_context

    context = launch_context(candidate)
    return candidate, [ChecklistLine(c.label, tuple(c.unmet(publication, context))) for c in LAUNCH_CONDITIONS]


@role_required(EDITOR)
def manage(request, slug, replace_form=None):
    call = get_object_or_404(Call, slug=slug)
    publication, _ = Publication.objects.get_or_create(call=call)
    form = PublicationForm((request.POST or None) if replace_form is None else None, instance=publication, call=call)
    launched_before = publication.was_launched
    candidate, candidate_checklist = replacement_checklist(publication) if launched_before else (None, [])
    if request.method == "POST" and replace_form is None and form.is_valid():
        form.save()
        record_event(publication, request.user, "Publication details saved",
                        why=f"build {publication.build.number if publication.build else '—'}, downloads "
                            f"{'open' if publication.downloads_open else 'closed'}")
        messages.success(request, "Saved.")
        return redirect("launch_manage", slug=slug)
    return render(request, "launch/manage.html", {
        "call": call, "publication": publication, "form": form, "history": history(publication),
        "moves": offered_moves(publication, {EDITOR}), "launched_before": launched_before,
        "replace_form": replace_form or ReplaceBuildForm(publication=publication, auto_id="replace_%s"),
        "candidate": candidate, "candidate_checklist": candidate_checklist,
        "candidate_label": f"For build {candidate.number} (the latest) to be published" if candidate else "",
        "errata": publication.errata.select_related("build_before", "build_after"),
        "deposits": publication.deposits.prefetch_related("outcomes")[:5],
        "registration_problems": registration.registration_problems(publication),
        "crossref_url": django_settings.CHAPTERHOUSE_CROSSREF_URL,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@role_required(EDITOR)
def move(request, slug):
    publication = get_object_or_404(Publication, call__slug=slug)
    transition_for_request(request, publication, request.POST.get("to", ""), {EDITOR},
                           "The volume is now {obj.status_label}.")
    return redirect("launch_manage", slug=slug)


@require_POST
@role_required(EDITOR)
def replace(request, slug):
    """A launched book's published build replaced, as a correction or a new edition with the readers' notice."""
    publication = get_object_or_404(Publication.objects.select_related("call"), call__slug=slug)
    if not publication.was_launched:
        messages.error(request, "The book has not been launched: choose its build in the form above.")
        return redirect("launch_manage", slug=slug)
    form = ReplaceBuildForm(request.POST, publication=publication, auto_id="replace_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger.replace_build(publication, data["build"], data["kind"], data["notice"], request.user)
        except TransitionNotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Build {data['build'].number} is now the published book; readers see the "
                                      "notice on the catalogue page.")
            return redirect("launch_manage", slug=slug)
    return manage(request, slug, replace_form=form)




@require_POST
@role_required(EDITOR)
def register_dois(request, slug):
    """Register DOIs: the deposit is written and recorded here; the worker sends it and reads Crossref's result."""
    publication = get_object_or_404(Publication.objects.select_related("call", "build"), call__slug=slug)
    try:
        deposit = registration.request_registration(publication, site_url(request), request.user)
    except (registration.RegistrationRefused, DepositError) as refusal:
        messages.error(request, "The DOIs were not sent: " + " ".join(refusal.problems))
    else:
        messages.success(request, f"The deposit {deposit.batch_id} goes to Crossref now; its result shows here once "
                                  "Crossref has processed it (usually within minutes).")
    return redirect(reverse("launch_manage", args=[slug]) + "#registration")
