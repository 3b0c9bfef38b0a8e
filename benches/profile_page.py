"""cProfile one page of the bench site (benches/web.py's seed) in process, through Django's test client.

    .venv/bin/python benches/profile_page.py --data /tmp/site editor /desk/calls/{call}/proposals/ [--top 30]

The first run seeds ``--data`` (2,000 proposals, as benches/web.py); later runs reuse it. The user is one of
``anonymous``, ``editor``, ``author``, ``reviewer``; ``{call}``, ``{proposal}`` and ``{chapter}`` in the path are
filled from the seed. Prints the query count, then the profile of ``--repeats`` requests after one warm-up,
sorted by cumulative time (``--sort tottime`` for own time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from web import environment  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("user")
    parser.add_argument("path")
    parser.add_argument("--post-docx", action="store_true", help="POST a proposal with an 8-page .docx to the path")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--time", action="store_true", help="no profile: the median ms of --repeats requests")
    args = parser.parse_args()
    data = Path(args.data)
    site_file = data / "site.json"
    if "CHAPTERHOUSE_BENCH_CHILD" not in os.environ:
        data.mkdir(parents=True, exist_ok=True)
        env = environment(None, str(data))
        env.pop("DJANGO_SETTINGS_MODULE")
        env.update(DJANGO_SETTINGS_MODULE="web_settings", CHAPTERHOUSE_BENCH_CHILD="1")
        python = str(HERE.parent / ".venv" / "bin" / "python")
        if not site_file.exists():
            subprocess.run([python, "-m", "chapterhouse.site.cli", "setup"], env=env, check=True, capture_output=True)
            seeded = subprocess.run([python, str(HERE / "web.py"), "--seed", "--proposals", "2000", "--reviewers",
                                     "200", "--chapters", "20"], env=env, check=True, capture_output=True, text=True)
            site_file.write_text(seeded.stdout.strip().splitlines()[-1])
        return subprocess.run([python, *sys.argv], env=env).returncode
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    site = json.loads(site_file.read_text())
    path = args.path.format(call=site["call"], proposal=site["proposal"], chapter=site["chapter"])
    client = Client(HTTP_HOST="localhost")
    if args.user != "anonymous":
        client.force_login(get_user_model().objects.get(username=site[args.user]))

    def one(n: int):
        if not args.post_docx:
            return client.get(path)
        from web import eight_page_docx, proposal_fields

        class Fields:  # proposal_fields asks a bench client for the form; the test client does as well
            cookies = {}

            def request(self, method, url):
                answer = client.get(url)
                return answer.status_code, answer.headers, answer.content.decode()

        fields = proposal_fields(Fields(), site["call"], 10_000 + n)
        fields.pop("csrfmiddlewaretoken")
        from django.core.files.uploadedfile import SimpleUploadedFile

        fields["attachment"] = SimpleUploadedFile("outline.docx", eight_page_docx())
        return client.post(path, fields)

    response = one(0)
    assert response.status_code in (200, 302), (response.status_code, response.content[:500])
    with CaptureQueriesContext(connection) as captured:
        one(1)
    print(f"{path}: {response.status_code}, {len(captured)} queries")
    for query in captured:
        print("  ", query["sql"][:160])
    if args.time:
        import statistics
        import time

        took = []
        for n in range(args.repeats):
            started = time.perf_counter()
            one(n + 2)
            took.append((time.perf_counter() - started) * 1000)
        print(f"median {statistics.median(took):.1f} ms, least {min(took):.1f} ms of {args.repeats}")
        return 0
    profile = cProfile.Profile()
    profile.enable()
    for n in range(args.repeats):
        one(n + 2)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    if os.environ.get("PROFILE_OUT"):
        profile.dump_stats(os.environ["PROFILE_OUT"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
