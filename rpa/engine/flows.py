"""Compiled flows and their machines, cached by file path + source hash — never by `id()`.

A long-lived process (a worker, `smartlab serve`) loads flows again and again; an `id()` is
reused as soon as the object it named is freed, so a cache keyed by it hands one flow's
machine to another. Here a flow is known by its resolved path and the hash of its content,
so an edited file is a new entry and an unchanged one is compiled once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rpa.engine.machine import FlowMachine
from rpa.flow import CompiledFlow, load_and_compile
from rpa.settings import integer

Key = tuple[str, str]  # (resolved path, source hash)
V = TypeVar("V")


def flow_key(compiled: CompiledFlow) -> Key:
    return _resolved(compiled.path), compiled.source_hash


def _resolved(path: str) -> str:
    return str(Path(path).resolve())


class FlowCache:
    """The compiled flows and machines one process keeps (at most SMARTLAB_FLOW_CACHE of each)."""

    def __init__(self, size: int | None = None,
                 compile_file: Callable[[str], CompiledFlow] = load_and_compile) -> None:
        self.size = size if size is not None else integer("SMARTLAB_FLOW_CACHE")
        self.compile_file = compile_file
        self._flows: OrderedDict[Key, CompiledFlow] = OrderedDict()
        self._machines: OrderedDict[Key, FlowMachine] = OrderedDict()
        self._seen: dict[tuple[str, int, int], str] = {}  # (path, mtime, size) -> hash
        self._lock = threading.Lock()

    def load(self, path: str) -> CompiledFlow:
        """The flow in this file as it is now: compiled again only when its file changed."""
        stamp = _stamp(path)
        digest = self._seen.get(stamp) if stamp else None
        cached = self.get(path, digest) if digest else None
        if cached is not None:
            return cached
        compiled = self.compile_file(path)
        if stamp:
            if len(self._seen) >= 4 * max(1, self.size):
                self._seen.clear()  # stamps of files since edited; cheap to learn again
            self._seen[stamp] = compiled.source_hash
        return self.add(compiled)

    def add(self, compiled: CompiledFlow) -> CompiledFlow:
        """Keep a flow compiled elsewhere (a catalog's); the one already kept wins."""
        return self._put(self._flows, flow_key(compiled), lambda: compiled)

    def get(self, path: str, digest: str | None) -> CompiledFlow | None:
        if digest is None:
            return None
        with self._lock:
            return self._flows.get((_resolved(path), digest))

    def machine(self, compiled: CompiledFlow) -> FlowMachine:
        return self._put(self._machines, flow_key(compiled), lambda: FlowMachine(compiled))

    def _put(self, table: OrderedDict[Key, V], key: Key, make: Callable[[], V]) -> V:
        with self._lock:
            if key in table:
                table.move_to_end(key)
                return table[key]
            value = table[key] = make()
            while len(table) > max(1, self.size):
                table.popitem(last=False)
            return value


def _stamp(path: str) -> tuple[str, int, int] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None  # compiling says why, as a FlowError
    return _resolved(path), stat.st_mtime_ns, stat.st_size
