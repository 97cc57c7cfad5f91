"""Robot link benchmark: measured times side by side with their baselines, in one run.

    .venv/bin/python bench/robot.py [--rounds 200] [--listen pty|tcp]

1. COMMAND_LONG -> COMMAND_ACK round trip, against the theoretical wire time of the two
   frames at 115200 baud (8N1). A pty has no baud rate, so the measured time is our
   processing; on a real UART the wire time adds to it.
2. `estop` (forced disarm) to the ACK, and to the base's own HEARTBEAT reporting disarmed,
   against the base's heartbeat period (the worst case for the report).
3. Time to declare the link lost after the line is cut, against the configured limit
   (3 missed heartbeats of 1 s).
4. PARAM_REQUEST_READ -> PARAM_VALUE (how the failsafe and WP_SPEED are read on connect),
   against the wire time of the two frames.
5. A disarm from another ground station to our guard tripping (the tour's e-stop), against
   the base's heartbeat period (the report it waits for).
"""

from __future__ import annotations

import argparse
import statistics
import time

from receptionist_robot import mav
from receptionist_robot.base import Base
from receptionist_robot.protocol import Codec, wire_seconds
from receptionist_robot.simulator import PtyEndpoint, SimBase, SimConfig, TcpEndpoint

ENDPOINTS = {"pty": PtyEndpoint, "tcp": TcpEndpoint}
SENSOR_ID = mav.mavlink.MAVLINK_MSG_ID_DISTANCE_SENSOR  # a rate change: accepted in any mode


def frame_bytes() -> int:
    codec = Codec(255, 190)
    cmd = codec.encode(mav.command_long((1, 1), mav.CMD_SET_MESSAGE_INTERVAL, (0, 1e6)))
    ack = codec.encode(mav.mavlink.MAVLink_command_ack_message(511, 0, 0, 0, 255, 190))
    return len(cmd) + len(ack)


def round_trips(base: Base, rounds: int) -> list[float]:
    times = []
    for i in range(rounds):
        started = time.perf_counter()
        base.link.command(mav.CMD_SET_MESSAGE_INTERVAL, SENSOR_ID, 1e6 / (1 + i % 10))
        times.append(time.perf_counter() - started)
    return times


def estop_once(base: Base, sim: SimBase) -> tuple[float, float]:
    base.start_driving()
    base.goto(50.0, 0.0)
    base.wait_until(lambda t: abs(t.vx) > 0.1, 10)
    started = time.perf_counter()
    base.estop()
    acked = time.perf_counter() - started
    base.telemetry.armed = True  # forget our own belief: wait for the base to say so
    base.wait_until(lambda t: not t.armed, 5)
    return acked, time.perf_counter() - started


def param_reads(base: Base, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        base.params.get("WP_SPEED")
        times.append(time.perf_counter() - started)
    return times


def param_wire() -> float:
    codec = Codec(255, 190)
    ask = codec.encode(mav.param_request_read((1, 1), "WP_SPEED"))
    answer = codec.encode(mav.mavlink.MAVLink_param_value_message(b"WP_SPEED", 2.0, 9, 6, 5))
    return wire_seconds(len(ask) + len(answer))


def outside_disarm(base: Base, sim: SimBase) -> float:
    base.reset()
    base.start_driving()
    base.goto(50.0, 0.0)
    base.wait_until(lambda t: abs(t.vx) > 0.1, 10)
    started = time.perf_counter()
    sim.outside(mav.CMD_ARM_DISARM, 0, mav.FORCE_DISARM)
    base.wait_until(lambda t: base.guard.tripped is not None, 5)
    return time.perf_counter() - started


def lost_link(base: Base, sim: SimBase) -> float:
    base.link.wait_up(10)
    started = time.perf_counter()
    sim.faults.cut(8.0)
    base.wait_until(lambda t: not base.link.is_up, 10)
    detected = time.perf_counter() - started
    base.link.wait_up(15)
    return detected


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--listen", choices=sorted(ENDPOINTS), default="pty")
    args = parser.parse_args()
    sim = SimBase(ENDPOINTS[args.listen](), config=SimConfig(ready_after=0.2)).start()
    base = Base.connect(sim.url, timeout=20)
    try:
        report(base, sim, args.rounds, args.listen)
    finally:
        base.close()
        sim.stop()


def report(base: Base, sim: SimBase, rounds: int, listen: str) -> None:
    rt = sorted(round_trips(base, rounds))
    wire = wire_seconds(frame_bytes())
    estops = [estop_once(base, sim) for _ in range(5)]
    params = statistics.median(param_reads(base, 20))
    tripped = statistics.median(outside_disarm(base, sim) for _ in range(5))
    lost = lost_link(base, sim)
    limit = base.link.config.base_heartbeat_period * base.link.config.missed_heartbeats
    p50, p95 = statistics.median(rt), rt[int(len(rt) * 0.95) - 1]
    print(f"robot link bench over {listen} ({rounds} commands, simulator in-process)\n")
    print(f"{'measure':44} {'measured':>11} {'baseline':>11} {'ratio':>7}")
    rows = [
        ("command round trip p50 vs wire @115200", p50, wire),
        ("command round trip p95 vs wire @115200", p95, wire),
        ("estop -> ACK (median of 5) vs heartbeat", statistics.median(a for a, _ in estops), 1.0),
        ("estop -> base reports disarmed vs heartbeat",
         statistics.median(d for _, d in estops), 1.0),
        ("param read (median of 20) vs wire @115200", params, param_wire()),
        ("outside disarm -> e-stop (median 5) vs hb", tripped, 1.0),
        ("line cut -> link lost vs 3 missed heartbeats", lost, limit),
    ]
    for name, measured, baseline in rows:
        print(f"{name:44} {ms(measured):>11} {ms(baseline):>11} {measured / baseline:6.2f}x")
    print(f"\nwire time is {frame_bytes()} bytes (COMMAND_LONG + COMMAND_ACK) at 10 bits/byte;"
          " a real UART adds it to the round trip.")


if __name__ == "__main__":
    main()
