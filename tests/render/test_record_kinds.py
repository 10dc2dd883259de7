"""Record pages by kind (issue 24): each kind's own parts are one template fragment,
`record_<kind>.html`, that record.html and list.html import by the record's kind; the research
fragment reads like a study record (ClinicalTrials.gov): sponsor, sites, filing, the guidance entry
with its status, summary, status with date and basis, history. Rendered from the sample data as of
2026-11-23 (GL-0002 delisted directly 2026-10-15, GL-0005 after review 2026-09-25)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sitekit import AS_OF, ROOT

from generator.domain.kinds import RECORD_KINDS, RESEARCH, SPECS
from generator.publish.lookup import check_index, expand
from generator.publish.pipeline import check_registry
from generator.publish.views import Site, build_site
from generator.render.jinja import TEMPLATES
from generator.render.pages import filed_under, record_search, site_pages
from generator.render.search import encode, keywords


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(check_registry(ROOT / "data", AS_OF))


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, str]:
    """Every generated page of the sample, rendered, by its source path."""
    return {p.src_uri: p.render() for p in site_pages(site)}


def text(html: str) -> str:
    """The page as a reader sees it: tags dropped, whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with id `anchor` to the next h2."""
    start = html.index(f'<h2 id="{anchor}">')
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else len(html)]


# --- one fragment per kind ----------------------------------------------------------------------


def test_every_record_kind_has_its_fragment_and_no_page_template_asks_for_a_kind() -> None:
    for kind in RECORD_KINDS:
        assert (TEMPLATES / f"record_{kind}.html").is_file(), kind
    for name in ("record.html", "list.html"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert not re.search(r"kind\s*[!=]=", source.replace("r.kind != kind", "")), name


def test_the_other_kinds_pages_keep_their_parts(pages: dict[str, str]) -> None:
    approved = pages["approved/BMT-2026-001.md"]
    for part in (
        "风险等级",
        "限定期至",
        "参与研究机构",
        "来源清单条目",
        'id="conditions"',
        "技术解读",
    ):
        assert part in approved, part
    guidance = pages["guidance-list/GL-0004.md"]
    for part in ("医学目的", "机制原理", 'id="filing"', "法律时间线（公告）"):
        assert part in guidance, part
    banned = text(pages["banned/BAN-0001.md"])
    assert "技术描述" in banned and "基本信息" in banned
    grades = pages["approved/index.md"]
    assert 'name="grade"' in grades and 'data-grade="high"' in grades and "批准日期" in grades


# --- the research record page -------------------------------------------------------------------


def test_a_project_page_reads_like_a_study_record(pages: dict[str, str]) -> None:
    html = pages["research/CR-2026-0002.md"]
    page = text(html)
    assert "临床研究备案项目 · CR-2026-0002" in page
    assert "人脐带间充质干细胞外周静脉输注治疗乙型肝炎相关失代偿期肝硬化的单臂临床研究" in page
    fields = text(section(html, "fields"))
    for part in (
        "项目概况",
        "备案编号 示例备-2026-0102",
        "备案日期 2026年7月20日",
        "临床研究发起机构 示例市第一人民医院",
        "临床研究机构 示例市第一人民医院",
        "所依据的清单条目 人脐带间充质干细胞治疗失代偿期肝硬化技术 （GL-0002） 已调出（直接调出），自 2026年10月15日 起",
        "适应症 乙型肝炎相关失代偿期肝硬化（Child-Pugh B 级）",
    ):
        assert part in fields, part
    assert 'href="/guidance-list/GL-0002/"' in section(html, "fields")
    assert "项目简介" in page and "MELD 评分" in text(section(html, "summary"))
    # status with its date and basis, in the seeds' words
    assert "当前状态：应当终止 ，自 2026年10月15日 起" in page
    assert "应当及时终止研究，并妥善保障已开展研究受试者的权益" in page
    assert "界定指导原则 二（二）2（1）" in page
    # no field of another kind
    for other in ("风险等级", "限定期", "医学目的", "技术描述", "基本信息"):
        assert other not in page, other
    assert "不是真实的备案" in page and "不是真实的审批" not in page


def test_a_project_history_holds_its_filing_its_reports_and_the_delisting_consequence(
    pages: dict[str, str],
) -> None:
    ended = text(section(pages["research/CR-2026-0006.md"], "timeline"))
    assert ended.startswith("研究历程")
    filed = ended.index("2026年6月15日 备案 · 示例省人民医院备案，备案编号 示例备-2026-0106")
    consequence = ended.index("2026年10月15日 后果 应当及时终止研究（来源清单条目直接调出的后果）")
    terminated = ended.index("2026年10月28日 终止研究 · 备案机构报告")
    assert filed < consequence < terminated
    assert "国家卫生健康委公告 2026年第10号" in ended and "没有点名本项目" in ended
    continued = text(section(pages["research/CR-2026-0004.md"], "timeline"))
    assert "2026年9月25日 后果 应重新进行伦理审查评估（来源清单条目论证后调出的后果）" in continued
    assert "2026年11月6日 经重新伦理审查继续实施 · 备案机构报告" in continued
    assert "法律时间线" not in continued


def test_every_status_of_the_sample_projects_is_shown_with_its_date(
    site: Site, pages: dict[str, str]
) -> None:
    found = {r.status.code for r in site.by_kind("research")}
    assert found == set(RESEARCH.statuses)
    for r in site.by_kind("research"):
        page = text(pages[f"research/{r.id}.md"])
        assert f"当前状态：{r.status_label} ，自 {r.status.since.year}年" in page, r.id
    assert "经重新伦理审查评估，继续实施" in text(pages["research/CR-2026-0004.md"])


def test_the_print_sheet_names_sponsor_sites_filing_and_entry(pages: dict[str, str]) -> None:
    html = pages["research/CR-2026-0003.md"]
    sheet = text(html[html.index('class="reg-sheet"') : html.index("</section>")])
    for part in (
        "项目名称 视网膜下注射AAV2-RPE65",
        "临床研究发起机构 示例大学附属第二医院",
        "临床研究机构 示例大学附属第二医院、示例省人民医院",
        "备案 2026年6月22日；备案编号 示例备-2026-0103",
        "（GL-0005）；已调出（论证后调出），自 2026年9月25日 起",
    ):
        assert part in sheet, part


# --- the entry's page, the list, the home page --------------------------------------------------


def test_an_entry_page_lists_the_projects_filed_under_it(pages: dict[str, str]) -> None:
    listed = section(pages["guidance-list/GL-0005.md"], "research")
    rows = re.findall(r'href="/research/(CR-\d{4}-\d{4})/"', listed)
    assert rows == ["CR-2026-0004", "CR-2026-0003"]  # oldest filing first
    assert "须重新伦理审查" in listed and "进行中" in listed and "示例省人民医院" in listed
    assert "二（二）2" in listed
    ended = section(pages["guidance-list/GL-0002.md"], "research")
    assert "应当终止" in ended and "已终止" in ended
    none = text(section(pages["guidance-list/GL-0004.md"], "research"))
    assert "尚未收录按本条目备案的临床研究项目" in none


def test_an_approval_grown_from_the_entry_lists_no_projects(pages: dict[str, str]) -> None:
    # BMT-2026-006 grew out of GL-0001, under which CR-2026-0001 was filed
    assert "/research/CR-2026-0001/" in pages["guidance-list/GL-0001.md"]
    approved = pages["approved/BMT-2026-006.md"]
    assert "/research/" not in approved and 'id="research"' not in approved


def test_filed_under_groups_by_entry_oldest_first(site: Site) -> None:
    by_entry = {g: [p.id for p in ps] for g, ps in filed_under(site).items()}
    assert by_entry == {
        "GL-0001": ["CR-2026-0001"],
        "GL-0002": ["CR-2026-0006", "CR-2026-0002"],
        "GL-0005": ["CR-2026-0004", "CR-2026-0003"],
        "GL-0008": ["CR-2026-0005"],
    }


def test_the_research_list_has_its_columns_and_filters(pages: dict[str, str]) -> None:
    html = pages["research/index.md"]
    head = text(html[html.index("<thead>") : html.index("</thead>")])
    assert head == "编号 项目名称 清单条目 临床研究发起机构 状态 状态日期"
    assert "临床研究发起机构参照《备案指导清单》自主界定后" in text(html)  # the spec's list_intro
    options = re.findall(r'<option value="([a-z_]+)">', html)
    assert options == list(RESEARCH.statuses)
    assert re.findall(r'<option value="(GL-\d{4})">', html) == [
        "GL-0001",
        "GL-0002",
        "GL-0005",
        "GL-0008",
    ]
    row = re.search(r'<tr data-status="terminate_required"[^>]*>', html)
    assert row is not None and 'data-entry="GL-0002"' in row.group(0)
    assert "示例备-2026-0102" in row.group(0) and "示例市第一人民医院" in row.group(0)
    assert len(re.findall(r'<tr data-status="', html)) == 6


def test_the_home_page_has_a_research_card(pages: dict[str, str]) -> None:
    home = text(pages["index.md"])
    card = re.search(r"临床研究备案项目 6 (.*?)(最新公告|临床研究备案项目)", home)
    assert card is not None
    for count in ("进行中 2", "须重新伦理审查 1", "应当终止 1", "已结束 1", "已终止 1"):
        assert count in card.group(1), count
    assert 'href="/research/"' in pages["index.md"]


# --- search and /check/ -------------------------------------------------------------------------


def test_a_project_is_searched_by_title_id_filing_number_sponsor_and_institutions(
    site: Site, pages: dict[str, str]
) -> None:
    r = site.records["CR-2026-0003"]
    search = record_search(site, r)
    kn, kw = set(search["kn"].split()), set(search["kw"].split())
    tokens = kn | kw

    def found(query: str) -> bool:
        words = keywords(query).split()
        return bool(words) and all(any(t.startswith(encode(w)) for t in tokens) for w in words)

    for query in (
        "CR-2026-0003",
        "AAV2-RPE65",
        "剂量探索研究",
        "示例备-2026-0103",
        "示例大学附属第二医院",
    ):
        assert found(query), query
    assert found("示例省人民医院")  # an institution
    assert encode("2026-0103") in kn  # the filing number weighs as much as a name
    assert search["research"] == "备案所依据的清单条目：GL-0005 已调出"
    assert search["indexed"]
    html = pages["research/CR-2026-0003.md"]
    assert 'data-pagefind-filter="类型:临床研究备案项目"' in html
    assert 'data-pagefind-filter="状态:须重新伦理审查"' in html


def test_check_answers_a_project_by_id_with_its_verdict_only(site: Site) -> None:
    index = check_index(site)
    entries = {e["id"]: e for e in index["records"]}
    project = entries["CR-2026-0002"]
    assert "participant" not in project and "other" not in project  # no institution facet
    verdict = expand(index, project["verdict"])
    assert verdict["code"] == "terminate_required"
    assert "应当及时终止研究" in verdict["headline"]


def test_the_check_page_says_what_a_project_id_answers(pages: dict[str, str]) -> None:
    page = text(pages["check/index.md"])
    assert "输入项目编号或名称" in page and "CR-2026-0002" in page
    assert (
        "应当及时终止研究，并妥善保障已开展研究受试者的权益（界定指导原则 二（二）2（1））" in page
    )
    assert "/research/" in pages["check/index.md"]


def test_every_status_badge_has_its_colour() -> None:
    """A badge without its rule is plain black on white: 应当终止 would look like 已结束."""
    css = (ROOT / "site_src/assets/registry.css").read_text(encoding="utf-8")
    missing = [
        code
        for s in SPECS
        for code in s.statuses
        if not re.search(rf"\.reg-status-{code}\b[^{{]*\{{[^}}]*background", css)
    ]
    assert missing == []
