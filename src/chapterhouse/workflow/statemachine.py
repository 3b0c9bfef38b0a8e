"""A workflow's states and allowed moves as data, so every stage reads the same way and views never guess.

Each workflow object (a proposal, later a chapter or a clearance request) declares one ``StateMachine``: its
states with their labels and the transitions with who may make them. The Django side (``transitions.py``)
checks a move against it, saves it and writes the audit row. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class TransitionNotAllowed(Exception):
    """The move is not in the machine, or not for this person, or lacks the reason it needs."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    label: str
    needs_reason: bool = False
    # Roles in this set must give a reason even where others need not (an editor withdrawing for an author).
    reason_required_for: frozenset[str] = frozenset()

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

    def check(self, source: str, target: str, roles: Iterable[str], reason: str = "") -> Transition:
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
        return move
