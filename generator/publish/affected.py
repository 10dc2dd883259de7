"""Which pages an edit can have changed: the preview (`registry serve`) re-renders these only.

A record page shows its own view, the records linked to it by the kind declaration's `source`
field (the guidance entry an approval or research project grew from, and everything grown from
an entry: the counterpart link, the list of filed projects, the consequences on its timeline)
and the announcements that name it (titles and dates on its timeline). An announcement page shows
its own text and the records it names. So an edit reaches:

- every record whose view changed, and the records linked to it, two links deep (approval →
  entry → the entry's projects);
- every announcement whose view changed, and the records it names, with theirs links;
- every announcement naming a record that changed.

The views are compared whole, whatever the cause (a file edited, a status derived from another
record's announcement, a date passing), so no rule of status/ is repeated here. The list pages,
/changes/, the feeds and every file beside the pages are recomputed in full after the edited page
is visible (shells/live.py); a test compares the result with a full build after a sequence of
edits (tests/shells/test_live.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.domain.kinds import spec
from generator.publish.views import Site


@dataclass(frozen=True)
class Affected:
    records: frozenset[str]
    announcements: frozenset[str]


def affected(old: Site, new: Site) -> Affected:
    changed = {
        rid
        for rid in old.records.keys() | new.records.keys()
        if _differ(old.records.get(rid), new.records.get(rid))
    }
    old_anns = {a.id: a for a in old.announcements}
    new_anns = {a.id: a for a in new.announcements}
    changed_anns = {
        aid for aid in old_anns.keys() | new_anns.keys() if old_anns.get(aid) != new_anns.get(aid)
    }
    named = set(_named(old_anns.get(a) for a in changed_anns))
    named |= set(_named(new_anns.get(a) for a in changed_anns))
    records: set[str] = set()
    for site in (old, new):
        links = _links(site)
        records |= _linked(links, _linked(links, changed | named))
    naming = {
        a.id
        for a in (*old.announcements, *new.announcements)
        if any(act.record in changed for act in a.actions)
    }
    return Affected(frozenset(records), frozenset(changed_anns | naming))


def _differ(a: object, b: object) -> bool:
    """The very same view (publish/record_views.py reuses them) is not compared field by field."""
    return a is not b and a != b


def _named(anns: Iterable[object]) -> Iterable[str]:
    for a in anns:
        for act in getattr(a, "actions", ()):
            yield act.record


Links = dict[str, set[str]]


def _links(site: Site) -> Links:
    """Each record's neighbours by the kind declaration's `source` field, both ways: the entry a
    record grew from, and the records grown from an entry."""
    out: Links = {}
    for r in site.records.values():
        source = spec(r.kind).source
        entry = getattr(r.model, source, None) if source else None
        if entry is not None:
            out.setdefault(r.id, set()).add(entry)
            out.setdefault(entry, set()).add(r.id)
    return out


def _linked(links: Links, ids: set[str]) -> set[str]:
    """`ids`, their source entries and the records grown from any of them (one link deep)."""
    out = set(ids)
    for rid in ids:
        out |= links.get(rid, set())
    return out
