"""Finds classification and CUI markings in text, so marked material is refused before it is stored.

Used on proposal text and attachments at intake, and on every part of a Word chapter by the manuscript
checker. It reads text blocks (a paragraph, a header line, a document property) that each carry a location,
and returns one hit per marking found. Plain Python; no Django.

The rules, and why ordinary prose passes
----------------------------------------
Markings are written in capitals with ``//`` separators or in parentheses at the start of a portion; prose is
not. The scanner therefore matches the *form* of a marking, not a word:

``classification-caveat``  TOP SECRET, SECRET, CONFIDENTIAL or UNCLASSIFIED in capitals followed by ``//`` and a
    control (``SECRET//NOFORN``, ``UNCLASSIFIED//FOUO``), and the short forms ``TS//``, ``S//``, ``C//``,
    ``U//`` followed by a control.
``banner``  a line that consists only of TOP SECRET, SECRET, CONFIDENTIAL, CUI, CONTROLLED UNCLASSIFIED
    INFORMATION, FOR OFFICIAL USE ONLY (in capitals, optionally led by "CLASSIFICATION:" and framed by dashes or
    asterisks), or a line "Classification: <level>" in any case.
    Passes: "a secret of success", "the SECRET level" (a capitalised word inside a sentence).
    The same line in any other case ("Secret//Noforn", "Confidential" alone on a line) is a doubtful hit: a
    heading or a title may read so.
``portion``  ``(TS)``, ``(S)``, ``(C)`` or ``(CUI)`` at the start of a line or right after a sentence, followed
    by text (a capital letter or a quotation mark); and any parenthesised marking with a control,
    ``(U//FOUO)``, ``(S//NF)``. ``(S)`` and ``(C)`` are not portion marks when they continue a list: ``(C)`` when
    a line in the last ten (or earlier on the same line) started with ``(B)``, ``(S)`` after ``(R)``. A bare
    ``(S)`` or ``(C)`` is certain only in a document that uses portion marks (two or more paragraphs start with
    one); alone, it is reported with a doubt (see below).
    Passes: "(c) the third option" (lower case), "(A) … (B) … (C) The third", "Tiered Screening (TS) process"
    (an acronym inside a sentence, followed by lower case), "(C) (315) 430-8073" (a phone number, not text),
    "(C) 2024 The Press" (a figure).
``cui``  ``CUI//…`` in any form (``CUI//SP-CTI``), the phrase CONTROLLED UNCLASSIFIED INFORMATION in capitals,
    and the lines of a CUI designation block ("Controlled by:", "CUI Category:", "Limited Dissemination
    Control:", "POC:" is left alone as too common).
    Doubtful hits, in any case: a paragraph or note opening with the label "CUI:" ("CUI: Chen, interview"), and a
    statement that the text or its attachment is or holds CUI ("The attached case data is CUI and will be
    cited.", "This chapter contains CUI": a subject such as "the/this/our …" and "is/are/contains/includes/holds
    CUI", not followed by "program", "policy", "category" and the like).
    Passes: "contains no controlled unclassified information (CUI)", "no CUI", "controlled by the
    Department" (not a line start followed by a colon), "What is CUI? CUI is information …", "The CUI program".
``dissemination``  the control words NOFORN, ORCON, NOCONTRACT, PROPIN, RELIDO, IMCON, FOUO, LIMDIS, EXDIS,
    NODIS as whole words in capitals; "REL TO" followed by a country trigraph; FOR OFFICIAL USE ONLY, SENSITIVE
    BUT UNCLASSIFIED and LAW ENFORCEMENT SENSITIVE in capitals. A writer discussing a marking should spell it
    out in ordinary case ("not releasable to foreign nationals"); the refusal message says so.
``distribution``  DoD distribution statements B to F ("Distribution Statement C", "Distribution authorized to
    U.S. Government agencies …"), in any case. Statement A (public release) passes.
``export-control``  the export-control warning formulas ("… whose export is restricted by the Arms Export
    Control Act …", "WARNING - This document contains technical data …", "… subject to severe criminal
    penalties", DoD Directive 5230.25 dissemination) and EXPORT CONTROLLED / ITAR CONTROLLED in capitals.
    Passes: "the Arms Export Control Act authorizes these sales".
``authority-block``  a line starting "Classified By:", "Derived From:" or "Declassify On:", in any case.

Certain and doubtful hits
-------------------------
A marking in marking position (a banner line in capitals, a portion mark, a control block, a ``//`` compound
opening a line or following a sentence's end) is certain. A hit is doubtful, and its ``doubt`` says why it was
not counted as a marking, when it is
  * a control word or capitalised marking phrase (``dissemination``, CONTROLLED UNCLASSIFIED INFORMATION, EXPORT
    CONTROLLED) inside a sentence, as in "DoD Instruction 5200.48 retired the FOUO marking";
  * a whole marking (``SECRET//NOFORN``, ``CUI//BASIC``, ``(S//NF)``) inside a running sentence, with words of the
    sentence before it: "A banner line such as SECRET//NOFORN appears at the top of every page" writes about a
    marking; a header line "Page 3 SECRET//NOFORN" (no sentence) and "(S//NF) The delivery slipped" stay certain;
  * a banner line in mixed case, a "CUI:" label or a statement that the work holds CUI (above);
  * a lone bare "(S)" or "(C)" in a document that marks no other portion.
A chapter about security cooperation discusses these words and markings, so a doubtful hit is a warning that
people read, never a silent pass and never a refusal: one rule for every caller. The manuscript checker makes a
certain hit an error and a doubtful one a warning; proposal intake refuses a certain hit and shows a doubtful
one to the editors (:func:`certain`, :func:`doubtful`).

Text is normalised first (NFKC, zero-width characters and soft hyphens removed) so that a full-width slash or a
hidden joiner does not hide a marking. A block holding none of the literals some rule needs (``_TRIGGERS``:
"//", "secret", "cui", "distribution", "export", … in any case) skips the rules: almost all prose does, and a
chapter has hundreds of blocks. Every rule added must add its literal there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple


class TextBlock(NamedTuple):
    """A piece of text and where it came from, in words a user understands ("abstract", "footer, page 2")."""

    text: str
    location: str


class MarkingHit(NamedTuple):
    rule: str
    marking: str
    description: str
    location: str
    excerpt: str
    doubt: str = ""  # why this may not be a marking (it sits in running prose); empty when certain

    def message(self) -> str:
        return f"“{self.marking}” ({self.description}) in {self.location}"


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_LEVELS = r"TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED"
_CONTROL = r"[A-Z0-9][A-Z0-9 ,/&\-]*"
_SENTENCE_START = r"(?:^|(?<=[.!?:;]\s)|(?<=[.!?:;][\"”’]\s))"
_FOLLOWED_BY_PROSE = r"(?=\s+[A-Z\"“‘])"  # text, not a phone number "(315) …", a figure or another "(B)"


class _Rule(NamedTuple):
    rule: str
    description: str
    pattern: re.Pattern


def _rule(rule: str, description: str, pattern: str, flags: int = 0) -> tuple[str, str, str, int]:
    return rule, description, pattern, flags | re.MULTILINE


@cache
def _rules() -> list[_Rule]:
    """The rules compiled, when a text first holds a trigger: most chapters never do, and compiling them all
    costs the command-line checker a few milliseconds at every start."""
    return [_Rule(rule, description, re.compile(pattern, flags)) for rule, description, pattern, flags in _RULE_SOURCES]


_BANNER_WORDS = (r"top secret|secret|confidential|cui|controlled unclassified information|for official use only")

_RULE_SOURCES = [
    _rule("portion", "portion marking with a control",
          rf"\((?:TS|S|C|U|CUI)//{_CONTROL}\)"),
    _rule("classification-caveat", "classification marking with a control",
          rf"\b(?:{_LEVELS})\s*//\s*{_CONTROL}"),
    _rule("classification-caveat", "classification marking with a control",
          rf"(?<![A-Za-z/])(?:TS|S|C|U)//{_CONTROL}"),
    _rule("banner", "classification banner",
          r"^[\s*\-–—=#|]*(?:CLASSIFICATION:\s*)?(?:TOP SECRET|SECRET|CONFIDENTIAL|CUI|CONTROLLED UNCLASSIFIED "
          r"INFORMATION|FOR OFFICIAL USE ONLY)[\s*\-–—=#|]*$"),
    _rule("banner", "classification line",
          r"^\s*classification\s*:\s*(?:top secret|secret|confidential|cui|controlled unclassified information)\b",
          re.IGNORECASE),
    _rule("portion", "portion marking", rf"{_SENTENCE_START}\s*\((?:TS|S|C|CUI)\){_FOLLOWED_BY_PROSE}"),
    _rule("cui", "CUI marking", rf"\bCUI\s*//\s*{_CONTROL}"),
    _rule("cui-phrase", "CUI marking", r"\bCONTROLLED UNCLASSIFIED INFORMATION\b"),
    _rule("cui-label", "CUI label opening a paragraph", r"^\s*CUI\s*:", re.IGNORECASE),
    _rule("cui-statement", "statement that the work holds CUI",
          r"\b(?:this|these|the|our|my)\b[^.!?;:\n]{0,60}?\b(?:is|are|contains?|includes?|holds?)\s+(?:also\s+)?"
          r"(?:CUI|controlled unclassified information)\b(?!\s*(?:program|policy|polic|registry|categor|framework|rule"
          r"|marking|guidance|training|reform|regime|//))", re.IGNORECASE),
    _rule("cui", "CUI designation block",
          r"^\s*(?:Controlled\s+by|CUI Categor(?:y|ies)|Limited Dissemination Control|Distribution/Dissemination Control)\s*:",
          re.IGNORECASE),
    _rule("dissemination", "dissemination control",
          r"\b(?:NOFORN|ORCON|NOCONTRACT|PROPIN|RELIDO|IMCON|FOUO|LIMDIS|EXDIS|NODIS)\b"),
    _rule("dissemination", "release marking", r"\bREL TO\s+(?:USA|[A-Z]{3}|FVEY|NATO)\b"),
    _rule("dissemination", "dissemination control",
          r"\b(?:FOR OFFICIAL USE ONLY|SENSITIVE BUT UNCLASSIFIED|LAW ENFORCEMENT SENSITIVE)\b"),
    _rule("distribution", "DoD distribution statement limiting release",
          r"\bdistribution\s+statement\s+[B-F]\b(?![\w-])", re.IGNORECASE),
    _rule("distribution", "DoD distribution statement limiting release",
          r"\bdistribution\s+authori[sz]ed\s+to\s+(?:U\.?S\.?\s+Government|DoD|Department\s+of\s+Defense|U\.?S\.?\s+DoD)",
          re.IGNORECASE),
    _rule("export-control", "export-control warning",
          r"\bexport\s+is\s+restricted\s+by\s+the\s+(?:Arms\s+Export\s+Control\s+Act|Export\s+Administration\s+Act)",
          re.IGNORECASE),
    _rule("export-control", "export-control warning",
          r"\bWARNING\s*[-:–—]?\s*This\s+document\s+contains\s+(?:technical\s+data|export)", re.IGNORECASE),
    _rule("export-control", "export-control warning",
          r"\bsubject\s+to\s+severe\s+criminal\s+penalties\b", re.IGNORECASE),
    _rule("export-control", "export-control warning",
          r"\bin\s+accordance\s+with\s+(?:the\s+)?provisions\s+of\s+DoD\s+Directive\s+5230\.25", re.IGNORECASE),
    _rule("export-marking", "export-control marking", r"\b(?:EXPORT|ITAR|EAR)[\s-]CONTROLLED\b"),
    _rule("authority-block", "classification authority block",
          r"^\s*(?:Classified\s+By|Derived\s+From|Declassify\s+On)\s*:", re.IGNORECASE),
    # Last, so that every rule for markings written in capitals takes its line first: the same line in any case.
    _rule("banner-any-case", "classification banner in mixed case",
          rf"^[\s*\-–—=#|]*(?:{_BANNER_WORDS})(?:\s*//\s*[a-z0-9][a-z0-9 ,/&\-]*)?[\s*\-–—=#|]*$", re.IGNORECASE),
]

# A literal, in lower case, that each rule above needs; text holding none of them cannot hold a marking.
_TRIGGERS = ("//", "(ts)", "(s)", "(c)", "(cui)", "secret", "confidential", "cui", "controlled", "official",
             "sensitive", "noforn", "orcon", "nocontract", "propin", "relido", "imcon", "fouo", "limdis", "exdis",
             "nodis", "rel to", "5230", "itar", "classif", "categor", "dissemination", "distribution", "export",
             "warning", "penalties", "derived", "declassify")


@cache
def _trigger_finder():
    """All triggers found in one pass (Aho–Corasick) instead of one scan of the whole text per trigger: at 8,000
    words the 33 scans took 1.5 ms, a tenth of a check; the automaton finds the same set in a third of that."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for trigger in _TRIGGERS:
        automaton.add_word(trigger, trigger)
    automaton.make_automaton()
    return automaton


