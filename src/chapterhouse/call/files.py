"""Where call files are: the default call that ``setup`` loads and ``check`` applies.

Kept apart from the schema so that finding the file does not import pydantic. Plain Python; no Django.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_call_path() -> Path:
    """The call ``setup`` loads and ``check`` applies: ``$CHAPTERHOUSE_DEFAULT_CALL``, else the shipped DSCU call.

    In a source checkout the project root holds pyproject.toml; an installed copy looks under the cwd.
    """
    if os.environ.get("CHAPTERHOUSE_DEFAULT_CALL"):
        return Path(os.environ["CHAPTERHOUSE_DEFAULT_CALL"])
    checkout = Path(__file__).resolve().parents[3]
    root = checkout if (checkout / "pyproject.toml").exists() else Path.cwd()
    return root / "calls" / "dscu-fms-2024.toml"
