"""Editorial revision history of every record, read from git (contract: `revisions` in
`api/records/<id>.json`, the 修订记录 section of record pages, `/changes/`).

One pass, whatever the number of records: one `git log --raw -z` of the record directories lists
every commit with the blob ids of each file it changed, one `git cat-file --batch` reads each blob
needed, parsed once. Cost grows with the file changes in the history, not records × commits.

Old versions may be invalid: they are parsed with the registry's own loader (`load_bytes`, which
never raises and refuses anchors: no billion laughs); a version that does not parse into a mapping
is compared as a whole (`path` ""), not field by field.

The history follows the checked-out branch's first-parent line, each commit against its first
parent (a merged pull request is one revision, the merge); `branch_dates` says which date a
revision carries, and `published.py` what text it may show.

Without git (a tarball) the history is unavailable; in a shallow clone it is partial, and the
commits at the shallow boundary are left out, because git shows them as creating every file.
"""

from __future__ import annotations

import contextlib
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import IO, Any

from generator.domain.dates import SHANGHAI
from generator.load.documents import load_bytes
from generator.load.field_changes import (
    NOT_A_MAPPING,
    ZERO,
    Change,
    item_key,
    summarise,
)
from generator.load.git import HISTORY_DIRS, GitError, Repo, git, locate, popen
from generator.load.published import Published, Walk


@dataclass(frozen=True)
class Revision:
    """One commit as seen from one record: what it changed in the record and its conditions."""

    commit: str
    date: str  # when it entered the branch, ISO 8601 with offset (`branch_dates`)
    message: str  # generated from the changes (`summarise`), never the commit's own message
    changes: tuple[Change, ...]
    created: bool = False  # the commit added the record file itself

    @property
    def short(self) -> str:
        return self.commit[:7]

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "date": self.date,
            "message": self.message,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class Commit:
    """A commit that changed at least one record file, with the records it touched."""

    commit: str
    date: str
    message: str  # generated, as Revision.message
    records: tuple[str, ...]

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass
class History:
    """Revision history of all records; `available` is False without git history."""

    available: bool
    partial: bool = False
    reason: str = ""  # why it is unavailable or partial, in Chinese, for the pages
    by_record: dict[str, list[Revision]] = field(default_factory=dict)  # oldest first
    commits: list[Commit] = field(default_factory=list)  # newest first
    stats: dict[str, float] = field(default_factory=dict)
    # the announcements and records the walk asked the published view about (published.py Walk)
    asked: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())

    def revisions(self, rid: str) -> list[Revision]:
        return self.by_record.get(rid, [])

    def without(self, secrets: Iterable[str]) -> History:
        """This history with every revision withheld whose changes mention one of `secrets`
        (ids, numbers, titles and names of what is still under embargo): a commit can edit a
        published record and, in the same change, name an announcement not yet public. Withheld
        until the embargo ends, when the next build shows it."""
        tokens = sorted({t for t in secrets if len(t) >= 2}, key=len, reverse=True)
        if not tokens:
            return self
        rx = re.compile("|".join(re.escape(t) for t in tokens))

        def said(v: Any) -> bool:  # None: a field added or removed, nothing said on that side
            return v is not None and rx.search(v if isinstance(v, str) else item_key(v)) is not None

        def public(rev: Revision) -> bool:
            return not any(said(c.old) or said(c.new) for c in rev.changes)

        by_record = {rid: [r for r in revs if public(r)] for rid, revs in self.by_record.items()}
        kept = {(rid, r.commit) for rid, revs in by_record.items() for r in revs}
        commits = []
        for c in self.commits:
            records = tuple(rid for rid in c.records if (rid, c.commit) in kept)
            if records:
                commits.append(Commit(c.commit, c.date, f"修订 {len(records)} 条记录", records))
        return replace(self, by_record=by_record, commits=commits, stats=dict(self.stats))

    def api(self, rid: str) -> dict[str, Any]:
        """The `revisions` part of `api/records/<id>.json`."""
        return {
            "revisions": [r.as_dict() for r in self.revisions(rid)],
            "history_available": self.available,
            "history_partial": self.partial,
        }


UNAVAILABLE = "本次构建的数据不在 git 仓库中（例如从压缩包构建），修订记录不可用。"

NO_COMMITS = "git 仓库中还没有提交，修订记录不可用。"

SHALLOW = "本次构建使用的是浅克隆（只含最近的提交），较早的修订没有列出。"


@dataclass
class _FileChange:
    status: str
    old_blob: str
    new_blob: str
    path: str  # relative to the data directory


