"""`registry schema`: JSON Schemas generated from the models, for editors' YAML language servers."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .models import RECORD_DIRS, TOP_FILES, Conditions, VersionedConditions

SCHEMA_URL = "https://json-schema.org/draft/2020-12/schema"


def schema_documents() -> dict[str, dict]:
    """File name → JSON Schema, one per file kind of the contract."""
    docs: dict[str, dict] = {}
    for name, model in TOP_FILES.items():
        docs[name.replace(".yaml", ".schema.json")] = model.model_json_schema()
    for dirname, (_kind, model) in RECORD_DIRS.items():
        docs[f"{dirname}.schema.json"] = model.model_json_schema()
    # a conditions file is either versioned or the single-version shorthand (DESIGN.md)
    both = TypeAdapter(VersionedConditions | Conditions).json_schema()
    docs["conditions.schema.json"] = both
    for name, doc in docs.items():
        doc["$schema"] = SCHEMA_URL
        doc["$id"] = name
    return docs


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in schema_documents().items():
        path = out / name
        path.write_text(
            json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(path)
    return written
