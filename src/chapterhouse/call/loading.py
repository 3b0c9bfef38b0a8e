"""Puts a validated call into the database, or updates it in place when the file changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from chapterhouse.call.models import Call, Milestone, Theme
from chapterhouse.call.schema import CallFileError, Problem, parse_call


def install_call(text: str, source_path: str = "", *, open_on: dt.date | None = None, shift_days: int | None = None) -> Call:
    """Loads the TOML ``text``; ``open_on`` moves every milestone so the proposal window opens that day."""
    definition = parse_call(text, source_path or "<call>")
    if open_on is not None:
        shift_days = definition.days_to_open_on(open_on)
    shift_days = shift_days or 0
    shifted = definition.shifted(shift_days)
    with transaction.atomic():
        call, _ = Call.objects.update_or_create(
            slug=definition.slug,
            defaults=dict(
                reference_prefix=definition.reference_prefix,
                title=definition.title,
                source=text,
                source_path=source_path,
                shift_days=shift_days,
                opens_on=shifted.opens_on,
                closes_on=shifted.closes_on,
            ),
        )
        _sync_themes(call, shifted)
        call.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(call=call, kind=m.kind, date=m.date, precision=m.precision, label=m.label, note=m.note)
            for m in shifted.milestones
        )
    return call


def install_call_file(path: str | Path, **options) -> Call:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CallFileError(str(path), [Problem("", f"cannot be read: {error.strerror or error}")]) from None
    return install_call(text, str(path), **options)


def _sync_themes(call: Call, definition) -> None:
    wanted = {theme.slug: (position, theme) for position, theme in enumerate(definition.themes)}
    stale = call.themes.exclude(slug__in=wanted)
    in_use = [t.name for t in stale if t.proposals.exists()]
    if in_use:
        raise CallFileError(
            call.source_path or call.slug,
            [Problem("themes", f"cannot remove theme(s) that already have proposals: {', '.join(in_use)}")],
        )
    stale.delete()
    for slug, (position, theme) in wanted.items():
        Theme.objects.update_or_create(
            call=call,
            slug=slug,
            defaults=dict(
                name=theme.name, position=position, min_chapters=theme.min_chapters, max_chapters=theme.max_chapters
            ),
        )
