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


@pytest.fixture(autouse=True)
def sent_mail(monkeypatch):
    """(kind, recipients) of each message the clearance stage queues. Until the outbox lands on main this
    stands in for it (autouse); then the tests read the outbox instead."""
    sent = []
    from chapterhouse.clearance import notify

    monkeypatch.setattr(notify, "_deliver", lambda template, context, to, about: sent.append(
        (f"clearance.{template}", set(to))), raising=True)
    return sent
