"""Flows: YAML text -> validated frozen model -> compiled flow; errors carry file:line:col."""

from rpa.flow.compiler import CompiledFlow, CompiledState, CompiledStep, compile_flow
from rpa.flow.inputs import resolve_inputs
from rpa.flow.loader import load_flow, load_flow_text
from rpa.flow.model import Flow, State, Step, parse_duration
from rpa.flow.source import Source


def load_and_compile(path: str, registry=None) -> CompiledFlow:  # type: ignore[no-untyped-def]
    """Read, validate and compile a flow file in one call; raises FlowError(s)."""
    flow, source = load_flow(path)
    return compile_flow(flow, source, registry)


__all__ = [
    "CompiledFlow",
    "CompiledState",
    "CompiledStep",
    "Flow",
    "Source",
    "State",
    "Step",
    "compile_flow",
    "load_and_compile",
    "load_flow",
    "load_flow_text",
    "parse_duration",
    "resolve_inputs",
]
