"""Who gets what in the review stage: every review view for anonymous visitors, two authors, a reviewer, the
other roles and an editor. The reviewer's own assignment is under test; another's is a 404 (see the flow
tests). Editors' pages are 403 for other signed-in people."""


import pytest
from django.urls import reverse

from tests.fixtures.review import review_world  # noqa: F401  (fixture)
from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db

REVIEWER_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN}
EDITOR_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN}

MATRIX = {
    ("reviewer_home", "get"): {**REVIEWER_ONLY, "reviewer": 200},
    ("reviewer_profile", "get"): {**REVIEWER_ONLY, "reviewer": 200},
    ("reviewer_invitation", "get"): {**REVIEWER_ONLY, "reviewer": 200},
    ("reviewer_invitation", "post"): {**REVIEWER_ONLY, "reviewer": 302},
    ("reviewer_conflict_add", "post"): {**REVIEWER_ONLY, "reviewer": 302},
    ("reviewer_conflict_delete", "post"): {**REVIEWER_ONLY, "reviewer": 302},
    ("review_form", "get"): {**REVIEWER_ONLY, "reviewer": 200},
    ("review_attachment", "get"): {**REVIEWER_ONLY, "reviewer": 200},
    ("review_decline", "post"): {**REVIEWER_ONLY, "reviewer": 302},
    ("review_reviewers", "get"): {**EDITOR_ONLY, "editor": 200},
    ("review_invite", "post"): {**EDITOR_ONLY, "editor": 302},
    ("review_reviewer_expertise", "get"): {**EDITOR_ONLY, "editor": 200},
    ("review_reviewer_expertise", "post"): {**EDITOR_ONLY, "editor": 302},
    ("review_assignment", "get"): {**EDITOR_ONLY, "editor": 200},
    ("review_assignment_run", "post"): {**EDITOR_ONLY, "editor": 302},
    ("review_assignment_pair", "post"): {**EDITOR_ONLY, "editor": 302},
    ("review_assignment_apply", "post"): {**EDITOR_ONLY, "editor": 302},
    ("review_proposal_reviews", "get"): {**EDITOR_ONLY, "editor": 200},
    ("review_add_reviewer", "post"): {**EDITOR_ONLY, "editor": 302},
}

POST_DATA = {
    "reviewer_conflict_add": {"conflict-kind": "other", "conflict-name": "A Colleague"},
    "review_decline": {"reason": "No time this month."},
    "reviewer_invitation": {"answer": "accept"},
    "review_invite": {"name": "New Reviewer", "email": "new.reviewer@example.net"},
    "review_assignment_pair": {"kind": "forbid"},
    "review_reviewer_expertise": {"keywords": "offsets, export control", "statement": "", "max_load": "5"},
}


def url_for(name, world):
    proposal, call = world["proposal"], world["proposal"].call
    kwargs = {
        "reviewer_conflict_delete": {"pk": world["conflict"].pk},
        "review_form": {"pk": world["assignment"].pk}, "review_attachment": {"pk": world["assignment"].pk},
        "review_decline": {"pk": world["assignment"].pk},
        "review_assignment": {"slug": call.slug}, "review_assignment_run": {"slug": call.slug},
        "review_assignment_pair": {"slug": call.slug},
        "review_assignment_apply": {"slug": call.slug, "run_id": world["run"].pk},
        "review_proposal_reviews": {"reference": proposal.reference},
        "review_add_reviewer": {"reference": proposal.reference},
        "review_reviewer_expertise": {"pk": world["assignment"].reviewer_id},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, review_world, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    data = dict(POST_DATA.get(view, {}))
    if view in ("review_assignment_pair", "review_add_reviewer"):
        data.update(proposal=review_world["proposal"].reference, reviewer=str(people["reviewer"].pk))
    url = url_for(view, review_world)
    response = getattr(client, method)(url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


def test_under_double_blind_the_attachment_loses_its_name_and_author_properties(client, people, review_world):
    client.force_login(people["reviewer"])
    response = client.get(url_for("review_attachment", review_world))
    reference = review_world["proposal"].reference
    assert response["Content-Disposition"] == f'attachment; filename="{reference}-attachment.docx"'
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
    assert "word/document.xml" in names and not any(name.startswith("docProps/") for name in names)


def test_the_reviewers_copy_has_no_author_properties_in_word_or_pdf():
    import io
    import zipfile

    import docx
    import pikepdf

    from chapterhouse.review.blind_copy import reviewer_copy
    from tests.fixtures.files import pdf_file

    document = docx.Document()
    document.add_paragraph("Outline")
    document.core_properties.author = "Jordan Ellis"
    document.core_properties.last_modified_by = "Casey Park"
    out = io.BytesIO()
    document.save(out)
    copy = reviewer_copy("docx", out.getvalue(), None).data
    with zipfile.ZipFile(io.BytesIO(copy)) as package:
        assert not any(name.startswith("docProps/") for name in package.namelist())
    assert docx.Document(io.BytesIO(copy)).paragraphs[0].text == "Outline"

    with pikepdf.open(io.BytesIO(pdf_file("Outline"))) as pdf:
        pdf.docinfo["/Author"] = "Jordan Ellis"
        buffer = io.BytesIO()
        pdf.save(buffer)
    with pikepdf.open(io.BytesIO(reviewer_copy("pdf", buffer.getvalue(), None).data)) as pdf:
        assert "/Author" not in pdf.docinfo and "/Metadata" not in pdf.Root