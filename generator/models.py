"""Pydantic models for every file kind of the contract (`../shared/DESIGN.md`, section Data).

Models check what one file can tell on its own: field names, types, id patterns, real dates,
http(s) links. What needs several files (references, names, legal transitions) is in
`validation.py` and `status.py`. Custom checks raise `PydanticCustomError` whose type names are
mapped to catalogue codes by `validation.schema_problems`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERNS: dict[str, tuple[str, str]] = {
    # kind: (regex, example)
    "guidance": (r"^GL-\d{4}$", "GL-0001"),
    "approved": (r"^BMT-\d{4}-\d{3}$", "BMT-2026-001"),
    "banned": (r"^BAN-\d{4}$", "BAN-0001"),
    "announcement": (r"^ANN-\d{4}-\d{3}$", "ANN-2026-001"),
}
# ASCII: `\d` would also accept full-width and other Unicode digits (GL-０００１); fullmatch below
# so that a trailing newline ("GL-0001\n") does not slip past `$`.
_COMPILED = {kind: re.compile(rx, re.ASCII) for kind, (rx, _) in ID_PATTERNS.items()}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACE = re.compile(r"\s")

# Markdown link destinations: inline `](dest)`, reference definitions `[x]: dest` (also inside
# block quotes and list items: `> [x]: dest`, `- [x]: dest`), autolinks `<a:b>`.
_MD_LINKS = re.compile(
    r"\]\(\s*<?([^)\s>]*)"
    r"|^(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)]))*[ \t]*\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)"
    r"|<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^>\s]*)>",
    re.M,
)


def id_kind(value: str) -> str | None:
    """Which record kind an id belongs to, by its pattern (None when it matches none)."""
    for kind, rx in _COMPILED.items():
        if rx.fullmatch(value):
            return kind
    return None


def _id_pattern(*kinds: str) -> str:
    # pydantic-core's Rust regex treats `\d` as any Unicode digit (GL-０００１ would pass): ASCII only.
    body = "|".join(ID_PATTERNS[k][0].strip("^$").replace("\\d", "[0-9]") for k in kinds)
    return "^(?:" + body + ")$"


def _id_of(*kinds: str) -> Any:
    """Id pattern as a constraint checked in pydantic-core (no Python call per value)."""
    return StringConstraints(pattern=_id_pattern(*kinds))


# pattern -> (pattern as shown in messages, example), for turning pattern errors into E204
ID_PATTERN_HELP = {
    _id_pattern(*kinds): (" 或 ".join(ID_PATTERNS[k][0] for k in kinds), ID_PATTERNS[kinds[0]][1])
    for kinds in (
        ("guidance",),
        ("approved",),
        ("banned",),
        ("announcement",),
        ("guidance", "approved", "banned"),
    )
}
NON_BLANK = r"\S"  # at least one visible character: blank text is an error (E208)


# Every date the registry computes from (periods of up to 5 years, the day after, the day
# before) must stay inside what `datetime.date` holds: 0001-01-01 or 9999-12-31 would validate
# and then crash the replay. No act of this regime falls outside these years.
YEARS = (1900, 2199)


def _real_date(value: Any) -> Any:
    """Dates arrive as text from the loader; accept only YYYY-MM-DD naming a real day."""
    if isinstance(value, date):
        day = value
    elif not isinstance(value, str) or not DATE.match(value):
        raise PydanticCustomError("invalid_date", "bad date", {"value": str(value)})
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("invalid_date", "bad date", {"value": value}) from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise PydanticCustomError("date_range", "date range", {"value": day.isoformat()})
    return day


def _http_url(value: str) -> str:
    lowered = value.strip().lower()
    if not (lowered.startswith("https://") or lowered.startswith("http://")) or len(lowered) < 10:
        raise PydanticCustomError("url_scheme", "bad url", {"value": value})
    if _SPACE.search(value.strip()):
        raise PydanticCustomError("url_scheme", "bad url", {"value": value})
    return value.strip()


def safe_link(dest: str) -> bool:
    """Links in Markdown may go to http(s) sites, or stay on this site."""
    d = dest.strip().lower()
    return d.startswith(("http://", "https://", "/", "#")) and not d.startswith("//")


def _markdown(value: str) -> str:
    # The root check: what the renderer itself makes of the text (entities, escapes, reference
    # definitions, autolinks resolved), so validation and the built page cannot disagree.
    if "](" not in value and "]:" not in value and "<" not in value:
        return value  # no link, image, reference definition or autolink without one of these
    from .render import unsafe_urls

    for line, kind, url in unsafe_urls(value):
        if kind == "image" and safe_link(url):
            raise PydanticCustomError("markdown_image", "image", {"value": url, "line": line})
        raise PydanticCustomError("markdown_link", "bad link", {"value": url, "line": line})
    # A second, source-level look (e.g. `<javascript:…>`, which the renderer shows as text).
    for match in _MD_LINKS.finditer(value):
        dest = next((g for g in match.groups() if g is not None), "")
        if dest and not safe_link(dest):
            raise PydanticCustomError("markdown_link", "bad link", {"value": dest})
    return value


def _unique(items: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise PydanticCustomError("duplicate_item", "dup", {"value": str(item)})
        seen.add(item)
    return items


Text = Annotated[str, StringConstraints(pattern=NON_BLANK)]
Markdown = Annotated[str, StringConstraints(pattern=NON_BLANK), AfterValidator(_markdown)]
Date = Annotated[date, BeforeValidator(_real_date)]
Url = Annotated[str, AfterValidator(_http_url)]
Slug = Annotated[
    str, Field(pattern=SLUG.pattern, description="小写字母、数字和连字符，例如 cell-therapy")
]
TextList = Annotated[list[Text], AfterValidator(_unique)]
GLId = Annotated[str, _id_of("guidance")]
BMTId = Annotated[str, _id_of("approved")]
BANId = Annotated[str, _id_of("banned")]
ANNId = Annotated[str, _id_of("announcement")]
RecordId = Annotated[str, _id_of("guidance", "approved", "banned")]


class Strict(BaseModel):
    """Unknown keys are errors everywhere (contract: 'Unknown keys are errors')."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(Strict):
    title: Text = Field(description="文献或文件标题")
    url: Url | None = Field(None, description="http(s) 网址")
    doc_no: Text | None = Field(None, description="文号，例如 国卫科教发〔2026〕12号")


