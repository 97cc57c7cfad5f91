"""The sample case system over real HTTP on a loopback port, in-process and as a command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from examples.case_system import RunningServer, serve

ROOT = Path(__file__).resolve().parents[3]
FORM = {
    "form_ref": "APP-TEST-0001", "licence_type": "general_restaurant", "applicant_name": "Wong Siu Ming",
    "hkid": "A123456(3)", "date_of_birth": "1975-01-31", "phone": "2123 4567",
    "email": "siuming@example.com", "business_name": "Siu Ming Noodles",
    "premises_address": "G/F, 8 Nathan Road, Kowloon", "declaration": "yes",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with serve(tmp_path_factory.mktemp("case_system") / "cases.db") as running:
        yield running


@pytest.fixture
def officer(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url) as client:
        answer = client.post("/login", data={"username": "officer", "password": "officer-pass"})
        assert answer.status_code == 303
        yield client


def test_case_system_sends_strangers_to_login(server: RunningServer) -> None:
    answer = httpx.get(f"{server.url}/cases/new")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/cases/new"


def test_case_system_refuses_wrong_password_with_a_message(server: RunningServer) -> None:
    answer = httpx.post(f"{server.url}/login", data={"username": "officer", "password": "nope"})
    assert answer.status_code == 401
    assert "Wrong user name or password" in answer.text
    assert "case_session" not in answer.headers.get("set-cookie", "")


def test_case_system_shows_field_errors_and_keeps_values(officer: httpx.Client,
                                                         server: RunningServer) -> None:
    bad = {"form_ref": "APP-BAD-1", "hkid": "A123456(4)"}
    answer = officer.post("/cases/new", data={**FORM, **bad})
    assert answer.status_code == 422
    assert 'id="error-hkid"' in answer.text and 'value="APP-BAD-1"' in answer.text
    assert server.store.find("APP-BAD-1") == []


def test_case_system_gives_a_case_number_and_finds_it_by_reference(officer: httpx.Client,
                                                                   server: RunningServer) -> None:
    answer = officer.post("/cases/new", data=FORM)
    assert answer.status_code == 303
    case_no = answer.headers["location"].split("/")[-1].split("?")[0]
    assert officer.get(answer.headers["location"]).text.count(case_no) >= 2
    listing = officer.get("/cases", params={"ref": "app-test-0001"}).text
    assert case_no in listing
    assert server.store.get(case_no)["phone"] == "21234567"


def test_case_system_does_not_stop_a_second_case_for_one_reference(officer: httpx.Client,
                                                                   server: RunningServer) -> None:
    """Like a real system: preventing duplicates is the bot's job, so tests can catch it."""
    for _ in range(2):
        assert officer.post("/cases/new", data={**FORM, "form_ref": "APP-TWICE"}).status_code == 303
    assert len(server.store.find("APP-TWICE")) == 2


def test_case_system_command_serves_on_a_free_loopback_port(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CASE_SYSTEM_PASSWORD": "s3cret"}
    proc = subprocess.Popen([sys.executable, "-m", "examples.case_system", "--port", "0",
                             "--db", str(tmp_path / "cli.db")], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("case system ready at http://127.0.0.1:")
        url = line.split()[4]
        answer = httpx.post(f"{url}/login", data={"username": "officer", "password": "s3cret"})
        assert answer.status_code == 303
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert (tmp_path / "cli.db").exists()
