"""The base of every form in the project: a single-line field holds a single line.

A name, a title or a place typed into an ``<input>`` cannot contain a line break, but a crafted request can: a
co-author's name holding ``\\r\\nER  - …`` was stored and reached the RIS, ONIX and API exports as a new record
line. So every text field that is not a ``Textarea`` refuses line breaks and other control characters, with a
message saying so, in whichever form it is declared, added or generated from a model. Every form class of the
project inherits :class:`SingleLineRule` (``Form``, ``ModelForm`` here, or the mixin before a Django form);
``tests/web/test_single_line_rule.py`` walks every form class and fails on one that does not.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"


def not_single_line(ch: str) -> bool:
    """Line breaks (CR, LF, NEL, U+2028/9) and every other control character, tab included."""
    return unicodedata.category(ch) in {"Cc", "Zl", "Zp"}


def single_line(value) -> None:
    """The validator every single-line field carries (names, titles and keywords reach mail headers, CSV cells and
    the metadata exports)."""
    bad = [ch for ch in value if not_single_line(ch)] if isinstance(value, str) else []
    if bad:
        shown = "a line break" if any(ch in LINE_BREAKS for ch in bad) else "a control character"
        raise ValidationError(f"This must be one line of text: it contains {shown}. Remove it and try again.",
                              code="not_single_line")


def is_single_line(field: forms.Field) -> bool:
    """A text field shown as a one-line input (text, e-mail, URL, password, hidden), not a ``Textarea``."""
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea)


def apply_single_line_rule(fields) -> None:
    for field in fields.values():
        if is_single_line(field) and single_line not in field.validators:
            field.validators.append(single_line)


class SingleLineRule:
    """Put before a Django form class: the rule reaches every field the form has when it is cleaned."""

    def full_clean(self):
        apply_single_line_rule(self.fields)
        super().full_clean()


class Form(SingleLineRule, forms.Form):
    pass


class ModelForm(SingleLineRule, forms.ModelForm):
    pass
