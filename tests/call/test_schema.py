"""The call file: validation that names the field, shifting a reused call, and the CLI around it."""

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from chapterhouse.call.schema import CallFileError, load_call, parse_call
from tests.conftest import DEFAULT_CALL


def broken_copy(tmp_path, old, new):
    text = DEFAULT_CALL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path):
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_call_is_valid():
    call = load_call(DEFAULT_CALL)
    assert call.slug == "dscu-fms-2024"
    assert [t.name for t in call.themes] == ["Law and Policy", "Industry", "Process", "Partnership"]
    assert all((t.min_chapters, t.max_chapters) == (3, 5) for t in call.themes)
    rules = call.manuscript
    assert (rules.min_words, rules.max_words, rules.notes_count) == (4000, 8000, True)
    assert (rules.line_spacing, rules.font_size_pt, rules.file_format) == ("double", 12.0, "docx")
    assert (rules.citation_style, rules.note_form) == ("chicago-notes-bibliography", "shortened")
    assert call.terminology[0].avoid == "FMS case" and call.terminology[0].prefer == "security cooperation case"


def test_a_quota_below_its_minimum_is_named_with_its_path(tmp_path):
    # The third theme (index 2) is Process.
    path = broken_copy(tmp_path, 'slug = "process"\nmin_chapters = 3\nmax_chapters = 5', 'slug = "process"\nmin_chapters = 3\nmax_chapters = 2')
    assert problems_of(path) == ["themes[2].max_chapters: must be an integer ≥ min_chapters (3)"]


def test_an_unknown_key_is_an_error_that_lists_the_allowed_keys(tmp_path):
    path = broken_copy(tmp_path, "max_keywords = 8", "max_keywords = 8\nmax_keywrods = 9")
    [problem] = problems_of(path)
    assert problem.startswith("proposals.max_keywrods: unknown key (allowed here: ")
    assert "max_keywords" in problem


def test_a_wrong_type_is_named(tmp_path):
    path = broken_copy(tmp_path, "min_words = 4000", 'min_words = "4000"')
    assert problems_of(path) == ["manuscript.min_words: must be an integer"]


def test_milestones_out_of_order_are_refused(tmp_path):
    path = broken_copy(tmp_path, "date = 2024-03-15", "date = 2023-03-15")
    [problem] = problems_of(path)
    assert problem.startswith("milestones: must be in date order")


def test_a_missing_required_field_and_a_bad_kind_are_both_reported(tmp_path):
    path = broken_copy(tmp_path, 'publisher = "Defense Security Cooperation University (DSCU) Press"\n', "")
    path.write_text(path.read_text().replace('kind = "launch"', 'kind = "party"'))
    found = problems_of(path)
    assert "publisher: is required" in found
    assert any(p.startswith("milestones[10].kind: must be ") for p in found)


def test_toml_syntax_errors_say_where():
    with pytest.raises(CallFileError) as caught:
        parse_call('slug = "x"\ntitle = = "twice"\n', "x.toml")
    assert "not valid TOML" in str(caught.value) and "line 2" in str(caught.value)


def test_shifting_moves_every_milestone_by_the_same_offset():
    call = load_call(DEFAULT_CALL)
    moved = call.shifted(call.days_to_open_on(dt.date(2026, 9, 1)))
    assert moved.opens_on == dt.date(2026, 9, 1)
    pairs = list(zip(call.milestones, moved.milestones))
    offsets = {(after.date - before.date).days for before, after in pairs}
    assert len(offsets) == 1
    assert [m.kind for m in moved.milestones] == [m.kind for m in call.milestones]


def test_shifting_moves_the_launch_event_with_the_launch_milestone():
    """The catalogue once showed "Book launch 15 May 2025" beside a 2028 publication date: the event stayed put."""
    call = load_call(DEFAULT_CALL)
    moved = call.shifted(1200)
    before, after = call.publication.launch_event.starts, moved.publication.launch_event.starts
    assert before == dt.datetime(2025, 5, 15, 14, 0)
    assert after - before == dt.timedelta(days=1200)
    assert after.date() == moved.milestone("launch").date and after.time() == before.time()
    assert moved.publication.launch_event.place == call.publication.launch_event.place


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", *args], capture_output=True, text=True, timeout=60)


