"""Pictures for a reviewer's copy: pixels only, never the author's file with its EXIF, XMP or comments.

A Word picture is decoded and encoded again from its pixels (Pillow), so no metadata block of the original can
travel with it. A PDF's JPEG image keeps its compressed data (re-encoding would blur it) but loses every segment
that is not needed to draw it: application segments (EXIF, XMP, Photoshop, ICC) and comments. Plain Python; no
Django.
"""

from __future__ import annotations

import io

from chapterhouse.review.blind_model import Image

MAX_PIXELS = 30_000_000  # a 6,700 × 4,500 photograph; more is left out as a possible decompression bomb
KEPT_JPEG_SEGMENTS = {0xE0, 0xEE}  # APP0 (JFIF: density only) and APP14 (Adobe: the colour transform flag)


class NotAPicture(ValueError):
    """The bytes are not a raster picture Pillow can read safely (EMF, WMF, SVG, damaged or too large)."""


def fresh_picture(data: bytes) -> Image:
    """The picture's pixels in a new PNG (or JPEG for a photograph), with no metadata at all."""
    from PIL import Image as PillowImage

    try:
        # Opening reads only the header: the size is checked before any pixel is decoded.
        with PillowImage.open(io.BytesIO(data)) as source:
            if source.width * source.height > MAX_PIXELS:
                raise NotAPicture(f"{source.width} × {source.height} pixels is more than a picture needs")
            photograph = source.format == "JPEG"
            source.seek(0)
            pixels = source.convert(_mode_for(source.mode, photograph))
    except NotAPicture:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, PillowImage.DecompressionBombError) as error:
        raise NotAPicture(str(error) or "unreadable") from None
    # A new image from the raw pixels: nothing of the source's info (EXIF, ICC, comments, DPI) is attached to it.
    clean = PillowImage.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if photograph:
        clean.save(out, "JPEG", quality=92)
    else:
        clean.save(out, "PNG", optimize=False)
    return Image(out.getvalue(), "jpeg" if photograph else "png", clean.width, clean.height)


def _mode_for(mode: str, photograph: bool) -> str:
    if photograph:
        return "L" if mode == "L" else "RGB"
    return mode if mode in ("L", "LA", "RGB", "RGBA") else "RGBA"


def bare_jpeg(data: bytes) -> bytes:
    """The JPEG with its APPn (other than JFIF and Adobe) and COM segments removed; raises NotAPicture if it is
    not a well-formed JPEG up to its image data."""
    if not data.startswith(b"\xff\xd8"):
        raise NotAPicture("not a JPEG")
    kept, at = [b"\xff\xd8"], 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise NotAPicture("a JPEG segment does not start where the previous one ended")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the image data and everything after it is drawing
            kept.append(data[at:])
            return b"".join(kept)
        length = int.from_bytes(data[at + 2:at + 4], "big")
        segment = data[at:at + 2 + length]
        if length < 2 or at + 2 + length > len(data):
            raise NotAPicture("a JPEG segment runs past the end")
        if not (0xE0 <= marker <= 0xEF and marker not in KEPT_JPEG_SEGMENTS) and marker != 0xFE:
            kept.append(segment)
        at += 2 + length
    raise NotAPicture("a JPEG without image data")
