"""Machine-readable outputs: `api/*.json` and `downloads/records.csv` (contract section Output).

Only the published view (`views.Site`) is exported, so embargoed data cannot leak. Output is
deterministic: keys sorted, records in id order, no timestamps unless SOURCE_DATE_EPOCH says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from generator.domain.checkpoint import checkpoint
from generator.domain.dates import build_time
from generator.domain.vocabulary import GROUND_LABELS, RESEARCH_EVENT_LABELS, ROUTE_LABELS
from generator.outputs.sync import ChangeIndex, change_dates, sync_fields
from generator.publish.dated import current_reason, dated_fields, with_dated
from generator.publish.lookup import INDEX_PATH, check_index
from generator.publish.terms import citation, terms_fields
from generator.publish.views import RecordView, Site, announcement_url
from generator.status.states import Event

# downloads/records.csv: one column per key, headed in Chinese for the people who open it in a
# spreadsheet; the JSON API keeps the English keys (site_src/api.md lists the mapping)
CSV_HEADERS = {
    "id": "编号",
    "kind_label": "类型",
    "kind": "类型代码",
    "name": "名称",
    "aliases": "别名",
    "category_name": "分类",
    "category": "分类代码",
    "status_label": "状态",
    "status": "状态代码",
    "status_since": "状态日期",
    "risk_grade_name": "风险等级",
    "risk_grade": "风险等级代码",
    "approved_on": "批准日期",
    "exclusive_until": "限定期至",
    "institutions": "参与研究机构",
    "emergency_use_until": "紧急应用期限",
    "reason_route": "调出途径",
    "reason": "理由",
    "reason_code": "理由代码",
    # research projects (临床研究备案项目, 界定指导原则 二); their 临床研究机构 are `institutions`
    "guidance_entry": "备案指导清单条目",
    "sponsor": "临床研究发起机构",
    "filed": "备案日期",
    "filing_no": "备案编号",
    "sample": "示例数据",
    "url": "网址",
}
CSV_COLUMNS = list(CSV_HEADERS)


SCHEMA_VERSION = "1.4"  # bump on any change to the shape of an API file; see the API changelog


def envelope(site: Site, payload: dict[str, Any]) -> dict[str, Any]:
    """Every JSON file under api/ says what it is and which data it was built from."""
    return {
        "schema_version": SCHEMA_VERSION,
        "data_version": site.data_version,
        "generated_at": build_time().isoformat(),
        "as_of": site.as_of.isoformat(),
        **terms_fields(site),  # licence and terms in every file (publish/terms.py)
        **payload,
    }


def dumps(data: Any) -> bytes:
    # Compact on purpose: with `indent` Python falls back to its pure-Python encoder, several
    # times slower over 10,000 files; `python -m json.tool` pretty-prints for a human.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return (text + "\n").encode()


def record_summary(r: RecordView) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.id,
        "kind": r.kind,
        "name": r.name,
        "aliases": list(r.aliases),
        "category": r.category,
        "category_name": r.category_name,
        "status": r.status.code,
        "status_label": r.status_label,
        "status_since": r.status.since.isoformat(),
        "status_basis": r.status.basis,
        "url": r.url,
        "sample": r.sample,
    }
    if r.kind == "approved":
        assert r.risk_grade is not None and r.approved_on and r.exclusive_until
        out |= {
            "risk_grade": r.risk_grade.id,
            "approved_on": r.approved_on.isoformat(),
            "exclusive_until": r.exclusive_until.isoformat(),
            "institutions": list(r.institutions),
        }
    if r.kind == "research":
        out |= research_fields(r)
    if r.emergency is not None:
        out["emergency_use"] = {
            "scope": r.emergency.fields["scope"],
            "until": r.emergency.fields["until"].isoformat(),
        }
    if (d := r.delisting()) is not None:
        out["delisting"] = {
            "route": d.fields["route"],
            "route_label": ROUTE_LABELS[d.fields["route"]],
            "ground": d.fields["ground"],
            "ground_label": GROUND_LABELS[d.fields["ground"]],
        }
    if (why := current_reason(r)) is not None:
        out["status_reason"] = why  # delist, suspend, ban: codes and Chinese labels
    return out


def reported_events(r: RecordView) -> list[Event]:
    """What a research project's institutions reported (completed, terminated, ethics_continued),
    published by the as-of date: the timeline of the view stops there (status/research.py), while
    the YAML may hold an event dated later, which no output shows before its date."""
    return [ev for ev in r.timeline if not ev.announcement and ev.action != "filed"]


def research_fields(r: RecordView) -> dict[str, Any]:
    """A filed project (界定指导原则 二): who filed it, under which entry, when, where it runs,
    and the events its institutions reported. `name` is its title (the kind spec says)."""
    p = r.model
    events = []
    for ev in reported_events(r):
        item = {"date": ev.date.isoformat(), "event": ev.action}
        item["event_label"] = RESEARCH_EVENT_LABELS[ev.action]
        if ev.fields.get("note"):
            item["note"] = ev.fields["note"]
        events.append(item)
    return {
        "guidance_entry": p.guidance_entry,
        "sponsor": p.sponsor,
        "institutions": list(p.institutions),
        "filed": p.filed.isoformat(),
        "filing_no": p.filing_no,
        "events": events,
    }


def published_record(r: RecordView, as_of: date) -> dict[str, Any]:
    """The record's YAML fields as published on `as_of`: a research project's events dated later
    are left out (the API's `record`, the dataset zip's YAML)."""
    data = r.model.model_dump(mode="json", exclude_none=True)
    if r.kind == "research":
        data["events"] = [e for e in data["events"] if date.fromisoformat(e["date"]) <= as_of]
    return data


def timeline_entry(ev: Event, r: RecordView | None = None) -> dict[str, Any]:
    """One event of `timeline`; a research project's own events have no announcement (null),
    and its entry's delisting names the entry it came from (`derived_from`)."""
    announcement = ev.announcement or None
    entry = {"date": ev.date.isoformat(), "action": ev.action, "announcement": announcement}
    if r is not None and r.kind == "research" and announcement is not None:
        entry["derived_from"] = r.model.guidance_entry
    for key, value in ev.fields.items():
        entry[key] = value.isoformat() if hasattr(value, "isoformat") else value
    if isinstance(entry.get("ground"), str) and entry["ground"] in GROUND_LABELS:
        entry["ground_label"] = GROUND_LABELS[entry["ground"]]
    if entry.get("route") in ROUTE_LABELS:
        entry["route_label"] = ROUTE_LABELS[entry["route"]]
    return entry


