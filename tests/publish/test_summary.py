"""The plain summary on top of every record page (issue 26): the status in a citizen's words, where,
from when to when, the next scheduled change from the record's status on every date, what it means
for a patient, the seeds' own rule (quoted word for word, only where the seeds say it) and where
to ask or report (registry.yaml `contact`, default the 12320 卫生健康热线)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pydantic
import pytest
from sitekit import AS_OF, ROOT

from generator.domain.kinds import RECORD_KINDS
from generator.domain.settings_models import DEFAULT_CONTACT, RegistryConfig
from generator.publish.pipeline import check_registry
from generator.publish.sentences import record_summary
from generator.publish.terms import Summary
from generator.publish.verdict import verdict
from generator.publish.views import Site, build_site

SEEDS = "".join(
    p.read_text(encoding="utf-8") for p in (ROOT.parent / "shared" / "seeds").glob("*.txt")
)


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(check_registry(ROOT / "data", AS_OF))


def _all_text(s: Summary) -> str:
    return " ".join(
        [s.label, s.who, s.patient, s.when, s.rule or "", s.next_change or "", *s.places]
    )


def test_every_record_has_a_summary_and_it_speaks_to_anyone(site: Site) -> None:
    kinds = set()
    for r in site.records.values():
        s = verdict(r, site).summary
        assert s is not None and s.label and s.who and s.patient and s.when, r.id
        assert s.term == r.status_label  # the legal term, kept as the second label
        assert s.contact == DEFAULT_CONTACT and "12320" in s.contact
        text = _all_text(s)
        assert "贵机构" not in text and "registry" not in text, (r.id, text)
        kinds.add(r.kind)
    assert kinds == set(RECORD_KINDS)


def test_the_rules_quote_the_seeds_word_for_word(site: Site) -> None:
    rules = {verdict(r, site).summary.rule for r in site.records.values()} - {None}
    assert len(rules) >= 2
    for rule in rules:
        quoted = re.findall(r"“([^”]+)”", rule)
        assert quoted, rule  # a rule is the seeds' sentence, not ours
        for q in quoted:
            assert q in SEEDS, q


def test_a_restricted_approval_names_its_institutions_its_period_and_the_next_change(
    site: Site,
) -> None:
    r = site.records["BMT-2026-001"]
    s = record_summary(site, r)
    assert s.label == "仅限名单内的医疗机构开展" and s.tone == "limited"
    assert s.places == tuple(r.institutions) and len(s.places) == 3
    assert s.when == "自 2026年6月15日 起，至 2031年6月15日"
    assert r.exclusive_until == date(2031, 6, 15)
    # from the status on every date: the period ends, and the next day others may file
    assert s.next_change is not None
    assert "限定期至 2031年6月15日" in s.next_change and "自 2031年6月16日 起" in s.next_change
    assert "仅限在参与该技术临床研究且符合条件的医疗机构内开展临床应用" in (s.rule or "")


def test_after_the_period_the_summary_opens_and_says_no_prohibition() -> None:
    later = build_site(check_registry(ROOT / "data", date(2027, 6, 1)))
    r = later.records["BMT-2026-002"]
    assert r.status.code == "open"
    s = record_summary(later, r)
    assert s.label == "符合条件的医疗机构可以开展" and s.tone == "yes"
    assert s.rule is None  # 规范 第二十条第二款 forbids no one here: it sets conditions
    assert "参照限制类医疗技术备案" in s.who
    assert s.when.startswith("自 2027年5月21日 起")


def test_listed_entries_delisted_entries_bans_and_projects_in_plain_words(site: Site) -> None:
    def s(rid: str) -> Summary:
        return record_summary(site, site.records[rid])

    assert s("GL-0004").label == "只能作为备案的临床研究开展，未批准临床应用"
    assert "规范 第二十条第三款" in (s("GL-0004").rule or "")
    assert s("GL-0003").links and s("GL-0003").links[0].url == "/approved/BMT-2026-001/"
    assert s("GL-0015").label == "仅在规定范围内紧急应用"
    assert "紧急应用期限至" in (s("GL-0015").next_change or "")
    assert s("GL-0002").label == "已调出清单，不再开展"
    assert s("BAN-0001").label == "禁止临床应用" and s("BAN-0001").tone == "no"
    assert s("BMT-2026-004").label == "暂停应用"
    assert s("CR-2026-0002").label == "应当终止研究"
    assert "应当及时终止研究" in s("CR-2026-0002").patient
    assert s("CR-2026-0001").places == tuple(site.records["CR-2026-0001"].institutions)


def test_the_next_change_comes_from_the_status_on_every_date(site: Site) -> None:
    """Move the boundary in the record's intervals: the summary's next change moves with it."""
    r = site.records["BMT-2026-002"]
    ivs = list(r.intervals)
    k = next(i for i, iv in enumerate(ivs) if iv.start > site.as_of)
    shift = timedelta(days=10)
    assert ivs[k - 1].end is not None
    ivs[k - 1] = replace(ivs[k - 1], end=ivs[k - 1].end + shift)
    ivs[k] = replace(ivs[k], start=ivs[k].start + shift)
    s = record_summary(site, replace(r, intervals=ivs))
    assert "限定期至 2027年5月30日" in (s.next_change or "")
    assert "自 2027年5月31日 起" in (s.next_change or "")
    assert s.when.endswith("至 2027年5月30日")


def test_the_contact_is_configurable_and_validated(site: Site) -> None:
    config = site.config.model_copy(update={"contact": "咨询：拨打 12345 政务服务便民热线"})
    other = replace(site, config=config)
    assert (
        record_summary(other, other.records["GL-0004"]).contact
        == "咨询：拨打 12345 政务服务便民热线"
    )
    base = {
        "title": "t",
        "authority": "a",
        "disclaimer": "d",
        "categories": [{"id": "x", "name": "y"}],
    }
    assert RegistryConfig.model_validate(base).contact == DEFAULT_CONTACT
    for bad in ("第一行\n第二行", "短", "长" * 301):
        with pytest.raises(pydantic.ValidationError):
            RegistryConfig.model_validate({**base, "contact": bad})
