"""The selection solver against brute force on small random instances (fewest chapters missing from the
minimums first, then the highest score), its independent check, its shortfalls and their advice, its reasons,
runner-ups and input errors."""

import itertools
import json
import random

import pytest

from chapterhouse.selection.checker import check
from chapterhouse.selection.solver import SelectionInputError, parse_problem, solve


def brute_force(raw: dict):
    """The best (shortfall, score) over every subset that keeps every hard rule, as (shortfall, score), or None
    if no subset does. The shortfall counts chapters missing from each theme's minimum and the volume's."""
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
            counts = [sum(p["theme"] == t["id"] for p in subset) for t in raw["themes"]]
            if any(count > t["max"] for count, t in zip(counts, raw["themes"])):
                continue
            missing = sum(max(0, t["min"] - count) for count, t in zip(counts, raw["themes"]))
            missing += max(0, raw.get("min_total", 0) - size)
            key = (-missing, sum(p["score"] for p in subset))
            best = key if best is None or key[0] > best[0] or (key[0] == best[0] and key[1] > best[1] + 1e-12) else best
    return None if best is None else (-best[0], best[1])


def random_problem(rng: random.Random) -> dict:
    themes = [{"id": f"t{i}", "min": rng.randint(0, 3), "max": 0} for i in range(rng.randint(1, 3))]
    for theme in themes:
        theme["max"] = theme["min"] + rng.randint(0, 2)
    proposals = [{"id": f"P{i}", "theme": rng.choice(themes)["id"], "score": round(rng.uniform(-1, 5), 1),
                  "funding": rng.choice([0, 0, 1000, 4000]), "contact": rng.choice(["ann", "bo", "cy", "di", ""])}
                 for i in range(rng.randint(2, 9))]
    raw = {"themes": themes, "max_total": rng.randint(1, 6), "proposals": proposals,
           "one_per_contact": rng.random() < 0.4}
    if rng.random() < 0.3:
        raw["min_total"] = rng.randint(0, raw["max_total"])
    if rng.random() < 0.5:
        raw["budget"] = rng.choice([0, 2000, 5000, 10000])
    if rng.random() < 0.4:
        raw["min_score"] = rng.choice([1.0, 2.5, 3.0])
    ids = [p["id"] for p in proposals]
    raw["pinned"] = [i for i in ids if rng.random() < 0.1]
    raw["excluded"] = [i for i in ids if rng.random() < 0.1 and i not in raw["pinned"]]
    return raw


@pytest.mark.parametrize("seed", range(160))
def test_matches_brute_force_on_small_random_instances(seed):
    raw = random_problem(random.Random(seed))
    best = brute_force(raw)
    problem = parse_problem(json.dumps(raw))
    result = solve(problem)
    if best is None:
        assert result.status == "infeasible" and result.infeasible.reason and not result.selected
        assert "pinned" in result.infeasible.reason  # only pins can make the hard rules impossible
        return
    assert result.status == "optimal", result.infeasible
    assert (result.shortfall, result.objective) == pytest.approx(best, abs=1e-6)
    chosen = [p for p in raw["proposals"] if p["id"] in set(result.selected)]
    assert sum(p["score"] for p in chosen) == pytest.approx(best[1], abs=1e-6)
    assert result.by_theme == {t["id"]: sum(p["theme"] == t["id"] for p in chosen) for t in raw["themes"]}
    assert set(result.why) == {t["id"] for t in raw["themes"]}
    state = check(problem, result.selected)
    assert state.broken == [] and state.shortfall == result.shortfall
    assert sum(s.missing for s in result.shortfalls) == result.shortfall
    assert all(s.closers and s.closers[-1].kind == "second_call" for s in result.shortfalls)


def test_the_seeds_include_infeasible_instances_and_shortfalls():
    outcomes = [brute_force(random_problem(random.Random(seed))) for seed in range(160)]
    assert None in outcomes
    assert {o[0] > 0 for o in outcomes if o is not None} == {True, False}


THEMES = [{"id": "industry", "name": "Industry", "min": 3, "max": 5}, {"id": "process", "name": "Process", "min": 1, "max": 2}]


def proposals(scores, theme="industry", **extra):
    return [{"id": f"{theme}-{i}", "theme": theme, "score": s, **extra} for i, s in enumerate(scores)]


LAW = {"id": "law", "name": "Law and Policy", "min": 3, "max": 5}


