"""Validation of a whole `data/` directory: every file against its schema, then the checks across
files. Never raises for bad data: every problem is collected into `Registry.problems`.

The status rules (replay, conditions versions) come after, in `status/derive.py`;
`publish.pipeline.check_registry` runs both and is what the commands and the plugin call.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.domain.errors import problem
from generator.load.files import data_root_fault
from generator.validate.attachments import check_attachments
from generator.validate.cache import FileCache
from generator.validate.entries import Registry, display_path
from generator.validate.files import load_registry
from generator.validate.rules import (
    check_announcements,
    check_grades,
    check_names,
    check_references,
)

CHECKS = (check_references, check_names, check_announcements, check_grades, check_attachments)


def validate_registry(root: Path, as_of: date, cache: FileCache | None = None) -> Registry:
    """Load `root` and run every check across files; the problems are in the returned registry.

    A root that is a symlink, runs through one inside the working directory, or is no directory
    is one E114 and nothing is read: a link would validate (and guard) another directory."""
    fault = data_root_fault(root)
    if fault is not None:
        reg = Registry(root=root, as_of=as_of)
        shown = display_path(root)
        reg.problems.append(problem("E114", shown, name=shown, what=fault))
        return reg
    reg = load_registry(root, as_of, cache)
    for check in CHECKS:
        reg.problems.extend(check(reg))
    return reg
