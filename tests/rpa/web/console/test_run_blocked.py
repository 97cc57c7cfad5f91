"""A run stuck on a missing secret shows as blocked, with the reason, on its console page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.auth import add_user
from rpa.store import RunStore
from rpa.web import create_app
from rpa.web.console import login
from rpa.web.console.blocked import blocked_reason, shown
from tests.rpa.web.console.browsing import PASSWORD

KEYED = "flow: keyed\nsecrets: [case_password]\nstates:\n  a: {next: b}\n  b: {final: success}\n"


@pytest.fixture
def signed_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, RunStore, Path]:
    monkeypatch.delenv("SMARTLAB_SECRET_CASE_PASSWORD", raising=False)
    monkeypatch.setenv("SMARTLAB_SECRETS_FILE", str(tmp_path / "no-secrets.enc"))
    login.limiter.__init__()
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "keyed.yaml").write_text(KEYED)
    app = create_app(f"sqlite:///{tmp_path / 'c.db'}", flows)
    add_user(app.state.store.engine, "clerk", "staff", PASSWORD, actor="test")
    client = TestClient(app)
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    client.post("/console/login", data={"username": "clerk", "password": PASSWORD, "csrf": token})
    return client, RunStore(engine=app.state.store.engine), flows / "keyed.yaml"


def test_run_page_shows_a_ready_run_blocked_by_its_missing_secret(signed_in, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client, store, flow = signed_in
    run = store.create_run("keyed", str(flow), "a", {}, status="ready")  # as after a review is accepted
    text = client.get(f"/console/runs/{run.id}").text
    assert 'data-testid="run-status" data-status="blocked">' in text
    reason = re.search(r'data-testid="run-blocked">([^<]+)<', text).group(1)
    assert "secret &#39;case_password&#39; is not set" in reason and "SMARTLAB_SECRET_CASE_PASSWORD" in reason
    monkeypatch.setenv("SMARTLAB_SECRET_CASE_PASSWORD", "officer-pass")
    text = client.get(f"/console/runs/{run.id}").text
    assert 'data-testid="run-status" data-status="ready">' in text and "run-blocked" not in text


def test_blocked_reason_leaves_finished_and_parked_runs_alone(signed_in) -> None:  # type: ignore[no-untyped-def]
    _, store, flow = signed_in
    run = store.create_run("keyed", str(flow), "a", {}, status="waiting")
    reason = blocked_reason(run)
    assert reason is not None and shown("waiting", reason) == "waiting"  # still waits for its person
    assert shown("running", reason) == "blocked" and shown("running", None) == "running"
