"""A record page's data for the browser and the reader: the date field's intervals (as a JSON
island the page script reads), the citation line and the record's calendar file.

Kept apart from pages.py so that the page registration can change without touching this: the
record template calls `extras(r)` (added to the template context by `pages._context`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.publish.dated import dated
from generator.publish.terms import citation
from generator.publish.views import RecordView, Site, record_calendar


def json_island(data: Any) -> Markup:
    """JSON for a `<script type="application/json">`: `<` escaped, so that no text in the data
    can close the element or open a comment (the browser reads it with JSON.parse, never as HTML)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass(frozen=True)
class RecordExtras:
    dated: dict[str, Any]  # publish/dated.py: intervals and their sentences
    island: Markup
    citation_prefix: str  # the citation up to "访问于 "; the page adds the access date
    accessed: str  # the as-of date, replaced by the reader's day in the browser
    calendar: str  # path of the record's iCalendar file under site/


def record_extras(site: Site, r: RecordView) -> RecordExtras:
    data = dated(r, site)
    day = site.as_of.isoformat()
    full = citation(site, r, day)
    return RecordExtras(data, json_island(data), full[: -len(day)], day, record_calendar(r.id))
