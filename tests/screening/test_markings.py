"""The marking scanner on both sides: real markings are caught, ordinary prose passes."""

import pytest

from chapterhouse.screening import markings
from chapterhouse.screening.markings import TextBlock, scan, scan_sensitivity_label, scan_text

MARKED = [
    ("SECRET//NOFORN", "classification-caveat"),
    ("TOP SECRET//SCI", "classification-caveat"),
    ("UNCLASSIFIED//FOR OFFICIAL USE ONLY", "classification-caveat"),
    ("TS//SI-G//NOFORN", "classification-caveat"),
    ("SECRET", "banner"),
    ("  *** CONFIDENTIAL ***  ", "banner"),
    ("TOP SECRET", "banner"),
    ("CUI", "banner"),
    ("CLASSIFICATION: SECRET", "banner"),
    ("Classification: Confidential", "banner"),
    ("(S) The partner requested forty launchers.", "portion"),
    ("The case closed. (C) The delivery slipped by a year.", "portion"),
    ("(TS) Collection details follow.", "portion"),
    ("(U//FOUO) The meeting is in Tampa.", "portion"),
    ("(S//NF) Release is not authorised.", "portion"),
    ("(CUI) Cost data for the case follow.", "portion"),
    ("CUI//SP-CTI", "cui"),
    ("Handle as CUI//BASIC at all times", "cui"),
    ("CONTROLLED UNCLASSIFIED INFORMATION", "banner"),
    ("This page holds CONTROLLED UNCLASSIFIED INFORMATION about prices.", "cui"),
    ("CUI Category: Export Control", "cui"),
    ("Limited Dissemination Control: FEDCON", "cui"),
    ("Controlled by: Defense Security Cooperation Agency", "cui"),
    ("Handling: NOFORN", "dissemination"),
    ("Dissemination: ORCON", "dissemination"),
    ("Marked FOUO in the original", "dissemination"),
    ("REL TO USA, AUS, GBR", "dissemination"),
    ("FOR OFFICIAL USE ONLY", "banner"),
    ("This memo is FOR OFFICIAL USE ONLY and not for release.", "dissemination"),
    ("DISTRIBUTION STATEMENT D. Distribution authorized to DoD and U.S. DoD contractors only.", "distribution"),
    ("Distribution Statement F: further dissemination only as directed.", "distribution"),
    ("Distribution authorized to U.S. Government agencies only; critical technology.", "distribution"),
    ("WARNING - This document contains technical data whose export is restricted by the Arms Export Control Act "
     "(Title 22, U.S.C., Sec 2751 et seq.).", "export-control"),
    ("Violations of these export laws are subject to severe criminal penalties.", "export-control"),
    ("Disseminate in accordance with provisions of DoD Directive 5230.25.", "export-control"),
    ("EXPORT CONTROLLED", "export-control"),
    ("ITAR-CONTROLLED TECHNICAL DATA", "export-control"),
    ("Classified By: J. Smith, Director", "authority-block"),
    ("Derived From: Multiple Sources", "authority-block"),
    ("Declassify On: 20491231", "authority-block"),
]

PROSE = [
    "a secret of success is patience",
    "The secret to the program's growth was steady demand.",
    "Officers cleared at the SECRET level staffed the office.",
    "(c) the third option is to wait",
    "(a) first, (b) second, (c) third",
    "Tiered Screening (TS) process reviews sensitive transfers.",
    "The value proposition(s) would convince partners.",
    "22 U.S.C. 2761(c) authorises these sales.",
    "Submissions must not contain any controlled unclassified information (CUI) or sensitive information.",
    "The chapter contains no CUI and no classified material.",
    "The Controlled Unclassified Information program replaced older markings in 2016.",
    "The Arms Export Control Act authorizes these sales and restricts retransfer.",
    "Distribution Statement A. Approved for public release; distribution is unlimited.",
    "Confidential conversations with partners shaped the offer.",
    "The partner's top secret ambition was a regional hub.",
    "Release to the partner took eighteen months.",
    "The rel to base ratio improved.",
    "Declassified documents from 1975 show the pattern.",
    "Classification of defense articles follows the USML categories.",
    "https://www.state.gov/fms-2023/ lists the figures.",
    "The program is controlled by the Department of Defense.",
    # issue 22: CUI as a subject, and statements that the work holds none
    "What is CUI? CUI is information the government creates or possesses.",
    "The CUI program is the subject of this chapter.",
    "This chapter contains no CUI.",
    "The attached data is not CUI.",
    "The rule is CUI policy, not law.",
    "The chapter examines how the CUI registry grew after 2016.",
]


