"""Each rule on both sides: a compliant chapter passes it; one planted fault fails it, at the right place."""

from __future__ import annotations

import random

import pytest

from chapterhouse.manuscripts.checks import RULES
from chapterhouse.manuscripts.findings import CATEGORIES
from tests.docx_factory import DocxFactory, compliant_chapter, paragraph, prose, run
from tests.manuscripts.conftest import check_doc, findings, only, rules_with


def chapter(**kwargs) -> DocxFactory:
    return compliant_chapter(**kwargs)


def test_a_compliant_chapter_passes_every_rule():
    report = check_doc(chapter())
    assert report.passed, report.render()
    assert report.findings == []
    assert report.words.total > 4000


def test_every_rule_has_an_id_in_its_category_and_ids_are_unique():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {rule.category for rule in RULES} == set(CATEGORIES)
    assert all(rule.id.startswith(rule.category + ".") for rule in RULES)


# -- format ---------------------------------------------------------------------------------------------

def test_a_word_document_under_another_name_gets_a_warning_not_a_refusal():
    report = check_doc(chapter(), filename="chapter.doc")
    finding = only(report, "format.word-document")
    assert finding.severity == "warning" and "named .doc" in finding.message
    assert report.passed


def test_a_word_template_gets_a_warning():
    factory = chapter()
    factory.main_content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    assert "template" in only(check_doc(factory), "format.word-document").message


def test_a_damaged_header_fails_the_file_and_names_the_part():
    factory = chapter()
    factory.headers.append("<w:p><w:r><w:t>unclosed")
    finding = only(check_doc(factory), "format.damaged-part")
    assert finding.severity == "error" and "word/header1.xml" in finding.message


# -- length ---------------------------------------------------------------------------------------------

def test_a_short_chapter_fails_length_with_its_counts():
    report = check_doc(chapter(body_words=1500))
    finding = only(report, "length.word-count")
    assert finding.severity == "error"
    assert f"{report.words.total:,} words" in finding.message and "4,000–8,000" in finding.message
    assert "Add" in finding.hint


def test_a_long_chapter_fails_length():
    finding = only(check_doc(chapter(body_words=8400)), "length.word-count")
    assert "Cut" in finding.hint


def test_notes_count_toward_length_when_the_call_says_so():
    factory = chapter(body_words=3450, notes=120, entries=6)
    report = check_doc(factory)
    assert report.words.body + report.words.bibliography < 4000 <= report.words.total
    assert not findings(report, "length.word-count")
    assert findings(check_doc(factory, rules_with(notes_count=False)), "length.word-count")