def test_a_theme_short_of_good_proposals_still_gets_the_best_selection_with_the_shortfall_named():
    """The issue's case: one proposal in "Law and Policy" scores above the minimum; the rest is still selected."""
    raw = {"themes": [LAW, *THEMES], "max_total": 12, "min_score": 2.5, "one_per_contact": True,
           "proposals": [{"id": "L1", "theme": "law", "score": 4.0, "contact": "ann"},
                         {"id": "L2", "theme": "law", "score": 2.4},
                         {"id": "L3", "theme": "law", "score": 3.6, "contact": "ann"},
                         {"id": "L4", "theme": "law", "score": 1.2}]
                        + proposals([4.5, 3.2, 3.1, 2.6], theme_fit={"industry": 0.30, "law": 0.28})
                        + proposals([4.0], "process")}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.status == "optimal"
    assert result.by_theme == {"law": 1, "industry": 4, "process": 1}
    assert result.shortfall == 2
    [short] = result.shortfalls
    assert short.message == "Law and Policy: 1 of at least 3"
    assert (short.theme, short.selected, short.min, short.missing) == ("law", 1, 3, 2)
    texts = {c.kind: c.text for c in short.closers}
    assert texts["held_back"] == ("L3 (score 3.6) is left out: its contact author already has L1 selected "
                                  "(one chapter per contact).")
    assert texts["below_min_score"] == ("L2 (score 2.4) and L4 (score 1.2) score below the minimum score of 2.5: "
                                        "pin them, or lower the minimum.")
    moves = [c for c in short.closers if c.kind == "other_theme"]
    assert [c.proposals for c in moves] == [["industry-0"], ["industry-1"], ["industry-2"]]
    assert moves[0].text == ("industry-0 (score 4.5, in “Industry”, selected there) fits “Law and Policy” about as well "
                             "as its own theme (0.28 against 0.30): move it, if its authors agree.")
    assert texts["second_call"] == "Open a second call for “Law and Policy” to find 2 more chapters."
    assert "2 short of its minimum of 3." in result.why["law"]


def test_no_move_is_suggested_that_would_only_move_the_shortfall_or_that_the_rules_keep_out():
    fit = {"industry": 0.1, "law": 0.3}
    raw = {"themes": [LAW, *THEMES], "max_total": 12, "min_score": 2.5,
           "proposals": [{"id": "L1", "theme": "law", "score": 4.0}]
                        + proposals([4.5, 3.2, 3.1], theme_fit=fit)  # Industry at its minimum of 3
                        + proposals([4.0, 3.0], "process", theme_fit=fit)  # Process above its minimum of 1
                        + [{"id": "low", "theme": "process", "score": 1.0, "theme_fit": fit}]}
    result = solve(parse_problem(json.dumps(raw)))
    moves = [c.proposals[0] for c in result.shortfalls[0].closers if c.kind == "other_theme"]
    assert moves == ["process-0", "process-1"]
    assert result.shortfalls[0].closers[-2].text.startswith("process-1 (score 3, in “Process”, selected there) fits "
                                                             "“Law and Policy” better than its own theme (0.30 against 0.00)")


def test_fewest_missing_chapters_come_before_the_score():
    """Two high scorers in a full theme lose to one low scorer that fills another theme's minimum."""
    raw = {"themes": [{"id": "a", "min": 0, "max": 2}, {"id": "b", "min": 1, "max": 1}], "max_total": 2,
           "proposals": [{"id": "A1", "theme": "a", "score": 5}, {"id": "A2", "theme": "a", "score": 5},
                         {"id": "B1", "theme": "b", "score": 0.5}]}
    result = solve(parse_problem(json.dumps(raw)))
    assert (result.shortfall, sorted(result.selected), result.objective) == (0, ["A1", "B1"], 5.5)


def test_the_volume_minimum_is_a_target_too():
    raw = {"themes": [{"id": "a", "name": "A", "min": 0, "max": 3}], "max_total": 5, "min_total": 4,
           "proposals": [{"id": f"A{i}", "theme": "a", "score": 3} for i in range(3)]}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.shortfall == 1 and result.shortfalls[0].message == "The volume: 3 of at least 4"
    assert result.shortfalls[0].theme is None
    assert result.shortfalls[0].closers[-1].text == "Open a second call for the volume to find 1 more chapter."


