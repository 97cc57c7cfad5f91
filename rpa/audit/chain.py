"""The hash chain, as pure functions over entries: how an entry is hashed and checked.

An entry's hash is SHA-256 over the canonical JSON of its id, time, actor, action, target,
detail and the previous entry's hash, so changing, removing or reordering any entry breaks
the chain at that entry (or, for a removal, at the gap it leaves).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    target: str
    detail: str  # canonical JSON text, exactly as hashed
    prev_hash: str
    hash: str

    @property
    def data(self) -> Any:
        return json.loads(self.detail)


@dataclass(frozen=True)
class Broken:
    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id} is broken: {self.reason}"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def entry_hash(id: int, at: str, actor: str, action: str, target: str, detail: str,
               prev_hash: str) -> str:
    body = {"id": id, "at": at, "actor": actor, "action": action, "target": target,
            "detail": detail, "prev": prev_hash}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _gap(entry: Entry, prev: Entry | None) -> Broken | None:
    expected = prev.id + 1 if prev else 1
    if entry.id == expected:
        return None
    return Broken(expected, f"it is missing (deleted): the chain jumps to entry {entry.id}")


def _content(entry: Entry, _prev: Entry | None) -> Broken | None:
    fields = {k: v for k, v in asdict(entry).items() if k != "hash"}
    if entry_hash(**fields) == entry.hash:
        return None
    return Broken(entry.id, "its hash does not match its content")


def _link(entry: Entry, prev: Entry | None) -> Broken | None:
    if entry.prev_hash == (prev.hash if prev else GENESIS):
        return None
    return Broken(entry.id, "its link does not match the previous entry's hash")


# Checks run on each entry in this order; the first complaint names the broken entry.
CHECKS: tuple[Callable[[Entry, Entry | None], Broken | None], ...] = (_gap, _content, _link)


def first_broken(entries: Iterable[Entry]) -> Broken | None:
    """The first entry (in id order) that is missing, altered or wrongly linked, or None."""
    prev = None
    for entry in entries:
        for check in CHECKS:
            broken = check(entry, prev)
            if broken:
                return broken
        prev = entry
    return None
