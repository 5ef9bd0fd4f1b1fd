"""Where the project's data lives, independent of the working directory.

``PRICEWAR_DATA_DIR`` overrides the data folder (tests point it at a temporary copy).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "data_dir", "curated_dir", "snapshots_dir", "relative", "project_path"]

PROJECT_ROOT = Path(__file__).resolve().parents[3]  # lib/pricewar/data/paths.py → the project


def data_dir() -> Path:
    """The data folder: ``$PRICEWAR_DATA_DIR`` or ``<project>/data``."""
    override = os.environ.get("PRICEWAR_DATA_DIR")
    return Path(override) if override else PROJECT_ROOT / "data"


def curated_dir() -> Path:
    return data_dir() / "curated"


def snapshots_dir() -> Path:
    return data_dir() / "snapshots"


def relative(path: Path) -> str:
    """``path`` relative to the project root when inside it, for messages."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def project_path(path: str | Path) -> Path:
    """``path`` as given if absolute, else relative to the project root (not the working directory)."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path