def triggers_in(lowered: str) -> list[str]:
    """The triggers that occur in ``lowered`` (text already lower-cased), in the order of ``_TRIGGERS``."""
    found = {trigger for _, trigger in _trigger_finder().iter(lowered)} if lowered else set()
    return [trigger for trigger in _TRIGGERS if trigger in found]


_ENUMERATOR_AT_START = re.compile(r"^\s*\(([A-Z])\)")
_BARE_PORTION = re.compile(r"\((S|C)\)")
_RECENT_LINES = 10
# A paragraph that starts with a portion mark followed by text: two of these mean the document uses portion marks.
_PORTION_AT_START = re.compile(r"^\s*\((?:U|C|S|TS|CUI|[A-Z]{1,4}//[A-Z0-9 ,/&\-]+)\)\s+[A-Z\"“‘]", re.MULTILINE)
# Hits of these rules name a marking word; inside a sentence they are words discussed, not a marking applied.
_WORD_RULES = {"dissemination", "cui-phrase", "export-marking"}
_PROSE_WORD = re.compile(r"[^\W\d_]*[a-z][^\W\d_]*")  # a word with a lower-case letter: prose, not a banner
_PROSE_WORDS = 3
_MARKING_POSITION = "a banner line, a portion mark, a control block or a // compound"


