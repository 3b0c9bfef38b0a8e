"""Demo accounts and a few sample proposals, so a fresh install shows every role something real.

Idempotent: running it again finds what it made before and creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import AUTHOR, EDITOR, PRODUCTION, REVIEWER, ROLES, SECURITY_REVIEWER, ensure_groups
from chapterhouse.call.models import Call
from chapterhouse.proposals.intake import Submission, submit_proposal
from chapterhouse.proposals.models import Proposal

DEMO_PASSWORD = "chapterhouse-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    email: str
    role: str
    staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("editor", "Avery Morgan", "editor@example.org", EDITOR, staff=True),
    DemoAccount("reviewer", "Riley Chen", "riley.chen@policy.example.net", REVIEWER),  # not the authors' domain: no conflict
    DemoAccount("security", "Sam Okafor", "security@example.org", SECURITY_REVIEWER),
    DemoAccount("production", "Pat Lindqvist", "production@example.org", PRODUCTION),
    DemoAccount("author1", "Alex Rivera", "alex.rivera@example.org", AUTHOR),
    DemoAccount("author2", "Blake Hughes", "blake.hughes@example.org", AUTHOR),
]

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


def seed_demo(call: Call, base_url: str) -> list[DemoAccount]:
    groups = ensure_groups()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            first, _, last = account.name.partition(" ")
            user = User(username=account.username, email=account.email, first_name=first, last_name=last,
                        is_staff=account.staff, is_superuser=account.staff)
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[account.role])
    for username, (title, theme, abstract, keywords) in SAMPLE_PROPOSALS.items():
        if call.accepting_proposals() and not Proposal.objects.filter(call=call, title=title).exists():
            account = next(a for a in DEMO_ACCOUNTS if a.username == username)
            author = {"name": account.name, "email": account.email, "affiliation": "Example University",
                      "bio": f"{account.name} writes on security cooperation and the defense industrial base."}
            submit_proposal(call, Submission(title=title, theme=theme, abstract=abstract, keywords=keywords,
                                             authors=[author]), base_url)
    from chapterhouse.chapters.demo import seed_chapters
    from chapterhouse.launch.demo import seed_past_volume
    from chapterhouse.production.lineedit.demo import seed_copyedits
    from chapterhouse.review.demo import seed_review_demo

    seed_chapters(call)
    seed_copyedits(call)
    seed_past_volume(base_url)  # a second, past volume carried to its launch
    return DEMO_ACCOUNTS + seed_review_demo(call, DEMO_PASSWORD)


def print_logins(accounts: list[DemoAccount], out) -> None:
    out.write("\nDemo accounts (password for all: %s):\n" % DEMO_PASSWORD)
    out.write(f"  {'user name':<12} {'role':<20} name\n")
    for account in accounts:
        out.write(f"  {account.username:<12} {ROLES[account.role]:<20} {account.name}\n")
    out.write("\n")
