"""The dashboard of an empty store: each chart's empty state says what to do next, with links."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from rpa.auth import add_user
from rpa.web import create_app
from tests.rpa.web.console.browsing import PASSWORD


def _signed_in(tmp_path: Path, role: str) -> TestClient:
    (tmp_path / "flows").mkdir()
    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path / "flows")
    add_user(app.state.store.engine, "someone", role, PASSWORD, actor="test")
    client = TestClient(app)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/console/login").text).group(1)
    client.post("/console/login", data={"username": "someone", "password": PASSWORD, "csrf": token})
    return client


def test_dashboard_of_an_empty_store_says_what_to_do_next(tmp_path: Path) -> None:
    client = _signed_in(tmp_path, "staff")
    text = client.get("/console/").text
    assert '<svg class="chart"' not in text
    assert "No runs finished in the last 24 hours." in text
    assert '<a href="/console/upload">Drop a form in the upload page to start</a>' in text
    assert '<a href="/console/flows">start a flow from the flows page</a>' in text
    assert "No one is waiting for a review" in text and '<a href="/console/inbox">' in text
    assert "No tours today." in text or "This store keeps no tour records" in text
    client.get("/console/lang/zh?back=/console/")
    assert "到上載頁面放入表格即可開始" in client.get("/console/").text


def test_dashboard_hours_setting_of_zero_is_refused_in_one_line(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    client = _signed_in(tmp_path, "staff")
    monkeypatch.setenv("SMARTLAB_DASHBOARD_HOURS", "0")
    answer = client.get("/console/")
    assert answer.status_code == 422 and "SMARTLAB_DASHBOARD_HOURS=0 must be at least 1" in answer.text