_INVISIBLE_CHARACTERS = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalise(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII alone, and every invisible character is outside it
        return text
    if not unicodedata.is_normalized("NFKC", text):  # curly quotes and dashes are already NFKC: checked in C
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE) if _INVISIBLE_CHARACTERS.search(text) else text


def scan(blocks: Iterable[TextBlock]) -> list[MarkingHit]:
    """Every marking in ``blocks``, in reading order, one hit per marking per place."""
    hits: list[MarkingHit] = []
    seen: set[tuple[str, str, str]] = set()
    recent_enumerators: list[str] = []
    blocks = list(blocks)
    texts = [normalise(block.text) for block in blocks]
    everything = "\n".join(texts).lower()
    present = triggers_in(everything)  # usually few, often none
    if not present:  # no rule can match anywhere: nothing to scan, no list to follow
        return hits
    uses_portion_marks = len(_PORTION_AT_START.findall("\n".join(texts))) >= 2 if "(" in everything else False
    for block, text in zip(blocks, texts):
        lines = text.splitlines() or [""]
        lowered = text.lower()
        if not any(trigger in lowered for trigger in present):
            recent_enumerators += [_enumerator(line) for line in lines[-_RECENT_LINES:]] if "(" in text else [""] * min(len(lines), _RECENT_LINES)
            del recent_enumerators[:-_RECENT_LINES]
            continue
        for number, line in enumerate(lines, start=1):
            location = block.location if len(lines) == 1 else f"{block.location}, line {number}"
            for hit in _scan_line(line, location, recent_enumerators, uses_portion_marks):
                key = (hit.rule, hit.marking, hit.location)
                if key not in seen:
                    seen.add(key)
                    hits.append(hit)
            recent_enumerators.append(_enumerator(line))
            del recent_enumerators[:-_RECENT_LINES]
    return hits


