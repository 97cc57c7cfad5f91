"""Visitor utterance -> reply and robot action: latency through the dialogue bridge and
through the kiosk's HTTP API, beside Rasa's own /model/parse time, in one run.

    python bench/dialogue.py [--turns 60]

Trains the receptionist model if it is stale (about two minutes), starts one Rasa server on
loopback, and the kiosk app on another port. No robot base: robot actions are produced by
the conversation and counted, not driven.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # not bench/: its queue.py shadows the stdlib
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from receptionist_robot.checkin import CheckIns, ConsoleNotifier  # noqa: E402
from receptionist_robot.dialogue import Dialogue  # noqa: E402
from receptionist_robot.kiosk.app import create_app  # noqa: E402
from receptionist_robot.rasa_channel import RasaChannel  # noqa: E402
from rpa.nlu import testing  # noqa: E402
from rpa.nlu.server import free_port  # noqa: E402

UTTERANCES = [
    ("en", "hello"), ("en", "tell me about the city dashboard"), ("en", "where is the toilet"),
    ("zh-HK", "你好"), ("zh-HK", "介紹吓虛擬實境"), ("zh-HK", "廁所喺邊度"),
    ("zh-CN", "你们好"), ("zh-CN", "介绍一下地理信息系统"), ("zh-CN", "谢谢"),
]


def timed(fn: Callable[[], object], turns: int) -> list[float]:
    found = []
    for _ in range(turns):
        started = time.perf_counter()
        fn()
        found.append((time.perf_counter() - started) * 1000)
    return found


def cycle(items: list[tuple[str, str]]) -> Callable[[], tuple[str, str]]:
    state = {"i": 0}

    def take() -> tuple[str, str]:
        state["i"] += 1
        return items[state["i"] % len(items)]

    return take


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    turns = parser.parse_args().turns
    rasa = testing.shared_server("receptionist")
    work = Path(tempfile.mkdtemp())
    dialogue = Dialogue(RasaChannel(rasa.url), None, CheckIns(f"sqlite:///{work / 'bench.db'}"),
                        ConsoleNotifier(open(os.devnull, "w")))  # noqa: SIM115
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(dialogue), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    try:
        parse_next, bridge_next, kiosk_next = cycle(UTTERANCES), cycle(UTTERANCES), cycle(UTTERANCES)
        session = dialogue.open_session("en")
        kiosk_sid = http.post("/kiosk/api/sessions", json={"lang": "en"}).json()["id"]
        parse = timed(lambda: httpx.post(f"{rasa.url}/model/parse", json={"text": parse_next()[1]}), turns)
        bridge = timed(lambda: dialogue.say(session.id, bridge_next()[1]), turns)
        kiosk = timed(lambda: http.post(f"/kiosk/api/sessions/{kiosk_sid}/say",
                                        json={"text": kiosk_next()[1]}).raise_for_status(), turns)
    finally:
        server.should_exit = True
        dialogue.close()
        testing.stop_shared()
    print(f"visitor turn latency over {turns} turns in en / zh-HK / zh-CN (lower is better)")
    for name, values in (("Rasa /model/parse (baseline)", parse), ("dialogue bridge (REST webhook)", bridge),
                         ("kiosk API (HTTP -> bridge)", kiosk)):
        print(f"  {name:32s} p50 {p(values, 50):7.1f} ms   p95 {p(values, 95):7.1f} ms")
    print(f"ratio bridge / parse (p50): {p(bridge, 50) / p(parse, 50):5.1f}x  (a whole dialogue turn vs NLU alone)")
    print(f"ratio kiosk / bridge (p50): {p(kiosk, 50) / p(bridge, 50):5.2f}x  (the kiosk's HTTP layer)")


if __name__ == "__main__":
    main()