def test_words_are_counted_as_word_counts_them():
    """Hyphen- and dash-joined words are one; deleted text, field codes and hidden text are not counted."""
    factory = DocxFactory()
    factory.add("A well-known policy—and its critics; 2024 saw reform.")  # 8 words
    factory.add(run("kept "), '<w:del w:author="Ed"><w:r><w:delText>gone words here </w:delText></w:r></w:del>',
                '<w:ins w:author="Ed"><w:r><w:t>added </w:t></w:r></w:ins>',
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF _Ref1 \\h </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("Table 3"),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>', run(" secret", "<w:vanish/>"))  # kept added Table 3
    assert check_doc(factory).words.body == 12


def test_each_east_asian_character_is_a_word_as_in_word_mixed_with_english():
    """Word counts every Chinese or Japanese character as a word, and English and Korean words by spaces."""
    factory = DocxFactory()
    factory.add("The 安全保障 policy of 日本 is set in Tokyo.")  # The, policy, of, is, set, in, Tokyo. + 4 + 2
    factory.add("「対外有償軍事援助」は、FMSと呼ばれる。")  # 8 + 6 kana/kanji, FMS, and 「」、。 one word each
    factory.add("한국 국방부")  # Korean is counted by its spaces: 2
    factory.add("Security cooperation is a policy tool.")  # 6 English words, counted by spaces as before
    assert check_doc(factory).words.body == 13 + 19 + 2 + 6


def test_a_no_break_space_joins_a_number_as_in_word_and_an_ordinary_space_splits_it():
    factory = DocxFactory()
    factory.add("The partner bought 1\u00a0164 missiles and 2\u202f000 rounds.")  # 1 164 and 2 000 are one word each
    factory.add("The partner bought 1 164 missiles.")  # an ordinary space: two words, as in Word
    assert check_doc(factory).words.body == 8 + 6


# -- spacing --------------------------------------------------------------------------------------------

def _spoil_paragraph(factory: DocxFactory, index: int, ppr: str = "", rpr: str = "") -> DocxFactory:
    text = prose(40, random.Random(index))
    factory.body[index] = paragraph(run(text, rpr), ppr=ppr)
    return factory


def test_single_spaced_body_text_fails_with_its_share_and_first_location():
    factory = _spoil_paragraph(chapter(), 2, ppr='<w:spacing w:line="240" w:lineRule="auto"/>')
    finding = only(check_doc(factory), "spacing.body")
    assert finding.severity == "error"
    assert finding.location.part == "body" and finding.location.paragraph == 3
    assert "not double-spaced" in finding.message and "single at body, paragraph 3" in finding.message
    assert "% of body text" in finding.message


def test_exact_spacing_of_twice_the_font_size_is_a_warning_not_a_pass():
    factory = _spoil_paragraph(chapter(), 4, ppr='<w:spacing w:line="480" w:lineRule="exact"/>')
    finding = only(check_doc(factory), "spacing.body")
    assert finding.severity == "warning" and "exactly 24 pt" in finding.message
    assert finding.location.paragraph == 5


def test_at_least_spacing_of_another_height_is_an_error():
    factory = _spoil_paragraph(chapter(), 4, ppr='<w:spacing w:line="300" w:lineRule="atLeast"/>')
    assert only(check_doc(factory), "spacing.body").severity == "error"


def test_single_spaced_notes_pass_the_default_call_and_fail_a_call_that_wants_them_double():
    factory = chapter()  # footnote text is single-spaced in its style
    assert not findings(check_doc(factory), "spacing.notes")
    finding = only(check_doc(factory, rules_with(spacing={"notes": "same"})), "spacing.notes")
    assert finding.location.part == "footnote" and finding.location.note == 1


def test_block_quotations_follow_the_body_rule_in_the_default_call():
    factory = chapter()
    factory.body.insert(3, paragraph(run(prose(50, random.Random(3))), style="Quote",
                                     ppr='<w:spacing w:line="240" w:lineRule="auto"/>'))
    finding = only(check_doc(factory), "spacing.block-quotes")
    assert finding.location.paragraph == 4
    assert not findings(check_doc(factory, rules_with(spacing={"block_quotes": "any"})), "spacing.block-quotes")


def test_headings_are_not_held_to_body_spacing_unless_the_call_says_so():
    factory = chapter()
    factory.body[0] = paragraph(run("A Heading"), style="Heading1", ppr='<w:spacing w:line="240" w:lineRule="auto"/>')
    assert not findings(check_doc(factory), "spacing.headings")
    assert only(check_doc(factory, rules_with(spacing={"headings": "same"})), "spacing.headings").location.paragraph == 1


# -- font -----------------------------------------------------------------------------------------------

def test_body_text_in_eleven_point_fails_with_its_location():
    factory = _spoil_paragraph(chapter(), 3, rpr='<w:sz w:val="22"/>')
    finding = only(check_doc(factory), "font.body")
    assert finding.severity == "error" and "11 pt at body, paragraph 4" in finding.message
    assert finding.location.paragraph == 4


def test_ten_point_notes_pass_the_default_call_but_not_one_holding_notes_to_twelve():
    factory = chapter()
    assert not findings(check_doc(factory), "font.notes")
    assert "10 pt" in only(check_doc(factory, rules_with(font_size={"notes": "same"})), "font.notes").message


def test_a_call_asking_for_eleven_point_fails_twelve_point_text():
    assert "not all 11 pt" in only(check_doc(chapter(), rules_with(font_size_pt=11)), "font.body").message


# -- citations ------------------------------------------------------------------------------------------

def test_a_chapter_without_notes_fails():
    report = check_doc(chapter(notes=0))
    assert only(report, "citations.notes-present").severity == "error"


def test_a_chapter_without_bibliography_fails():
    factory = chapter()
    factory.body = [xml for xml in factory.body if "Bibliography" not in xml]
    assert only(check_doc(factory), "citations.bibliography-present").severity == "error"


def test_a_bibliography_out_of_order_names_the_misplaced_entry():
    factory = chapter(entries=5)
    last, before = factory.body[-1], factory.body[-2]
    factory.body[-1], factory.body[-2] = before, last
    finding = only(check_doc(factory), "citations.bibliography-order")
    assert finding.location.paragraph == len(factory.body)
    assert "not in alphabetical order" in finding.message


def test_a_three_em_dash_entry_keeps_the_previous_author_in_order():
    factory = chapter(entries=3)
    factory.add("———. Later Work: A Sequel. Washington, DC: Georgetown University Press, 2024.", style="Bibliography")
    assert not findings(check_doc(factory), "citations.bibliography-order")


def _with_note(factory: DocxFactory, text: str) -> tuple[DocxFactory, int]:
    factory.body.insert(1, paragraph(run("A claim that needs a source."), factory.footnote(text)))
    return factory, len(factory.footnotes)


def test_a_full_form_note_is_flagged_with_its_note_number():
    factory, number = _with_note(chapter(), "Ann Adams, The Whole Title of the Book (New York: Penguin, 2001), 23.")
    finding = only(check_doc(factory), "citations.short-form")
    assert finding.severity == "error" and finding.location.part == "footnote"
    assert finding.location.note == 1  # inserted before the other notes, so printed first
    assert number == len(factory.footnotes)


def test_a_journal_note_in_full_form_is_flagged():
    factory, _ = _with_note(chapter(), "Ann Adams, “Sales,” Journal of Strategy 12, no. 3 (2019): 45.")
    assert findings(check_doc(factory), "citations.short-form")


def test_a_short_title_of_more_than_four_words_is_a_warning():
    factory, _ = _with_note(chapter(), "Adams, Arms Sales and the Long Game of Influence, 12.")
    finding = only(check_doc(factory), "citations.short-title")
    assert finding.severity == "warning" and finding.location.note == 1


def test_a_note_citing_no_bibliography_entry_is_listed():
    factory, _ = _with_note(chapter(), "Nobody, Unheard-of Book, 5.")
    finding = only(check_doc(factory), "citations.note-matches-entry")
    assert finding.location.note == 1 and "Nobody" in finding.location.excerpt


def test_short_notes_match_entries_despite_small_differences():
    factory = chapter(entries=3)
    entry = factory.body[-1]
    surname = entry.split("<w:t xml:space=\"preserve\">", 1)[1].split(",", 1)[0]
    factory, _ = _with_note(factory, f"See also {surname}, {entry.split('. ', 1)[1].split(':')[0].lower()}, 7–9.")
    assert not findings(check_doc(factory), "citations.note-matches-entry")


def test_an_entry_never_cited_is_reported():
    factory = chapter(entries=3)
    factory.add("Zuckerman, Zoe. Never Cited: A Book. Boston: Beacon, 2020.", style="Bibliography")
    finding = only(check_doc(factory), "citations.entry-cited")
    assert finding.location.paragraph == len(factory.body) and "Zuckerman" in finding.location.excerpt


def test_ibid_follows_the_edition_the_call_names():
    factory, _ = _with_note(chapter(), "Ibid., 45.")
    assert only(check_doc(factory), "citations.ibid").severity == "warning"  # the default call: 17th edition
    assert only(check_doc(factory, rules_with(citation_edition=18)), "citations.ibid").severity == "info"
    assert only(check_doc(factory, rules_with(citation_edition=18)), "citations.ibid").location.note == 1


def test_prose_in_notes_is_not_mistaken_for_a_citation():
    factory, _ = _with_note(chapter(), "This point is disputed; officials interviewed in 2023 disagreed.")
    report = check_doc(factory)
    assert not findings(report, "citations.note-matches-entry") and not findings(report, "citations.short-form")


# -- terminology ----------------------------------------------------------------------------------------

def test_the_calls_avoided_term_is_flagged_where_it_is_used():
    factory = chapter()
    factory.body.insert(5, paragraph(run("Each FMS case moves slowly, and FMS cases pile up.")))
    found = findings(check_doc(factory), "terminology.preferred-term")
    assert [f.location.paragraph for f in found] == [6, 6]
    assert "security cooperation case" in found[0].message and found[0].severity == "warning"
    assert "FMS case" in found[0].location.excerpt


def test_the_avoided_term_is_found_in_any_case_and_in_notes():
    """Terms are screened for by their first word before any pattern runs: that must not lose a term written in
    another case, nor one only in a note."""
    factory = chapter()
    reference = factory.footnote("On every Fms CASE, see the annual report.")
    factory.body.insert(5, paragraph(run("Each fms Case moves slowly."), reference))
    found = findings(check_doc(factory), "terminology.preferred-term")
    assert sorted(f.location.part for f in found) == ["body", "footnote"]


def test_the_avoided_term_inside_a_quotation_or_bibliography_is_left_alone():
    factory = chapter()
    factory.body.insert(5, paragraph(run("Officials called it “the FMS case system” in 2023.")))
    factory.add("Young, Ann. The FMS Case: A History. Boston: Beacon, 2020.", style="Bibliography")
    assert not findings(check_doc(factory), "terminology.preferred-term")


# -- sanitization ---------------------------------------------------------------------------------------

TRACKED = ('<w:ins w:id="1" w:author="Jane Reviewer" w:date="2024-09-01T00:00:00Z"><w:r><w:t>new words</w:t></w:r></w:ins>'
           '<w:del w:id="2" w:author="Jane Reviewer"><w:r><w:delText>old words</w:delText></w:r></w:del>')


def _sanitized(rule: str, factory: DocxFactory):
    return only(check_doc(factory), rule)


def test_tracked_changes_fail_the_default_call_with_their_author():
    factory = chapter()
    factory.body.insert(4, paragraph(run("Text with "), TRACKED))
    finding = _sanitized("sanitization.tracked-changes", factory)
    assert finding.severity == "error" and "2 tracked change(s) by Jane Reviewer" in finding.message
    assert finding.location.paragraph == 5


def test_comments_fail_with_their_author():
    factory = chapter()
    factory.comments.append(("Ed Itor", paragraph(run("Please cite this."))))
    finding = _sanitized("sanitization.comments", factory)
    assert "Ed Itor" in finding.message and finding.location.part == "comment"


def test_hidden_text_fails_with_its_location():
    factory = chapter()
    factory.body.insert(3, paragraph(run("Shown. "), run("Hidden aside.", "<w:vanish/>")))
    finding = _sanitized("sanitization.hidden-text", factory)
    assert finding.location.paragraph == 4 and "Hidden aside" in finding.location.excerpt


def test_personal_metadata_fails_and_names_the_fields():
    factory = chapter()
    factory.core = {"dc:creator": "Jane Author", "cp:lastModifiedBy": "Ed Itor", "dc:title": "Chapter"}
    factory.app = {"Company": "Example Agency"}
    finding = _sanitized("sanitization.personal-metadata", factory)
    assert "Author: Jane Author" in finding.message and "Last modified by: Ed Itor" in finding.message
    assert "Company: Example Agency" in finding.message and "Chapter" not in finding.message


def test_an_attached_template_and_links_to_files_fail_but_web_links_pass():
    factory = chapter()
    factory.settings_rels.append(("attachedTemplate", "file:///C:/Users/jane/Templates/Agency.dotm", True))
    factory.extra_rels.append(("hyperlink", "https://www.dsca.mil/", True))
    assert not findings(check_doc(chapter_with_web_link()), "sanitization.external-links")
    factory.extra_rels.append(("hyperlink", "file:///S:/shared/draft.docx", True))
    factory.body.insert(2, paragraph('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                                     '<w:r><w:instrText> INCLUDETEXT "S:\\\\shared\\\\part.docx" </w:instrText></w:r>'
                                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    finding = _sanitized("sanitization.external-links", factory)
    assert "3 link(s)" in finding.message and "Agency.dotm" in finding.message and "draft.docx" in finding.message
    assert "INCLUDETEXT" in finding.message


def chapter_with_web_link() -> DocxFactory:
    factory = chapter()
    factory.extra_rels.append(("hyperlink", "https://www.dsca.mil/", True))
    return factory


def test_embedded_ole_objects_activex_altchunks_and_macros_each_fail():
    factory = chapter()
    factory.body.insert(2, paragraph('<w:r><w:object><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" r:id="rId90"/>'
                                     '</w:object></w:r>', '<w:r><w:object><w:control w:name="CheckBox1" r:id="rId91"/>'
                                     '</w:object></w:r>'))
    factory.body.insert(3, '<w:altChunk r:id="rId92"/>')
    factory.extra_parts["word/vbaData.xml"] = b"<wne:vbaSuppData xmlns:wne='http://schemas.microsoft.com/office/word/2006/wordml'/>"
    report = check_doc(factory)
    assert "Excel.Sheet.12" in only(report, "sanitization.embedded-objects").message
    assert "CheckBox1" in only(report, "sanitization.activex").message
    assert only(report, "sanitization.alt-chunks").location.paragraph == 3
    assert "vbaData.xml" in only(report, "sanitization.macros").message  # a VBA project itself is refused outright


def test_the_call_file_sets_how_serious_each_sanitization_finding_is():
    factory = chapter()
    factory.comments.append(("Ed Itor", paragraph(run("A note."))))
    assert only(check_doc(factory, rules_with(sanitization={"comments": "warning"})), "sanitization.comments").severity == "warning"
    assert not findings(check_doc(factory, rules_with(sanitization={"comments": "off"})), "sanitization.comments")


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_every_rule_is_quiet_on_the_compliant_chapter(rule):
    assert not findings(check_doc(chapter()), rule)


def test_a_rule_that_falls_over_fails_the_file_without_hiding_the_other_rules(monkeypatch):
    from chapterhouse.manuscripts import checker
    from chapterhouse.manuscripts.findings import Rule

    def broken(context):
        raise KeyError("w:val")

    monkeypatch.setattr(checker, "RULES", [Rule("citations.broken", "citations", broken), *RULES])
    report = check_doc(chapter(body_words=1000))
    fault = only(report, "citations.broken")
    assert fault.severity == "error" and "could not be checked (KeyError" in fault.message
    assert findings(report, "length.word-count") and not report.passed


def test_reading_that_takes_too_long_is_refused_not_waited_for():
    from chapterhouse.manuscripts import check
    from chapterhouse.ooxml.package import Limits
    from tests.manuscripts.conftest import dscu_rules

    report = check(chapter().build(), dscu_rules(), limits=Limits(max_seconds=0))
    assert report.refusal.code == "too-slow" and "more than 0 s of work" in report.refusal.message


def test_waiting_is_not_work_a_busy_machine_does_not_refuse_a_file(monkeypatch):
    """The limit counts the reading thread's CPU time: time spent waiting for the CPU (simulated by sleeping
    while reading) does not turn a good file into a refusal."""
    import time

    from chapterhouse.manuscripts import check
    from chapterhouse.ooxml.package import Limits, OoxmlPackage
    from tests.manuscripts.conftest import dscu_rules

    read = OoxmlPackage.read

    def slow_read(self, name, cap=None):
        time.sleep(0.05)
        return read(self, name, cap)

    monkeypatch.setattr(OoxmlPackage, "read", slow_read)
    report = check(chapter().build(), dscu_rules(), limits=Limits(max_seconds=0.2))
    assert report.refusal is None and report.words.total > 4000
