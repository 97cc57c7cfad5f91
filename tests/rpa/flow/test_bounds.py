"""Issue 15: a hostile flow file is refused with one line, in bounded memory, before it is built.

Memory is measured with tracemalloc (the peak of this process's Python allocations), never
a clock, so the tests hold on a loaded machine."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from rpa.errors import FlowError
from rpa.flow import compile_flow, load_flow, load_flow_text

ROOT = Path(__file__).parents[3]
MB = 1024 * 1024


def laughs(levels: int = 9, width: int = 9) -> str:
    """The billion-laughs shape: each level a list of `width` aliases of the one below."""
    lines = ["flow: bomb", "states: {s: {final: success}}", "x:", '  l0: &l0 ["lol"]']
    for n in range(1, levels):
        lines.append(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def merges(levels: int = 9, width: int = 9) -> str:
    """The same through merge keys, which PyYAML's constructor expands in memory."""
    lines = ["flow: bomb", "states: {s: {final: success}}", "x:", "  m0: &m0 {a: 1, b: 2}"]
    for n in range(1, levels):
        lines.append(f"  m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * width)}], k{n}: 1}}")
    return "\n".join(lines) + "\n"


def refused(load: Callable[[], object]) -> tuple[FlowError, int]:
    """The error `load` raises and the peak memory (bytes) it took on the way."""
    tracemalloc.start()
    try:
        with pytest.raises(FlowError) as caught:
            load()
        return caught.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_flow_alias_bomb_is_refused_in_bounded_memory_with_one_line() -> None:
    error, peak = refused(lambda: load_flow_text(laughs(), "bomb.yaml"))
    assert "expands to more than 100000 values" in str(error) and "SMARTLAB_FLOW_MAX_NODES" in str(error)
    assert str(error).startswith("bomb.yaml:") and "\n" not in str(error)
    assert peak < 200 * MB


def test_flow_merge_key_bomb_is_refused_in_bounded_memory() -> None:
    error, peak = refused(lambda: load_flow_text(merges(), "bomb.yaml"))
    assert "SMARTLAB_FLOW_MAX_NODES" in str(error) and peak < 200 * MB


def test_flow_alias_inside_itself_is_refused_not_a_recursion_error() -> None:
    error, _ = refused(lambda: load_flow_text("flow: f\nstates: {s: {final: success}}\nx: &a [*a]\n"))
    assert "SMARTLAB_FLOW_MAX_DEPTH" in str(error)


def test_flow_too_many_aliases_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_FLOW_MAX_ALIASES", "3")
    text = "flow: f\nstates: {s: {final: success}}\nx: &a 1\ny: [*a, *a, *a, *a]\n"
    error, _ = refused(lambda: load_flow_text(text, "f.yaml"))
    assert str(error) == "f.yaml:4:17: more than 3 YAML aliases (*name): refused (SMARTLAB_FLOW_MAX_ALIASES)"


def test_flow_nested_too_deep_is_refused_before_python_recursion() -> None:
    text = "flow: f\nstates: {s: {final: success}}\nx: " + "[" * 5000 + "]" * 5000 + "\n"
    error, _ = refused(lambda: load_flow_text(text))
    assert "more than 64 levels of nesting" in str(error)


def test_flow_file_of_50_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as f:
        f.write(b"flow: big\n# ")
        f.truncate(50 * MB)
    error, peak = refused(lambda: load_flow(path))
    assert str(error) == f"{path}: larger than 1048576 bytes: refused (SMARTLAB_FLOW_MAX_BYTES)"
    assert peak < 10 * MB


def test_flow_of_10000_states_is_refused_naming_the_setting() -> None:
    states = "".join(f"  s{n}: {{final: success}}\n" for n in range(10_000))
    error, peak = refused(lambda: load_flow_text(f"flow: many\nstates:\n{states}", "many.yaml"))
    assert str(error) == "many.yaml:1003:3: more than 1000 states: refused (SMARTLAB_FLOW_MAX_STATES)"  # state 1,001
    assert peak < 200 * MB


def test_flow_of_too_many_steps_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTLAB_FLOW_MAX_STEPS", "2")
    text = "flow: f\nstates:\n  a: {do: [{activity: log, with: {message: x}}] , next: b}\n" \
           "  b: {do: [{activity: log, with: {message: x}}, {activity: log, with: {message: y}}], next: c}\n" \
           "  c: {final: success}\n"
    error, _ = refused(lambda: load_flow_text(text))
    assert "more than 2 steps" in str(error)


def test_flow_within_the_limits_still_loads_and_compiles() -> None:
    flow, source = load_flow(ROOT / "flows" / "form_processing.yaml")
    assert compile_flow(flow, source).name == "form_processing"


def test_binary_flow_file_is_a_one_line_error_not_a_decode_error(tmp_path: Path) -> None:
    path = tmp_path / "evil.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    error, _ = refused(lambda: load_flow(path))
    assert str(error) == f"{path}: not a text (UTF-8) file: byte 0x89 at offset 0"


def test_quarantined_file_is_never_loaded_as_a_flow(tmp_path: Path) -> None:
    path = tmp_path / "inbox" / "quarantine" / "evil.pdf"
    path.parent.mkdir(parents=True)
    path.write_text("flow: evil\nstates: {s: {final: success}}\n")
    error, _ = refused(lambda: load_flow(path))
    assert "quarantined file is evidence, never a flow" in str(error)


def test_smartlab_validate_refuses_the_alias_bomb_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(laughs())
    done = subprocess.run([sys.executable, "-m", "rpa.cli", "validate", "bomb.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # a safety net, not a speed test
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("bomb.yaml:") and "SMARTLAB_FLOW_MAX_NODES" in done.stderr
    assert "Traceback" not in done.stderr
