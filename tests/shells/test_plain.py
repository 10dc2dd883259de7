"""The plain engine builds the whole site without MkDocs (`registry build --engine plain`).

`shells/plain.py` is a second shell over the same `publish()` and `SiteFiles`, with its own chrome,
the hand-written pages rendered from their Markdown, assets, 404.html and sitemap.xml. These tests
run it in a fresh interpreter (MkDocs, Material, ProperDocs and Python-Markdown never imported),
check that the site is whole, and that the build is atomic like the MkDocs one.
tests/shells/test_engines.py compares it with the MkDocs build.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import AS_OF, EPOCH, ROOT

from generator.publish.pipeline import publish
from generator.publish.verdict import verdict
from generator.shells.build import RegistryInvalid, SiteDirRefused
from generator.shells.plain import build_plain_site
from generator.shells.plain_chrome import PlainConfig, page_url

SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from generator.shells.plain import build_plain_site
build_plain_site(Path(sys.argv[1]), Path(sys.argv[3]), Path(sys.argv[2]), date.fromisoformat(sys.argv[4]))
engines = sorted(m for m in sys.modules
                 if m.split(".")[0] in ("mkdocs", "material", "properdocs", "markdown", "pymdownx"))
print(json.dumps({"engines": engines}))
"""


def build_plain_sample(out: Path) -> Path:
    """The sample site by the plain engine, in a fresh interpreter; returns `out`."""
    cmd = [sys.executable, "-c", SCRIPT, str(ROOT / "mkdocs.yml"), str(ROOT / "data"), str(out)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run(
        [*cmd, AS_OF.isoformat()], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    assert json.loads(result.stdout.splitlines()[-1]) == {"engines": []}, result.stdout
    return out


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_plain_sample(tmp_path_factory.mktemp("plain") / "site")


def test_record_pages_are_built_without_mkdocs(plain_site: Path) -> None:
    _report, site = publish(ROOT / "data", AS_OF)
    assert site is not None
    for r in site.records.values():
        page = (plain_site / r.url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert f"<title>{r.name}" in page or r.name.replace("&", "&amp;") in page
        assert verdict(r, site).headline in page
        assert "REGSHELL" not in page and "1999-09-09" not in page
        assert site.config.disclaimer in page and site.data_version in page  # the footer
        assert (plain_site / "api" / "records" / f"{r.id}.json").is_file()
    assert "SHA-256" in (plain_site / "downloads" / "index.html").read_text(encoding="utf-8")


def test_the_whole_site_is_there(plain_site: Path) -> None:
    config = PlainConfig.load(ROOT / "mkdocs.yml")
    home = (plain_site / "index.html").read_text(encoding="utf-8")
    for title, src in config.nav:  # every section of the navigation, linked from every page
        assert (plain_site / page_url(src) / "index.html").is_file(), src
        assert f'href="./{page_url(src)}"' in home and f">{title}</a>" in home
    about = (plain_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in about and "免责声明" in about  # rendered from about.md
    api = (plain_site / "api" / "index.html").read_text(encoding="utf-8")
    assert 'href="../downloads/"' in api and 'href="../api/records.json"' in api  # links resolved
    for asset in (ROOT / "site_src" / "assets").iterdir():
        assert (plain_site / "assets" / asset.name).read_bytes() == asset.read_bytes()
    assert not (plain_site / "overrides").exists()  # the Material theme layer is no page
    assert "页面不存在（404）" in (plain_site / "404.html").read_text(encoding="utf-8")
    assert (plain_site / "pagefind" / "pagefind-entry.json").is_file()
    assert "<pagefind-modal-trigger" in home and "pagefind-component-ui.js" in home
    sitemap = (plain_site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>https://registry\.example\.org/([^<]*)</loc>", sitemap))
    pages = {str(p.parent.relative_to(plain_site)) for p in plain_site.rglob("index.html")}
    redirects = {p for p in pages if "http-equiv" in (plain_site / p / "index.html").read_text()}
    assert locs == {"" if p == "." else f"{p}/" for p in pages - redirects}


def test_a_failed_plain_build_leaves_the_site_alone(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("old", encoding="utf-8")
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "registry.yaml").write_text("title: [\n", encoding="utf-8")
    with pytest.raises(RegistryInvalid):
        build_plain_site(ROOT / "mkdocs.yml", site, bad, AS_OF)
    with pytest.raises(SiteDirRefused):
        build_plain_site(ROOT / "mkdocs.yml", ROOT / "site_src" / "x", ROOT / "data", AS_OF)
    assert {p.name for p in tmp_path.iterdir()} == {"site", "data"}  # no temporary tree left
    assert [p.name for p in site.iterdir()] == ["keep.txt"]
