"""The files the preview makes in the background that take long at 10,000 records pass a
checkpoint (domain/checkpoint.py) for every record, so that a newer save stops them within one
record instead of waiting for a whole file (the release zip took 3 s)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from generator.domain.checkpoint import stopping_at
from generator.outputs.api import summary_files
from generator.outputs.calendar import calendar_files
from generator.outputs.downloads import download_files, records_xlsx, release_zip
from generator.publish.lookup import check_index, leads
from generator.publish.views import Site

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def site(sample_published: Site) -> Site:
    return sample_published


def _checks(make: Callable[[], Any]) -> int:
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1

    with stopping_at(tick):
        made = make()
        if isinstance(made, Iterable) and not isinstance(made, bytes | dict):
            list(made)
    return count


@pytest.mark.parametrize(
    "make",
    [
        lambda s: summary_files(s),
        lambda s: check_index(s),
        lambda s: calendar_files(s),
        lambda s: records_xlsx(s),
        lambda s: release_zip(s, ROOT / "data", {}),
    ],
    ids=["summary", "check-index", "calendar", "workbook", "zip"],
)
def test_a_long_file_checks_once_a_record_at_least(site: Site, make: Any) -> None:
    # the /check/ index has one entry per technology (`leads`), the rest one per record
    assert _checks(lambda: make(site)) >= min(len(site.records), len(leads(site)))


def test_the_downloads_stop_inside_the_zip(site: Site) -> None:
    class Stop(Exception):
        pass

    calls = 0

    def stop_late() -> None:
        nonlocal calls
        calls += 1
        if calls > len(site.records) * 2:  # past the workbook, inside the zip's members
            raise Stop

    summary = dict(summary_files(site))
    with pytest.raises(Stop), stopping_at(stop_late):
        download_files(site, ROOT / "data", summary)
