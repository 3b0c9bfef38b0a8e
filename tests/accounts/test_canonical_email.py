"""The canonical e-mail form: look-alikes stay distinct, spellings of the same address become one."""

import pytest

from chapterhouse.accounts.emails import InvalidEmail, canonical_email

VICTIM = "victim.author@gmail.com"

SAME_ADDRESS = [
    "Victim.Author@GMAIL.com",  # mixed case
    "  victim.author@gmail.com  ",  # surrounding spaces
    "victim.author@gmail.com.",  # trailing dot on the domain
    "ｖｉｃｔｉｍ.ａｕｔｈｏｒ@ｇｍａｉｌ.ｃｏｍ",  # fullwidth letters (NFKC)
]

LOOK_ALIKES = [
    "victim.author@gmaıl.com",  # dotless ı in the domain: PostgreSQL's UPPER() makes it I
    "vıctim.author@gmail.com",  # dotless ı in the local part
    "VİCTİM.AUTHOR@gmail.com",  # Turkish capital İ
    "vіctim.author@gmail.com",  # Cyrillic і
    "victim.author@gmаil.com",  # Cyrillic а in the domain
]


@pytest.mark.parametrize("raw", SAME_ADDRESS)
def test_spellings_of_one_address_share_one_canonical_form(raw):
    assert canonical_email(raw) == VICTIM


@pytest.mark.parametrize("raw", LOOK_ALIKES)
def test_look_alikes_never_reduce_to_the_address_they_imitate(raw):
    assert canonical_email(raw) != VICTIM


def test_the_domain_is_idna_encoded():
    assert canonical_email("victim.author@gmaıl.com") == "victim.author@xn--gmal-nza.com"


def test_the_local_part_keeps_its_case_when_the_press_says_so():
    assert canonical_email("Victim.Author@Example.ORG", fold_local_case=False) == "Victim.Author@example.org"


@pytest.mark.parametrize("raw", ["", "no-at-sign", "a@b", "a @b.org", "a\n@b.org", "@b.org", "a@", "a@-bad-.org"])
def test_what_is_not_an_address_is_refused_with_a_reason(raw):
    with pytest.raises(InvalidEmail) as refusal:
        canonical_email(raw)
    assert str(refusal.value)
