"""citations: Chicago notes-bibliography with shortened notes, as the call asks.

The chapter has notes and a bibliography; the bibliography is in alphabetical order of first authors'
surnames; notes are shortened, not full; each shortened note matches a bibliography entry (fuzzy, with
rapidfuzz: a note's surname and short title are words of the entry's author and title) and each entry is cited;
matching goes through an index of the entries (surnames, with every one-letter deletion so that a misspelled
surname still finds its entry, and distinctive title words), so scoring runs only among a note's few candidates
and the work grows with the number of notes, never with notes × entries. A candidate holding every word of the
note scores 100 (token_set_ratio's rule for a subset), so that case, nearly every note of a sound chapter, is
decided by comparing word sets and rapidfuzz is imported only for a note with a typo;
"Ibid." is judged by the edition the call names (17th: discouraged in favour of shortened notes; 18th: allowed,
shortened notes preferred). Parsing is in :mod:`chapterhouse.manuscripts.chicago`. Plain Python; no Django.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from functools import cached_property
from typing import NamedTuple

from chapterhouse.manuscripts.chicago import Citation, Entry, note_citations, read_entry
from chapterhouse.manuscripts.findings import Issue, places, rule
from chapterhouse.ooxml.document import Location, Note, Paragraph

MATCH_SCORE = 85  # token_set_ratio: 100 when every word of the note's author and title is in the entry
DISTINCTIVE = 50  # a title word in more entries than this does not narrow the search
MIN_TITLE_WORD = 4  # shorter title words ("the", "and", "war") are not looked up
SHORT_TITLE_WORDS = 4
SHORT_NOTE_HINT = "Use the shortened form: Surname, Short Title, page (e.g. Smith, Arms and Influence, 23)."


class CitedNote(NamedTuple):
    note: Note
    citation: Citation


def _uses_notes(context) -> bool:
    return context.manuscript_rules.citation_style == "chicago-notes-bibliography"


def _citations(context) -> list[CitedNote]:
    return context.once("citations", lambda c: [CitedNote(note, citation) for note in c.document.notes
                                                for citation in note_citations(note.text)])


def _entries(context) -> list[tuple[Paragraph, Entry]]:
    return context.once("entries", _read_entries)


def _read_entries(context) -> list[tuple[Paragraph, Entry]]:
    entries, author = [], ""
    for paragraph in context.document.paragraphs:
        if paragraph.role == "bibliography" and paragraph.text.strip():
            entry = read_entry(paragraph.text, author)
            author = entry.author
            entries.append((paragraph, entry))
    return entries


def _note_location(cited: CitedNote) -> Location:
    return Location(cited.note.kind, note=cited.note.number).with_excerpt(cited.citation.text)


def _notes_issue(severity: str, cited: list[CitedNote], what: str, hint: str) -> Issue:
    """One issue for several notes: how many, what is wrong with them, where the first few are."""
    return Issue(severity, f"{len(cited)} note citation(s) {what}: {places(_note_location(c) for c in cited)}.",
                 _note_location(cited[0]), hint)


@rule("citations.notes-present")
def notes_present(context):
    if _uses_notes(context) and not context.document.notes:
        yield Issue("error", "The chapter has no footnotes or endnotes; the call asks for Chicago notes and bibliography.",
                    None, "Cite sources in footnotes (References → Insert Footnote), shortened form, with a bibliography.")


@rule("citations.bibliography-present")
def bibliography_present(context):
    if not _entries(context):
        yield Issue("error", "The chapter has no bibliography (no “Bibliography” heading followed by entries, and no "
                    "paragraphs in the Bibliography style).", None,
                    "End the chapter with a heading “Bibliography” and one paragraph per source.")


@rule("citations.bibliography-order")
def bibliography_order(context):
    entries = _entries(context)
    misplaced = [(paragraph, entry, before) for (_, before), (paragraph, entry) in zip(entries, entries[1:])
                 if entry.sort_key and before.sort_key and entry.sort_key < before.sort_key]
    if misplaced:
        paragraph, entry, before = misplaced[0]
        yield Issue("error", f"The bibliography is not in alphabetical order of first authors' surnames: "
                    f"“{entry.author}” comes after “{before.author}” ({len(misplaced)} entr{'y' if len(misplaced) == 1 else 'ies'} "
                    f"out of order: {places(p.location for p, _, _ in misplaced)}).", paragraph.location,
                    "Sort the entries by the first author's surname (Home → Sort, by paragraph text).")


@rule("citations.short-form")
def short_form(context):
    if not _uses_notes(context) or context.manuscript_rules.note_form != "shortened":
        return
    full = [cited for cited in _citations(context) if cited.citation.kind == "full"]
    if full:
        yield _notes_issue("error", full, "are in full form (with publication facts) where the call asks for shortened "
                           "notes", SHORT_NOTE_HINT + " The full details belong in the bibliography.")


@rule("citations.short-title")
def short_title_length(context):
    if not _uses_notes(context) or context.manuscript_rules.note_form != "shortened":
        return
    long_titles = [c for c in _citations(context) if c.citation.kind == "short" and c.citation.title_words > SHORT_TITLE_WORDS]
    if long_titles:
        yield _notes_issue("warning", long_titles, f"have a short title of more than {SHORT_TITLE_WORDS} words",
                           "Shorten the title to its key words (at most four), e.g. “Arms Sales and Influence”.")


@rule("citations.note-matches-entry")
def notes_match_entries(context):
    unmatched, _ = _matching(context)
    if unmatched:
        yield _notes_issue("warning", unmatched, "match no bibliography entry",
                           "Check the surname and short title against the bibliography, or add the missing entry.")


@rule("citations.entry-cited")
def entries_cited(context):
    _, uncited = _matching(context)
    if uncited:
        yield Issue("warning", f"{len(uncited)} bibliography entr{'y is' if len(uncited) == 1 else 'ies are'} never cited "
                    f"in a shortened note: {places(p.location for p in uncited)}.", uncited[0].location,
                    "Cite the source in a note or remove the entry.")


@rule("citations.ibid")
def ibid(context):
    if not _uses_notes(context):
        return
    found = [c for c in _citations(context) if c.citation.kind == "ibid"]
    if not found:
        return
    if context.manuscript_rules.citation_edition >= 18:
        yield _notes_issue("info", found, "use “Ibid.”, which the 18th edition of Chicago allows, though it prefers "
                           "shortened notes", SHORT_NOTE_HINT)
    else:
        yield _notes_issue("warning", found, "use “Ibid.”, which the 17th edition of Chicago discourages in favour of "
                           "shortened notes", SHORT_NOTE_HINT)


def _matching(context) -> tuple[list[CitedNote], list[Paragraph]]:
    return context.once("matching", _match)


def _match(context) -> tuple[list[CitedNote], list[Paragraph]]:
    """(shortened notes matching no entry, entries no shortened note matches)."""
    short = [c for c in _citations(context) if c.citation.kind == "short"] if _uses_notes(context) else []
    entries = _entries(context)
    if not (short and entries):
        return [], []
    index = EntryIndex([entry for _, entry in entries])
    cited: set[int] = set()
    unmatched = []
    for note in short:
        best = index.best(note.citation.author, note.citation.title)
        if best is None:
            unmatched.append(note)
        else:
            cited.add(best)
    return unmatched, [paragraph for number, (paragraph, _) in enumerate(entries) if number not in cited]


def _deletions(word: str) -> list[str]:
    """The word with each one letter left out: two words one typo apart share one of these (or the word)."""
    return [word[:i] + word[i + 1:] for i in range(len(word))] if len(word) > 2 else []


_NOT_ALPHANUMERIC = re.compile(r"[\W_]")


def processed(text: str) -> str:
    """rapidfuzz's ``utils.default_process``: non-alphanumerics (the underscore too, as its C version does) to
    spaces, trimmed, lower case. Written here so that matching a sound chapter does not import rapidfuzz."""
    return _NOT_ALPHANUMERIC.sub(" ", text).strip().lower()


class EntryIndex:
    """Bibliography entries by word (for notes an entry matches word for word), and by surname (exact or one
    typo away) and distinctive title word (for the fuzzy candidates of the few notes that do not)."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.texts = [processed(entry.match_text) for entry in entries]
        self.words = [frozenset(text.split()) for text in self.texts]
        self.by_word: dict[str, set[int]] = defaultdict(set)  # every word of an entry → entries holding it
        for number, words in enumerate(self.words):
            for word in words:
                self.by_word[word].add(number)
        by_size = sorted((len(words), number) for number, words in enumerate(self.words) if words)
        self.sizes, self.by_size = [size for size, _ in by_size], [number for _, number in by_size]

    @cached_property
    def by_surname(self) -> dict[str, list[int]]:
        """Each author word and its one-letter deletions → entries: built only when a note needs fuzzy matching."""
        found: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(self.entries):
            for word in set(processed(entry.author).split()):
                for key in [word, *_deletions(word)]:
                    found[key].append(number)
        return found

    @cached_property
    def by_title_word(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(self.entries):
            for word in set(processed(entry.title).split()):
                if len(word) >= MIN_TITLE_WORD:
                    found[word].append(number)
        return found

    def candidates(self, author_words: list[str], title_words: list[str]) -> set[int]:
        found: set[int] = set()
        for word in author_words:
            for key in [word, *_deletions(word)]:
                found.update(self.by_surname.get(key, ()))
        for word in title_words:
            entries = self.by_title_word.get(word, ())
            if len(entries) <= DISTINCTIVE:
                found.update(entries)
        return found

    def best(self, author: str, title: str) -> int | None:
        """The entry the note cites: the first entry, in bibliography order, holding every word of the note (or
        held in them), which is what scoring every entry would pick, since token_set_ratio is 100 exactly then;
        failing that, the best fuzzy score among the candidates, at least MATCH_SCORE (the first among equals,
        as rapidfuzz's extractOne picks)."""
        author_words, title_words = processed(author).split(), processed(title).split()
        query_words = set(author_words + title_words)
        if not query_words:
            return None
        whole = self.holding_every_word(query_words)
        if whole is not None:
            return whole
        from rapidfuzz import fuzz  # a note with a typo, or citing a missing source: score the candidates

        query = " ".join(author_words + title_words)
        best, best_score = None, MATCH_SCORE - 1
        for number in sorted(self.candidates(author_words, title_words)):
            score = fuzz.token_set_ratio(query, self.texts[number], score_cutoff=MATCH_SCORE)
            if score > best_score:
                best, best_score = number, score
        return best

    def holding_every_word(self, query_words: set[str]) -> int | None:
        """The first entry whose words include all of ``query_words`` or are all among them. The entries holding
        every word are the intersection of the words' lists, rarest word first, so the work is the length of
        the rarest list (a surname's: one or two entries), not the bibliography's."""
        holding: set[int] | None = None
        for word in sorted(query_words, key=lambda word: len(self.by_word.get(word, ()))):
            entries = self.by_word.get(word, ())
            holding = set(entries) if holding is None else holding.intersection(entries)
            if not holding:
                break
        held = [number for number in self.by_size[:bisect_right(self.sizes, len(query_words))]
                if self.words[number] <= query_words]  # entries no longer than the note: almost never any
        found = [*(holding or ()), *held]
        return min(found) if found else None