def record_detail(
    r: RecordView, as_of: date, revisions: dict[str, Any] | None = None
) -> dict[str, Any]:
    out = record_summary(r)
    out["record"] = published_record(r, as_of)
    if r.kind == "approved":
        # published versions only: a version of an embargoed announcement is never exported
        out["conditions_versions"] = [
            {
                "announcement": vv.version.announcement,
                "announced_on": vv.version.announced_on.isoformat(),
                "effective": vv.version.effective.isoformat(),
                "state": vv.state,
                "version": vv.version.number,
                **vv.version.fields(),
            }
            for vv in r.conditions_versions
        ]
        now = r.conditions_in_force
        if now is not None:  # the version in force, as before versions existed
            out["conditions"] = {
                "id": r.id,
                "effective": now.version.effective.isoformat(),
                **now.version.fields(),
            }
    out["timeline"] = [timeline_entry(ev, r) for ev in r.timeline]
    out |= revisions or {"revisions": [], "history_available": False}
    return out


def announcement_entry(a: Any) -> dict[str, Any]:
    data = a.model_dump(mode="json", exclude_none=True)
    data["url"] = announcement_url(a.id)
    for att in data.get("attachments", []):  # 公告原件, copied next to the announcement page
        att["url"] = announcement_url(a.id) + att["file"]
    return data


