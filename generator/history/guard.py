"""`registry validate --base REF`: the public record is append-only relative to REF.

Five errors (catalogue E501–E505), each saying what to do instead:

- E501: a record file (guidance entry, approved technology, its conditions, banned technology,
  research project) that exists at REF was deleted. Records are withdrawn by a new announcement
  (delist, ban); a research project ends by an event of its own (terminated, completed).
- E502: such a file, or a published announcement, was renamed (a deleted file whose content
  reappears, at least half of it, under a new name in the same directory, as `git -M` would say).
- E503: an announcement published at REF was changed or deleted. Corrections are a new `amend`
  announcement. Content is compared after parsing, so comment and whitespace edits are fine.
- E504: a conditions version published at REF (its announcement dated on or before today) was
  changed or removed. Conditions are published content (规范 第十七条): a correction is a new
  `amend` announcement with a new version appended. Versions are compared after expanding the
  one-version shorthand (a flat file is the version of the `approve` announcement), with an
  absent `effective` read as the announcement's date and absent lists as empty, so rewriting a
  flat file as `versions` is no change.
- E505: an event of a research project published at REF (filed on or before today) was changed or
  removed, or another put in its place. A project's `events` are append-only (DESIGN.md, Data;
  history/append_only.py): what the filing institution reported stays; new events are appended.
  Its other fields may be corrected, as those of any descriptive record.

"Published at REF" means: present at REF with a date on or before *today* in Beijing. Not the date
of the REF commit: the daily rebuild publishes an embargoed announcement on its date without any
new commit, so once that date has passed it is public record although REF never changed. Not
`--as-of` either: that is a what-if date for statuses, while the guard protects what the public can
see now. An announcement still under embargo today may be edited, renamed or withdrawn.

REF's side is exactly the blobs git tracks there (`ls-tree` + `cat-file --batch`): no
`.gitattributes` (export-ignore, export-subst, filters), ignore rule or hidden file can hide a file
from the comparison or change its content. The working tree's side is read from disk, regular files
only (a symlink, FIFO or device is never opened; validation reports it, E113, as it reports hidden
files, E112). The same comparison of two directories serves `registry diff`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from generator.domain.dates import today_shanghai
from generator.domain.errors import Problem, problem, sort_key
from generator.domain.kinds import DATA_FOLDERS
from generator.history.append_only import registered_changes
from generator.history.guard_conditions import announcement_data, conditions_problems
from generator.history.guard_conditions import expanded_versions as expanded_versions  # diff_text
from generator.load.documents import Document, dotted, load_bytes, load_file
from generator.load.field_changes import Change, field_changes, make_change
from generator.load.files import MAX_BYTES, data_root_fault, read_regular
from generator.load.git import GUARDED_DIRS, REGULAR_MODES, read_blobs, require_repo, revision_files
from generator.validate.entries import display_path

RENAME_SIMILARITY = 0.5  # git's default for -M


def guard_problems(data_dir: Path, base: str, today: date | None = None) -> list[Problem]:
    """Problems of `data_dir` (the working tree) relative to the git revision `base`.

    Raises `load/git.py` `GitError` when there is no repository or `base` does not exist.
    """
    shown = display_path(data_dir)
    # second line of defence (the commands check first): a linked root would guard another folder
    if (fault := data_root_fault(data_dir)) is not None:
        return [problem("E114", shown, name=shown, what=fault)]
    base_files = revision_blobs(data_dir, base)
    head_files = tree_files(data_dir)
    return compare_files(base_files, head_files, data_dir, base, today or today_shanghai(), shown)


def _guarded(rel: str) -> bool:
    folder, _, name = rel.partition("/")
    return folder in GUARDED_DIRS and name.endswith(".yaml") and "/" not in name


def revision_blobs(data_dir: Path, ref: str) -> dict[str, bytes]:
    """The guarded files at `ref`, read as the blobs git stores (regular files only)."""
    entries = {
        rel: e
        for rel, e in revision_files(data_dir, ref).items()
        if _guarded(rel) and e.mode in REGULAR_MODES
    }
    blobs = read_blobs(require_repo(data_dir), [e.sha for e in entries.values()], MAX_BYTES)
    # A blob over the limit is compared by its size: any change to it still shows as a change.
    return {
        rel: b if isinstance(b := blobs.get(e.sha, b""), bytes) else f"<{b} bytes>".encode()
        for rel, e in entries.items()
    }


# A file's identity as lstat sees it: a file whose inode, size, change and modification times are
# the same is read from the cache (`registry serve` asks again after every save)
StatKey = tuple[int, int, int, int]
TreeCache = dict[str, tuple[StatKey, bytes]]


def tree_files(root: Path, cache: TreeCache | None = None) -> dict[str, bytes]:
    """Contents of the guarded files under `root`, by path relative to it (`approved/X.yaml`).

    Regular files only, opened without following links: what is not a regular file is reported
    by validation (E112, E113), and is absent here, so replacing a record by a link is a deletion.
    With `cache` (kept by the caller between calls), a file whose lstat is unchanged is not read
    again; the cache keeps only the files seen this time.
    """
    out: dict[str, bytes] = {}
    seen: TreeCache = {}
    for folder in GUARDED_DIRS:
        d = root / folder
        if d.is_symlink() or not d.is_dir():
            continue
        for entry in sorted(os.scandir(d), key=lambda e: e.name):
            if not entry.name.endswith(".yaml") or not entry.is_file(follow_symlinks=False):
                continue
            rel = f"{folder}/{entry.name}"
            content = _cached(entry, cache.get(rel) if cache is not None else None, seen, rel)
            if content is not None:
                out[rel] = content
    if cache is not None:
        cache.clear()
        cache.update(seen)
    return out


def _cached(
    entry: os.DirEntry[str], hit: tuple[StatKey, bytes] | None, seen: TreeCache, rel: str
) -> bytes | None:
    """The content of one listed file: from `hit` when its lstat is unchanged, else read."""
    try:
        st = entry.stat(follow_symlinks=False)
        key: StatKey | None = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        key = None
    if hit is not None and key is not None and hit[0] == key:
        seen[rel] = hit
        return hit[1]
    raw, size, why = read_regular(Path(entry.path))
    if why is not None:
        return None
    content = raw if raw is not None else f"<{size} bytes>".encode()
    if key is not None:
        seen[rel] = (key, content)
    return content


def _published(raw: bytes, today: date) -> tuple[bool, str]:
    """Whether an announcement's version at REF was public by `today`, and its id."""
    data = load_bytes(raw, "").data
    if not isinstance(data, dict):
        return False, ""  # could not have been built at REF
    try:
        day = date.fromisoformat(str(data.get("date")))
    except ValueError:
        return False, ""
    return day <= today, str(data.get("id", ""))


