"""Issue 18 §4: one rule for every single-line field of every form (chapterhouse.web.forms).

A co-author's name holding ``\\r\\nER  - …`` was saved by the chapter authors form and reached ONIX as ``&#13;``
and the API raw; review sessions' title, place and event name took line breaks too. This walks every form class
the project defines (every module of the package imported) and every form a URL's view is configured with, and
fails on one whose single-line fields do not get the rule; then it sends the probe's values to both forms.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import chapterhouse
from chapterhouse.chapters.models import ChapterAuthor
from chapterhouse.progress.models import ReviewSession
from chapterhouse.web.forms import SingleLineRule, apply_single_line_rule, is_single_line, single_line

SKIPPED_MODULES = ("chapterhouse.wsgi",)  # builds the WSGI application; defines no form
INJECTION = "Robin Vale\r\nER  - \r\nTY  - JOUR"


def project_modules():
    importlib.import_module("chapterhouse.urls")  # registers the URL converters the stages' urls modules use
    for info in pkgutil.walk_packages(chapterhouse.__path__, "chapterhouse."):
        if ".migrations" not in info.name and info.name not in SKIPPED_MODULES:
            yield importlib.import_module(info.name)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def project_form_classes() -> set[type]:
    list(project_modules())
    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith("chapterhouse.")}


def has_the_rule(form_class) -> bool:
    """The first class in the MRO that defines full_clean is the rule's (nothing bypasses it)."""
    return next(klass for klass in form_class.__mro__ if "full_clean" in vars(klass)) is SingleLineRule


def single_line_fields(form_class) -> list[str]:
    return [name for name, field in form_class.base_fields.items() if is_single_line(field)]


def configured_view_forms() -> set[type]:
    """Form classes handed to class-based views in the URLconf (Django's own password and log-in views)."""
    found = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None)
                if view is None:
                    continue
                view = view(**getattr(entry.callback, "view_initkwargs", {}))
                if hasattr(view, "get_form_class"):  # FormView and Django's log-in and password views
                    found.add(view.get_form_class())

    walk(get_resolver().url_patterns)
    return found


def test_the_walk_finds_the_forms_of_every_stage():
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in project_form_classes()}
    assert {"chapterhouse.chapters.forms.AuthorForm", "chapterhouse.progress.forms.SessionForm",
            "chapterhouse.proposals.forms.ProposalForm", "chapterhouse.accounts.forms.CanonicalPasswordResetForm",
            "chapterhouse.launch.views.PublicationForm"} <= names
    assert len(names) >= 30


def test_every_project_form_carries_the_single_line_rule():
    missing = sorted(f"{cls.__module__}.{cls.__qualname__} ({', '.join(single_line_fields(cls)) or 'no text fields yet'})"
                     for cls in project_form_classes() if not has_the_rule(cls))
    assert missing == [], "forms without the single-line rule (inherit chapterhouse.web.forms.Form/ModelForm):\n" + \
        "\n".join(missing)


def test_no_module_builds_a_form_on_djangos_bases_directly():
    """Forms made at run time (``type("ReviewForm", (forms.Form,), fields)``) escape the import-time walk above;
    any use of Django's Form or ModelForm outside web/forms.py is named here instead."""
    package = Path(chapterhouse.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "web" / "forms.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in {"Form", "ModelForm"} and \
                    isinstance(node.value, ast.Name) and node.value.id == "forms":
                found.append(f"{path.relative_to(package)}:{node.lineno} forms.{node.attr}")
    assert found == [], "use chapterhouse.web.forms.Form/ModelForm instead:\n" + "\n".join(found)


def test_every_form_a_view_is_configured_with_carries_the_rule():
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in configured_view_forms() if not has_the_rule(cls))
    assert missing == []


def test_the_rule_reaches_fields_added_after_the_form_is_built():
    fields = {"title": forms.CharField(), "notes": forms.CharField(widget=forms.Textarea), "n": forms.IntegerField()}
    apply_single_line_rule(fields)
    assert single_line in fields["title"].validators
    assert single_line not in fields["notes"].validators and single_line not in fields["n"].validators


def test_a_multi_line_field_drawn_as_a_textarea_takes_line_breaks():
    from chapterhouse.clearance.forms import MoveForm

    form = MoveForm({"to": "submitted", "reason": "Sent on Monday.\r\nReference to follow."})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\tb", "a\x85b", "a\u2028b", "a\x00b", "a\x1bb"])
def test_line_breaks_and_control_characters_are_refused(value):
    with pytest.raises(forms.ValidationError, match="must be one line of text"):
        single_line(value)


@pytest.mark.django_db
def test_the_chapter_authors_form_refuses_a_name_with_a_line_break(client, people, make_proposal):
    from chapterhouse.chapters.start import start_chapter

    chapter = start_chapter(make_proposal(people["author_a"]), people["editor"])
    author = chapter.authors.get()
    client.force_login(people["editor"])
    data = {"authors-TOTAL_FORMS": "1", "authors-INITIAL_FORMS": "1", "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "1000", "authors-0-id": author.pk, "authors-0-chapter": chapter.pk,
            "authors-0-name": INJECTION, "authors-0-email": author.email, "authors-0-affiliation": "Example University",
            "authors-0-bio": "Two\r\nlines are fine here.", "authors-0-order": "1", "authors-0-is_contact": "on"}
    response = client.post(reverse("chapter_authors", args=[chapter.pk]), data)
    assert response.status_code == 400 and "must be one line of text" in response.content.decode()
    assert ChapterAuthor.objects.get(pk=author.pk).name == author.name
    data["authors-0-name"] = "Robin Vale"
    assert client.post(reverse("chapter_authors", args=[chapter.pk]), data).status_code == 302
    assert ChapterAuthor.objects.get(pk=author.pk).bio == "Two\r\nlines are fine here."


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "place", "event_name"])
def test_a_review_session_refuses_line_breaks_in_its_single_line_fields(client, people, call, field):
    client.force_login(people["editor"])
    data = {"title": "May reviews", "starts_at": "2030-05-14T13:00", "ends_at": "2030-05-14T16:00",
            "place": "Room 2", "event_name": "FMS Symposium", "notes": "Bring\r\nslides.", field: INJECTION}
    response = client.post(reverse("review_session_new"), data)
    assert response.status_code == 400 and "must be one line of text" in response.content.decode()
    assert not ReviewSession.objects.exists()
    data[field] = "Plain"
    assert client.post(reverse("review_session_new"), data).status_code == 302
    assert ReviewSession.objects.get().notes == "Bring\r\nslides."

