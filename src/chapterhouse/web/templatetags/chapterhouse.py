"""Template filters for the call's prose: paragraphs, block quotations and *italics*, escaped first."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
_ITALIC = re.compile(r"\*([^*\n]+)\*")


def _inline(text: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", escape(text))


@register.filter
def prose(text: str) -> str:
    """Blank lines separate paragraphs; a paragraph starting with "> " is a block quotation."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", (text or "").strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if paragraph.startswith("> "):
            blocks.append(f"<blockquote><p>{_inline(paragraph[2:])}</p></blockquote>")
        else:
            blocks.append(f"<p>{_inline(paragraph)}</p>")
    return mark_safe("\n".join(blocks))


@register.filter
def inline(text: str) -> str:
    return mark_safe(_inline(text or ""))



@register.filter
def minutes(delta) -> str:
    """A timedelta as "15 minutes" or "2 hours", for the lock-out page."""
    total = int(delta.total_seconds() // 60) if delta else 0
    if total >= 120 and total % 60 == 0:
        return f"{total // 60} hours"
    return f"{total} minute{'s' if total != 1 else ''}"


@register.filter
def dollars(amount) -> str:
    """An amount as people write it: "$5,000", or "$5,000.50" when it has cents; "—" when there is none."""
    if amount in (None, ""):
        return "—"
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return str(amount)
    text = f"{abs(value):,.0f}" if value.is_integer() else f"{abs(value):,.2f}"
    return f"{'-' if value < 0 else ''}${text}"
