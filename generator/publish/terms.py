"""Terms of reuse: the licence and terms of `data/registry.yaml`, and how to cite a record.

Open-data services put the terms into every response (openFDA's `meta.license`, `meta.terms`):
whoever holds one file knows what they may do with it. Here the same two fields go into every
API envelope, the dataset zip (`LICENSE.txt`) and the downloads page; each record page and API
file adds a citation line naming the authority, the registry, the record and the data version.
"""

from __future__ import annotations

from typing import Any

from generator.publish.views import RecordView, Site


def terms_fields(site: Site) -> dict[str, Any]:
    """`license` and `terms` as they appear in every API file."""
    return {
        "license": site.config.license.model_dump(mode="json", exclude_none=True),
        "terms": site.config.terms,
    }


def citation(site: Site, r: RecordView, accessed: str | None = None) -> str:
    """国家卫生健康委 生物医学新技术公示库, <id>, 数据版本 <v>, 访问于 <date> (the configured
    authority and title). The access date defaults to the as-of date of the build; the record
    page replaces it with the reader's own day."""
    day = accessed or site.as_of.isoformat()
    return (
        f"{site.config.authority} {site.config.title}, {r.id}, "
        f"数据版本 {site.data_version}, 访问于 {day}"
    )


def license_text(site: Site) -> bytes:
    """LICENSE.txt of the dataset zip: licence, terms and disclaimer, in Chinese."""
    lic = site.config.license
    lines = [f"{site.config.title}（{site.config.authority}）", "", f"数据许可：{lic.name}"]
    if lic.id:
        lines.append(f"许可标识：{lic.id}")
    if lic.url:
        lines.append(f"许可全文：{lic.url}")
    lines += ["", "使用条款：", site.config.terms.strip(), "", "免责声明："]
    lines += [site.config.disclaimer.strip(), "", f"数据版本：{site.data_version}"]
    return ("\n".join(lines) + "\n").encode()
