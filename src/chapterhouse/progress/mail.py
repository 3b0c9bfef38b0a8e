"""Mail to the people taking part in a review session: its details and calendar file when they are added or
their slot changes, and a reminder before the draft deadline. Always to the addresses stored on their accounts,
always through the outbox, in the transaction of the change."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from chapterhouse.progress.models import ReviewSession, Slot


def link(name: str, pk: int) -> str:
    return settings.CHAPTERHOUSE_BASE_URL.rstrip("/") + reverse(name, kwargs={"pk": pk})


def session_context(session: ReviewSession) -> dict:
    slots = session.slots.select_related("chapter", "presenter_user", "discussant_user", "chair_user")
    return {"session": session, "slots": list(slots), "session_url": link("review_session", session.pk),
            "ics_url": link("review_session_ics", session.pk)}


def tell_participants(slot: Slot, people, *, changed: bool) -> list[str]:
    """Sends the session's details and its calendar file's address to ``people`` (accounts of this slot)."""
    from chapterhouse.outbox.mail import queue_mail

    context = {**session_context(slot.session), "slot": slot, "changed": changed}
    sent = []
    for person in people:
        if person.email:
            queue_mail("progress/email/session_details.txt", {**context, "person": person, "part": part_of(slot, person)},
                       [person.email], about=slot.session, kind="review-session-details")
            sent.append(person.email)
    return sent


def part_of(slot: Slot, person) -> str:
    parts = [name for name, user in (("presenter", slot.presenter_user), ("discussant", slot.discussant_user),
                                     ("chair", slot.chair_user)) if user is not None and user.pk == person.pk]
    return " and ".join(parts)


def tell_draft_uploaded(slot: Slot, upload) -> list[str]:
    """The slot's discussant and chair learn that the draft (or slides) they respond to can be read."""
    from chapterhouse.outbox.mail import queue_mail

    readers = [p for p in (slot.discussant_user, slot.chair_user) if p is not None and p.email]
    context = {**session_context(slot.session), "slot": slot, "upload": upload}
    for person in {p.pk: p for p in readers}.values():
        queue_mail("progress/email/draft_uploaded.txt", {**context, "person": person}, [person.email],
                   about=slot.session, kind="review-session-upload")
    return [p.email for p in readers]


def tell_feedback(slot: Slot) -> list[str]:
    """The chapter's authors (the stored addresses of its author rows) learn the editors' feedback is there."""
    from chapterhouse.chapters.mail import author_addresses
    from chapterhouse.outbox.mail import queue_mail

    to = author_addresses(slot.chapter)
    if to:
        queue_mail("progress/email/feedback.txt", {**session_context(slot.session), "slot": slot}, to,
                   about=slot.session, kind="review-session-feedback")
    return to


def tell_dropped(slot: Slot, people) -> list[str]:
    """``people`` no longer take part in this slot (changed to someone else, or the slot was removed)."""
    from chapterhouse.outbox.mail import queue_mail

    context = {**session_context(slot.session), "slot": slot}
    to = [person.email for person in people if person.email]
    for address in to:
        queue_mail("progress/email/slot_dropped.txt", context, [address], about=slot.session,
                   kind="review-session-dropped")
    return to
