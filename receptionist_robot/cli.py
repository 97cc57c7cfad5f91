"""`smartlab robot ...`: the simulator, tours, status and the emergency stop.

    smartlab robot sim --listen pty|tcp:127.0.0.1:PORT [faults...]
    smartlab robot tour TOUR --port URL [--lang zh-HK] [--json]
    smartlab robot status --port URL
    smartlab robot estop --port URL
    smartlab robot tours [DIR]
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from receptionist_robot import settings
from receptionist_robot.base import Base
from receptionist_robot.controller import TourController, TourEvent
from receptionist_robot.errors import RobotError
from receptionist_robot.safety import SafetyConfig
from receptionist_robot.simulator import Faults, Obstacle, SimBase, SimConfig, Vehicle, listen
from receptionist_robot.simulator.rover import DEFAULT_RATES
from receptionist_robot.store import TourRecords
from receptionist_robot.tours import LANGUAGES, TOURS_DIR, find_tour_files, load_tours, resolve
from rpa.cli.common import user_errors
from rpa.errors import FlowErrors

app = typer.Typer(help="The guide robot: simulator, tours, status, emergency stop.",
                  no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PortOption = typer.Option(..., "--port", "-p", envvar="SMARTLAB_ROBOT_PORT",
                          help="Device path, pty, or socket://HOST:PORT of the base.")


def _link_options(heartbeat_hz: float, ack_timeout: float, retries: int) -> dict[str, Any]:
    return {"heartbeat_period": 1.0 / heartbeat_hz, "ack_timeout": ack_timeout,
            "retries": retries}


# -- sim -----------------------------------------------------------------------------------
@app.command()
def sim(
    listen_on: str = typer.Option("pty", "--listen", help="pty, or tcp:HOST:PORT"),
    drop: float = typer.Option(0.0, help="Probability that a byte is lost (both ways)."),
    corrupt: float = typer.Option(0.0, help="Probability that a byte has a bit flipped."),
    ack_loss: float = typer.Option(0.0, help="Probability that a COMMAND_ACK is never sent."),
    ack_delay: float = typer.Option(0.0, help="Seconds each COMMAND_ACK is held back."),
    cut_after: float = typer.Option(0.0, help="Cut the line this many seconds after start..."),
    cut_for: float = typer.Option(0.0, help="...for this many seconds (0: never)."),
    time_scale: float = typer.Option(1.0, help="Simulated seconds per real second."),
    gcs_timeout: float = typer.Option(5.0, help="FS_GCS_TIMEOUT (acts once FS_GCS_ENABLE is set)."),
    ready_after: float = typer.Option(1.0, help="Seconds until pre-arm checks pass."),
    target_timeout: float = typer.Option(0.0, help="Stop when targets stop this long (0: off)."),
    battery: float = typer.Option(100.0, help="Starting battery, percent."),
    drain_per_m: float = typer.Option(0.2, help="Battery percent used per metre."),
    obstacle: list[str] = typer.Option([], help="x,y[,radius[,start[,end]]] in sim seconds."),
    seed: int = typer.Option(None, help="Seed for the fault injector, to replay a run."),
    log: Path = typer.Option(None, help="Write every received command here (JSON lines)."),
    param: list[str] = typer.Option([], help="NAME=VALUE: a firmware parameter at power-on."),
    rate: list[str] = typer.Option([], help="MESSAGE=HZ: a stream's rate at power-on (0: off)."),
    steering: str = typer.Option("skid_steer", help="skid_steer, or car_like (turns only while moving)."),
) -> None:
    """Run a simulated rover base (ArduPilot Rover conventions) until Ctrl-C.

    The first line printed is the URL to give `--port`.
    """
    with user_errors():
        vehicle = Vehicle(battery=battery, drain_per_m=drain_per_m, steering=steering,
                          obstacles=[_obstacle(o) for o in obstacle])
        config = SimConfig(ready_after=ready_after, gcs_timeout=gcs_timeout, time_scale=time_scale,
                           target_timeout=target_timeout, params=dict(map(_param, param)),
                           rates=dict(map(_rate, rate)))
        faults = Faults(drop, corrupt, ack_loss, ack_delay, seed)
        base = SimBase(listen(listen_on), vehicle, config, faults)
    print(base.url, flush=True)
    base.start()
    _serve(base, cut_after, cut_for, log)


def _obstacle(spec: str) -> Obstacle:
    try:
        return Obstacle(*(float(v) for v in spec.split(",")))
    except (TypeError, ValueError):
        err.print(f"[bold red]error:[/] --obstacle takes x,y[,radius[,start[,end]]], not '{spec}'")
        raise typer.Exit(2) from None


def _param(spec: str) -> tuple[str, float]:
    name, _, value = spec.partition("=")
    try:
        return name.strip().upper(), float(value)
    except ValueError:
        err.print(f"[bold red]error:[/] --param takes NAME=VALUE, not '{spec}'")
        raise typer.Exit(2) from None


def _rate(spec: str) -> tuple[str, float]:
    name, _, value = spec.partition("=")
    name = name.strip().upper()
    try:
        hz = float(value)
    except ValueError:
        hz = -1.0
    if name not in DEFAULT_RATES or hz < 0:
        err.print(f"[bold red]error:[/] --rate takes MESSAGE=HZ with MESSAGE one of "
                  f"{', '.join(sorted(DEFAULT_RATES))}, not '{spec}'")
        raise typer.Exit(2)
    return name, hz


def _serve(base: SimBase, cut_after: float, cut_for: float, log: Path | None) -> None:
    started, written, cut_done = time.monotonic(), 0, not cut_for
    try:
        while True:
            time.sleep(0.1)
            if not cut_done and time.monotonic() - started >= cut_after:
                base.faults.cut(cut_for)
                cut_done = True
            written = _write_log(base, log, written)
    except KeyboardInterrupt:
        pass
    finally:
        base.stop()
        _write_log(base, log, written)
        err.print(f"sim: {len(base.log)} commands received; line {base.codec.counters.as_dict()}")


def _write_log(base: SimBase, log: Path | None, written: int) -> int:
    if log is None:
        return written
    with log.open("a", encoding="utf-8") as f:
        for entry in base.log[written:]:
            row = {"at": entry.at, "what": entry.what, "outcome": entry.outcome}
            f.write(json.dumps(row) + "\n")
    return len(base.log)


# -- tour ----------------------------------------------------------------------------------
@app.command()
def tour(
    name: str = typer.Argument(..., help="A tour name, a file's stem, or FILE.yaml[:TOUR]."),
    port: str = PortOption,
    lang: str = typer.Option("en", "--lang", help=f"One of {', '.join(LANGUAGES)}."),
    as_json: bool = typer.Option(False, "--json", help="End with a JSON summary on stdout."),
    dwell_scale: float = typer.Option(1.0, help="Multiply every dwell (0 for a rehearsal)."),
    tours_dir: Path = typer.Option(TOURS_DIR, "--tours-dir", help="Where tour files live."),
    heartbeat_hz: float = typer.Option(1.0, help="Our GCS heartbeat rate."),
    ack_timeout: float = typer.Option(0.5, help="Seconds to wait for each COMMAND_ACK."),
    retries: int = typer.Option(3, help="Tries per command before it counts as failed."),
    db: str = typer.Option(None, "--db", envvar="SMARTLAB_DB", help="SQLAlchemy URL of the store."),
) -> None:
    """Run a tour on the base, printing progress; exit 0 when it ends back on the dock."""
    if lang not in LANGUAGES:
        err.print(f"[bold red]error:[/] --lang must be one of {', '.join(LANGUAGES)}")
        raise typer.Exit(2)
    console = err if as_json else out
    with user_errors():
        tour_map, tour_name = resolve(name, tours_dir)
        safety = SafetyConfig.from_env()  # a wrong setting is said before anything connects
        base = Base.connect(port, settings.number(settings.READY_TIMEOUT_ENV),
                            progress=lambda line: console.print(line, markup=False),
                            **_link_options(heartbeat_hz, ack_timeout, retries))
        try:
            records = TourRecords(db)
            controller = TourController(base, tour_map, tour_name, lang, records, dwell_scale,
                                        safety)
            controller.listeners.append(lambda e: _progress(console, e))
            with _abort_on_signals(controller):
                summary = controller.run()
        finally:
            base.close()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    raise typer.Exit(0 if summary["status"] == "completed" else 1)


ABORT_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def _abort_on_signals(controller: TourController) -> Iterator[None]:
    """Ctrl-C, kill or a closed terminal end the tour where it is: the base is left in HOLD
    and disarmed, and the record says aborted and why (SIGKILL cannot be caught: then the
    base's GCS failsafe, set on connect, holds it)."""
    def abort(number: int, _frame: object) -> None:
        controller.post("abort", reason=f"the CLI got {signal.Signals(number).name}")
    previous = {sig: signal.signal(sig, abort) for sig in ABORT_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


PROGRESS = {
    "greeting": lambda d: f"▶ {d['text']}",
    "presentation": lambda d: f"  ● {d['name']}: {d['text']}",
    "visited": lambda d: f"  ✓ {d['name']}",
    "skipped": lambda d: f"  · {d['name']} skipped ({d['reason']})",
    "link_lost": lambda d: "  ! link lost: holding, tour paused",
    "link_restored": lambda d: "  ↻ link restored: resuming",
    "low_battery": lambda d: f"  ! battery {d['battery']:.0f}%: finishing this stop, then docking",
    "obstacle": lambda d: f"  ! obstacle {d['distance']:.1f} m ahead: waiting",
    "estopped": lambda d: f"  ■ EMERGENCY STOP ({d['reason']}): disarmed, waiting for an operator",
    "fault": lambda d: f"  ✗ fault: {d['error']}",
    "refused": lambda d: f"  ✗ not touring: {d['error']}",
    "failsafe": lambda d: f"  · base GCS failsafe: {d['settings']}",
    "speed_warning": lambda d: f"  ! speed limit not taken ({d['error']}): the base's own speed applies",
    "dock_offset": lambda d: f"  ! docked {d['offset']:.2f} m off (tolerance {d['tolerance']:.2f} m)",
    "aborted": lambda d: f"  ■ aborted ({d['reason']}): base holding",
    "finished": lambda d: f"  base left: {d['summary']['base_state']}; WP_SPEED {d['summary']['wp_speed']}",
}


def _progress(console: Console, event: TourEvent) -> None:
    if event.kind == "state" and event.state in ("returning", "docked"):
        console.print(f"  → {event.state}")
    render = PROGRESS.get(event.kind)
    if render is not None:
        console.print(render(event.data), markup=False, soft_wrap=True)


# -- status / estop --------------------------------------------------------------------------
@app.command()
def status(
    port: str = PortOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Connect, wait for the base's telemetry, and print mode, pose, battery and line counters."""
    with user_errors():
        base = Base.connect(port, ready=False)
        try:
            # the heartbeat's mode and the battery come in separate messages: wait for both
            # (a busy machine delays them), then print what is known
            base.wait_until(lambda t: t.battery_pct is not None and t.mode != "UNKNOWN",
                            STATUS_WAIT_SECONDS)
            data = base.status()
        finally:
            base.close()
    if as_json:
        print(json.dumps(data, default=str))
        return
    table = Table("field", "value", title=f"base on {port}")
    for key, value in data.items():
        table.add_row(key, f"{value:.2f}" if isinstance(value, float) else str(value))
    out.print(table)


STATUS_WAIT_SECONDS = 10.0


@app.command()
def estop(port: str = PortOption) -> None:
    """Force-disarm the base now and wait until it reports disarmed."""
    with user_errors():
        base = Base.connect(port, timeout=10, ready=False)  # an e-stop never waits for pre-arm
        try:
            started = time.monotonic()
            base.estop()
            if not base.wait_until(lambda t: not t.armed, 5.0):
                raise RobotError("the base acknowledged the e-stop but still reports armed")
            out.print(f"disarmed in {(time.monotonic() - started) * 1000:.0f} ms")
        finally:
            base.close()


# -- tours -----------------------------------------------------------------------------------
@app.command("tours")
def list_tours(directory: Path = typer.Argument(TOURS_DIR, help="Folder of tour files.")) -> None:
    """List and validate every tour file; exit 1 if any is wrong."""
    table = Table("file", "tour", "stops", "names (en / zh-HK / zh-CN)")
    bad = 0
    for path in find_tour_files(directory):
        try:
            tour_map = load_tours(path)
        except FlowErrors as exc:
            bad += 1
            for e in exc.errors:
                err.print(str(e), soft_wrap=True, markup=False)
            continue
        for key, t in tour_map.tours.items():
            names = " / ".join(t.names.get(lang) for lang in LANGUAGES)
            table.add_row(path.name, key, str(len(t.stops)), names)
    out.print(table)
    raise typer.Exit(1 if bad else 0)


def main() -> None:  # pragma: no cover - `python -m receptionist_robot.cli`
    app(sys.argv[1:])




# -- kiosk -----------------------------------------------------------------------------------
@app.command()
def kiosk(
    port: str = typer.Option(None, "--port", "-p", envvar="SMARTLAB_ROBOT_PORT",
                             help="The base (device, pty or socket://); none: talk only."),
    rasa: str = typer.Option("http://127.0.0.1:5005", "--rasa", envvar="SMARTLAB_RASA_URL",
                             help="The receptionist's Rasa server (`smartlab nlu serve receptionist`)."),
    tours: str = typer.Option("innovation_lab", "--tours", help="A tour file's stem or a tour name."),
    tours_dir: Path = typer.Option(TOURS_DIR, "--tours-dir", help="Where tour files live."),
    host: str = typer.Option("127.0.0.1", "--host", help="Where the kiosk page listens."),
    listen_port: int = typer.Option(8010, "--listen-port", help="The kiosk page's port."),
    smtp: str = typer.Option(None, "--smtp", envvar="SMARTLAB_SMTP_URL", help="smtp://HOST:PORT"),
    notify_to: str = typer.Option(None, "--notify", envvar="SMARTLAB_CHECKIN_TO",
                                  help="Mailbox told of each check-in (console without --smtp)."),
    speak: bool = typer.Option(False, "--speak", help="Speak replies with espeak-ng if installed."),
    db: str = typer.Option(None, "--db", envvar="SMARTLAB_DB", help="SQLAlchemy URL of the store."),
) -> None:
    """Serve the visitor kiosk (chat, tour progress, map, stop button) at http://HOST:PORT/kiosk/."""
    import uvicorn

    from receptionist_robot.kiosk import create_app
    from receptionist_robot.kiosk.serve import build_dialogue

    with user_errors():
        dialogue = build_dialogue(rasa, port, tours, tours_dir, db, smtp, notify_to, speak)
    out.print(f"kiosk on http://{host}:{listen_port}/kiosk/ (Rasa {rasa})")
    try:
        uvicorn.run(create_app(dialogue), host=host, port=listen_port, log_level="warning")
    finally:
        dialogue.close()


if __name__ == "__main__":  # pragma: no cover
    main()