def test_cli_validate_exits_0_on_the_shipped_call():
    result = run_cli("call", "validate", str(DEFAULT_CALL))
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout and "4 themes" in result.stdout and "11 milestones" in result.stdout


def test_cli_validate_exits_non_zero_and_names_the_field(tmp_path):
    path = broken_copy(tmp_path, "font_size_pt = 12", "font_size_pt = -1")
    result = run_cli("call", "validate", str(path))
    assert result.returncode == 1
    assert "manuscript.font_size_pt: must be > 0" in result.stderr


def test_cli_validate_does_not_import_django():
    code = ("import sys; from chapterhouse.site.cli import main; rc = main(['call', 'validate', %r]); "
            "print('django' in sys.modules)") % str(DEFAULT_CALL)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("False"), result.stdout + result.stderr


def test_the_shipped_call_states_the_checkers_rules():
    rules = load_call(DEFAULT_CALL).manuscript
    assert rules.bibliography_counts is True and rules.citation_edition == 17
    assert (rules.spacing.block_quotes, rules.spacing.bibliography, rules.spacing.notes) == ("same", "same", "any")
    assert (rules.font_size.block_quotes, rules.font_size.notes) == ("same", "any")
    assert set(rules.sanitization.model_dump().values()) == {"error"}  # the review takes only final text


def test_a_call_without_the_checkers_tables_gets_their_defaults(tmp_path):
    text = DEFAULT_CALL.read_text(encoding="utf-8")
    start, end = text.index("[manuscript.spacing]"), text.index("[[terminology]]")
    path = tmp_path / "plain.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    rules = load_call(path).manuscript
    assert rules.spacing.notes == "any" and rules.font_size.tables == "any"
    assert rules.sanitization.tracked_changes == "warning"


def test_a_wrong_spacing_choice_is_named_with_its_path(tmp_path):
    path = broken_copy(tmp_path, 'block_quotes = "same"\nbibliography = "same"\ncaptions = "any"\ntables = "any"\n\n[manuscript.font_size]',
                       'block_quotes = "triple"\nbibliography = "same"\ncaptions = "any"\ntables = "any"\n\n[manuscript.font_size]')
    assert problems_of(path) == [
        "manuscript.spacing.block_quotes: must be 'same', 'any', 'single', 'one-and-a-half' or 'double'"]


PUBLICATION = '[publication]\ndoi_prefix = "10.5555"\n'


def test_the_publication_names_an_isbn_per_format_prices_and_subjects(tmp_path):
    path = broken_copy(tmp_path, PUBLICATION, PUBLICATION + (
        'isbn = "978-0-306-40615-7"\nisbn_pdf = "978-1-4028-9462-6"\nisbn_epub = "9780262033848"\n'
        'prices = [{format = "print", currency = "USD", amount = 24.95}, {format = "epub"}]\n'
        'subjects = [{scheme = "BISAC", code = "POL012000", heading = "POLITICAL SCIENCE / Security"}, '
        '{scheme = "Thema", code = "JPS"}]\n'))
    publication = load_call(path).publication
    assert (publication.isbn, publication.isbn_pdf, publication.isbn_epub) == (
        "978-0-306-40615-7", "978-1-4028-9462-6", "9780262033848")
    assert [(p.format, p.currency, p.amount) for p in publication.prices] == [
        ("print", "USD", Decimal("24.95")), ("epub", "USD", None)]
    assert [(s.scheme, s.code) for s in publication.subjects] == [("BISAC", "POL012000"), ("Thema", "JPS")]


def test_a_publication_s_bad_isbn_price_or_subject_is_named(tmp_path):
    path = broken_copy(tmp_path, PUBLICATION, PUBLICATION + (
        'isbn_epub = "978-0-262-03384-9"\nprices = [{format = "audio", amount = 3}]\n'
        'subjects = [{scheme = "Dewey", code = "355"}]\n'))
    problems = problems_of(path)
    assert "publication.isbn_epub: “978-0-262-03384-9” is not a valid ISBN-10 or ISBN-13 (check digit)" in problems
    assert any(p.startswith("publication.prices[0].format: ") for p in problems)
    assert any(p.startswith("publication.subjects[0].scheme: ") for p in problems)