# OWASP "CSV injection": a cell that starts with one of these (also after leading spaces) is
# read as a formula by Excel, WPS and LibreOffice; a leading single quote makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_risk(value: str) -> bool:
    """Would a spreadsheet read this cell as a formula (or DDE command)?"""
    stripped = value.lstrip(" \u3000\u00a0")
    return bool(value) and (value.startswith(_FORMULA_START) or stripped.startswith(_FORMULA_START))


def neutralise_cell(value: Any) -> Any:
    """Prefix a single quote to a text cell a spreadsheet would run (OWASP)."""
    if isinstance(value, str) and formula_risk(value):
        return "'" + value
    return value


def reason_columns(row: dict[str, Any]) -> dict[str, str]:
    """调出途径, 理由 (Chinese) and 理由代码 of a summary row, for the CSV and the workbook."""
    why = row.get("status_reason") or {}
    code = why.get("ground", "")
    return {
        "reason_route": why.get("route_label", ""),
        "reason": why.get("ground_label", ""),
        "reason_code": code if code in GROUND_LABELS else "",  # a ban's ground is free text
    }


def records_csv(site: Site) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writerow(CSV_HEADERS)
    for r in site.records.values():
        row = record_summary(r)
        row["kind_label"] = r.kind_label
        row["risk_grade_name"] = r.risk_grade.name if r.risk_grade else ""
        row["aliases"] = "；".join(row["aliases"])
        row["institutions"] = "；".join(row.get("institutions", []))
        row["filing_no"] = row.get("filing_no") or ""
        row["emergency_use_until"] = row.get("emergency_use", {}).get("until", "")
        row |= reason_columns(row)
        row["sample"] = "是" if r.sample else "否"
        row["url"] = site.permalink(r.url)  # absolute on site_url: a spreadsheet has no base
        writer.writerow({k: neutralise_cell(v) for k, v in row.items()})
    return "\ufeff".encode() + buf.getvalue().encode()  # BOM so that Excel reads UTF-8


def summary_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """The list-level API files and the CSV (the release zip includes them)."""
    records = []
    for r in site.records.values():
        checkpoint()
        records.append(record_summary(r))
    yield "api/records.json", dumps(envelope(site, {"records": records}))
    anns = [announcement_entry(a) for a in reversed(site.announcements)]
    yield "api/announcements.json", dumps(envelope(site, {"announcements": anns}))
    yield "downloads/records.csv", records_csv(site)


def detail_files(
    site: Site, revisions: Callable[[str], dict[str, Any]] | None = None
) -> Iterator[tuple[str, bytes]]:
    """One API file per record, the index of the /check/ page and the change index (sync.py)."""
    changes = ChangeIndex(site)
    for r in site.records.values():
        revs = revisions(r.id) if revisions else None
        detail = record_detail(r, site.as_of, revs) | dated_fields(r, site)  # on any date
        for change in detail["status_changes"]:  # a reported change has no announcement: null
            change["announcement"] = change["announcement"] or None
        days = change_dates(r, site.as_of, revs)
        detail |= sync_fields(r, days)
        detail["citation"] = citation(site, r)
        changes.add(r, detail, days, dumps)
        yield f"api/records/{r.id}.json", dumps(envelope(site, detail))
    yield INDEX_PATH, dumps(envelope(site, with_dated(check_index(site), site)))
    yield from changes.files(envelope, dumps, SCHEMA_VERSION)


def api_files(
    site: Site, revisions: Callable[[str], dict[str, Any]] | None = None
) -> Iterator[tuple[str, bytes]]:
    """(path under site/, bytes) for every API file and the CSV."""
    yield from summary_files(site)
    yield from detail_files(site, revisions)
