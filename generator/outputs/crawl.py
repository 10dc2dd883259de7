"""What crawlers and security researchers look for at a host's root: `robots.txt` (with the
sitemap), `/.well-known/security.txt` (RFC 9116) and the sitemap's `lastmod` dates.

Everything is dated from the data, never from the clock, so that a build stays reproducible: a
page's `lastmod` is the day its content last changed (a record's `modified`, as in its API file;
an announcement's date; for every other page the latest of those), and security.txt expires one
year after the as-of date.
"""

from __future__ import annotations

import gzip
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from generator.outputs.sync import change_dates
from generator.publish.views import Site, announcement_url

SECURITY_TXT = ".well-known/security.txt"


def absolute(site: Site, path: str) -> str:
    """`path` (site-absolute, `/downloads/…`) on the site's address; unchanged without one."""
    return site.permalink(path) if site.site_url else path


def robots_txt(site: Site) -> bytes:
    """Every crawler may read everything; the sitemap's address needs an absolute URL."""
    lines = ["User-agent: *", "Allow: /"]
    if site.site_url:
        lines += ["", f"Sitemap: {absolute(site, '/sitemap.xml')}"]
    return ("\n".join(lines) + "\n").encode()


def expires(as_of: date) -> date:
    """One year after the as-of date (28 February for 29 February): RFC 9116 asks for less than a
    year, and a build of the same data on another day writes the same file."""
    try:
        return as_of.replace(year=as_of.year + 1)
    except ValueError:
        return as_of.replace(year=as_of.year + 1, day=28)


def security_txt(site: Site) -> bytes | None:
    """RFC 9116, from `security_contact` in registry.yaml; none without a contact (the field is
    required by the RFC)."""
    contact = site.config.security_contact
    if contact is None:
        return None
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires(site.as_of).isoformat()}T00:00:00+08:00",
        "Preferred-Languages: zh, en",
    ]
    if site.site_url:
        lines.append(f"Canonical: {absolute(site, '/' + SECURITY_TXT)}")
    return ("\n".join(lines) + "\n").encode()


def host_files(site: Site) -> list[tuple[str, bytes]]:
    """robots.txt and, when there is a contact, .well-known/security.txt."""
    files = [("robots.txt", robots_txt(site))]
    security = security_txt(site)
    if security is not None:
        files.append((SECURITY_TXT, security))
    return files


def page_dates(site: Site) -> dict[str, date]:
    """Page address without the leading slash (`approved/BMT-2026-001/`) → the day its content
    last changed: a record's `modified` (outputs/sync.py, revisions included), an announcement's
    date."""
    dates: dict[str, date] = {}
    for r in site.records.values():
        days = change_dates(r, site.as_of, site.history.api(r.id))
        if days:
            dates[r.url.lstrip("/")] = min(days[-1], site.as_of)
    for a in site.announcements:
        dates[announcement_url(a.id).lstrip("/")] = a.date
    return dates


_URL = re.compile(r"<url>(.*?)</url>", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")
_LASTMOD = re.compile(r"<lastmod>[^<]*</lastmod>")


def _address(loc: str, base: str) -> str:
    """A sitemap <loc> as a page address relative to the site root."""
    if base and loc.startswith(base):
        return loc[len(base) :]
    return urlsplit(loc).path.lstrip("/")


def restamp(xml: str, site: Site) -> str:
    """Each <lastmod> of a sitemap set to its page's date (`page_dates`); every other page (home,
    lists, hand-written pages) gets the latest of them, the last day anything was published."""
    dates = page_dates(site)
    latest = max(dates.values(), default=site.as_of).isoformat()
    base = site.site_url.rstrip("/") + "/" if site.site_url else ""

    def one(m: re.Match[str]) -> str:
        loc = _LOC.search(m.group(1))
        day = dates.get(_address(loc.group(1), base)) if loc else None
        stamp = f"<lastmod>{day.isoformat() if day else latest}</lastmod>"
        return _LASTMOD.sub(stamp, m.group(0))

    return _URL.sub(one, xml)


def restamp_sitemap(site_dir: Path, site: Site) -> None:
    """Rewrite the engine's sitemap.xml (and its .gz, keeping the engine's gzip timestamp) with
    the data's dates (`restamp`); both engines call this once the sitemap is written."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return
    text = restamp(path.read_text(encoding="utf-8"), site)
    path.write_text(text, encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.is_file():
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
        with open(gz, "wb") as f, gzip.GzipFile(None, "wb", 9, f, mtime) as z:
            z.write(text.encode("utf-8"))
