"""Words counted as Word counts them, with footnotes and endnotes included.

A word is a run of characters between whitespace, so hyphen- and dash-joined words ("well-known",
"policy—and") are one, and a run of punctuation standing alone ("—", "!!") is one. The exceptions follow
Word (:func:`chapterhouse.ooxml.document.count_words`):

* Each Chinese or Japanese character is a word by itself, since those scripts put no spaces between words:
  ideographs, kana (half-width too), bopomofo, and every full-width form, so full-width punctuation
  (、。「」，：) counts one word a mark, as full-width letters and digits do. Mixed text counts both ways:
  "the 安全保障 policy" is six words, "「対外有償軍事援助」は、FMSと呼ばれる。" nineteen.
* Korean (Hangul) is counted by its spaces, like English: "한국 국방부" is two words.
* A no-break space (U+00A0, and the figure and narrow no-break spaces) does not split a word, so "1 164" typed
  with a no-break space is one word in Word and here.

What this relies on (Microsoft does not document the algorithm; these are public reports of what Word shows):
the Word Count dialog itself, which with East Asian languages enabled splits the count into "non-Asian words"
and "Asian characters and Korean words" (中文字符和朝鲜语单词 in Chinese Word: Korean is counted in words,
Chinese characters one by one), and a Chinese description of that dialog saying a full-width mark counts as one
word and a half-width one does not count by itself (superweb999.com, 2022); Japanese users' tests reporting that
every full-width character — kana, kanji, full-width letters, digits and symbols — and every half-width kana
counts one word while a run of ASCII characters counts one ("私はappleを買った" is 7, "ありがとう!!" is 6:
suisui-office.com, tkmt-hrkz.hatenablog.com 2020, ufui.net). The PyPI package office-wordcount also counts
CJK punctuation one word each, but counts Hangul by the syllable, against the dialog's "Korean words"; the
dialog is followed here. Not settled by any source: curly quotes and dashes (“ ” — …) beside Chinese text, which
are counted as ASCII punctuation is (joined to the word they touch).

Only printed text counts: tracked changes are taken as accepted (deleted text is not counted, inserted text is),
and field codes and hidden text are left out (their results, such as a cross-reference's number, count). Text
boxes count with the story they sit in, as Word's "include textboxes, footnotes and endnotes" does (a plain text
box, which Word marks with the "no warp" preset ``textNoShape``, is a text box; warped WordArt is not counted);
headers, footers and comments do not count. Plain Python; no Django.
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
