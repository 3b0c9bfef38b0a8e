"""Citations of the volume and of each chapter as CSL-JSON, RIS and BibTeX, for reference managers."""

from __future__ import annotations

import html
import json
import re
import unicodedata

from .record import ChapterRecord, Person, VolumeRecord


def _csl_names(people) -> list[dict]:
    return [{"family": p.family, "given": p.given} if p.given else {"literal": p.name} for p in people]


def _csl_common(volume: VolumeRecord) -> dict:
    item = {"publisher": volume.publisher, "issued": {"date-parts": [[volume.published.year, volume.published.month,
                                                                        volume.published.day]]},
            "language": volume.language, "editor": _csl_names(volume.editors)}
    if volume.place:
        item["publisher-place"] = volume.place
    if volume.isbn:
        item["ISBN"] = volume.isbn13
    return item


def csl_item(volume: VolumeRecord, chapter: ChapterRecord | None = None) -> dict:
    """One CSL-JSON item: the volume (type ``book``) or a chapter (type ``chapter``)."""
    item = {"id": citation_key(volume, chapter), **_csl_common(volume)}
    if chapter is None:
        item.update({"type": "book", "title": volume.full_title})
        if volume.description:
            item["abstract"] = volume.description
        if volume.pages:
            item["number-of-pages"] = str(volume.pages)
        doi, url = volume.doi, volume.url
    else:
        item.update({"type": "chapter", "title": chapter.title, "container-title": volume.full_title,
                     "author": _csl_names(chapter.authors)})
        if chapter.abstract:
            item["abstract"] = chapter.abstract
        if chapter.first_page:
            item["page"] = "-".join(p for p in (chapter.first_page, chapter.last_page) if p)
        doi, url = chapter.doi, chapter.url
    if doi:
        item["DOI"] = doi
    if url:
        item["URL"] = url
    return item


def csl_json(volume: VolumeRecord, chapter: ChapterRecord | None = None, everything: bool = False) -> str:
    """CSL-JSON: an array (the volume alone, one chapter, or with ``everything`` the volume and each chapter)."""
    items = [csl_item(volume)] + [csl_item(volume, c) for c in volume.chapters] if everything else [
        csl_item(volume, chapter)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def citation_key(volume: VolumeRecord, chapter: ChapterRecord | None = None) -> str:
    people = chapter.authors if chapter else volume.editors
    name = _ascii(people[0].family if people else volume.publisher).lower()
    word = next((w for w in re.findall(r"[A-Za-z]+", _ascii(chapter.title if chapter else volume.title))
                 if w.lower() not in {"a", "an", "the", "of", "on", "in", "and"}), "volume").lower()
    return re.sub(r"[^a-z0-9]", "", name) + str(volume.published.year) + word + (f"ch{chapter.number}" if chapter else "")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# -- Chicago ---------------------------------------------------------------------------------------------

def _and_list(names: list[str], serial_comma: bool) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + ("," if serial_comma and len(names) > 2 else "") + " and " + names[-1]


def _sentence(text: str) -> str:
    """``text`` closed with a period unless it already ends in one, a question or an exclamation mark."""
    return text if text.endswith((".", "?", "!")) else text + "."


def chicago_chapter_html(volume: VolumeRecord, chapter: ChapterRecord) -> str:
    """A Chicago bibliography entry for a chapter in an edited book (CMOS 14.107) as safe HTML: every value is
    escaped, then the book's title is wrapped in ``<i>`` as Chicago sets it in italics."""
    authors = list(chapter.authors)
    names = [f"{authors[0].family}, {authors[0].given}".strip(", ")] + [a.name for a in authors[1:]] if authors else []
    byline = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1] if names else ""
    edited = _and_list([e.name for e in volume.editors], serial_comma=True)
    pages = f", {chapter.first_page}–{chapter.last_page}" if chapter.first_page and chapter.last_page else ""
    place = f"{volume.place}: " if volume.place else ""
    doi = f" https://doi.org/{chapter.doi}." if chapter.doi else ""
    e = html.escape
    lead = f"{e(_sentence(byline))} " if byline else ""
    return (f"{lead}“{e(_sentence(chapter.title))}” In <i>{e(volume.full_title)}</i>, edited by {e(edited)}{e(pages)}. "
            f"{e(place)}{e(volume.publisher)}, {volume.published.year}.{e(doi)}")


