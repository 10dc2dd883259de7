"""Single-file models: what one file can tell on its own (DESIGN.md, Data), as catalogue codes."""

from __future__ import annotations

from typing import Any

import pytest

from generator.domain.fields import safe_link
from generator.domain.kinds import id_kind
from generator.domain.models import (
    Announcement,
    ApprovedTechnology,
    BannedTechnology,
    Conditions,
    GuidanceEntry,
    Reference,
    RegistryConfig,
    RiskGrades,
)
from generator.load.documents import Document
from generator.validate.schema import parse_model

GUIDANCE = {
    "id": "GL-0001",
    "name": "名称",
    "category": "cell-therapy",
    "purpose": "目的",
    "mechanism": "机制",
}
APPROVED = {
    "id": "BMT-2026-001",
    "name": "名称",
    "category": "cell-therapy",
    "guidance_entry": "GL-0001",  # required: only listed technologies enter approval (规范 第三条)
    "applicant": "某某医院",
}
CONDITIONS = {
    "id": "BMT-2026-001",
    "institution": ["条件"],
    "personnel": ["人员"],
    "operating_spec": "规范",
}
BANNED = {"id": "BAN-0001", "name": "名称", "category": "other", "description": "描述"}
ANNOUNCEMENT = {
    "id": "ANN-2026-001",
    "number": "国家卫生健康委公告 2026年第1号",
    "title": "标题",
    "date": "2026-06-15",
    "body": "正文",
    "actions": [{"action": "list", "record": "GL-0001"}],
}


