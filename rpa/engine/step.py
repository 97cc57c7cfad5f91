"""Calling one activity: render its arguments, check their types, call, translate failures.

Whatever an activity raises leaves here as an ActivityError: its own BusinessError or
ApplicationError unchanged, anything unexpected as an ApplicationError (retry may help).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from jinja2 import TemplateError
from pydantic import ValidationError

from rpa.activities.context import Context, SetVars
from rpa.activities.spec import ActivitySpec
from rpa.errors import ActivityError, ApplicationError, BusinessError, Suspended
from rpa.flow.compiler import CompiledStep

_PLAIN = (str, int, float, bool, type(None))


def render_args(step: CompiledStep, scope: Mapping[str, Any]) -> dict[str, Any]:
    try:
        raw = step.render_args(scope)
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise BusinessError(f"{step.label}: expression failed: {exc}") from exc
    return check_args(step.spec, raw)


def check_args(spec: ActivitySpec, raw: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for key, value in raw.items():
        param = spec.params.get(key)
        if param is None:
            args[key] = value
            continue
        try:
            args[key] = param.adapter.validate_python(value)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"]
            raise BusinessError(f"{spec.name}: parameter '{key}' expects {param.type_name}: {reason}") from exc
    return args


def call(spec: ActivitySpec, args: dict[str, Any], ctx: Context | None) -> Any:
    try:
        if spec.takes_context:
            return spec.func(ctx, **args)
        return spec.func(**args)
    except (ActivityError, Suspended):
        raise
    except Exception as exc:  # an activity's own bug or a library's failure: system trouble
        raise ApplicationError(f"{spec.name}: {type(exc).__name__}: {exc}") from exc


def jsonable(value: Any) -> Any:
    """The value as it will read back from the store (paths become strings, tuples lists)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, dict) and all(isinstance(v, _PLAIN) for v in value.values()):
        return type(value)(value) if isinstance(value, SetVars) else dict(value)
    data = json.loads(json.dumps(value, default=str, ensure_ascii=False))
    return SetVars(data) if isinstance(value, SetVars) else data