@dataclass
class _RawCommit:
    commit: str
    date: str
    message: str
    files: list[_FileChange] = field(default_factory=list)


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens of a byte stream, as they arrive."""
    rest = b""
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def _parse_log(
    tokens: Iterable[bytes],
    prefix: str,
    want: Callable[[str, _FileChange], None] | None = None,
) -> list[_RawCommit]:
    """Parse `git log --raw -z --format=%x1e%H%x00%cI%x00%s` (newest first).

    Each commit header is three tokens (hash, date, subject), each changed file two (the raw
    line, the path); `want(commit, change)` is called for every record file as soon as it is read.
    """
    it = iter(tokens)
    commits: list[_RawCommit] = []
    for tok in it:
        if tok.startswith(b"\x1e"):
            date = next(it, b"").decode()
            subject = next(it, b"").decode("utf-8", "replace")
            commits.append(_RawCommit(tok[1:].decode(), date, subject))
            continue
        tok = tok.lstrip(b"\n")
        if not (tok.startswith(b":") and commits):
            continue
        old_mode, new_mode, old_blob, new_blob, status = tok[1:].decode().split(" ")
        path = next(it, b"").decode("utf-8", "surrogateescape")
        regular = all(m in ("000000", "100644", "100755") for m in (old_mode, new_mode))
        rel = path[len(prefix) :]
        folder, _, name = rel.partition("/")
        if (
            regular
            and path.startswith(prefix)
            and (folder in HISTORY_DIRS or folder == "announcements")
            and name.endswith(".yaml")
            and "/" not in name
        ):
            change = _FileChange(status[0], old_blob, new_blob, rel)
            commits[-1].files.append(change)
            if want is not None:
                want(commits[-1].commit, change)
    return commits


def _log_args(repo: Repo) -> list[str]:
    # One pathspec, the data directory: matching several pathspecs against every tree entry costs
    # more than filtering the few non-record files out here.
    fmt = "--format=%x1e%H%x00%cI%x00%s"
    flags = ["--raw", "-z", "--no-abbrev", "--no-renames", "--no-textconv", "--no-ext-diff"]
    # The checked-out branch only, each commit against its first parent: a merged pull request is
    # one revision (the merge, dated by the platform), its own commits never enter the history.
    flags += ["--first-parent", "--diff-merges=first-parent"]
    return ["log", *flags, fmt, "--", repo.prefix or "."]


def _read_blobs(out: IO[bytes]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every blob `git cat-file --batch` sends, raw and parsed, as it arrives."""
    blobs: dict[str, bytes] = {}
    parsed: dict[str, Any] = {}
    while header := out.readline():
        parts = header.split()
        if len(parts) < 3:  # "<sha> missing": a partial clone
            continue
        raw = out.read(int(parts[2]))
        out.read(1)  # the newline after the content
        sha = parts[0].decode()
        blobs[sha] = raw
        parsed[sha] = _parse_blob(raw)
    return blobs, parsed


def _read_once(repo: Repo, boundary: set[str], reads: dict | None) -> tuple:
    """`_read`, or what it returned for the same HEAD (one at a time) and boundary last time."""
    if reads is None:
        return _read(repo, boundary)
    key = (git(["rev-parse", "--verify", "HEAD"], repo.top).decode().strip(), *sorted(boundary))
    if key not in reads:
        reads.clear()
        reads[key] = _read(repo, boundary)
    return reads[key]


def _read(repo: Repo, boundary: set[str]) -> tuple[list[_RawCommit], dict[str, bytes], dict, float]:
    """Run `git log` and `git cat-file --batch` as a pipeline.

    A thread reads the log and asks for each blob as soon as it is named, a second one feeds those
    requests to cat-file, and this thread parses each blob as it arrives: git walks the history
    in its own process while Python parses. Returns the commits (boundary ones left out), the
    blobs, the parsed blobs, and when the log was complete.
    """
    log = popen(_log_args(repo), repo.top, stdout=subprocess.PIPE)
    cat = popen(["cat-file", "--batch"], repo.top, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert log.stdout is not None and cat.stdin is not None and cat.stdout is not None
    requests: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    outcome: dict[str, Any] = {}
    seen: set[str] = set()

    def want(commit: str, change: _FileChange) -> None:
        if commit in boundary:
            return
        for sha in (change.old_blob, change.new_blob):
            if sha != ZERO and sha not in seen:
                seen.add(sha)
                requests.put(sha.encode() + b"\n")

    def read_log() -> None:
        try:
            outcome["commits"] = _parse_log(_tokens(log.stdout), repo.prefix, want)  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised below, in the caller's thread
            outcome["error"] = exc
        finally:
            outcome["log_done"] = time.perf_counter()
            requests.put(None)

    def feed_cat() -> None:
        try:
            while (line := requests.get()) is not None:
                cat.stdin.write(line)  # type: ignore[union-attr]
                cat.stdin.flush()  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):
                cat.stdin.close()  # type: ignore[union-attr]

    threads = [threading.Thread(target=f, daemon=True) for f in (read_log, feed_cat)]
    for t in threads:
        t.start()
    blobs, parsed = _read_blobs(cat.stdout)
    for t in threads:
        t.join()
    log.wait()
    cat.wait()
    if "error" in outcome:
        raise outcome["error"]
    if log.returncode != 0 or cat.returncode != 0:
        raise GitError("git log 失败")
    commits = [c for c in outcome["commits"] if c.commit not in boundary]
    return commits, blobs, parsed, outcome["log_done"]


