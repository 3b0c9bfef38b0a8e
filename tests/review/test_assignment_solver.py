"""The assignment solver against brute force on small random instances, feasible and not, and its input errors."""

import itertools
import json
import random

import pytest

from chapterhouse.review.assignment import AssignmentInputError, parse_problem, solve


def brute_force(problem: dict):
    """Every way to give each proposal k eligible reviewers within loads: (best total, best (lowest pair
    affinity, total)), the second lexicographic as "fair" is."""
    k = problem["reviewers_per_proposal"]
    reviewers = [r["id"] for r in problem["reviewers"]]
    loads = {r["id"]: r["max_load"] for r in problem["reviewers"]}
    banned = {tuple(p) for p in problem.get("conflicts", []) + problem.get("forbidden", [])}
    pinned = {tuple(p) for p in problem.get("pinned", [])}
    score = {(p, r): s for p, r, s in problem.get("affinity", [])}
    options = []
    for proposal in problem["proposals"]:
        pid = proposal["id"]
        options.append([c for c in itertools.combinations(reviewers, k)
                        if not any((pid, r) in banned for r in c)
                        and all(r in c for (p, r) in pinned if p == pid)])
    best_total, best_fair = None, None
    for choice in itertools.product(*options):
        used = {}
        for group in choice:
            for r in group:
                used[r] = used.get(r, 0) + 1
        if any(used[r] > loads[r] for r in used):
            continue
        pair_scores = [score.get((p["id"], r), 0) for p, group in zip(problem["proposals"], choice) for r in group]
        total = sum(pair_scores)
        best_total = total if best_total is None else max(best_total, total)
        fair = (min(pair_scores), total)
        best_fair = fair if best_fair is None else max(best_fair, fair)
    return best_total, best_fair


def random_problem(rng: random.Random) -> dict:
    proposals = [{"id": f"P{i}", "authors": []} for i in range(rng.randint(1, 4))]
    reviewers = [{"id": f"R{j}", "max_load": rng.randint(0, 3)} for j in range(rng.randint(2, 5))]
    k = rng.randint(1, 2)
    pairs = [(p["id"], r["id"]) for p in proposals for r in reviewers]
    problem = {
        "reviewers_per_proposal": k, "proposals": proposals, "reviewers": reviewers,
        "affinity": [[p, r, round(rng.uniform(-1, 3), 2)] for p, r in pairs if rng.random() < 0.8],
        "conflicts": [[p, r] for p, r in pairs if rng.random() < 0.15],
        "forbidden": [[p, r] for p, r in pairs if rng.random() < 0.05],
    }
    problem["pinned"] = [[p, r] for p, r in pairs if rng.random() < 0.05 and [p, r] not in problem["forbidden"]]
    return problem


@pytest.mark.parametrize("seed", range(60))
def test_matches_brute_force_on_small_random_instances(seed):
    rng = random.Random(seed)
    raw = random_problem(rng)
    best_total, best_fair = brute_force(raw)
    for objective in ("total", "fair"):
        result = solve(parse_problem(json.dumps({**raw, "objective": objective, "detect_conflicts": False})))
        if best_total is None:
            assert result.status == "infeasible" and result.infeasible.reason and not result.assignment
            continue
        assert result.status == "optimal", result.infeasible
        if objective == "total":
            assert result.objective == pytest.approx(best_total, abs=1e-6)
        else:
            assert (result.lowest_pair_affinity, result.objective) == pytest.approx(best_fair, abs=1e-6)
            assert "proven by bisection" in result.solver or "every review is pinned" in result.solver
        _check_valid(raw, result)


@pytest.mark.parametrize("seed", range(60, 140))
def test_fair_matches_brute_force_with_tied_affinities_and_tight_loads(seed):
    """Few distinct affinities and loads that barely suffice: the bisection's steps and its edge cases."""
    rng = random.Random(seed)
    raw = random_problem(rng)
    raw["affinity"] = [[p, r, rng.choice([0, 0.5, 1, 1.5])] for p, r, _ in raw["affinity"]]
    for reviewer in raw["reviewers"]:
        reviewer["max_load"] = rng.randint(1, 2)
    _, best_fair = brute_force(raw)
    result = solve(parse_problem(json.dumps({**raw, "objective": "fair", "detect_conflicts": False})))
    if best_fair is None:
        assert result.status == "infeasible" and not result.assignment
        return
    assert result.status == "optimal", result.infeasible
    assert (result.lowest_pair_affinity, result.objective) == pytest.approx(best_fair, abs=1e-6)
    _check_valid(raw, result)


