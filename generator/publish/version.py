"""Data version: `<as-of>+<short commit>` (or `+nogit`), printed on every page, verdict and API file,
so that a saved page or JSON says exactly which data it was based on."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def short_commit(path: Path) -> str | None:
    """Short hash of HEAD of the git repository holding `path`, or None without git history."""
    from generator.load.git import git_env

    try:
        result = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--short=7", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
            env=git_env(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = result.stdout.strip()
    return out if result.returncode == 0 and out else None


def data_version(data_dir: Path, as_of: date) -> str:
    return f"{as_of.isoformat()}+{short_commit(data_dir) or 'nogit'}"
