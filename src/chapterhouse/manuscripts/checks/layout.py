"""spacing and font: effective line spacing and font size of the chapter's text, part by part.

Body text must have the call's line spacing (``w:line="480" w:lineRule="auto"`` for double) and font size;
what applies to notes, headings, block quotations, bibliography, captions and tables is set in the call file
(``[manuscript.spacing]``, ``[manuscript.font_size]``). Exact or at-least spacing of the right height for the
font size looks right on screen but is not double spacing (it breaks on any size change), so it is a warning,
not a pass. Formatting is the effective one, resolved through styles (:mod:`chapterhouse.ooxml.styles`).
Plain Python; no Django.
"""

from __future__ import annotations

from chapterhouse.manuscripts.findings import Issue, Rule, places
from chapterhouse.ooxml.document import Paragraph

LINES = {"single": 240, "one-and-a-half": 360, "double": 480}
SPACING_HINT = "Select the text, then Home → Paragraph → Line spacing → {wanted} (or set it in the paragraph style)."
SIZE_HINT = "Select the text and set the font size to {size:g} pt, or change the style it uses (Normal, Body Text)."
# Roles of paragraphs (see ooxml.reader) and the call file's key for each; body text is ruled by the call itself.
ROLES = {"body": None, "note": "notes", "heading": "headings", "block_quote": "block_quotes",
         "bibliography": "bibliography", "caption": "captions", "table": "tables"}
LABELS = {"body": "body text", "note": "note text", "heading": "headings", "block_quote": "block quotations",
          "bibliography": "bibliography", "caption": "captions", "table": "table text"}


def _paragraphs(context, role: str) -> list[Paragraph]:
    if role == "note":
        found = [p for note in context.document.notes for p in note.paragraphs]
    else:
        found = [p for p in context.document.paragraphs if p.role == role]
    return [p for p in found if p.text.strip()]


def wanted_spacing(context, role: str) -> str | None:
    rules = context.manuscript_rules
    key = ROLES[role]
    choice = getattr(rules.spacing, key) if key else "same"
    return None if choice == "any" else rules.line_spacing if choice == "same" else choice


def wanted_size(context, role: str) -> float | None:
    rules = context.manuscript_rules
    key = ROLES[role]
    return rules.font_size_pt if key is None or getattr(rules.font_size, key) == "same" else None


def main_size(paragraph: Paragraph) -> int:
    """The font size (half-points) of most of the paragraph's characters."""
    return max(paragraph.sizes.items(), key=lambda item: item[1])[0] if paragraph.sizes else 24


def describe_spacing(paragraph: Paragraph) -> str:
    if paragraph.line_rule == "auto":
        return {240: "single", 360: "1.5 lines", 480: "double"}.get(paragraph.line, f"{paragraph.line / 240:.2f} lines")
    kind = "exactly" if paragraph.line_rule == "exact" else "at least"
    return f"{kind} {paragraph.line / 20:g} pt"


def spacing_verdict(paragraph: Paragraph, wanted: str) -> str:
    """"ok", "lookalike" (exact/at-least spacing of the right height: a warning) or "wrong"."""
    lines = LINES[wanted]
    if paragraph.line_rule not in ("exact", "atLeast"):
        return "ok" if paragraph.line == lines else "wrong"
    height = main_size(paragraph) * 10 * lines / 240  # twentieths of a point for this many lines of this size
    return "lookalike" if abs(paragraph.line - height) <= 20 else "wrong"


def _share(bad: list[Paragraph], all_: list[Paragraph]) -> str:
    bad_words, all_words = sum(p.words() for p in bad), sum(p.words() for p in all_)
    share = bad_words / all_words if all_words else 0
    shown = "under 1%" if 0 < share < 0.005 else f"{share:.0%}"
    return f"{shown} of {{label}} ({bad_words:,} of {all_words:,} words)"


def check_spacing(context, role: str):
    wanted = wanted_spacing(context, role)
    if wanted is None:
        return
    paragraphs = _paragraphs(context, role)
    verdicts = [(p, spacing_verdict(p, wanted)) for p in paragraphs]
    wrong = [p for p, verdict in verdicts if verdict == "wrong"]
    lookalike = [p for p, verdict in verdicts if verdict == "lookalike"]
    label, hint = LABELS[role], SPACING_HINT.format(wanted=wanted.capitalize())
    if wrong:
        share = _share(wrong, paragraphs).format(label=label)
        found = "; ".join(f"{describe_spacing(p)} at {p.location}" for p in wrong[:3])
        more = f" and {len(wrong) - 3} more paragraphs" if len(wrong) > 3 else ""
        yield Issue("error", f"{share} is not {wanted}-spaced: {found}{more}.", wrong[0].location, hint)
    if lookalike:
        share = _share(lookalike, paragraphs).format(label=label)
        yield Issue("warning", f"{share} uses fixed line spacing of {wanted} height ({describe_spacing(lookalike[0])}) "
                    f"instead of {wanted} spacing: {places(p.location for p in lookalike)}.", lookalike[0].location, hint)


def check_size(context, role: str):
    size = wanted_size(context, role)
    if size is None:
        return
    paragraphs = _paragraphs(context, role)
    half_points = round(size * 2)
    off = [p for p in paragraphs if any(s != half_points for s in p.sizes)]
    if off:
        share = _share(off, paragraphs).format(label=LABELS[role])
        found = "; ".join(f"{_sizes(p, half_points)} at {p.location}" for p in off[:3])
        more = f" and {len(off) - 3} more paragraphs" if len(off) > 3 else ""
        yield Issue("error", f"{share} is not all {size:g} pt: {found}{more}.", off[0].location, SIZE_HINT.format(size=size))


def _sizes(paragraph: Paragraph, wanted: int) -> str:
    return ", ".join(f"{s / 2:g} pt" for s in sorted(paragraph.sizes) if s != wanted)


def _rule(category: str, role: str, check) -> Rule:
    slug = (ROLES[role] or "body").replace("_", "-")
    return Rule(f"{category}.{slug}", category, lambda context: check(context, role))


SPACING_RULES = [_rule("spacing", role, check_spacing) for role in ROLES]
FONT_RULES = [_rule("font", role, check_size) for role in ROLES]
