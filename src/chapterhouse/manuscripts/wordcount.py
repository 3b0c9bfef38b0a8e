"""Words counted as Word counts them, with footnotes and endnotes included.

A word is a run of characters between whitespace, so hyphen- and dash-joined words ("well-known",
"policy—and") are one. Two exceptions follow Word (:func:`chapterhouse.ooxml.document.count_words`): each East
Asian character (Chinese and Japanese ideographs, kana, Hangul) is a word by itself, since those scripts do not
put spaces between words and Word counts them character by character (mixed text counts both ways: "the 安全
保障 policy" is six words); and a no-break space (U+00A0, and the figure and narrow no-break spaces) does not
split a word, so "1 164" typed with a no-break space is one word in Word and here. Only printed text counts: tracked changes are taken as accepted (deleted text is not
counted, inserted text is), and field codes and hidden text are left out (their results, such as a cross-reference's
number, count). Text boxes count with the story they sit in, as Word's "include textboxes, footnotes and
endnotes" does; headers, footers and comments do not count. Plain Python; no Django.
"""

from __future__ import annotations

from typing import NamedTuple

from chapterhouse.ooxml.document import Manuscript


class WordCounts(NamedTuple):
    body: int
    notes: int
    bibliography: int

    @property
    def total(self) -> int:
        return self.body + self.notes + self.bibliography

    def as_dict(self) -> dict:
        return {"body": self.body, "notes": self.notes, "bibliography": self.bibliography, "total": self.total}


def count_words(document: Manuscript) -> WordCounts:
    body = notes = bibliography = 0
    for paragraph in document.paragraphs:
        if paragraph.role == "bibliography":
            bibliography += paragraph.words()
        else:
            body += paragraph.words()
    for note in document.notes:
        notes += sum(paragraph.words() for paragraph in note.paragraphs)
    for box in document.text_boxes:
        if box.location.part == "text box in body":
            body += box.words()
        elif box.location.part.startswith(("text box in footnote", "text box in endnote")):
            notes += box.words()
    return WordCounts(body, notes, bibliography)
