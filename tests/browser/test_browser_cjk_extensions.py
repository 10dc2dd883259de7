"""Search over every CJK block (issue 27): a name with a CJK Extension B character (medical terms
have them: 错𬌗畸形, U+2C317) is found by a sub-word that starts with that character, and its record
ranks first, in the browser as the index was written in Python (render/search.py and
assets/search.js encode alike). A scenario registry of our own: the minimal registry of
tests/conftest.py plus two guidance entries, one named with the Extension B character and one
whose name holds the same words without it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_helpers import Tab, build_site, open_tab, serve
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

EXT_B = "\U0002c317"  # 𬌗, CJK Unified Ideographs Extension B… (U+2C317)
NAME = f"错{EXT_B}畸形干细胞矫治技术"


def entry(gid: str, name: str) -> str:
    data = {
        "id": gid,
        "name": name,
        "category": "other",
        "purpose": "矫治牙颌畸形。",
        "mechanism": "细胞水平的组织再生。",
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


LISTING = {
    "id": "ANN-2026-003",
    "number": "国家卫生健康委公告 测试第3号",
    "title": "关于调整备案指导清单的公告",
    "date": "2026-04-01",
    "body": "正文。\n",
    "actions": [{"action": "list", "record": "GL-0002"}, {"action": "list", "record": "GL-0003"}],
}


@pytest.fixture
def site(tmp_path: Path, kit: Any, browser: Browser) -> Iterator[Tab]:
    data = kit.make_registry(
        tmp_path / "data",
        {
            "guidance-list/GL-0002.yaml": entry("GL-0002", NAME),
            "guidance-list/GL-0003.yaml": entry("GL-0003", "牙颌畸形干细胞矫治技术"),
            "announcements/ANN-2026-003.yaml": yaml.safe_dump(
                LISTING, allow_unicode=True, sort_keys=False
            ),
        },
    )
    built = build_site(data, tmp_path / "site")
    with serve(built) as origin, open_tab(browser, origin) as t:
        yield t


@pytest.mark.parametrize("query", [f"{EXT_B}畸形", f"{EXT_B}畸形干细胞", f"错{EXT_B}"])
def test_a_sub_word_starting_with_an_extension_b_character_ranks_its_record_first(
    site: Tab, query: str
) -> None:
    assert len(EXT_B) == 1 and ord(EXT_B) > 0xFFFF
    site.goto("/")
    urls = site.search(query)
    assert urls[:1] == ["/guidance-list/GL-0002/"], urls
    assert "/guidance-list/GL-0003/" not in urls, urls  # 畸形 alone is not the query
    assert not site.page_errors and not site.console_errors, site.page_errors
