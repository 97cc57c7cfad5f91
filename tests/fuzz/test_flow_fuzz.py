"""Fuzzing the flow loader and compiler: any text gives a compiled flow or a FlowError —
never another exception, a hang or a runaway allocation (the limits see to that)."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from rpa.errors import FlowError
from rpa.flow import compile_flow, load_flow_text

ROOT = Path(__file__).parents[2]
SHIPPED = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "flows").rglob("*.yaml"))
           if "tours" not in p.parts]
WORDS = ["flow", "states", "do", "next", "final", "success", "on", "when", "goto", "catch", "retry",
         "activity", "with", "as", "inputs", "type", "default", "secrets", "triggers", "start", "log",
         "set", "files.read", "fail", "{{ vars.x }}", "{% for %}", "&a", "*a", "<<", "!!python/object",
         "[", "]", "{", "}", ":", "-", "\n", "  ", "'", '"', "#", "|", ">", "\t", "\x00", "é", "你"]


def load_and_compile(text: str) -> None:
    try:
        flow, source = load_flow_text(text, "fuzz.yaml")
        compile_flow(flow, source)
    except FlowError as exc:
        assert str(exc).strip(), "a FlowError says why"


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.sampled_from(WORDS))
data = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=8), inner, max_size=5)),
    max_leaves=40)


@given(st.text(max_size=400))
@example("flow: f\nstates:\n  a: &a [*a]\n")
@example("\ufeff\x00\x01")
def test_fuzz_any_text_is_a_flow_or_a_flow_error(text: str) -> None:
    load_and_compile(text)


@given(st.lists(st.sampled_from(WORDS), max_size=60).map("".join))
def test_fuzz_flow_shaped_words_are_a_flow_or_a_flow_error(text: str) -> None:
    load_and_compile(text)


@given(data)
def test_fuzz_any_yaml_data_is_a_flow_or_a_flow_error(value: object) -> None:
    load_and_compile(yaml.safe_dump(value, allow_unicode=True))


@given(st.sampled_from(SHIPPED), st.integers(min_value=0), st.integers(min_value=0, max_value=40),
       st.text(max_size=12))
def test_fuzz_shipped_flows_edited_anywhere_are_a_flow_or_a_flow_error(text: str, at: int, cut: int,
                                                                       insert: str) -> None:
    at %= len(text) + 1
    load_and_compile(text[:at] + insert + text[at + cut:])
