"""A server failure never shows a client its traceback: API and console answer 500 with an
error id, and the server log holds that id with the traceback. The failure is injected (a
store that raises); everything else is the real app."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rpa.auth import add_user
from rpa.web import create_app
from rpa.web.console.guard import COOKIE
from rpa.web.console.sessions import open_session

SECRET_DETAIL = "no such table: /srv/smartlab/db internals"


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    app = create_app(f"sqlite:///{tmp_path / 'api.db'}", tmp_path / "flows")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(SECRET_DETAIL)

    monkeypatch.setattr(app.state.store, "count", broken)
    app.add_api_route("/console/broken", lambda: broken())  # a console page whose code fails
    return TestClient(app, raise_server_exceptions=False)


def test_api_500_carries_an_error_id_and_no_traceback(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="smartlab.web"):
        response = client.get("/api/health")
    assert response.status_code == 500
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert body["detail"] == f"internal error (error id {body['error_id']})"
    assert "Traceback" not in response.text and SECRET_DETAIL not in response.text
    assert f"error {body['error_id']}: GET /api/health failed" in caplog.text
    assert "Traceback" in caplog.text and SECRET_DETAIL in caplog.text


def test_console_500_is_a_page_with_the_error_id(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    engine = client.app.state.store.engine
    add_user(engine, "boss", "admin", "a long enough password", actor="test")
    client.cookies.set(COOKIE, open_session(engine, "boss"))
    with caplog.at_level(logging.ERROR, logger="smartlab.web"):
        response = client.get("/console/broken")
    assert response.status_code == 500 and "text/html" in response.headers["content-type"]
    error_id = re.search(r"internal error \(error id ([0-9a-f]{12})\)", response.text)
    assert error_id is not None
    assert "Traceback" not in response.text and SECRET_DETAIL not in response.text
    assert f"error {error_id[1]}: GET /console/broken failed" in caplog.text
