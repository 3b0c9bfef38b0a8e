"""The one way a workflow object changes state: check the move, save it, write the audit row, together.

A model that takes part declares ``workflow`` (a StateMachine) and keeps its state in ``status``; callers pass
the roles the acting person holds for that object. Nothing else in the project assigns ``status``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.statemachine import ChecklistLine, ConditionsUnmet, Transition, TransitionNotAllowed

__all__ = ["ConditionsUnmet", "OfferedMove", "StaleState", "TransitionNotAllowed", "gate_context", "offered_moves",
           "transition", "transition_for_request", "record_creation", "record_event",
           "history", "state_changed"]

# Sent inside the move's transaction once it is saved (sender: the model; obj, source, target, by, why), so a later
# stage can start from a state (an accepted proposal starts its chapter) without the earlier stage knowing it.
state_changed = Signal()


def _actor_name(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_full_name() or user.get_username()


def _clip(text: str, field: str) -> str:
    """An action naming a long title must not fail the change it records (PostgreSQL enforces the length)."""
    limit = AuditEntry._meta.get_field(field).max_length
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _audit(obj: models.Model, user, action: str, source: str, target: str, reason: str) -> AuditEntry:
    action = _clip(action, "action")
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=_clip(_actor_name(user), "actor_name"),
        action=action,
        from_state=source,
        to_state=target,
        reason=reason.strip(),
    )


class StaleState(TransitionNotAllowed):
    """The page offered a move from a state the object has since left: nothing was changed."""


def gate_context(obj: models.Model) -> Mapping[str, Any]:
    """The facts a workflow's conditions read, from the model's ``gate_context()`` when it declares one."""
    provider = getattr(obj, "gate_context", None)
    return provider() if callable(provider) else {}


@dataclass
class OfferedMove:
    """A move a page offers, with its conditions as a checklist shown before the button."""

    transition: Transition
    checklist: list[ChecklistLine]

    @property
    def ready(self) -> bool:
        return all(line.met for line in self.checklist)

    @property
    def target(self) -> str:
        return self.transition.target

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def needs_reason(self) -> bool:
        return self.transition.needs_reason


def offered_moves(obj: models.Model, roles: Iterable[str]) -> list[OfferedMove]:
    """The moves ``roles`` may make from the object's state, each with its checklist (met/unmet)."""
    moves = type(obj).workflow.available(obj.status, roles)
    context = gate_context(obj) if any(m.conditions for m in moves) else {}
    return [OfferedMove(move, move.checklist(obj, context)) for move in moves]


def transition(obj: models.Model, to: str, by, roles: Iterable[str], why: str = "", *, expected_from: str = "",
               context: Mapping[str, Any] | None = None) -> AuditEntry:
    """Moves ``obj`` to state ``to`` if the workflow allows it for ``roles`` and its conditions hold (read from
    ``context``, else the object's ``gate_context()``); raises TransitionNotAllowed (ConditionsUnmet naming every
    unmet condition).

    ``expected_from`` is the state the person saw when the move was offered; if the object has moved since (a
    second tab, a colleague), StaleState is raised rather than applying a move nobody chose from this state.
    """
    model = type(obj)
    with transaction.atomic():
        # Lock and re-read: two editors clicking at once must not both move the object from the same state.
        current = model.objects.select_for_update().only("status").get(pk=obj.pk).status
        if expected_from and expected_from != current:
            workflow = model.workflow
            raise StaleState(
                f"Nothing was changed: this {workflow.name} is now “{workflow.label(current)}”, not "
                f"“{workflow.label(expected_from) if expected_from in workflow.states else expected_from}” as on the page "
                "you used. Here it is as it stands; choose again."
            )
        move = model.workflow.check(current, to, roles, why)
        unmet = move.unmet(obj, context if context is not None else gate_context(obj)) if move.conditions else []
        if unmet:
            raise ConditionsUnmet(move.label, unmet)
        fields = {"status": to}
        if hasattr(obj, "status_changed_at"):
            fields["status_changed_at"] = timezone.now()
        model.objects.filter(pk=obj.pk).update(**fields)
        for name, value in fields.items():
            setattr(obj, name, value)
        entry = _audit(obj, by, move.label, current, to, why)
        state_changed.send(sender=model, obj=obj, source=current, target=to, by=by, why=why)
        return entry


def record_creation(obj: models.Model, by, action: str, why: str = "") -> AuditEntry:
    return _audit(obj, by, action, "", obj.status, why)


def record_event(obj: models.Model, by, action: str, why: str = "") -> AuditEntry:
    """An audit row for a change that is not a state move (a cover uploaded, chapters reordered), for objects
    with or without a workflow; the state, if any, is recorded unchanged."""
    state = getattr(obj, "status", "")
    return _audit(obj, by, action, state, state, why)


def history(obj: models.Model) -> list[AuditEntry]:
    """The object's audit rows, oldest first, each with ``from_label``/``to_label`` in the workflow's words."""
    entries = list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk))
    for entry in entries:
        entry.from_label = type(obj).workflow.label(entry.from_state) if entry.from_state else ""
        entry.to_label = type(obj).workflow.label(entry.to_state)
    return entries


def transition_for_request(request, obj: models.Model, to: str, roles: Iterable[str], success: str) -> bool:
    """A view's transition: the person's reason from the form, the outcome as a message on the next page."""
    from django.contrib import messages

    try:
        transition(obj, to, request.user, roles, request.POST.get("reason", ""), expected_from=request.POST.get("from", ""))
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return False
    messages.success(request, success.format(obj=obj))
    return True
