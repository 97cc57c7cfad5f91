"""The hash chain as pure data: every kind of tampering names the entry where it shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from rpa.audit import GENESIS, Entry
from rpa.audit.chain import entry_hash, first_broken


def chain(n: int) -> list[Entry]:
    built: list[Entry] = []
    for i in range(1, n + 1):
        fields = {"id": i, "at": f"2025-01-01T00:00:0{i}.000000+00:00", "actor": "ada",
                  "action": "run.start", "target": f"run-{i}", "detail": '{"n":1}',
                  "prev_hash": built[-1].hash if built else GENESIS}
        built.append(Entry(**fields, hash=entry_hash(**fields)))
    return built


def rehash(e: Entry) -> Entry:
    fields = {k: v for k, v in vars(e).items() if k != "hash"}
    return replace(e, hash=entry_hash(**fields))


Tamper = Callable[[list[Entry]], list[Entry]]


def edit(i: int, **changes: str) -> Tamper:
    return lambda es: [replace(e, **changes) if e.id == i else e for e in es]


def edit_and_rehash(i: int, **changes: str) -> Tamper:
    return lambda es: [rehash(replace(e, **changes)) if e.id == i else e for e in es]


TAMPERING: list[tuple[str, Tamper, str]] = [
    ("actor changed", edit(3, actor="mallory"), "audit entry 3 is broken: its hash does not "
     "match its content"),
    ("detail reformatted", edit(2, detail='{"n": 1}'), "audit entry 2 is broken: its hash"),
    ("time changed", edit(5, at="2024-01-01T00:00:00.000000+00:00"), "audit entry 5 is broken"),
    ("hash forged", edit_and_rehash(3, action="run.cancel"),
     "audit entry 4 is broken: its link does not match the previous entry's hash"),
    ("middle deleted", lambda es: es[:2] + es[3:], "audit entry 3 is broken: it is missing"),
    ("first deleted", lambda es: es[1:], "audit entry 1 is broken: it is missing"),
    ("two swapped", lambda es: [es[0], es[2], es[1], *es[3:]], "audit entry 2 is broken"),
    ("first relinked", edit_and_rehash(1, prev_hash="f" * 64),
     "audit entry 1 is broken: its link does not match"),
]


@pytest.mark.parametrize(("tamper", "expected"), [(t, x) for _, t, x in TAMPERING],
                         ids=[name for name, _, _ in TAMPERING])
def test_first_broken_names_the_tampered_entry(tamper: Tamper, expected: str) -> None:
    broken = first_broken(tamper(chain(5)))
    assert broken is not None and str(broken).startswith(expected)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_first_broken_is_none_for_an_intact_chain(n: int) -> None:
    assert first_broken(chain(n)) is None
