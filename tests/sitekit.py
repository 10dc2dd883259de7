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


def config_with(out_dir: Path, **plugin: object) -> Path:
    """A copy of mkdocs.yml in `out_dir` (paths made absolute) with these registry plugin options,
    e.g. `config_with(tmp, as_of="2026-11-23", shells=False)`: for plain `mkdocs build` runs."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(ROOT / config["docs_dir"])
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    options = {"data_dir": str(ROOT / "data"), **plugin}
    config["plugins"] = [
        {"registry": {**(p["registry"] or {}), **options}}
        if isinstance(p, dict) and "registry" in p
        else p
        for p in config["plugins"]
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
