"""The clearance core without Django: federal holidays and duty days, the DD 1910 form as data, the package
ZIP and its check, the re-check of a chapter's report, and amendment scope flagging."""

import datetime as dt
import difflib
import io
import json
import zipfile

import pytest

from chapterhouse.call.schema import CallFileError, load_call, parse_call
from chapterhouse.clearance import dd1910
from chapterhouse.clearance.dutydays import add_duty_days, duty_days_between, federal_holidays, is_duty_day
from chapterhouse.clearance.package import PackageFile, build_package, safe_name, sha256, titled_name, verify_package
from chapterhouse.clearance.recheck import blocking, clearance_rules
from chapterhouse.clearance.scope import Passage, WordChange, assess, unmet
from chapterhouse.workflow.statemachine import TransitionNotAllowed
from tests.conftest import DEFAULT_CALL

D = dt.date


# -- duty days ------------------------------------------------------------------------------------------------

def test_the_2025_holidays_are_the_eleven_opm_lists():
    assert list(federal_holidays(2025)) == [
        D(2025, 1, 1), D(2025, 1, 20), D(2025, 2, 17), D(2025, 5, 26), D(2025, 6, 19), D(2025, 7, 4),
        D(2025, 9, 1), D(2025, 10, 13), D(2025, 11, 11), D(2025, 11, 27), D(2025, 12, 25)]


def test_weekend_holidays_are_observed_on_the_nearest_weekday_even_across_the_new_year():
    in_2021 = federal_holidays(2021)
    assert in_2021[D(2021, 6, 18)].startswith("Juneteenth")  # 19 June 2021 was a Saturday
    assert in_2021[D(2021, 7, 5)] == "Independence Day"  # 4 July 2021 was a Sunday
    assert in_2021[D(2021, 12, 31)] == "New Year's Day"  # 1 January 2022 was a Saturday
    assert D(2022, 1, 1) not in federal_holidays(2022)
    assert D(2020, 6, 19) not in federal_holidays(2020)  # Juneteenth is kept from 2021


def test_thirty_duty_days_from_the_calls_submission_date():
    # 1 March 2025 is a Saturday; March 3–31 hold 21 weekdays, April 1–11 another 9.
    assert add_duty_days(D(2025, 3, 1), 30) == D(2025, 4, 11)
    # Over Thanksgiving and Christmas 2025 two more days are needed than weekdays alone would give.
    assert add_duty_days(D(2025, 11, 21), 25) == D(2025, 12, 30)
    assert duty_days_between(D(2025, 11, 21), D(2025, 12, 30)) == 25
    assert duty_days_between(D(2025, 12, 30), D(2025, 11, 21)) == -25
    assert not is_duty_day(D(2025, 11, 27)) and is_duty_day(D(2025, 11, 28))


# -- the form as data -----------------------------------------------------------------------------------------

def test_the_shipped_call_lists_the_default_form_and_a_lead_time():
    rules = load_call(DEFAULT_CALL).clearance
    assert rules.lead_time_duty_days == 30 and "DOPSR" in rules.office
    assert [f.key for f in rules.form] == [f.key for f in dd1910.DEFAULT_FORM]
    assert {"title", "pages", "subject", "authors", "venue", "publication_date", "point_of_contact",
            "prior_coordination", "remarks", "date_needed", "request_type"} == {f.key for f in rules.form}


def call_without_clearance_table():
    text = DEFAULT_CALL.read_text(encoding="utf-8")
    start, end = text.index("[clearance]"), text.index("# The timeline, in the call's order.")
    return text[:start] + text[end:]


def test_a_call_without_the_table_gets_the_default_form():
    call = parse_call(call_without_clearance_table())
    assert call.clearance.form == list(dd1910.DEFAULT_FORM) and call.clearance.lead_time_duty_days == 30


