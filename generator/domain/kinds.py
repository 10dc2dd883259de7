"""Each kind of file, declared once: its folder, id format, labels, model, statuses, actions, the
record it grew out of, and its list page. Every table of kinds elsewhere is a view of these
specs (the views are at the end of this module), so adding a kind is one entry here plus its
model, its status rules, its verdict and its template fragment.

The record kinds (DESIGN.md, Data):
- guidance: 备案指导清单 entries (界定指导原则 二), listed and delisted by announcements;
- approved: technologies approved for clinical translation (规范 第十七条), grown out of an entry;
- banned: technologies banned outright (界定指导原则 二(一)1);
- research: clinical research projects filed under an entry (界定指导原则 二): filings by
  institutions, named by no announcement; their status follows their own events and the entry's.
Two more file kinds have folders and models but are no records: conditions (versioned by
announcement, 规范 第十七条) and announcements (公告), which carry every legal act.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.domain import ids
from generator.domain.ids import IdFormat
from generator.domain.models import (
    Announcement,
    ApprovedTechnology,
    BannedTechnology,
    Conditions,
    GuidanceEntry,
    ResearchProject,
    Strict,
)
from generator.domain.vocabulary import FIELD_LABELS


@dataclass(frozen=True)
class FileSpec:
    """A kind of file under data/: its folder, id format and model."""

    kind: str
    folder: str  # data/<folder>/ (and, for records, the site section /<folder>/)
    ids: IdFormat
    model: type[Strict]
    description: str  # what the files are, with their article (editors' JSON Schema titles)


@dataclass(frozen=True)
class KindSpec(FileSpec):
    """A kind of record: what every stage needs to know about it."""

    label: str  # 类型, as pages, filters and messages say it
    statuses: tuple[str, ...]  # in the order lists and filters show them
    actions: tuple[str, ...]  # announcement actions that apply to it
    first_action: str | None  # the action that publishes it; None: published by its own date
    source: str | None  # the field naming the guidance entry it grew out of (or was filed under)
    title_field: str  # the field that names it (name, or a project's title)
    list_intro: str  # Markdown under the list page's title
    searched: tuple[str, ...]  # fields whose words its search card is found by (besides names)
    rank: int  # order of kinds in /check/ answers: what answers "may we use it?" first
    # where this kind names a field otherwise than vocabulary.FIELD_LABELS (a project's title)
    field_labels: dict[str, str] = field(default_factory=dict)

    @property
    def announced(self) -> bool:
        """Named by announcements (E308 applies): every record kind but research projects."""
        return self.first_action is not None


GUIDANCE = KindSpec(
    kind="guidance",
    folder="guidance-list",
    ids=ids.GL,
    model=GuidanceEntry,
    description="备案指导清单条目（界定指导原则 二(二)）",
    label="备案指导清单",
    statuses=("listed", "delisted"),
    actions=("list", "delist", "retain", "emergency_use", "amend"),
    first_action="list",
    source=None,
    title_field="name",
    list_intro=(
        "《生物医学新技术临床研究备案指导清单》列出可以按规范技术名称和备案要求**备案开展临床研究**的技术"
        "（界定指导原则 二）。在清单内不等于批准临床应用。调出清单的条目保留在此，注明调出途径和理由。"
    ),
    searched=("indications",),
    rank=2,
)

APPROVED = KindSpec(
    kind="approved",
    folder="approved",
    ids=ids.BMT,
    model=ApprovedTechnology,
    description="已批准临床转化应用的技术（规范 第十七条）",
    label="已批准技术",
    statuses=("restricted", "open", "suspended", "banned"),
    actions=("approve", "open", "suspend", "resume", "ban", "amend"),
    first_action="approve",
    source="guidance_entry",
    title_field="name",
    list_intro=(
        "经批准临床转化应用的生物医学新技术（规范 第十七条），附风险等级、限定期、参与研究机构、"
        "医疗机构和人员条件以及临床应用操作规范。限定期（高风险批准后5年、中风险3年、低风险1年）内"
        "仅限在参与该技术临床研究且符合条件的医疗机构内开展（规范 第二十条第二款）。"
    ),
    searched=("indications",),
    rank=0,
)

BANNED = KindSpec(
    kind="banned",
    folder="banned",
    ids=ids.BAN,
    model=BannedTechnology,
    description="禁止临床应用的技术（规范 第二十三条；界定指导原则 二(一)1）",
    label="禁止技术",
    statuses=("banned",),
    actions=("ban", "amend"),
    first_action="ban",
    source=None,
    title_field="name",
    list_intro=(
        "禁止或不再按《条例》开展的技术：法律、行政法规和国家有关规定明令禁止的技术（界定指导原则 二（一）1）；"
        "国家卫生健康委公告禁止临床应用的已批准技术，包括经再评估不能保证安全、有效的（规范 第二十三条第四款）；"
        "以及来源清单条目被直接调出、不再按照《条例》有关规定开展临床研究和临床转化应用的已批准技术"
        "（界定指导原则 二（二）2（1））。"
    ),
    searched=(),
    rank=1,
)

RESEARCH = KindSpec(
    kind="research",
    folder="research",
    ids=ids.CR,
    model=ResearchProject,
    description="临床研究备案项目（界定指导原则 二）",
    label="临床研究备案项目",
    statuses=("ongoing", "ethics_review_required", "terminate_required", "completed", "terminated"),
    actions=(),
    first_action=None,
    source="guidance_entry",
    title_field="title",
    list_intro=(
        "临床研究发起机构参照《备案指导清单》自主界定后，按清单的规范技术名称和备案要求备案开展的临床研究项目"
        "（界定指导原则 二）。清单条目被直接调出的，调出前已备案开展的项目应当及时终止研究，并妥善保障已开展"
        "研究受试者的权益；论证后调出的，应重新进行伦理审查评估后，根据伦理审查意见，可继续实施至研究结束，"
        "或根据实际情况终止研究（界定指导原则 二（二）2）。"
    ),
    searched=("filing_no", "indications", "sponsor", "institutions"),
    rank=3,
    field_labels={
        "title": "项目名称",
        "institutions": "临床研究机构",
        "summary": "项目简介",
        "guidance_entry": "备案所依据的备案指导清单条目",
    },
)

CONDITIONS = FileSpec(
    "conditions",
    "conditions",
    ids.BMT,
    Conditions,
    "技术条件与临床应用操作规范（规范 第十四条、第十七条）",
)
ANNOUNCEMENT = FileSpec(
    "announcement",
    "announcements",
    ids.ANN,
    Announcement,
    "公告：批准、调出、暂停、禁止等行为都由公告发布",
)

SPECS: tuple[KindSpec, ...] = (GUIDANCE, APPROVED, BANNED, RESEARCH)
FILES: tuple[FileSpec, ...] = (GUIDANCE, APPROVED, CONDITIONS, BANNED, RESEARCH, ANNOUNCEMENT)

_BY_KIND = {s.kind: s for s in FILES}


def spec(kind: str) -> KindSpec:
    """The spec of record kind `kind`; an unknown kind is a programming error, said loudly."""
    found = _BY_KIND.get(kind)
    if not isinstance(found, KindSpec):
        raise KeyError(f"unknown record kind {kind!r}: declare it in generator/domain/kinds.py")
    return found


def file_spec(kind: str) -> FileSpec:
    found = _BY_KIND.get(kind)
    if found is None:
        raise KeyError(f"unknown file kind {kind!r}: declare it in generator/domain/kinds.py")
    return found


def labels_for(model: type | None) -> dict[str, str]:
    """The Chinese field labels as the files of `model` name their fields (messages, schemas,
    `registry diff`): vocabulary.FIELD_LABELS with the kind's own overrides."""
    own = next((s.field_labels for s in SPECS if model is not None and s.model is model), {})
    return {**FIELD_LABELS, **own}


