"""``chapterhouse galley manifest`` and ``chapterhouse galley build``: galley assembly from the terminal.

No Django and no database: these run on a production editor's laptop or in a worker. Input problems are
printed one per line, each naming its file or manifest field, with exit status 1 and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def register(subparsers) -> None:
    galley = subparsers.add_parser("galley", help="typeset the volume's galleys (PDF, EPUB, DOCX) from its manifest")
    actions = galley.add_subparsers(dest="galley_command", metavar="ACTION", required=True)

    manifest = actions.add_parser("manifest", help="write a starting volume manifest from a call file")
    manifest.add_argument("--call", required=True, metavar="CALL.toml", help="the call file (e.g. calls/dscu-fms-2024.toml)")
    manifest.add_argument("--out", default="volume.toml", metavar="FILE", help="where to write it (default: volume.toml)")
    manifest.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    manifest.set_defaults(handler=write_manifest)

    build = actions.add_parser("build", help="build the galleys; a rebuild converts only the chapters that changed")
    build.add_argument("manifest", metavar="MANIFEST.toml")
    build.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs, summary.json and the cache")
    build.add_argument("--formats", default="pdf,epub,docx,print",
                       help="comma-separated: pdf, epub, docx, print (the print PDF and full cover template; "
                            "needs pdf) (default: all)")
    build.add_argument("--bleed", type=float, default=0.125, metavar="IN", help="print bleed in inches (default: 0.125)")
    build.add_argument("--crop-marks", action="store_true", help="crop marks on the print PDF (default: none)")
    build.add_argument("--pages-per-inch", type=int, default=444, metavar="N",
                       help="the paper's pages per inch, for the spine (default: 444, 50 lb white)")
    build.add_argument("--jobs", type=int, default=None, metavar="N", help="parallel workers (default: the cores)")
    bars = build.add_mutually_exclusive_group()
    bars.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show progress bars")
    bars.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress bars")
    build.set_defaults(handler=build_volume)


def write_manifest(args) -> int:
    from chapterhouse.call.schema import CallFileError, load_call
    from chapterhouse.production.galleys.manifest import manifest_from_call

    try:
        call = load_call(args.call)
    except CallFileError as error:
        _print_problems(f"{args.call}: not a usable call file", [str(p) for p in error.problems])
        return 1
    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"{out} exists; pass --force to overwrite it", file=sys.stderr)
        return 1
    launch = call.milestone("launch")
    out.write_text(manifest_from_call(call, (launch.date if launch else dt.date.today()).year), encoding="utf-8")
    print(f"Wrote {out}: {len(call.themes)} parts from the call's themes. Add each part's chapters "
          f"([[parts.chapters]]), then: chapterhouse galley build {out} --out galleys/")
    return 0


def build_volume(args) -> int:
    from chapterhouse.production.galleys.build import build_galleys
    from chapterhouse.production.galleys.errors import GalleyError
    from chapterhouse.production.print_settings import PrintSettings

    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    try:
        settings = PrintSettings(bleed_in=args.bleed, crop_marks=args.crop_marks, pages_per_inch=args.pages_per_inch)
        result = build_galleys(args.manifest, args.out, formats, progress=args.progress, jobs=args.jobs,
                               print_settings=settings)
    except GalleyError as error:
        _print_problems(error.heading, error.problems)
        return 1
    except OSError as error:  # the output folder: not writable, disk full, a file where a folder should be
        where = f" ({error.filename})" if error.filename else ""
        _print_problems(f"Cannot write the galleys to {args.out}", [f"{error.strerror or error}{where}"])
        return 1
    summary = result.summary
    pages = summary["pages"]
    print(f"Built “{summary['volume']['title']}” in {summary['seconds']['total']:.1f} s: "
          + (f"{pages['total']} pages, " if pages else "")
          + f"{summary['words']:,} words, {summary['notes']:,} notes "
          f"({summary['cache']['sources_converted']} of {len(summary['chapters']) + len(summary['front_matter'])} "
          f"texts converted, the rest from the cache)")
    for fmt, path in result.outputs.items():
        print(f"  {fmt:<5} {path}")
    print(f"  summary {result.summary_path}")
    printed = summary.get("print")
    if printed:
        cover = printed["cover"]
        print(f"  full cover {cover['full_cover_in'][0]} × {cover['full_cover_in'][1]} in "
              f"(spine {cover['spine_in']} in for {cover['pages']} pages)")
        for problem in printed["interior"]["problems"]:
            print(f"  print PDF: {problem}", file=sys.stderr)
    if result.errors:
        _print_problems("Footnotes still misplaced (the outputs were written; fix before proofs go out)", result.errors)
        return 1
    return 0


def _print_problems(heading: str, problems: list[str]) -> None:
    print(f"{heading}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
