"""The volume's manifest written from the database, so editors never write TOML: parts from the call's themes
in order (a theme without chapters is skipped), chapters in the editors' order with their authors and bios,
the editors' front-matter texts, the current cover, and the volume's publication record (ISBNs, rights,
disclaimer, running titles, part introductions; ``production/publication/settings.py``) with the security
review's clearance statement.

The files the galley engine reads (each chapter's typeset version, front matter as Markdown, the cover) are
copied into a work folder next to the manifest; the engine's cache lives there too, so a rebuild after one
chapter changes typesets that chapter only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL
from chapterhouse.production.galleys.manifest import toml_string
from chapterhouse.production.models import Cover, FrontMatterText


@dataclass
class VolumeInputs:
    """What a build is made of, recorded on the build row."""

    chapters: list[dict] = field(default_factory=list)
    front_matter: list[dict] = field(default_factory=list)
    cover: dict | None = None
    skipped_themes: list[str] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"chapters": self.chapters, "front_matter": self.front_matter, "cover": self.cover,
                "skipped_themes": self.skipped_themes, "parts": self.parts}


@dataclass(frozen=True)
class VolumeText:
    """Text of the volume that is not a chapter — a foreword, introduction, acknowledgements (the production
    page's front matter) or a part's introduction — as the galleys set it and the security review clears it.
    ``key`` names it across builds and requests ("front:7", "part:industry")."""

    key: str
    kind: str  # "front" or "part"
    title: str
    authors: tuple[str, ...]
    body: str

    @property
    def sha256(self) -> str:
        whole = f"{self.title}\n{', '.join(self.authors)}\n\n{self.body}"
        return hashlib.sha256(whole.encode("utf-8")).hexdigest()

    @property
    def kind_label(self) -> str:
        return "Front matter" if self.kind == "front" else "Part introduction"


COPYRIGHT_KEY = "front:copyright"  # the record's rights statement and disclaimer, cleared like any text


def copyright_text(call: Call) -> VolumeText:
    """The words of the copyright page that editors write (rights statement, disclaimer), as a cleared text."""
    from chapterhouse.production.publication.settings import publication_settings

    record = publication_settings(call)
    body = "\n\n".join(line for line in (record.rights, record.disclaimer) if line)
    return VolumeText(COPYRIGHT_KEY, "front", "Copyright page: rights and disclaimer", (), body)


def front_matter_texts(call: Call) -> list[VolumeText]:
    return [VolumeText(f"front:{t.pk}", "front", t.title, tuple(t.author_names), t.body)
            for t in FrontMatterText.objects.filter(call=call)]


def part_introductions(call: Call) -> dict[str, str]:
    """Each part's introduction as written in the publication record (Markdown), by theme slug; a part
    without one opens with its title alone — never the call's text for proposers."""
    from chapterhouse.production.publication.settings import publication_settings

    return publication_settings(call).part_introductions


def part_texts(call: Call, theme_ids: set[int] | None = None) -> list[VolumeText]:
    """The introductions of the parts that have chapters (``theme_ids``; by default the final chapters')."""
    if theme_ids is None:
        theme_ids = {c.theme_id for c in volume_chapters(call) if typeset_version(c) is not None}
    written = part_introductions(call)
    texts = []
    for theme in call.themes.filter(pk__in=theme_ids).order_by("position"):
        body = written.get(theme.slug, "")
        if body.strip():
            texts.append(VolumeText(f"part:{theme.slug}", "part", f"Part introduction: {theme.name}", (), body))
    return texts


def volume_texts(call: Call) -> list[VolumeText]:
    """Every text of the volume besides its chapters, in book order."""
    return [copyright_text(call)] + front_matter_texts(call) + part_texts(call)


def volume_chapters(call: Call):
    """The chapters that go into the book: accepted as final, in theme order then the editors' order."""
    return (Chapter.objects.filter(call=call, status=FINAL).select_related("theme")
            .prefetch_related("authors", "versions").order_by("theme__position", "order", "pk"))


def typeset_version(chapter: Chapter):
    """The manuscript version the galleys set: the final version (a copyedited version, once the line-editing
    stage marks one, takes its place through the same ``is_final`` mark)."""
    return chapter.final_version


def work_folder(call: Call) -> Path:
    return Path(settings.MEDIA_ROOT).parent / "galley-work" / call.slug


def galley_cache(call: Call) -> Path:
    """The galley engine's cache for the volume, shared by every run (its entries are written atomically)."""
    from chapterhouse.production.galleys.build import CACHE_FOLDER

    return work_folder(call) / "out" / CACHE_FOLDER


@contextmanager
def run_folder(call: Call, job: str, run: int) -> Iterator[Path]:
    """An empty folder for run ``run`` of ``job`` (e.g. "build-3"), removed afterwards. What earlier runs of the
    same job left (a worker killed mid-run) is removed first, so a run never reads a half-written file."""
    runs = work_folder(call) / "runs"
    for stale in runs.glob(f"{job}-run-*"):
        if stale.name != f"{job}-run-{run}":
            shutil.rmtree(stale, ignore_errors=True)
    folder = runs / f"{job}-run-{run}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def publication_year(call: Call) -> int:
    launch = call.definition.milestone("launch")
    return (launch.date if launch else dt.date.today()).year


def write_volume_manifest(call: Call, folder: Path) -> tuple[Path, VolumeInputs]:
    """Writes ``folder/volume.toml`` and the files it names; returns its path and what went in."""
    from chapterhouse.production.publication.settings import publication_settings

    definition = call.definition
    publication = definition.publication
    record = publication_settings(call)
    inputs = VolumeInputs()
    texts = folder / "texts"
    if texts.exists():
        shutil.rmtree(texts)
    texts.mkdir(parents=True)
    lines = ["# Written by chapterhouse from the database; edit the volume in the web app, not here.", "schema = 1",
             "", "[volume]", f"title = {toml_string(definition.title)}",
             f"subtitle = {toml_string(definition.subtitle)}", f"publisher = {toml_string(definition.publisher)}",
             f"place = {toml_string(publication.place)}", f"year = {publication_year(call)}",
             f"isbn = {toml_string(record.isbn_print)}", f"isbn_pdf = {toml_string(record.isbn_pdf)}",
             f"isbn_epub = {toml_string(record.isbn_epub)}", f"doi = {toml_string(record.doi)}",
             f"short_title = {toml_string(record.short_title)}",
             f"disclaimer = {toml_string(record.disclaimer)}", f"rights = {toml_string(record.rights)}",
             f"clearance_statement = {toml_string(record.clearance_statement)}",
             f"printing_line = {toml_string(record.printing_line)}",
             f"language = {toml_string(publication.language)}"]
    copyright = copyright_text(call)
    inputs.front_matter.append({"key": copyright.key, "title": copyright.title, "sha256": copyright.sha256})
    cover = Cover.current(call)
    if cover is not None:
        name = f"cover{cover.suffix}"
        with cover.image.open("rb") as source, open(texts / name, "wb") as target:
            shutil.copyfileobj(source, target)
        lines += [f"cover = {toml_string('texts/' + name)}", f"cover_description = {toml_string(cover.description)}"]
        inputs.cover = {"id": cover.pk, "sha256": cover.sha256}
    for editor in definition.editors:
        lines += ["", "[[volume.editors]]", f"name = {toml_string(editor.name)}",
                  f"affiliation = {toml_string(editor.organisation)}"]
    for text in front_matter_texts(call):
        name = f"front-{text.key.split(':')[1]}.md"
        (texts / name).write_text(text.body, encoding="utf-8")
        lines += ["", "[[front_matter]]", f"title = {toml_string(text.title)}", f"file = {toml_string('texts/' + name)}"]
        for author in text.authors:
            lines += ["[[front_matter.authors]]", f"name = {toml_string(author)}"]
        inputs.front_matter.append({"id": int(text.key.split(":")[1]), "key": text.key, "title": text.title,
                                    "sha256": text.sha256})
    chapters_by_theme: dict[int, list[Chapter]] = {}
    for chapter in volume_chapters(call):
        if typeset_version(chapter) is not None:
            chapters_by_theme.setdefault(chapter.theme_id, []).append(chapter)
    introductions = {t.key: t for t in part_texts(call, set(chapters_by_theme))}
    for theme in call.themes.order_by("position"):
        chapters = chapters_by_theme.get(theme.pk, [])
        if not chapters:
            inputs.skipped_themes.append(theme.name)
            continue
        introduction = introductions.get(f"part:{theme.slug}")
        lines += ["", "[[parts]]", f"title = {toml_string(theme.name)}",
                  f"introduction = {toml_string(introduction.body if introduction else '')}"]
        if introduction is not None:
            inputs.parts.append({"key": introduction.key, "title": introduction.title, "sha256": introduction.sha256})
        for chapter in chapters:
            version = typeset_version(chapter)
            name = f"chapter-{chapter.pk}-v{version.number}.docx"
            with version.file.open("rb") as source, open(texts / name, "wb") as target:
                shutil.copyfileobj(source, target)
            lines += ["", "[[parts.chapters]]", f"file = {toml_string('texts/' + name)}",
                      f"title = {toml_string(chapter.title)}",
                      f"short_title = {toml_string(record.chapter_short_titles.get(chapter.pk, ''))}"]
            for author in chapter.authors.all():
                lines += ["[[parts.chapters.authors]]", f"name = {toml_string(author.name)}",
                          f"affiliation = {toml_string(author.affiliation)}", f"bio = {toml_string(author.bio)}"]
            inputs.chapters.append({"chapter": chapter.pk, "version": version.number, "sha256": version.sha256,
                                    "title": chapter.title, "theme": theme.name})
    manifest = folder / "volume.toml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest, inputs
