"""What the printer needs to know, in one plain record: trim, bleed, crop marks and the paper's pages per inch.

Read from the call's ``[publication]`` table today (``from_publication``); a publication record kept in the
web app can fill the same record later without the print code changing. Plain Python; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

POINTS_PER_INCH = 72
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class PrintSettings:
    trim_width_in: float = 6.0
    trim_height_in: float = 9.0
    bleed_in: float = 0.125  # beyond the trim on every side (IngramSpark, KDP and most offset printers: 0.125 in)
    crop_marks: bool = False  # print-on-demand printers refuse marks; an offset printer may want them
    pages_per_inch: int = 444  # 50 lb (74 gsm) white offset; the spine is pages ÷ pages per inch

    @classmethod
    def from_publication(cls, publication) -> PrintSettings:
        """From ``call.schema.Publication`` (or anything with the same attribute names)."""
        return cls(publication.trim_width_in, publication.trim_height_in, publication.bleed_in,
                   publication.crop_marks, publication.pages_per_inch)


def inches(value: float) -> str:
    """Inches to the thousandth, without trailing zeros: 6, 0.125, 12.953."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def inches_and_mm(width_in: float, height_in: float) -> str:
    """“12.953 × 9.25 in (329.0 × 235.0 mm)”: the size as a printer's spec sheet and a designer's software say it."""
    return (f"{inches(width_in)} × {inches(height_in)} in "
            f"({width_in * MM_PER_INCH:.1f} × {height_in * MM_PER_INCH:.1f} mm)")
