"""A proposal's Word attachment is opened once and each of its parts read and parsed once per submission: the
reviewers' copy reads the package screening opened, and what both find is what two separate readings found."""

from collections import Counter

import pytest

from chapterhouse.ooxml.package import Limits, OoxmlPackage, PackageError
from chapterhouse.ooxml.reader import read_manuscript
from chapterhouse.proposals.anonymity import reviewers_reading
from chapterhouse.proposals.attachments import inspect_attachment
from chapterhouse.proposals.models import ScreeningResult
from chapterhouse.review.blind_copy import reviewer_copy
from chapterhouse.screening.identities import identity_pattern
from tests.docx_factory import compliant_chapter
from tests.fixtures.blind.word import crafted_word

AUTHOR = {"name": "Jordan Ellis", "email": "jordan.ellis@example.edu", "affiliation": "Example University"}


def outlines() -> dict[str, bytes]:
    return {"crafted": crafted_word(), "chapter": compliant_chapter(body_words=1500, notes=6).build()}


class Spy:
    """Counts the packages opened on ``data`` and each part read from them (an XML part is parsed when read)."""

    def __init__(self, monkeypatch, data: bytes):
        self.opened = 0
        self.reads: Counter[str] = Counter()
        zips = set()
        opening, reading = OoxmlPackage.__init__, OoxmlPackage.read

        def init(package, source, limits=Limits()):
            opening(package, source, limits)
            if source is data:
                self.opened += 1
                zips.add(id(package._zip))

        def read(package, name, cap=None):
            if id(package._zip) in zips:
                self.reads[name] += 1
            return reading(package, name, cap)

        monkeypatch.setattr(OoxmlPackage, "__init__", init)
        monkeypatch.setattr(OoxmlPackage, "read", read)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["crafted", "chapter"])
def test_a_submission_opens_its_word_attachment_once_and_reads_each_part_once(name, make_proposal, make_user,
                                                                              monkeypatch):
    data = outlines()[name]
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    spy = Spy(monkeypatch, data)
    inspected = inspect_attachment("outline.docx", data, ["docx", "pdf"], 10**7)
    after_screening = Counter(spy.reads)
    proposal = make_proposal(author, attachment_name="outline.docx", attachment_bytes=data,
                             inspected_attachment=inspected)
    copy = ScreeningResult.objects.get(proposal=proposal, kind=ScreeningResult.Kind.ANONYMITY)
    assert copy.details["reviewers_copy"].startswith("Reviewers get a new Word file")  # the copy was written
    assert spy.opened == 1
    assert spy.reads["word/document.xml"] == 1 and after_screening["word/document.xml"] == 1
    assert max(spy.reads.values()) == 1, [part for part, times in spy.reads.items() if times > 1]
    # What the copy reads beyond screening is only what screening had no need of (pictures, notes' relationships).
    assert all(not part.endswith(".xml") or part.endswith(".rels") for part in spy.reads - after_screening)


@pytest.mark.parametrize("name", ["crafted", "chapter"])
def test_one_reading_finds_what_two_readings_found(name):
    data = outlines()[name]
    authors = [AUTHOR, {"name": "Ana Li", "email": "ana.li@example.org", "affiliation": "Other Institute"}]
    pattern = identity_pattern([a["name"] for a in authors], [a["email"] for a in authors],
                               [a["affiliation"] for a in authors])
    inspected = inspect_attachment("outline.docx", data, ["docx", "pdf"], 10**7)
    assert inspected.word is not None
    alone = read_manuscript(data, revisions=False)
    assert inspected.blocks == list(alone.text_blocks())
    shared, separate = reviewer_copy("docx", data, pattern, inspected.word), reviewer_copy("docx", data, pattern)
    assert shared.data == separate.data
    assert shared.passages == separate.passages and shared.left_out == separate.left_out
    assert shared.replaced == separate.replaced
    # styles.xml was indexed once, by screening, and the copy's reader used that index.
    assert [key[0] for key in inspected.word.package.derived] == ["style index"]
    fields = {"the title": "Case reform", "the abstract": "As Ellis (2019) showed, cases slow down."}
    assert (reviewers_reading(fields, authors, "docx", data, inspected.word)
            == reviewers_reading(fields, authors, "docx", data))


def test_a_second_reader_is_charged_for_a_part_parsed_before_as_if_it_parsed_it_again():
    data = outlines()["chapter"]
    package = OoxmlPackage(data)
    root = package.xml("word/document.xml")
    read, tokens = package.bytes_read, package.xml_tokens
    second = package.fresh_budget()
    assert (second.bytes_read, second.xml_tokens) == (0, 0) and second.seconds_left() > 0
    assert second.xml("word/document.xml") is root
    assert (second.bytes_read, second.xml_tokens) == (read, tokens)
    assert (package.bytes_read, package.xml_tokens) == (read, tokens)  # the first reader's budget is its own


def test_a_part_parsed_once_still_counts_each_time_it_is_read_against_the_xml_budget():
    """Reading the same part twice cost twice the budget when it was parsed twice; it still does."""
    data = outlines()["chapter"]
    tokens = OoxmlPackage(data)
    tokens.xml("word/document.xml")
    package = OoxmlPackage(data, Limits(max_xml_tokens=tokens.xml_tokens * 3 // 2))
    package.xml("word/document.xml")
    with pytest.raises(PackageError) as refused:
        package.xml("word/document.xml")
    assert refused.value.code in ("document-too-large", "xml-too-large")


@pytest.mark.django_db
def test_the_mail_a_submission_sends_is_written_from_the_rows_it_stored_as_from_the_rows_read_back(
        make_proposal, make_user, people):
    """Intake hands the announcement the author and screening rows it has just stored instead of reading them
    back: the editors' note and the receipts say the same either way, screenings in the model's order."""
    from chapterhouse.outbox.models import Message
    from chapterhouse.proposals.notifications import announce_submission

    data = outlines()["crafted"]
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    proposal = make_proposal(author, attachment_name="outline.docx", attachment_bytes=data,
                             inspected_attachment=inspect_attachment("outline.docx", data, ["docx", "pdf"], 10**7))
    sent = {m.kind: (m.to, m.subject, m.body) for m in Message.objects.all()}
    Message.objects.all().delete()
    announce_submission(proposal, "http://testserver", list(proposal.authors.all()),
                        list(proposal.screenings.all()))  # the rows read back
    again = {m.kind: (m.to, m.subject, m.body) for m in Message.objects.all()}
    assert set(sent) == {"proposal.new", "proposal.receipt"}
    assert sent["proposal.new"] == again["proposal.new"]
    assert "Anonymity for double-blind review" in sent["proposal.new"][2]
    assert sent["proposal.receipt"] == again["proposal.receipt"]  # the author has a password: no dated link in it