@pytest.mark.parametrize("text,rule", MARKED)
def test_markings_are_found_with_their_rule(text, rule):
    hits = scan_text(text, "the abstract")
    assert hits, f"missed: {text!r}"
    assert hits[0].rule == rule
    assert hits[0].location == "the abstract"
    assert hits[0].marking in text.strip() or hits[0].marking in text


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_passes(text):
    assert scan_text(text, "the abstract") == []


def test_a_list_continuing_to_c_is_not_a_portion_marking():
    blocks = [TextBlock("(A) Buy the system outright.", "p1"), TextBlock("(B) Lease it.", "p2"),
              TextBlock("(C) Co-produce it with allies.", "p3")]
    assert scan(blocks) == []


def test_a_lone_upper_case_c_at_a_paragraph_start_is_caught():
    [hit] = scan([TextBlock("Background.", "p1"), TextBlock("(C) The partner's request is pending.", "p2")])
    assert (hit.rule, hit.location) == ("portion", "p2")


def test_each_line_of_a_multi_line_block_is_located():
    [hit] = scan_text("First line is fine.\nSECRET\nThird line.", "the attachment, page 1")
    assert hit.location == "the attachment, page 1, line 2"


def test_hidden_characters_and_full_width_slashes_do_not_hide_a_marking():
    assert scan_text("SE\u200bCRET\uff0f\uff0fNOFORN", "x")[0].rule == "classification-caveat"


def test_one_marking_gives_one_hit():
    hits = scan_text("UNCLASSIFIED//FOUO", "x")
    assert len(hits) == 1


def test_the_message_names_the_marking_and_where_it_was_found():
    [hit] = scan_text("Background\nCUI//SP-PRVCY", "the attachment “draft.docx”, body, paragraph 3")
    assert hit.message() == "“CUI//SP-PRVCY” (CUI marking) in the attachment “draft.docx”, body, paragraph 3, line 2"


@pytest.mark.parametrize("label,found", [("Confidential", True), ("CUI", True), ("Highly Confidential – Internal", True),
                                         ("General", False), ("Public", False)])
def test_sensitivity_labels(label, found):
    assert bool(scan_sensitivity_label(label, "document properties")) is found


@pytest.mark.parametrize("text", [text for text, _ in MARKED])
def test_the_fast_path_lets_every_marking_through(text):
    """Each marking holds a trigger literal, so the prefilter never skips a block that a rule would match."""
    assert any(trigger in markings.normalise(text).lower() for trigger in markings._TRIGGERS)


@pytest.mark.parametrize("text", [text for text, _ in MARKED] + [
    "", "the secretary's circuit (cui) and the (ts)", "rel to nato // 5230", "noforn nodis limdis exdis",
    "a text with none of them", "(s)(c)(ts)", "classified categorised declassify"])
def test_the_one_pass_trigger_search_finds_what_a_scan_per_trigger_finds(text):
    """Overlapping triggers ("cui" inside "(cui)" and "circuit", "nodis" beside "limdis") are each found."""
    lowered = markings.normalise(text).lower()
    assert markings.triggers_in(lowered) == [trigger for trigger in markings._TRIGGERS if trigger in lowered]


def test_a_list_continuing_into_a_skipped_block_is_still_a_list():
    """The enumerators of blocks the fast path skips still count: (C) after (A), (B) in earlier blocks."""
    blocks = [TextBlock("(A) one", "p1"), TextBlock("(B) two", "p2"), TextBlock("(C) The third", "p3")]
    assert scan(blocks) == []


# -- issue 10: what it wrongly flagged ------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["(C) (315) 430-8073", "(C) 2024 Georgetown University Press", "(S) 3.5 m",
                                  "(C) (B) (A) figures"])
def test_a_bare_portion_mark_followed_by_a_number_or_another_bracket_is_not_one(line):
    blocks = [TextBlock("(U) The office list follows.", "p1")] + [TextBlock(line, f"p{n}") for n in range(2, 11)]
    assert [hit for hit in scan(blocks) if hit.rule == "portion"] == []


def test_a_directory_of_cell_phone_numbers_gives_no_hit():
    blocks = [TextBlock(f"Jane Doe{n}, Director\n(O) (703) 555-01{n:02}\n(C) (315) 430-8073", f"p{n}") for n in range(9)]
    assert scan(blocks) == []


