"""Pydantic models for every file kind of the contract (`../shared/DESIGN.md`, section Data).

Models check what one file can tell on its own: field names, types, id patterns, real dates,
http(s) links. What needs several files (references, names, legal transitions) is in
`validate/` and `status/`. Custom checks raise `PydanticCustomError` whose type names are
mapped to catalogue codes by `validate/schema.py` (`schema_problem`).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from generator.domain.fields import (
    ANNId,
    BANId,
    BMTId,
    CRId,
    Date,
    GLId,
    Markdown,
    RecordId,
    Slug,
    Strict,
    Text,
    TextList,
    Url,
)
from generator.domain.settings_models import (  # re-exported: every stage imports them here
    DEFAULT_LICENSE as DEFAULT_LICENSE,
)
from generator.domain.settings_models import (
    DEFAULT_TERMS as DEFAULT_TERMS,
)
from generator.domain.settings_models import (
    Category as Category,
)
from generator.domain.settings_models import (
    License as License,
)
from generator.domain.settings_models import (
    RegistryConfig as RegistryConfig,
)
from generator.domain.settings_models import (
    RiskGrade as RiskGrade,
)
from generator.domain.settings_models import (
    RiskGrades as RiskGrades,
)
from generator.domain.settings_models import (
    SiteInfo as SiteInfo,
)
from generator.domain.vocabulary import (
    DIRECT_GROUNDS,
    REVIEW_GROUNDS,
    SUSPEND_GROUNDS,
)


class Reference(Strict):
    title: Text = Field(description="文献或文件标题")
    url: Url | None = Field(None, description="http(s) 网址")
    doc_no: Text | None = Field(None, description="文号，例如 国卫科教发〔2026〕12号")


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
    guidance_entry: GLId = Field(
        description="来源的备案指导清单条目；批准当日须在清单内（规范 第三条）"
    )
    applicant: Text = Field(description="申请机构")
    indications: TextList = Field(default_factory=list)
    summary: Markdown | None = Field(None, description="技术解读（Markdown）")


class ConditionsContent(Strict):
    """One version of the conditions and operating specification (规范 第十四条、第十七条)."""

    institution: Annotated[list[Markdown], Field(min_length=1)] = Field(description="医疗机构条件")
    personnel: Annotated[list[Markdown], Field(min_length=1)] = Field(description="人员条件")
    management: list[Markdown] = Field(default_factory=list, description="技术管理要求")
    training_qc: list[Markdown] = Field(default_factory=list, description="培训与质量控制")
    operating_spec: Markdown = Field(description="临床应用操作规范（Markdown）")
    effective: Date | None = Field(
        None, description="施行日期；默认为发布公告的日期，不得早于该日期"
    )


CONTENT_FIELDS = tuple(ConditionsContent.model_fields)


class Conditions(ConditionsContent):
    """Shorthand: a single version, published by the record's `approve` announcement."""

    id: BMTId
    sample: bool = False


class ConditionsVersion(ConditionsContent):
    announcement: ANNId = Field(description="发布本版本的公告（须以 approve 或 amend 提及本技术）")


class VersionedConditions(Strict):
    """Conditions versioned by announcement: published content is never edited in place."""

    id: BMTId
    sample: bool = False
    versions: Annotated[list[ConditionsVersion], Field(min_length=1)] = Field(
        description="按公告（日期、编号）排列的条件版本；首个版本由 approve 公告发布"
    )


class BannedTechnology(RecordBase):
    """Technology banned outright (规范 第二十三条 末款; 界定指导原则 二(二)2(1))."""

    id: BANId
    description: Text = Field(description="技术描述")
    scope: Text | None = Field(None, description="禁止范围")


RESEARCH_EVENTS = ("completed", "terminated", "ethics_continued")


class ResearchEvent(Strict):
    """What the filing institution reports about its project (append-only, in date order)."""

    date: Date
    event: Literal[RESEARCH_EVENTS] = Field(  # type: ignore[valid-type]
        description="completed 研究结束 · terminated 终止研究 · ethics_continued 经重新伦理审查继续实施"
    )
    note: Text | None = Field(None, description="说明")


class ResearchProject(Strict):
    """临床研究备案项目: a study a 临床研究发起机构 filed under a 备案指导清单 entry after delineating
    it itself (界定指导原则 二). A filing by institutions, not an act of an announcement: published
    from its `filed` date; its status follows its own events and its entry's delisting."""

    id: CRId
    sample: bool = Field(False, description="示例数据：不是真实的备案")
    title: Text = Field(description="项目名称")
    guidance_entry: GLId = Field(description="备案所依据的备案指导清单条目；备案当日须在清单内")
    sponsor: Text = Field(description="临床研究发起机构")
    institutions: Annotated[TextList, Field(min_length=1)] = Field(description="临床研究机构")
    filed: Date = Field(description="备案日期")
    filing_no: Text | None = Field(None, description="备案编号")
    indications: TextList = Field(default_factory=list, description="适应症")
    summary: Markdown | None = Field(None, description="项目简介（Markdown）")
    references: list[Reference] = Field(default_factory=list)
    events: list[ResearchEvent] = Field(
        default_factory=list, description="研究结束、终止或经重新伦理审查继续实施（按日期，只追加）"
    )


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


# The official file of an announcement lives in data/attachments/ under a plain file name; the
# name, the hash and the size are checked by validate/attachments.py (E319–E321), which gives the
# Chinese messages; the patterns here only guide editors (JSON Schema).
ATTACHMENTS_DIR = "attachments"
ATTACHMENT_NAME = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.(?:pdf|ofd)", re.ASCII
)
SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


class Attachment(Strict):
    """公告原件 (PDF or OFD) in data/attachments/, with its size and SHA-256 (checked)."""

    file: Text = Field(
        description="data/attachments/ 中的文件名，例如 ANN-2026-004.pdf（只写文件名）",
        json_schema_extra={"pattern": f"^{ATTACHMENT_NAME.pattern}$"},
    )
    title: Text | None = Field(None, description="附件标题，例如 公告原文")
    size: int = Field(description="文件大小（字节）", json_schema_extra={"minimum": 1}, strict=True)
    sha256: Text = Field(
        description="文件的 SHA-256（64 位十六进制小写，sha256sum 的输出）",
        json_schema_extra={"pattern": f"^{SHA256.pattern}$"},
    )


class Announcement(Strict):
    """公告: carries every legal act; statuses are derived by replaying them (status/)."""

    id: ANNId
    sample: bool = False
    number: Text = Field(description="文号，例如 国家卫生健康委公告 2026年第3号")
    title: Text
    date: Date
    body: Markdown
    actions: Annotated[list[Action], Field(min_length=1)]
    attachments: list[Attachment] = Field(
        default_factory=list, description="公告原件（PDF 或 OFD），放在 data/attachments/"
    )


TOP_FILES: dict[str, type[Strict]] = {
    "registry.yaml": RegistryConfig,
    "risk-grades.yaml": RiskGrades,
}
