"""A site of any size in a few bulk inserts: proposals with authors, reviewers with assignments and reviews, and
chapters with authors and versions in a launched volume. Shared by the query-count tests (10 against 1,000
rows) and ``benches/web.py`` (2,000 proposals, 200 reviewers, 20 chapters); rows only, no files, no mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from chapterhouse.accounts.roles import AUTHOR, EDITOR, REVIEWER, ensure_groups
from chapterhouse.chapters.models import Chapter, ChapterAuthor, ManuscriptVersion
from chapterhouse.chapters.states import FINAL
from chapterhouse.launch.models import Publication
from chapterhouse.launch.states import LAUNCHED
from chapterhouse.proposals.models import Proposal, ProposalAuthor
from chapterhouse.proposals.states import ACCEPTED, SUBMITTED, UNDER_REVIEW
from chapterhouse.review.models import Review, ReviewAssignment, ReviewerProfile
from chapterhouse.review.states import SUBMITTED as REVIEW_SUBMITTED

ABSTRACT = ("This chapter examines how the security cooperation case process shapes the release of technology to "
            "allies and partner nations, and what reform of tiered review has changed in practice. ") * 3
EXPERTISE = ["technology release, tiered review", "offsets, defense industry", "workforce, training",
             "partner capacity, institutions", "contracting, acquisition reform"]


def users(prefix: str, count: int, role: str, password: str = "bench-password-1") -> list:
    """``count`` accounts in ``role``, all with one password (hashed once)."""
    User = get_user_model()
    hashed = make_password(password)
    User.objects.bulk_create([User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.org", password=hashed,
                                   first_name=prefix.title(), last_name=f"N{n}") for n in range(count)],
                             batch_size=500)
    made = list(User.objects.filter(username__startswith=prefix).order_by("pk"))
    group = ensure_groups()[role]
    group.user_set.through.objects.bulk_create(
        [group.user_set.through(user_id=u.pk, group_id=group.pk) for u in made], batch_size=500)
    return made


def proposals(call, count: int, contact, start: int = 1, status: str = SUBMITTED) -> list[Proposal]:
    """``count`` proposals of ``contact``'s across the call's themes, each with two authors."""
    themes = list(call.themes.all())
    now = timezone.now()
    Proposal.objects.bulk_create([
        Proposal(call=call, theme=themes[n % len(themes)], number=n, reference=f"{call.reference_prefix}-{n:06d}",
                 title=f"Proposal {n} on security cooperation case reform", abstract=ABSTRACT,
                 keywords="process, reform", attested_unclassified_at=now, contact_user=contact, status=status,
                 scope_flagged=n % 7 == 0, abstract_words=len(ABSTRACT.split()),
                 search_text=f"proposal {n} reform")
        for n in range(start, start + count)], batch_size=500)
    made = list(Proposal.objects.filter(call=call, number__gte=start, number__lt=start + count).order_by("number"))
    ProposalAuthor.objects.bulk_create(
        [ProposalAuthor(proposal=p, position=i, name=f"Author {p.number}-{i}", email=f"a{p.number}-{i}@example.org",
                        affiliation="Example University", bio="Writes on security cooperation.", is_contact=i == 0)
         for p in made for i in range(2)], batch_size=1000)
    return made


def reviewers(count: int, prefix: str = "reviewer") -> list:
    made = users(prefix, count, REVIEWER)
    ReviewerProfile.objects.bulk_create(
        [ReviewerProfile(user=u, affiliation=f"Institute {n % 17}", keywords=EXPERTISE[n % len(EXPERTISE)],
                         statement="Writes and teaches on security cooperation.", max_load=12)
         for n, u in enumerate(made)], batch_size=500)
    return made


def assignments(pairs, by, reviewed: int = 0) -> list[ReviewAssignment]:
    """An open assignment for each (proposal, reviewer) pair; the first ``reviewed`` of them with a review."""
    due = timezone.localdate() + dt.timedelta(days=21)
    ReviewAssignment.objects.bulk_create([ReviewAssignment(proposal=p, reviewer=r, due_on=due, assigned_by=by)
                                          for p, r in pairs], batch_size=1000)
    Proposal.objects.filter(pk__in={p.pk for p, _ in pairs}).update(status=UNDER_REVIEW)
    made = list(ReviewAssignment.objects.filter(proposal__in={p for p, _ in pairs}).order_by("pk"))
    Review.objects.bulk_create([Review(assignment=a, recommendation="accept", comments_to_editors="Good.",
                                       scores={"fit": 4, "contribution": 3, "feasibility": 5}) for a in made[:reviewed]])
    ReviewAssignment.objects.filter(pk__in=[a.pk for a in made[:reviewed]]).update(status=REVIEW_SUBMITTED)
    return made


def chapters(call, count: int, author, by, start: int = 1, status: str = FINAL) -> list[Chapter]:
    """``count`` chapters from accepted proposals, ``author`` on each, with one final version (rows only)."""
    accepted = proposals(call, count, author, start=start, status=ACCEPTED)
    Chapter.objects.bulk_create([Chapter(call=call, proposal=p, theme_id=p.theme_id, title=p.title,
                                         abstract=p.abstract, order=p.number, status=status) for p in accepted])
    made = list(Chapter.objects.filter(proposal__in=accepted).order_by("pk"))
    ChapterAuthor.objects.bulk_create(
        [ChapterAuthor(chapter=c, user=author, name=author.get_full_name() or author.username, email=author.email,
                       affiliation="Example University", bio="Writes on security cooperation.", order=0,
                       is_contact=True) for c in made]
        + [ChapterAuthor(chapter=c, name=f"Co-author {c.pk}", email=f"co{c.pk}@example.org", affiliation="Institute",
                         order=1) for c in made])
    digests = {c.pk: hashlib.sha256(f"chapter {c.pk}".encode()).hexdigest() for c in made}
    ManuscriptVersion.objects.bulk_create([ManuscriptVersion(
        chapter=c, number=1, sha256=digests[c.pk], file=f"chapters/{digests[c.pk][:2]}/{digests[c.pk]}.docx",
        original_name="chapter.docx", size=1000, words=7000, passed=True, is_final=status == FINAL,
        uploaded_by=author) for c in made])
    return made


def launched(call) -> Publication:
    """The call's volume, launched (no galley build: the chapters' own order numbers them)."""
    publication, _ = Publication.objects.update_or_create(call=call, defaults={"status": LAUNCHED})
    return publication


def editor(username: str = "bench-editor"):
    return users(username, 1, EDITOR)[0]


def author(username: str = "bench-author"):
    return users(username, 1, AUTHOR)[0]
