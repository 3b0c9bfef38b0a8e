"""Chapters started the way production starts them: from an accepted proposal."""

import pytest


@pytest.fixture
def make_chapter(make_proposal, people):
    from chapterhouse.chapters.start import start_chapter

    def make(contact, title="Streamlining technology release in security cooperation cases", **extra):
        proposal = make_proposal(contact, title=title, **extra)
        return start_chapter(proposal, people["editor"])

    return make


@pytest.fixture
def chapter_a(make_chapter, people):
    return make_chapter(people["author_a"])


@pytest.fixture
def chapter_b(make_chapter, people):
    return make_chapter(people["author_b"], title="Author B's chapter on offsets in arms transfers")


@pytest.fixture(autouse=True)
def _outbox_until_merged():
    """TEMPORARY, removed once main's outbox app is merged: lets these tests run before it lands by sending
    through Django's mail after commit, the contract's behaviour under the immediate task backend."""
    import importlib.util
    import sys
    import types

    if importlib.util.find_spec("chapterhouse.outbox") is not None:
        yield
        return
    from django.core.mail import send_mail
    from django.db import transaction
    from django.template.loader import render_to_string

    def queue_mail(template, context, to, *, about=None, kind=""):
        subject, _, body = render_to_string(template, context).strip().partition("\n")
        to = list(to)
        transaction.on_commit(lambda: send_mail(subject.strip(), body.strip() + "\n", None, to))

    package, module = types.ModuleType("chapterhouse.outbox"), types.ModuleType("chapterhouse.outbox.mail")
    module.queue_mail = queue_mail
    package.mail = module
    sys.modules.update({"chapterhouse.outbox": package, "chapterhouse.outbox.mail": module})
    yield
    del sys.modules["chapterhouse.outbox"], sys.modules["chapterhouse.outbox.mail"]
