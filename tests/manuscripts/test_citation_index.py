"""Notes are matched to bibliography entries through an index: a misspelled surname is still found, nothing is
skipped however long the manuscript, and the index finds what comparing every note with every entry finds."""

from __future__ import annotations

import random

from rapidfuzz import fuzz, process, utils

from chapterhouse.manuscripts.checks.citations import MATCH_SCORE, EntryIndex, notes_match_entries
from chapterhouse.manuscripts.chicago import read_entry
from chapterhouse.manuscripts.context import Context, CheckRules
from chapterhouse.ooxml.document import Location, Manuscript, Note, Paragraph
from tests.docx_factory import sources
from tests.manuscripts.conftest import dscu_rules

ENTRY = "Smith, John. Arms and Influence: Security Cooperation in Practice. Washington, DC: Georgetown, 2001."


def test_a_misspelled_surname_still_finds_its_entry():
    index = EntryIndex([read_entry(ENTRY), read_entry("Adams, Ann. Partners in Trust. Washington, DC: Press, 2010.")])
    assert index.best("Smtih", "Arms and Influence") == 0  # letters swapped
    assert index.best("Smth", "Arms and Influence") == 0  # a letter missing
    assert index.best("Jones", "Unheard-of Book") is None


def test_the_index_finds_what_comparing_every_pair_finds():
    """Notes of the test chapter's sources, some with a typo in the surname, some by an author not in the list.

    One difference, on purpose: a note by an author the bibliography does not hold, whose title words are all
    common to many entries, matches nothing through the index; scoring every pair would have paired it with whichever
    entry shares those words, hiding a citation of a missing source."""
    rng = random.Random(11)
    books = sources(300, seed=5)
    entries = [read_entry(book.entry()) for book in books]
    index = EntryIndex(entries)
    choices = [utils.default_process(entry.match_text) for entry in entries]
    for trial in range(600):
        book = rng.choice(books)
        surname, title = book.surname, book.short_title
        if trial % 3 == 1 and len(surname) > 3:
            cut = rng.randrange(len(surname))
            surname = surname[:cut] + surname[cut + 1:]
        unknown = trial % 5 == 2
        if unknown:
            surname = rng.choice(["Nobody", "Quill", "Oddie"])
        query = utils.default_process(f"{surname} {title}")
        brute = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=MATCH_SCORE)
        found = index.best(surname, title)
        if brute is not None and brute[1] == 100:  # an entry holds every word: decided by word sets, the same pick
            assert found == brute[2], (surname, title)
        elif found is not None:  # the same entry, or one that scores the same (equal titles under another spelling)
            assert brute is not None and fuzz.token_set_ratio(query, choices[found]) == brute[1], (surname, title)
        else:
            assert brute is None or unknown, (surname, title)


def long_manuscript(notes: int, entries: int) -> Context:
    books = sources(entries, seed=9)
    body = [Paragraph(Location("body", 1), "Heading 1", "heading", "Bibliography", heading_level=0)]
    body += [Paragraph(Location("body", n + 2), "Bibliography", "bibliography", book.entry()) for n, book in enumerate(books)]
    cited = [Note("footnote", str(n), n, [Paragraph(Location("footnote", 1, n), "Footnote Text", "note",
                                                    books[n % entries].short_note(n))]) for n in range(1, notes + 1)]
    cited.append(Note("footnote", "x", notes + 1, [Paragraph(Location("footnote", 1, notes + 1), "Footnote Text", "note",
                                                             "Nobody, Unheard-of Book, 5.")]))
    return Context(Manuscript(paragraphs=body, footnotes=cited), CheckRules.of(dscu_rules()))


def test_a_long_manuscript_is_matched_in_full_not_skipped():
    """4,000 notes × 1,500 entries is six million pairs: far past the old cap, where the check said 'not checked'."""
    [issue] = list(notes_match_entries.run(long_manuscript(4000, 1500)))
    assert issue.severity == "warning" and issue.message.startswith("1 note citation(s) match no bibliography entry")
    assert "Nobody" in issue.location.excerpt


def test_the_word_set_shortcut_picks_what_scoring_every_entry_picks():
    """A note whose words an entry holds, or that holds an entry's words, is decided without rapidfuzz: it must be
    the entry that scoring every entry would pick (the first in bibliography order scoring 100), also when several
    entries share the author and title words (an author's two books, a reprint)."""
    rng = random.Random(23)
    books = sources(200, seed=13)
    texts = [book.entry() for book in books]
    texts += [texts[7], texts[3].replace(".", ". Reprint.", 1), "Short, A.", "Adams, Ann. Partners."]
    entries = [read_entry(text) for text in texts]
    index = EntryIndex(entries)
    choices = [utils.default_process(entry.match_text) for entry in entries]
    queries = [(book.surname, " ".join(book.short_title.split()[: rng.randint(1, 4)])) for book in books]
    queries += [("Short", "A Very Long Title Around It"), ("Adams", "Partners"), ("Adams", "Partners in Trust")]
    whole = 0
    for surname, title in queries:
        query = utils.default_process(f"{surname} {title}")
        brute = process.extractOne(query, choices, scorer=fuzz.token_set_ratio, score_cutoff=MATCH_SCORE)
        if brute is not None and brute[1] == 100:
            assert index.holding_every_word(set(query.split())) == brute[2] == index.best(surname, title), query
            whole += 1
        else:
            assert index.holding_every_word(set(query.split())) is None, query
    assert whole > 150  # the comparison was about real matches, not a run of misses


def test_processing_is_rapidfuzz_default_process():
    texts = [read_entry(book.entry()).match_text for book in sources(100, seed=2)]
    texts += ["Ngũgĩ wa Thiong’o, Décoloniser l’esprit", "O'Neil — “Arms”: 2nd ed.", "  李 明  ", "snake_case & C++"]
    from chapterhouse.manuscripts.checks.citations import processed

    for text in texts:
        assert processed(text) == utils.default_process(text), text


def test_a_sound_chapter_is_matched_without_importing_rapidfuzz():
    """The CLI's start-up: rapidfuzz costs about 9 ms to import and a chapter whose notes match needs none of it."""
    import subprocess
    import sys

    program = ("import sys\nfrom tests.docx_factory import compliant_chapter\nfrom chapterhouse.manuscripts import check\n"
               "from tests.manuscripts.conftest import dscu_rules\n"
               "report = check(compliant_chapter(notes=40, entries=20).build(), dscu_rules())\n"
               "assert not [f for f in report.findings if f.rule == 'citations.note-matches-entry'], report.findings\n"
               "print('rapidfuzz' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
