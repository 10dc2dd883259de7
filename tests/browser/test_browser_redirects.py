"""Permanence: every redirect in registry.yaml leads to its record in the browser."""

from __future__ import annotations

import pytest
import yaml
from browser_helpers import ROOT, Tab, record_yaml

pytestmark = pytest.mark.browser

SECTIONS = {"GL": "guidance-list", "BMT": "approved", "BAN": "banned"}


def _redirects() -> dict[str, str]:
    config = yaml.safe_load((ROOT / "data" / "registry.yaml").read_text(encoding="utf-8"))
    return config.get("redirects", {})


def _source(old: str) -> str:
    prefix = old.split("-", 1)[0]
    return f"/{SECTIONS[prefix]}/{old}/" if prefix in SECTIONS and not old.startswith("/") else old


def test_sample_has_redirects() -> None:
    assert len(_redirects()) >= 2


@pytest.mark.parametrize("old", sorted(_redirects()))
def test_redirect_page_leads_to_its_target(tab: Tab, old: str) -> None:
    target = _redirects()[old]
    expected = f"/{SECTIONS[target.split('-', 1)[0]]}/{target}/"
    tab.goto(_source(old))
    tab.page.wait_for_url(f"**{expected}")
    assert tab.page.locator("h1").first.inner_text() == record_yaml(target)["name"]
    assert not tab.foreign_requests()
