"""`registry diff BASE [HEAD]`: what a change does, in Chinese Markdown, for pull-request review.

BASE (and HEAD when given) are materialised from their tracked blobs (load/git.py `materialise`, never
`git archive`); HEAD defaults to the working tree.
Both are checked with `check_registry` at the same as-of. The summary lists, in this order:
validation (HEAD's problems plus the `--base` guard), every status that changes as a result,
announcements added, changed or removed, records added, changed field by field, and removed.

Statuses are compared on every date that matters, not only as-of: the dates of the announcements
that differ (an embargoed `suspend` dated next month shows as "restricted → suspended, from
<its date>"), the anniversaries on which a technology would open by the passing of time, and the
filing and event dates of the research projects that differ. A research project's status comes
from its own events and its entry's delisting (status/research.py), so a delisting lists the
projects it changes too. A new project reads as a study record: title, entry, sponsor,
institutions, filing date, events.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.domain.dates import today_shanghai
from generator.domain.errors import Problem
from generator.domain.kinds import FOLDERS, KIND_LABELS, KIND_OF_FOLDER, spec
from generator.domain.models import TOP_FILES
from generator.domain.vocabulary import STATUS_LABELS
from generator.history.diff_acts import Acts
from generator.history.diff_announcements import announcements_section, backdating_warning
from generator.history.diff_text import (
    change_line,
    code,
    conditions_diff,
    date_of,
    field_labels,
    file_diff,
    itemised,
    md_escape,
    one_line,
    parse_yaml,
    project_lines,
    status_text,
    visible,
)
from generator.history.guard import announcement_data, compare_files, tree_files
from generator.history.projects import project_intervals, statuses_on
from generator.load.field_changes import Change
from generator.load.git import HISTORY_DIRS, GitError, materialise
from generator.publish.checked import Checked
from generator.publish.pipeline import check_registry
from generator.status.replay import replay
from generator.status.states import Replay, Status
from generator.validate.entries import display_path


def _statuses(reg: Checked, day: date) -> dict[str, Status | None]:
    if day == reg.as_of:
        return reg.replay.statuses
    return _replay(reg, day).statuses


def _replay(reg: Checked, day: date) -> Replay:
    return replay(reg.derived.input, day)  # the input validation replayed


class _Report:
    def __init__(
        self,
        base: Checked,
        head: Checked,
        base_files: dict,
        head_files: dict,
        preview: str | None = None,
    ) -> None:
        self.base, self.head = base, head
        self.base_files, self.head_files = base_files, head_files
        self.preview = preview.rstrip("/") + "/" if preview else None
        self.projects = (project_intervals(base), project_intervals(head))
        self.acts = Acts(head, self.ref, self.name)

    def statuses(self, side: int, day: date) -> dict[str, Status | None]:
        """Every record's status on `day` in BASE (side 0) or HEAD (side 1), projects included."""
        reg = (self.base, self.head)[side]
        return {**_statuses(reg, day), **statuses_on(self.projects[side], day)}

    def ref(self, rid: str) -> str:
        """`` `id` ``, linked to its page in the preview build when there is one."""
        if self.preview is None or self.head.problems:
            return code(rid)
        entry = self.head.records.get(rid)
        statuses = self.statuses(1, self.head.as_of)
        if entry is not None and statuses.get(rid) is not None:
            return f"[{code(rid)}]({self.preview}{FOLDERS[entry.kind]}/{rid}/)"
        ann = self.head.announcements.get(rid)
        if ann is not None and ann.model.date <= self.head.as_of:
            return f"[{code(rid)}]({self.preview}announcements/{rid}/)"
        return code(rid)

    def name(self, rid: str) -> str:
        """The record's name (a project's title: its kind's `title_field`)."""
        entry = self.head.records.get(rid) or self.base.records.get(rid)
        if entry is not None:
            return md_escape(getattr(entry.model, spec(entry.kind).title_field))
        kind = self.kind_of(rid)  # a file that did not validate: its name as written
        if kind is not None:
            title = self.data(rid, kind).get(spec(kind).title_field)
            return md_escape(title) if isinstance(title, str) else ""
        return ""

    def kind_of(self, rid: str) -> str | None:
        rels = {f"{folder}/{rid}.yaml": kind for folder, kind in KIND_OF_FOLDER.items()}
        return next(
            (k for rel, k in rels.items() if rel in self.head_files or rel in self.base_files), None
        )

    def data(self, rid: str, kind: str) -> dict:
        """The record's file as parsed, HEAD's when it has one (an empty mapping if unreadable)."""
        rel = f"{FOLDERS[kind]}/{rid}.yaml"
        data = parse_yaml(self.head_files.get(rel) or self.base_files.get(rel))
        return data if isinstance(data, dict) else {}

    def kind_label(self, rid: str) -> str:
        kind = self.kind_of(rid)
        return KIND_LABELS[kind] if kind is not None else "记录"

    def added_lines(self, rid: str) -> list[str]:
        """A new record: one line; a research project reads as a study record, line by line."""
        out = [f"- {self.ref(rid)} {self.name(rid)}（{self.kind_label(rid)}）"]
        if self.kind_of(rid) == "research":
            data = self.data(rid, "research")
            entry = str(data.get("guidance_entry", ""))
            lines = project_lines(data, self.name(entry), self.head.as_of)
            out += [f"  - {line}" for line in lines]
        return out

    def number(self, aid: str) -> str:
        entry = self.head.announcements.get(aid) or self.base.announcements.get(aid)
        return md_escape(entry.model.number if entry is not None else aid)

    # --- records --------------------------------------------------------------------------------

    def record_changes(self) -> tuple[list[str], dict[str, list[Change]], list[str]]:
        """(added ids, changes by id, removed ids) over record and conditions files."""
        rels = sorted(
            r
            for r in {*self.base_files, *self.head_files}
            if r.split("/", 1)[0] in HISTORY_DIRS
            and self.base_files.get(r) != self.head_files.get(r)
        )
        added, removed, changed = [], [], {}
        anns = (announcement_data(self.base_files), announcement_data(self.head_files))
        for rel in sorted(rels, key=lambda r: (r.startswith("conditions/"), r)):
            folder, name = rel.split("/", 1)
            rid = name[: -len(".yaml")]
            old, new = self.base_files.get(rel), self.head_files.get(rel)
            if folder != "conditions" and old is None:
                added.append(rid)
            elif folder != "conditions" and new is None:
                removed.append(rid)
            elif rid in added or rid in removed:
                continue  # the conditions of a record that is new or gone as a whole
            elif folder == "conditions":
                changed.setdefault(rid, []).extend(conditions_diff(rid, old, new, *anns))
            else:
                changed.setdefault(rid, []).extend(file_diff(old, new))
        return added, changed, removed

    def records_section(self) -> list[str]:
        added, changed, removed = self.record_changes()
        out: list[str] = []
        if added:
            out += ["", f"### 新增记录（{len(added)}）", ""]
            out += [line for rid in sorted(added) for line in self.added_lines(rid)]
        if changed:
            out += ["", f"### 修改的记录（{len(changed)}）", ""]
            for rid in sorted(changed):
                out.append(f"- {self.ref(rid)} {self.name(rid)}")
                changes = changed[rid]
                if not changes:
                    out.append("  - 只改动了注释或格式，内容不变")
                kind = self.kind_of(rid)
                labels = field_labels(spec(kind).model if kind in FOLDERS else None)
                out += [f"  - {change_line(c, labels)}" for c in itemised(changes)]
        if removed:
            out += ["", f"### 删除的记录（{len(removed)}）", ""]
            out += [
                f"- {code(rid)} {self.name(rid)}（{self.kind_label(rid)}）"
                for rid in sorted(removed)
            ]
        return out

    # --- announcements --------------------------------------------------------------------------

    def announcement_rels(self) -> list[str]:
        return sorted(
            r
            for r in {*self.base_files, *self.head_files}
            if r.startswith("announcements/") and self.base_files.get(r) != self.head_files.get(r)
        )

    # --- registry.yaml and risk-grades.yaml ----------------------------------------------------

    def settings_section(self, base_root: Path, head_root: Path) -> list[str]:
        out: list[str] = []
        for name in TOP_FILES:
            old, new = _read(base_root / name), _read(head_root / name)
            if old == new:
                continue
            changes = file_diff(old, new)
            out.append(f"- `{name}`（{SETTINGS_LABELS.get(name, name)}）")
            if not changes:
                out.append("  - 只改动了注释或格式，内容不变")
            out += [f"  - {change_line(c)}" for c in changes]
        return (
            ["", f"### 全站设置（{len([x for x in out if x.startswith('- ')])}）", "", *out]
            if out
            else []
        )

    # --- statuses -------------------------------------------------------------------------------

    def dates(self, as_of: date) -> list[date]:
        days = {as_of}
        for rel in self.announcement_rels():
            for raw in (self.base_files.get(rel), self.head_files.get(rel)):
                if (d := date_of(raw)) is not None:
                    days.add(d)
        for rel in self.research_rels():  # a project's filing and event dates
            for raw in (self.base_files.get(rel), self.head_files.get(rel)):
                data = parse_yaml(raw)
                data = data if isinstance(data, dict) else {}
                events = data.get("events") if isinstance(data.get("events"), list) else []
                found = [date_of({"date": data.get("filed")})]
                found += [date_of(e) for e in events if isinstance(e, dict)]
                days.update(d for d in found if d is not None)
        final_b, final_h = _replay(self.base, date.max), _replay(self.head, date.max)
        for rid, st in final_h.states.items():
            other = final_b.states.get(rid)
            a, b = st.opens_by_time_on(), other.opens_by_time_on() if other else None
            if a != b:
                days.update(d for d in (a, b) if d is not None)
        return sorted(days)

    def research_rels(self) -> list[str]:
        folder = f"{FOLDERS['research']}/"
        return sorted(
            r
            for r in {*self.base_files, *self.head_files}
            if r.startswith(folder) and self.base_files.get(r) != self.head_files.get(r)
        )

    def status_lines(self, as_of: date) -> list[str]:
        lines: list[str] = []
        shown: dict[str, str | None] = {}  # record -> code last reported (head differs from base)
        for day in self.dates(as_of):
            before, after = self.statuses(0, day), self.statuses(1, day)
            for rid in sorted({*before, *after}):
                b, h = before.get(rid), after.get(rid)
                b_code, h_code = (b.code if b else None), (h.code if h else None)
                if rid in shown:
                    if h_code != shown[rid]:
                        lines.append(self.status_line(rid, shown[rid], h, day))
                        shown[rid] = h_code
                    if b_code == h_code:
                        del shown[rid]
                elif b_code != h_code:
                    lines.append(self.status_line(rid, b_code, h, day))
                    shown[rid] = h_code
        return lines

    def status_line(self, rid: str, old: str | None, new: Status | None, day: date) -> str:
        old_text = "未公示" if old is None else f"{STATUS_LABELS[old]}（{old}）"
        line = f"- {self.ref(rid)} {self.name(rid)}：{old_text} → {status_text(new)}"
        if new is None:
            return line  # deleted, or no longer named by a published announcement
        line += f"，自 {day.isoformat()} 起"  # the first day on which the two differ
        if new.announcement is not None and new.since == day:  # a consequence says its basis too
            basis = f"，依据{new.basis}" if new.derived else ""
            return f"{line}，{self.number(new.announcement)}{basis}"
        return f"{line}，依据{new.basis}"