def test_a_press_adjusts_the_form_and_mistakes_are_named_by_path():
    own = call_without_clearance_table() + (
        '\n[clearance]\nlead_time_duty_days = 10\n[[clearance.form]]\nkey = "title"\nlabel = "Title"\nsource = "title"\n'
        '[[clearance.form]]\nkey = "series"\nlabel = "Series"\nvalue = "Perspectives"\n')
    call = parse_call(own)
    assert [f.key for f in call.clearance.form] == ["title", "series"]
    for wrong, expected in [(own.replace('source = "title"', 'source = "isbn"'), ("clearance.form[0].source", "'pages'")),
                            (own.replace('key = "series"', 'key = "title"'), ("clearance.form", "share the key 'title'"))]:
        with pytest.raises(CallFileError) as caught:
            parse_call(wrong)
        problems = [str(p) for p in caught.value.problems]
        assert any(p.startswith(expected[0]) and expected[1] in p for p in problems), problems


FACTS = dd1910.VolumeFacts(
    title="U.S. Foreign Military Sales", subtitle="Opportunities", publisher="DSCU Press",
    subjects=("Law and Policy", "Industry"), authors=(("Ada Author", "Naval War College"), ("Ben Writer", "")),
    contact=("Nathan Toronto", "DSCU"), pages=None, publication_date=D(2025, 5, 15), date_needed=D(2025, 4, 1))


def test_the_form_starts_from_the_volume_and_free_fields_from_their_default():
    values = dd1910.initial_values(dd1910.DEFAULT_FORM, FACTS)
    assert values["title"] == "U.S. Foreign Military Sales: Opportunities"
    assert values["authors"] == "Ada Author, Naval War College\nBen Writer"
    assert values["subject"] == "Law and Policy; Industry"
    assert (values["publication_date"], values["date_needed"]) == ("2025-05-15", "2025-04-01")
    assert values["request_type"] == "Book manuscript (edited volume)" and values["pages"] == ""
    assert [f.key for f in dd1910.missing(dd1910.DEFAULT_FORM, values)] == ["pages"]
    # The editors' edits stay; the page count is filled once the PDF is known.
    edited = {**values, "point_of_contact": "Nathan Toronto, DSCU, 555-0100"}
    again = dd1910.refill(dd1910.DEFAULT_FORM, edited, dd1910.VolumeFacts(**{**FACTS.__dict__, "pages": 212}))
    assert again["pages"] == "212" and again["point_of_contact"].endswith("555-0100")
    record = dd1910.form_record(dd1910.DEFAULT_FORM, again)
    assert record[1] == {"key": "title", "label": "1b. Title", "value": values["title"]}


# -- the package ----------------------------------------------------------------------------------------------

def package():
    chapters = [PackageFile("Ch 1 Law & Policy.docx", b"docx one", "Chapter 1"),
                PackageFile("../../evil/two.docx", b"docx two", "Chapter 2")]
    front = [PackageFile("preface.docx", b"preface", "Preface")]
    form = dd1910.form_record(dd1910.DEFAULT_FORM, dd1910.initial_values(dd1910.DEFAULT_FORM, FACTS))
    return build_package(chapters, b"%PDF-1.7 combined", front, form, about={"title": FACTS.title}), form


def test_the_package_lists_every_file_with_its_checksum_and_carries_the_form():
    data, form = package()
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == [
        "manuscript/01-Ch-1-Law-Policy.docx", "manuscript/02-two.docx", "manuscript/combined.pdf",
        "front-matter/01-preface.docx", "dd1910.json", "manifest.json", "SHA256SUMS"]
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["title"] == FACTS.title and manifest["dd1910"] == form
    for item in manifest["files"]:
        assert item["sha256"] == sha256(archive.read(item["path"])) and item["bytes"] == len(archive.read(item["path"]))
    assert {i["path"] for i in manifest["files"]} == set(archive.namelist()) - {"manifest.json", "SHA256SUMS"}
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert f"{sha256(b'docx two')}  manuscript/02-two.docx" in sums
    assert json.loads(archive.read("dd1910.json"))["fields"] == form
    assert verify_package(data) == []
    assert package()[0] == data  # reproducible


