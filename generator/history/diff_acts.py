"""What an announcement does, action by action, in `registry diff`: the legal substance a reviewer
must see before approving the pull request, not only that a file was added.

- approve: risk grade and institutions (the action's fields), the 限定期 and the day the technology
  opens by time (the replay's own state, 规范 第二十条第二款), the applicant and the guidance entry it
  grows from (the record), and the conditions version the announcement publishes, summarised
  (number, effective date, how many items each heading has, the operating specification's length);
- amend: its note and the conditions version it publishes;
- suspend, ban: the ground; emergency_use: scope and end; delist: route and ground, with the
  sentence of 界定指导原则 二(二)2 for the route (publish/sentences.py);
- every status the announcement changes WITHOUT naming the record (status/stream.py, cause
  `derived`): the approvals grown from a directly delisted entry, the research projects filed under
  a delisted entry (应当终止 / 须重新伦理审查), each with its basis and, once per kind of
  consequence, the legal sentence of what it means (publish/sentences.py).

Nothing here restates a rule: statuses, periods and consequences are read from the HEAD registry's
replay (every announcement, embargoed ones included, so a delisting dated next month shows its
consequences now); labels come from domain/kinds.py `labels_for` and domain/vocabulary.py.
Every text from the data goes through `md_escape` or `code`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.domain.kinds import KIND_LABELS, labels_for
from generator.domain.models import ApprovedTechnology, Conditions
from generator.domain.vocabulary import (
    ACTION_LABELS,
    GROUND_LABELS,
    PERIOD_TERM,
    ROUTE_LABELS,
    STATUS_LABELS,
)
from generator.history.diff_text import md_escape
from generator.publish.checked import Checked
from generator.publish.sentences import DELISTED, DERIVED_BAN, MEANING
from generator.publish.timeline import change_title
from generator.status.intervals import intervals_of
from generator.status.research import project_status
from generator.status.states import RecordState
from generator.status.stream import StatusChange, status_changes

Ref = Callable[[str], str]  # an id as the summary shows it (linked to the preview or not)
_LIST_HEADINGS = ("institution", "personnel", "management", "training_qc")


class Acts:
    """The substance of HEAD's announcements; `ref` and `name` write an id and a record's name."""

    def __init__(self, head: Checked, ref: Ref, name: Ref) -> None:
        self.head, self.ref, self.name = head, ref, name
        grades = head.grades.grades if head.grades is not None else []
        self.grades = {g.id: g.name for g in grades}
        self._derived: dict[str, list[StatusChange]] | None = None

    def lines(self, aid: str) -> list[str]:
        """Sub-list lines (indented under the announcement's line) of announcement `aid` in HEAD;
        none when HEAD has no valid announcement `aid` (its problems are listed above)."""
        entry = self.head.announcements.get(aid)
        if entry is None:
            return []
        ann = entry.model
        out: list[str] = []
        for act in ann.actions:
            out.append(f"  - {self._head_line(act)}")
            out += [f"    - {line}" for line in self._details(act, ann.id, ann.date)]
        out += self.consequence_lines(aid)
        return out

    def _head_line(self, act: Any) -> str:
        line = f"{ACTION_LABELS[act.action]} {self.ref(act.record)} {self.name(act.record)}"
        fields = self._fields(act)
        return f"{line.rstrip()}：{'；'.join(fields)}" if fields else line.rstrip()

    def _fields(self, act: Any) -> list[str]:
        """The action's own fields, labelled (domain/kinds.py) and worded (vocabulary)."""
        labels = labels_for(type(act))
        out = []
        for key, value in act.model_dump(exclude={"action", "record"}, exclude_none=True).items():
            out.append(f"{labels.get(key, key)}：{self._value(key, value)}")
        return out

    def _value(self, key: str, value: Any) -> str:
        if key == "route":
            return ROUTE_LABELS[value]
        if key == "ground":
            return md_escape(GROUND_LABELS.get(value, value))
        if key == "risk_grade":
            return md_escape(self.grades.get(value, value))
        if isinstance(value, list):
            return "、".join(md_escape(str(v)) for v in value)
        if isinstance(value, date):
            return value.isoformat()
        return md_escape(str(value))

    def _details(self, act: Any, aid: str, day: date) -> list[str]:
        if act.action == "approve":
            return [*self._approval(act.record, day), *self._conditions(act.record, aid)]
        if act.action == "amend":
            return self._conditions(act.record, aid)
        if act.action == "delist":
            return [DELISTED[act.route]]
        return []

    def _approval(self, rid: str, day: date) -> list[str]:
        """限定期 from the replay's state at the end of the approval day; applicant and entry."""
        out: list[str] = []
        state = self._state_on(rid, day)
        until = state.exclusive_until if state is not None else None
        if state is not None and until is not None:
            opens = state.opens_by_time_on()
            line = f"{PERIOD_TERM}：{state.years} 年，至 {until.isoformat()}"
            status = state.status_at(opens) if opens is not None else None
            if opens is not None and status is not None:
                line += f"；自 {opens.isoformat()} 起{STATUS_LABELS['open']}（{status.basis}）"
            out.append(line)
        record = self.head.records.get(rid)
        if record is not None and record.kind == "approved":
            labels = labels_for(ApprovedTechnology)
            model = record.model
            out.append(f"{labels['applicant']}：{md_escape(model.applicant)}")
            entry = model.guidance_entry
            out.append(f"{labels['guidance_entry']}：{self.ref(entry)} {self.name(entry)}".rstrip())
        return out

    def _state_on(self, rid: str, day: date) -> RecordState | None:
        history = self.head.derived.snapshots.get(rid, [])
        return next((st for d, st in reversed(history) if d <= day), None)

    def _conditions(self, rid: str, aid: str) -> list[str]:
        """The conditions version announcement `aid` publishes for `rid`, in one line."""
        versions = self.head.condition_versions.get(rid, [])
        found = next((v for v in versions if v.announcement == aid), None)
        labels = labels_for(Conditions)
        if found is None:
            return [f"{labels['conditions']}：本公告没有发布新版本"]
        content = found.content
        sizes = "、".join(f"{labels[h]} {len(getattr(content, h))} 项" for h in _LIST_HEADINGS)
        spec_size = f"{labels['operating_spec']} {len(content.operating_spec.strip())} 字"
        return [
            f"{labels['conditions']}第 {found.number} 版：由本公告发布，"
            f"{labels['effective']} {found.effective.isoformat()}；{sizes}；{spec_size}"
        ]

    # --- consequences ---------------------------------------------------------------------------

    def consequence_lines(self, aid: str) -> list[str]:
        """Each status `aid` changes without naming the record, then what each kind of change
        means, once (publish/sentences.py)."""
        changes = self.derived().get(aid, [])
        if not changes:
            return []
        out = [f"  - 由此改变、公告未点名的记录（{len(changes)}）："]
        meanings: list[str] = []
        for c in changes:
            out.append(f"    - {self._consequence(c)}")
            meaning = DERIVED_BAN if c.after.status.derived and c.code == "banned" else None
            meaning = meaning or MEANING.get(c.code)
            if meaning and meaning not in meanings:
                meanings.append(meaning)
        return out + [f"    - 含义：{m}" for m in meanings]

    def _consequence(self, c: StatusChange) -> str:
        before = c.before.status.label if c.before is not None else "未公示"
        kind = self.head.records.get(c.record)
        what = f"（{KIND_LABELS[kind.kind]}）" if kind is not None else ""
        return (
            f"{change_title(c)}：{self.ref(c.record)} {self.name(c.record)}{what}，"
            f"{before} → {c.after.status.label}（{c.code}），自 {c.day.isoformat()} 起，"
            f"依据{c.after.status.basis}"
        )

    def derived(self) -> dict[str, list[StatusChange]]:
        """Every derived status change in HEAD, over all announcements, by its cause."""
        if self._derived is None:
            found: dict[str, list[StatusChange]] = {}
            for c in [*self._record_changes(), *self._project_changes()]:
                if c.cause == "derived" and c.announcement is not None:
                    found.setdefault(c.announcement, []).append(c)
            for changes in found.values():
                changes.sort(key=lambda c: (c.day, c.record))
            self._derived = found
        return self._derived

    def _record_changes(self) -> list[StatusChange]:
        out: list[StatusChange] = []
        for rid, history in self.head.derived.snapshots.items():
            if history:
                timeline = history[-1][1].timeline
                out += status_changes(rid, intervals_of(history), timeline)
        return out

    def _project_changes(self) -> list[StatusChange]:
        """Research projects over their entry's whole history (status/research.py)."""
        snaps, kinds = self.head.derived.snapshots, self.head.derived.input.kinds
        out: list[StatusChange] = []
        for rid, entry in self.head.records.items():
            if entry.kind != "research" or kinds.get(entry.model.guidance_entry) != "guidance":
                continue
            history = snaps.get(entry.model.guidance_entry)
            if not history:
                continue
            events = history[-1][1].timeline
            found = project_status(entry.model, intervals_of(history), events, date.max)
            out += status_changes(rid, found.intervals, found.timeline)
        return out
