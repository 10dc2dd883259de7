"""Validation of a whole `data/` directory: every file against its schema, then the checks across
files. Never raises for bad data: every problem is collected into `Registry.problems`.

The status rules (replay, conditions versions) come after, in `status/derive.py`;
`publish.pipeline.check_registry` runs both and is what the commands and the plugin call.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.validate.attachments import check_attachments
from generator.validate.entries import Registry
from generator.validate.files import load_registry
from generator.validate.rules import (
    check_announcements,
    check_grades,
    check_names,
    check_references,
)

CHECKS = (check_references, check_names, check_announcements, check_grades, check_attachments)


def validate_registry(root: Path, as_of: date) -> Registry:
    """Load `root` and run every check across files; the problems are in the returned registry."""
    reg = load_registry(root, as_of)
    for check in CHECKS:
        reg.problems.extend(check(reg))
    return reg
