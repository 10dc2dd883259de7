"""公告原件 on the site and in the dataset zip.

The official file of a published announcement is copied next to its page
(`announcements/<id>/<file>`, linked there with its size and SHA-256) and into the zip at
`data/attachments/<file>`, where the re-serialised announcement expects it, so that the zip still
validates as a registry of its own. Attachments of embargoed announcements go nowhere: only
`site.announcements` (the published ones) are read. Each file is read again and checked against
its registered hash (`validate.attachments.verified_content`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.domain.models import ATTACHMENTS_DIR
from generator.publish.views import Site, announcement_url
from generator.validate.attachments import verified_content


def site_path(aid: str, file: str) -> str:
    """Where the file is written under site/ (also its URL without the leading /)."""
    return announcement_url(aid).lstrip("/") + file


def attachment_files(site: Site, data_dir: Path) -> Iterator[tuple[str, bytes]]:
    """(path under site/, bytes) of the originals of every published announcement."""
    for a in site.announcements:
        for att in a.attachments:
            yield site_path(a.id, att.file), verified_content(data_dir, att)


def zip_members(site: Site, data_dir: Path) -> list[tuple[str, bytes]]:
    """(path in the zip, bytes): `data/attachments/<file>` beside the YAML that registers it."""
    out: dict[str, bytes] = {}
    for a in site.announcements:
        for att in a.attachments:
            out[f"data/{ATTACHMENTS_DIR}/{att.file}"] = verified_content(data_dir, att)
    return sorted(out.items())
