"""Log-in landing: send each person to their role's page, or tell them what is coming."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chapterhouse.accounts.landing import LANDING_PAGES, ROLE_ORDER, WAITING_FOR, home_for
from chapterhouse.accounts.roles import EDITOR, PRODUCTION, ROLES, roles_of
from chapterhouse.call.models import Call
from chapterhouse.call.timeline import format_date
from chapterhouse.web.ratelimit import limit_public_mail


class LandingLoginView(auth_views.LoginView):
    """After log-in: the page asked for (``next``), else the person's own page from ``home_for``."""

    def get_default_redirect_url(self):
        return home_for(self.request.user)


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Sends the set-password link, at most so many an hour per client and per address (web/ratelimit.py); a
    request held back sends nothing, says when to ask again and keeps the address typed."""

    def form_valid(self, form):
        refused = limit_public_mail(self.request, "password-link", [form.cleaned_data["email"]])
        if refused is None:
            return super().form_valid(form)
        form.add_error("email", "Too many password links have been asked for "
                                f"{'this address' if refused.address else 'from your connection'} in the last hour. "
                                f"Nothing was sent. You can ask again {refused.again()}.")
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(refused.wait)
        return response


class SetPasswordAndLogInView(auth_views.PasswordResetConfirmView):
    """Choosing a password from the link mailed to the stored address logs the person in: the link already proved
    who they are, and asking them to type the new password again at once only lost people on the way."""

    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"


class PasswordSavedView(auth_views.PasswordResetCompleteView):
    """Says the password is saved and, for the person now logged in, links to their own page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            context["home_url"] = home_for(self.request.user)
        return context


@login_required
def waiting(request):
    """For roles whose pages are not built yet, or with nothing to do yet: what will come, and when."""
    call = Call.objects.first()
    definition = call.definition if call else None
    items = []
    for role in ROLE_ORDER:
        if role not in roles_of(request.user) or role in LANDING_PAGES:
            continue
        text, milestone_kind = WAITING_FOR[role]
        milestone = definition.milestone(milestone_kind) if definition else None
        items.append({
            "role": ROLES[role],
            "text": text,
            "when": format_date(milestone.date, milestone.precision) if milestone else "",
            "milestone": milestone.label if milestone else "",
        })
    return render(request, "accounts/waiting.html", {"items": items, "call": call})


@login_required
def todo(request):
    """The page everyone lands on: what each of their roles asks of them next, soonest first, each item linked to
    the page where it is done; a role with nothing to do says what will come and when."""
    from chapterhouse.accounts.todo import items_for

    today = timezone.localdate()
    call = Call.objects.order_by("-opens_on").first()
    definition = call.definition if call else None
    sections = []
    for role in ROLE_ORDER:
        if role not in roles_of(request.user):
            continue
        items = items_for(request.user, role, today)
        text, milestone_kind = WAITING_FOR[role]
        milestone = definition.milestone(milestone_kind) if definition and not items else None
        sections.append({
            "role": ROLES[role], "key": role, "items": items, "home": _reversed(LANDING_PAGES.get(role)),
            "waiting": text if not items else "",
            "when": format_date(milestone.date, milestone.precision) if milestone else "",
        })
    return render(request, "accounts/todo.html", {
        "sections": sections, "today": today, "volumes": _volume_pages(request.user)})


def _reversed(url_name: str | None) -> str:
    try:
        return reverse(url_name) if url_name else ""
    except NoReverseMatch:
        return ""


# Each volume's pages for staff: (label, URL name taking the call's slug, roles that may open it).
VOLUME_PAGES = [
    ("Proposals", "desk_list", {EDITOR}),
    ("Reviewer assignment", "review_assignment", {EDITOR}),
    ("Selection and letters", "selection_page", {EDITOR}),
    ("Copyedits", "copyedit_chapters", {EDITOR, PRODUCTION}),
    ("Cover, order and galleys", "production_volume", {EDITOR, PRODUCTION}),
    ("Proofs", "proof_rounds", {EDITOR, PRODUCTION}),
    ("Launch", "launch_manage", {EDITOR}),
]


def _volume_pages(user) -> list[dict]:
    roles = roles_of(user)
    pages = [(label, name) for label, name, allowed in VOLUME_PAGES if roles & allowed]
    if not pages:
        return []
    return [{"call": call, "pages": [(label, reverse(name, args=[call.slug])) for label, name in pages]}
            for call in Call.objects.order_by("-opens_on")]
