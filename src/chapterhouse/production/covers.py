"""Checks a front cover image before it is stored: a PNG or JPEG large enough to print the trim size at
300 dpi. Plain Python (Pillow), so the CLI and the web app refuse the same images with the same message."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

PRINT_DPI = 300
FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
MAX_PIXELS = 20000 * 20000  # refuse a decompression bomb before decoding it


class CoverError(ValueError):
    """Why a cover image cannot be used, in words for the person who uploaded it."""


@dataclass(frozen=True)
class CoverImage:
    width: int
    height: int
    format: str  # "PNG" or "JPEG"
    suffix: str


def needed_pixels(trim_width_in: float, trim_height_in: float, dpi: int = PRINT_DPI) -> tuple[int, int]:
    return math.ceil(trim_width_in * dpi), math.ceil(trim_height_in * dpi)


def check_cover(data: bytes, trim_width_in: float, trim_height_in: float, dpi: int = PRINT_DPI) -> CoverImage:
    """The image's size and format, or ``CoverError`` saying what is wrong and which size is needed."""
    need_w, need_h = needed_pixels(trim_width_in, trim_height_in, dpi)
    trim = f"{trim_width_in:g} × {trim_height_in:g} in"
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height, kind = image.width, image.height, image.format
            if width * height > MAX_PIXELS:
                raise CoverError(f"The image is {width:,} × {height:,} pixels, too large to process; "
                                 f"{need_w:,} × {need_h:,} pixels is enough for a {trim} cover at {dpi} dpi.")
            image.verify()
    except CoverError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise CoverError("The file is not a PNG or JPEG image that can be read. Export the cover as PNG or JPEG.") from None
    if kind not in FORMATS:
        raise CoverError(f"The image is {kind}; the cover must be a PNG or JPEG image.")
    if width < need_w or height < need_h:
        raise CoverError(f"The image is {width:,} × {height:,} pixels; a {trim} cover printed at {dpi} dpi needs at "
                         f"least {need_w:,} × {need_h:,} pixels.")
    return CoverImage(width, height, kind, FORMATS[kind])
