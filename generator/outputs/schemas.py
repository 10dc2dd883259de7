"""`registry schema`: JSON Schemas generated from the models, for editors' YAML language servers.

The models give the structure; this module adds what an editor shows a person, in Chinese: a title
and description for every field (models.FIELD_LABELS and the models' descriptions), and for every
closed list of values the Chinese name of each value (`enumDescriptions` and
`markdownEnumDescriptions`, which the VS Code YAML extension shows in its completion list), so that
typing `risk_grade: ` offers high 高风险 · medium 中风险 · low 低风险. Risk grades and categories
come from `data/` when it is readable (they are vocabularies of the data); the schemas in `schemas/`
are committed, and a test checks that they equal what `registry schema` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from generator.domain.kinds import RECORD_DIRS
from generator.domain.models import TOP_FILES, Conditions, VersionedConditions
from generator.domain.vocabulary import ACTION_LABELS, FIELD_LABELS, GROUND_LABELS, ROUTE_LABELS
from generator.load.documents import load_file

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"
FILE_TITLES = {
    "registry": "站点信息与分类（data/registry.yaml）",
    "risk-grades": "风险等级（data/risk-grades.yaml，规范 第二十条第二款）",
    "guidance-list": "备案指导清单条目（界定指导原则 二(二)）",
    "approved": "已批准临床转化应用的技术（规范 第十七条）",
    "conditions": "技术条件与临床应用操作规范（规范 第十四条、第十七条）",
    "banned": "禁止临床应用的技术（规范 第二十三条；界定指导原则 二(一)1）",
    "announcements": "公告：批准、调出、暂停、禁止等行为都由公告发布",
}
# the law's three grades (规范 第二十条第二款), when data/risk-grades.yaml cannot be read
DEFAULT_GRADES = [("high", "高风险", 5), ("medium", "中风险", 3), ("low", "低风险", 1)]


def _vocabularies(data_dir: Path | None) -> dict[str, dict[str, str]]:
    """Field name → {value: Chinese name} for the closed lists of values."""
    grades = DEFAULT_GRADES
    categories: list[tuple[str, str]] = []
    if data_dir is not None:
        raw = load_file(data_dir / "risk-grades.yaml").data
        if isinstance(raw, dict) and isinstance(raw.get("grades"), list):
            found = [
                (str(g["id"]), str(g.get("name", "")), g.get("exclusive_years", "?"))
                for g in raw["grades"]
                if isinstance(g, dict) and "id" in g
            ]
            grades = found or grades
        raw = load_file(data_dir / "registry.yaml").data
        if isinstance(raw, dict) and isinstance(raw.get("categories"), list):
            categories = [
                (str(c["id"]), str(c.get("name", "")))
                for c in raw["categories"]
                if isinstance(c, dict) and "id" in c
            ]
    vocab = {
        "risk_grade": {
            g: f"{name}（批准后 {years} 年内仅限参与研究机构）" for g, name, years in grades
        },
        "route": dict(ROUTE_LABELS),
        "ground": dict(GROUND_LABELS),
        "action": dict(ACTION_LABELS),
    }
    if categories:
        vocab["category"] = dict(categories)
    return vocab


def _label(node: dict[str, Any], name: str) -> None:
    label = FIELD_LABELS.get(name)
    if label is None:
        return
    node["title"] = label
    desc = node.get("description")
    node["description"] = label if not desc or desc == label else f"{label}：{desc}"


OPEN_IN_MODEL = ("category", "risk_grade")  # slugs in the models, closed lists in the data


def _enum(node: dict[str, Any], names: dict[str, str], name: str) -> None:
    """A closed list: every value with its Chinese name, as the YAML extension shows them."""
    values = node.get("enum")
    if values is None and name in OPEN_IN_MODEL and "pattern" in node:
        values = list(names)  # a vocabulary of the data (category, risk grade): offer its values
        node.pop("pattern")
        node["enum"] = values
        node["description"] = f"{node.get('title', name)}（可选值及其中文名见补全列表）"
    if values is None:
        return
    node["enumDescriptions"] = [names.get(v, "") for v in values]
    node["markdownEnumDescriptions"] = [f"**{v}**：{names.get(v, '')}" for v in values]


def _annotate(node: Any, vocab: dict[str, dict[str, str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _annotate(item, vocab)
        return
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        _label(prop, name)
        names = vocab.get(name)
        if names is not None:
            targets = [prop, *(b for b in prop.get("anyOf", []) if isinstance(b, dict))]
            for target in targets:
                if "const" in target and name == "action":
                    target["description"] = f"{target['const']}：{names.get(target['const'], '')}"
                elif target.get("type") == "string":
                    _enum(target, names, name)
    for key, value in node.items():
        if key != "properties":
            _annotate(value, vocab)
        else:
            for prop in value.values():
                _annotate(prop, vocab)


def _action_titles(doc: dict[str, Any]) -> None:
    for name, definition in (doc.get("$defs") or {}).items():
        action = (definition.get("properties") or {}).get("action", {}).get("const")
        if action is not None:
            definition["title"] = f"{action}：{ACTION_LABELS.get(action, '')}"
            definition["description"] = f"公告行为 {action}（{ACTION_LABELS.get(action, '')}）"
        elif name in ("Reference", "Category", "RiskGrade"):
            definition["title"] = {
                "Reference": "参考文献",
                "Category": "分类",
                "RiskGrade": "风险等级",
            }[name]
            definition.pop("description", None)


def schema_documents(data_dir: Path | None = None) -> dict[str, dict]:
    """File name → JSON Schema, one per file kind of the contract, annotated in Chinese."""
    vocab = _vocabularies(data_dir)
    docs: dict[str, dict] = {}
    for name, model in TOP_FILES.items():
        docs[name.replace(".yaml", ".schema.json")] = model.model_json_schema()
    for dirname, (_kind, model) in RECORD_DIRS.items():
        docs[f"{dirname}.schema.json"] = model.model_json_schema()
    # a conditions file is either versioned or the single-version shorthand (DESIGN.md)
    both = TypeAdapter(VersionedConditions | Conditions).json_schema()
    docs["conditions.schema.json"] = both
    for name, doc in docs.items():
        _annotate(doc, vocab)
        _action_titles(doc)
        stem = name.removesuffix(".schema.json")
        doc["title"] = FILE_TITLES.get(stem, stem)
        doc["description"] = doc["title"] + "。由 registry schema 根据 generator/models.py 生成。"
        doc["$schema"] = SCHEMA_URL
        doc["$id"] = name
    return docs


def write_schemas(out: Path, data_dir: Path | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in schema_documents(data_dir).items():
        path = out / name
        path.write_text(
            json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written
