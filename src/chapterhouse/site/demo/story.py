"""The demo story, run in the order people would live it: accounts, proposals sent to the open call, reviews,
chapters from proposals accepted on the desk, copyedits of the final chapters; and a past call carried through
every stage to its launch. Each step goes through the services the pages use, so the demo cannot show what the
workflow could not reach.

Idempotent: running it again finds what it made before and creates nothing twice.
"""

from __future__ import annotations

from chapterhouse.call.models import Call
from chapterhouse.site.demo.accounts import DEMO_PASSWORD, DemoAccount, print_logins, seed_accounts
from chapterhouse.site.demo.chapters import seed_chapters
from chapterhouse.site.demo.copyedits import seed_copyedits
from chapterhouse.site.demo.launch import seed_past_volume
from chapterhouse.site.demo.proposals import seed_sample_proposals
from chapterhouse.site.demo.review import seed_review_demo

__all__ = ["print_logins", "seed_demo"]


def seed_demo(call: Call, base_url: str) -> list[DemoAccount]:
    """Seeds the demo on ``call`` (the default call, brought to today) and the past volume; returns the accounts
    to print."""
    accounts = seed_accounts()
    seed_sample_proposals(call, base_url)
    seed_chapters(call)
    seed_copyedits(call)
    seed_past_volume(base_url)  # a second, past volume carried to its launch
    return accounts + seed_review_demo(call, DEMO_PASSWORD)
