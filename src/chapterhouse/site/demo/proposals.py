"""The proposal stage of the demo story: proposals sent through the public form's intake (screening, receipt),
the desk's decisions (a proposal screened out, declined without review), and the accepted proposals the desk moves
as editors do. The default call's cast: the two demo authors' proposals, left under review for the reviewers, and
one proposal centred on what the call excludes. Idempotent: a proposal is found by its title."""

from __future__ import annotations

from django.conf import settings

from chapterhouse.call.models import Call
from chapterhouse.proposals.intake import Submission, submit_proposal
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import ACCEPTED, DECLINED, SUBMITTED, UNDER_REVIEW
from chapterhouse.site.demo.accounts import DEMO_ACCOUNTS
from chapterhouse.workflow.transitions import transition

EDITOR_ROLES = {"editor"}

SAMPLE_PROPOSALS = {
    "author1": (
        "Offsets, coproduction and the defense industrial base after Ukraine",
        "industry",
        "This chapter examines how offset arrangements and coproduction agreements in recent security cooperation "
        "cases have shaped the capacity of the U.S. and allied defense industrial base. Drawing on case studies of "
        "artillery ammunition and air defense interceptors since 2022, it asks whether multi-year contracts, the "
        "Special Defense Acquisition Fund and five-year predictive analyses of partner demand can build surge "
        "capacity for high-demand, low-supply systems. It argues that offsets, when tied to coproduction with "
        "allies, can expand production lines faster than purely domestic investment, but that they also create "
        "new dependencies and risks for technology security. The chapter closes with recommendations for how "
        "implementing agencies and industry can share demand signals earlier in the case development process, "
        "and how greater U.S. Government involvement in offsets might change the behavior of firms and partners.",
        "offsets, coproduction, defense industrial base, surge capacity",
    ),
    "author2": (
        "Learning from the Defense Attaché Service: professionalizing the security cooperation workforce",
        "partnership",
        "The newly established Defense Security Cooperation Service is meant to put partner engagement on a "
        "professional footing comparable to the Defense Attaché Service. This chapter traces the history of the "
        "attaché service since the 1950s—its selection, training and career paths—and draws lessons for the "
        "certification and professionalization of the security cooperation workforce today. It argues that "
        "understanding partners' strategic, operational and institutional contexts depends less on process "
        "reform than on people who stay long enough to learn them. Using interviews with former attachés and "
        "security cooperation officers, the chapter shows how workforce continuity affected partner political "
        "will and absorptive capacity in three security cooperation cases, and it proposes how the new service "
        "could avoid the attaché service's early problems with career progression.",
        "workforce, professionalization, attaché, partnership",
    ),
}

# Screening flags it (it centres on direct commercial sales, which the call excludes); the desk declines it
# without review: (author, title, theme, abstract, keywords, the desk's reason).
SCREENED_OUT = [
    ({"name": "Casey Lindgren", "email": "casey.lindgren@example.com", "affiliation": "Example Consulting",
      "bio": "Casey Lindgren advises firms on export licensing."},
     "Direct commercial sales as the faster road for partners", "industry",
     "This chapter compares direct commercial sales with government-to-government cases and argues that partners "
     "who need systems quickly should prefer direct commercial sales. It draws on licensing data since 2015 and "
     "interviews with firms to show where direct commercial sales shorten delivery, and what partners give up in "
     "support, training and sustainment when they choose the commercial route over a security cooperation case.",
     "direct commercial sales, export licensing, delivery",
     "Centres on direct commercial sales, which the call excludes."),
]


def sample_authors() -> list[tuple[dict, str, str, str, str]]:
    """The demo authors' sample proposals as (author, title, theme, abstract, keywords)."""
    made = []
    for username, (title, theme, abstract, keywords) in SAMPLE_PROPOSALS.items():
        account = next(a for a in DEMO_ACCOUNTS if a.username == username)
        author = {"name": account.name, "email": account.email, "affiliation": "Example University",
                  "bio": f"{account.name} writes on security cooperation and the defense industrial base."}
        made.append((author, title, theme, abstract, keywords))
    return made


def submitted_proposal(call: Call, title: str, theme: str, author: dict, abstract: str = "", keywords: str = "",
                       base_url: str = "") -> Proposal:
    """The call's proposal titled ``title``, submitted through the intake (screening, receipt) if it is not there."""
    proposal = Proposal.objects.filter(call=call, title=title).first()
    if proposal is None:
        abstract = abstract or (f"This chapter, {title.lower()}, draws on cases of security cooperation since 2015 to "
                                "ask what the programme offices, partners and industry learned, and what the "
                                "implementing agencies should change in the case development process.")
        proposal = submit_proposal(call, Submission(title=title, theme=theme, abstract=abstract,
                                                    keywords=keywords or theme, authors=[author]),
                                   base_url or settings.CHAPTERHOUSE_BASE_URL)
    return proposal


def decline_without_review(proposal: Proposal, editor, reason: str) -> None:
    """The desk's decision on a proposal screening flagged, the move the desk's decline button makes."""
    if proposal.status == SUBMITTED:
        transition(proposal, DECLINED, editor, EDITOR_ROLES, reason)


def accept_as_editors_do(proposal: Proposal, editor) -> Proposal:
    """Moves ``proposal`` as the desk does: review started, accepted (which drafts the decision letter), and the
    letter sent to the author."""
    from chapterhouse.selection.models import DecisionLetter
    from chapterhouse.selection.services import send_letter

    if proposal.status == ACCEPTED:
        return proposal
    if proposal.status != UNDER_REVIEW:
        transition(proposal, UNDER_REVIEW, editor, EDITOR_ROLES)
    transition(proposal, ACCEPTED, editor, EDITOR_ROLES)
    send_letter(DecisionLetter.objects.get(decision__proposal=proposal), editor)
    proposal.refresh_from_db()
    return proposal