class Category(Strict):
    id: Slug
    name: Text


class RegistryConfig(Strict):
    """`data/registry.yaml`: site identity and the categories vocabulary."""

    title: Text = Field(description="网站标题")
    authority: Text = Field(description="发布机关")
    disclaimer: Text = Field(description="全站免责声明")
    categories: Annotated[list[Category], Field(min_length=1)]
    redirects: dict[str, Text] = Field(default_factory=dict, description="旧编号或路径 → 现编号")
    sample: bool = False


class RiskGrade(Strict):
    id: Slug
    name: Text
    exclusive_years: Annotated[int, Field(ge=1, le=50, strict=True)] = Field(
        description="批准后仅限参与研究机构开展的年数（规范 第二十条）"
    )
    description: Text | None = None


class RiskGrades(Strict):
    """`data/risk-grades.yaml`."""

    grades: Annotated[list[RiskGrade], Field(min_length=1)]
    sample: bool = False


class RecordBase(Strict):
    sample: bool = Field(False, description="示例数据：不是真实的批准或公告")
    name: Text = Field(description="规范技术名称")
    aliases: TextList = Field(default_factory=list, description="别名、英文名、缩写")
    category: Slug = Field(description="分类编号，见 registry.yaml categories")
    references: list[Reference] = Field(default_factory=list)


class GuidanceEntry(RecordBase):
    """备案指导清单 entry (界定指导原则 二(二))."""

    id: GLId
    purpose: Text = Field(description="医学目的")
    mechanism: Text = Field(description="机制原理")
    indications: TextList = Field(default_factory=list, description="适应症")
    filing_requirements: Markdown | None = Field(None, description="备案要求（Markdown）")


class ApprovedTechnology(RecordBase):
    """Technology approved for clinical translation (规范 第十七条)."""

    id: BMTId
    guidance_entry: GLId | None = Field(None, description="来源的备案指导清单条目")
    applicant: Text = Field(description="申请机构")
    indications: TextList = Field(default_factory=list)
    summary: Markdown | None = Field(None, description="技术解读（Markdown）")


