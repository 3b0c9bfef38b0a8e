"""Where each PDF page begins in the EPUB's text, on small hand-made pages (the whole build is tested in
test_accessible_galleys.py)."""

from __future__ import annotations

from lxml import etree

from chapterhouse.production.galleys.pagelist import PrintPage, mark_pages, page_starts, words_of


def pages(*texts: str) -> list[PrintPage]:
    return [PrintPage(str(number), "chapter-01", tuple(words_of(text))) for number, text in enumerate(texts, 3)]


def test_a_word_hyphenated_across_the_page_break_is_passed_over():
    epub = words_of("Chapter one opens here with a long sentence about interoperability and training partners "
                    "who sustain what they receive for many years to come")
    starts = page_starts(pages("Chapter one opens here with a long sentence about inter-",
                               "operability and training partners who sustain what they",
                               "receive for many years to come"), epub)
    assert [epub[s] for s in starts] == ["chapter", "and", "receive"]


def test_a_repeated_phrase_is_found_after_the_page_before_and_a_blank_page_takes_the_next_start():
    text = "the same five words here " * 2 + "then something new at last"
    epub = words_of(text)
    starts = page_starts(pages("the same five words here", "", "the same five words here then", "something new at last"),
                         epub)
    assert starts == [0, 5, 5, 11]


def test_a_page_whose_words_are_not_in_the_epub_ends_the_unit():
    assert page_starts(pages("alpha beta gamma delta epsilon", "nothing of this is there at all"),
                       words_of("alpha beta gamma delta epsilon")) == [0, None]


def test_markers_go_into_the_text_before_the_page_s_first_word_and_at_the_end():
    xhtml = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" '
             b'xmlns:epub="http://www.idpf.org/2007/ops">'
             b'<head><title>t</title></head><body><h1>One Two</h1><p>three four <em>five six</em> seven eight nine'
             b'</p></body></html>')
    marked, where = mark_pages([xhtml], pages("One Two three four", "five six seven eight nine", "not in the book"))
    assert where == [("3", 0), ("4", 0), ("5", 0)]
    text = marked[0].decode()
    assert text.startswith('<?xml') and "<!DOCTYPE html>" in text
    body = etree.fromstring(marked[0]).find("{http://www.w3.org/1999/xhtml}body")
    spans = [(s.get("id"), s.tail) for s in body.iter("{http://www.w3.org/1999/xhtml}span")]
    assert [(s.get("id"), s.text) for s in body.iter("{http://www.w3.org/1999/xhtml}span")] == [
        ("page-3", None), ("page-4", None), ("page-5", None)]  # empty, written with a closing tag
    assert '<span id="page-5" role="doc-pagebreak" epub:type="pagebreak" aria-label="5"></span></body>' in text
    assert spans == [("page-3", None), ("page-4", "five six"), ("page-5", None)]
    assert etree.tostring(body, encoding="unicode").count('epub:type="pagebreak"') == 3


def test_both_readers_find_each_page_s_words(tmp_path, monkeypatch):
    """Poppler's pdftotext where the machine has it (the worker does), pypdf where it does not."""
    import shutil

    import typst

    from chapterhouse.production.galleys import pagelist
    from chapterhouse.production.galleys.cache import BuildCache

    source = tmp_path / "two.typ"
    source.write_text("#set page(width: 10cm, height: 6cm)\nFirst page of the unit.\n#pagebreak()\nSecond page, "
                      "with a hyphen-\nated word.\n", encoding="utf-8")
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(typst.compile(str(source), format="pdf"))
    expected = [["first", "page", "of", "the", "unit"], ["second", "page", "with", "a", "hyphen", "ated", "word"]]
    assert shutil.which("pdftotext")  # scripts/test installs poppler
    assert pagelist.page_words(pdf, BuildCache(tmp_path / "cache")) == expected
    monkeypatch.setattr(pagelist.shutil, "which", lambda name: None)
    assert pagelist.page_words(pdf, BuildCache(tmp_path / "cache")) == expected