# -- RIS -------------------------------------------------------------------------------------------------

def _ris_name(person: Person) -> str:
    return f"{person.family}, {person.given}" if person.given else person.name


def ris_entry(volume: VolumeRecord, chapter: ChapterRecord | None = None) -> list[tuple[str, str]]:
    if chapter is None:
        # The subtitle goes with the title: reference managers read T2 of a book as its series.
        lines = [("TY", "EDBOOK"), ("TI", volume.full_title)]
        lines += [("A2", _ris_name(e)) for e in volume.editors]  # RIS: A2 is the editor of an edited book too
    else:
        lines = [("TY", "CHAP"), ("TI", chapter.title)]
        lines += [("AU", _ris_name(a)) for a in chapter.authors]
        lines += [("A2", _ris_name(e)) for e in volume.editors]
        lines.append(("T2", volume.full_title))
        if chapter.first_page:
            lines.append(("SP", chapter.first_page))
        if chapter.last_page:
            lines.append(("EP", chapter.last_page))
    lines += [("PY", str(volume.published.year)), ("DA", volume.published.strftime("%Y/%m/%d")),
              ("PB", volume.publisher)]
    lines += [("CY", volume.place)] if volume.place else []
    lines += [("SN", volume.isbn13)] if volume.isbn else []
    abstract = chapter.abstract if chapter else volume.description
    lines += [("AB", " ".join(abstract.split()))] if abstract else []
    doi, url = (chapter.doi, chapter.url) if chapter else (volume.doi, volume.url)
    lines += [("DO", doi)] if doi else []
    lines += [("UR", url)] if url else []
    lines += [("LA", volume.language), ("ER", "")]
    return lines


def ris(volume: VolumeRecord, chapter: ChapterRecord | None = None, everything: bool = False) -> str:
    entries = [ris_entry(volume)] + [ris_entry(volume, c) for c in volume.chapters] if everything else [
        ris_entry(volume, chapter)]
    return "\r\n".join(f"{tag}  - {value}".rstrip() if tag == "ER" else f"{tag}  - {value}"
                       for entry in entries for tag, value in entry) + "\r\n"


# -- BibTeX ----------------------------------------------------------------------------------------------

BIBTEX_SPECIAL = str.maketrans({"{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                                "\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"})


def _bib(text: str) -> str:
    return " ".join(text.split()).translate(BIBTEX_SPECIAL)


def _bib_names(people) -> str:
    return " and ".join(f"{_bib(p.family)}, {_bib(p.given)}" if p.given else "{" + _bib(p.name) + "}" for p in people)


def bibtex_entry(volume: VolumeRecord, chapter: ChapterRecord | None = None) -> str:
    fields: list[tuple[str, str]] = []
    if chapter is None:
        kind = "book"
        # BibTeX has no subtitle field (biblatex's is ignored), so the subtitle goes in the title.
        fields += [("title", "{" + _bib(volume.full_title) + "}"), ("editor", _bib_names(volume.editors))]
    else:
        kind = "incollection"
        fields += [("author", _bib_names(chapter.authors)), ("title", "{" + _bib(chapter.title) + "}"),
                   ("booktitle", "{" + _bib(volume.full_title) + "}"), ("editor", _bib_names(volume.editors))]
        if chapter.first_page:
            fields.append(("pages", "--".join(p for p in (chapter.first_page, chapter.last_page) if p)))
    fields += [("publisher", _bib(volume.publisher)), ("year", str(volume.published.year))]
    fields += [("address", _bib(volume.place))] if volume.place else []
    fields += [("isbn", volume.isbn13)] if volume.isbn else []
    doi, url = (chapter.doi, chapter.url) if chapter else (volume.doi, volume.url)
    fields += [("doi", doi)] if doi else []
    fields += [("url", url)] if url else []
    abstract = chapter.abstract if chapter else volume.description
    fields += [("abstract", _bib(abstract))] if abstract else []
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{citation_key(volume, chapter)},\n{body}\n}}\n"


def bibtex(volume: VolumeRecord, chapter: ChapterRecord | None = None, everything: bool = False) -> str:
    if everything:
        return "\n".join([bibtex_entry(volume)] + [bibtex_entry(volume, c) for c in volume.chapters])
    return bibtex_entry(volume, chapter)
