"""`smartlab robot ...` as a user runs it: the simulator and the controller as processes."""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from receptionist_robot import mav
from receptionist_robot.cli import app
from receptionist_robot.simulator import SimBase
from receptionist_robot.store import TourRecords
from tests.support.waiting import eventually

SMARTLAB = Path(sys.executable).parent / "smartlab"
SHIPPED_DIR = Path(__file__).parents[2] / "flows" / "tours"


@pytest.fixture
def sim_process() -> Iterator[Callable[..., tuple[str, subprocess.Popen[str]]]]:
    procs: list[subprocess.Popen[str]] = []

    def start(listen: str, *flags: str, ready_after: str = "0.2") -> tuple[str, subprocess.Popen[str]]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "receptionist_robot.cli", "sim", "--listen", listen,
             "--time-scale", "40", "--ready-after", ready_after, "--rate", "HEARTBEAT=5",
             "--rate", "SYS_STATUS=5", *flags],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proc)
        url = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert url, proc.stderr.read()  # type: ignore[union-attr]
        return url, proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            stop_sim(proc)


SIM_STOP_SECONDS = 60  # a safety net for a loaded machine (it stops in well under 1 s when quiet)


def stop_sim(proc: subprocess.Popen[str]) -> None:
    """Ctrl-C the simulator process and wait for it to end; if it never does, say what it wrote."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(SIM_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, stderr = proc.communicate()
        pytest.fail(f"the simulator ignored Ctrl-C for {SIM_STOP_SECONDS} s; it wrote: {stderr[-2000:]}")


def smartlab(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    if not SMARTLAB.exists():
        pytest.skip(f"the smartlab console script is not installed at {SMARTLAB}")
    try:
        return subprocess.run([str(SMARTLAB), "robot", *args], capture_output=True, text=True,
                              timeout=TOUR_SAFETY_NET, env={"SMARTLAB_DB": db, "PATH": "/usr/bin:/bin"})
    except subprocess.TimeoutExpired as exc:  # a hung tour fails the test, with what it printed
        stderr = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr
        pytest.fail(f"smartlab robot {' '.join(args)} still running after {TOUR_SAFETY_NET} s; "
                    f"it wrote: {(stderr or '')[-3000:]}")


TOUR_SAFETY_NET = 300  # seconds: a safety net for a hung tour, not a speed limit


@pytest.mark.parametrize(("listen", "tour", "stops", "run"), [
    ("pty", "showroom", 7, smartlab),  # the installed console script, as a user runs it
    ("tcp", "express", 2, smartlab),  # a process too: a tour that hangs cannot hang the suite
])
def test_cli_tour_completes_over_pty_and_tcp(make_sim: Callable[..., SimBase], db_url: str,
                                             listen: str, tour: str, stops: int,
                                             run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    url = make_sim(listen, time_scale=40).url
    done = run("tour", tour, "--port", url, "--lang", "zh-HK", "--json",
               "--dwell-scale", "0", "--tours-dir", str(SHIPPED_DIR), db=db_url)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["status"] == "completed" and len(summary["stops"]) == stops
    assert all(s["status"] == "visited" for s in summary["stops"])
    assert "城市儀表板" in done.stderr  # progress, in the visitor's language


def test_cli_status_estop_and_the_sims_log_of_every_received_command(
        sim_process: Callable[..., tuple[str, object]], tmp_path: Path) -> None:
    """The simulator as a process (`smartlab robot sim`); status and estop in this one."""
    log = tmp_path / "commands.jsonl"
    url, proc = sim_process("pty", "--log", str(log), ready_after="0")  # in HOLD from the start
    status = CliRunner().invoke(app, ["status", "--port", url, "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["mode"] == "HOLD"
    estop = CliRunner().invoke(app, ["estop", "--port", url])
    assert estop.exit_code == 0 and "disarmed in" in estop.stdout
    stop_sim(proc)  # type: ignore[arg-type]
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert entries[-1]["what"][:4] == ["COMMAND_LONG", 400.0, 0.0, 21196.0]


def test_cli_sim_refuses_a_bad_rate_in_one_line() -> None:
    result = CliRunner().invoke(app, ["sim", "--rate", "HEARTBEAT=fast"])
    assert result.exit_code == 2 and "--rate takes MESSAGE=HZ" in result.output
    assert "Traceback" not in result.output


def test_cli_status_without_a_base_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["status", "--port", str(tmp_path / "no-such-tty")])
    assert result.exit_code == 2 and "cannot open" in result.output
    assert "Traceback" not in result.output


def test_cli_tours_lists_and_validates(tmp_path: Path) -> None:
    ok = CliRunner().invoke(app, ["tours", str(SHIPPED_DIR)])
    assert ok.exit_code == 0 and "showroom" in ok.output
    (tmp_path / "bad.yaml").write_text("map: x\nlocations: {}\ntours: {}\n", encoding="utf-8")
    bad = CliRunner().invoke(app, ["tours", str(tmp_path)])
    assert bad.exit_code == 1 and "bad.yaml:2:" in bad.output


@pytest.mark.parametrize("sig", [signal.SIGTERM])  # SIGINT and SIGHUP take the same handler
def test_cli_killed_mid_tour_leaves_the_base_held_and_the_tour_aborted(
        make_sim: Callable[..., SimBase], db_url: str, sig: signal.Signals) -> None:
    if not SMARTLAB.exists():
        pytest.skip(f"the smartlab console script is not installed at {SMARTLAB}")
    sim = make_sim("tcp", time_scale=1)
    env = {"SMARTLAB_DB": db_url, "PATH": "/usr/bin:/bin", "SMARTLAB_ROBOT_DISARM_AFTER": "2"}
    proc = subprocess.Popen([str(SMARTLAB), "robot", "tour", "showroom", "--port", sim.url,
                             "--json", "--dwell-scale", "0", "--tours-dir", str(SHIPPED_DIR)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert eventually(lambda: sim.armed and sim.vehicle.odometer > 0.3, what="the tour moving")
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, err
    summary = json.loads(out)
    assert summary["status"] == "aborted" and sig.name in summary["reason"]
    assert sim.mode == mav.MODES["HOLD"] and not sim.armed
    record = TourRecords(db_url).get(summary["tour_id"])
    assert record["status"] == "aborted" and record["base_state"] == "HOLD, disarmed"
    assert summary["wp_speed"] == "restored to 2" and sim.params["WP_SPEED"] == 2.0


def test_cli_sigkill_mid_tour_leaves_the_base_to_its_failsafe_and_the_tour_closed_next_time(
        make_sim: Callable[..., SimBase], db_url: str) -> None:
    """SIGKILL cannot be caught: the GCS failsafe the tour set on connect holds the base, and
    the tour left `running` is closed as aborted when the next one starts."""
    if not SMARTLAB.exists():
        pytest.skip(f"the smartlab console script is not installed at {SMARTLAB}")
    sim = make_sim("tcp", time_scale=1, gcs_timeout=1.0)
    proc = subprocess.Popen([str(SMARTLAB), "robot", "tour", "showroom", "--port", sim.url,
                             "--dwell-scale", "0", "--tours-dir", str(SHIPPED_DIR)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
                            env={"SMARTLAB_DB": db_url, "PATH": "/usr/bin:/bin"})
    try:
        assert eventually(lambda: sim.armed and sim.vehicle.odometer > 0.3, what="the tour moving")
        proc.kill()
        proc.wait(30)
    finally:
        proc.kill()
    assert sim.params["FS_GCS_ENABLE"] == 1
    assert sim.params["WP_SPEED"] == 0.5  # nothing could restore it: left at the slowest cap
    assert eventually(lambda: sim.mode == mav.MODES["HOLD"], what="the base's failsafe HOLD")
    records = TourRecords(db_url)
    abandoned = records.close_abandoned()  # what the next tour's start does
    assert len(abandoned) == 1 and records.close_abandoned() == []
    record = records.get(abandoned[0])
    assert record["status"] == "aborted" and "died" in record["reason"]
    assert record["base_state"].startswith("unknown: left to the base's GCS failsafe")
    odometer, since = sim.vehicle.odometer, sim.vehicle.time
    assert eventually(lambda: sim.vehicle.time > since + 1.0, what="a simulated second passing")
    assert math.isclose(sim.vehicle.odometer, odometer) and sim.vehicle.target is None


def test_cli_tour_with_a_wrong_setting_is_one_line_before_connecting(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["tour", "express", "--port", str(tmp_path / "no-tty"),
                                      "--tours-dir", str(SHIPPED_DIR)],
                                env={"SMARTLAB_ROBOT_FAILSAFE": "maybe"})
    assert result.exit_code == 2 and "SMARTLAB_ROBOT_FAILSAFE='maybe' is not one of" in result.output
    assert "cannot open" not in result.output and "Traceback" not in result.output
