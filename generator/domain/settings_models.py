"""The settings files of data/: `registry.yaml` (site identity, categories, licence and terms,
the government-site information of its footer) and `risk-grades.yaml`. Split from models.py,
which re-exports them (the record kinds' models live there)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, computed_field

from generator.domain.fields import Slug, Strict, Text, Url, matching


class Category(Strict):
    id: Slug
    name: Text


# 政府网站发展指引 (国办发〔2017〕47号): the 网站标识码 is 10 letters or digits (bm01000001,
# 1100000088); ICP and 公安 filing numbers as issued, e.g. 京ICP备12345678号-1, 京公网安备11010502000001号.
_SITE_CODE = re.compile(r"[A-Za-z0-9]{10}", re.ASCII)

_ICP = re.compile(r"\S{0,8}ICP备\d{6,12}号(-\d{1,3})?", re.ASCII)

_POLICE = re.compile(r"\S{0,8}公网安备\s?\d{14}号", re.ASCII)

_CONAC = re.compile(r"[A-Za-z0-9]{1,40}", re.ASCII)

# security.txt's Contact (RFC 9116 第 2.5.3 节): a URI a reporter can use, mail, web form or phone
_SECURITY_CONTACT = re.compile(r"mailto:[^\s@]+@[^\s@]+|https://\S+|tel:\+?[0-9-]+", re.ASCII)
_CONTACT = matching(
    _SECURITY_CONTACT, "mailto:、https:// 或 tel: 开头的地址，例如 mailto:security@example.org"
)


class SiteInfo(Strict):
    """Who runs the site, for the footer and page metadata of a government website (政府网站发展指引).
    Every field is optional and empty by default: a deployment fills in its own."""

    organizer: Text | None = Field(None, description="主办单位（页脚，meta ContentSource）")
    site_code: (
        Annotated[Text, matching(_SITE_CODE, "网站标识码：10 位字母或数字（例如 bm01000001）")]
        | None
    ) = Field(
        None,
        description="网站标识码（meta SiteIDCode）",
        json_schema_extra={"pattern": "^[A-Za-z0-9]{10}$"},
    )
    icp: Annotated[Text, matching(_ICP, "ICP 备案号（例如 京ICP备12345678号-1）")] | None = Field(
        None,
        description="ICP备案号",
        json_schema_extra={"pattern": "ICP备[0-9]{6,12}号(-[0-9]{1,3})?$"},
    )
    police: (
        Annotated[Text, matching(_POLICE, "公网安备号（例如 京公网安备11010502000001号）")] | None
    ) = Field(
        None,
        description="公安机关备案号（公网安备）",
        json_schema_extra={"pattern": "公网安备\\s?[0-9]{14}号$"},
    )
    contact: Text | None = Field(None, description="联系方式（页脚）")
    conac_id: (
        Annotated[Text, matching(_CONAC, "党政机关网站标识编号：字母和数字（中国机构编制网颁发）")]
        | None
    ) = Field(
        None,
        description="党政机关网站标识的编号（页脚显示“党政机关网站”标识并链接到其验证页）",
        json_schema_extra={"pattern": "^[A-Za-z0-9]{1,40}$"},
    )

    # Where a government site links its filing numbers and its 党政机关网站标识 (links the reader
    # follows, no request the page makes: the site loads nothing from another origin)
    @computed_field  # type: ignore[prop-decorator]
    @property
    def icp_url(self) -> str | None:
        return "https://beian.miit.gov.cn/" if self.icp else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def police_url(self) -> str | None:
        code = re.search(r"\d{14}", self.police or "")
        return f"https://beian.mps.gov.cn/#/query/webSearch?code={code.group()}" if code else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def conac_url(self) -> str | None:
        if not self.conac_id:
            return None
        return f"https://bszs.conac.cn/sitename?method=show&id={self.conac_id}"


class License(Strict):
    """The licence under which the data may be reused (carried in every API file and the zip)."""

    name: Text = Field(description="许可名称，例如 知识共享 署名 4.0 国际许可协议（CC BY 4.0）")
    id: Text | None = Field(None, description="SPDX 许可标识，例如 CC-BY-4.0")
    url: Url | None = Field(None, description="许可全文的 http(s) 网址")


# Defaults for a deployment that has not chosen yet: what a government notice already allows
# (公开发布，可以转载、引用，须注明出处), and nothing that would grant more than that.
DEFAULT_LICENSE = License(
    name="政府公开信息：可免费复制、转载、引用和再利用，须注明来源和数据版本，不得歪曲原意"
)
DEFAULT_TERMS = (
    "本库数据可以免费下载和再利用，无需登记。使用时请注明来源（发布机关、本库名称、记录编号和数据版本），"
    "不得歪曲原意，不得暗示发布机关认可使用者或其产品。数据仅供信息参考，不构成行政决定或法律意见；"
    "各项技术的权威信息以国家卫生健康委公告原文为准。标注“示例数据”的记录是虚构的示例，不是真实决定。"
)

# Where a reader asks about a technology or reports its use (every record page's summary).
# 12320 is the national 卫生健康热线; 规范 第二十四条: county-level and higher 卫生健康部门
# supervise clinical application in their area (said as the article says it: it is also printed
# on research projects' pages, and the article does not speak of research). One line, no Markdown: it is printed as plain text.
DEFAULT_CONTACT = (
    "对某家医疗机构能否开展这项技术有疑问，或想反映问题：拨打 12320 卫生健康热线，"
    "或向当地卫生健康部门反映（县级以上卫生健康部门对辖区内生物医学新技术临床应用情况进行监督检查，"
    "规范 第二十四条）。"
)
_ONE_LINE = re.compile(r"[^\r\n]{4,300}")
_CONTACT_LINE = matching(
    _ONE_LINE, "一行文字，4 至 300 个字符，例如 “咨询或反映问题：拨打 12320 卫生健康热线”"
)


class RegistryConfig(Strict):
    """`data/registry.yaml`: site identity and the categories vocabulary."""

    title: Text = Field(description="网站标题")
    authority: Text = Field(description="发布机关")
    disclaimer: Text = Field(description="全站免责声明")
    categories: Annotated[list[Category], Field(min_length=1)]
    redirects: dict[str, Text] = Field(default_factory=dict, description="旧编号或路径 → 现编号")
    site_info: SiteInfo = Field(
        default_factory=SiteInfo, description="主办单位、网站标识码、备案号、联系方式"
    )
    license: License = Field(
        default=DEFAULT_LICENSE, description="数据许可：随每个 API 文件、数据集压缩包和下载页发布"
    )
    terms: Text = Field(default=DEFAULT_TERMS, description="使用条款：随每个 API 文件和数据集发布")
    security_contact: Annotated[Text, _CONTACT] | None = Field(
        None,
        title="安全问题联系地址",
        description="报告安全问题的联系地址（/.well-known/security.txt 的 Contact）；不填则不生成该文件",
        json_schema_extra={"pattern": "^(mailto:|https://|tel:)"},
    )
    contact: Annotated[Text, _CONTACT_LINE] = Field(
        default=DEFAULT_CONTACT,
        title="咨询和反映问题的途径",
        description="每个记录页概要的最后一行：读者向谁咨询、向谁反映问题（一行文字；不填则为 12320 卫生健康热线）",
        json_schema_extra={"pattern": "^[^\\r\\n]{4,300}$"},
    )
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
