"""length: the chapter's words, notes included, within the call's range.

Counting follows :mod:`chapterhouse.manuscripts.wordcount`. Plain Python; no Django.
"""

from __future__ import annotations

from chapterhouse.manuscripts.findings import Issue, rule


@rule("length.word-count")
def word_count(context):
    rules, words = context.manuscript_rules, context.words
    counted = words.body + (words.notes if rules.notes_count else 0) + (words.bibliography if rules.bibliography_counts else 0)
    parts = ["body"] + (["notes"] if rules.notes_count else []) + (["bibliography"] if rules.bibliography_counts else [])
    detail = (f"{counted:,} words ({' + '.join(parts)}; body {words.body:,}, notes {words.notes:,}, "
              f"bibliography {words.bibliography:,})")
    wanted = f"{rules.min_words:,}–{rules.max_words:,} words"
    if counted < rules.min_words:
        yield Issue("error", f"The chapter has {detail}; the call asks for {wanted}.", None,
                    f"Add {rules.min_words - counted:,} words or more.")
    elif counted > rules.max_words:
        yield Issue("error", f"The chapter has {detail}; the call asks for {wanted}.", None,
                    f"Cut {counted - rules.max_words:,} words or more.")
