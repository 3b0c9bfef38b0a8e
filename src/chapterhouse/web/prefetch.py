"""Reverse foreign keys of many rows read in one query each and kept as plain lists (``prefetch_lists``).

Django's ``prefetch_related`` reads each relation in one query too, but then builds, for every row and every
relation, a filtered QuerySet to hold that row's share (``_apply_rel_filters``: a Query with its joins,
cloned and compiled). With 20 chapters and 7 relations that is 140 QuerySets, most of the editors' board's
time. Here each row's share is a ``Prefetched`` list in the same prefetch cache, so ``row.relation.all()``
gives it without a query: code that iterates, counts or tests it works unchanged; a QuerySet method beyond
``all``/``count``/``exists`` (``filter``, ``order_by``) is not there, and fails loudly rather than querying.
"""

from __future__ import annotations

from collections import defaultdict


class Prefetched(list):
    """One row's related rows, as its related manager hands them out after ``prefetch_lists``."""

    def all(self) -> Prefetched:
        return self

    def count(self) -> int:
        return len(self)

    def exists(self) -> bool:
        return bool(self)


def prefetch_lists(rows: list, *names: str) -> None:
    """For each reverse foreign key in ``names``, one query for all ``rows`` (in the related model's default
    order, as ``prefetch_related`` reads them), each row's share stored where its manager's ``all()`` looks,
    and each related row's own link back set to the row (no query to go back)."""
    if not rows:
        return
    model = type(rows[0])
    by_pk = {row.pk: row for row in rows}
    for row in rows:
        if not hasattr(row, "_prefetched_objects_cache"):
            row._prefetched_objects_cache = {}
    for name in names:
        relation = model._meta.get_field(name)
        link = relation.field  # the foreign key on the related model
        shares: dict = defaultdict(Prefetched)
        for related in relation.related_model._default_manager.filter(**{f"{link.name}__in": list(by_pk)}):
            owner = by_pk[getattr(related, link.attname)]
            link.set_cached_value(related, owner)
            shares[owner.pk].append(related)
        for row in rows:
            row._prefetched_objects_cache[relation.cache_name] = shares.get(row.pk, Prefetched())
