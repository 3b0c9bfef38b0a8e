"""Chapters accepted as final, each with a stored final version, ready for the security review."""

import hashlib

import pytest

from tests.docx_factory import DocxFactory, compliant_chapter

CLEARED_SENTENCE = ("The program delivered forty aircraft to the partner in 2019 and kept the spares at Norfolk "
                    "for two years while the contract was renegotiated.")


def chapter_file(seed=1, extra: str = "", replace: tuple[str, str] | None = None) -> bytes:
    """A chapter meeting the default call that opens with the sentence the amendment tests change."""
    factory = DocxFactory()
    factory.add(CLEARED_SENTENCE if replace is None else CLEARED_SENTENCE.replace(*replace))
    if extra:
        factory.add(extra)
    return compliant_chapter(body_words=4300, notes=6, seed=seed, factory=factory).build()


def cleared(call, people, answer="cleared", why=""):
    """A clearance request prepared, submitted, reviewed and answered, moved as the pages move it."""
    from chapterhouse.clearance.prepare import start_request

    return answered(start_request(call, people["editor"]), people, answer, why)


def answered(clearance, people, answer="cleared", why=""):
    """``clearance`` submitted, reviewed and answered. Its package is not built here (the galley engine is slow),
    so submission is told nothing stands in the way; the submission gate itself is tested in test_request.py."""
    from chapterhouse.workflow.transitions import transition

    transition(clearance, "submitted", people["editor"], {"editor"}, context={"blockers": []})
    transition(clearance, "in_review", people["security"], {"security_reviewer"})
    transition(clearance, answer, people["security"], {"security_reviewer"}, why)
    return clearance


@pytest.fixture
def store_version(people):
    from django.core.files.base import ContentFile

    from chapterhouse.chapters.models import ManuscriptVersion

    def store(chapter, data, final=True, name="chapter.docx"):
        number = chapter.versions.count() + 1
        version = ManuscriptVersion(chapter=chapter, number=number, sha256=hashlib.sha256(data).hexdigest(),
                                    original_name=name, size=len(data), words=5000, passed=True, is_final=final,
                                    uploaded_by=people["author_a"])
        version.file.save(name, ContentFile(data), save=False)
        version.save()
        return version

    return store


@pytest.fixture
def final_chapter(make_proposal, people, store_version):
    from chapterhouse.chapters.start import start_chapter
    from chapterhouse.workflow.transitions import transition

    def make(contact, title, theme="process", data=None, seed=1):
        chapter = start_chapter(make_proposal(contact, title=title, theme=theme), people["editor"])
        store_version(chapter, data or chapter_file(seed))
        transition(chapter, "submitted", people["editor"], {"editor"})
        transition(chapter, "final", people["editor"], {"editor"})
        return chapter

    return make


@pytest.fixture
def volume(final_chapter, people):
    """Two final chapters: author A's and author B's."""
    return {"a": final_chapter(people["author_a"], "Streamlining technology release in security cooperation cases"),
            "b": final_chapter(people["author_b"], "Offsets and the defense industrial base", theme="industry", seed=2)}


class Outbox:
    """(kind, recipients) of the messages queued in the outbox, grouped per message kind and subject."""

    def __iter__(self):
        from chapterhouse.outbox.models import Message

        grouped = {}
        for kind, subject, to in Message.objects.values_list("kind", "subject", "to"):
            grouped.setdefault((kind, subject), set()).add(to)
        return iter([(kind, to) for (kind, _), to in grouped.items()])

    def __contains__(self, item):
        return item in list(self)


@pytest.fixture
def sent_mail(db):
    return Outbox()
