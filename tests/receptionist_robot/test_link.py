from __future__ import annotations

from collections.abc import Callable

import pytest
import serial

from receptionist_robot import mav
from receptionist_robot.errors import CommandRejected, CommandTimeout, LinkError
from receptionist_robot.link import Link, LinkConfig
from receptionist_robot.simulator import Faults, SimBase
from tests.support.waiting import eventually

LinkMaker = Callable[..., Link]
SimMaker = Callable[..., SimBase]
HEARTBEAT_ID = 0


def fast_heartbeats(link: Link, hz: float = 10.0) -> None:
    link.command(mav.CMD_SET_MESSAGE_INTERVAL, 0, 1e6 / hz)


def test_link_command_is_acknowledged(make_sim: SimMaker, make_link: LinkMaker,
                                      endpoint_kind: str) -> None:
    sim = make_sim(endpoint_kind)
    link = make_link(sim.url)
    link.wait_up(10)
    assert eventually(lambda: sim.ready)
    assert link.command(mav.CMD_DO_SET_MODE, 1, mav.MODES["GUIDED"]) == mav.ACCEPTED
    assert sim.mode == mav.MODES["GUIDED"]


def test_link_sends_gcs_heartbeats(make_sim: SimMaker, make_link: LinkMaker) -> None:
    sim = make_sim()
    make_link(sim.url, heartbeat_period=0.1)
    assert eventually(lambda: sim.gcs_seen)


def test_link_retries_when_an_ack_is_late(make_sim: SimMaker, make_link: LinkMaker) -> None:
    sim = make_sim(faults=Faults(ack_delay=0.7))
    link = make_link(sim.url)
    link.wait_up(10)
    link.command(mav.CMD_SET_MESSAGE_INTERVAL, HEARTBEAT_ID, 1e6)
    assert link.counters.retries >= 1
    assert [c.what[1] for c in sim.log].count(mav.CMD_SET_MESSAGE_INTERVAL) >= 2


def test_link_gives_up_after_three_unanswered_tries(make_sim: SimMaker,
                                                    make_link: LinkMaker) -> None:
    sim = make_sim(faults=Faults(ack_loss=1.0))
    link = make_link(sim.url, ack_timeout=0.2)
    link.wait_up(10)
    with pytest.raises(CommandTimeout):
        link.command(mav.CMD_DO_CHANGE_SPEED, 1, 0.8)
    assert link.counters.retries == 2 and link.counters.command_timeouts == 1
    assert eventually(lambda: len(sim.log) == 3)


def test_link_reports_a_rejected_command(make_sim: SimMaker, make_link: LinkMaker) -> None:
    sim = make_sim(ready_after=600)
    link = make_link(sim.url)
    link.wait_up(10)
    with pytest.raises(CommandRejected) as caught:
        link.command(mav.CMD_ARM_DISARM, 1)
    assert caught.value.result == mav.FAILED and not sim.armed


def test_link_detects_loss_and_return_of_heartbeats(make_sim: SimMaker,
                                                    make_link: LinkMaker) -> None:
    sim = make_sim()
    link = make_link(sim.url, base_heartbeat_period=0.2, missed_heartbeats=3)
    changes: list[bool] = []
    link.on_state(changes.append)
    link.wait_up(10)
    fast_heartbeats(link)
    sim.faults.cut(1.5)
    assert eventually(lambda: changes[-1:] == [False])
    assert eventually(lambda: changes[-1:] == [True])
    # a loaded machine may add a short flap, never a missed loss
    assert changes[-2:] == [False, True] and link.counters.link_losses >= 1


def test_link_reconnects_when_the_tcp_peer_drops(make_sim: SimMaker, make_link: LinkMaker) -> None:
    sim = make_sim("tcp")
    link = make_link(sim.url, backoff=(0.05, 0.2))
    link.wait_up(10)
    sim.endpoint.hang_up()
    assert eventually(lambda: link.counters.reconnects >= 1)
    assert link.command(mav.CMD_SET_MESSAGE_INTERVAL, HEARTBEAT_ID, 1e6) == mav.ACCEPTED


def test_link_counts_errors_on_a_noisy_line(make_sim: SimMaker, make_link: LinkMaker) -> None:
    sim = make_sim(faults=Faults(corrupt_rate=0.05, drop_rate=0.01, seed=3))
    link = make_link(sim.url, heartbeat_period=0.1)
    link.wait_up(10)
    assert eventually(lambda: link.stats()["crc_errors"] > 0 and link.stats()["seq_gaps"] > 0)
    assert sim.codec.counters.crc_errors + sim.codec.counters.garbage_bytes > 0


def test_link_open_fails_with_a_one_line_reason() -> None:
    with pytest.raises(LinkError, match="cannot open /dev/no-such-port"):
        Link(LinkConfig("/dev/no-such-port")).open()


def test_link_survives_a_port_that_fails_to_write() -> None:
    """A fake port (failure injection only): every write raises, the pump keeps reopening."""
    opened: list[int] = []

    class Broken:
        def write(self, data: bytes) -> None:
            raise OSError(5, "Input/output error")

        def read(self, size: int) -> bytes:
            return b""

        def fileno(self) -> int:
            raise OSError("no descriptor")

        def close(self) -> None:
            pass

    def opener(url: str, baud: int) -> Broken:
        opened.append(baud)
        return Broken()

    link = Link(LinkConfig("fake://", backoff=(0.01, 0.02)), opener=opener).open()
    try:
        assert eventually(lambda: link.counters.reconnects >= 2)
        assert link.counters.port_errors >= 2 and not link.is_up
    finally:
        link.close()


def test_link_port_closed_under_a_writer_is_a_link_error() -> None:
    from receptionist_robot.errors import LinkError
    from receptionist_robot.link import _Port

    port = _Port("loop://", 115200, lambda url, baud: serial.serial_for_url(url, baudrate=baud, timeout=0))
    port._port.close()  # what a reconnect on the pump's thread does while a command writes  # noqa: SLF001
    with pytest.raises(LinkError, match="write failed"):
        port.write(b"\\xfd")