def _similarity(a: bytes, b: bytes) -> float:
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    return difflib.SequenceMatcher(None, la, lb, autojunk=False).ratio()


def _renames(
    gone: list[str], added: list[str], base: dict[str, bytes], head: dict[str, bytes]
) -> dict[str, str]:
    """old path -> new path for deleted files whose content reappears in the same directory."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for old in gone:
        folder = old.split("/", 1)[0]
        best, score = None, RENAME_SIMILARITY
        for new in added:
            if new in taken or new.split("/", 1)[0] != folder:
                continue
            s = _similarity(base[old], head[new])
            if s >= score:
                best, score = new, s
        if best is not None:
            out[old] = best
            taken.add(best)
    return out


def compare_trees(
    base_root: Path, head_root: Path, base: str, today: date, shown_root: str | None = None
) -> list[Problem]:
    """Guard problems of the registry at `head_root` relative to the one at `base_root`.

    Files are reported under `shown_root` (default: `head_root` as displayed in messages).
    """
    shown = shown_root if shown_root is not None else display_path(head_root)
    return compare_files(
        tree_files(base_root), tree_files(head_root), head_root, base, today, shown
    )


def compare_files(
    base_files: dict[str, bytes],
    head_files: dict[str, bytes],
    head_root: Path,
    base: str,
    today: date,
    shown: str,
    base_announcements: Callable[[], dict[str, dict[str, Any]]] | None = None,
) -> list[Problem]:
    """`compare_trees` on files already read with `tree_files`. `base_announcements`, when
    given, returns `announcement_data(base_files)` (a caller that compares with the same base
    again and again parses them once)."""
    gone = [p for p in base_files if p not in head_files]
    added = [p for p in head_files if p not in base_files]
    renames = _renames(gone, added, base_files, head_files)
    problems: list[Problem] = []
    for old in gone:
        f = f"{shown}/{old}"
        new = renames.get(old)
        if old.startswith("announcements/"):
            published, aid = _published(base_files[old], today)
            if not published:
                continue  # still under embargo: never public, may be withdrawn or renamed
            if new is not None:
                problems.append(problem("E502", f, base=base, old=old, new=new))
            else:
                problems.append(problem("E503", f, value=aid or Path(old).stem, base=base))
        elif new is not None:
            problems.append(problem("E502", f, base=base, old=old, new=new))
        else:
            problems.append(problem("E501", f, base=base, advice=_withdraw_advice(old)))
    base_anns = base_announcements or (lambda: announcement_data(base_files))
    problems += conditions_problems(
        base_files, head_files, head_root, base, today, shown, base_anns
    )
    problems += _research_problems(base_files, head_files, head_root, base, today, shown)
    for rel, raw in base_files.items():
        if not rel.startswith("announcements/") or rel not in head_files:
            continue
        if head_files[rel] == raw:
            continue
        published, aid = _published(raw, today)
        if published:
            doc = load_file(head_root / rel, f"{shown}/{rel}")
            problems.extend(_changed_announcement(aid, raw, doc, base))
    return sorted(problems, key=sort_key)


def _changed_announcement(aid: str, raw: bytes, doc: Document, base: str) -> list[Problem]:
    old: Any = load_bytes(raw, "").data
    if not isinstance(doc.data, dict):
        return [problem("E503", doc.file, value=aid, base=base)]
    changes = field_changes(old, doc.data)
    if isinstance(old, dict):
        changes = _attachment_changes(old, doc.data, changes)
    return [
        problem("E503", doc.file, *doc.where(c.loc), dotted(c.loc), value=aid, base=base)
        for c in changes
    ]


def _attachment_changes(
    old: dict[str, Any], new: dict[str, Any], changes: list[Change]
) -> list[Change]:
    """`changes` with those inside `attachments` replaced by what the rule forbids: the one change
    allowed to a published announcement is whole new items appended to `attachments` (attaching
    the original later, validate/attachments.py; history/append_only.py)."""
    rest = [c for c in changes if c.loc[:1] != ("attachments",)]
    before, after = ([] if (v := d.get("attachments")) is None else v for d in (old, new))
    if not isinstance(before, list) or not isinstance(after, list):
        inside = [c for c in changes if c.loc[:1] == ("attachments",)]
        return rest + (inside or [make_change(("attachments",), before, after)])
    return rest + registered_changes(("attachments",), before, after, key="file")


# --- research projects' events (E505) -------------------------------------------------------


def _research_problems(
    base_files: dict[str, bytes],
    head_files: dict[str, bytes],
    head_root: Path,
    base: str,
    today: date,
    shown: str,
) -> list[Problem]:
    """A research project published at REF (filed on or before today) keeps every event it had
    there, unchanged and in its place: its `events` are append-only (DESIGN.md, Data). Its other
    fields may be corrected, as those of any descriptive record."""
    folder = f"{DATA_FOLDERS['research']}/"
    out: list[Problem] = []
    for rel, raw in base_files.items():
        if not rel.startswith(folder) or rel not in head_files or head_files[rel] == raw:
            continue  # a deleted or renamed project is E501/E502
        old = load_bytes(raw, "").data
        if not isinstance(old, dict) or not _filed_by(old, today):
            continue  # never published: it may still change
        doc = load_file(head_root / rel, f"{shown}/{rel}")
        new = doc.data if isinstance(doc.data, dict) else {}
        rid = str(old.get("id", Path(rel).stem))
        for c in registered_changes(("events",), old.get("events"), new.get("events")):
            what = f"{c.path} 被删除" if c.new is None else f"{c.path} 被修改"
            line, col = doc.where(c.loc)
            out.append(
                problem("E505", doc.file, line, col, c.path, value=rid, what=what, base=base)
            )
    return out


def _filed_by(data: dict[str, Any], today: date) -> bool:
    try:
        return date.fromisoformat(str(data.get("filed"))) <= today
    except ValueError:
        return False  # no valid filing date at REF: it could not have been published


def _withdraw_advice(rel: str) -> str:
    """How a record of this folder ends without being deleted."""
    if rel.startswith(DATA_FOLDERS["research"] + "/"):
        return "请恢复该文件：临床研究备案项目以其自身的 terminated（终止研究）或 completed（研究结束）事件结束，在 events 末尾追加即可"
    return "请恢复该文件，并改为发布新公告（如 delist、ban）"