def _shallow_commits(repo: Repo) -> set[str]:
    if not repo.shallow:
        return set()
    try:
        path = git(["rev-parse", "--git-path", "shallow"], repo.top).decode().strip()
        return set((repo.top / path).read_text().split())
    except (GitError, OSError):
        return set()


def _parse_blob(raw: bytes | None) -> Any:
    if raw is None:
        return None
    data = load_bytes(raw, "").data
    return data if isinstance(data, dict) else NOT_A_MAPPING


def branch_dates(dates: list[str], as_of: date | None) -> list[str]:
    """The date each revision carries, oldest first: its committer date, but never earlier than
    the revision before it on the branch (one second later when it would be: the order of
    `/changes/` is the branch's) and never after the end of the as-of day in Beijing (nor after
    the revision after it). A merged pull request's own commits are not on the branch's
    first-parent line: its changes carry the merge commit's date, which the platform sets."""
    out: list[datetime] = []
    for d in dates:
        t = datetime.fromisoformat(d)
        out.append(max(t, out[-1] + _SECOND) if out else t)
    if as_of is not None:
        cap = datetime.combine(as_of, dtime(23, 59, 59), SHANGHAI)
        for i in reversed(range(len(out))):
            out[i] = min(out[i], cap)
            cap = out[i] - _SECOND
    return [
        d if datetime.fromisoformat(d) == t else t.astimezone(SHANGHAI).isoformat()
        for d, t in zip(dates, out, strict=True)
    ]


_SECOND = timedelta(seconds=1)


def read_history(
    data_dir: Path,
    published: Published | None = None,
    as_of: date | None = None,
    reads: dict[tuple[str, ...], Any] | None = None,
) -> History:
    """Every record's revisions along the checked-out branch, from one `git log` and one
    `git cat-file --batch`.

    `published`, when given, is the published view: a revision shows only text it allows
    (`published.py`: a record only while tied to an announcement published today, conditions
    versions only as published). `as_of` bounds every date (`branch_dates`). `reads`: the
    preview's memo of HEAD's commits and parsed blobs."""
    t0 = time.perf_counter()
    repo = locate(data_dir)
    if repo is None:
        return History(available=False, reason=UNAVAILABLE)
    if not repo.has_head:
        return History(available=False, reason=NO_COMMITS)
    boundary = _shallow_commits(repo)
    try:
        raw_commits, blobs, parsed, t_log = _read_once(repo, boundary, reads)
    except GitError:
        return History(available=False, reason=UNAVAILABLE)
    t_parse = time.perf_counter()

    history = History(available=True, partial=repo.shallow, reason=SHALLOW if repo.shallow else "")
    by_record: dict[str, list[Revision]] = {}
    walk = Walk(blobs, parsed, published)
    oldest_first = raw_commits[::-1]
    dates = branch_dates([c.date for c in oldest_first], as_of)
    for c, when in zip(oldest_first, dates, strict=True):
        per_record, created = walk.step(c.files)
        for rid, changes in per_record.items():
            message = summarise(changes, rid in created)
            rev = Revision(c.commit, when, message, tuple(changes), rid in created)
            by_record.setdefault(rid, []).append(rev)
        if per_record:
            message = f"修订 {len(per_record)} 条记录"
            history.commits.append(Commit(c.commit, when, message, tuple(sorted(per_record))))
    history.commits.reverse()
    history.by_record = by_record
    history.asked = (frozenset(walk.asked_announcements), frozenset(walk.asked_records))
    t_end = time.perf_counter()
    history.stats = {
        "commits": len(raw_commits),
        "file_changes": sum(len(c.files) for c in raw_commits),
        "blobs": len(blobs),
        "git_log_s": t_log - t0,  # when the log was complete (blob reads and parsing overlap it)
        "read_parse_s": t_parse - t0,  # log, blob reads and parsing, pipelined
        "diff_s": t_end - t_parse,
        "total_s": t_end - t0,
    }
    return history
