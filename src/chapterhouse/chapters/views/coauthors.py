"""A co-author is invited to their chapter by the contact author or an editor, and joins through the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.chapters import coauthors
from chapterhouse.chapters.access import OWNER, chapter_for
from chapterhouse.chapters.models import ChapterAuthor
from chapterhouse.proposals.notifications import set_password_url


@login_required
@require_POST
def invite(request, pk, author):
    chapter = chapter_for(request.user, pk, allowed={OWNER, EDITOR})
    invited = get_object_or_404(ChapterAuthor, pk=author, chapter=chapter)
    try:
        coauthors.invite(invited, request.user)
    except coauthors.InvitationProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"Invitation sent to {invited.name} at {invited.email}.")
    return redirect(chapter)


@require_http_methods(["GET", "POST"])
def join(request, token):
    try:
        author = coauthors.invited_author(token)
    except coauthors.InvitationProblem as problem:
        return render(request, "chapters/join.html", {"problem": str(problem)}, status=400)
    user = request.user if request.user.is_authenticated else None
    existing = coauthors.account_for(author)
    context = {"author": author, "chapter": author.chapter, "existing": existing, "user": user,
               "login_url": reverse("login") + "?" + urlencode({"next": request.path})}
    if author.user_id and (user is None or author.user_id == user.pk):
        return render(request, "chapters/join.html", {**context, "joined": True})
    if user is not None and (existing is None or existing.pk != user.pk):
        return render(request, "chapters/join.html", {**context, "other_account": True}, status=403)
    if request.method == "GET":
        return render(request, "chapters/join.html", context)
    if existing is not None and user is None:
        return redirect(context["login_url"])
    try:
        with transaction.atomic():
            account = user or coauthors.new_account(author)
            coauthors.join(author, account)
    except coauthors.InvitationProblem as problem:
        return render(request, "chapters/join.html", {**context, "problem": str(problem)}, status=409)
    if user is None:  # a new account: its first step is choosing a password, then logging in
        return redirect(set_password_url(account, ""))
    messages.success(request, f"You have joined “{author.chapter.title}”.")
    return redirect(author.chapter)
