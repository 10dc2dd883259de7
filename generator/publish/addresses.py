"""The site's addresses, for `redirects` in registry.yaml: which names the site generates, where an old address resolves, and the redirect problems (E314). Checked when publishing, not in validate/: validation knows the data, not the site's URLs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from generator.domain.errors import Problem, problem
from generator.domain.kinds import DATA_FOLDERS, FOLDERS, id_kind

if TYPE_CHECKING:
    pass
from generator.domain.kinds import RECORD_KINDS
from generator.validate.entries import Registry, all_entries

# A redirect source path: ASCII segments that start with a letter or digit (so no `.`, `..`,
# hidden names, backslashes, percent-escapes, NUL or look-alike Unicode), each ending in `/`.
REDIRECT_PATH = re.compile(r"^/(?:[A-Za-z0-9][A-Za-z0-9._~\-]{0,99}/){1,6}$", re.ASCII)

# Top-level names of what the site generates (compared in lower case: a case-insensitive file
# system would let /Approved/ overwrite /approved/). Only old record addresses under a section
# (`/approved/<old-id-or-name>/`) may use one of them.
RESERVED_DIRS = {
    "",
    *FOLDERS.values(),  # every record kind's section (domain/kinds.py)
    DATA_FOLDERS["announcement"],
    "risk-grades",
    "changes",
    "check",
    "api",
    "downloads",
    "about",
    "assets",
    "pagefind",
    "feeds",
    "search",
    "sitemap.xml",
    "sitemap.xml.gz",
    "404.html",
    "index.html",
    "robots.txt",
    "favicon.ico",
    "stylesheets",
    "javascripts",
    "overrides",
    "schemas",
    "datapackage.json",
    ".well-known",
}

SECTION_DIRS = (*FOLDERS.values(), DATA_FOLDERS["announcement"])

SECTION_SUBPAGES = {"page", "index.html", "print"}


def redirect_source_problem(reg: Registry, old: str) -> str | None:
    """Why `old` cannot be a redirect source (None when it can): the page it would write must
    stay inside the site and must not be any file the site generates."""
    if id_kind(old) is not None:
        if old in reg.records or old in reg.announcements:
            return f"“{old}” 是现有记录的编号，不能再作为旧编号重定向；请删除这一项"
        return None
    if not REDIRECT_PATH.match(old):
        return (
            f"“{old}” 既不是记录编号，也不是以 / 开头和结尾、只含字母数字和 ._~- 的站内路径"
            "（例如 /approved/old-name/）；不允许 ..、反斜杠、百分号编码和空白；请改正"
        )
    parts = old.strip("/").lower().split("/")
    if parts[0] not in RESERVED_DIRS:
        return None
    taken = {rid.lower() for rid in (*reg.records, *reg.announcements)}
    if (
        parts[0] in SECTION_DIRS
        and len(parts) == 2
        and parts[1] not in taken
        and parts[1] not in SECTION_SUBPAGES
    ):
        return None
    return f"“{old}” 是本站生成的页面或文件的地址，不能用作重定向来源；请删除这一项"


def redirect_problems(reg: Registry) -> Iterable[Problem]:
    """`redirects` in registry.yaml: an old id or site path → the current id of a record."""
    if reg.config is None or reg.config_doc is None:
        return
    doc = reg.config_doc
    # a record whose file has problems is still a record (no E314 on top of them)
    ids = {rid for rid, _e in all_entries(reg, RECORD_KINDS)}
    seen: dict[str, str] = {}
    for old, target in reg.config.redirects.items():
        line, col = doc.where(("redirects", old), key=True)
        where = f"redirects.{old}"
        if target not in ids:
            detail = f"重定向 {old} 的目标 “{target}” 不是现有记录的编号；请写成现有记录的编号，例如 BMT-2026-001"
            yield problem("E314", doc.file, line, col, where, detail=detail)
        why = redirect_source_problem(reg, old)
        if why is not None:
            yield problem("E314", doc.file, line, col, where, detail=why)
            continue
        key = redirect_source_dir(old).lower()
        if key in seen:
            detail = f"“{old}” 与 “{seen[key]}” 指向同一地址；请删除其中一项"
            yield problem("E314", doc.file, line, col, where, detail=detail)
        seen.setdefault(key, old)


def redirect_source_dir(old: str) -> str:
    """Directory under site/ that the old address resolves to."""
    kind = id_kind(old)
    if kind in FOLDERS:
        return f"{FOLDERS[kind]}/{old}"
    if kind == "announcement":
        return f"announcements/{old}"
    return old.strip("/")
