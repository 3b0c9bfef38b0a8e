"""Every named URL in the project is in some authorisation MATRIX (tests/**/test_authorization.py).

A new view that nobody added to a matrix has never been checked for who may see it; this test names it.
Admin and static URLs are Django's own and excluded.
"""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parent
EXCLUDED_NAMESPACES = {"admin"}


def named_urls(patterns=None, namespace=None) -> set[str]:
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if inner in EXCLUDED_NAMESPACES:
                continue
            names |= named_urls(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if entry.name in {"static", "serve"} or entry.pattern.regex.pattern.lstrip("^").startswith("static"):
                continue
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def matrix_names() -> set[str]:
    """URL names that are keys of a module-level MATRIX dict literal in any test_authorization.py."""
    names = set()
    for path in TESTS.rglob("test_authorization.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            targets = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            if "MATRIX" in targets and isinstance(node.value, ast.Dict):
                for key in node.value.keys:
                    if isinstance(key, ast.Tuple) and key.elts and isinstance(key.elts[0], ast.Constant):
                        names.add(key.elts[0].value)
    return names


def test_the_matrix_finder_reads_the_proposals_matrix():
    assert {"propose", "desk_proposal", "my_proposal_withdraw"} <= matrix_names()


def test_every_named_url_is_in_an_authorisation_matrix():
    missing = sorted(named_urls() - matrix_names())
    assert missing == [], "URLs in no MATRIX of tests/**/test_authorization.py: " + ", ".join(missing)
