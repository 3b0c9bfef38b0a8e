"""Issue 22, items 1 and 2: plain text boxes are counted and located as text boxes (Word writes the "no warp"
preset ``textNoShape`` on them), warped WordArt is not; full-width punctuation counts one word a mark and Korean
counts by its spaces, as Word's own count does (sources in :mod:`chapterhouse.manuscripts.wordcount`)."""

from __future__ import annotations

import pytest

from chapterhouse.ooxml.document import count_words
from chapterhouse.ooxml.reader import read_manuscript
from tests.docx_factory import DocxFactory, compliant_chapter, paragraph, run
from tests.manuscripts.conftest import check_doc

CAPTION = "Figure 3. Deliveries of trainer aircraft by year, as the ministry reported them."  # 13 words


def word_text_box(*paragraphs: str, warp: str = "textNoShape", from_wordart: str = "0") -> str:
    """A text box as Word 2016 writes one from Insert → Text Box: a ``wps:wsp`` whose ``wps:bodyPr`` carries
    ``<a:prstTxWarp prst="textNoShape">`` (no warp), with the VML copy in mc:Fallback."""
    inner = "".join(paragraphs)
    body_pr = (f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" '
               f'anchor="t" anchorCtr="0" fromWordArt="{from_wordart}"><a:prstTxWarp prst="{warp}"><a:avLst/>'
               '</a:prstTxWarp><a:noAutofit/></wps:bodyPr>')
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="7" name="Text Box 7"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            '<wps:cNvSpPr txBox="1"/><wps:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>{body_pr}</wps:wsp></a:graphicData>'
            '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
            f'{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def with_box(box: str) -> DocxFactory:
    factory = DocxFactory()
    factory.add("Deliveries rose each year.")  # 4 words
    factory.add(run("The chart follows. "), box)  # 3 words, and the box anchored here
    return factory


def test_a_plain_text_box_word_marks_with_no_warp_is_counted_and_located_as_a_text_box():
    factory = with_box(word_text_box(paragraph(run(CAPTION))))
    document = read_manuscript(factory.build())
    assert [(box.location.part, box.location.paragraph) for box in document.text_boxes] == [("text box in body", 2)]
    assert check_doc(factory).words.body == 4 + 3 + 13


def test_a_caption_box_on_its_own_counts_its_words_where_it_counted_none():
    """The issue's file: a captioned image whose only text is in a box; Word counts the caption's words."""
    factory = DocxFactory()
    factory.add(word_text_box(paragraph(run("Map 2. Ports of call of the 2019 deployment, from the ship's log."))))
    assert check_doc(factory).words.body == 13


def test_a_marking_in_a_plain_text_box_is_reported_as_in_the_text_box_not_as_wordart():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("Sidebar. "), word_text_box(paragraph(run("SECRET//NOFORN")))))
    report = check_doc(factory)
    [finding] = [f for f in report.findings if f.rule == "security.marking"]
    assert finding.location.part == "text box in body" and "WordArt" not in finding.message
    assert "text box in body, paragraph 3" in finding.message


@pytest.mark.parametrize("warp, from_wordart", [("textArchUp", "0"), ("textWave1", "0"), ("textNoShape", "1")])
def test_warped_or_converted_wordart_stays_wordart_and_uncounted(warp, from_wordart):
    factory = with_box(word_text_box(paragraph(run("Annual Report")), warp=warp, from_wordart=from_wordart))
    [box] = read_manuscript(factory.build()).text_boxes
    assert box.location.part.startswith("WordArt in body, paragraph 2")
    assert check_doc(factory).words.body == 4 + 3


def test_full_width_punctuation_counts_one_word_a_mark():
    assert count_words("政策。") == 3
    assert count_words("「対外有償軍事援助」は、FMSと呼ばれる。") == 19  # 8 + 6 kana/kanji + FMS + 「」、。
    assert count_words("对外军售，即：FMS。") == 9  # 对外军售 + 即 + ，：。 + FMS
    assert count_words("ＦＭＳ１２") == 5  # full-width letters and digits, one word each


def test_reported_japanese_examples_of_words_own_count():
    """Two counts Japanese users report from Word's status bar (sources in manuscripts/wordcount.py)."""
    assert count_words("私はappleを買った") == 7
    assert count_words("ありがとう!!") == 6


def test_korean_is_counted_by_its_spaces():
    assert count_words("한국 국방부") == 2
    assert count_words("대외군사판매(FMS)는 미국 정부가 관리한다.") == 4
    assert count_words("韓國語는 어렵다") == 3 + 2  # Hanja one word each, then Hangul words by spaces


def test_an_east_asian_document_counts_punctuation_and_korean_as_word_does():
    factory = DocxFactory()
    factory.add("「対外有償軍事援助」は、FMSと呼ばれる。")  # 19
    factory.add("한국 국방부는 발표했다.")  # 3
    factory.add("The 安全保障 policy.")  # 2 + 4
    assert check_doc(factory).words.body == 19 + 3 + 6