def test_a_changed_missing_or_extra_file_is_reported():
    data, _ = package()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in source.namelist():
            if name == "manuscript/02-two.docx":
                continue
            copy.writestr(name, b"tampered" if name == "manuscript/combined.pdf" else source.read(name))
        copy.writestr("extra.txt", b"?")
    assert verify_package(out.getvalue()) == [
        "manuscript/02-two.docx is listed in the manifest but not in the package.",
        "manuscript/combined.pdf does not match its SHA-256 in the manifest.",
        "extra.txt is in the package but not in the manifest."]
    assert verify_package(b"not a zip") == ["The package is not a ZIP file."]
    with pytest.raises(ValueError, match="at least one chapter"):
        build_package([], b"", [], [])


# -- the re-check ---------------------------------------------------------------------------------------------

def finding(rule, severity="error", message="m"):
    return {"rule": rule, "severity": severity, "message": message}


def test_sanitization_blocks_whatever_its_severity_and_other_errors_unless_waived():
    strict = clearance_rules(load_call(DEFAULT_CALL).manuscript.model_copy(
        update={"sanitization": load_call(DEFAULT_CALL).manuscript.sanitization.model_copy(
            update={"comments": "off", "external_links": "warning"})}))
    assert strict.sanitization.comments == "error" and strict.sanitization.external_links == "warning"
    report = {"refused": None, "findings": [
        finding("sanitization.comments", "warning", "2 comments"), finding("length.word-count", "error", "too long"),
        finding("citations.ibid", "warning", "ibid"), finding("sanitization.tracked-changes", "error", "changes")]}
    assert blocking(report) == ["2 comments", "too long", "changes"]
    waived = {("length.word-count", "too long"), ("sanitization.tracked-changes", "changes")}
    assert blocking(report, waived=waived) == ["2 comments", "changes"]
    assert blocking(report, waived={("length.word-count", "another message")}) == ["2 comments", "too long", "changes"]
    assert blocking({"refused": {"code": "encrypted", "message": "locked"}}) == ["locked"]


# -- amendment scope ------------------------------------------------------------------------------------------

def word_changes(part, old, new):
    """A stand-in for the word diff's output: difflib opcodes over whitespace words."""
    a, b = old.split(), new.split()
    return [WordChange(part, i1, i2, tuple(a[i1:i2]), tuple(b[j1:j2]))
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
            if tag != "equal"], a


CLEARED = ("The program delivered forty aircraft to the partner in 2019 and the Navy kept the spares at "
           "Norfolk for two years while the contract was renegotiated by the program office.")


def test_changes_inside_the_amended_passage_pass_and_any_other_change_is_flagged():
    amended = CLEARED.replace("forty aircraft", "several aircraft").replace("at Norfolk ", "").replace(
        "two years", "three years")
    changes, old_words = word_changes("body", CLEARED, amended)
    passages = [Passage(1, "delivered forty aircraft", "delivered several aircraft"),
                Passage(2, "kept the spares at Norfolk for", "kept the spares for")]
    result = assess(changes, {"body": old_words}, passages)
    covered = {(a.change.removed, a.change.inserted): a.passage for a in result}
    assert covered[(("forty",), ("several",))] == 1
    assert covered[(("at", "Norfolk"), ())] == 2
    assert covered[(("two",), ("three",))] is None  # not asked for: flagged
    assert [a.flagged for a in result].count(True) == 1


def test_the_required_wording_elsewhere_or_in_another_part_does_not_cover_a_change():
    # "several" is required wording, but this change is outside the amended passage.
    amended = CLEARED.replace("the partner", "several partner")
    changes, old_words = word_changes("body", CLEARED, amended)
    passages = [Passage(1, "delivered forty aircraft", "delivered several aircraft")]
    assert all(a.flagged for a in assess(changes, {"body": old_words}, passages))
    note_changes, note_words = word_changes("footnote 3", "Interview by the author in 2019.",
                                            "Interview by the author with officials in 2019.")
    assert all(a.flagged for a in assess(note_changes, {"footnote 3": note_words},
                                         [Passage(1, "", "with officials", part="body")]))
    assert not any(a.flagged for a in assess(note_changes, {"footnote 3": note_words},
                                             [Passage(1, "", "with officials", part="footnote 3")]))


