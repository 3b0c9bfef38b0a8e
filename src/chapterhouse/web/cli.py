"""What a stage's command line uses to reach the database (``chapterhouse call load``, ``backup``, …): Django set up
with the project's settings. The ``chapterhouse`` command itself is assembled in ``site/``."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    import django

    django.setup()
