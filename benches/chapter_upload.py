"""Benchmark: an author's upload of an 8,000-word chapter, checked and stored, in server time.

Run by hand from the project root:  .venv/bin/python benches/chapter_upload.py [--runs N]

Makes an 8,000-word chapter (pandoc from Markdown with 60 footnotes and a bibliography, double-spaced, the
way the tests make theirs) and, in a throw-away SQLite database and media folder, times:
  * ``store_version`` alone: the checker on the bytes in memory, SHA-256, the file through Django's storage
    API, the version row with its report and the audit row;
  * the whole POST to the chapter's upload page through Django's test client (multipart parsing, the
    permission check, the form, ``store_version``, the redirect), i.e. the server's time for the request;
and prints the medians against the target of 0.5 s (ratio < 1 passes). Each run uploads a slightly different
file (one word changed), since a file identical to a stored version is refused before anything is written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="chapterhouse-bench-")
    os.environ["CHAPTERHOUSE_DATA"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "chapterhouse.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from chapterhouse.accounts.roles import ensure_groups
    from chapterhouse.call.loading import install_call_file
    from chapterhouse.chapters.models import Chapter
    from chapterhouse.chapters.sample import chapter_markdown, to_docx
    from chapterhouse.chapters.upload import rules_for, store_version
    from chapterhouse.manuscripts.checker import check

    call_command("migrate", verbosity=0)
    call = install_call_file(ROOT / "calls" / "dscu-fms-2024.toml")
    author = get_user_model().objects.create_user("bench-author", "bench@example.org", "bench-password-1")
    author.groups.add(ensure_groups()["author"])
    theme = call.themes.first()

    def new_chapter(title: str) -> Chapter:
        chapter = Chapter.objects.create(call=call, theme=theme, title=title)
        chapter.authors.create(user=author, name="Bench Author", email="bench@example.org", is_contact=True)
        return chapter

    print("Making the chapter with pandoc…", flush=True)
    markdown = chapter_markdown(words=8200, notes=60)
    files = [to_docx(markdown + f"\n\nRun {i}.\n")
             for i in range(args.runs * 2)]
    words = check(files[0], rules_for(call)).words
    print(f"Chapter: {words.total:,} words (body {words.body:,}, notes {words.notes:,}), {len(files[0]) / 1024:.0f} KB")
    store_version(new_chapter("Warm-up"), files[-1], "warm.docx", author)  # imports, caches

    chapter = new_chapter("Direct")
    direct = []
    for data in files[: args.runs]:
        started = time.perf_counter()
        store_version(chapter, data, "chapter.docx", author)
        direct.append(time.perf_counter() - started)

    client = Client()
    client.force_login(author)
    chapter = new_chapter("Through the page")
    request = []
    for number, data in enumerate(files[args.runs: args.runs * 2], start=1):
        upload = SimpleUploadedFile("chapter.docx", data)
        started = time.perf_counter()
        response = client.post(reverse("chapter_upload", args=[chapter.pk]), {"file": upload})
        request.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    assert chapter.versions.count() == args.runs

    for label, times in (("store_version (check + store)", direct), ("POST upload request (server)", request)):
        median = statistics.median(times)
        print(f"{label:<32} median {median * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms  "
              f"ratio to {TARGET_SECONDS:.1f} s target {median / TARGET_SECONDS:.2f} {'PASS' if median < TARGET_SECONDS else 'FAIL'}")
    return 0 if statistics.median(request) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
