"""Co-authors joining their chapter: an invitation to the address stored for them, and the link that joins.

The contact author typed the co-authors' addresses into the proposal form; nobody confirmed them. So a co-author
gets no access from the address alone: the contact author or an editor sends an invitation to that stored
address, and whoever follows its signed link shows they read mail there. Following it joins their account (an
existing one with the same address, after logging in) or, for someone without a password, makes the account and
sets the password chosen on the same page: joining is complete only when the password is set, so nobody is left
"joined" to an account they cannot log in to. An invitation stops working after 30 days, once the co-author has
joined, or if the address stored for them changes.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction

from chapterhouse.accounts.emails import InvalidEmail
from chapterhouse.accounts.lookup import canonical, user_with_email
from chapterhouse.accounts.roles import AUTHOR, ensure_group
from chapterhouse.chapters.mail import link, notify
from chapterhouse.chapters.models import ChapterAuthor
from chapterhouse.workflow.transitions import record_event

SALT = "chapterhouse.chapters.join"
VALID_DAYS = 30


class InvitationProblem(ValueError):
    """Why an invitation cannot be sent or used, in words for the person who tried."""


def _address(author: ChapterAuthor) -> str:
    try:
        return canonical(author.email)
    except InvalidEmail:
        raise InvitationProblem(f"{author.name} has no usable e-mail address; an editor can correct it "
                                "on the chapter's Authors page.") from None


def invite(author: ChapterAuthor, by) -> None:
    """Queues the invitation to the co-author's stored address, with its audit record, in one transaction."""
    if author.user_id:
        raise InvitationProblem(f"{author.name} has already joined the chapter.")
    join_url = join_link(author)
    with transaction.atomic():
        notify(author.chapter, "chapters/email/coauthor_invitation.txt",
               {"author": author, "inviter": by, "join_url": join_url, "days": VALID_DAYS},
               [author.email], kind="coauthor_invitation")
        record_event(author.chapter, by, f"Invited {author.name} to join as a co-author")


def join_link(author: ChapterAuthor) -> str:
    """The signed link that lets this co-author join, valid for the address stored for them now."""
    token = signing.dumps({"author": author.pk, "email": _address(author)}, salt=SALT)
    return link("chapter_join", token=token)


def invited_author(token: str) -> ChapterAuthor:
    """The co-author an invitation names, if it is genuine, recent and still about the address stored for them."""
    try:
        claim = signing.loads(token, salt=SALT, max_age=VALID_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise InvitationProblem(f"This invitation is more than {VALID_DAYS} days old. Ask the chapter's contact "
                                "author or the editors for a new one.") from None
    except signing.BadSignature:
        raise InvitationProblem("This invitation link is not valid: check that it was copied whole.") from None
    author = ChapterAuthor.objects.select_related("chapter", "user").filter(pk=claim.get("author")).first()
    if author is None or _address(author) != claim.get("email"):
        raise InvitationProblem("This invitation is no longer valid: the chapter's authors have changed since it "
                                "was sent. Ask for a new one.")
    return author


def account_for(author: ChapterAuthor):
    """The account already registered with the co-author's address, or None."""
    return user_with_email(_address(author))


def join(author: ChapterAuthor, user) -> None:
    """Links ``user`` (whose address is the invited one) to the chapter as this co-author."""
    with transaction.atomic():
        locked = ChapterAuthor.objects.select_for_update().select_related("chapter").get(pk=author.pk)
        if locked.user_id == user.pk:
            return
        if locked.user_id:
            raise InvitationProblem(f"{locked.name} has already joined the chapter with another account.")
        locked.user = user
        locked.save(update_fields=["user"])
        user.groups.add(ensure_group(AUTHOR))
        record_event(locked.chapter, user, f"{locked.name} joined the chapter as a co-author")


def needs_password(author: ChapterAuthor) -> bool:
    """Whether following the invitation means choosing a password: no account has the co-author's address yet, or
    the one that has it (made for a proposal, or by an earlier version of this page) never got a password."""
    account = author.user if author.user_id else account_for(author)
    return account is None or not account.has_usable_password()


def prospective_account(author: ChapterAuthor):
    """The account a co-author without a password joins with: theirs, or a new one not yet saved (the password
    checks compare the password with its name and address)."""
    account = author.user if author.user_id else account_for(author)
    if account is not None:
        return account
    address = _address(author)
    first, _, last = author.name.strip().partition(" ")
    return get_user_model()(username=address, email=address, first_name=first[:150], last_name=last[:150])


def join_with_password(author: ChapterAuthor, password_form):
    """Sets the password chosen in ``password_form`` (valid, built on :func:`prospective_account`) and joins, in
    one transaction; returns the account."""
    account = password_form.user
    with transaction.atomic():
        if account.pk and get_user_model().objects.select_for_update().get(pk=account.pk).has_usable_password():
            raise InvitationProblem("An account with your address already has a password: log in with it to join.")
        password_form.save()
        join(author, account)
    return account
