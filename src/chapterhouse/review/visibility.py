"""What a reviewer may see of a proposal: the one place that decides it.

Review pages never receive a Proposal; they receive a ``ProposalForReviewer`` built here. Under a
double-blind call it holds no author names, affiliations or e-mails, the attachment is served under a
neutral name (``FMS-0007-attachment.docx``) with its author properties (Word's creator, last-modified-by,
company, manager; a PDF's Author, Creator and XMP metadata) removed, and a Word file's own text has the
authors' names, addresses and affiliations replaced (:mod:`chapterhouse.review.redaction`). Under single-blind the names and
affiliations are shown, never the e-mail addresses.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from lxml import etree

from chapterhouse.review.models import ReviewAssignment
from chapterhouse.review.redaction import RELATIONSHIPS_PART, TEXT_PART, redact_paragraphs, redact_targets
from chapterhouse.review.states import DECLINED, WITHDRAWN
from chapterhouse.screening.identities import identity_pattern


@dataclass(frozen=True)
class AuthorForReviewer:
    name: str
    affiliation: str


@dataclass(frozen=True)
class ProposalForReviewer:
    reference: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    theme: str
    double_blind: bool
    authors: tuple[AuthorForReviewer, ...]
    attachment_name: str  # "" when there is no attachment


def assignment_for_reviewer(user, pk: int) -> ReviewAssignment:
    """The reviewer's own live assignment, or 404 (another reviewer's, a withdrawn one or a guess)."""
    item = get_object_or_404(ReviewAssignment.objects.select_related("proposal__call", "proposal__theme"), pk=pk)
    if item.reviewer_id != user.pk or item.status in (WITHDRAWN,):
        raise Http404("No such assignment.")
    return item


def proposal_for_reviewer(item: ReviewAssignment) -> ProposalForReviewer:
    proposal = item.proposal
    double_blind = proposal.call.definition.review.double_blind
    authors = () if double_blind else tuple(AuthorForReviewer(a.name, a.affiliation) for a in proposal.authors.all())
    stored = getattr(proposal, "attachment", None)
    return ProposalForReviewer(
        reference=proposal.reference, title=proposal.title, abstract=proposal.abstract,
        keywords=tuple(proposal.keyword_list), theme=proposal.theme.name, double_blind=double_blind,
        authors=authors, attachment_name=f"{proposal.reference}-attachment.{stored.kind}" if stored else "",
    )


def attachment_for_reviewer(item: ReviewAssignment) -> tuple[bytes, str, str]:
    """(bytes, file name, content type) as the reviewer may download them; declined assignments get nothing."""
    if item.status == DECLINED:
        raise Http404("You declined this assignment.")
    stored = getattr(item.proposal, "attachment", None)
    if stored is None:
        raise Http404("This proposal has no attachment.")
    with stored.file.open("rb") as handle:
        data = handle.read()
    view = proposal_for_reviewer(item)
    if view.double_blind:
        authors = list(item.proposal.authors.all())
        names = identity_pattern([a.name for a in authors], [a.email for a in authors], [a.affiliation for a in authors])
        data = strip_docx_authors(data, names) if stored.kind == "docx" else strip_pdf_authors(data)
    return data, view.attachment_name, stored.content_type or "application/octet-stream"


CORE_FIELDS = {"creator", "lastModifiedBy", "description"}
APP_FIELDS = {"Company", "Manager"}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _blank_elements(root: etree._Element, local_names: set[str]) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in local_names:
            element.text = ""


def strip_docx_authors(data: bytes, names: re.Pattern | None = None) -> bytes:
    """The Word file with creator, last-modified-by, company and manager emptied, every other part as it was.

    Comments and tracked changes also carry authors' names; their authors are renamed "Author". With ``names``
    (:func:`~chapterhouse.screening.identities.identity_pattern`), the authors are also taken out of the text.
    Each part is parsed at most once, whatever is changed in it.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            edits = _edits_of(info.filename, names)
            if edits:
                root = etree.fromstring(content, PARSER)
                for edit in edits:
                    edit(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, content)
    return out.getvalue()


def _edits_of(name: str, names: re.Pattern | None) -> list:
    """What to change in the part called ``name``, each a function of its parsed root; none for most parts."""
    edits = []
    if name == "docProps/core.xml":
        edits.append(lambda root: _blank_elements(root, CORE_FIELDS))
    elif name == "docProps/app.xml":
        edits.append(lambda root: _blank_elements(root, APP_FIELDS))
    elif name == "word/people.xml" or TEXT_PART.match(name):  # every story: body, notes, comments, headers
        edits.append(_rename_revision_authors)
    if names is not None and TEXT_PART.match(name):
        edits.append(lambda root: redact_paragraphs(root, names))
    elif names is not None and RELATIONSHIPS_PART.match(name):
        edits.append(lambda root: redact_targets(root, names))
    return edits


def _rename_revision_authors(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in list(element.attrib):
            if etree.QName(attribute).localname in ("author", "initials", "providerId", "userId"):
                element.set(attribute, "Author" if etree.QName(attribute).localname == "author" else "")


def strip_pdf_authors(data: bytes) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords"):
            if key in pdf.docinfo:
                del pdf.docinfo[key]
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()
