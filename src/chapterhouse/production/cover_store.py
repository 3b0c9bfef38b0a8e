"""Stores a volume's front cover: checked (``covers.check_cover``), saved and audited. The cover page's upload and
the demo both come through here, so a cover is never kept without the check or its audit record."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

from chapterhouse.call.models import Call
from chapterhouse.production.covers import check_cover
from chapterhouse.production.models import Cover
from chapterhouse.workflow.transitions import record_event


def store_cover(call: Call, data: bytes, name: str, description: str, by) -> Cover:
    """The new current cover of ``call``; raises ``CoverError`` (saying why) for an image that cannot print."""
    publication = call.definition.publication
    image = check_cover(data, publication.trim_width_in, publication.trim_height_in)
    with transaction.atomic():
        cover = Cover(call=call, sha256=hashlib.sha256(data).hexdigest(), suffix=image.suffix, width=image.width,
                      height=image.height, description=description, original_name=name[:255], uploaded_by=by)
        cover.image.save(f"cover{image.suffix}", ContentFile(data), save=False)
        cover.save()
        record_event(cover, by, f"Cover uploaded ({image.width} × {image.height} pixels)")
    return cover
