"""``chapterhouse diff OLD.docx NEW.docx [--json]``: what changed between two versions of a chapter, word by word.

Prints changed paragraphs of the body and the notes (matched by number) with [-deleted-] and {+inserted+}
words. Exit 0 when the text is the same, 1 when it differs, 2 when a file cannot be read (as ``diff`` does).
No database, no Django.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "diff", help="word-level differences between two versions of a Word chapter (no database)",
        description="Compares two Word chapters word by word: the body paragraph by paragraph and the notes "
                    "matched by number. Exit 0 same text, 1 different, 2 a file cannot be read.")
    command.add_argument("old", metavar="OLD.docx")
    command.add_argument("new", metavar="NEW.docx")
    command.add_argument("--json", action="store_true", help="print the differences as one JSON object")
    command.set_defaults(handler=diff_command)


def diff_command(args) -> int:
    from chapterhouse.manuscripts.diff import diff_documents
    from chapterhouse.ooxml.formats import refusal_message
    from chapterhouse.ooxml.package import PackageError
    from chapterhouse.ooxml.reader import read_manuscript

    documents = []
    for path in (args.old, args.new):
        try:
            documents.append(read_manuscript(path))
        except PackageError as error:
            print(refusal_message(error, path), file=sys.stderr)
            return 2
    result = diff_documents(*documents, args.old, args.new)
    print(json.dumps(result.as_dict(), ensure_ascii=False) if args.json else result.render(), end="" if not args.json else "\n")
    return 1 if result.changed else 0