def id_kind(value: str) -> str | None:
    """Which record kind an id belongs to, by its format (None when it matches none)."""
    return next((s.kind for s in (*SPECS, ANNOUNCEMENT) if s.ids.matches(value)), None)


# --- views: every table of kinds the stages use ----------------------------------------------

RECORD_KINDS = tuple(s.kind for s in SPECS)
ANNOUNCED_KINDS = tuple(s.kind for s in SPECS if s.announced)
FOLDERS = {s.kind: s.folder for s in SPECS}
KIND_OF_FOLDER = {s.folder: s.kind for s in SPECS}
DATA_FOLDERS = {s.kind: s.folder for s in FILES}
RECORD_DIRS: dict[str, tuple[str, type[Strict]]] = {s.folder: (s.kind, s.model) for s in FILES}
ID_PATTERNS = {s.kind: (s.ids.regex, s.ids.example) for s in (*SPECS, ANNOUNCEMENT)}
KIND_LABELS = {s.kind: s.label for s in SPECS}
FIRST_ACTION = {s.kind: s.first_action for s in SPECS if s.first_action is not None}
STATUS_ORDER = {s.kind: s.statuses for s in SPECS}
KIND_ORDER = {s.kind: s.rank for s in SPECS}
# names that a technology banned outright may never share (界定指导原则 二(一)1): the kinds that
# allow a technology (listed entries, approved technologies), i.e. those announced and not BANNED
ALLOWING_KINDS = tuple(s.kind for s in SPECS if s.announced and s is not BANNED)
ACTION_KINDS: dict[str, frozenset[str]] = {
    action: frozenset(s.kind for s in SPECS if action in s.actions)
    for action in dict.fromkeys(a for s in SPECS for a in s.actions)
}


def dispatch(table: dict[str, object], what: str) -> None:
    """Check that a stage's table of handlers covers exactly the record kinds (called where the
    table is defined, at import: a kind added here without its handler fails at once)."""
    if set(table) != set(RECORD_KINDS):
        missing = sorted(set(RECORD_KINDS) - set(table))
        extra = sorted(set(table) - set(RECORD_KINDS))
        raise RuntimeError(f"{what}: kinds without a handler {missing}, unknown kinds {extra}")
