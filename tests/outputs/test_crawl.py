"""Crawler and host basics (issue 27, point 2): robots.txt with the sitemap, security.txt
(RFC 9116) under `.well-known/` (the one hidden folder the writer allows), and sitemap `lastmod`
from the data under both engines."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sitekit import AS_OF, EPOCH, build_sample

from generator.outputs.crawl import expires, host_files, restamp, robots_txt, security_txt
from generator.outputs.writer import confined, write_files
from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site
from generator.shells.plain import build_plain_site

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://registry.example.org/"
CONTACT = "mailto:security@example.org"


def _with_contact(text: str, contact: str = CONTACT) -> str:
    return text.rstrip("\n") + f"\nsecurity_contact: {contact}\n"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample with a security contact, built by MkDocs and by the plain engine."""
    root = tmp_path_factory.mktemp("crawl")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    config = data / "registry.yaml"
    config.write_text(_with_contact(config.read_text("utf-8")), "utf-8")
    mkdocs = build_sample(root / "mkdocs", data=data)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build_plain_site(ROOT / "mkdocs.yml", root / "plain", data, AS_OF)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return {"mkdocs": mkdocs, "plain": root / "plain"}


ENGINES = ["mkdocs", "plain"]


@pytest.mark.parametrize("engine", ENGINES)
def test_robots_txt_allows_all_and_names_the_sitemap(sites: dict[str, Path], engine: str) -> None:
    text = (sites[engine] / "robots.txt").read_text("utf-8")
    assert text == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_security_txt_under_well_known(sites: dict[str, Path], engine: str) -> None:
    text = (sites[engine] / ".well-known" / "security.txt").read_text("utf-8")
    fields = dict(line.split(": ", 1) for line in text.splitlines())
    assert fields == {
        "Contact": CONTACT,
        "Expires": "2027-11-23T00:00:00+08:00",  # a year after the as-of date, not the clock
        "Preferred-Languages": "zh, en",
        "Canonical": f"{BASE}.well-known/security.txt",
    }


_ENTRY = re.compile(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>")


def _lastmods(site: Path) -> dict[str, str]:
    return dict(_ENTRY.findall((site / "sitemap.xml").read_text("utf-8")))


@pytest.mark.parametrize("engine", ENGINES)
def test_sitemap_lastmod_is_each_pages_modified(sites: dict[str, Path], engine: str) -> None:
    site = sites[engine]
    lastmod = _lastmods(site)
    for path in (site / "api/records").glob("*.json"):
        record = json.loads(path.read_text("utf-8"))
        assert lastmod[BASE + record["url"].lstrip("/")] == record["modified"]
    for a in json.loads((site / "api/announcements.json").read_text("utf-8"))["announcements"]:
        assert lastmod[BASE + a["url"].lstrip("/")] == a["date"]
    # every other page: the last day anything changed, never after the as-of date
    assert lastmod[BASE] == max(lastmod.values()) <= AS_OF.isoformat()
    assert len(set(lastmod.values())) > 5  # not one build day for all


def test_both_engines_date_the_sitemap_alike(sites: dict[str, Path]) -> None:
    mkdocs, plain = _lastmods(sites["mkdocs"]), _lastmods(sites["plain"])
    assert mkdocs == plain
    gz = (sites["mkdocs"] / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(gz) == (sites["mkdocs"] / "sitemap.xml").read_bytes()


# --- units ----------------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path, kit: SimpleNamespace) -> Site:
    root = kit.make_registry(tmp_path / "data")
    reg = check_registry(root, kit.AS_OF)
    assert not reg.problems, [p.text() for p in reg.problems]
    return build_site(reg, "2026-11-23+abcdef0")


def test_without_site_url_robots_has_no_sitemap_line(tiny: Site) -> None:
    assert robots_txt(tiny) == b"User-agent: *\nAllow: /\n"
    assert b"Sitemap: https://example.org/sub/sitemap.xml\n" in robots_txt(
        replace(tiny, site_url="https://example.org/sub/")
    )


def test_security_txt_needs_a_contact(tiny: Site) -> None:
    assert security_txt(tiny) is None
    assert [path for path, _ in host_files(tiny)] == ["robots.txt"]
    config = tiny.config.model_copy(update={"security_contact": "https://example.org/report"})
    text = security_txt(replace(tiny, config=config))
    assert text is not None and b"Canonical" not in text  # no site_url: no absolute address


def test_expires_on_29_february() -> None:
    assert expires(date(2028, 2, 29)) == date(2029, 2, 28)
    assert expires(date(2026, 11, 23)) == date(2027, 11, 23)


def test_a_security_contact_must_be_a_uri(tmp_path: Path, kit: SimpleNamespace) -> None:
    config = _with_contact(kit.BASE["registry.yaml"], "security@example.org")
    root = kit.make_registry(tmp_path / "data", {"registry.yaml": config})
    problems = check_registry(root, kit.AS_OF).problems
    assert [(p.path, p.line) for p in problems] == [("security_contact", 8)]
    assert "mailto:" in problems[0].text()


def test_the_writer_allows_well_known_and_nothing_else_hidden(tmp_path: Path) -> None:
    write_files(tmp_path, [(".well-known/security.txt", b"x")])
    assert (tmp_path / ".well-known" / "security.txt").read_bytes() == b"x"
    for bad in (
        ".well-known",
        ".well-known/",
        ".well-known/.x",
        ".well-known/../x",
        "a/.well-known/x",
        ".git/config",
        ".well-known2/x",
        "./.well-known/x",
    ):
        with pytest.raises(ValueError):
            confined(tmp_path, bad)


def test_restamp_leaves_unknown_pages_on_the_latest_day(tiny: Site) -> None:
    xml = (
        "<urlset><url><loc>/approved/BMT-2026-001/</loc><lastmod>2030-01-01</lastmod></url>"
        "<url><loc>/about/</loc><lastmod>2030-01-01</lastmod></url></urlset>"
    )
    out = restamp(xml, tiny)
    assert "2030-01-01" not in out
    assert out.count("<lastmod>2026-03-01</lastmod>") == 2  # the approval's announcement