def found(model: type, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(catalogue code, field path) of every problem, as `registry validate` reports them."""
    _obj, problems = parse_model(Document("f.yaml", data=data), model)
    return [(p.code, p.path) for p in problems]


def codes(model: type, data: dict[str, Any]) -> list[str]:
    return [c for c, _ in found(model, data)]


def with_action(**action: Any) -> dict[str, Any]:
    return {**ANNOUNCEMENT, "actions": [action]}


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (GuidanceEntry, GUIDANCE),
        (ApprovedTechnology, APPROVED),
        (Conditions, CONDITIONS),
        (BannedTechnology, BANNED),
        (Announcement, ANNOUNCEMENT),
        (RiskGrades, {"grades": [{"id": "high", "name": "高风险", "exclusive_years": 5}]}),
        (
            RegistryConfig,
            {
                "title": "t",
                "authority": "a",
                "disclaimer": "d",
                "categories": [{"id": "x", "name": "y"}],
            },
        ),
    ],
)
def test_minimal_files_are_valid_and_sample_is_allowed_everywhere(
    model: type, data: dict[str, Any]
) -> None:
    assert found(model, data) == []
    assert model.model_validate({**data, "sample": True}).sample is True
    assert codes(model, {**data, "unknown": 1}) == ["E201"]


def test_unknown_key_in_nested_models() -> None:
    assert found(GuidanceEntry, {**GUIDANCE, "references": [{"title": "t", "link": "x"}]}) == [
        ("E201", "references[0].link")
    ]
    assert found(Announcement, with_action(action="list", record="GL-0001", reason="x")) == [
        ("E201", "actions[0].reason")
    ]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("GL-0001", "guidance"),
        ("BMT-2026-001", "approved"),
        ("BAN-0001", "banned"),
        ("ANN-2026-001", "announcement"),
    ],
)
def test_id_kind(value: str, kind: str) -> None:
    assert id_kind(value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "GL-1",
        "GL-00001",
        "gl-0001",
        "GL-０００１",
        "GL-٠٠٠١",
        "GL-0001\n",
        " GL-0001",
        "BMT-26-001",
        "BAN-0001x",
        "",
    ],
)
def test_bad_ids(value: str) -> None:
    assert id_kind(value) is None
    assert codes(GuidanceEntry, {**GUIDANCE, "id": value}) == ["E204"]
    assert codes(Announcement, with_action(action="list", record=value)) == ["E204"]


def test_id_of_the_wrong_kind() -> None:
    assert codes(ApprovedTechnology, {**APPROVED, "id": "GL-0001"}) == ["E204"]
    assert codes(ApprovedTechnology, {**APPROVED, "guidance_entry": "BMT-2026-001"}) == ["E204"]
    assert codes(Announcement, with_action(action="list", record="ANN-2026-001")) == ["E204"]


@pytest.mark.parametrize(
    "value",
    ["2026-02-30", "2027-02-29", "2026-13-01", "2026-6-15", "15/06/2026", "2026-06-15T10:00", ""],
)
def test_impossible_dates(value: str) -> None:
    assert codes(Announcement, {**ANNOUNCEMENT, "date": value}) == ["E205"]


def test_dates_that_exist() -> None:
    assert (
        str(Announcement.model_validate({**ANNOUNCEMENT, "date": "2028-02-29"}).date)
        == "2028-02-29"
    )
    assert codes(Announcement, {**ANNOUNCEMENT, "date": 20260615}) == ["E205"]
    assert codes(Conditions, {**CONDITIONS, "effective": "2026-02-30"}) == ["E205"]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "ftp://example.com/x",
        "//example.com/x",
        "/relative/path",
        "https://",
        "https://exa mple.com",
        "mailto:a@example.com",
        " javascript:x",
    ],
)
def test_reference_urls_must_be_http(url: str) -> None:
    assert codes(Reference, {"title": "t", "url": url}) == ["E206"]


@pytest.mark.parametrize(
    "url", ["https://www.nhc.gov.cn/", "http://example.com/a?b=1&c=<x>", "HTTPS://EXAMPLE.COM"]
)
def test_reference_urls_accepted(url: str) -> None:
    assert found(Reference, {"title": "t", "url": url}) == []


BAD_MARKDOWN = [
    "详见[说明](javascript:alert(1))。",
    "[x]( JavaScript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "![图](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)",
    "[x](//evil.example/)",
    "[x](javascript&#58;alert(1))",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "> 引用 [x][r]\n>\n> [r]: javascript:alert(1)",
    "- 条目 [x][r]\n\n- [r]: javascript:alert(1)",
    "| a |\n|---|\n| [x](javascript:alert(1)) |",
    "[a](https://ok.example/) 和 [b](javascript:alert(1))",
]


@pytest.mark.parametrize("text", BAD_MARKDOWN)
def test_unsafe_markdown_links(text: str) -> None:
    assert codes(ApprovedTechnology, {**APPROVED, "summary": text}) == ["E209"]
    assert codes(Conditions, {**CONDITIONS, "institution": ["条件", text]}) == ["E209"]


@pytest.mark.parametrize(
    "text",
    [
        "[规范](https://www.nhc.gov.cn/) 与 [站内](/approved/BMT-2026-001/) 与 [锚点](#section)",
        "<https://www.nhc.gov.cn/>",
        "a < b && c > d <script>alert(1)</script>",  # raw HTML is escaped by the renderer, not refused
        "| 分级 | 处置 |\n|---|---|\n| 1 级 | 对症 |",
        "[r]: https://example.com/ref\n\n见 [r]。",
    ],
)
def test_safe_markdown(text: str) -> None:
    assert found(ApprovedTechnology, {**APPROVED, "summary": text}) == []


def test_markdown_link_checks_cover_every_markdown_field() -> None:
    bad = "[x](javascript:alert(1))"
    assert codes(GuidanceEntry, {**GUIDANCE, "filing_requirements": bad}) == ["E209"]
    assert codes(Conditions, {**CONDITIONS, "operating_spec": bad}) == ["E209"]
    assert codes(Conditions, {**CONDITIONS, "management": [bad]}) == ["E209"]
    assert codes(Conditions, {**CONDITIONS, "training_qc": [bad]}) == ["E209"]
    assert codes(Conditions, {**CONDITIONS, "personnel": [bad]}) == ["E209"]
    assert codes(Announcement, {**ANNOUNCEMENT, "body": bad}) == ["E209"]


def test_safe_link() -> None:
    assert safe_link("https://x.example/") and safe_link("/a/") and safe_link("#top")
    assert (
        not safe_link("//x.example/")
        and not safe_link("javascript:1")
        and not safe_link("mailto:a@b")
    )


def test_text_accepts_any_unicode() -> None:
    name = "<script>&amp;\"'名称'</script>"
    assert GuidanceEntry.model_validate({**GUIDANCE, "name": name}).name == name


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "\n"])
def test_blank_required_text(blank: str) -> None:
    assert codes(GuidanceEntry, {**GUIDANCE, "name": blank}) == ["E208"]


def test_type_errors() -> None:
    assert codes(GuidanceEntry, {**GUIDANCE, "name": True}) == ["E203"]
    assert codes(GuidanceEntry, {**GUIDANCE, "name": 2026}) == ["E203"]
    assert codes(GuidanceEntry, {**GUIDANCE, "aliases": "CAR-T"}) == ["E203"]
    assert codes(RiskGrades, {"grades": [{"id": "h", "name": "n", "exclusive_years": "5"}]}) == [
        "E203"
    ]
    assert codes(RiskGrades, {"grades": [{"id": "h", "name": "n", "exclusive_years": 5.0}]}) == [
        "E203"
    ]
    assert codes(RiskGrades, {"grades": [{"id": "h", "name": "n", "exclusive_years": True}]}) == [
        "E203"
    ]


def test_missing_required_fields() -> None:
    for model, data in (
        (GuidanceEntry, GUIDANCE),
        (ApprovedTechnology, APPROVED),
        (BannedTechnology, BANNED),
        (Conditions, CONDITIONS),
        (Announcement, ANNOUNCEMENT),
    ):
        for key in data:
            reduced = {k: v for k, v in data.items() if k != key}
            assert found(model, reduced) == [("E202", key)], (model.__name__, key)


def test_category_is_a_slug() -> None:
    assert codes(GuidanceEntry, {**GUIDANCE, "category": "Cell Therapy"}) == ["E207"]


def test_duplicate_list_items() -> None:
    assert codes(GuidanceEntry, {**GUIDANCE, "aliases": ["CAR-T", "CAR-T"]}) == ["E210"]
    assert codes(GuidanceEntry, {**GUIDANCE, "indications": ["a", "b", "a"]}) == ["E210"]
    assert codes(
        Announcement,
        with_action(
            action="approve", record="BMT-2026-001", risk_grade="high", institutions=["甲", "甲"]
        ),
    ) == ["E210"]


def test_conditions_need_at_least_one_item() -> None:
    assert codes(Conditions, {**CONDITIONS, "institution": []}) == ["E208"]
    assert codes(Conditions, {**CONDITIONS, "personnel": []}) == ["E208"]


# --- actions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        {"action": "list", "record": "GL-0001"},
        {"action": "delist", "record": "GL-0001", "route": "direct", "ground": "prohibited_by_law"},
        {
            "action": "delist",
            "record": "GL-0001",
            "route": "after_review",
            "ground": "technology_approved",
        },
        {"action": "retain", "record": "GL-0001", "note": "n"},
        {"action": "emergency_use", "record": "GL-0001", "scope": "s", "until": "2026-12-31"},
        {
            "action": "approve",
            "record": "BMT-2026-001",
            "risk_grade": "high",
            "institutions": ["甲"],
        },
        {"action": "open", "record": "BMT-2026-001", "note": "n"},
        {"action": "suspend", "record": "BMT-2026-001", "ground": "social_stability"},
        {"action": "resume", "record": "BMT-2026-001"},
        {"action": "ban", "record": "BAN-0001", "ground": "理由"},
        {"action": "amend", "record": "BAN-0001", "note": "n"},
    ],
)
def test_every_action_of_the_table(action: dict[str, Any]) -> None:
    assert found(Announcement, with_action(**action)) == []


@pytest.mark.parametrize(
    ("route", "ground"),
    [
        (r, g)
        for r, gs in (
            ("direct", ("drug_approved", "device_approved", "technology_approved")),
            (
                "after_review",
                (
                    "prohibited_by_law",
                    "major_ethics_issue",
                    "major_safety_efficacy_issue",
                    "uncontrollable_risk",
                ),
            ),
        )
        for g in gs
    ],
)
def test_delist_ground_must_fit_route(route: str, ground: str) -> None:
    data = with_action(action="delist", record="GL-0001", route=route, ground=ground)
    assert codes(Announcement, data) == ["E406"]


def test_action_field_errors() -> None:
    assert codes(Announcement, with_action(action="promote", record="GL-0001")) == ["E207"]
    assert codes(Announcement, with_action(record="GL-0001")) == ["E202"]
    assert codes(
        Announcement,
        with_action(action="delist", record="GL-0001", route="sideways", ground="drug_approved"),
    ) == ["E207"]
    assert codes(
        Announcement, with_action(action="suspend", record="BMT-2026-001", ground="bad")
    ) == ["E207"]
    assert codes(
        Announcement,
        with_action(action="approve", record="BMT-2026-001", risk_grade="high", institutions=[]),
    ) == ["E208"]
    assert codes(
        Announcement,
        with_action(action="emergency_use", record="GL-0001", scope="s", until="2026-02-30"),
    ) == ["E205"]
    assert codes(Announcement, {**ANNOUNCEMENT, "actions": []}) == ["E208"]
