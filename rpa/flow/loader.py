"""Load a flow file: YAML -> Source -> validated `Flow`, every error with its line and column."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rpa.errors import FlowError, FlowErrors
from rpa.flow.model import Flow, State, Step
from rpa.flow.source import DataPath, Source, parse_source, read_source
from rpa.settings import integer

_FIELDS: dict[str, set[str]] = {
    "flow": {f.alias or n for n, f in Flow.model_fields.items()},
    "state": {f.alias or n for n, f in State.model_fields.items()},
    "step": {f.alias or n for n, f in Step.model_fields.items()},
}


def load_flow(path: str | Path) -> tuple[Flow, Source]:
    return build_flow(read_source(path))


def load_flow_text(text: str, path: str = "<string>") -> tuple[Flow, Source]:
    return build_flow(parse_source(text, path))


def build_flow(source: Source) -> tuple[Flow, Source]:
    if not isinstance(source.data, dict):
        raise source.error("a flow file must be a mapping with 'flow:' and 'states:'", ())
    _check_size(source)
    try:
        return Flow.model_validate(source.data), source
    except ValidationError as exc:
        errors = [_flow_error(source, e) for e in exc.errors()]
        raise FlowErrors(sorted(errors, key=lambda e: (e.location.line, e.location.col))) from None


def _check_size(source: Source) -> None:
    """States and steps are bounded before validation, which would build a model of each."""
    states = source.data.get("states")
    if not isinstance(states, dict):
        return
    if len(states) > (limit := integer("SMARTLAB_FLOW_MAX_STATES")):
        raise source.error(f"more than {limit} states: refused (SMARTLAB_FLOW_MAX_STATES)", ("states",))
    steps = sum(_steps(state) for state in states.values())
    if steps > (limit := integer("SMARTLAB_FLOW_MAX_STEPS")):
        raise source.error(f"more than {limit} steps: refused (SMARTLAB_FLOW_MAX_STEPS)", ("states",))


def _steps(state: Any) -> int:
    if not isinstance(state, dict):
        return 0
    return sum(len(part) for key in ("do", "finally") if isinstance(part := state.get(key), list))


def _flow_error(source: Source, err: dict[str, Any]) -> FlowError:
    loc = _data_path(source, err["loc"])
    where = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        return source.error(f"{_parent(loc)}: unknown field '{loc[-1]}'{_hint(loc)}", loc, key=True)
    if err["type"] == "missing":
        return source.error(f"{_parent(loc)}: missing required field '{loc[-1]}'", loc[:-1], key=True)
    message = err["msg"].removeprefix("Value error, ")
    return source.error(f"{where or 'flow'}: {message}", loc)


def _data_path(source: Source, loc: tuple[Any, ...]) -> DataPath:
    """pydantic's error location without what is not in the data: '[key]' markers of dict-key
    errors and the tags of union members (`triggers.0.schedule.cron` is `triggers.0.cron`)."""
    path: DataPath = ()
    for i, part in enumerate(loc):
        if isinstance(part, str) and part.startswith("[") and path + (part,) not in source.values:
            continue
        last = i == len(loc) - 1
        if last or path + (part,) in source.values:
            path += (part,)
    return path


def _parent(loc: DataPath) -> str:
    return ".".join(str(p) for p in loc[:-1]) or "flow"


def _hint(loc: DataPath) -> str:
    fields = _FIELDS["flow"]
    if len(loc) == 3 and loc[0] == "states":
        fields = _FIELDS["state"]
    elif len(loc) == 5 and loc[0] == "states" and loc[2] in ("do", "finally"):
        fields = _FIELDS["step"]
    close = difflib.get_close_matches(str(loc[-1]), sorted(fields), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