def certain(hits: Iterable[MarkingHit]) -> list[MarkingHit]:
    """The hits that refuse: markings in marking position."""
    return [hit for hit in hits if not hit.doubt]


def doubtful(hits: Iterable[MarkingHit]) -> list[MarkingHit]:
    """The hits people must read and judge: shown as warnings, never refused and never passed in silence."""
    return [hit for hit in hits if hit.doubt]


def _enumerator(line: str) -> str:
    start = _ENUMERATOR_AT_START.match(line)
    return start.group(1) if start else ""


def scan_text(text: str, location: str) -> list[MarkingHit]:
    return scan([TextBlock(text, location)])


_PUBLIC_RULE = {"cui-phrase": "cui", "cui-label": "cui", "cui-statement": "cui", "export-marking": "export-control",
                "banner-any-case": "banner"}


def _scan_line(line: str, location: str, recent_enumerators: list[str], uses_portion_marks: bool) -> Iterable[MarkingHit]:
    taken: list[tuple[int, int]] = []  # one marking, one hit: later rules skip text an earlier rule matched
    found: list[tuple[_Rule, re.Match]] = []
    for rule in _rules():
        for match in rule.pattern.finditer(line):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if rule.rule == "portion" and _continues_a_list(line, match, recent_enumerators):
                continue
            taken.append(match.span())
            found.append((rule, match))
    for rule, match in found:
        marking = match.group(0).strip(" \t*-–—=#|")
        yield MarkingHit(_PUBLIC_RULE.get(rule.rule, rule.rule), marking, rule.description, location,
                         _excerpt(line, match), _doubt(rule.rule, line, match, taken, marking, uses_portion_marks))


