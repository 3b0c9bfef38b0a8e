"""Front cover images: big enough for the trim size at 300 dpi, PNG or JPEG, or refused with the size needed."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chapterhouse.production.covers import CoverError, check_cover, needed_pixels


def image_bytes(width: int, height: int, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 60, 90)).save(buffer, kind)
    return buffer.getvalue()


def test_a_cover_large_enough_for_6_by_9_at_300_dpi_is_accepted():
    cover = check_cover(image_bytes(1800, 2700), 6, 9)
    assert (cover.width, cover.height, cover.format, cover.suffix) == (1800, 2700, "PNG", ".png")
    assert check_cover(image_bytes(2000, 3000, "JPEG"), 6, 9).suffix == ".jpg"


def test_a_cover_too_small_is_refused_naming_the_pixels_needed():
    with pytest.raises(CoverError) as raised:
        check_cover(image_bytes(1200, 1800), 6, 9)
    assert str(raised.value) == ("The image is 1,200 × 1,800 pixels; a 6 × 9 in cover printed at 300 dpi needs at "
                                 "least 1,800 × 2,700 pixels.")
    assert needed_pixels(5.5, 8.5) == (1650, 2550)


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7 not an image", "not a PNG or JPEG image"),
    (image_bytes(1800, 2700)[:200], "not a PNG or JPEG image"),
    (image_bytes(1800, 2700, "GIF"), "the cover must be a PNG or JPEG image"),
])
def test_files_that_are_not_usable_images_are_refused_in_words(data, message):
    with pytest.raises(CoverError, match=message):
        check_cover(data, 6, 9)
