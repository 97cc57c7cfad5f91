"""A simulated base on a real pty or a real loopback TCP port, and a link to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.simulator import (
    Faults,
    PtyEndpoint,
    SimBase,
    SimConfig,
    TcpEndpoint,
    Vehicle,
)
from tests.receptionist_robot.touring import tour  # noqa: F401  (the fixture, for every module)

ENDPOINTS = {"pty": PtyEndpoint, "tcp": TcpEndpoint}
# Ready 0.2 s after power-on, and the two streams readiness is judged by at 5 Hz instead of
# the firmware's default 1 Hz (as SR0_* stream rates would set them), so a connect takes a
# fraction of a second rather than a heartbeat period.
QUICK_START: dict[str, object] = {"ready_after": 0.2,
                                  "rates": {"HEARTBEAT": 5.0, "SYS_STATUS": 5.0}}


@pytest.fixture(params=sorted(ENDPOINTS))
def endpoint_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def make_sim() -> Iterator[Callable[..., SimBase]]:
    sims: list[SimBase] = []

    def make(kind: str = "pty", *, faults: Faults | None = None, vehicle: Vehicle | None = None,
             **config: object) -> SimBase:
        sim = SimBase(ENDPOINTS[kind](), vehicle or Vehicle(),
                      SimConfig(**{**QUICK_START, **config}), faults or Faults(seed=7))
        sims.append(sim.start())
        return sim

    yield make
    for sim in sims:
        sim.stop()


@pytest.fixture
def make_link() -> Iterator[Callable[..., Link]]:
    links: list[Link] = []

    def make(url: str, **config: object) -> Link:
        link = Link(LinkConfig(url, **config)).open()  # type: ignore[arg-type]
        links.append(link)
        return link

    yield make
    for link in links:
        link.close()
