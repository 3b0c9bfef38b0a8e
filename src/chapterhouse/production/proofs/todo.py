"""To-do items of the proofs: an author's pages to check, by the round's deadline; the editors' corrections to
decide and rounds to close."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from chapterhouse.accounts.roles import AUTHOR, EDITOR
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes
from chapterhouse.production.proofs.models import ChapterProof, ProofRound
from chapterhouse.production.proofs.states import FILED, OPEN, PENDING

STAGE = "Proofs"


@contributes(AUTHOR)
def proofs_to_check(user, today):
    proofs = (ChapterProof.objects.filter(chapter__authors__user=user, status=PENDING, round__status=OPEN)
              .distinct().select_related("chapter", "round"))
    for proof in proofs:
        yield Item(STAGE, f"Check the proofs of “{proof.chapter.title}”: approve them or send corrections",
                   reverse("my_proofs", args=[proof.chapter_id]), due=proof.round.due_on)


@contributes(EDITOR)
def corrections_to_decide(user, today):
    rounds = (ProofRound.objects.filter(status=OPEN, call__in=calls_in_progress()).select_related("call", "build")
              .annotate(filed=Count("proofs__corrections", filter=Q(proofs__corrections__status=FILED)),
                        waiting=Count("proofs", filter=Q(proofs__status=PENDING), distinct=True)))
    for round_ in rounds:
        url = reverse("proof_round", args=[round_.pk])
        if round_.filed:
            yield Item(STAGE, f"Accept or reject {round_.filed} proof correction{'s' if round_.filed != 1 else ''} "
                       f"in {round_.call.title}", url, due=round_.due_on)
        if not round_.waiting and not round_.filed:
            yield Item(STAGE, f"Every author has answered: close the proof round of build {round_.build.number} "
                       f"of {round_.call.title}", url, due=round_.due_on)
        elif round_.due_on < today:
            yield Item(STAGE, f"{round_.waiting} author{'s have' if round_.waiting != 1 else ' has'} not answered the "
                       f"proofs of {round_.call.title}", url, due=round_.due_on)
