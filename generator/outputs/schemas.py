"""`registry schema`: JSON Schemas generated from the models, for editors' YAML language servers.

The models give the structure; this module adds what an editor shows a person, in Chinese: a title
and description for every file (its kind's `description` in domain/kinds.py) and every field
(vocabulary.FIELD_LABELS, as a kind names them, and the models' descriptions), and for every
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

from generator.domain.kinds import FILES
from generator.domain.models import (
    RESEARCH_EVENTS,
    TOP_FILES,
    Conditions,
    Strict,
    VersionedConditions,
)
from generator.domain.vocabulary import (
    ACTION_LABELS,
    GROUND_LABELS,
    RESEARCH_EVENT_LABELS,
    ROUTE_LABELS,
)
from generator.history.diff_text import field_labels
from generator.load.documents import load_file

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"
# schema file stem → title: the two top-level files here, every folder's from its kind's spec
FILE_TITLES = {
    "registry": "站点信息与分类（data/registry.yaml）",
    "risk-grades": "风险等级（data/risk-grades.yaml，规范 第二十条第二款）",
    **{s.folder: s.description for s in FILES},
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
        "event": {e: RESEARCH_EVENT_LABELS[e] for e in RESEARCH_EVENTS},
    }
    if categories:
        vocab["category"] = dict(categories)
    return vocab


def _label(node: dict[str, Any], name: str, labels: dict[str, str]) -> None:
    label = labels.get(name)
    if label is None:
        return
    node["title"] = label
    desc = node.get("description")
    if not desc or desc.startswith(label):  # the model's description names it already
        node["description"] = desc or label
    else:
        node["description"] = f"{label}：{desc}"


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


def _annotate(node: Any, vocab: dict[str, dict[str, str]], labels: dict[str, str]) -> None:
    """Titles, descriptions and value names: `labels` for the fields of `node` itself (the file's
    model names them), the shared labels for everything nested (references, events …)."""
    if isinstance(node, list):
        for item in node:
            _annotate(item, vocab, labels)
        return
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        _label(prop, name, labels)
        names = vocab.get(name)
        if names is not None:
            targets = [prop, *(b for b in prop.get("anyOf", []) if isinstance(b, dict))]
            for target in targets:
                if "const" in target and name == "action":
                    target["description"] = f"{target['const']}：{names.get(target['const'], '')}"
                elif target.get("type") == "string":
                    _enum(target, names, name)
    nested = field_labels()
    for key, value in node.items():
        if key != "properties":
            _annotate(value, vocab, nested)
        else:
            for prop in value.values():
                _annotate(prop, vocab, nested)


DEFINITION_TITLES = {  # models used inside a file, by class name
    "Reference": "参考文献",
    "Category": "分类",
    "RiskGrade": "风险等级",
    "ResearchEvent": "研究进展事件",
}


def _definition_titles(doc: dict[str, Any]) -> None:
    for name, definition in (doc.get("$defs") or {}).items():
        action = (definition.get("properties") or {}).get("action", {}).get("const")
        if action is not None:
            definition["title"] = f"{action}：{ACTION_LABELS.get(action, '')}"
            definition["description"] = f"公告行为 {action}（{ACTION_LABELS.get(action, '')}）"
        elif name in DEFINITION_TITLES:
            definition["title"] = DEFINITION_TITLES[name]
            definition.pop("description", None)


def schema_documents(data_dir: Path | None = None) -> dict[str, dict]:
    """File name → JSON Schema, one per file kind of the contract, annotated in Chinese."""
    vocab = _vocabularies(data_dir)
    docs: dict[str, tuple[type[Strict], dict]] = {}
    for name, model in TOP_FILES.items():
        docs[name.replace(".yaml", ".schema.json")] = (model, model.model_json_schema())
    for spec in FILES:
        docs[f"{spec.folder}.schema.json"] = (spec.model, spec.model.model_json_schema())
    # a conditions file is either versioned or the single-version shorthand (DESIGN.md)
    both = TypeAdapter(VersionedConditions | Conditions).json_schema()
    docs["conditions.schema.json"] = (Conditions, both)
    for name, (model, doc) in docs.items():
        _annotate(doc, vocab, field_labels(model))
        _definition_titles(doc)
        stem = name.removesuffix(".schema.json")
        doc["title"] = FILE_TITLES[stem]
        doc["description"] = f"{doc['title']}。由 registry schema 根据 {_source(model)} 生成。"
        doc["$schema"] = SCHEMA_URL
        doc["$id"] = name
    return {name: doc for name, (_model, doc) in docs.items()}


def _source(model: type[Strict]) -> str:
    """The module that defines `model`, as a path from the project root (generator/domain/…)."""
    return model.__module__.replace(".", "/") + ".py"


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
