"""Issue 20: the DD Form 1910 a press signs and sends is a printable PDF laid out like the form, every box filled
from the request's values and the signature left to sign, with a cover letter from the volume's editors; both
travel in the package and its checksums. The PDFs are read back as text (poppler's pdftotext)."""

import datetime as dt
import subprocess

from chapterhouse.clearance import printed
from chapterhouse.clearance.dd1910 import DEFAULT_FORM

VALUES = {
    "request_type": "Book manuscript (edited volume)", "title": "Quokka Logistics: Arms Transfers in Practice",
    "pages": "214", "subject": "Law and Policy; Process", "authors": "Ann Brødsky, Example University\nBo Lee",
    "venue": "Example Press", "publication_date": "2025-09-30",
    "point_of_contact": "Nathan Toronto, DSCU, +1 555 0100", "prior_coordination": "",
    "remarks": "Chapters are unclassified.", "date_needed": "2025-05-01", "grant_number": "HQ0034-24-1-0001",
}
PAPERS = printed.Papers(
    volume="Quokka Logistics: Arms Transfers in Practice", publisher="Example Press",
    office="Defense Office of Prepublication and Security Review (DOPSR)", request=7,
    editors=(printed.Signer("Nathan Toronto", "Defense Security Cooperation University"),
             printed.Signer("Hadd Jones", "FMS Center of Excellence")),
    on=dt.date(2025, 3, 1), enclosures=("DD Form 1910, to be signed (dd1910.pdf)", "2 chapters as Word files"),
    labels={"grant_number": "Grant number"})


def text_of(pdf: bytes, tmp_path, layout=True) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_form_prints_every_block_with_the_requests_values(tmp_path):
    pdf = printed.form_pdf(VALUES, PAPERS)
    text = text_of(pdf, tmp_path, layout=False)
    assert text.count("\f") == 1  # one page
    words = flat(text)
    assert "CLEARANCE REQUEST FOR PUBLIC RELEASE OF DEPARTMENT OF DEFENSE INFORMATION" in words
    for block in ["1. DOCUMENT DESCRIPTION", "2. AUTHOR/SPEAKER", "3. PRESENTATION/PUBLICATION DATA",
                  "4. POINT OF CONTACT", "5. PRIOR COORDINATION", "6. REMARKS",
                  "7. RECOMMENDATION OF SUBMITTER'S AGENCY/DEPARTMENT"]:
        assert block in words.replace("’", "'"), block
    for value in ["Book manuscript (edited volume)", "Quokka Logistics: Arms Transfers in Practice", "214",
                  "Law and Policy; Process", "Ann Brødsky", "Example University", "Bo Lee", "Example Press",
                  "2025-09-30", "Chapters are unclassified.", "2025-05-01", "DOPSR", "Clearance request 7"]:
        assert value in words, value
    # The point of contact's telephone has its own box; the press's own field is printed under its label.
    assert "Nathan Toronto, DSCU" in words and "+1 555 0100" in words
    assert "Grant number: HQ0034-24-1-0001" in words
    assert "None" in words.split("5. PRIOR COORDINATION", 1)[1]  # no prior coordination is said, not left blank
    # Block 7 names the signer, and the signature and the date signed are left empty to sign.
    block7 = words.split("7. RECOMMENDATION", 1)[1]
    assert "Nathan Toronto" in block7 and "Volume editor" in block7
    lines = text_of(pdf, tmp_path).splitlines()
    signature = next(n for n, line in enumerate(lines) if "G. SIGNATURE" in line)
    assert lines[signature].split() == ["G.", "SIGNATURE", "H.", "DATE", "SIGNED"]
    footer = next(n for n, line in enumerate(lines) if n > signature and "DD FORM 1910" in line)
    assert footer - signature > 2 and all(not line.strip() for line in lines[signature + 1:footer])


def test_every_default_field_has_a_box_on_the_printed_form():
    assert {f.key for f in DEFAULT_FORM} <= printed.KNOWN_KEYS


def test_the_same_values_give_the_same_bytes():
    assert printed.form_pdf(VALUES, PAPERS) == printed.form_pdf(VALUES, PAPERS)


def test_a_telephone_number_is_split_from_the_point_of_contact():
    assert printed.split_phone("Nathan Toronto, DSCU, +1 555 0100") == ("Nathan Toronto, DSCU", "+1 555 0100")
    assert printed.split_phone("Ann Lee (703) 555-0199 ext. 12") == ("Ann Lee", "(703) 555-0199 ext. 12")
    assert printed.split_phone("Nathan Toronto, DSCU") == ("Nathan Toronto, DSCU", "")


def test_the_cover_letter_names_the_manuscript_its_pages_the_enclosures_and_the_contact(tmp_path):
    words = flat(text_of(printed.letter_pdf(VALUES, PAPERS), tmp_path, layout=False))
    assert "1 March 2025" in words and "Defense Office of Prepublication and Security Review (DOPSR)" in words
    assert "Quokka Logistics: Arms Transfers in Practice, 214 pages as typeset" in words
    assert "answer by 1 May 2025" in words
    assert "point of contact for this request is Nathan Toronto, DSCU, +1 555 0100" in words
    assert "DD Form 1910, to be signed (dd1910.pdf)" in words and "2 chapters as Word files" in words
    assert "Nathan Toronto" in words.split("Sincerely,")[1] and "Hadd Jones" in words.split("Sincerely,")[1]
