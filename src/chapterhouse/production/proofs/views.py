"""Proof pages: editors open a round on a galley build and decide each correction; each author reads their own
chapter's pages (images and PDF), approves them or files corrections. Another author's chapter is a 404."""

from __future__ import annotations

import io

import pikepdf
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, PRODUCTION, role_required, roles_of
from chapterhouse.call.models import Call
from chapterhouse.chapters.access import OWNER, chapter_for
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.proofs import corrections
from chapterhouse.production.proofs.forms import CorrectionForm
from chapterhouse.production.proofs.models import ChapterProof, Correction, ProofRound
from chapterhouse.production.proofs.states import APPROVED, CLOSED, CORRECTED, OPEN, PASSED, PENDING
from chapterhouse.workflow.transitions import TransitionNotAllowed, offered_moves, transition_for_request

STAFF = (EDITOR, PRODUCTION)


@role_required(*STAFF)
def proof_rounds(request, slug):
    call = get_object_or_404(Call, slug=slug)
    milestone = call.definition.milestone("galley_proofs")
    return render(request, "proofs/rounds.html", {
        "call": call, "rounds": ProofRound.objects.filter(call=call).select_related("build"),
        "build": GalleyBuild.latest_built(call), "may_open": EDITOR in roles_of(request.user),
        "due": milestone.date if milestone and milestone.date >= timezone.localdate() else timezone.localdate()})


@role_required(EDITOR)
@require_POST
def proof_round_open(request, slug):
    call = get_object_or_404(Call, slug=slug)
    build = GalleyBuild.latest_built(call)
    try:
        due = timezone.datetime.strptime(request.POST.get("due_on", ""), "%Y-%m-%d").date()
    except ValueError:
        messages.error(request, "Give the authors' deadline as a date like 2025-04-15.")
        return redirect("proof_rounds", slug=slug)
    if build is None:
        messages.error(request, "No galley build has been built yet: build the galleys first.")
        return redirect("proof_rounds", slug=slug)
    round_ = corrections.open_round(build, due, request.user)
    messages.success(request, f"Proofs of build {build.number} sent to {round_.proofs.count()} chapter(s)' authors.")
    return redirect("proof_round", pk=round_.pk)


@role_required(*STAFF)
def proof_round(request, pk):
    round_ = get_object_or_404(ProofRound.objects.select_related("call", "build"), pk=pk)
    may_decide = EDITOR in roles_of(request.user) and round_.status in {OPEN}
    return render(request, "proofs/round.html", {
        "round": round_, "proofs": round_.proofs.select_related("chapter").prefetch_related("corrections"),
        "may_decide": may_decide,
        "close": next((m for m in offered_moves(round_, {EDITOR}) if m.target == CLOSED), None) if may_decide else None})


@role_required(EDITOR)
@require_POST
def proof_round_close(request, pk):
    round_ = get_object_or_404(ProofRound, pk=pk)
    transition_for_request(request, round_, CLOSED, {EDITOR}, "Proof round closed.")
    return redirect("proof_round", pk=round_.pk)


@role_required(EDITOR)
@require_POST
def proof_pass(request, pk):
    """An editor passes a chapter's pages without its author's answer; the reason is required and audited."""
    proof = get_object_or_404(ChapterProof.objects.select_related("round"), pk=pk)
    if proof.round.status != OPEN:
        messages.error(request, "The proof round is closed: nothing was changed.")
    else:
        transition_for_request(request, proof, PASSED, {EDITOR}, "Pages passed without the author's answer; the "
                                                                 "reason is in the history.")
    return redirect("proof_round", pk=proof.round_id)


@role_required(EDITOR)
@require_POST
def correction_decide(request, pk):
    correction = get_object_or_404(Correction.objects.select_related("proof__round"), pk=pk)
    try:
        corrections.decide(correction, request.POST.get("to", ""), request.user, {EDITOR},
                           request.POST.get("reason", ""))
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        if correction.apply_problem:
            messages.warning(request, f"Accepted, but not made in the file: {correction.apply_problem}")
        else:
            messages.success(request, f"Correction on page {correction.page}: {correction.status_label.lower()}.")
    return redirect("proof_round", pk=correction.proof.round_id)


def proof_for(user, chapter_pk: int, allowed=frozenset({OWNER})) -> ChapterProof:
    """The chapter's latest proof, if ``user`` holds one of ``allowed`` for the chapter (else 404)."""
    chapter = chapter_for(user, chapter_pk, allowed=set(allowed))
    proof = ChapterProof.objects.filter(chapter=chapter).select_related("round__build", "chapter").order_by(
        "-round__opened_at", "-pk").first()
    if proof is None:
        raise Http404("No proofs of this chapter yet.")
    return proof


def chapter_pages(proof: ChapterProof) -> tuple[int, int, list]:
    build = proof.round.build
    entry = build.chapter_pages(proof.chapter_id) or {}
    first, last = entry.get("pdf_pages", [0, -1])
    return first, last, list(build.page_images_for(proof.chapter_id))


@login_required
def my_proofs(request, pk):
    proof = proof_for(request.user, pk)
    form = CorrectionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if proof.status != PENDING or proof.round.status != OPEN:
            messages.error(request, "These proofs are no longer open for changes.")
            return redirect("my_proofs", pk=pk)
        if action in {"approve", "send"}:
            target = APPROVED if action == "approve" else CORRECTED
            if target == CORRECTED and not proof.corrections.exists():
                messages.error(request, "File at least one correction first, or approve the proofs as they stand.")
                return redirect("my_proofs", pk=pk)
            try:
                corrections.send_or_approve(proof, target, request.user, {OWNER})
            except TransitionNotAllowed as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, "Thank you: the editors have your answer.")
            return redirect("my_proofs", pk=pk)
        form = CorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            corrections.file_correction(proof, data["page"], data["line"], data["wrong"], data["right"],
                                        data["comment"], request.user)
            messages.success(request, f"Correction on page {data['page']} filed.")
            return redirect("my_proofs", pk=pk)
    first, last, images = chapter_pages(proof)
    return render(request, "proofs/my_proofs.html", {
        "proof": proof, "chapter": proof.chapter, "form": form, "images": images,
        "open": proof.status in {PENDING} and proof.round.status in {OPEN},
        "late": proof.round.due_on < timezone.localdate()})


@login_required
def my_proof_page(request, pk, page):
    proof = proof_for(request.user, pk, allowed={OWNER, EDITOR, PRODUCTION})
    first, last, images = chapter_pages(proof)
    image = next((i for i in images if i.number == page), None)
    if image is None:
        raise Http404("That page is not in this chapter.")
    return FileResponse(image.image.open("rb"), content_type="image/png")


@login_required
def my_proof_pdf(request, pk):
    """Only the chapter's pages of the build's PDF, so an author reads their own proofs."""
    proof = proof_for(request.user, pk, allowed={OWNER, EDITOR, PRODUCTION})
    first, last, _ = chapter_pages(proof)
    build = proof.round.build
    if not build.pdf or first < 1:
        raise Http404("The build has no pages for this chapter.")
    with build.pdf.open("rb") as handle, pikepdf.open(io.BytesIO(handle.read())) as whole:
        part = pikepdf.new()
        part.pages.extend(whole.pages[first - 1:last])
        out = io.BytesIO()
        part.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proofs-chapter-{proof.chapter_id}.pdf"'
    return response
