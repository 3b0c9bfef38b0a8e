"""A workflow's states and allowed moves as data, so every stage reads the same way and views never guess.

Each workflow object (a proposal, later a chapter or a clearance request) declares one ``StateMachine``: its
states with their labels and the transitions with who may make them and what must be true first (conditions).
The Django side (``transitions.py``) checks a move against it, saves it and writes the audit row. Plain Python;
no Django: a condition reads the facts the Django side gathers into its ``context``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class TransitionNotAllowed(Exception):
    """The move is not in the machine, or not for this person, or lacks the reason it needs."""


class ConditionsUnmet(TransitionNotAllowed):
    """The move is allowed but what it needs is not yet true; ``unmet`` names every unmet condition."""

    def __init__(self, label: str, unmet: list[str]):
        self.unmet = list(unmet)
        super().__init__(f"Not done: “{label}” needs " + " ".join(self.unmet))


@dataclass(frozen=True)
class Condition:
    """One thing a move needs. ``label`` says it as a checklist line ("Every chapter is cleared"); ``check``
    receives the object and the context and returns what is not yet so, in words ([] when it holds)."""

    label: str
    check: Callable[[Any, Mapping[str, Any]], Iterable[str]]

    def unmet(self, subject, context: Mapping[str, Any]) -> list[str]:
        return [str(words) for words in self.check(subject, context)]


@dataclass(frozen=True)
class ChecklistLine:
    """A condition as a page shows it before the button: met, or with what is missing."""

    label: str
    problems: tuple[str, ...]

    @property
    def met(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    label: str
    needs_reason: bool = False
    # Roles in this set must give a reason even where others need not (an editor withdrawing for an author).
    reason_required_for: frozenset[str] = frozenset()
    conditions: tuple[Condition, ...] = ()

    def checklist(self, subject, context: Mapping[str, Any] | None = None) -> list[ChecklistLine]:
        return [ChecklistLine(c.label, tuple(c.unmet(subject, context or {}))) for c in self.conditions]

    def unmet(self, subject, context: Mapping[str, Any] | None = None) -> list[str]:
        """Every unmet condition's words, in the order declared; [] when the move may be made."""
        return [problem for line in self.checklist(subject, context) for problem in line.problems]

    def requires_reason(self, roles: Iterable[str]) -> bool:
        return self.needs_reason or bool(self.reason_required_for & set(roles))


class StateMachine:
    def __init__(self, name: str, states: dict[str, str], initial: str, transitions: Iterable[Transition]):
        self.name = name
        self.states = dict(states)
        self.initial = initial
        self.transitions = {(t.source, t.target): t for t in transitions}
        unknown = {s for pair in self.transitions for s in pair} - set(self.states)
        if initial not in self.states or unknown:
            raise ValueError(f"{name}: unknown states {sorted(unknown | ({initial} - set(self.states)))}")

    def label(self, state: str) -> str:
        return self.states.get(state, state)

    def choices(self) -> list[tuple[str, str]]:
        return list(self.states.items())

    def is_final(self, state: str) -> bool:
        return not any(source == state for source, _ in self.transitions)

    def available(self, state: str, roles: Iterable[str]) -> list[Transition]:
        roles = set(roles)
        return [t for (source, _), t in self.transitions.items() if source == state and t.roles & roles]

    def check(self, source: str, target: str, roles: Iterable[str], reason: str = "", *, subject=None,
              context: Mapping[str, Any] | None = None) -> Transition:
        """The move if ``roles`` may make it now; with ``subject`` its conditions are checked too (every unmet
        one named in the ConditionsUnmet raised)."""
        roles = set(roles)
        move = self.transitions.get((source, target))
        if move is None:
            raise TransitionNotAllowed(
                f"A {self.name} cannot go from “{self.label(source)}” to “{self.label(target)}”."
            )
        if not move.roles & roles:
            raise TransitionNotAllowed(f"You may not {move.label.lower()} this {self.name}.")
        if move.requires_reason(roles) and not reason.strip():
            raise TransitionNotAllowed(f"Say why: “{move.label}” needs a reason, which is kept in the history.")
        if subject is not None and move.conditions:
            unmet = move.unmet(subject, context)
            if unmet:
                raise ConditionsUnmet(move.label, unmet)
        return move
