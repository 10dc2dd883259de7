"""The seam holds: the record pages, API files and downloads are built without MkDocs.

`shells/plain.py` is a second shell over the same `publish()` and `SiteFiles`; this test runs it in
a fresh interpreter and checks that MkDocs was never imported and that every record page is
there, with its title, its verdict and the links of its page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sitekit import AS_OF, ROOT

from generator.publish.pipeline import publish
from generator.publish.verdict import verdict

SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from generator.shells.plain import build_plain
report = build_plain(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), Path(sys.argv[3]))
engines = sorted(m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material", "properdocs"))
print(json.dumps({"valid": report.valid, "engines": engines}))
"""


def test_record_pages_are_built_without_mkdocs(tmp_path: Path) -> None:
    out = tmp_path / "site"
    cmd = [sys.executable, "-c", SCRIPT, str(ROOT / "data"), AS_OF.isoformat(), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(result.stdout.splitlines()[-1]) == {"valid": True, "engines": []}
    _report, site = publish(ROOT / "data", AS_OF)
    assert site is not None
    for r in site.records.values():
        page = (out / r.url.strip("/") / "index.html").read_text(encoding="utf-8")
        assert f"<title>{r.name}" in page or r.name.replace("&", "&amp;") in page
        assert verdict(r, site).headline in page
        assert "REGSHELL" not in page and "1999-09-09" not in page
        assert (out / "api" / "records" / f"{r.id}.json").is_file()
    assert (out / "downloads" / "index.html").is_file()
    assert "SHA-256" in (out / "downloads" / "index.html").read_text(encoding="utf-8")
