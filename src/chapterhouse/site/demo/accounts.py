"""The demo's people: one account per role (an editor, a reviewer, a security reviewer, production and two authors),
all with one password, printed by ``chapterhouse setup --demo``. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import AUTHOR, EDITOR, PRODUCTION, REVIEWER, ROLES, SECURITY_REVIEWER, ensure_groups

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


def seed_accounts() -> list[DemoAccount]:
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
    return list(DEMO_ACCOUNTS)


def print_logins(accounts: list[DemoAccount], out) -> None:
    out.write("\nDemo accounts (password for all: %s):\n" % DEMO_PASSWORD)
    out.write(f"  {'user name':<12} {'role':<20} name\n")
    for account in accounts:
        out.write(f"  {account.username:<12} {ROLES[account.role]:<20} {account.name}\n")
    out.write("\n")
