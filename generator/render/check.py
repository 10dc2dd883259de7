"""The /check/ pages (机构自查 and the 界定 decision steps): the browser looks verdicts up in the check index; every sentence in it comes from publish/verdict.py."""

from __future__ import annotations

from generator.domain.delineation import OUTCOMES, STEPS
from generator.domain.delineation import ROUTE_LABELS as DELINEATION_ROUTES
from generator.publish.lookup import INDEX_PATH
from generator.publish.sentences import NOTE
from generator.publish.views import Site
from generator.render.jinja import render
from generator.render.page import GeneratedPage, root_prefix


def _root(src_uri: str) -> str:
    return root_prefix(GeneratedPage(src_uri, "", str).depth)


def check_pages(site: Site) -> list[GeneratedPage]:
    """`/check/` (lookup) and `/check/delineation/` (questionnaire)."""
    institutions = sorted({i for r in site.by_kind("approved") for i in r.institutions})

    def _check() -> str:
        return render(
            "check.html",
            site=site,
            root=_root("check/index.md"),
            index=INDEX_PATH,
            institutions=institutions,
            note=NOTE,
        )

    def _delineation() -> str:
        return render(
            "delineation.html",
            site=site,
            root=_root("check/delineation.md"),
            steps=STEPS,
            outcomes=OUTCOMES,
            route_labels=DELINEATION_ROUTES,
            note=NOTE,
        )

    return [
        GeneratedPage("check/index.md", "机构自查：能否开展某项技术", _check),
        GeneratedPage("check/delineation.md", "界定自查：技术、药品还是医疗器械", _delineation),
    ]
