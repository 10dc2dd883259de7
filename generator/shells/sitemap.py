"""sitemap.xml with the shells expanded: MkDocs listed each shell (render/shell.py) once; the
pages filled into it are listed in its place, in the shell's order."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from generator.render.page import GeneratedPage
from generator.render.shell import ID as SHELL_ID
from generator.render.shell import ShellKey

_URL_BLOCK = re.compile(r"\s*<url>.*?</url>", re.S)
_SHELL_LOC = re.compile(rf"/([^/<]+/{SHELL_ID}\d+)/</loc>")


def expand_sitemap(
    site_dir: Path, shells: dict[str, ShellKey], groups: dict[ShellKey, list[GeneratedPage]]
) -> None:
    """MkDocs listed each shell once in sitemap.xml: list the pages filled into it instead."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return
    xml = path.read_text(encoding="utf-8")
    out, last = [], 0
    for m in _URL_BLOCK.finditer(xml):
        block = m.group(0)
        out.append(xml[last : m.start()])
        last = m.end()
        found = _SHELL_LOC.search(block)
        key = shells.get(f"{found.group(1)}.md") if found else None
        if found is None or key is None:
            out.append(block)
            continue
        shell_name = found.group(1).split("/")[1]
        for page in groups.get(key, []):
            out.append(block.replace(shell_name, page.src_uri.removesuffix(".md").split("/")[1]))
    out.append(xml[last:])
    _write_sitemap(site_dir, "".join(out))


def _write_sitemap(site_dir: Path, text: str) -> None:
    (site_dir / "sitemap.xml").write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")  # MkDocs' build timestamp
        with open(gz, "wb") as f, gzip.GzipFile(None, "wb", 9, f, mtime) as z:
            z.write(text.encode("utf-8"))
