"""Log-in landing: send each person to their role's page, or tell them what is coming."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from chapterhouse.accounts.landing import LANDING_PAGES, ROLE_ORDER, WAITING_FOR, home_for
from chapterhouse.accounts.roles import ROLES, roles_of
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