class Conditions(Strict):
    """Conditions and operating specification of one approved technology (规范 第十四条、第十七条)."""

    id: BMTId
    sample: bool = False
    institution: Annotated[list[Markdown], Field(min_length=1)] = Field(description="医疗机构条件")
    personnel: Annotated[list[Markdown], Field(min_length=1)] = Field(description="人员条件")
    management: list[Markdown] = Field(default_factory=list, description="技术管理要求")
    training_qc: list[Markdown] = Field(default_factory=list, description="培训与质量控制")
    operating_spec: Markdown = Field(description="临床应用操作规范（Markdown）")
    effective: Date | None = Field(None, description="施行日期")


class BannedTechnology(RecordBase):
    """Technology banned outright (规范 第二十三条 末款; 界定指导原则 二(二)2(1))."""

    id: BANId
    description: Text = Field(description="技术描述")
    scope: Text | None = Field(None, description="禁止范围")


# --- announcement actions: one model per row of the contract's action table -----------------

DIRECT_GROUNDS = (
    "prohibited_by_law",
    "major_ethics_issue",
    "major_safety_efficacy_issue",
    "uncontrollable_risk",
)
REVIEW_GROUNDS = ("drug_approved", "device_approved", "technology_approved")
SUSPEND_GROUNDS = ("new_understanding", "serious_adverse_reaction", "social_stability", "other")


class ActionBase(Strict):
    record: RecordId = Field(description="记录编号")


class ListAction(ActionBase):
    action: Literal["list"]


class DelistAction(ActionBase):
    action: Literal["delist"]
    route: Literal["direct", "after_review"]
    ground: Literal[DIRECT_GROUNDS + REVIEW_GROUNDS]  # type: ignore[valid-type]

    @field_validator("ground")
    @classmethod
    def _ground_fits_route(cls, ground: str, info: ValidationInfo) -> str:
        # 界定指导原则 二(二)2: (1) direct removal grounds, (2) removal after review grounds
        route = info.data.get("route")
        allowed = DIRECT_GROUNDS if route == "direct" else REVIEW_GROUNDS
        if route and ground not in allowed:
            raise PydanticCustomError(
                "ground_route",
                "ground",
                {"route": route, "value": ground, "allowed": ", ".join(allowed)},
            )
        return ground


class RetainAction(ActionBase):
    action: Literal["retain"]
    note: Text | None = None


class EmergencyUseAction(ActionBase):
    action: Literal["emergency_use"]
    scope: Text
    until: Date


class ApproveAction(ActionBase):
    action: Literal["approve"]
    risk_grade: Slug
    institutions: Annotated[TextList, Field(min_length=1)]


class OpenAction(ActionBase):
    action: Literal["open"]
    note: Text | None = None


class SuspendAction(ActionBase):
    action: Literal["suspend"]
    ground: Literal[SUSPEND_GROUNDS]  # type: ignore[valid-type]
    note: Text | None = None


class ResumeAction(ActionBase):
    action: Literal["resume"]
    note: Text | None = None


class BanAction(ActionBase):
    action: Literal["ban"]
    ground: Text


class AmendAction(ActionBase):
    action: Literal["amend"]
    note: Text | None = None


Action = Annotated[
    ListAction
    | DelistAction
    | RetainAction
    | EmergencyUseAction
    | ApproveAction
    | OpenAction
    | SuspendAction
    | ResumeAction
    | BanAction
    | AmendAction,
    Field(discriminator="action"),
]


class Announcement(Strict):
    """公告: carries every legal act; statuses are derived by replaying them (status.py)."""

    id: ANNId
    sample: bool = False
    number: Text = Field(description="文号，例如 国家卫生健康委公告 2026年第3号")
    title: Text
    date: Date
    body: Markdown
    actions: Annotated[list[Action], Field(min_length=1)]


# directory name under data/ -> (kind, model)
RECORD_DIRS: dict[str, tuple[str, type[Strict]]] = {
    "guidance-list": ("guidance", GuidanceEntry),
    "approved": ("approved", ApprovedTechnology),
    "conditions": ("conditions", Conditions),
    "banned": ("banned", BannedTechnology),
    "announcements": ("announcement", Announcement),
}
TOP_FILES: dict[str, type[Strict]] = {
    "registry.yaml": RegistryConfig,
    "risk-grades.yaml": RiskGrades,
}