# Why a hit of these rules is never certain: what each says in a warning.
_ALWAYS_DOUBTFUL = {
    "banner-any-case": "the line holds only a marking, but not in the capitals markings are written in, so it may be "
                       "a heading or a title rather than a banner",
    "cui-label": "a paragraph or note opening with the label “CUI:” may mark what follows as CUI, or may only name "
                 "the subject it discusses",
    "cui-statement": "it says that the text or its attachment is or holds CUI, which this call cannot take; a chapter "
                     "discussing CUI as a subject is fine",
}
# Hits of these rules are a whole marking (a // compound, a portion mark with a control); inside a sentence they are
# a marking written about ("A banner line such as SECRET//NOFORN appears at the top of every page"), not applied.
_COMPOUND_RULES = {"classification-caveat", "cui", "portion"}
_ENDS_A_SENTENCE = re.compile(r"[.!?:;][\"”’)]?\s*$")


def _doubt(rule: str, line: str, match: re.Match, taken: list[tuple[int, int]], marking: str,
           uses_portion_marks: bool) -> str:
    """Why the hit may not be a marking applied to the text; empty when it is certain."""
    if rule in _ALWAYS_DOUBTFUL:
        return _ALWAYS_DOUBTFUL[rule]
    if rule in _WORD_RULES and _in_prose(line, taken):
        return (f"it stands inside a sentence, not in marking position ({_MARKING_POSITION}), so it reads as the "
                "word discussed rather than a marking applied")
    if rule in _COMPOUND_RULES and "//" in marking and _inside_a_sentence(line, match, taken):
        return (f"it stands inside a sentence, with words of the sentence before it, not in marking position "
                f"({_MARKING_POSITION}), so it reads as a marking written about rather than applied")
    if rule == "portion" and _BARE_PORTION.fullmatch(marking) and not uses_portion_marks:
        return ("it looks like a portion mark, but no other paragraph of the document starts with one, so it may be a "
                "list item or a label")
    return ""


def _inside_a_sentence(line: str, match: re.Match, taken: list[tuple[int, int]]) -> bool:
    """Words of a sentence run up to the marking (it neither opens the line nor follows a sentence's end), and the
    line holds a sentence's worth of ordinary words besides: a header such as "Page 3 SECRET//NOFORN" does not."""
    before = line[: match.start()]
    return (bool(_PROSE_WORD.search(before)) and not _ENDS_A_SENTENCE.search(before)
            and _in_prose(line, taken))


def _in_prose(line: str, taken: list[tuple[int, int]]) -> bool:
    """The line, without the markings found in it, still holds a sentence's worth of ordinary words."""
    rest, last = [], 0
    for start, end in sorted(taken):
        rest.append(line[last:start])
        last = max(last, end)
    rest.append(line[last:])
    return len(_PROSE_WORD.findall(" ".join(rest))) >= _PROSE_WORDS


def _continues_a_list(line: str, match: re.Match, recent_enumerators: list[str]) -> bool:
    """(C) after (B), or (S) after (R), is the next item of a list, not a portion marking."""
    bare = _BARE_PORTION.search(match.group(0))
    if not bare:
        return False
    previous = chr(ord(bare.group(1)) - 1)
    return previous in recent_enumerators or f"({previous})" in line[: match.start()]


def _excerpt(line: str, match: re.Match, width: int = 40) -> str:
    start, end = max(0, match.start() - width), min(len(line), match.end() + width)
    return ("…" if start else "") + line[start:end].strip() + ("…" if end < len(line) else "")


_LABEL_WORDS = re.compile(
    r"\b(?:secret|confidential|cui|controlled|fouo|official use|noforn|restricted|sensitive|classified)\b",
    re.IGNORECASE,
)


def scan_sensitivity_label(label: str, location: str) -> list[MarkingHit]:
    """A Word sensitivity label ("Confidential", "CUI") marks the file even when no text shows it."""
    match = _LABEL_WORDS.search(normalise(label))
    if not match:
        return []
    return [MarkingHit("sensitivity-label", label.strip(), "sensitivity label", location, label.strip()[:80])]