def test_amendments_not_carried_out_are_listed():
    passages = [Passage(1, "forty aircraft", "several aircraft"), Passage(2, "at Norfolk", "")]
    amended_words = {"body": CLEARED.replace("forty", "several").split()}
    assert [p.ident for p in unmet(passages, amended_words)] == [2]
    assert unmet(passages, {"body": CLEARED.replace("forty", "several").replace(" at Norfolk", "").split()}) == []


# -- states ---------------------------------------------------------------------------------------------------

def test_the_request_goes_from_prepared_to_an_answer_and_an_objection_may_be_appealed():
    from chapterhouse.clearance.states import AMENDMENT_WORKFLOW, CLEARANCE_WORKFLOW as W
    W.check("prepared", "submitted", {"editor"})
    with pytest.raises(TransitionNotAllowed):
        W.check("prepared", "submitted", {"security_reviewer"})
    W.check("in_review", "cleared", {"security_reviewer"})
    with pytest.raises(TransitionNotAllowed, match="needs a reason"):
        W.check("in_review", "cleared_as_amended", {"security_reviewer"})
    W.check("objection", "appealed", {"editor"}, "The passage is public in the 2023 press release.")
    W.check("appealed", "cleared_as_amended", {"security_reviewer"}, "Two changes in chapter 3.")
    assert W.is_final("cleared") and not W.is_final("objection")
    with pytest.raises(TransitionNotAllowed):
        AMENDMENT_WORKFLOW.check("amended", "confirmed", {"owner"})


def test_the_word_diff_of_two_word_files_is_read_into_changes_at_their_place(tmp_path):
    from chapterhouse.clearance.scope import compare
    from chapterhouse.manuscripts.diff import diff_files
    from tests.fixtures.files import word_file

    intro = "Security cooperation cases move through many offices before a partner receives anything."
    cleared = word_file(intro, CLEARED)
    amended = word_file(intro, CLEARED.replace("forty aircraft", "several aircraft").replace("two years", "a while"),
                        "A new closing paragraph nobody asked for.")
    compared = compare(diff_files(cleared, amended))
    assert compared.cleared["body"] == (intro + " " + CLEARED).split()
    assert compared.amended["body"][-1] == "for."
    result = assess(compared.changes, compared.cleared, [Passage(7, "forty aircraft to", "several aircraft to")])
    found = {(a.change.removed, a.change.inserted): a.passage for a in result}
    assert found == {(("forty",), ("several",)): 7, (("two", "years"), ("a", "while")): None,
                     ((), tuple("A new closing paragraph nobody asked for.".split())): None}
    forty = next(a.change for a in result if a.passage == 7)
    assert compared.cleared["body"][forty.old_start] == "forty"


def test_editorial_changes_are_told_apart_from_changes_of_meaning():
    from chapterhouse.clearance.scope import changes_meaning
    assert not changes_meaning("aircraft,", "aircraft;")  # punctuation
    assert not changes_meaning("Navy", "navy")  # capitals
    assert not changes_meaning("renegociated", "renegotiated")  # spelling
    assert changes_meaning("forty", "fourty-two")
    assert changes_meaning("2019", "2018")  # a digit is never a typo to wave through
    assert changes_meaning("", "and Bahrain")
    assert changes_meaning("delivered", "withheld")


@pytest.mark.parametrize("title, expected", [
    ("Why a Foreign Military Sales Case Built on Attach-Service teaches the security cooperation officer patience",
     "Why-a-Foreign-Military-Sales-Case-Built-on-Attach-Service.docx"),
    ("Ørjan Brødsky on Señor Núñez and the Straße", "Orjan-Brodsky-on-Senor-Nunez-and-the-Strasse.docx"),
    ("U.S. Arms — a “short” title", "U-S-Arms-a-short-title.docx"),
    ("Überlangeswortohnejedeunterbrechungdasüberdiegrenzehinausgehtundweiterundweiterundweiter",
     "Uberlangeswortohnejedeunterbrechungdasuberdiegrenzehinausgeh.docx"),
    ("—", "file.docx"),
])
def test_package_file_names_keep_accented_letters_and_cut_between_words(title, expected):
    named = titled_name(title, ".docx")
    assert named == expected
    assert len(named) <= 60 + len(".docx") and safe_name(named) == named
