"""Building the sample site in tests: reproducibly, with a fixed SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from generator.shells.build import build

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)
EPOCH = "1767225600"  # 2026-01-01T08:00:00+08:00


def build_sample(out: Path, data: Path = ROOT / "data", as_of: date = AS_OF) -> Path:
    """Build a site into `out` with SOURCE_DATE_EPOCH fixed, restoring the environment after."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build(ROOT / "mkdocs.yml", out, data, as_of)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return out
