"""The API's doors: open before the first user exists, then tokens and roles decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.audit import entries, verify
from rpa.auth import add_user, issue_token
from rpa.web import create_app

FLOW = "flow: hello\ninputs: {name: {type: str}}\nstates:\n  a: {next: b}\n  b: {final: success}\n"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "hello.yaml").write_text(FLOW)
    return TestClient(create_app(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "flows"))


def _token(client: TestClient, name: str, role: str) -> dict[str, str]:
    engine = client.app.state.store.engine
    add_user(engine, name, role, "a long enough password", actor="test")
    return {"Authorization": f"Bearer {issue_token(engine, name, actor='test')}"}


def test_api_is_open_until_the_first_user_exists(client: TestClient) -> None:
    assert client.get("/api/health").json()["auth"].startswith("open")
    assert client.post("/api/runs", json={"flow": "hello", "inputs": {"name": "x"}}).status_code == 201
    staff = _token(client, "clerk", "staff")
    assert client.get("/api/runs").status_code == 401
    assert client.get("/api/runs", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get("/api/runs", headers=staff).status_code == 200


def test_api_staff_cannot_reach_secrets_or_users(client: TestClient) -> None:
    staff, admin = _token(client, "clerk", "staff"), _token(client, "boss", "admin")
    assert client.get("/api/users", headers=staff).status_code == 403
    refused = client.put("/api/secrets/case_password", json={"value": "s3cret"}, headers=staff)
    assert (refused.status_code, refused.json()["detail"]) == (403, "role 'staff' may not secrets.manage")
    assert {u["name"] for u in client.get("/api/users", headers=admin).json()} == {"clerk", "boss"}


def test_api_audits_run_starts_and_cancels_by_caller(client: TestClient) -> None:
    supervisor = _token(client, "sue", "supervisor")
    run = client.post("/api/runs", json={"flow": "hello", "inputs": {"name": "x"}}, headers=supervisor).json()
    assert client.post(f"/api/runs/{run['id']}/cancel", headers=supervisor).json()["status"] == "cancelled"
    engine = client.app.state.store.engine
    actions = [(e.actor, e.action, e.target) for e in entries(engine, 2)]
    assert actions == [("sue", "run.cancel", run["id"]), ("sue", "run.start", run["id"])]
    assert verify(engine) is None
