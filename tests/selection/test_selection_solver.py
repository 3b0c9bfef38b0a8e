"""The selection solver against brute force on small random instances, its reasons, runner-ups and input errors."""

import itertools
import json
import random

import pytest

from chapterhouse.selection.solver import SelectionInputError, parse_problem, solve


def brute_force(raw: dict):
    """The best total score over every subset that meets every rule, or None if no subset does."""
    pinned, excluded = set(raw.get("pinned", [])), set(raw.get("excluded", []))
    floor = raw.get("min_score")
    best = None
    proposals = raw["proposals"]
    for size in range(len(proposals) + 1):
        for subset in itertools.combinations(proposals, size):
            ids = {p["id"] for p in subset}
            if not pinned <= ids or ids & excluded or size > raw["max_total"]:
                continue
            if floor is not None and any(p["score"] < floor and p["id"] not in pinned for p in subset):
                continue
            if raw.get("budget") is not None and sum(p.get("funding", 0) for p in subset) > raw["budget"] + 1e-9:
                continue
            contacts = [p["contact"] for p in subset if p.get("contact")]
            if raw.get("one_per_contact") and len(contacts) != len(set(contacts)):
                continue
            if any(not t["min"] <= sum(p["theme"] == t["id"] for p in subset) <= t["max"] for t in raw["themes"]):
                continue
            total = sum(p["score"] for p in subset)
            best = total if best is None else max(best, total)
    return best


def random_problem(rng: random.Random) -> dict:
    themes = [{"id": f"t{i}", "min": rng.randint(0, 2), "max": 0} for i in range(rng.randint(1, 3))]
    for theme in themes:
        theme["max"] = theme["min"] + rng.randint(0, 2)
    proposals = [{"id": f"P{i}", "theme": rng.choice(themes)["id"], "score": round(rng.uniform(0, 5), 1),
                  "funding": rng.choice([0, 0, 1000, 4000]), "contact": rng.choice(["ann", "bo", "cy", "di", ""])}
                 for i in range(rng.randint(2, 9))]
    raw = {"themes": themes, "max_total": rng.randint(1, 6), "proposals": proposals,
           "one_per_contact": rng.random() < 0.4}
    if rng.random() < 0.5:
        raw["budget"] = rng.choice([0, 2000, 5000, 10000])
    if rng.random() < 0.4:
        raw["min_score"] = rng.choice([1.0, 2.5, 3.0])
    ids = [p["id"] for p in proposals]
    raw["pinned"] = [i for i in ids if rng.random() < 0.1]
    raw["excluded"] = [i for i in ids if rng.random() < 0.1 and i not in raw["pinned"]]
    return raw


@pytest.mark.parametrize("seed", range(120))
def test_matches_brute_force_on_small_random_instances(seed):
    raw = random_problem(random.Random(seed))
    best = brute_force(raw)
    result = solve(parse_problem(json.dumps(raw)))
    if best is None:
        assert result.status == "infeasible" and result.infeasible.reason and not result.selected
        return
    assert result.status == "optimal", result.infeasible
    assert result.objective == pytest.approx(best, abs=1e-6)
    chosen = [p for p in raw["proposals"] if p["id"] in set(result.selected)]
    assert sum(p["score"] for p in chosen) == pytest.approx(best, abs=1e-6)
    assert result.by_theme == {t["id"]: sum(p["theme"] == t["id"] for p in chosen) for t in raw["themes"]}
    assert set(result.why) == {t["id"] for t in raw["themes"]}


def test_the_seeds_include_infeasible_instances():
    outcomes = {brute_force(random_problem(random.Random(seed))) is None for seed in range(120)}
    assert outcomes == {True, False}


THEMES = [{"id": "industry", "name": "Industry", "min": 3, "max": 5}, {"id": "process", "name": "Process", "min": 1, "max": 2}]


def proposals(scores, theme="industry", **extra):
    return [{"id": f"{theme}-{i}", "theme": theme, "score": s, **extra} for i, s in enumerate(scores)]


def test_a_theme_short_of_good_proposals_is_named_with_the_threshold():
    raw = {"themes": THEMES, "max_total": 8, "min_score": 3.0,
           "proposals": proposals([4.5, 3.2, 2.1, 1.0]) + proposals([4.0], "process")}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.status == "infeasible"
    assert result.infeasible.reason == ("Theme “Industry” needs at least 3 chapters; only 2 proposals in it score "
                                        "at least 3.")


def test_a_budget_that_cannot_cover_the_minimums_says_so():
    raw = {"themes": THEMES, "max_total": 8, "budget": 5000,
           "proposals": proposals([4, 4, 4], funding=2000) + proposals([4], "process", funding=0)}
    result = solve(parse_problem(json.dumps(raw)))
    assert "costs at least 6,000" in result.infeasible.reason and "budget is 5,000" in result.infeasible.reason


def test_runner_ups_are_the_best_left_out_per_theme_and_why_names_the_binding_rule():
    raw = {"themes": THEMES, "max_total": 5,
           "proposals": proposals([5, 4.8, 4.6, 4.4, 4.2, 4.0, 3.5]) + proposals([3.9, 3.8, 1.0], "process")}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.by_theme == {"industry": 4, "process": 1}
    assert result.runner_ups == {"industry": ["industry-4", "industry-5", "industry-6"],
                                 "process": ["process-1", "process-2"]}
    assert "The volume is full (5 chapters)" in result.why["industry"]
    assert "At its minimum of 1." in result.why["process"]


def test_pinned_and_excluded_are_respected():
    raw = {"themes": THEMES, "max_total": 5, "pinned": ["process-2"], "excluded": ["industry-0"],
           "proposals": proposals([5, 4.8, 4.6, 4.4]) + proposals([3.9, 3.8, 1.0], "process")}
    result = solve(parse_problem(json.dumps(raw)))
    assert "process-2" in result.selected and "industry-0" not in result.selected


@pytest.mark.parametrize("change,path,words", [
    ({"themes": [{"id": "a", "min": 3, "max": 2}]}, "themes[0].max", "≥ min (3)"),
    ({"proposals": [{"id": "x", "theme": "nope", "score": 1}]}, "proposals[0].theme", "no theme has the id 'nope'"),
    ({"pinned": ["ghost"]}, "pinned[0]", "no proposal has the id 'ghost'"),
    ({"max_total": "twelve"}, "max_total", "must be an integer"),
    ({"proposals": [{"id": "x", "theme": "industry"}]}, "proposals[0].score", "is required"),
    ({"budget": -1}, "budget", "≥ 0"),
])
def test_bad_input_is_named_by_its_json_path(change, path, words):
    raw = {"themes": THEMES, "max_total": 5, "proposals": proposals([1]), **change}
    with pytest.raises(SelectionInputError) as caught:
        parse_problem(json.dumps(raw))
    assert any(p.path == path and words in p.message for p in caught.value.problems), caught.value.problems
