"""A co-author is invited to their chapter by the contact author or an editor, and joins through the link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.forms import NewPasswordForm
from chapterhouse.accounts.roles import EDITOR
from chapterhouse.chapters import coauthors
from chapterhouse.chapters.access import OWNER, chapter_for
from chapterhouse.chapters.models import ChapterAuthor
from chapterhouse.web.ratelimit import limit_public_mail


@login_required
@require_POST
def invite(request, pk, author):
    chapter = chapter_for(request.user, pk, allowed={OWNER, EDITOR})
    invited = get_object_or_404(ChapterAuthor, pk=author, chapter=chapter)
    refused = limit_public_mail(request, "coauthor-invite", [invited.email])
    if refused:
        messages.error(request, f"{invited.name} has been sent too many invitations in the last hour; nothing was sent "
                                f"now. You can send another {refused.again()}.")
        return redirect(chapter)
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
    if user is None and coauthors.needs_password(author):
        return join_choosing_password(request, author, context)
    if author.user_id and (user is None or author.user_id == user.pk):
        return render(request, "chapters/join.html", {**context, "joined": True})
    if user is not None and (existing is None or existing.pk != user.pk):
        return render(request, "chapters/join.html", {**context, "other_account": True}, status=403)
    if request.method == "GET":
        return render(request, "chapters/join.html", context)
    if user is None:
        return redirect(context["login_url"])
    try:
        coauthors.join(author, user)
    except coauthors.InvitationProblem as problem:
        return render(request, "chapters/join.html", {**context, "problem": str(problem)}, status=409)
    messages.success(request, f"You have joined “{author.chapter.title}”.")
    return redirect(author.chapter)


def join_choosing_password(request, author, context):
    """Someone without a password joins by choosing one here; they are joined and logged in only once it is set."""
    form = NewPasswordForm(coauthors.prospective_account(author), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = coauthors.join_with_password(author, form)
        except coauthors.InvitationProblem as problem:
            return render(request, "chapters/join.html", {**context, "problem": str(problem)}, status=409)
        login(request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Your password is set and you have joined “{author.chapter.title}”.")
        return redirect(author.chapter)
    return render(request, "chapters/join.html", {**context, "password_form": form},
                  status=400 if request.method == "POST" else 200)
