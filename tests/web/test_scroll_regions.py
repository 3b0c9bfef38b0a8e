"""A table frame that scrolls sideways on a phone must be reachable by keyboard (axe: scrollable-region-focusable):
every ``table-wrap`` in every template is focusable and named, so a page never ships one without."""

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "chapterhouse"
FRAME = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def test_every_scrolling_table_frame_is_focusable_and_named():
    frames = [(path.relative_to(SOURCE), tag) for path in SOURCE.rglob("*.html")
              for tag in FRAME.findall(path.read_text(encoding="utf-8"))]
    assert len(frames) >= 10  # the pattern still finds the frames
    lacking = [f"{path}: {tag}" for path, tag in frames
               if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label=" not in tag]
    assert lacking == []
