"""Each source is converted once by pandoc into its JSON document model, cached by the file's content hash.

A rebuild after one chapter changes converts only that chapter: the key is the file's bytes (not its name or
date), the pandoc version and this converter's version. Pictures are extracted beside the cached model.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .cache import BuildCache, digest
from .pandoc import run_pandoc, pandoc_version

CONVERTER_VERSION = "convert-1"


@dataclass(frozen=True)
class ConvertedSource:
    key: str  # the cache key of the converted document (source bytes + converter)
    path: Path  # pandoc's JSON for it, in the cache
    sha256: str
    converted: bool  # False when the cache already held it

    def document(self) -> dict:
        return json.loads(self.path.read_bytes())


def convert_file(path: Path, cache: BuildCache) -> ConvertedSource:
    data = path.read_bytes()
    reader = "docx" if path.suffix.lower() == ".docx" else "markdown"
    key = digest(CONVERTER_VERSION, pandoc_version(), reader, data)
    sha256 = hashlib.sha256(data).hexdigest()
    cached = cache.path("ast", key, ".json")
    if cached.exists():
        return ConvertedSource(key, cached, sha256, False)
    args = ["--from", reader, "--to", "json", f"--extract-media=media/{key}", str(path)]
    if reader == "markdown":
        args += ["--resource-path", str(path.parent)]
    cache.write_bytes("ast", key, ".json", run_pandoc(args, cwd=cache.root))
    cache.folder("media", key)
    return ConvertedSource(key, cached, sha256, True)


def convert_markdown(text: str, cache: BuildCache) -> tuple[str, dict]:
    """(cache key, document) for short Markdown from the manifest itself (a part's introduction)."""
    key = digest(CONVERTER_VERSION, pandoc_version(), "markdown-text", text)
    cached = cache.path("ast", key, ".json")
    if cached.exists():
        return key, json.loads(cached.read_bytes())
    output = run_pandoc(["--from", "markdown", "--to", "json"], input=text.encode("utf-8"), cwd=cache.root)
    cache.write_bytes("ast", key, ".json", output)
    return key, json.loads(output)
