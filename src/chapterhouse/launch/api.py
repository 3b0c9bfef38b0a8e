"""The catalogue as a read-only JSON API (documented at /api/): launched volumes, their chapters and their
contributors. GET only; nothing here changes anything, and only launched volumes are listed."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from chapterhouse.launch.models import Publication
from chapterhouse.launch.registration import is_registered, registered_dois
from chapterhouse.launch.records import published_chapters, site_url, volume_record
from chapterhouse.launch.states import LAUNCHED
from chapterhouse.launch.views import VOLUME_EXPORTS
from chapterhouse.web.pagecache import public_page

API_VERSION = 1


def _json(data: dict) -> JsonResponse:
    response = JsonResponse({"api_version": API_VERSION, **data}, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # public, read-only data
    return response


def _launched(slug: str) -> Publication:
    try:
        return Publication.objects.select_related("call", "build").get(call__slug=slug, status=LAUNCHED)
    except Publication.DoesNotExist:
        raise Http404("No such book.") from None


def _person(person) -> dict:
    return {"name": person.name, "given": person.given, "family": person.family, "affiliation": person.affiliation}


def _doi(doi: str, registered: set[str]) -> dict:
    """``doi`` once Crossref registered it (it resolves), else null and the assigned DOI as ``doi_pending``."""
    if is_registered(doi, registered):
        return {"doi": doi, "doi_pending": None}
    return {"doi": None, "doi_pending": doi or None}


def _summary(publication: Publication, base: str, record=None, registered: set[str] | None = None) -> dict:
    record = record or volume_record(publication, base)
    registered = registered_dois(publication) if registered is None else registered
    slug = publication.call.slug
    return {"slug": slug, "title": record.title, "subtitle": record.subtitle, "publisher": record.publisher,
            "published": record.published.isoformat(), **_doi(record.doi, registered), "isbn": record.isbn13 or None,
            "url": record.url, "api_url": base + reverse("api_volume", kwargs={"slug": slug}),
            "chapters": len(record.chapters)}


@require_GET
@public_page
def catalogue(request):
    base = site_url(request)
    publications = Publication.objects.filter(status=LAUNCHED).select_related("call", "build")
    return _json({"volumes": [_summary(p, base) for p in publications]})


@require_GET
@public_page
def volume(request, slug):
    publication = _launched(slug)
    base = site_url(request)
    record = volume_record(publication, base)
    registered = registered_dois(publication)
    downloads = {}
    if publication.downloads_open and publication.build:
        downloads = {kind: base + reverse("volume_download", kwargs={"slug": slug, "kind": kind})
                     for kind in ("pdf", "epub") if getattr(publication.build, kind)}
    return _json({
        **_summary(publication, base, record, registered), "description": record.description, "language": record.language,
        "place": record.place, "pages": record.pages or None,
        "editors": [_person(e) for e in record.editors],
        "contents": [{"number": c.number, "title": c.title, "part": c.part, "authors": [_person(a) for a in c.authors],
                      "abstract": c.abstract, "first_page": c.first_page or None, "last_page": c.last_page or None,
                      **_doi(c.doi, registered), "url": c.url} for c in record.chapters],
        "downloads": downloads,
        "metadata": {kind: base + reverse("volume_metadata", kwargs={"slug": slug, "kind": kind})
                     for kind in VOLUME_EXPORTS},
    })


@require_GET
@public_page
def contributors(request, slug):
    publication = _launched(slug)
    base = site_url(request)
    people: dict[str, dict] = {}
    for entry in published_chapters(publication, base):
        for author in entry.chapter.authors.all():
            person = people.setdefault(author.name.casefold(), {"name": author.name, "affiliation": author.affiliation,
                                                                "bio": author.bio, "chapters": []})
            person["chapters"].append({"number": entry.record.number, "title": entry.record.title,
                                       "url": entry.record.url})
    editors = [{"name": e.name, "affiliation": e.organisation, "role": "editor"}
               for e in publication.call.definition.editors]
    return _json({"slug": slug, "editors": editors, "authors": list(people.values())})


@require_GET
def documentation(request):
    return render(request, "launch/api.html", {"exports": VOLUME_EXPORTS})
