from django.contrib import admin
from django.templatetags.static import static
from django.views.generic import RedirectView
from django.urls import include, path, register_converter

from chapterhouse.accounts import views as accounts_views
from chapterhouse.call import views as call_views
from chapterhouse.proposals.views import author, desk, desk_bulk, public



class ReferenceConverter:
    """Proposal references look like FMS-0007; anything else is a 404 before it reaches the database."""

    regex = r"[A-Z][A-Z0-9]{1,9}-[0-9]{4,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "ref")

admin.site.site_header = "chapterhouse administration"
admin.site.site_title = "chapterhouse admin"

urlpatterns = [
    path("", call_views.home, name="home"),
    path("calls/<slug:slug>/", call_views.call_page, name="call_page"),
    path("calls/<slug:slug>/timeline.ics", call_views.call_calendar_file, name="call_calendar"),
    path("calls/<slug:slug>/propose/", public.propose, name="propose"),
    path("proposals/received/<ref:reference>/", public.receipt, name="proposal_receipt"),
    path("my/proposals/", author.my_proposals, name="my_proposals"),
    path("my/proposals/<ref:reference>/", author.my_proposal, name="my_proposal"),
    path("my/proposals/<ref:reference>/withdraw/", author.withdraw, name="my_proposal_withdraw"),
    path("my/proposals/<ref:reference>/edit/", author.edit, name="my_proposal_edit"),
    path("proposals/<ref:reference>/attachment/", author.attachment, name="proposal_attachment"),
    path("desk/", desk.desk_home, name="desk"),
    path("desk/calls/<slug:slug>/proposals/", desk.desk_list, name="desk_list"),
    path("desk/calls/<slug:slug>/proposals.csv", desk.desk_csv, name="desk_csv"),
    path("desk/calls/<slug:slug>/proposals/bulk/", desk_bulk.desk_bulk, name="desk_bulk"),
    path("desk/proposals/<ref:reference>/", desk.desk_proposal, name="desk_proposal"),
    path("desk/proposals/<ref:reference>/move/", desk.desk_transition, name="desk_transition"),
    path("desk/proposals/<ref:reference>/mail/<int:message_id>/resend/", desk.desk_mail_resend, name="desk_mail_resend"),
    path("chapters/", include("chapterhouse.chapters.urls")),
    path("reviews/", include("chapterhouse.progress.urls")),
    path("production/", include("chapterhouse.production.urls")),
    path("review/", include("chapterhouse.review.urls")),
    path("selection/", include("chapterhouse.selection.urls")),
    path("", include("chapterhouse.clearance.urls")),
    path("", include("chapterhouse.production.lineedit.urls")),
    path("", include("chapterhouse.production.proofs.urls")),
    path("", include("chapterhouse.production.publication.urls")),
    path("", include("chapterhouse.launch.urls")),
    path("accounts/", include("chapterhouse.accounts.urls")),
    path("todo/", accounts_views.todo, name="todo"),
    # Browsers and feed readers ask for /favicon.ico whatever the page says; send them to the real icon.
    path("favicon.ico", RedirectView.as_view(url=static("chapterhouse/favicon.svg"), permanent=True), name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("chapterhouse.ops.urls")),
]
