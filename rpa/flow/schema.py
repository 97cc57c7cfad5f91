"""The flow JSON Schema, for editors: completion and inline errors while writing YAML."""

from __future__ import annotations

from typing import Any

from rpa.flow.model import Flow

SCHEMA_ID = "https://smartlab.example/flow.schema.json"


def flow_schema(activity_names: list[str] | None = None) -> dict[str, Any]:
    schema = Flow.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "SmartLab flow"
    if activity_names:
        step = schema["$defs"]["Step"]["properties"]["activity"]
        step["examples"] = activity_names
        step["description"] = "the activity to call, `area.verb` (see `smartlab activities`)"
    return schema