def test_a_budget_that_cannot_cover_the_minimums_leaves_a_shortfall_and_names_the_budget():
    raw = {"themes": THEMES, "max_total": 8, "budget": 5000,
           "proposals": proposals([4, 4, 4], funding=2000) + proposals([4], "process", funding=0)}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.status == "optimal" and result.funding == 4000 and result.shortfall == 1
    assert result.shortfalls[0].message == "Industry: 2 of at least 3"
    [left_out] = {"industry-0", "industry-1", "industry-2"} - set(result.selected)
    assert result.shortfalls[0].closers[0].text == (f"{left_out} (score 4) is left out: it asks for 2,000 and 1,000 "
                                                   f"is left in the budget.")


@pytest.mark.parametrize("change,reason", [
    ({"pinned": ["process-0", "process-1", "process-2"]},
     "Theme “Process” takes at most 2 chapters; 3 of its proposals are pinned."),
    ({"pinned": ["industry-0", "industry-1"], "max_total": 1}, "2 proposals are pinned; the volume takes at most 1 chapter."),
    ({"pinned": ["industry-0", "process-0"], "one_per_contact": True},
     "The pinned proposals industry-0 and process-0 share a contact author; only one chapter per contact may be selected."),
    ({"pinned": ["industry-0", "industry-1"], "budget": 1500},
     "The pinned proposals ask for 2,000 in funding; the budget is 1,500."),
])
def test_pins_that_break_a_hard_rule_are_explained(change, reason):
    raw = {"themes": THEMES, "max_total": 8, **change,
           "proposals": proposals([4, 3], contact="ann", funding=1000) + proposals([4, 3, 2], "process", contact="ann")}
    result = solve(parse_problem(json.dumps(raw)))
    assert result.status == "infeasible" and result.infeasible.reason == reason and not result.selected


def test_the_checker_names_every_broken_rule_in_plain_words():
    raw = {"themes": THEMES, "max_total": 3, "budget": 1000, "one_per_contact": True, "min_score": 3,
           "pinned": ["process-0"], "excluded": ["industry-3"],
           "proposals": proposals([4, 4, 4, 2.5], contact="ann", funding=500) + proposals([4], "process")}
    state = check(parse_problem(json.dumps(raw)), ["industry-0", "industry-1", "industry-2", "industry-3"])
    assert [(t.name, t.count, t.quota) for t in state.themes] == [("Industry", 4, "3–5"), ("Process", 0, "1–2")]
    assert state.shortfalls == ["Process: 0 of at least 1"]
    assert state.broken == [
        "The volume: 4 chapters, more than its maximum of 3.",
        "Funding 2,000, more than the budget of 1,000.",
        "One chapter per contact author: industry-0, industry-1, industry-2 and industry-3 share a contact.",
        "Pinned but not selected: process-0.",
        "Excluded but selected: industry-3.",
        "Below the minimum score and not pinned: industry-3.",
    ]


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


def test_an_unreviewed_proposal_is_named_as_not_yet_reviewed_never_as_score_0():
    """Issue 17: the selection page's advice called FMS-0002, which nobody had reviewed yet, "score 0"."""
    raw = {"themes": [LAW, *THEMES], "max_total": 12, "min_score": 2.5,
           "proposals": [{"id": "L1", "theme": "law", "score": 4.0},
                         {"id": "L2", "theme": "law", "score": 0, "reviewed": False},
                         {"id": "L3", "theme": "law", "score": 1.5}]
                        + proposals([4.5, 3.2, 3.1]) + proposals([4.0], "process")}
    [short] = solve(parse_problem(json.dumps(raw))).shortfalls
    texts = {c.kind: c.text for c in short.closers}
    assert texts["below_min_score"] == "L3 (score 1.5) scores below the minimum score of 2.5: pin it, or lower the minimum."
    assert texts["not_reviewed"] == ("L2 is not yet reviewed: it counts once its reviews give it a score of at least "
                                     "2.5, or if pinned.")
    raw.update(min_score=None, one_per_contact=True)
    raw["proposals"][0]["contact"] = raw["proposals"][1]["contact"] = "ann"
    [short] = solve(parse_problem(json.dumps(raw))).shortfalls
    texts = {c.kind: c.text for c in short.closers}
    assert texts["held_back"] == ("L2 (not yet reviewed) is left out: its contact author already has L1 selected "
                                  "(one chapter per contact).")
