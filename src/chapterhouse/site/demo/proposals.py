"""The demo's open call: the two demo authors' proposals, sent through the public form's intake (screening,
receipt) while the call accepts proposals. They stay under review, for the reviewers. Idempotent."""

from __future__ import annotations

from chapterhouse.call.models import Call
from chapterhouse.proposals.intake import Submission, submit_proposal
from chapterhouse.proposals.models import Proposal
from chapterhouse.site.demo.accounts import DEMO_ACCOUNTS

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



def seed_sample_proposals(call: Call, base_url: str) -> None:
    if not call.accepting_proposals():
        return
    for username, (title, theme, abstract, keywords) in SAMPLE_PROPOSALS.items():
        if not Proposal.objects.filter(call=call, title=title).exists():
            account = next(a for a in DEMO_ACCOUNTS if a.username == username)
            author = {"name": account.name, "email": account.email, "affiliation": "Example University",
                      "bio": f"{account.name} writes on security cooperation and the defense industrial base."}
            submit_proposal(call, Submission(title=title, theme=theme, abstract=abstract, keywords=keywords,
                                             authors=[author]), base_url)