def _check_valid(raw, result):
    k = raw["reviewers_per_proposal"]
    banned = {tuple(p) for p in raw["conflicts"] + raw["forbidden"]}
    chosen = {tuple(p) for p in result.assignment}
    assert len(chosen) == len(result.assignment) == k * len(raw["proposals"])
    assert not chosen & banned and {tuple(p) for p in raw["pinned"]} <= chosen
    for r in raw["reviewers"]:
        assert sum(1 for _, rid in chosen if rid == r["id"]) <= r["max_load"]


def test_the_seeds_include_infeasible_instances():
    outcomes = {brute_force(random_problem(random.Random(seed)))[0] is None for seed in range(60)}
    assert outcomes == {True, False}


def problem(**extra):
    base = {
        "reviewers_per_proposal": 2,
        "proposals": [{"id": "FMS-0001", "authors": [{"name": "Ann", "email": "ann@navy.mil", "affiliation": "US Navy"}]},
                      {"id": "FMS-0012", "authors": [{"name": "Bo", "email": "bo@gmail.com", "affiliation": "The Institute 4"}]}],
        "reviewers": [{"id": "r1", "name": "Cy", "email": "cy@army.mil", "max_load": 2},
                      {"id": "r2", "name": "Di", "email": "di@gmail.com", "affiliation": "institute  4.", "max_load": 2},
                      {"id": "r3", "name": "Ed", "email": "ed@state.gov", "max_load": 2}],
        "affinity": [["FMS-0001", "r1", 0.9], ["FMS-0012", "r3", 0.5]],
    }
    return json.dumps({**base, **extra})


def test_infeasibility_names_the_proposal_and_counts_its_eligible_reviewers():
    result = solve(parse_problem(problem(reviewers_per_proposal=3)))
    assert result.status == "infeasible"
    assert "FMS-0012 has 2 eligible reviewers; 3 are needed" in result.infeasible.reason
    assert result.infeasible.proposals == ["FMS-0012"]


def test_a_shortage_only_a_flow_can_see_is_explained_by_the_minimum_cut():
    raw = json.loads(problem(reviewers_per_proposal=1, detect_conflicts=False))
    raw["proposals"].append({"id": "FMS-0013"})
    # Three proposals, each may only go to r1 or r2, who take one each: Hall's condition fails.
    raw["conflicts"] = [[p, "r3"] for p in ("FMS-0001", "FMS-0012", "FMS-0013")]
    raw["reviewers"][0]["max_load"] = raw["reviewers"][1]["max_load"] = 1
    result = solve(parse_problem(json.dumps(raw)))
    assert result.status == "infeasible"
    assert "need 3 more reviews between them" in result.infeasible.reason and "can take only 2" in result.infeasible.reason
    assert set(result.infeasible.proposals) == {"FMS-0001", "FMS-0012", "FMS-0013"}


def test_detected_conflicts_are_applied_and_reported():
    result = solve(parse_problem(problem(reviewers_per_proposal=1)))
    assert result.status == "optimal"
    reasons = {(c.proposal, c.reviewer): c.reason for c in result.conflicts_applied}
    assert "same affiliation" in reasons[("FMS-0012", "r2")]
    assert ("FMS-0012", "r2") not in {tuple(p) for p in result.assignment}
    # gmail.com is webmail: Bo and Di share a mail provider, not an institution; the affiliation is the reason.
    assert "e-mail domain" not in reasons[("FMS-0012", "r2")]


@pytest.mark.parametrize("change,path,words", [
    ({"reviewers_per_proposal": 0}, "reviewers_per_proposal", "≥ 1"),
    ({"affinity": [["FMS-0001", "r9", 1]]}, "affinity[0][1]", "no reviewer has the id 'r9'"),
    ({"affinity": [["FMS-0001", "r1", "high"]]}, "affinity[0][2]", "must be a number"),
    ({"pinned": [["FMS-0001", "r1"]], "forbidden": [["FMS-0001", "r1"]]}, "pinned[0]", "both pinned and forbidden"),
    ({"objective": "best"}, "objective", "'total' or 'fair'"),
    ({"reviewers": [{"id": "r1"}]}, "reviewers[0].max_load", "is required"),
    ({"colour": 1}, "colour", "unknown key"),
])
def test_bad_input_is_named_by_its_json_path(change, path, words):
    with pytest.raises(AssignmentInputError) as caught:
        parse_problem(problem(**change))
    assert any(p.path == path and words in p.message for p in caught.value.problems), caught.value.problems


def test_text_that_is_not_json_is_one_clear_problem():
    with pytest.raises(AssignmentInputError) as caught:
        parse_problem("{not json", "p.json")
    assert str(caught.value).startswith("p.json: not valid JSON")
