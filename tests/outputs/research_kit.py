"""A scenario registry with filed research projects (临床研究备案项目) for the output tests: every
research status, a derived change of each route, reported events, one event reported after the
as-of date and one project filed after it (embargoed). The minimal registry of tests/conftest.py
underneath (GL-0001 listed 2026-01-10; BMT-2026-001 grown from it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site

AS_OF = date(2026, 11, 23)
D = date.fromisoformat
# CR-2026-0001: GL-0001 delisted after review 2026-06-01 → ethics review; continued 2026-07-01;
# its completion is dated after the as-of date (not published yet)
ETHICS = "CR-2026-0001"
# CR-2026-0002: GL-0002 delisted directly 2026-08-01 → terminate_required; terminated 2026-09-01
TERMINATED = "CR-2026-0002"
# CR-2026-0003: completed 2026-05-01, before GL-0002 left the list: not affected
COMPLETED = "CR-2026-0003"
# CR-2026-0004: filed under GL-0003 on 2026-12-01, after the as-of date: embargoed
EMBARGOED = "CR-2026-0004"
EMBARGOED_TITLE = "尚未备案公示的干细胞研究项目甲乙丙"
LATE_NOTE = "截至日之后才报告的研究结束说明"
TERMINATION_NOTE = "受试者已转入常规治疗"


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _entry(gid: str, name: str, category: str) -> str:
    return _dump(
        {"id": gid, "name": name, "category": category, "purpose": "目的。", "mechanism": "机制。"}
    )


def _announcement(n: int, day: str, actions: list[dict[str, Any]]) -> str:
    return _dump(
        {
            "id": f"ANN-2026-{n:03d}",
            "number": f"国家卫生健康委公告 测试第{n}号",
            "title": f"测试公告 {n}",
            "date": D(day),
            "body": "正文。",
            "actions": actions,
        }
    )


def _project(
    rid: str, title: str, entry: str, filed: str, *events: dict[str, Any], **more: Any
) -> str:
    data = {
        "id": rid,
        "title": title,
        "guidance_entry": entry,
        "sponsor": f"{title}发起医院",
        "institutions": ["某某医院", "某某大学附属医院"],
        "filed": D(filed),
        **more,
        "events": [{**e, "date": D(e["date"])} for e in events],
    }
    return _dump(data)


def files() -> dict[str, str]:
    delist = {"action": "delist", "record": "GL-0001", "route": "after_review"}
    direct = {"action": "delist", "record": "GL-0002", "route": "direct"}
    return {
        "guidance-list/GL-0002.yaml": _entry("GL-0002", "某基因治疗技术", "gene-editing"),
        "guidance-list/GL-0003.yaml": _entry("GL-0003", "某干细胞治疗技术", "other"),
        "announcements/ANN-2026-003.yaml": _announcement(
            3, "2026-01-15", [{"action": "list", "record": g} for g in ("GL-0002", "GL-0003")]
        ),
        "announcements/ANN-2026-004.yaml": _announcement(
            4, "2026-06-01", [{**delist, "ground": "drug_approved"}]
        ),
        "announcements/ANN-2026-005.yaml": _announcement(
            5, "2026-08-01", [{**direct, "ground": "major_ethics_issue"}]
        ),
        f"research/{ETHICS}.yaml": _project(
            ETHICS,
            "自体CAR-T细胞治疗复发难治淋巴瘤的多中心临床研究",
            "GL-0001",
            "2026-02-01",
            {"date": "2026-07-01", "event": "ethics_continued"},
            {"date": "2026-12-15", "event": "completed", "note": LATE_NOTE},
            filing_no="备案-2026-0001",
        ),
        f"research/{TERMINATED}.yaml": _project(
            TERMINATED,
            "某基因治疗罕见病的单中心临床研究",
            "GL-0002",
            "2026-03-01",
            {"date": "2026-09-01", "event": "terminated", "note": TERMINATION_NOTE},
        ),
        f"research/{COMPLETED}.yaml": _project(
            COMPLETED,
            "=某基因治疗的探索性临床研究",  # starts like a formula: the spreadsheets quote it
            "GL-0002",
            "2026-04-01",
            {"date": "2026-05-01", "event": "completed"},
        ),
        f"research/{EMBARGOED}.yaml": _project(
            EMBARGOED, EMBARGOED_TITLE, "GL-0003", "2026-12-01", filing_no="备案-2026-秘密"
        ),
    }


def research_registry(root: Path, kit: Any) -> Path:
    return kit.make_registry(root, files())


def research_site(root: Path, kit: Any, as_of: date = AS_OF) -> Site:
    """The published view of the scenario (valid: no problems)."""
    reg = check_registry(research_registry(root, kit), as_of)
    assert not reg.problems, [p.text() for p in reg.problems]
    return build_site(reg, f"{as_of.isoformat()}+abcdef0")
