"""The publication record's page as one form: identifiers, prices, subjects, rights, disclaimer, running
titles and part introductions. Fields for chapters and parts are made from the volume as it stands."""

from __future__ import annotations

from django import forms

from chapterhouse.production.publication.catalog import (FORMATS, MARKETS, RIGHTS_BASES, STATEMENT, RecordError,
                                                         hyphenated_isbn, parse_price, subjects)
from chapterhouse.web.forms import Form

ISBN_FIELDS = {"isbn_print": "print edition", "isbn_pdf": "PDF edition", "isbn_epub": "EPUB edition"}
MARKDOWN_HELP = "Markdown: blank lines between paragraphs, *italics*, > quotations. Empty: the part opens with its title only."


def price_field(format: str, market: str) -> str:
    return f"price_{format}_{market.lower()}"


def chapter_field(pk: int) -> str:
    return f"short_title_{pk}"


def part_field(slug: str) -> str:
    return f"part_{slug.replace('-', '_')}"


class PublicationForm(Form):
    isbn_print = forms.CharField(label="ISBN of the print edition", required=False, max_length=30,
                                 help_text="13 digits from your ISBN agency, with or without hyphens; hyphens are set for you.")
    isbn_pdf = forms.CharField(label="ISBN of the PDF edition", required=False, max_length=30)
    isbn_epub = forms.CharField(label="ISBN of the EPUB edition", required=False, max_length=30)
    subjects = forms.MultipleChoiceField(label="Subjects", required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text="BISAC and Thema codes for bookshops and libraries.")
    rights_basis = forms.ChoiceField(label="Rights", choices=RIGHTS_BASES.items(), widget=forms.RadioSelect)
    rights = forms.CharField(label="Holder, or the statement in full", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Copyright: the holder after ©, the publisher when empty. Public domain: "
                                       "anything to add. Own words: e.g. “This work is licensed under CC BY 4.0.”")
    disclaimer = forms.CharField(label="Disclaimer", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="The views-expressed statement on the copyright page.")
    short_title = forms.CharField(label="Short title of the volume", required=False, max_length=60,
                                  help_text="For running heads when the title is too long; empty: the title.")

    def __init__(self, *args, chapters=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = [
            (scheme, [(s.key, f"{s.code} — {s.heading}") for s in subjects() if s.scheme == scheme]) for scheme in ("BISAC", "Thema")]
        self.price_rows = []
        for format, format_label in FORMATS.items():
            row = []
            for market, market_name, currency in MARKETS:
                name = price_field(format, market)
                self.fields[name] = forms.CharField(
                    label=f"{format_label} price, {market_name} ({currency})", required=False, max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input-short"}))
                row.append(name)
            self.price_rows.append((format_label, row))
        self.chapter_fields = []
        for chapter in chapters:
            name = chapter_field(chapter.pk)
            self.fields[name] = forms.CharField(label=f"Running title of “{chapter.title}”", required=False,
                                                max_length=60)
            self.chapter_fields.append(name)
        self.part_fields = []
        for theme in themes:
            name = part_field(theme.slug)
            self.fields[name] = forms.CharField(label=f"Introduction to the part “{theme.name}”", required=False,
                                                max_length=20000, help_text=MARKDOWN_HELP,
                                                widget=forms.Textarea(attrs={"rows": 6}))
            self.part_fields.append(name)
        self.chapters, self.themes = list(chapters), list(themes)

    def _isbn(self, name: str) -> str:
        try:
            return hyphenated_isbn(self.cleaned_data.get(name, ""))
        except RecordError as wrong:
            raise forms.ValidationError(str(wrong)) from None

    def clean_isbn_print(self):
        return self._isbn("isbn_print")

    def clean_isbn_pdf(self):
        return self._isbn("isbn_pdf")

    def clean_isbn_epub(self):
        return self._isbn("isbn_epub")

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, label in ISBN_FIELDS.items():
            isbn = data.get(name)
            if isbn and isbn in seen:
                self.add_error(name, f"{isbn} is already the {seen[isbn]}'s ISBN: each edition needs its own ISBN.")
            elif isbn:
                seen[isbn] = label
        data["prices"] = []
        for format in FORMATS:
            for market, _, _ in MARKETS:
                name = price_field(format, market)
                try:
                    price = parse_price(data.get(name, "") or "", format, market)
                except RecordError as wrong:
                    self.add_error(name, str(wrong))
                else:
                    if price is not None:
                        data["prices"].append(price.as_json())
        if data.get("rights_basis") == STATEMENT and not (data.get("rights") or "").strip():
            self.add_error("rights", "Write the statement the copyright page should print, or choose another basis.")
        return data

    @property
    def chapter_short_titles(self) -> dict[str, str]:
        return {str(c.pk): self.cleaned_data[chapter_field(c.pk)].strip() for c in self.chapters
                if self.cleaned_data.get(chapter_field(c.pk), "").strip()}

    @property
    def part_introductions(self) -> dict[str, str]:
        return {t.slug: self.cleaned_data[part_field(t.slug)].strip() for t in self.themes
                if self.cleaned_data.get(part_field(t.slug), "").strip()}

    def price_rows_bound(self):
        return [(label, [self[name] for name in names]) for label, names in self.price_rows]
