"""The flow cache: by file path + content hash, bounded, never by id()."""

from __future__ import annotations

import os
from pathlib import Path

from rpa.engine import FlowCache

FLOW = "flow: f\nstates:\n  a: {do: [{activity: set, with: {x: 1}}], next: b}\n  b: {final: success}\n"


def _write(path: Path, text: str, mtime_ns: int) -> None:
    path.write_text(text)
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_flow_cache_compiles_an_unchanged_file_once(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    _write(path, FLOW, 1_000_000_000)
    cache = FlowCache(size=4)
    first = cache.load(str(path))
    assert cache.load(str(path)) is first
    assert cache.machine(first) is cache.machine(cache.load(str(path)))


def test_flow_cache_an_edited_file_is_a_new_flow_and_machine(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    _write(path, FLOW, 1_000_000_000)
    cache = FlowCache(size=4)
    before = cache.load(str(path))
    _write(path, FLOW.replace("a:", "start:").replace("a: {", "start: {"), 2_000_000_000)
    after = cache.load(str(path))
    assert after.source_hash != before.source_hash and list(after.states) == ["start", "b"]
    assert cache.machine(after) is not cache.machine(before)
    assert cache.get(str(path), before.source_hash) is before  # what runs started with it resume on


def test_flow_cache_keeps_at_most_its_size(tmp_path: Path) -> None:
    cache = FlowCache(size=2)
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"f{i}.yaml")
        _write(paths[-1], FLOW.replace("flow: f", f"flow: f{i}"), 1_000_000_000)
        cache.load(str(paths[-1]))
    oldest = cache.compile_file(str(paths[0]))
    assert cache.get(str(paths[0]), oldest.source_hash) is None
    assert cache.get(str(paths[2]), cache.load(str(paths[2])).source_hash) is not None