def test_a_bare_c_is_certain_in_a_document_that_uses_portion_marks():
    blocks = [TextBlock("(U) Background of the case.", "p1"), TextBlock("(C) The partner's request is pending.", "p2")]
    [hit] = scan(blocks)
    assert (hit.rule, hit.location, hit.doubt) == ("portion", "p2", "")


def test_a_lone_bare_c_in_a_document_without_portion_marks_is_doubtful():
    [hit] = scan([TextBlock("Background.", "p1"), TextBlock("(C) The partner's request is pending.", "p2")])
    assert hit.rule == "portion" and "no other paragraph" in hit.doubt


def test_ts_and_compound_portion_marks_are_certain_even_alone():
    assert not scan_text("(TS) Collection details follow.", "x")[0].doubt
    assert not scan_text("(U//FOUO) The meeting is in Tampa.", "x")[0].doubt


@pytest.mark.parametrize("text,marking", [
    ("DoD Instruction 5200.48 retired the FOUO marking in 2020.", "FOUO"),
    ("Older cables were stamped NOFORN by the originating office.", "NOFORN"),
    ("The rule replaced FOR OFFICIAL USE ONLY with a single program.", "FOR OFFICIAL USE ONLY"),
    ("Agencies once used CONTROLLED UNCLASSIFIED INFORMATION in their banners.", "CONTROLLED UNCLASSIFIED INFORMATION"),
])
def test_a_marking_word_inside_a_sentence_is_doubtful_and_says_why(text, marking):
    [hit] = scan_text(text, "body")
    assert hit.marking == marking and "inside a sentence" in hit.doubt


@pytest.mark.parametrize("text", ["FOUO", "NOFORN", "Handling: NOFORN", "REL TO USA, AUS, GBR", "SECRET//NOFORN",
                                  "(U//FOUO) Prices follow.", "FOR OFFICIAL USE ONLY", "EXPORT CONTROLLED",
                                  "Page 3 SECRET//NOFORN", "SECRET//NOFORN The convoy leaves at dawn for the port.",
                                  "The case closed. (S//NF) The delivery slipped.", "Classification: SECRET//NOFORN",
                                  "CUI//SP-CTI", "Former case manager. CUI//SP-CTI"])
def test_a_marking_in_marking_position_stays_certain(text):
    hits = scan_text(text, "body")
    assert hits and all(not hit.doubt for hit in hits), hits


# -- issue 22: one rule, written out in markings.py, for the checker and intake alike -------------------------

@pytest.mark.parametrize("text", [
    "A banner line such as SECRET//NOFORN appears at the top and bottom of every page of such a cable.",
    "The memo was marked SECRET//NOFORN throughout.",
    "Handle as CUI//BASIC at all times, the guide says.",
    "Portion marks such as (S//NF) precede each paragraph of a classified cable.",
])
def test_a_whole_marking_inside_a_running_sentence_is_doubtful_as_the_written_rule_says(text):
    [hit] = scan_text(text, "body")
    assert "inside a sentence" in hit.doubt and "written about" in hit.doubt


@pytest.mark.parametrize("line", ["Secret//Noforn", "Top Secret//Sci", "secret", "Confidential", "  -- Secret --  ",
                                  "For Official Use Only", "Controlled Unclassified Information", "Cui"])
def test_a_line_that_is_only_a_marking_in_mixed_case_is_a_doubtful_banner(line):
    [hit] = scan_text(line, "body")
    assert hit.rule == "banner" and "capitals" in hit.doubt


@pytest.mark.parametrize("text", [
    "The attached case data is CUI and will be cited.",
    "This chapter contains CUI.",
    "Our interview transcripts include controlled unclassified information.",
    "These tables are CUI.",
])
def test_a_statement_that_the_work_holds_cui_is_doubtful(text):
    [hit] = scan_text(text, "the abstract")
    assert hit.rule == "cui" and "is or holds CUI" in hit.doubt


@pytest.mark.parametrize("text", ["CUI: Chen, interview with a case manager, 12 May 2021.", "cui: see annex B"])
def test_a_cui_label_opening_a_paragraph_or_note_is_doubtful(text):
    [hit] = scan_text(text, "footnote 4")
    assert hit.rule == "cui" and hit.marking.upper() == "CUI:" and "label" in hit.doubt


def test_certain_hits_refuse_and_doubtful_hits_are_for_people_to_read():
    hits = scan([TextBlock("SECRET//NOFORN", "p1"), TextBlock("The retired FOUO marking is gone.", "p2")])
    assert [h.location for h in markings.certain(hits)] == ["p1"]
    assert [h.location for h in markings.doubtful(hits)] == ["p2"]
