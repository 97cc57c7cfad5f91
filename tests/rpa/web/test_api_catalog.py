"""The web starts only flows of the served catalog, by name: never a file a caller names.

The attack of issue 20: a staff user uploads a YAML flow named `evil.pdf` through the console,
then asks POST /api/runs to start it by its path on the server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from rpa.auth import add_user, issue_token
from rpa.engine import Runs
from rpa.flow import load_and_compile
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD

HELLO = "flow: hello\ninputs: {n: {type: int, default: 1}}\nstates:\n  a: {next: b}\n  b: {final: success}\n"
INBOX = """flow: inbox_forms
triggers: [{type: watch, folder: "FOLDER", glob: "*.pdf"}]
states:
  a: {next: b}
  b: {final: success}
"""
EVIL = """flow: evil
states:
  a: {do: [{activity: files.read, with: {path: /etc/passwd}, as: loot}], next: b}
  b: {final: success}
"""


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "hello.yaml").write_text(HELLO)
    (flows / "inbox_forms.yaml").write_text(INBOX.replace("FOLDER", str(tmp_path / "inbox")))
    app = create_app(f"sqlite:///{tmp_path / 'web.db'}", flows)
    add_user(app.state.store.engine, "clerk", "staff", PASSWORD, actor="test")
    return TestClient(app)


def _bearer(client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(client.app.state.store.engine, 'clerk', actor='test')}"}


def _csrf(client: TestClient, page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(page).text).group(1)


def _sign_in(client: TestClient) -> None:
    client.post("/console/login", data={"username": "clerk", "password": PASSWORD,
                                        "csrf": _csrf(client, "/console/login")})


def _upload_evil(client: TestClient, tmp_path: Path) -> Path:
    _sign_in(client)
    sent = client.post("/console/upload", data={"flow": "inbox_forms", "csrf": _csrf(client, "/console/upload")},
                       files=[("files", ("evil.pdf", EVIL.encode(), "application/pdf"))])
    assert sent.status_code == 200, sent.text
    [saved] = (tmp_path / "inbox").glob("evil*.pdf")
    return saved


def test_api_refuses_a_flow_uploaded_as_a_pdf_and_started_by_path(client: TestClient, tmp_path: Path) -> None:
    evil = _upload_evil(client, tmp_path)
    for flow in (str(evil), str(evil.resolve()), "evil", "../inbox/evil.pdf"):
        refused = client.post("/api/runs", json={"flow": flow}, headers=_bearer(client))
        assert refused.status_code == 404, (flow, refused.text)
        assert "served catalog" in refused.json()["detail"]
    assert client.app.state.store.count() == 0


def test_api_refuses_a_valid_flow_file_outside_the_catalog(client: TestClient, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(HELLO.replace("flow: hello", "flow: elsewhere"))
    refused = client.post("/api/runs", json={"flow": str(outside)}, headers=_bearer(client))
    assert refused.status_code == 404
    started = client.post("/api/runs", json={"flow": "hello"}, headers=_bearer(client))
    assert (started.status_code, started.json()["flow_path"]) == (201, str(tmp_path / "flows" / "hello.yaml"))


def test_console_start_and_retry_refuse_flows_outside_the_catalog(client: TestClient, tmp_path: Path) -> None:
    evil = _upload_evil(client, tmp_path)
    csrf = _csrf(client, "/console/flows")
    assert client.post(f"/console/flows/{evil}/start", data={"csrf": csrf}).status_code == 404
    # a run a developer started from a file with the CLI: its retry from the console is refused
    outside = tmp_path / "dev.yaml"
    outside.write_text(HELLO.replace("flow: hello", "flow: dev"))
    run = Runs(client.app.state.store).submit(load_and_compile(str(outside)), actor="dev@cli")
    retried = client.post(f"/console/runs/{run.id}/retry", data={"csrf": csrf})
    assert retried.status_code == 422 and "not a flow of the served catalog" in retried.text
    assert client.app.state.store.count() == 1


PATH_LIKE = re.compile(r"(^|_)(path|file|filename|folder)s?$")


def _api_routes(routes: list) -> list[APIRoute]:  # type: ignore[type-arg]
    """Every route, also those of included routers (kept apart from the app's own list)."""
    found: list[APIRoute] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _api_routes(included.routes)
        elif isinstance(route, APIRoute):
            found.append(route)
    return found


def test_no_web_route_takes_a_path(client: TestClient) -> None:
    """No API or console route has a parameter or body field named like a file path."""
    named = []
    routes = _api_routes(client.app.routes)
    assert {"/api/runs", "/console/flows/{name}/start", "/console/runs/{run_id}/retry"} <= {r.path for r in routes}
    for route in routes:
        params = route.dependant.path_params + route.dependant.query_params + route.dependant.body_params
        fields = [p.name for p in params]
        for body in route.dependant.body_params:
            model = getattr(body.field_info.annotation, "model_fields", {})
            fields += list(model)
        named += [(route.path, f) for f in fields if PATH_LIKE.search(f)]
    assert set(named) == set(NOT_FILE_PATHS), named


NOT_FILE_PATHS = {
    ("/console/login", "next_path"): "the console page to go to after signing in (a URL path)",
    ("/console/upload", "files"): "the uploaded files' contents, saved into a watched inbox by its own rules",
}