SETTINGS_LABELS = {"registry.yaml": "站点信息与分类", "risk-grades.yaml": "风险等级"}


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _fence(lines: list[str]) -> tuple[str, str]:
    longest = max((len(m) for line in lines for m in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1) + "text", "`" * max(3, longest + 1)


def _relabel(problems: list[Problem], tmp: str, shown: str) -> list[Problem]:
    return [
        replace(p, file=shown + p.file[len(tmp) :]) if p.file.startswith(tmp) else p
        for p in problems
    ]


def diff_report(
    data_dir: Path,
    base: str,
    head: str | None,
    as_of: date,
    today: date | None = None,
    preview_url: str | None = None,
) -> tuple[str, bool]:
    """(Markdown summary, whether HEAD is valid) of the change from `base` to `head`.

    The one exit of everything `registry diff` prints, the GitError's message included: every
    control, bidi or invisible character in it, from the data, a file name, a ref or git, is
    written as `\\uXXXX` here (the data may be invalid, so E111 has not kept them out).
    """
    try:
        text, ok = _report(data_dir, base, head, as_of, today, preview_url)
    except GitError as exc:
        raise GitError(visible(one_line(str(exc)))) from None
    return visible(text), ok


def _report(
    data_dir: Path,
    base: str,
    head: str | None,
    as_of: date,
    today: date | None,
    preview_url: str | None,
) -> tuple[str, bool]:
    shown = display_path(data_dir)
    with ExitStack() as stack:
        base_root = stack.enter_context(materialise(data_dir, base))
        head_root = stack.enter_context(materialise(data_dir, head)) if head else data_dir
        base_reg = check_registry(base_root, as_of)
        head_reg = check_registry(head_root, as_of)
        base_files, head_files = tree_files(base_root), tree_files(head_root)
        guard = compare_files(
            base_files, head_files, head_root, base, today or today_shanghai(), shown
        )
        problems = _relabel(head_reg.problems, display_path(head_root), shown) + guard
        report = _Report(base_reg, head_reg, base_files, head_files, preview_url)
        status = report.status_lines(as_of)
        warning = backdating_warning(report, as_of)
        body = (
            report.settings_section(base_root, head_root)
            + announcements_section(report, as_of)
            + report.records_section()
        )

    out = [f"## 变更摘要：{code(base)} → {code(head) if head else '`工作区`'}", "", *warning]
    out.append(f"状态按 {as_of.isoformat()} 计算；公告日期晚于该日的尚未公示，到期自动生效。")
    if preview_url and report.head.problems:  # the guard's problems do not stop the build
        out.append(f"数据未通过校验，没有预览（{md_escape(preview_url)}）。")
    elif preview_url:
        out.append(f"编号链接到预览站点 {md_escape(preview_url)} 上的页面。")
    out.append("")
    if problems:
        texts = [one_line(p.text()) for p in problems]
        opening, closing = _fence(texts)
        out += [f"### 校验：未通过（{len(problems)} 个错误）", "", opening, *texts, closing]
    else:
        out.append("### 校验：通过")
    out += ["", f"### 状态变化（{len(status)}）", ""]
    out += status or ["没有记录的状态因此改变。"]
    if body:
        out += body
    else:
        out += ["", "没有记录或公告的改动。"]
    return "\n".join(out) + "\n", not problems
