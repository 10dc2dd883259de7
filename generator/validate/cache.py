"""What each record file added to a `Registry`, kept between runs of `registry serve`.

A preview re-reads only the files that changed since the last run: the file's stat (size, both
times in nanoseconds, inode) is its key, and the change time cannot be set back by any tool, so an
edit always gets a new key. A record file's schema check depends on nothing but the file itself,
registry.yaml's categories and risk-grades.yaml's grades (validate/files.py `_validate`) and the
as-of date: when one of those changes, everything is read again. The checks across files run on
every call (validate/registry.py), so the cache never hides a problem between files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

from generator.validate.entries import Registry

StatKey = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class FileCache:
    """Per record file: its stat key and the one-file registry it was loaded into."""

    basis: tuple[object, ...] = ()  # as-of date and the top files' keys the entries depend on
    files: dict[str, tuple[StatKey, Registry]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)  # paths read again by the last run

    def begin(self, as_of: date, top: tuple[StatKey | None, ...]) -> None:
        basis = (as_of, *top)
        if basis != self.basis:
            self.files.clear()
        self.basis = basis
        self.read = set()

    def get(self, path: str, key: StatKey) -> Registry | None:
        hit = self.files.get(path)
        return hit[1] if hit is not None and hit[0] == key else None

    def put(self, path: str, key: StatKey, one: Registry) -> None:
        self.files[path] = (key, one)
        self.read.add(path)

    def keep_only(self, seen: set[str]) -> None:
        """Forget deleted and renamed files."""
        for path in self.files.keys() - seen:
            del self.files[path]


def merge(reg: Registry, one: Registry) -> None:
    """Add what one file's registry holds to `reg` (the same as loading it into `reg`)."""
    reg.files += one.files
    reg.problems.extend(one.problems)
    reg.records.update(one.records)
    reg.conditions.update(one.conditions)
    reg.announcements.update(one.announcements)
    reg.unreadable |= one.unreadable
    reg.partial.update(one.partial)
